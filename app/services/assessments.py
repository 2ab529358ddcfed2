"""Filling, submitting and reviewing assessments.

Every function here flushes and leaves the single commit to the view at the end
of the request, so a request either lands whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.attributes import set_committed_value

from .. import catalog
from ..core.answers import is_empty
from ..core.model import Question, Questionnaire
from ..core.scoring import ScoreResult, score, visible_questions
from ..core.workflow import DECIDED_STATES, Action, State, next_state
from ..extensions import db
from ..models import (
    Answer,
    Assessment,
    AuditEvent,
    Country,
    Cycle,
    ReviewComment,
    Submission,
    User,
    utcnow,
)


class SubmissionIncomplete(Exception):
    """Required visible questions are unanswered; `missing` lists them in order."""

    def __init__(self, missing: list[Question]):
        super().__init__(", ".join(q.id for q in missing))
        self.missing = missing


# ---------------------------------------------------------------- reading


def questionnaire_of(assessment: Assessment) -> Questionnaire:
    cycle = assessment.cycle
    return catalog.questionnaire(cycle.questionnaire_id, cycle.questionnaire_version)


def answer_rows(assessment: Assessment) -> dict[str, Answer]:
    """Every answer of the assessment in one query, by question id."""
    rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id))
    return {row.question_id: row for row in rows}


def values_of(rows: dict[str, Answer]) -> dict[str, Any]:
    return {qid: row.value for qid, row in rows.items() if not is_empty(row.value)}


def fingerprint(value: Any, explanation: str) -> str:
    """A short hash of an answer, so a save can tell whether the person changed it."""
    text = json.dumps([value, explanation or ""], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def base_of(row: Answer | None) -> str:
    """What a form carries about the answer it was loaded with: 'revision.fingerprint'."""
    if row is None:
        return f"0.{fingerprint(None, '')}"
    return f"{row.revision}.{fingerprint(row.value, row.explanation)}"


def _parse_base(base: str | None) -> tuple[int, str]:
    revision, _, print_ = (base or "").partition(".")
    try:
        return int(revision), print_
    except ValueError:
        return -1, ""  # unreadable: treated as stale, never as a licence to overwrite


# ---------------------------------------------------------------- saving


@dataclass(frozen=True)
class Change:
    question_id: str
    value: Any  # already cleaned by app.core.answers.clean
    explanation: str
    base: str


@dataclass(frozen=True)
class Conflict:
    question_id: str
    theirs: Any
    their_explanation: str
    by: str
    at: dt.datetime | None
    base: str  # the current revision: saving again with it overwrites deliberately


@dataclass
class SaveOutcome:
    saved: dict[str, str] = field(default_factory=dict)  # question id -> new base
    conflicts: dict[str, Conflict] = field(default_factory=dict)
    changed: int = 0


def save_answers(assessment: Assessment, user: User, changes: Iterable[Change],
                 rows: dict[str, Answer] | None = None) -> SaveOutcome:
    """Apply `changes`, refusing any whose answer moved on since the person loaded it.

    An answer the person did not touch (its fingerprint still matches what they
    loaded) is never written, so a stale page cannot undo a colleague's save.
    """
    rows = answer_rows(assessment) if rows is None else rows
    outcome = SaveOutcome()
    for change in changes:
        row = rows.get(change.question_id)
        current = base_of(row)
        new_print = fingerprint(change.value, change.explanation)
        if current.partition(".")[2] == new_print:
            outcome.saved[change.question_id] = current  # already so: nothing to write
            continue
        revision, loaded_print = _parse_base(change.base)
        if revision != (row.revision if row else 0):
            if loaded_print == new_print:
                continue  # untouched field on a stale page: keep the newer answer
            outcome.conflicts[change.question_id] = _conflict(change.question_id, row)
            continue
        saved = _write(assessment, user, change, row)
        if saved is None:  # somebody saved between our read and our write
            fresh = db.session.scalars(select(Answer).where(
                Answer.assessment_id == assessment.id,
                Answer.question_id == change.question_id)).one_or_none()
            outcome.conflicts[change.question_id] = _conflict(change.question_id, fresh)
            continue
        rows[change.question_id] = saved
        outcome.saved[change.question_id] = base_of(saved)
        outcome.changed += 1
    if outcome.changed:
        refresh_summary(assessment, values_of(rows))
    db.session.flush()
    return outcome


def _conflict(question_id: str, row: Answer | None) -> Conflict:
    by = row.updated_by.name or row.updated_by.email if row and row.updated_by else ""
    return Conflict(question_id, row.value if row else None, row.explanation if row else "",
                    by, row.updated_at if row else None, base_of(row))


def _write(assessment: Assessment, user: User, change: Change, row: Answer | None) -> Answer | None:
    """Write one answer with a compare-and-set on its revision; None if it lost the race."""
    now = utcnow()
    before = None if row is None else {"value": row.value, "explanation": row.explanation}
    if row is None:
        row = Answer(assessment_id=assessment.id, question_id=change.question_id,
                     value=change.value, explanation=change.explanation, revision=1,
                     updated_by_id=user.id, updated_at=now)
        try:
            with db.session.begin_nested():  # a concurrent first save hits the unique key
                db.session.add(row)
        except IntegrityError:
            return None
    else:
        result = db.session.execute(
            update(Answer)
            .where(Answer.id == row.id, Answer.revision == row.revision)
            .values(value=change.value, explanation=change.explanation,
                    revision=row.revision + 1, updated_by_id=user.id, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            db.session.expire(row)
            return None
        for name, value in (("value", change.value), ("explanation", change.explanation),
                            ("revision", row.revision + 1), ("updated_by_id", user.id),
                            ("updated_at", now)):
            set_committed_value(row, name, value)
        set_committed_value(row, "updated_by", user)
    audit(assessment, user, "answer", question_id=change.question_id, before=before,
          after={"value": change.value, "explanation": change.explanation})
    return row


def refresh_summary(assessment: Assessment, values: dict[str, Any],
                    result: ScoreResult | None = None) -> ScoreResult:
    """Denormalised progress and score, so lists never score every reply."""
    result = result or score(questionnaire_of(assessment), values)
    assessment.progress = round(result.overall.completeness, 1)
    assessment.score = None if result.overall.score is None else round(result.overall.score, 1)
    assessment.theme_progress = {t.id: round(t.aggregate.completeness, 1) for t in result.themes}
    assessment.updated_at = utcnow()
    return result


def audit(assessment: Assessment | None, user: User | None, action: str, *,
          question_id: str | None = None, before: Any = None, after: Any = None) -> None:
    db.session.add(AuditEvent(assessment_id=assessment.id if assessment else None,
                              actor_id=user.id if user else None, action=action,
                              question_id=question_id, before=before, after=after,
                              created_at=utcnow()))


# ---------------------------------------------------------------- workflow


def missing_required(questionnaire: Questionnaire, values: dict[str, Any]) -> list[Question]:
    visible = visible_questions(questionnaire, values)
    return [q for q in questionnaire.questions
            if q.required and q.id in visible and is_empty(values.get(q.id))]


def _move(assessment: Assessment, user: User, action: Action) -> State:
    """Apply a workflow action (TransitionError if not allowed) and audit it."""
    before = assessment.status
    assessment.status = next_state(before, action, user.role)
    audit(assessment, user, action.value, before=before.value, after=assessment.status.value)
    return assessment.status


def latest_submission(assessment: Assessment) -> Submission | None:
    return db.session.scalars(
        select(Submission).where(Submission.assessment_id == assessment.id)
        .order_by(Submission.number.desc()).limit(1)
    ).first()


def submit(assessment: Assessment, user: User) -> Submission:
    """Freeze a snapshot of the answers and score; only when nothing required is missing."""
    questionnaire = questionnaire_of(assessment)
    rows = answer_rows(assessment)
    values = values_of(rows)
    missing = missing_required(questionnaire, values)
    if missing:
        raise SubmissionIncomplete(missing)
    _move(assessment, user, Action.SUBMIT)
    result = refresh_summary(assessment, values)
    now = utcnow()
    number = (db.session.scalar(select(func.max(Submission.number))
                                .where(Submission.assessment_id == assessment.id)) or 0) + 1
    visible = result.visible
    snapshot = Submission(
        assessment_id=assessment.id, number=number, assessment_version=assessment.version,
        answers={qid: {"value": row.value, "explanation": row.explanation}
                 for qid, row in rows.items() if qid in visible},
        score=assessment.score, outcome=State.SUBMITTED, submitted_by_id=user.id,
        submitted_at=now,
    )
    db.session.add(snapshot)
    assessment.submitted_at = now
    db.session.flush()
    return snapshot


def request_changes(assessment: Assessment, user: User) -> None:
    _decide(assessment, user, Action.REQUEST_CHANGES, State.CHANGES_REQUESTED)


def accept(assessment: Assessment, user: User) -> None:
    _decide(assessment, user, Action.ACCEPT, State.ACCEPTED)
    assessment.accepted_at = utcnow()
    db.session.flush()


def _decide(assessment: Assessment, user: User, action: Action, outcome: State) -> None:
    _move(assessment, user, action)
    snapshot = latest_submission(assessment)
    if snapshot is not None:
        snapshot.outcome = outcome
        snapshot.decided_at = utcnow()
    db.session.flush()


def reopen(assessment: Assessment, user: User) -> None:
    """A new version in draft; the accepted snapshot is untouched and stays readable."""
    _move(assessment, user, Action.REOPEN)
    assessment.version += 1
    db.session.flush()


# ---------------------------------------------------------------- comments


def add_comment(assessment: Assessment, user: User, body: str,
                question_id: str | None = None) -> ReviewComment:
    snapshot = latest_submission(assessment)
    comment = ReviewComment(assessment_id=assessment.id,
                            submission_id=snapshot.id if snapshot else None,
                            question_id=question_id, body=body, author_id=user.id,
                            created_at=utcnow())
    db.session.add(comment)
    audit(assessment, user, "comment", question_id=question_id, after=body)
    db.session.flush()
    return comment


def comments_for(assessment: Assessment, *, undecided: bool = False,
                 ) -> dict[str | None, list[ReviewComment]]:
    """Comments on this version of the assessment, by question id (None: overall);
    `undecided` also returns those of a review still in progress (secretariat only)."""
    if not undecided and assessment.submitted_at is None:
        return {}  # a country reads decided reviews only, and none comes before a submission
    version_submissions = select(Submission.id).where(
        Submission.assessment_id == assessment.id,
        Submission.assessment_version == assessment.version)
    if not undecided:
        version_submissions = version_submissions.where(
            Submission.outcome.in_(DECIDED_STATES))
    in_version = ReviewComment.submission_id.in_(version_submissions)
    if undecided:  # comments not yet tied to a submission are drafts of the review
        in_version = in_version | ReviewComment.submission_id.is_(None)
    rows = db.session.scalars(
        select(ReviewComment)
        .where(ReviewComment.assessment_id == assessment.id, in_version)
        .options(lazyload(ReviewComment.author))  # pages show the text, not the author
        .order_by(ReviewComment.created_at)
    )
    grouped: dict[str | None, list[ReviewComment]] = {}
    for comment in rows:
        grouped.setdefault(comment.question_id, []).append(comment)
    return grouped


# ---------------------------------------------------------------- lists


def country_assessments(country_code: str) -> list[Assessment]:
    """A country's assessments, newest first; cycle and country come in the same query."""
    query = (select(Assessment).where(Assessment.country_code == country_code)
             .order_by(Assessment.created_at.desc(), Assessment.id.desc()))
    return list(db.session.scalars(query))


