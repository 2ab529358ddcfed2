"""Answers as short readable text, for read-only pages and conflict messages."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from ...core.answers import is_empty
from ...core.model import NOT_APPLICABLE, Question, QuestionType


def display_value(question: Question, value: Any, lang: str,
                  countries: dict[str, str] | None = None) -> str:
    if is_empty(value):
        return _("(no answer)")
    if value == NOT_APPLICABLE:
        return _("Not applicable")
    kind = question.type
    if kind.is_choice:
        chosen = value if isinstance(value, list) else [value]
        labels = {o.value: o.label.get(lang) for o in question.options}
        return "; ".join(labels.get(v, str(v)) for v in chosen)
    if kind is QuestionType.COUNTRIES:
        names = countries or {}
        return ", ".join(names.get(code, code) for code in value)
    if kind is QuestionType.LEGAL_REFERENCE:
        return "; ".join(_reference(item) for item in value)
    if kind is QuestionType.STATISTICS:
        return _statistics(question, value, lang)
    if kind is QuestionType.EVIDENCE:
        return _("%(n)d file(s)", n=len(value))
    return str(value)


def _reference(item: dict) -> str:
    parts = [item.get("instrument") or ""]
    if item.get("article"):
        parts.append(_("art. %(article)s", article=item["article"]))
    if item.get("year"):
        parts.append(f"({item['year']})")
    if item.get("url"):
        parts.append(item["url"])
    return " ".join(parts)


def _statistics(question: Question, value: dict, lang: str) -> str:
    labels = {m.id: m.label.get(lang) for m in question.metrics}
    lines = []
    for metric, by_year in value.items():
        for year, cell in sorted(by_year.items()):
            text = f"{labels.get(metric, metric)} {year}: {cell.get('total', '—')}"
            details = [f"{k} {n}" for dim in question.breakdowns
                       for k, n in (cell.get(dim) or {}).items()]
            if details:
                text += f" ({', '.join(details)})"
            lines.append(text)
    return "; ".join(lines)
