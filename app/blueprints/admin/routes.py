"""/admin: users, countries and cycles, for administrators only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ...access import role_required
from ...core.workflow import Role
from ...countries import REGIONS
from ...extensions import db
from ...models import Country, Cycle, User
from . import services
from .cli import register as register_cli
from .forms import ROLE_LABELS, CountryForm, CycleForm, UserForm, choices

bp = Blueprint("admin", __name__, url_prefix="/admin", cli_group="users")
register_cli(bp)


@bp.before_request
@role_required(Role.ADMIN)
def _admins_only():
    """Every route of this blueprint is for administrators; checked once, here."""


def _lang() -> str:
    return str(get_locale() or "en")


def _get(model, key):
    row = db.session.get(model, key)
    if row is None:
        abort(404)
    return row


@bp.get("/")
def index():
    return redirect(url_for("admin.users"))


# --- Users ------------------------------------------------------------------

@bp.get("/users")
def users():
    return render_template("admin/users.html", users=services.users(), role_labels=ROLE_LABELS)


def _user_form(user: User | None) -> UserForm:
    form = UserForm(obj=user) if user else UserForm()
    if user and request.method == "GET":
        form.role.data = user.role.value
    form.country_code.choices = choices([("", _("— none —")), *services.country_choices(_lang())])
    form.themes.choices = choices(services.theme_choices(_lang()))
    return form


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = _user_form(None)
    if form.validate_on_submit():
        try:
            user = services.save_user(None, form.data, current_user)
        except services.AdminError as error:
            form[error.field].errors.append(error.message)
        else:
            return _show_link(user, created=True)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = _get(User, user_id)
    form = _user_form(user)
    if form.validate_on_submit():
        try:
            services.save_user(user, form.data, current_user)
        except services.AdminError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Changes to %(email)s saved.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.post("/users/<int:user_id>/deactivate")
def user_deactivate(user_id: int):
    user = _get(User, user_id)
    try:
        services.deactivate(user, current_user)
    except services.AdminError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(email)s can no longer sign in.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/link")
def user_link(user_id: int):
    user = _get(User, user_id)
    if not user.active:
        flash(_("Reactivate the account before sending it a link."), "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return _show_link(user, created=False)


def _show_link(user: User, created: bool):
    """The link is shown once, in this response, and never stored in clear."""
    purpose, token = services.one_time_link(user)
    link = url_for("auth.accept", token=token, _external=True)
    db.session.commit()
    subject = (_("Your account for the Protocol self-assessment") if purpose == "invite"
               else _("Reset your password for the Protocol self-assessment"))
    mailed = services.notify(user, subject, link)
    return render_template("admin/link.html", user=user, link=link, purpose=purpose,
                           created=created, mailed=mailed)


# --- Countries --------------------------------------------------------------

@bp.get("/countries")
def countries():
    return render_template("admin/countries.html", countries=services.countries(),
                           regions=REGIONS)


@bp.route("/countries/<code>", methods=["GET", "POST"])
def country_edit(code: str):
    country = _get(Country, code)
    form = CountryForm(obj=country)
    form.region.choices = choices(REGIONS.items())
    if form.validate_on_submit():
        services.update_country(country, form.data)
        db.session.commit()
        flash(_("%(name)s saved.", name=country.name(_lang())), "success")
        return redirect(url_for("admin.countries"))
    return render_template("admin/country_form.html", form=form, country=country)


# --- Cycles -----------------------------------------------------------------

@bp.get("/cycles")
def cycles():
    return render_template("admin/cycles.html", cycles=services.cycles())


def _cycle_form(cycle: Cycle | None) -> CycleForm:
    form = CycleForm(obj=cycle) if cycle else CycleForm()
    if cycle and request.method == "GET":
        form.questionnaire.data = f"{cycle.questionnaire_id}@{cycle.questionnaire_version}"
    form.questionnaire.choices = choices(
        [("", _("— choose —")), *services.questionnaire_choices(_lang())])
    form.countries.choices = choices(services.country_choices(_lang()))
    return form


@bp.route("/cycles/new", methods=["GET", "POST"])
def cycle_new():
    return _cycle_page(None)


@bp.route("/cycles/<int:cycle_id>", methods=["GET", "POST"])
def cycle_edit(cycle_id: int):
    return _cycle_page(_get(Cycle, cycle_id))


def _cycle_page(cycle: Cycle | None):
    form = _cycle_form(cycle)
    if form.validate_on_submit():
        try:
            saved = services.save_cycle(cycle, form.data)
        except services.AdminError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Cycle %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("admin.cycles"))
    count = services.assessment_count(cycle) if cycle else 0
    return render_template("admin/cycle_form.html", form=form, cycle=cycle,
                           assessment_count=count,
                           no_questionnaires=len(form.questionnaire.choices) == 1)