def review_page(cycle_id: int | None, status: str | None, region: str | None,
                page: int, per_page: int = 25):
    """A page of every assessment, filtered; two queries whatever the number."""
    query = select(Assessment).join(Country).order_by(Country.name_en, Assessment.id)
    if cycle_id:
        query = query.where(Assessment.cycle_id == cycle_id)
    if status in set(State):
        query = query.where(Assessment.status == State(status))
    if region:
        query = query.where(Country.region == region)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def filter_choices() -> tuple[list[Cycle], list[str]]:
    cycles = list(db.session.scalars(select(Cycle).order_by(Cycle.opens_on.desc())))
    regions = list(db.session.scalars(select(Country.region).distinct().order_by(Country.region)))
    return cycles, regions


def submissions_of(assessment: Assessment) -> list[Submission]:
    return list(db.session.scalars(select(Submission).where(
        Submission.assessment_id == assessment.id).order_by(Submission.number)))


def submission(assessment: Assessment, number: int) -> Submission | None:
    return db.session.scalars(select(Submission).where(
        Submission.assessment_id == assessment.id, Submission.number == number)).first()


def audit_page(assessment: Assessment, page: int, per_page: int = 50):
    query = (select(AuditEvent).where(AuditEvent.assessment_id == assessment.id)
             .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def country_names(lang: str) -> list[tuple[str, str]]:
    rows = db.session.execute(select(Country.code, Country.name_en, Country.name_fr))
    names = [(code, fr if lang == "fr" and fr else en) for code, en, fr in rows]
    return sorted(names, key=lambda item: item[1])


def ministry_snapshots(assessment_ids: list[int]) -> dict[int, dict[str, Submission]]:
    """Per assessment, its latest accepted and latest pending submission (one query)."""
    if not assessment_ids:
        return {}
    rows = db.session.scalars(
        select(Submission).where(Submission.assessment_id.in_(assessment_ids),
                                 Submission.outcome.in_([State.SUBMITTED, State.ACCEPTED]))
        .order_by(Submission.number))
    found: dict[int, dict[str, Submission]] = {}
    for row in rows:  # later numbers overwrite earlier ones: the latest of each kind wins
        found.setdefault(row.assessment_id, {})[row.outcome.value] = row
    return found
