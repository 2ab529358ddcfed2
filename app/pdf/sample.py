"""Complete, valid answers to any questionnaire: for the benchmark, the demo and
report tests ("best" scores every choice at its highest, "worst" at its lowest)."""

from __future__ import annotations

from typing import Any

from ..core.answers import clean
from ..core.model import BREAKDOWNS, Question, Questionnaire, QuestionType

TEXT = {
    "en": "Measures are in place and were reviewed in the last reporting period; the "
          "national coordinating body monitors their implementation.",
    "fr": "Des mesures sont en place et ont été réexaminées au cours de la dernière période ; "
          "l'organe national de coordination suit leur mise en œuvre.",
}


def sample_answers(questionnaire: Questionnaire, quality: str = "best",
                   lang: str = "en") -> dict[str, Any]:
    answers = {}
    for question in questionnaire.questions:
        value = _value(question, quality, lang)
        if value is not None:
            answers[question.id] = clean(question, value)
    return answers


def _value(question: Question, quality: str, lang: str) -> Any:
    kind = question.type
    if kind.is_choice:
        return _choice(question, quality)
    if kind in (QuestionType.INTEGER, QuestionType.DECIMAL):
        return _number(question)
    if kind is QuestionType.STATISTICS:
        return _statistics(question)
    return {
        QuestionType.TEXT: TEXT.get(lang, TEXT["en"]),
        QuestionType.DATE: "2021-06-30",
        QuestionType.COUNTRIES: ["FRA", "ITA", "NGA"],
        QuestionType.LEGAL_REFERENCE: [{"instrument": "Criminal Code", "article": "225-4-1",
                                        "year": 2003, "url": "https://example.org/code"}],
        QuestionType.EVIDENCE: ["national-action-plan.pdf"],
    }.get(kind)


def _choice(question: Question, quality: str) -> Any:
    options = sorted(question.options, key=lambda o: o.score or 0.0,
                     reverse=quality == "best")
    if not options:
        return None
    if question.type is QuestionType.MULTIPLE_CHOICE:
        return [o.value for o in options] if quality == "best" else [options[0].value]
    return options[0].value


def _number(question: Question) -> int:
    low = question.minimum if question.minimum is not None else 0
    high = question.maximum if question.maximum is not None else low + 100
    return int(low + (high - low) // 2)


def _statistics(question: Question) -> dict[str, Any]:
    table = {}
    for m, metric in enumerate(question.metrics):
        table[metric.id] = {}
        for y, year in enumerate(question.years):
            total = 40 + 17 * m + 23 * y
            cell: dict[str, Any] = {"total": total}
            for dimension in question.breakdowns:
                first, *rest = BREAKDOWNS[dimension]
                cell[dimension] = {first: total // 2, rest[0]: total - total // 2}
            table[metric.id][str(year)] = cell
    return table
