"""What a report shows, as plain values: strings, numbers, lists and dicts.

Templates get nothing else (no ORM rows, no core objects), so they cannot run a
query or reach a file, and a report depends only on a `ReportInput`, which is
what the cache hashes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.model import (
    NOT_APPLICABLE,
    Instrument,
    Provision,
    Question,
    Questionnaire,
    QuestionType,
)
from ..core.scoring import Gap, ScoreResult, Status, score
from . import charts
from .labels import format_date, format_number, labels_for

KINDS = ("gap", "summary")
MAX_FIELD = 20_000  # characters of one explanation or comment printed
SUMMARY_GAPS = 10
SUMMARY_STATISTICS = 2


@dataclass(frozen=True)
class Comment:
    body: str
    question_id: str | None = None  # None: a comment on the whole reply
    author: str = ""
    date: str = ""  # ISO date


@dataclass(frozen=True)
class ReportInput:
    """Everything a report depends on; the cache key is a hash of it."""

    questionnaire: Questionnaire
    answers: Mapping[str, Any]
    lang: str = "en"
    kind: str = "gap"
    explanations: Mapping[str, str] = field(default_factory=dict)
    comments: tuple[Comment, ...] = ()
    country: str = ""
    cycle: str = ""
    status: str = ""  # an assessment State value, or ""
    submitted_on: str = ""  # ISO date, or ""


def build_context(inp: ReportInput, result: ScoreResult | None = None) -> dict[str, Any]:
    q, lang = inp.questionnaire, inp.lang
    result = result or score(q, inp.answers)
    L = labels_for(lang)
    fmt = _Formatter(q, lang, L, inp.answers)
    statistics = _statistics(q, inp.answers, fmt)
    themes = _themes(q, result, fmt)
    title = L["summary" if inp.kind == "summary" else "gap_report"]
    context = {
        "lang": lang,
        "kind": inp.kind,
        "L": L,
        "title": title,
        "doc_title": " — ".join(x for x in (title, inp.country, q.title.get(lang)) if x),
        "running_title": " — ".join(x for x in (title, inp.country) if x),
        "author": L["generated_by"],
        "keywords": L["keywords"],
        "cover": _cover(inp, fmt),
        "overall": fmt.aggregate(result.overall),
        "good_practice": fmt.aggregate(result.good_practice),
        "themes": themes,
        "theme_chart": _theme_chart(themes, L),
        "status_counts": _status_counts(q, result, L),
        "gaps": [fmt.gap(i + 1, g) for i, g in enumerate(result.gaps)],
        "good_practice_gaps": [fmt.gap(i + 1, g) for i, g in enumerate(result.good_practice_gaps)],
        "statistics": statistics,
    }
    if inp.kind == "summary":
        context["top_gaps"] = context["gaps"][:SUMMARY_GAPS]
        context["more_gaps"] = max(0, len(result.gaps) - SUMMARY_GAPS)
        context["key_statistics"] = _key_statistics(q, statistics)
    else:
        context["provision_tables"] = _provision_tables(q, result, fmt)
        context["appendix"] = _appendix(inp, result, fmt)
        context["comments"] = _comments(inp, fmt)
    return context


class _Formatter:
    """Turns core values into the strings a reader sees, in one language."""

    def __init__(self, questionnaire: Questionnaire, lang: str, labels: dict[str, str],
                 answers: Mapping[str, Any]):
        self.q, self.lang, self.L, self.answers = questionnaire, lang, labels, answers

    def score(self, value: float | None) -> str:
        return "—" if value is None else format_number(value, self.lang, 1)

    def percent(self, value: float) -> str:
        return format_number(value, self.lang) + "\u00a0%"

    def aggregate(self, agg) -> dict[str, Any]:
        return {"score": self.score(agg.score), "value": agg.score,
                "completeness": self.percent(agg.completeness)}

    def provision_ref(self, provision: Provision) -> str:
        if provision.article is None:
            return provision.title.get(self.lang)
        paragraph = f"({provision.paragraph})" if provision.paragraph else ""
        return f"{self.L['article']} {provision.article}{paragraph}"

    def provision_refs(self, ids: tuple[str, ...]) -> str:
        found = [self.q.provisions[p] for p in ids if p in self.q.provisions]
        return ", ".join(f"{self.provision_ref(p)} {_instrument_short(p, self.lang)}".strip()
                         for p in found)

    def answer(self, question: Question, value: Any) -> list[str]:
        """The answer as lines of text: option labels, formatted numbers and dates."""
        if value is None or value in ("", [], {}):
            return [self.L["not_answered"]]
        if value == NOT_APPLICABLE:
            return [self.L["not_applicable"]]
        return _ANSWER_FORMATS.get(question.type, _as_text)(self, question, value)

    def gap(self, rank: int, gap: Gap) -> dict[str, Any]:
        question = self.q.question(gap.question)
        return {
            "rank": rank,
            "question_id": question.id,
            "question": question.label.get(self.lang),
            "theme": self.q.theme_of(question.id).title.get(self.lang),
            "provisions": self.provision_refs(gap.provisions),
            "obligation": self.L[gap.obligation.value],
            "severity": format_number(gap.severity, self.lang, 1),
            "answer": "; ".join(self.answer(question, self.answers.get(question.id))),
            "recommendation": gap.recommendation.get(self.lang),
        }


def _instrument_short(provision: Provision, lang: str) -> str:
    if provision.instrument is Instrument.UNTOC:
        return "UNTOC" if lang == "en" else "CTO"
    return ""


def _as_text(fmt: _Formatter, question: Question, value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _choice(fmt: _Formatter, question: Question, value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    labels = []
    for v in values:
        option = question.option(v) if isinstance(v, str) else None
        labels.append(option.label.get(fmt.lang) if option else str(v))
    return labels


def _number(fmt: _Formatter, question: Question, value: Any) -> list[str]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        decimals = 0 if float(value).is_integer() else 2
        return [format_number(value, fmt.lang, decimals)]
    return [str(value)]


def _date(fmt: _Formatter, question: Question, value: Any) -> list[str]:
    return [format_date(str(value), fmt.lang)]


def _references(fmt: _Formatter, question: Question, value: Any) -> list[str]:
    lines = []
    for ref in value if isinstance(value, list) else [value]:
        if not isinstance(ref, Mapping):
            lines.append(str(ref))
            continue
        parts = [str(ref.get("instrument") or "")]
        if ref.get("article"):
            parts.append(f"{fmt.L['article']} {ref['article']}")
        if ref.get("year"):
            parts.append(f"({ref['year']})")
        if ref.get("url"):
            parts.append(str(ref["url"]))
        lines.append(" ".join(p for p in parts if p))
    return lines


def _statistics_answer(fmt: _Formatter, question: Question, value: Any) -> list[str]:
    return [fmt.L["see_table"]]


_ANSWER_FORMATS = {
    QuestionType.YES_NO: _choice,
    QuestionType.YES_PARTLY_NO: _choice,
    QuestionType.SINGLE_CHOICE: _choice,
    QuestionType.MULTIPLE_CHOICE: _choice,
    QuestionType.INTEGER: _number,
    QuestionType.DECIMAL: _number,
    QuestionType.DATE: _date,
    QuestionType.LEGAL_REFERENCE: _references,
    QuestionType.STATISTICS: _statistics_answer,
    QuestionType.COUNTRIES: lambda fmt, q, v: [", ".join(map(str, v)) if isinstance(v, list)
                                               else str(v)],
}


def _cover(inp: ReportInput, fmt: _Formatter) -> dict[str, str]:
    q, L = inp.questionnaire, fmt.L
    return {
        "country": inp.country,
        "cycle": inp.cycle,
        "questionnaire": q.title.get(inp.lang),
        "version": f"{q.id} {L['version']} {q.version}",
        "status": L.get(inp.status, inp.status),
        "submitted_on": format_date(inp.submitted_on, inp.lang) or L["not_submitted"],
    }


def _themes(q: Questionnaire, result: ScoreResult, fmt: _Formatter) -> list[dict[str, Any]]:
    rows = []
    for theme in q.themes:
        agg = result.theme(theme.id).aggregate
        rows.append({
            "id": theme.id,
            "title": theme.title.get(fmt.lang),
            "scored": theme.scored,
            "value": agg.score if theme.scored else None,
            "score": fmt.score(agg.score) if theme.scored else fmt.L["not_scored"],
            "completeness": fmt.percent(agg.completeness),
        })
    return rows


def _theme_chart(themes: list[dict[str, Any]], L: dict[str, str]):
    rows = [(t["title"], t["value"], t["score"]) for t in themes if t["scored"]]
    return charts.score_bars(rows, L["scores_by_theme"]) if rows else None


def _status_counts(q: Questionnaire, result: ScoreResult, L) -> list[dict[str, Any]]:
    protocol = [p for p in result.provisions
                if q.provisions[p.id].instrument is Instrument.PROTOCOL]
    return [{"status": s.value, "label": L[s.value],
             "count": sum(p.status is s for p in protocol)} for s in Status]


def _provision_tables(q: Questionnaire, result: ScoreResult, fmt: _Formatter) -> list[dict]:
    """The whole catalogue, one table per instrument: Protocol, UNTOC, good practices."""
    headings = {Instrument.PROTOCOL: "provisions", Instrument.UNTOC: "untoc_provisions",
                Instrument.GOOD_PRACTICE: "good_practices"}
    tables = []
    for instrument, heading in headings.items():
        rows = [_provision_row(q.provisions[p.id], p, fmt) for p in result.provisions
                if q.provisions[p.id].instrument is instrument]
        if rows:
            tables.append({"id": instrument.value, "heading": fmt.L[heading], "rows": rows,
                           "note": fmt.L["good_practice_note"]
                           if instrument is Instrument.GOOD_PRACTICE else ""})
    return tables


def _provision_row(provision: Provision, found, fmt: _Formatter) -> dict[str, str]:
    return {
        "ref": fmt.provision_ref(provision) if provision.article is not None else "",
        "title": provision.title.get(fmt.lang),
        "obligation": fmt.L[provision.obligation.value],
        "status": found.status.value,
        "status_label": fmt.L[("gp_" if provision.is_good_practice else "") + found.status.value],
        "score": fmt.score(found.score),
    }


def _statistics(q: Questionnaire, answers: Mapping[str, Any], fmt: _Formatter) -> list[dict]:
    tables = []
    for question in q.questions:
        value = answers.get(question.id)
        if question.type is QuestionType.STATISTICS and isinstance(value, Mapping) and value:
            tables.append(_statistics_table(question, value, fmt))
    return tables


def _key_statistics(q: Questionnaire, tables: list[dict]) -> list[dict]:
    """For the summary: totals only, of the tables collected with breakdowns first
    (criminal justice and victims, after the UNODC data collection)."""
    broken_down = {question.id for question in q.questions if question.breakdowns}
    ranked = sorted(tables, key=lambda t: t["question_id"] not in broken_down)
    return [{**t, "rows": [r for r in t["rows"] if r["level"] == 0]}
            for t in ranked[:SUMMARY_STATISTICS]]


def _cell_total(cell: Any) -> int | None:
    """The total of a cell, or the sum of its first breakdown when no total was given."""
    if not isinstance(cell, Mapping):
        return cell if isinstance(cell, int) else None
    if isinstance(cell.get("total"), int):
        return cell["total"]
    parts = next((v for k, v in cell.items() if isinstance(v, Mapping)), None)
    return sum(n for n in parts.values() if isinstance(n, int)) if parts else None


def _statistics_table(question: Question, value: Mapping, fmt: _Formatter) -> dict[str, Any]:
    years = [str(y) for y in question.years]
    rows, series = [], []
    for metric in question.metrics:
        by_year = value.get(metric.id)
        if not isinstance(by_year, Mapping):
            continue
        totals = [_cell_total(by_year.get(y)) for y in years]
        label = metric.label.get(fmt.lang)
        series.append((label, totals))
        rows.append({"label": label, "level": 0,
                     "values": [format_number(v, fmt.lang) for v in totals]})
        rows += _breakdown_rows(question, by_year, years, fmt)
    title = question.label.get(fmt.lang)
    number = lambda v: format_number(v, fmt.lang)  # noqa: E731
    chart = charts.year_bars(years, series, f"{fmt.L['chart']}: {title}", number) \
        if series else None
    return {"question_id": question.id, "title": title, "years": years, "rows": rows,
            "chart": chart, "legend": [label for label, _ in series]}


def _breakdown_rows(question: Question, by_year: Mapping, years: list[str],
                    fmt: _Formatter) -> list[dict[str, Any]]:
    rows = []
    for dimension in question.breakdowns:
        categories: list[str] = []
        for y in years:
            cell = by_year.get(y)
            if isinstance(cell, Mapping) and isinstance(cell.get(dimension), Mapping):
                categories += [c for c in cell[dimension] if c not in categories]
        for category in categories:
            values = []
            for y in years:
                cell = by_year.get(y)
                part = cell.get(dimension, {}) if isinstance(cell, Mapping) else {}
                values.append(format_number(part.get(category), fmt.lang)
                              if isinstance(part, Mapping) and category in part else "—")
            rows.append({"label": fmt.L.get(category, category), "level": 1, "values": values})
    return rows


def _clip(text: str) -> str:
    text = str(text or "")
    return text if len(text) <= MAX_FIELD else text[:MAX_FIELD] + " […]"


def _appendix(inp: ReportInput, result: ScoreResult, fmt: _Formatter) -> list[dict[str, Any]]:
    themes = []
    for theme in inp.questionnaire.themes:
        sections = []
        for section in theme.sections:
            items = [_appendix_item(inp, q, fmt) for q in section.questions
                     if q.id in result.visible]
            if items:
                sections.append({"id": section.id, "title": section.title.get(inp.lang),
                                 "questions": items})
        themes.append({"id": theme.id, "title": theme.title.get(inp.lang),
                       "sections": sections})
    return themes


def _appendix_item(inp: ReportInput, question: Question, fmt: _Formatter) -> dict:
    value = inp.answers.get(question.id)
    return {
        "id": question.id,
        "label": question.label.get(inp.lang),
        "provisions": fmt.provision_refs(question.provisions),
        "answer": fmt.answer(question, value),
        "is_references": question.type is QuestionType.LEGAL_REFERENCE,
        "explanation": _clip(inp.explanations.get(question.id, "")),
    }


def _comments(inp: ReportInput, fmt: _Formatter) -> list[dict[str, str]]:
    q = inp.questionnaire
    rows = []
    for comment in inp.comments:
        about = ""
        if comment.question_id and q.has_question(comment.question_id):
            about = q.question(comment.question_id).label.get(inp.lang)
        rows.append({"about": about, "question_id": comment.question_id or "",
                     "body": _clip(comment.body), "author": comment.author,
                     "date": format_date(comment.date, inp.lang)})
    # General comments first, then in questionnaire order.
    order = {qid.id: i for i, qid in enumerate(q.questions)}
    rows.sort(key=lambda r: (bool(r["question_id"]), order.get(r["question_id"], 1 << 30)))
    return rows
