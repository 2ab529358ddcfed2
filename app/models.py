"""Database rows. Services turn them into core objects; views never query directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .core.workflow import Role, State
from .extensions import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Country(db.Model):
    code: Mapped[str] = mapped_column(String(3), primary_key=True)  # ISO 3166-1 alpha-3
    name_en: Mapped[str] = mapped_column(String(120))
    name_fr: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(40), index=True)
    observer: Mapped[bool] = mapped_column(default=False)

    def name(self, lang: str) -> str:
        return self.name_fr if lang == "fr" else self.name_en


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(db.Enum(Role, native_enum=False, length=20))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("country.code"), index=True)
    # Contributors may be limited to some themes (None: all themes).
    themes: Mapped[list[str] | None] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(5), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change and logout-everywhere; part of the session id.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]

    country: Mapped[Country | None] = relationship(lazy="joined")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active


class LoginThrottle(db.Model):
    """Failed logins per key ('account:EMAIL' or 'address:IP') in a sliding window."""

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[dt.datetime | None]


class OneTimeToken(db.Model):
    """Invitation and password-reset links; only a hash of the token is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # invite | reset
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Cycle(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    questionnaire_id: Mapped[str] = mapped_column(String(64))
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    opens_on: Mapped[dt.date]
    deadline: Mapped[dt.date]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Assessment(db.Model):
    """One country's reply in one cycle."""

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id"), index=True)
    status: Mapped[State] = mapped_column(
        db.Enum(State, native_enum=False, length=20), default=State.DRAFT, index=True
    )
    version: Mapped[int] = mapped_column(default=1)  # +1 at each reopening
    # Denormalised summary, refreshed on every save, so lists never score 190 replies.
    progress: Mapped[float] = mapped_column(default=0.0)
    score: Mapped[float | None]
    theme_progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    accepted_at: Mapped[dt.datetime | None]

    country: Mapped[Country] = relationship(lazy="joined")
    cycle: Mapped[Cycle] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("country_code", "cycle_id"),)


class Answer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"))
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    explanation: Mapped[str] = mapped_column(Text, default="")
    # Optimistic locking: a save names the revision it started from.
    revision: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    updated_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)


class Evidence(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded, for display only
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # random, on disk
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Submission(db.Model):
    """An immutable snapshot taken at each submit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    number: Mapped[int]  # 1, 2, ... within the assessment
    assessment_version: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)  # {qid: {"value", "explanation"}}
    score: Mapped[float | None]
    outcome: Mapped[State] = mapped_column(
        db.Enum(State, native_enum=False, length=20), default=State.SUBMITTED
    )
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]

    __table_args__ = (UniqueConstraint("assessment_id", "number"),)


class ReviewComment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"))
    question_id: Mapped[str | None] = mapped_column(String(64))  # None: overall comment
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class AuditEvent(db.Model):
    """Who did what, when, with the value before and after."""

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40))
    question_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_audit_event_assessment_created", "assessment_id", "created_at"),)
