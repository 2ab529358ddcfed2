"""Rows → `ReportInput`: the only place the reports touch the database.

Who sees the secretariat's comments in a report:
- the secretariat and administrators see every comment;
- the country (focal points, contributors, ministry readers) sees a comment once
  the secretariat has decided on the submission it belongs to (changes
  requested or accepted); a comment attached to no submission once the
  assessment itself is in changes requested or accepted. Comments written
  while a reply is still under review stay internal until the decision.
Author names are printed for the secretariat only.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select

from ...catalog import questionnaire as load_questionnaire
from ...core.model import Questionnaire
from ...core.workflow import DECIDED_STATES, Role, State
from ...extensions import db
from ...models import Answer, Assessment, ReviewComment, Submission, User
from ...pdf.context import Comment, ReportInput

STAFF = frozenset({Role.SECRETARIAT, Role.ADMIN})


def questionnaire_of(assessment: Assessment) -> Questionnaire:
    cycle = assessment.cycle
    try:
        return load_questionnaire(cycle.questionnaire_id, cycle.questionnaire_version)
    except KeyError:
        abort(404)


def live_input(assessment: Assessment, user: User, lang: str, kind: str) -> ReportInput:
    """The report on the assessment as it stands now."""
    questionnaire = questionnaire_of(assessment)
    rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id)).all()
    answers = {r.question_id: r.value for r in rows if questionnaire.has_question(r.question_id)
               and r.value is not None}
    explanations = {r.question_id: r.explanation for r in rows if r.explanation}
    submitted = assessment.submitted_at.date().isoformat() if assessment.submitted_at else ""
    return _input(assessment, questionnaire, answers, explanations, user, lang, kind,
                  status=assessment.status.value, submitted_on=submitted, submission=None)


def snapshot_input(submission: Submission, assessment: Assessment, user: User, lang: str,
                   kind: str) -> ReportInput:
    """The report on one immutable submission snapshot."""
    questionnaire = questionnaire_of(assessment)
    answers, explanations = {}, {}
    for qid, entry in (submission.answers or {}).items():
        if not questionnaire.has_question(qid):
            continue
        value = entry.get("value") if isinstance(entry, dict) else entry
        if value is not None:
            answers[qid] = value
        if isinstance(entry, dict) and entry.get("explanation"):
            explanations[qid] = entry["explanation"]
    return _input(assessment, questionnaire, answers, explanations, user, lang, kind,
                  status=submission.outcome.value,
                  submitted_on=submission.submitted_at.date().isoformat(), submission=submission)


def ministry_snapshot(assessment: Assessment) -> Submission | None:
    """What a ministry reads of a reopened assessment: its last accepted snapshot."""
    return db.session.scalars(
        select(Submission).where(Submission.assessment_id == assessment.id,
                                 Submission.outcome == State.ACCEPTED)
        .order_by(Submission.number.desc()).limit(1)).first()


def _input(assessment: Assessment, questionnaire: Questionnaire, answers: dict[str, Any],
           explanations: dict[str, str], user: User, lang: str, kind: str, *, status: str,
           submitted_on: str, submission: Submission | None) -> ReportInput:
    return ReportInput(
        questionnaire=questionnaire,
        answers=answers,
        lang=lang,
        kind=kind,
        explanations=explanations,
        comments=visible_comments(assessment, user, submission),
        country=assessment.country.name(lang) if assessment.country else assessment.country_code,
        cycle=assessment.cycle.name,
        status=status,
        submitted_on=submitted_on,
    )


def visible_comments(assessment: Assessment, user: User,
                     submission: Submission | None) -> tuple[Comment, ...]:
    query = (select(ReviewComment, Submission.outcome)
             .outerjoin(Submission, ReviewComment.submission_id == Submission.id)
             .where(ReviewComment.assessment_id == assessment.id)
             .order_by(ReviewComment.created_at, ReviewComment.id))
    if submission is not None:
        query = query.where(ReviewComment.submission_id == submission.id)
    staff = user.role in STAFF
    comments = []
    for comment, outcome in db.session.execute(query):
        if staff or _decided(comment, outcome, assessment):
            comments.append(Comment(
                body=comment.body,
                question_id=comment.question_id,
                author=(comment.author.name if staff and comment.author else ""),
                date=comment.created_at.date().isoformat(),
            ))
    return tuple(comments)


def _decided(comment: ReviewComment, outcome: State | None, assessment: Assessment) -> bool:
    if comment.submission_id is not None:
        return outcome in DECIDED_STATES
    return assessment.status in DECIDED_STATES
