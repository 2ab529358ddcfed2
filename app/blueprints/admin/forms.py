"""Administration forms. Choices that come from the database are set by the view."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ...core.workflow import Role

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms < 3.3 takes plain (value, label) tuples
    def SelectChoice(value, label):
        return (value, label)


def choices(pairs) -> list:
    """(value, label) pairs as WTForms choices (tuples are deprecated in 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.SECRETARIAT: _l("Secretariat"),
    Role.FOCAL_POINT: _l("National focal point"),
    Role.CONTRIBUTOR: _l("Contributor"),
    Role.MINISTRY: _l("Ministry reader"),
}
COUNTRY_ROLES = {Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.MINISTRY}
# A deliberately loose check: the real test of an address is the invitation reaching it.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[
        DataRequired(_l("Enter the person's name.")), Length(max=200)])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter an email address.")), Length(max=254),
        Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.org."))])
    role = SelectField(_l("Role"),
                       choices=choices((r.value, label) for r, label in ROLE_LABELS.items()))
    # Required for some roles only: see validate_country_code.
    country_code = SelectField(_l("Country"))
    themes = MultiCheckboxField(_l("Themes the contributor may edit"), validators=[Optional()])
    language = SelectField(_l("Interface language"),
                           choices=choices([("en", "English"), ("fr", "Français")]))
    active = BooleanField(_l("Active (may sign in)"), default=True)

    def validate_country_code(self, field) -> None:
        # The role may itself be invalid (reported on its own field).
        if self.role.data in {r.value for r in COUNTRY_ROLES} and not field.data:
            raise ValidationError(_l("Choose the country this person works for."))


class CountryForm(FlaskForm):
    name_en = StringField(_l("Name in English"), validators=[
        DataRequired(_l("Enter the English name.")), Length(max=120)])
    name_fr = StringField(_l("Name in French"), validators=[
        DataRequired(_l("Enter the French name.")), Length(max=120)])
    region = SelectField(_l("Regional group"))
    observer = BooleanField(_l("Observer State"))


class CycleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter a name for the cycle.")), Length(max=200)])
    questionnaire = SelectField(_l("Questionnaire and version"), validators=[
        DataRequired(_l("Choose a questionnaire."))])
    opens_on = DateField(_l("Opening date"), validators=[
        InputRequired(_l("Enter the opening date."))])
    deadline = DateField(_l("Deadline"), validators=[
        InputRequired(_l("Enter the deadline."))])
    countries = SelectMultipleField(_l("Create draft assessments for these countries"),
                                    validators=[Optional()])

    def validate_deadline(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The deadline cannot be before the opening date."))
