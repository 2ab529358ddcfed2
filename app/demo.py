"""`flask --app wsgi demo`: demonstration data, safe to run again.

Creates the schema if needed, the countries, a cycle on the Protocol
questionnaire, the demo accounts (password `demo-password`), Estonia's reply
partly filled and Croatia's submitted. Answers go through the same service as
the web pages, so the audit trail, progress and snapshot are real. A second run
changes nothing that already exists.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from . import catalog
from .core.answers import AnswerError, clean
from .core.model import Question, Questionnaire, QuestionType
from .core.workflow import Role, State
from .extensions import db
from .models import Answer, Assessment, Country, Cycle, Submission, User
from .passwords import hash_password
from .schema import ensure_schema
from .services import assessments as service

DEMO_PASSWORD = "demo-password"  # noqa: S105 - published on purpose, demo only
QUESTIONNAIRE_ID = "protocol-self-assessment"
CYCLE_NAME = "2026 reporting cycle"
# Estonia has answered every required question except in this question's section,
# so the focal point can finish that section and submit in a few minutes.
ESTONIA_OPEN_QUESTION = "prv_policies"

ACCOUNTS = (
    ("admin@example.org", Role.ADMIN, None, "Ada Admin"),
    ("secretariat@example.org", Role.SECRETARIAT, None, "Sergio Secretariat"),
    ("focal.est@example.org", Role.FOCAL_POINT, "EST", "Eva Tamm"),
    ("contributor.est@example.org", Role.CONTRIBUTOR, "EST", "Kalle Kask"),
    ("ministry.est@example.org", Role.MINISTRY, "EST", "Estonian Ministry of Justice"),
    ("focal.hrv@example.org", Role.FOCAL_POINT, "HRV", "Ivana Horvat"),
    ("ministry.hrv@example.org", Role.MINISTRY, "HRV", "Croatian Ministry of the Interior"),
)

FALLBACK_COUNTRIES = (
    ("EST", "Estonia", "Estonie", "Eastern European States"),
    ("HRV", "Croatia", "Croatie", "Eastern European States"),
    ("FIN", "Finland", "Finlande", "Western European and other States"),
    ("SWE", "Sweden", "Suède", "Western European and other States"),
    ("LVA", "Latvia", "Lettonie", "Eastern European States"),
    ("SVN", "Slovenia", "Slovénie", "Eastern European States"),
    ("HUN", "Hungary", "Hongrie", "Eastern European States"),
    ("BIH", "Bosnia and Herzegovina", "Bosnie-Herzégovine", "Eastern European States"),
    ("SRB", "Serbia", "Serbie", "Eastern European States"),
)

# Facts from the secretariat's 2008 synthesis (reference/survey-report-2008-fr.md).
FACTS = {
    "HRV": {
        "victims": (6, 13, 11),  # identified in 2005, 2006 and 2007
        "officers_trained": 26,
        "partners": ["SVN", "HUN", "BIH", "SRB"],
        "law": {"instrument": "Criminal Code (Kazneni zakon)", "article": "175", "year": 2006,
                "url": ""},
        # Answers the 2008 report gives for Croatia; the rest is generated plausibly.
        "answers": {"leg_using_services": "yes", "prv_school_curricula": "yes",
                    "prv_campaigns": "yes", "vic_shelters": "yes", "vic_permits": "yes",
                    "vic_return_nationals": "yes", "coo_body": "yes", "coo_coordinator": "yes",
                    "coo_plan": "yes", "trn_provided": "yes"},
        "text": "A national committee and a national coordinator, under a four-year national "
                "programme, meet regularly to coordinate action against trafficking; the "
                "Criminal Code was recently amended to punish knowingly using the services of "
                "a victim.",
    },
    "EST": {
        "victims": (2, 3, 5),
        "officers_trained": 12,
        "partners": ["FIN", "SWE", "LVA"],
        "law": {"instrument": "Penal Code (Karistusseadustik)", "article": "133", "year": 2002,
                "url": "https://www.riigiteataja.ee/"},
        "answers": {"enf_border_controls": "yes", "enf_document_verification": "yes",
                    "leg_predicate": "yes", "prv_school_curricula": "yes", "prv_hotline": "yes",
                    "vic_consular_guidelines": "yes", "coo_body": "yes"},
        "text": "Information on trafficking is part of school curricula; a hotline informs the "
                "public, and ten conferences a year reach officials and NGOs.",
    },
}


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load demonstration data (idempotent; creates the schema if needed)."""
    for line in load_demo():
        click.echo(line)
    click.echo(f"Sign in with any demo account and the password '{DEMO_PASSWORD}'.")


def load_demo(questionnaire_id: str = QUESTIONNAIRE_ID) -> list[str]:
    ensure_schema()
    report = [_countries()]
    questionnaire = catalog.questionnaire(questionnaire_id)
    cycle = _cycle(questionnaire)
    users = {email: _user(email, role, country, name) for email, role, country, name in ACCOUNTS}
    db.session.commit()
    estonia = _assessment("EST", cycle)
    croatia = _assessment("HRV", cycle)
    if _is_untouched(estonia):
        _fill(estonia, questionnaire, users["focal.est@example.org"], share=0.45,
              leave_open=_section_of(questionnaire, ESTONIA_OPEN_QUESTION))
        report.append("Estonia: partly filled.")
    if _is_untouched(croatia):
        _fill(croatia, questionnaire, users["focal.hrv@example.org"], share=1.0)
        try:
            service.submit(croatia, users["focal.hrv@example.org"])
            report.append("Croatia: filled and submitted.")
        except service.SubmissionIncomplete as exc:
            report.append("Croatia: filled; not submitted, missing: "
                          + ", ".join(q.id for q in exc.missing))
    db.session.commit()
    report.append(f"Cycle '{cycle.name}' on {questionnaire.id} {questionnaire.version}; "
                  f"{len(ACCOUNTS)} demo accounts.")
    return report


