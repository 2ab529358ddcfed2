"""What a section page shows of each question that depends only on the questionnaire
and the language: labels, hints, input ids, the cells of a statistics table.

It is worked out once per section and language, beside the section's form class,
so rendering a page only fills in the answers. (Rendering was most of a section
page's time while the template worked these out question by question.)
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from ...core.model import BREAKDOWNS, Question, QuestionType
from .forms import FieldContext, cached_per_section, uses_na_checkbox
from .labels import category_label

NO_ATTRS = Markup("")
LINE_INPUTS = {  # the <input> attributes of the one-line answers
    QuestionType.DATE: Markup(' type="date"'),
    QuestionType.INTEGER: Markup(' type="text" inputmode="numeric"'),
    QuestionType.DECIMAL: Markup(' type="text" inputmode="decimal"'),
}


@dataclass(frozen=True)
class Cell:
    """One number input of a statistics table: `key` names its part of the field."""

    key: str
    input_id: str
    label: str


@dataclass(frozen=True)
class CellGroup:
    """A row of yearly totals (labelled by the metric), or the breakdown cells of
    one metric and year (labelled by both)."""

    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class QuestionLayout:
    question: Question
    id: str
    kind: str  # the question type's value, which picks the widget in the template
    label: str
    required: bool
    hint: str
    first_input: str  # where links to this question's error lead
    na_checkbox: bool
    input_attrs: Markup = NO_ATTRS  # one-line answers: type and inputmode
    totals: tuple[CellGroup, ...] = ()  # statistics
    breakdowns: tuple[CellGroup, ...] = ()  # statistics, optional detail


@cached_per_section
def section_layout(section, ctx: FieldContext) -> dict[str, QuestionLayout]:
    return {q.id: question_layout(q, ctx.lang) for q in section.questions}


def question_layout(question: Question, lang: str) -> QuestionLayout:
    kind = question.type
    totals, breakdowns = _statistics_cells(question, lang) if kind is QuestionType.STATISTICS \
        else ((), ())
    return QuestionLayout(
        question=question, id=question.id, kind=kind.value, label=question.label.get(lang),
        required=question.required, hint=question.help.get(lang) if question.help else "",
        first_input=_first_input(question), na_checkbox=uses_na_checkbox(question),
        input_attrs=LINE_INPUTS.get(kind, NO_ATTRS), totals=totals, breakdowns=breakdowns)


def _first_input(question: Question) -> str:
    name = f"q_{question.id}"
    kind = question.type
    if kind.is_choice:
        return f"{name}-0"
    if kind is QuestionType.STATISTICS:
        return f"{name}-{question.metrics[0].id}-{question.years[0]}-total"
    if kind is QuestionType.LEGAL_REFERENCE:
        return f"{name}-0-instrument"
    if kind is QuestionType.EVIDENCE:
        return f"{name}-file"
    return name


def _statistics_cells(question: Question, lang: str):
    name = f"q_{question.id}"
    totals, breakdowns = [], []
    for metric in question.metrics:
        metric_label = metric.label.get(lang)
        row = []
        for year in question.years:
            key = f"{metric.id}-{year}-total"
            row.append(Cell(key, f"{name}-{key}", f"{metric_label}, {year}"))
            cells = tuple(
                Cell(k := f"{metric.id}-{year}-{dimension}-{category}", f"{name}-{k}",
                     category_label(category))
                for dimension in question.breakdowns for category in BREAKDOWNS[dimension])
            if cells:
                breakdowns.append(CellGroup(f"{metric_label}, {year}", cells))
        totals.append(CellGroup(metric_label, tuple(row)))
    return tuple(totals), tuple(breakdowns)


def page_text() -> dict[str, str]:
    """The words every question repeats, translated once per page."""
    return {
        "required": _("required"), "error": _("Error:"), "not_applicable": _("Not applicable"),
        "explanation": _("Explanation (optional)"), "explanation_was": _("Explanation:"),
        "measure": _("Measure"), "breakdowns": _("Breakdowns (optional)"),
        "instrument": _("Instrument (law, code, decree)"), "article": _("Article"),
        "year": _("Year"), "url": _("Link"), "keep": _("Keep"), "download": _("Download"),
        "add_files": _("Add files (PDF, DOCX, XLSX, ODT, PNG or JPEG; at most 10 MB)"),
        "files_on_save": _("Files are sent when you press Save."),
        "several": _("Hold Ctrl (or Cmd) to choose several."),
        "their_answer": _("Their answer:"), "comment": _("Secretariat comment"),
    }
