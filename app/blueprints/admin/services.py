"""Administration rules: users, countries, cycles. The view commits."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from ... import catalog
from ...core.loader import InvalidQuestionnaire
from ...core.workflow import Role, State
from ...extensions import db
from ...models import Assessment, Country, Cycle, User
from ..auth import services as auth_services
from .forms import COUNTRY_ROLES

SELF_LOCKOUT = _l("You cannot remove your own administrator rights or deactivate yourself.")


class AdminError(ValueError):
    """A request that breaks a rule; the message names the field and the problem."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def users() -> list[User]:
    return list(db.session.scalars(db.select(User).order_by(User.role, User.email)))


def countries() -> list[Country]:
    return list(db.session.scalars(db.select(Country).order_by(Country.name_en)))


def country_choices(lang: str) -> list[tuple[str, str]]:
    rows = sorted(countries(), key=lambda c: c.name(lang))
    return [(c.code, c.name(lang)) for c in rows]


def questionnaires() -> list:
    """Every questionnaire in the library; none (rather than a 500) if it is broken,
    so that administrators can still manage users while authors fix a file."""
    try:
        return catalog.library().all()
    except (InvalidQuestionnaire, OSError):
        current_app.logger.exception("Questionnaire library could not be loaded")
        return []


def questionnaire_choices(lang: str) -> list[tuple[str, str]]:
    return [(f"{q.id}@{q.version}", f"{q.title.get(lang)} ({q.id} {q.version})")
            for q in questionnaires()]


def theme_choices(lang: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for questionnaire in questionnaires():
        for theme in questionnaire.themes:
            seen.setdefault(theme.id, theme.title.get(lang))
    return list(seen.items())


def save_user(user: User | None, data: dict, acting: User) -> User:
    """Create or update a user from the form's data; raises AdminError."""
    email = auth_services.normalise_email(data["email"])
    other = auth_services.find_user_by_email(email)
    if other is not None and other is not user:
        raise AdminError("email", _l("Another account already uses this email address."))
    role = Role(data["role"])
    if user is not None and user.id == acting.id and (role is not Role.ADMIN or not data["active"]):
        # The last door into the admin pages must not close behind its user.
        raise AdminError("role", SELF_LOCKOUT)
    if user is None:
        user = User(email=email, role=role, password_hash=None)
        db.session.add(user)
    was_active = user.active
    user.email, user.name, user.role = email, data["name"].strip(), role
    user.country_code = data["country_code"] if role in COUNTRY_ROLES else None
    user.themes = (data["themes"] or None) if role is Role.CONTRIBUTOR else None
    user.language = data["language"]
    user.active = data["active"]
    if was_active and not user.active:
        auth_services.end_all_sessions(user)
    db.session.flush()
    return user


def deactivate(user: User, acting: User) -> None:
    if user.id == acting.id:
        raise AdminError("active", SELF_LOCKOUT)
    user.active = False
    auth_services.end_all_sessions(user)


def one_time_link(user: User) -> tuple[str, str]:
    """(purpose, raw token): an invitation until a password exists, then a reset."""
    purpose = "reset" if user.password_hash else "invite"
    return purpose, auth_services.issue_token(user, purpose)


def notify(user: User, subject: str, body: str) -> bool:
    """Hand the message to the configured SEND_MAIL hook, if any; True if sent."""
    send_mail = current_app.config.get("SEND_MAIL")
    if send_mail is None:
        return False
    send_mail(user.email, subject, body)
    return True


def update_country(country: Country, data: dict) -> None:
    country.name_en, country.name_fr = data["name_en"].strip(), data["name_fr"].strip()
    country.region, country.observer = data["region"], data["observer"]


def cycles() -> list[tuple[Cycle, int]]:
    """Cycles, newest first, each with its number of assessments (one query)."""
    count = db.func.count(Assessment.id)
    rows = db.session.execute(
        db.select(Cycle, count).outerjoin(Assessment, Assessment.cycle_id == Cycle.id)
        .group_by(Cycle.id).order_by(Cycle.opens_on.desc(), Cycle.id.desc()))
    return [(cycle, n) for cycle, n in rows]


def assessment_count(cycle: Cycle) -> int:
    return db.session.scalar(
        db.select(db.func.count(Assessment.id)).where(Assessment.cycle_id == cycle.id)) or 0


def save_cycle(cycle: Cycle | None, data: dict) -> Cycle:
    questionnaire_id, _, version = data["questionnaire"].partition("@")
    if cycle is None:
        cycle = Cycle()
        db.session.add(cycle)
    elif (questionnaire_id, version) != (cycle.questionnaire_id, cycle.questionnaire_version) \
            and assessment_count(cycle):
        # Answers are keyed by the questionnaire's question ids; switching under them
        # would orphan or misread them.
        raise AdminError("questionnaire", _l(
            "This cycle already has assessments, so its questionnaire cannot change."))
    cycle.name = data["name"].strip()
    cycle.questionnaire_id, cycle.questionnaire_version = questionnaire_id, version
    cycle.opens_on, cycle.deadline = data["opens_on"], data["deadline"]
    db.session.flush()
    add_assessments(cycle, data.get("countries") or [])
    return cycle


def add_assessments(cycle: Cycle, codes: list[str]) -> int:
    """Draft assessments for the countries that have none in this cycle yet."""
    existing = set(db.session.scalars(
        db.select(Assessment.country_code).where(Assessment.cycle_id == cycle.id)))
    new = [code for code in dict.fromkeys(codes) if code not in existing]
    db.session.add_all(Assessment(country_code=code, cycle_id=cycle.id, status=State.DRAFT)
                       for code in new)
    db.session.flush()
    return len(new)
