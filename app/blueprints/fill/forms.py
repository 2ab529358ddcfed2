"""WTForms built from the questionnaire: one field type per question type, from a registry.

Every section page is a form with, per question, `q_<id>` (the answer),
`x_<id>` (the explanation), `b_<id>` (the revision it was loaded at, for
optimistic locking) and, where allowed, `na_<id>` (not applicable). Fields keep
what was typed so a refused answer is shown again as entered; the core's
`clean` decides what is valid, so the web and the API accept the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.core import Field
from wtforms.utils import unset_value

from ...core.answers import AnswerError, clean
from ...core.errors import N_
from ...core.model import BREAKDOWNS, NOT_APPLICABLE, Question, QuestionType, Section
from .labels import translated

try:  # WTForms 3.3+: tuples are deprecated
    from wtforms.fields.choices import SelectChoice as Choice
except ImportError:  # pragma: no cover - older WTForms
    from typing import NamedTuple

    class Choice(NamedTuple):  # type: ignore[no-redef]
        value: str
        label: str

MAX_REFERENCES = 50
MAX_EXPLANATION = 20_000


@dataclass(frozen=True)
class FieldContext:
    lang: str
    countries: tuple[tuple[str, str], ...] = ()  # (ISO3, name), only when a section needs them


class AnswerField:
    """Mixin: the raw answer to hand to `clean`, and what to show back."""

    def raw_answer(self) -> Any:
        return self.data


class ChoiceField(AnswerField, RadioField):
    pass


class MultiChoiceField(AnswerField, SelectMultipleField):
    pass


class TextField(AnswerField, StringField):
    def process_data(self, value):
        self.data = "" if value is None else str(value)


class LongTextField(AnswerField, TextAreaField):
    def process_data(self, value):
        self.data = "" if value is None else str(value)


class _PrefixedField(AnswerField, Field):
    """A field whose inputs are named `<name>-<part>`; parses them itself."""

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.raw_data = []
        if formdata is not None:
            prefix = self.name + "-"
            parts = {k[len(prefix):]: formdata.getlist(k) for k in formdata if k.startswith(prefix)}
            self.from_form(parts)
        else:
            self.from_value(None if data is unset_value else data)


class StatisticsField(_PrefixedField):
    """A metric × year table of counts; inputs `<name>-<metric>-<year>-total` and
    `<name>-<metric>-<year>-<dimension>-<category>` for breakdowns."""

    def from_value(self, value):
        self.cells: dict[str, str] = {}
        for metric, by_year in (value or {}).items():
            for year, cell in by_year.items():
                for key, count in cell.items():
                    if isinstance(count, dict):
                        for category, n in count.items():
                            self.cells[f"{metric}-{year}-{key}-{category}"] = str(n)
                    else:
                        self.cells[f"{metric}-{year}-{key}"] = str(count)
        self.data = value

    def from_form(self, parts):
        self.cells = {k: (v[0] if v else "") for k, v in parts.items()}
        self.data = None

    def raw_answer(self) -> Any:
        table: dict[str, dict[str, dict[str, Any]]] = {}
        question: Question = self.question
        for metric in question.metrics:
            for year in question.years:
                cell: dict[str, Any] = {}
                total = self.cells.get(f"{metric.id}-{year}-total", "").strip()
                if total:
                    cell["total"] = total
                for dimension in question.breakdowns:
                    parts = {c: self.cells.get(f"{metric.id}-{year}-{dimension}-{c}", "").strip()
                             for c in BREAKDOWNS[dimension]}
                    parts = {c: v for c, v in parts.items() if v}
                    if parts:
                        cell[dimension] = parts
                if cell:
                    table.setdefault(metric.id, {})[str(year)] = cell
        return table

    def cell(self, key: str) -> str:
        return self.cells.get(key, "")


_REF_KEY = re.compile(r"^(\d{1,3})-(instrument|article|year|url)$")


class LegalReferenceField(_PrefixedField):
    """Several references, each `<name>-<i>-instrument|article|year|url`; one blank
    row is always offered so another can be added without script."""

    def from_value(self, value):
        self.rows = [{k: "" if item.get(k) is None else str(item.get(k))
                      for k in ("instrument", "article", "year", "url")} for item in value or []]
        self.data = value

    def from_form(self, parts):
        rows: dict[int, dict[str, str]] = {}
        for key, values in parts.items():
            match = _REF_KEY.match(key)
            if match and int(match.group(1)) < MAX_REFERENCES:
                row = rows.setdefault(int(match.group(1)), {})
                row[match.group(2)] = values[0] if values else ""
        self.rows = [{k: rows[i].get(k, "") for k in ("instrument", "article", "year", "url")}
                     for i in sorted(rows)]
        self.data = None

    def raw_answer(self) -> Any:
        return [row for row in self.rows if any(v.strip() for v in row.values())]

    def display_rows(self) -> list[dict[str, str]]:
        kept = self.raw_answer()
        return [*kept, dict.fromkeys(("instrument", "article", "year", "url"), "")]


class EvidenceField(_PrefixedField):
    """Stored files to keep (`<name>-keep`, checked) plus new uploads
    (`<name>-file`, handled by the view, which adds their stored names)."""

    def from_value(self, value):
        self.kept = list(value or [])
        self.data = value

    def from_form(self, parts):
        self.kept = [v for v in parts.get("keep", []) if v]
        self.data = None

    def raw_answer(self) -> Any:
        return self.kept


FieldFactory = Callable[[Question, FieldContext], Field]
FIELD_FACTORIES: dict[QuestionType, FieldFactory] = {}


def register(*types: QuestionType):
    def decorator(factory: FieldFactory) -> FieldFactory:
        for question_type in types:
            FIELD_FACTORIES[question_type] = factory
        return factory

    return decorator


def _option_choices(question: Question, lang: str) -> list:
    return [Choice(o.value, o.label.get(lang)) for o in question.options]


@register(QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE)
def _choice(question, ctx):
    choices = _option_choices(question, ctx.lang)
    if question.not_applicable:
        choices.append(Choice(NOT_APPLICABLE, _("Not applicable")))
    return ChoiceField(choices=choices, validate_choice=False)


@register(QuestionType.MULTIPLE_CHOICE)
def _multiple(question, ctx):
    return MultiChoiceField(choices=_option_choices(question, ctx.lang), validate_choice=False)


@register(QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.DATE)
def _single_line(question, ctx):
    return TextField()


@register(QuestionType.TEXT)
def _text(question, ctx):
    return LongTextField()


@register(QuestionType.COUNTRIES)
def _countries(question, ctx):
    return MultiChoiceField(choices=[Choice(code, name) for code, name in ctx.countries],
                            validate_choice=False)


@register(QuestionType.STATISTICS)
def _statistics(question, ctx):
    return StatisticsField()


@register(QuestionType.LEGAL_REFERENCE)
def _legal(question, ctx):
    return LegalReferenceField()


@register(QuestionType.EVIDENCE)
def _evidence(question, ctx):
    return EvidenceField()


def uses_na_checkbox(question: Question) -> bool:
    """Radio questions offer 'not applicable' as an option; others as a checkbox."""
    return question.not_applicable and question.type not in {
        QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE}


class SectionForm(Form):
    """Base of the generated forms; CSRF is checked app-wide by CSRFProtect."""

    questions: tuple[Question, ...] = ()

    def answer(self, question_id: str) -> Field:
        return self[f"q_{question_id}"]

    def cleaned(self, question: Question) -> tuple[Any, str]:
        """(value, explanation) ready to save; AnswerError with a message if invalid."""
        explanation = (self[f"x_{question.id}"].data or "").strip().replace("\r\n", "\n")
        if len(explanation) > MAX_EXPLANATION:
            raise AnswerError(N_("the explanation is limited to %(n)d characters"),
                              n=MAX_EXPLANATION)
        na = self._fields.get(f"na_{question.id}")
        if na is not None and na.data:
            return NOT_APPLICABLE, explanation
        return clean(question, self.answer(question.id).raw_answer()), explanation


_PER_SECTION_LIMIT = 256


def cached_per_section(build: Callable[[Section, FieldContext], Any]):
    """Memoise `build(section, ctx)`: what is built from a section in one language
    (its form class, its layout) is built once, not on every request.

    Sections are immutable but not hashable (their texts are mapping proxies), so
    the key is the object's id; the entry keeps the section alive and checks it is
    the same object, so a recycled id can never return another section's result.
    """
    cache: dict[tuple[int, FieldContext], tuple[Section, Any]] = {}

    @wraps(build)
    def cached(section: Section, ctx: FieldContext):
        key = (id(section), ctx)
        hit = cache.get(key)
        if hit is not None and hit[0] is section:
            return hit[1]
        if len(cache) >= _PER_SECTION_LIMIT:
            cache.clear()  # questionnaires were reloaded many times: start afresh
        result = build(section, ctx)
        cache[key] = (section, result)
        return result

    return cached


@cached_per_section
def form_class(section: Section, ctx: FieldContext) -> type[SectionForm]:
    """The section's form class, per language and country list."""
    attrs: dict[str, Any] = {"questions": section.questions}
    for question in section.questions:
        factory = FIELD_FACTORIES[question.type]
        attrs[f"q_{question.id}"] = factory(question, ctx)
        attrs[f"x_{question.id}"] = LongTextField()
        attrs[f"b_{question.id}"] = HiddenField()
        if uses_na_checkbox(question):
            attrs[f"na_{question.id}"] = MultiChoiceField(
                choices=[Choice(NOT_APPLICABLE, _("Not applicable"))], validate_choice=False)
    return type("SectionForm", (SectionForm,), attrs)


def make_form(section: Section, ctx: FieldContext, formdata: MultiDict | None = None,
              data: dict[str, Any] | None = None) -> SectionForm:
    form = form_class(section, ctx)(formdata=formdata, data=data)
    for question in section.questions:
        form.answer(question.id).question = question
    return form


def initial_data(section: Section, rows: dict, base_of: Callable) -> dict[str, Any]:
    """Form data for a GET: stored answers, explanations and their revisions."""
    data: dict[str, Any] = {}
    for question in section.questions:
        row = rows.get(question.id)
        value = row.value if row else None
        data[f"b_{question.id}"] = base_of(row)
        data[f"x_{question.id}"] = row.explanation if row else ""
        if value == NOT_APPLICABLE and uses_na_checkbox(question):
            data[f"na_{question.id}"] = [NOT_APPLICABLE]
            value = None
        data[f"q_{question.id}"] = value
    return data


def validate_answers(form: SectionForm, questions: list[Question]) -> dict[str, tuple[Any, str]]:
    """Clean every given question; errors are attached to their fields."""
    cleaned = {}
    for question in questions:
        try:
            cleaned[question.id] = form.cleaned(question)
        except AnswerError as exc:
            form.answer(question.id).errors = [translated(exc, question)]
    return cleaned
