"""Forms for signing in and choosing a password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from ...passwords import MIN_LENGTH

# Long enough for any real password, short enough that hashing stays cheap.
MAX_PASSWORD = 1024


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=MAX_PASSWORD)])
    next = HiddenField()


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Choose a password.")),
        Length(min=MIN_LENGTH, max=MAX_PASSWORD,
               message=_l("Use at least %(num)d characters.", num=MIN_LENGTH)),
    ])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(_l("Repeat the password.")),
        EqualTo("password", _l("The two passwords are not the same.")),
    ])
