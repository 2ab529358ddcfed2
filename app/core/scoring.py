"""Scoring and gap analysis: pure functions from a questionnaire and answers.

Rules (DESIGN.md, scoring principles):
- a question scores in [0, 1], or None when unanswered, not applicable or hidden;
- aggregates are means of question scores weighted by question weight × the
  obligation weight of the provisions it cites, × 100, over what was scored;
  completeness (answered share of visible questions) is reported beside them;
- questions that cite only good practices feed their own column, never the
  treaty score, and their shortfalls are never called non-compliance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .answers import is_empty
from .model import NOT_APPLICABLE, Obligation, Question, Questionnaire, QuestionType, Text


class Status(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True, slots=True)
class Aggregate:
    score: float | None  # 0-100, None when nothing was scored
    completeness: float  # 0-100: answered share of the visible questions
    scored: int
    answered: int
    visible: int


@dataclass(frozen=True, slots=True)
class SectionResult:
    id: str
    aggregate: Aggregate


@dataclass(frozen=True, slots=True)
class ThemeResult:
    id: str
    scored: bool
    aggregate: Aggregate
    sections: tuple[SectionResult, ...]


@dataclass(frozen=True, slots=True)
class ProvisionResult:
    id: str
    obligation: Obligation
    status: Status
    score: float | None  # 0-100
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    question: str
    provisions: tuple[str, ...]
    obligation: Obligation
    score: float
    severity: float
    recommendation: Text


@dataclass(frozen=True)
class ScoreResult:
    overall: Aggregate
    themes: tuple[ThemeResult, ...]
    provisions: tuple[ProvisionResult, ...]
    gaps: tuple[Gap, ...]  # treaty obligations, most severe first
    good_practice: Aggregate
    good_practice_gaps: tuple[Gap, ...]
    question_scores: Mapping[str, float | None]
    visible: frozenset[str]

    def theme(self, theme_id: str) -> ThemeResult:
        return next(t for t in self.themes if t.id == theme_id)

    def provision(self, provision_id: str) -> ProvisionResult:
        return next(p for p in self.provisions if p.id == provision_id)


def visible_questions(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> frozenset[str]:
    """Ids of questions whose show-if condition holds, deciding in document order
    so that a question hidden by its own condition hides its dependants too."""
    values: dict[str, Any] = {}
    visible = set()
    for question in questionnaire.questions:
        if question.condition is None or question.condition.evaluate(values):
            visible.add(question.id)
            value = answers.get(question.id)
            if not is_empty(value) and value != NOT_APPLICABLE:
                values[question.id] = value
    return frozenset(visible)


def question_score(question: Question, value: Any) -> float | None:
    """The score of one answer in [0, 1], or None when it does not score."""
    if not question.scored or is_empty(value) or value == NOT_APPLICABLE:
        return None
    if question.type is QuestionType.MULTIPLE_CHOICE:
        chosen = [o.score or 0.0 for o in question.options if o.value in value]
        return min(1.0, sum(chosen)) if chosen else None
    option = question.option(value) if isinstance(value, str) else None
    return None if option is None else option.score


def obligation_of(question: Question, questionnaire: Questionnaire) -> Obligation:
    """The strongest obligation a question assesses; good practice only when it
    cites nothing else."""
    obligations = [questionnaire.provisions[p].obligation for p in question.provisions
                   if p in questionnaire.provisions]
    treaty = [o for o in obligations if o is not Obligation.GOOD_PRACTICE]
    if not treaty:
        return Obligation.GOOD_PRACTICE if obligations else Obligation.NONE
    return max(treaty, key=lambda o: o.weight)


class _Accumulator:
    __slots__ = ("answered", "scored", "visible", "weight", "weighted")

    def __init__(self):
        self.weighted = self.weight = 0.0
        self.scored = self.answered = self.visible = 0

    def add(self, answered: bool, score: float | None, weight: float) -> None:
        """Count one visible question."""
        self.visible += 1
        self.answered += answered
        if score is not None and weight > 0:
            self.scored += 1
            self.weight += weight
            self.weighted += weight * score

    def merge(self, other: _Accumulator) -> None:
        """Sums are additive, so themes and the total are built from their sections."""
        self.visible += other.visible
        self.answered += other.answered
        self.scored += other.scored
        self.weight += other.weight
        self.weighted += other.weighted

    def result(self) -> Aggregate:
        score = 100.0 * self.weighted / self.weight if self.weight else None
        completeness = 100.0 * self.answered / self.visible if self.visible else 100.0
        return Aggregate(score, completeness, self.scored, self.answered, self.visible)


@dataclass(frozen=True, slots=True)
class _Step:
    """What scoring needs to know about one question, worked out once per questionnaire."""

    question: Question
    scored: bool  # a scored question in a scored theme
    obligation: Obligation
    weight: float  # question weight x obligation weight
    good_practice: bool


def _plan(questionnaire: Questionnaire) -> tuple[tuple[tuple[_Step, ...], ...], ...]:
    """Steps grouped by theme and section, cached on the (immutable) questionnaire."""
    plan = questionnaire.__dict__.get("_scoring_plan")
    if plan is None:
        plan = tuple(
            tuple(
                tuple(_step(questionnaire, theme.scored, q) for q in section.questions)
                for section in theme.sections
            )
            for theme in questionnaire.themes
        )
        questionnaire.__dict__["_scoring_plan"] = plan  # frozen: bypass __setattr__ once
    return plan


def _step(questionnaire: Questionnaire, theme_scored: bool, question: Question) -> _Step:
    obligation = obligation_of(question, questionnaire)
    return _Step(question, theme_scored and question.scored, obligation,
                 question.weight * obligation.weight, obligation is Obligation.GOOD_PRACTICE)


def score(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> ScoreResult:
    visible = visible_questions(questionnaire, answers)
    overall, good_practice = _Accumulator(), _Accumulator()
    scores: dict[str, float | None] = {}
    by_provision: dict[str, list[tuple[str, float]]] = {}
    gaps: list[Gap] = []
    gp_gaps: list[Gap] = []
    themes = []
    for theme, theme_plan in zip(questionnaire.themes, _plan(questionnaire), strict=True):
        theme_acc, sections = _Accumulator(), []
        for section, steps in zip(theme.sections, theme_plan, strict=True):
            section_acc = _Accumulator()
            for step in steps:
                question = step.question
                if question.id not in visible:
                    scores[question.id] = None
                    continue
                value = answers.get(question.id)
                result = question_score(question, value) if step.scored else None
                scores[question.id] = result
                answered = not is_empty(value)
                if step.good_practice:
                    section_acc.add(answered, None, step.weight)
                    good_practice.add(answered, result, step.weight)
                else:
                    section_acc.add(answered, result, step.weight)
                if result is None:
                    continue
                for pid in question.provisions:
                    by_provision.setdefault(pid, []).append((question.id, result))
                if result < 1.0:
                    gap = Gap(question.id, question.provisions, step.obligation, result,
                              step.obligation.weight * (1.0 - result), question.recommendation)
                    (gp_gaps if step.good_practice else gaps).append(gap)
            theme_acc.merge(section_acc)
            sections.append(SectionResult(section.id, section_acc.result()))
        overall.merge(theme_acc)
        themes.append(ThemeResult(theme.id, theme.scored, theme_acc.result(), tuple(sections)))
    return ScoreResult(
        overall=overall.result(),
        themes=tuple(themes),
        provisions=tuple(_provision_result(provision.id, provision.obligation,
                                           by_provision.get(provision.id, ()))
                         for provision in questionnaire.provisions.values()),
        gaps=_by_severity(gaps),
        good_practice=good_practice.result(),
        good_practice_gaps=_by_severity(gp_gaps),
        question_scores=scores,
        visible=visible,
    )


def _by_severity(gaps: list[Gap]) -> tuple[Gap, ...]:
    # sorted() is stable: equal severities keep questionnaire order.
    return tuple(sorted(gaps, key=lambda g: -g.severity))


def _provision_result(pid: str, obligation: Obligation,
                      found: Sequence[tuple[str, float]]) -> ProvisionResult:
    if not found:
        return ProvisionResult(pid, obligation, Status.NOT_ASSESSED, None, ())
    values = [s for _, s in found]
    low, high = min(values), max(values)
    if low >= 1.0:
        status = Status.MET
    elif high <= 0.0:
        status = Status.NOT_MET
    else:
        status = Status.PARTLY_MET
    mean = 100.0 * sum(values) / len(values)
    return ProvisionResult(pid, obligation, status, mean, tuple(q for q, _ in found))


def result_as_dict(questionnaire: Questionnaire, result: ScoreResult, lang: str = "en") -> dict:
    """The JSON shape of `questionnaire score` (documented in questionnaires/README.md)."""

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    def gap(g: Gap) -> dict:
        return {"question": g.question, "provisions": list(g.provisions),
                "obligation": g.obligation.value, "score": round(g.score, 3),
                "severity": round(g.severity, 3), "recommendation": g.recommendation.get(lang)}

    return {
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "overall": rounded(result.overall.score),
        "completeness": rounded(result.overall.completeness),
        "themes": [
            {"id": t.id, "scored": t.scored, "score": rounded(t.aggregate.score),
             "completeness": rounded(t.aggregate.completeness),
             "sections": [{"id": s.id, "score": rounded(s.aggregate.score),
                           "completeness": rounded(s.aggregate.completeness)}
                          for s in t.sections]}
            for t in result.themes
        ],
        "provisions": [{"id": p.id, "obligation": p.obligation.value, "status": p.status.value,
                        "score": rounded(p.score)} for p in result.provisions],
        "gaps": [gap(g) for g in result.gaps],
        "good_practice": {"score": rounded(result.good_practice.score),
                          "completeness": rounded(result.good_practice.completeness),
                          "gaps": [gap(g) for g in result.good_practice_gaps]},
    }
