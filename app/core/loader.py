"""Build questionnaires and the provisions catalogue from YAML, collecting every
problem with its file, line and column instead of stopping at the first one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .conditions import Condition, ConditionError, parse_condition
from .model import (
    BREAKDOWNS,
    DEFAULT_SCORES,
    EMPTY_TEXT,
    NOT_APPLICABLE,
    Instrument,
    Metric,
    Obligation,
    Option,
    Provision,
    Question,
    Questionnaire,
    QuestionType,
    Section,
    Text,
    Theme,
)
from .yamlsource import Location, Path_, Source, YamlSourceError, read_source

CATALOGUE_FILE = "provisions.yaml"
CATALOGUE_LANGUAGES = ("en", "fr")
_QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_SLUG = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_PROVISION_ID = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")

# Built-in option labels for the yes/no families, in the interface languages.
_BUILTIN_LABELS = {
    "yes": {"en": "Yes", "fr": "Oui", "es": "Sí"},
    "partly": {"en": "Partly", "fr": "En partie", "es": "En parte"},
    "no": {"en": "No", "fr": "Non", "es": "No"},
}

_QUESTION_KEYS = {
    "id", "type", "label", "help", "required", "show_if", "not_applicable", "provisions",
    "weight", "options", "scores", "recommendation", "min", "max", "metrics", "years",
    "breakdowns",
}  # fmt: skip
_TOP_KEYS = {"id", "version", "languages", "title", "description", "themes"}
_THEME_KEYS = {"id", "title", "scored", "sections"}
_SECTION_KEYS = {"id", "title", "intro", "questions"}
_PROVISION_KEYS = {"id", "instrument", "article", "paragraph", "obligation", "title", "summary"}


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class InvalidQuestionnaire(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.location.file, p.location.line))
        super().__init__("\n".join(str(p) for p in self.problems))


class _Checker:
    """Reads values out of a Source, recording a Problem for anything wrong."""

    def __init__(self, source: Source, languages: tuple[str, ...]):
        self.source = source
        self.languages = languages
        self.problems: list[Problem] = []

    def error(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.source.where(path), message))

    def mapping(self, value: Any, path: Path_, allowed: set[str], what: str) -> dict:
        if not isinstance(value, dict):
            self.error(path, f"{what} must be a mapping of keys to values")
            return {}
        for key in value:
            if key not in allowed:
                self.error((*path, key), f"unknown key '{key}' in {what}; expected one of: "
                           + ", ".join(sorted(allowed)))
        return value

    def sequence(self, value: Any, path: Path_, what: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"'{what}' must be a list")
            return []
        return value

    def identifier(self, data: dict, path: Path_, pattern: re.Pattern, what: str) -> str:
        value = data.get("id")
        if value is None:
            self.error(path, f"{what} has no 'id'")
            return ""
        if not isinstance(value, str) or not pattern.match(value):
            self.error((*path, "id"), f"{what} id {value!r} must be lower case letters, digits "
                       "and underscores, starting with a letter")
            return str(value)
        return value

    def text(self, data: dict, key: str, path: Path_, required: bool = True) -> Text:
        value = data.get(key)
        where = (*path, key)
        if value is None:
            if required:
                self.error(path, f"missing '{key}'")
            return EMPTY_TEXT
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            self.error(where, f"'{key}' must map language codes to text")
            return EMPTY_TEXT
        for lang in self.languages:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.error(where, f"'{key}' is missing its '{lang}' translation")
        for lang in value:
            if lang not in self.languages:
                self.error((*where, lang), f"'{key}' has text in '{lang}', which is not one of "
                           "the declared languages")
        return Text.of({k: v.strip() for k, v in value.items() if isinstance(v, str)})

    def boolean(self, data: dict, key: str, path: Path_, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.error((*path, key), f"'{key}' must be true or false")
            return default
        return value

    def number(self, data: dict, key: str, path: Path_, low: float, high: float) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error((*path, key), f"'{key}' must be a number")
            return None
        if not low <= value <= high:
            self.error((*path, key), f"'{key}' is {value}; it must be between {low} and {high}")
            return None
        return float(value)


# --- provisions catalogue ---------------------------------------------------


def load_catalogue(path: str | Path) -> MappingProxyType:
    """Provision id -> Provision, in file order; raises InvalidQuestionnaire."""
    source = _read(path)
    checker = _Checker(source, CATALOGUE_LANGUAGES)
    root = checker.mapping(source.data, (), {"provisions"}, "the catalogue")
    provisions: dict[str, Provision] = {}
    for index, item in enumerate(checker.sequence(root.get("provisions"), ("provisions",),
                                                  "provisions")):
        provision = _provision(checker, item, ("provisions", index))
        if provision is None:
            continue
        if provision.id in provisions:
            checker.error(("provisions", index, "id"), f"duplicate provision id '{provision.id}'")
        provisions[provision.id] = provision
    if checker.problems:
        raise InvalidQuestionnaire(checker.problems)
    return MappingProxyType(provisions)


def _provision(checker: _Checker, item: Any, path: Path_) -> Provision | None:
    data = checker.mapping(item, path, _PROVISION_KEYS, "a provision")
    if not data:
        return None
    pid = checker.identifier(data, path, _PROVISION_ID, "provision")
    instrument = _enum(checker, data, "instrument", path, Instrument)
    obligation = _enum(checker, data, "obligation", path, Obligation)
    article = data.get("article")
    if article is not None and (isinstance(article, bool) or not isinstance(article, int)):
        checker.error((*path, "article"), "'article' must be a whole number or null")
    paragraph = data.get("paragraph")
    if paragraph is not None and not isinstance(paragraph, str):
        checker.error((*path, "paragraph"), "'paragraph' must be a string such as \"2(b)\"")
    title = checker.text(data, "title", path)
    summary = checker.text(data, "summary", path)
    if instrument is None or obligation is None:
        return None
    return Provision(pid, instrument, article, paragraph, obligation, title, summary)


def _enum(checker: _Checker, data: dict, key: str, path: Path_, enum: type) -> Any:
    value = data.get(key)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        checker.error((*path, key) if key in data else path,
                      f"'{key}' is {value!r}; expected one of: {allowed}")
        return None


# --- questionnaires ------------------------------------------------------------


def load_questionnaire(path: str | Path, catalogue: MappingProxyType) -> Questionnaire:
    """Build a Questionnaire or raise InvalidQuestionnaire listing every problem."""
    return _QuestionnaireBuilder(_read(path), catalogue).build()


def check_files(paths: Iterable[str | Path], catalogue_for: Callable[[Path], Any]) -> list[Problem]:
    """Every problem in the given files; `catalogue_for(path)` gives the catalogue
    a questionnaire is checked against (itself possibly raising)."""
    problems: list[Problem] = []
    for path in paths:
        path = Path(path)
        try:
            if path.name == CATALOGUE_FILE:
                load_catalogue(path)
            else:
                load_questionnaire(path, catalogue_for(path))
        except InvalidQuestionnaire as exc:
            problems.extend(exc.problems)
    return problems


def _read(path: str | Path) -> Source:
    try:
        return read_source(path)
    except YamlSourceError as exc:
        raise InvalidQuestionnaire([Problem(exc.location, exc.message)]) from None


class _QuestionnaireBuilder:
    def __init__(self, source: Source, catalogue: MappingProxyType):
        self.source = source
        self.catalogue = catalogue
        self.checker = _Checker(source, ("en",))
        self.seen_questions: dict[str, Question] = {}
        self.all_question_ids: set[str] = set()
        self.section_ids: set[str] = set()

    def build(self) -> Questionnaire:
        checker = self.checker
        root = checker.mapping(self.source.data, (), _TOP_KEYS, "the questionnaire")
        qid = checker.identifier(root, (), _SLUG, "questionnaire") if root else ""
        version = root.get("version")
        if not isinstance(version, str | int | float) or isinstance(version, bool):
            checker.error(("version",) if "version" in root else (),
                          "'version' is required, as a string such as \"1.0\"")
            version = ""
        checker.languages = self._languages(root)
        title = checker.text(root, "title", ())
        description = checker.text(root, "description", (), required=False)
        self.all_question_ids = self._collect_ids(root)
        themes = self._themes(root)
        if checker.problems:
            raise InvalidQuestionnaire(checker.problems)
        return Questionnaire(
            id=qid, version=str(version), languages=checker.languages, title=title,
            description=description, themes=themes, provisions=self.catalogue,
            source=self.source.file, _by_id=MappingProxyType(dict(self.seen_questions)),
        )

    def _languages(self, root: dict) -> tuple[str, ...]:
        value = root.get("languages")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.checker.error(("languages",) if "languages" in root else (),
                               "'languages' must list language codes, English first: [en, fr]")
            return ("en",)
        if "en" not in value:
            self.checker.error(("languages",), "'languages' must include 'en'")
        return tuple(dict.fromkeys(["en", *value]))

    def _collect_ids(self, root: dict) -> set[str]:
        """All question ids, so a condition naming a later one says 'later', not 'unknown'."""
        ids = set()
        for theme in root.get("themes") or []:
            for section in (theme or {}).get("sections") or [] if isinstance(theme, dict) else []:
                if isinstance(section, dict):
                    for q in section.get("questions") or []:
                        if isinstance(q, dict) and isinstance(q.get("id"), str):
                            ids.add(q["id"])
        return ids

    def _themes(self, root: dict) -> tuple[Theme, ...]:
        checker, themes, ids = self.checker, [], set()
        items = checker.sequence(root.get("themes"), ("themes",), "themes")
        if not items and "themes" not in root:
            checker.error((), "missing 'themes'")
        for index, item in enumerate(items):
            path = ("themes", index)
            data = checker.mapping(item, path, _THEME_KEYS, "a theme")
            tid = checker.identifier(data, path, _SLUG, "theme")
            if tid in ids:
                checker.error((*path, "id"), f"duplicate theme id '{tid}'")
            ids.add(tid)
            title = checker.text(data, "title", path)
            scored = checker.boolean(data, "scored", path, True)
            sections = tuple(
                self._section(tid, section, (*path, "sections", i))
                for i, section in enumerate(checker.sequence(data.get("sections"),
                                                             (*path, "sections"), "sections"))
            )
            themes.append(Theme(tid, title, sections, scored))
        return tuple(themes)

    def _section(self, theme_id: str, item: Any, path: Path_) -> Section:
        checker = self.checker
        data = checker.mapping(item, path, _SECTION_KEYS, "a section")
        sid = checker.identifier(data, path, _SLUG, "section")
        if sid in self.section_ids:
            checker.error((*path, "id"), f"duplicate section id '{sid}'")
        self.section_ids.add(sid)
        questions = []
        for i, q in enumerate(checker.sequence(data.get("questions"), (*path, "questions"),
                                               "questions")):
            question = self._question(q, (*path, "questions", i), theme_id, sid)
            if question is not None:
                questions.append(question)
        return Section(sid, checker.text(data, "title", path), tuple(questions),
                       checker.text(data, "intro", path, required=False))

    def _question(self, item: Any, path: Path_, theme_id: str, section_id: str) -> Question | None:
        checker = self.checker
        data = checker.mapping(item, path, _QUESTION_KEYS, "a question")
        if not data:
            return None
        qid = checker.identifier(data, path, _QUESTION_ID, "question")
        if qid in self.seen_questions:
            checker.error((*path, "id"), f"duplicate question id '{qid}'")
        qtype = _enum(checker, data, "type", path, QuestionType)
        provisions = self._provisions(data, path)
        weight = checker.number(data, "weight", path, 0, 100)
        question = Question(
            id=qid,
            type=qtype or QuestionType.TEXT,
            label=checker.text(data, "label", path),
            help=checker.text(data, "help", path, required=False),
            required=checker.boolean(data, "required", path, False),
            condition=self._condition(data, path, qid),
            not_applicable=checker.boolean(data, "not_applicable", path, False),
            provisions=provisions,
            weight=1.0 if weight is None else weight,
            recommendation=checker.text(data, "recommendation", path, required=False),
            theme_id=theme_id,
            section_id=section_id,
        )
        if qtype is None:
            return None
        question = self._typed(question, data, path)
        if question.scored and not question.recommendation:
            checker.error(path, f"question '{qid}' is scored but has no 'recommendation' to show "
                          "when it is a gap")
        self.seen_questions[qid] = question
        return question

    def _provisions(self, data: dict, path: Path_) -> tuple[str, ...]:
        ids = []
        for i, pid in enumerate(self.checker.sequence(data.get("provisions"),
                                                      (*path, "provisions"), "provisions")):
            if pid not in self.catalogue:
                self.checker.error((*path, "provisions", i),
                                   f"unknown provision '{pid}' (not in {CATALOGUE_FILE})")
            elif pid in ids:
                self.checker.error((*path, "provisions", i), f"provision '{pid}' cited twice")
            else:
                ids.append(pid)
        return tuple(ids)

    def _condition(self, data: dict, path: Path_, qid: str) -> Condition | None:
        text = data.get("show_if")
        if text is None:
            return None
        where = (*path, "show_if")
        try:
            condition = parse_condition(text)
        except ConditionError as exc:
            self.checker.error(where, f"invalid condition: {exc.message} (column {exc.column})")
            return None
        for name in sorted(condition.names):
            if name == qid:
                self.checker.error(
                    where, f"condition of '{qid}' refers to '{qid}' itself (a cycle)"
                )
            elif name in self.seen_questions:
                self._check_compared_values(condition.tree, name, where)
            elif name in self.all_question_ids:
                self.checker.error(where, f"condition refers to '{name}', which comes later; a "
                                   "condition may only use earlier answers (no cycles)")
            else:
                self.checker.error(where, f"condition refers to unknown question '{name}'")
        return condition

    def _check_compared_values(self, tree: tuple, name: str, where: Path_) -> None:
        """Catch typos such as `q == 'yse'` against a choice question's options."""
        target = self.seen_questions[name]
        if not target.type.is_choice:
            return
        allowed = {o.value for o in target.options}
        for literal in _literals_compared_with(tree, name):
            if isinstance(literal, str) and literal not in allowed:
                self.checker.error(where, f"condition compares '{name}' with '{literal}', which "
                                   f"is not one of its options ({', '.join(sorted(allowed))})")

    def _typed(self, question: Question, data: dict, path: Path_) -> Question:
        """Type-specific parts: options and scores, bounds, statistics layout."""
        checker, qtype = self.checker, question.type
        extra = _TYPE_KEYS.get(qtype, set())
        for key in ("options", "scores", "min", "max", "metrics", "years", "breakdowns"):
            if key in data and key not in extra:
                checker.error((*path, key), f"'{key}' does not apply to a {qtype.value} question")
        if qtype in DEFAULT_SCORES:
            return replace(question, options=self._builtin_options(question, data, path))
        if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
            return replace(question, options=self._options(question, data, path))
        if qtype in (QuestionType.INTEGER, QuestionType.DECIMAL):
            low = checker.number(data, "min", path, -1e12, 1e12)
            high = checker.number(data, "max", path, -1e12, 1e12)
            if low is not None and high is not None and low > high:
                checker.error((*path, "min"), f"'min' ({low:g}) is larger than 'max' ({high:g})")
            return replace(question, minimum=low, maximum=high)
        if qtype is QuestionType.STATISTICS:
            return self._statistics(question, data, path)
        return question

    def _builtin_options(self, question: Question, data: dict, path: Path_) -> tuple[Option, ...]:
        defaults = DEFAULT_SCORES[question.type]
        scores = data.get("scores", {})
        if not isinstance(scores, dict):
            self.checker.error((*path, "scores"), "'scores' must map answers to scores")
            scores = {}
        for key in scores:
            if key not in defaults:
                self.checker.error((*path, "scores", key), f"'{key}' is not an answer of a "
                                   f"{question.type.value} question ({', '.join(defaults)})")
        options = []
        for value, default in defaults.items():
            score = self._score(scores.get(value, default), (*path, "scores", value), value)
            label = {lang: _BUILTIN_LABELS[value].get(lang, _BUILTIN_LABELS[value]["en"])
                     for lang in self.checker.languages}
            options.append(Option(value, Text.of(label), score))
        return tuple(options)

    def _options(self, question: Question, data: dict, path: Path_) -> tuple[Option, ...]:
        checker, options, values = self.checker, [], set()
        items = checker.sequence(data.get("options"), (*path, "options"), "options")
        if len(items) < 2:
            checker.error(path, f"a {question.type.value} question needs at least two 'options'")
        for i, item in enumerate(items):
            opath = (*path, "options", i)
            odata = checker.mapping(item, opath, {"value", "label", "score"}, "an option")
            value = odata.get("value")
            if not isinstance(value, str) or not _QUESTION_ID.match(value):
                checker.error(opath, f"option value {value!r} must be a lower-case identifier")
                continue
            if value == NOT_APPLICABLE:
                checker.error((*opath, "value"), f"'{NOT_APPLICABLE}' is reserved; use "
                              "'not_applicable: true' on the question")
            if value in values:
                checker.error((*opath, "value"), f"duplicate option value '{value}'")
            values.add(value)
            score = None
            if "score" in odata:
                score = self._score(odata["score"], (*opath, "score"), value)
            elif question.scored:
                checker.error(opath, f"option '{value}' has no 'score' (the question is scored "
                              "because it cites provisions)")
            options.append(Option(value, checker.text(odata, "label", opath), score))
        return tuple(options)

    def _score(self, value: Any, path: Path_, option: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.checker.error(path, f"score of '{option}' must be a number between 0 and 1")
            return None
        if not 0 <= value <= 1:
            self.checker.error(path, f"score of '{option}' is {value}; it must be between 0 and 1")
            return None
        return float(value)

    def _statistics(self, question: Question, data: dict, path: Path_) -> Question:
        checker, metrics, ids = self.checker, [], set()
        items = checker.sequence(data.get("metrics"), (*path, "metrics"), "metrics")
        if not items:
            checker.error(path, "a statistics question needs 'metrics'")
        for i, item in enumerate(items):
            mpath = (*path, "metrics", i)
            mdata = checker.mapping(item, mpath, {"id", "label"}, "a metric")
            mid = checker.identifier(mdata, mpath, _QUESTION_ID, "metric")
            if mid in ids:
                checker.error((*mpath, "id"), f"duplicate metric id '{mid}'")
            ids.add(mid)
            metrics.append(Metric(mid, checker.text(mdata, "label", mpath)))
        years = checker.sequence(data.get("years"), (*path, "years"), "years")
        if not years or not all(isinstance(y, int) and 1900 <= y <= 2100 for y in years):
            checker.error((*path, "years") if "years" in data else path,
                          "a statistics question needs 'years', a list such as [2022, 2023]")
            years = []
        breakdowns = checker.sequence(data.get("breakdowns"), (*path, "breakdowns"), "breakdowns")
        for i, name in enumerate(breakdowns):
            if name not in BREAKDOWNS:
                checker.error((*path, "breakdowns", i), f"unknown breakdown {name!r}; expected "
                              "one of: " + ", ".join(BREAKDOWNS))
        return replace(question, metrics=tuple(metrics), years=tuple(sorted(set(years))),
                       breakdowns=tuple(b for b in breakdowns if b in BREAKDOWNS))


_TYPE_KEYS = {
    QuestionType.YES_NO: {"scores"},
    QuestionType.YES_PARTLY_NO: {"scores"},
    QuestionType.SINGLE_CHOICE: {"options"},
    QuestionType.MULTIPLE_CHOICE: {"options"},
    QuestionType.INTEGER: {"min", "max"},
    QuestionType.DECIMAL: {"min", "max"},
    QuestionType.STATISTICS: {"metrics", "years", "breakdowns"},
}


def _literals_compared_with(tree: tuple, name: str) -> list[Any]:
    kind = tree[0]
    if kind == "cmp":
        _, _, left, right = tree
        found = []
        for this, other in ((left, right), (right, left)):
            if this == ("name", name) and other[0] == "lit":
                value = other[1]
                found.extend(value if isinstance(value, tuple) else [value])
        return found
    if kind in {"and", "or"}:
        return _literals_compared_with(tree[1], name) + _literals_compared_with(tree[2], name)
    if kind == "not":
        return _literals_compared_with(tree[1], name)
    return []
