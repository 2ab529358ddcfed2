"""What a valid answer to each question type looks like, and how to clean one.

Answers travel as JSON-like values (see questionnaires/README.md). `clean`
turns raw input into the canonical value or raises `AnswerError` with a message
written for the person who typed it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .errors import N_, CoreError
from .model import BREAKDOWNS, NOT_APPLICABLE, Question, QuestionType

MAX_TEXT = 20_000
MAX_ITEMS = 300
_ISO3 = re.compile(r"^[A-Z]{3}$")
_URL = re.compile(r"^https?://[^\s<>\"']+$")


class AnswerError(CoreError, ValueError):
    """An answer that cannot be saved; the message is written for the person who typed it."""


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def clean(question: Question, value: Any) -> Any:
    """Canonical form of `value` for `question`; None when empty."""
    if is_empty(value):
        return None
    if value == NOT_APPLICABLE:
        if not question.not_applicable:
            raise AnswerError(N_("'not applicable' is not allowed for this question"))
        return NOT_APPLICABLE
    return _CLEANERS[question.type](question, value)


def _choice(question: Question, value: Any) -> str:
    if not isinstance(value, str) or question.option(value) is None:
        allowed = ", ".join(o.value for o in question.options)
        raise AnswerError(N_("choose one of: %(allowed)s"), allowed=allowed)
    return value


def _multiple(question: Question, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or len(value) > len(question.options):
        raise AnswerError(N_("choose one or more of the listed options"))
    chosen = {_choice(question, item) for item in value}
    return [o.value for o in question.options if o.value in chosen]  # questionnaire order


def _number(question: Question, value: Any, integral: bool) -> int | float:
    if isinstance(value, bool):
        raise AnswerError(N_("enter a number"))
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if not integral:
            text = text.replace(",", ".")  # French decimal comma
        try:
            value = int(text) if integral else float(text)
        except ValueError:
            raise AnswerError(N_("enter a whole number") if integral
                              else N_("enter a number")) from None
    if integral and isinstance(value, float):
        if not value.is_integer():
            raise AnswerError(N_("enter a whole number"))
        value = int(value)
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise AnswerError(N_("enter a number"))
    if question.minimum is not None and value < question.minimum:
        raise AnswerError(N_("enter a number no smaller than %(minimum)s"),
                          minimum=_fmt(question.minimum))
    if question.maximum is not None and value > question.maximum:
        raise AnswerError(N_("enter a number no larger than %(maximum)s"),
                          maximum=_fmt(question.maximum))
    return value


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _text(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerError(N_("enter text"))
    value = value.strip().replace("\r\n", "\n")
    if len(value) > MAX_TEXT:
        raise AnswerError(N_("text is limited to %(n)d characters"), n=MAX_TEXT)
    return value


def _date(question: Question, value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise AnswerError(N_("enter a date as YYYY-MM-DD")) from None


def _countries(question: Question, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise AnswerError(N_("choose countries from the list"))
    codes = []
    for item in value:
        code = str(item).strip().upper()
        if not _ISO3.match(code):
            raise AnswerError(N_("'%(code)s' is not an ISO 3166 alpha-3 country code"),
                              code=str(item)[:20])
        if code not in codes:
            codes.append(code)
    return codes


_REFERENCE_KEYS = ("instrument", "article", "year", "url")


def _legal_reference(question: Question, value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_ITEMS:
        raise AnswerError(N_("too many references"))
    cleaned = []
    for item in items:
        if not isinstance(item, dict) or set(item) - set(_REFERENCE_KEYS):
            raise AnswerError(N_("a legal reference has an instrument, article, year and link"))
        instrument = str(item.get("instrument") or "").strip()
        if not instrument:
            raise AnswerError(N_("name the instrument (law, code or decree)"))
        article = str(item.get("article") or "").strip()[:200]
        year = item.get("year")
        if year not in (None, ""):
            try:
                year = int(year)
            except (TypeError, ValueError):
                raise AnswerError(N_("the year must be a number such as 2006")) from None
            if not 1800 <= year <= 2100:
                raise AnswerError(N_("the year must be between 1800 and 2100"))
        else:
            year = None
        url = str(item.get("url") or "").strip()
        if url and not _URL.match(url):
            raise AnswerError(N_("the link must start with http:// or https://"))
        cleaned.append(
            {"instrument": instrument[:500], "article": article, "year": year, "url": url}
        )
    return cleaned


def _evidence(question: Question, value: Any) -> list[str]:
    """Evidence answers name stored files; the upload itself is checked by the web layer."""
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_ITEMS or not all(isinstance(i, str) and i.strip() for i in items):
        raise AnswerError(N_("evidence is a list of file names"))
    return [i.strip()[:255] for i in items]


def _statistics(question: Question, value: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """{metric: {year: {"total": n, "sex": {"female": n, ...}, ...}}}"""
    if not isinstance(value, dict):
        raise AnswerError(N_("statistics are a table of metrics by year"))
    metrics = {m.id for m in question.metrics}
    years = {str(y) for y in question.years}
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for metric, by_year in value.items():
        if metric not in metrics:
            raise AnswerError(N_("unknown metric '%(metric)s'"), metric=str(metric)[:64])
        if not isinstance(by_year, dict):
            raise AnswerError(N_("'%(metric)s' needs figures by year"), metric=metric)
        for year, cell in by_year.items():
            if str(year) not in years:
                raise AnswerError(N_("year %(year)s is not asked for '%(metric)s'"),
                                  year=str(year)[:20], metric=metric)
            cleaned = _statistics_cell(question, metric, str(year), cell)
            if cleaned:
                table.setdefault(metric, {})[str(year)] = cleaned
    return table


def _count(value: Any, metric: str, year: str, category: str | None = None) -> int | None:
    """A count in one cell; errors name the cell (metric, year and maybe category)."""
    if is_empty(value):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = int(str(value).strip().replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        raise _cell_error(N_("%(metric)s, %(year)s: enter a whole number"),
                          N_("%(metric)s, %(year)s, %(category)s: enter a whole number"),
                          metric, year, category) from None
    if number < 0:
        raise _cell_error(N_("%(metric)s, %(year)s: a count cannot be negative"),
                          N_("%(metric)s, %(year)s, %(category)s: a count cannot be negative"),
                          metric, year, category)
    return number


def _cell_error(of_total: str, of_category: str, metric: str, year: str,
                category: str | None) -> AnswerError:
    if category is None:
        return AnswerError(of_total, metric=metric, year=year)
    return AnswerError(of_category, metric=metric, year=year, category=category)


def _statistics_cell(question: Question, metric: str, year: str, cell: Any) -> dict[str, Any]:
    if not isinstance(cell, dict):
        cell = {"total": cell}
    allowed = {"total", *question.breakdowns}
    if set(cell) - allowed:
        unknown = str(sorted(set(cell) - allowed, key=str)[0])[:64]
        raise AnswerError(N_("%(metric)s, %(year)s: unknown breakdown %(breakdown)s"),
                          metric=metric, year=year, breakdown=unknown)
    cleaned: dict[str, Any] = {}
    total = _count(cell.get("total"), metric, year)
    if total is not None:
        cleaned["total"] = total
    for dimension in question.breakdowns:
        parts = cell.get(dimension) or {}
        if not isinstance(parts, dict) or set(parts) - set(BREAKDOWNS[dimension]):
            raise AnswerError(N_("%(metric)s, %(year)s: unknown %(dimension)s category"),
                              metric=metric, year=year, dimension=dimension)
        counts = {k: n for k, v in parts.items()
                  if (n := _count(v, metric, year, k)) is not None}
        if counts:
            if total is not None and sum(counts.values()) > total:
                raise AnswerError(
                    N_("%(metric)s, %(year)s: the %(dimension)s breakdown adds up to more "
                       "than the total"), metric=metric, year=year, dimension=dimension)
            cleaned[dimension] = counts
    return cleaned


_CLEANERS = {
    QuestionType.YES_NO: _choice,
    QuestionType.YES_PARTLY_NO: _choice,
    QuestionType.SINGLE_CHOICE: _choice,
    QuestionType.MULTIPLE_CHOICE: _multiple,
    QuestionType.INTEGER: lambda q, v: _number(q, v, integral=True),
    QuestionType.DECIMAL: lambda q, v: _number(q, v, integral=False),
    QuestionType.STATISTICS: _statistics,
    QuestionType.TEXT: _text,
    QuestionType.DATE: _date,
    QuestionType.COUNTRIES: _countries,
    QuestionType.LEGAL_REFERENCE: _legal_reference,
    QuestionType.EVIDENCE: _evidence,
}
