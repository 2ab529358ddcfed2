"""The questionnaire as immutable plain data.

Built once by `app.core.loader` from YAML and shared by the web forms, the
scoring and the PDF reports; nothing here knows about Flask or a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any

from .conditions import Condition

NOT_APPLICABLE = "not_applicable"
"""The answer value that marks a question as not applicable (where allowed)."""


class Obligation(StrEnum):
    MANDATORY = "mandatory"
    MANDATORY_QUALIFIED = "mandatory_qualified"
    CONSIDER = "consider"
    ENDEAVOUR = "endeavour"
    GOOD_PRACTICE = "good_practice"
    NONE = "none"

    @property
    def weight(self) -> int:
        """Weight in aggregates and gap severity (DESIGN.md, scoring principles)."""
        return _OBLIGATION_WEIGHTS[self]


_OBLIGATION_WEIGHTS = {
    Obligation.MANDATORY: 3,
    Obligation.MANDATORY_QUALIFIED: 2,
    Obligation.CONSIDER: 1,
    Obligation.ENDEAVOUR: 1,
    Obligation.GOOD_PRACTICE: 1,
    Obligation.NONE: 1,
}


class Instrument(StrEnum):
    PROTOCOL = "protocol"
    UNTOC = "untoc"
    GOOD_PRACTICE = "good_practice"


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    YES_PARTLY_NO = "yes_partly_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    INTEGER = "integer"
    DECIMAL = "decimal"
    STATISTICS = "statistics"
    TEXT = "text"
    DATE = "date"
    COUNTRIES = "countries"
    LEGAL_REFERENCE = "legal_reference"
    EVIDENCE = "evidence"

    @property
    def is_choice(self) -> bool:
        return self in CHOICE_TYPES


CHOICE_TYPES = frozenset(
    {
        QuestionType.YES_NO,
        QuestionType.YES_PARTLY_NO,
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
    }
)


@dataclass(frozen=True, slots=True)
class Text:
    """Human text in several languages; English is always present."""

    values: MappingProxyType

    @classmethod
    def of(cls, values: dict[str, str]) -> Text:
        return cls(MappingProxyType(dict(values)))

    def get(self, lang: str) -> str:
        return self.values.get(lang) or self.values.get("en", "")

    def as_dict(self) -> dict[str, str]:
        return dict(self.values)

    def __bool__(self) -> bool:
        return bool(self.values)


EMPTY_TEXT = Text.of({})


@dataclass(frozen=True, slots=True)
class Provision:
    id: str
    instrument: Instrument
    article: int | None
    paragraph: str | None
    obligation: Obligation
    title: Text
    summary: Text

    @property
    def is_good_practice(self) -> bool:
        return self.obligation is Obligation.GOOD_PRACTICE

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "instrument": self.instrument.value,
            "article": self.article,
            "paragraph": self.paragraph,
            "obligation": self.obligation.value,
            "title": self.title.as_dict(),
            "summary": self.summary.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: Text
    score: float | None  # None only on unscored questions


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    label: Text


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: QuestionType
    label: Text
    help: Text = EMPTY_TEXT
    required: bool = False
    condition: Condition | None = None
    not_applicable: bool = False
    provisions: tuple[str, ...] = ()
    weight: float = 1.0
    options: tuple[Option, ...] = ()
    recommendation: Text = EMPTY_TEXT
    minimum: float | None = None
    maximum: float | None = None
    metrics: tuple[Metric, ...] = ()
    years: tuple[int, ...] = ()
    breakdowns: tuple[str, ...] = ()
    theme_id: str = ""
    section_id: str = ""
    # Scored questions are choice questions that cite a provision (derived, stored
    # because scoring asks it of every question of every assessment).
    scored: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        scored = self.type.is_choice and bool(self.provisions) and self.weight > 0
        object.__setattr__(self, "scored", scored)

    def option(self, value: str) -> Option | None:
        for option in self.options:
            if option.value == value:
                return option
        return None


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: Text
    questions: tuple[Question, ...]
    intro: Text = EMPTY_TEXT


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    title: Text
    sections: tuple[Section, ...]
    scored: bool = True

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for section in self.sections for q in section.questions)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    languages: tuple[str, ...]
    title: Text
    themes: tuple[Theme, ...]
    provisions: MappingProxyType  # id -> Provision: the whole catalogue, in its order
    description: Text = EMPTY_TEXT
    source: str = ""
    _by_id: MappingProxyType = field(default_factory=lambda: MappingProxyType({}), repr=False)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for theme in self.themes for q in theme.questions)

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._by_id

    def section(self, section_id: str) -> Section | None:
        for theme in self.themes:
            for section in theme.sections:
                if section.id == section_id:
                    return section
        return None

    def theme_of(self, question_id: str) -> Theme:
        theme_id = self._by_id[question_id].theme_id
        return next(t for t in self.themes if t.id == theme_id)

    def cited_provisions(self) -> list[Provision]:
        """Provisions cited by at least one question, in catalogue order."""
        cited = {pid for q in self.questions for pid in q.provisions}
        return [p for pid, p in self.provisions.items() if pid in cited]


# Breakdown dimensions for statistics tables, after the UNODC data collection.
BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "sex": ("female", "male", "other"),
    "age": ("adult", "child"),
    "exploitation": (
        "sexual_exploitation",
        "forced_labour",
        "organ_removal",
        "begging",
        "forced_criminality",
        "illegal_adoption",
        "forced_marriage",
        "other",
    ),
}

DEFAULT_SCORES = {
    QuestionType.YES_NO: {"yes": 1.0, "no": 0.0},
    QuestionType.YES_PARTLY_NO: {"yes": 1.0, "partly": 0.5, "no": 0.0},
}