def _countries() -> str:
    try:
        from .countries import load_countries
    except ImportError:  # pragma: no cover - the country list ships with the app
        load_countries = None
    changed = load_countries() if load_countries else 0
    for code, en, fr, region in FALLBACK_COUNTRIES:
        if db.session.get(Country, code) is None:
            db.session.add(Country(code=code, name_en=en, name_fr=fr, region=region))
    db.session.commit()
    return f"Countries loaded ({changed} change(s))."


def _cycle(questionnaire: Questionnaire) -> Cycle:
    cycle = db.session.scalars(select(Cycle).where(
        Cycle.name == CYCLE_NAME, Cycle.questionnaire_id == questionnaire.id,
        Cycle.questionnaire_version == questionnaire.version)).first()
    if cycle is None:
        cycle = Cycle(name=CYCLE_NAME, questionnaire_id=questionnaire.id,
                      questionnaire_version=questionnaire.version,
                      opens_on=dt.date(2026, 1, 15), deadline=dt.date(2026, 12, 31))
        db.session.add(cycle)
        db.session.flush()
    return cycle


def _user(email: str, role: Role, country: str | None, name: str) -> User:
    user = db.session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, name=name, role=role, country_code=country,
                    password_hash=hash_password(DEMO_PASSWORD))
        db.session.add(user)
        db.session.flush()
    return user


def _assessment(country: str, cycle: Cycle) -> Assessment:
    assessment = db.session.scalars(select(Assessment).where(
        Assessment.country_code == country, Assessment.cycle_id == cycle.id)).first()
    if assessment is None:
        assessment = Assessment(country_code=country, cycle_id=cycle.id, status=State.DRAFT)
        db.session.add(assessment)
        db.session.commit()
    return assessment


def _is_untouched(assessment: Assessment) -> bool:
    has_answer = db.session.scalar(select(Answer.id).where(
        Answer.assessment_id == assessment.id).limit(1)) is not None
    has_submission = db.session.scalar(select(Submission.id).where(
        Submission.assessment_id == assessment.id).limit(1)) is not None
    return not has_answer and not has_submission


def _section_of(questionnaire: Questionnaire, question_id: str) -> str | None:
    if not questionnaire.has_question(question_id):
        return None
    return questionnaire.question(question_id).section_id


def _fill(assessment: Assessment, questionnaire: Questionnaire, user: User, share: float,
          leave_open: str | None = None) -> None:
    """Answer the first `share` of the questions and every required one, in order,
    respecting conditions, except in the section `leave_open`."""
    facts = FACTS[assessment.country_code]
    questions = questionnaire.questions
    limit = round(len(questions) * share)
    values: dict[str, Any] = {}
    changes = []
    for position, question in enumerate(questions):
        if question.section_id == leave_open or (position >= limit and not question.required):
            continue
        if question.condition is not None and not question.condition.evaluate(values):
            continue
        try:
            wanted = facts["answers"].get(question.id) or plausible(question, facts)
            value = clean(question, wanted)
        except AnswerError:  # a bound or option we did not foresee: leave it unanswered
            continue
        if value is None:
            continue
        values[question.id] = value
        changes.append(service.Change(question.id, value, "", service.base_of(None)))
    service.save_answers(assessment, user, changes)


def _pick(question: Question, choices: list[str]) -> str:
    """A stable, varied choice per question, so reports show met and unmet provisions."""
    return choices[zlib.crc32(question.id.encode()) % len(choices)]


def plausible(question: Question, facts: dict) -> Any:
    kind = question.type
    options = [o.value for o in question.options]
    if kind is QuestionType.YES_NO:
        return _pick(question, ["yes", "yes", "yes", "no"])
    if kind is QuestionType.YES_PARTLY_NO:
        return _pick(question, ["yes", "yes", "partly", "no"])
    if kind is QuestionType.SINGLE_CHOICE:
        best = max(question.options, key=lambda o: o.score or 0).value
        return _pick(question, [best, best, options[0]])
    if kind is QuestionType.MULTIPLE_CHOICE:
        return options[: max(1, (len(options) + 1) // 2)]
    if kind in {QuestionType.INTEGER, QuestionType.DECIMAL}:
        return _bounded(question, facts["officers_trained"])
    if kind is QuestionType.STATISTICS:
        return _statistics(question, facts)
    if kind is QuestionType.TEXT:
        return facts["text"]
    if kind is QuestionType.DATE:
        return "2006-07-01"
    if kind is QuestionType.COUNTRIES:
        return facts["partners"]
    if kind is QuestionType.LEGAL_REFERENCE:
        return [facts["law"]]
    return None  # evidence needs a real file


def _bounded(question: Question, wanted: float) -> int | float:
    low = question.minimum if question.minimum is not None else 0
    high = question.maximum if question.maximum is not None else wanted
    value = min(max(wanted, low), high)
    return int(value) if question.type is QuestionType.INTEGER else float(value)


def _statistics(question: Question, facts: dict) -> dict:
    """The 2008 report's victim counts (2005-2007) moved onto the questionnaire's last
    three years, which is where the question asks; small figures elsewhere."""
    years = [str(y) for y in question.years][-3:]
    victims = facts["victims"][-len(years):] if years else ()
    table: dict[str, dict] = {}
    for metric in question.metrics:
        if metric.id == "police":
            base = (facts["officers_trained"],) * len(years)
        elif "victim" in metric.id:
            base = victims
        else:
            base = tuple(max(1, v // 2) for v in victims)
        table[metric.id] = {year: {"total": n} for year, n in zip(years, base, strict=False)}
    return table


