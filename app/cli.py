"""`flask questionnaire ...`: validate, show and score questionnaires without a database."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup

from . import catalog
from .core.answers import AnswerError, clean
from .core.loader import InvalidQuestionnaire
from .core.model import Questionnaire
from .core.scoring import result_as_dict, score

MAX_ANSWERS_BYTES = 5_000_000

questionnaire_cli = AppGroup("questionnaire", help="Validate, show and score questionnaires.")


@questionnaire_cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check questionnaire files (default: every shipped file).

    Prints FILE:LINE:COLUMN: message for every problem; exit status 1 if any.
    """
    problems = catalog.library().check(list(paths))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    checked = len(paths) or len(catalog.library().questionnaire_files()) + 1
    click.echo(f"{checked} file(s) valid.")


def _load(questionnaire_id: str, version: str | None) -> Questionnaire:
    try:
        return catalog.questionnaire(questionnaire_id, version)
    except InvalidQuestionnaire as exc:
        _fail(f"the shipped questionnaires are invalid:\n{exc}")
    except KeyError as exc:
        _fail(exc.args[0])
    raise AssertionError("unreachable")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@questionnaire_cli.command("show")
@click.argument("questionnaire_id")
@click.option("--version", "version", default=None, help="A version other than the latest.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--lang", default="en", show_default=True, help="Language of the outline.")
def show(questionnaire_id: str, version: str | None, as_json: bool, lang: str) -> None:
    """Print a questionnaire: an outline, or the whole structure as JSON."""
    questionnaire = _load(questionnaire_id, version)
    if as_json:
        click.echo(json.dumps(questionnaire_as_dict(questionnaire), ensure_ascii=False, indent=2))
        return
    click.echo(f"{questionnaire.title.get(lang)} ({questionnaire.id} {questionnaire.version})")
    for theme in questionnaire.themes:
        click.echo(f"\n{theme.title.get(lang)}" + ("" if theme.scored else " [not scored]"))
        for section in theme.sections:
            click.echo(f"  {section.title.get(lang)}")
            for q in section.questions:
                mark = "*" if q.required else " "
                click.echo(f"   {mark} {q.id:<28} {q.type.value:<16} {', '.join(q.provisions)}")


def questionnaire_as_dict(questionnaire: Questionnaire) -> dict[str, Any]:
    """The JSON shape of `questionnaire show --json` (questionnaires/README.md)."""
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "languages": list(questionnaire.languages),
        "title": questionnaire.title.as_dict(),
        "themes": [
            {
                "id": theme.id,
                "title": theme.title.as_dict(),
                "scored": theme.scored,
                "sections": [
                    {"id": s.id, "title": s.title.as_dict(),
                     "questions": [_question_dict(q) for q in s.questions]}
                    for s in theme.sections
                ],
            }
            for theme in questionnaire.themes
        ],
        "provisions": [p.as_dict() for p in questionnaire.provisions.values()],
    }


def _question_dict(q) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": q.id,
        "type": q.type.value,
        "label": q.label.as_dict(),
        "help": q.help.as_dict() or None,
        "required": q.required,
        "condition": q.condition.text if q.condition else None,
        "not_applicable": q.not_applicable,
        "provisions": list(q.provisions),
        "weight": q.weight,
        "scored": q.scored,
        "recommendation": q.recommendation.as_dict() or None,
    }
    if q.options:
        data["options"] = [{"value": o.value, "label": o.label.as_dict(), "score": o.score}
                           for o in q.options]
    if q.minimum is not None or q.maximum is not None:
        data["min"], data["max"] = q.minimum, q.maximum
    if q.metrics:
        data["metrics"] = [{"id": m.id, "label": m.label.as_dict()} for m in q.metrics]
        data["years"] = list(q.years)
        data["breakdowns"] = list(q.breakdowns)
    return data


def read_answers(questionnaire: Questionnaire, path: Path) -> dict[str, Any]:
    """Answers from a JSON file, cleaned; exits with every problem listed."""
    try:
        if path.stat().st_size > MAX_ANSWERS_BYTES:
            _fail(f"{path}: larger than {MAX_ANSWERS_BYTES} bytes")
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(f"{path}: cannot read: {exc.strerror}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail(f"{path}: not valid JSON: {exc}")
    if not isinstance(raw, dict):
        _fail(f"{path}: expected a JSON object mapping question ids to answers")
    answers, problems = {}, []
    for question_id, value in raw.items():
        if not questionnaire.has_question(question_id):
            problems.append(f"{question_id}: no such question in {questionnaire.id}")
            continue
        try:
            answers[question_id] = clean(questionnaire.question(question_id), value)
        except AnswerError as exc:
            problems.append(f"{question_id}: {exc.message}")
    if problems:
        _fail(f"{path}: invalid answers:\n  " + "\n  ".join(problems))
    return answers


@questionnaire_cli.command("score")
@click.argument("questionnaire_id")
@click.argument("answers_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "version", default=None)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--lang", default="en", show_default=True)
def score_command(questionnaire_id: str, answers_file: Path, version: str | None,
                  as_json: bool, lang: str) -> None:
    """Score a set of answers ({"question_id": value} as JSON)."""
    questionnaire = _load(questionnaire_id, version)
    result = score(questionnaire, read_answers(questionnaire, answers_file))
    data = result_as_dict(questionnaire, result, lang)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    overall = "—" if data["overall"] is None else f"{data['overall']:.1f}"
    click.echo(f"Overall {overall} / 100, {data['completeness']:.0f}% complete")
    for theme in data["themes"]:
        value = "not scored" if theme["score"] is None else f"{theme['score']:.1f}"
        click.echo(f"  {theme['id']:<24} {value:>10}   {theme['completeness']:.0f}% complete")
    click.echo(f"{len(data['gaps'])} gap(s), most severe first:")
    for gap in data["gaps"][:20]:
        click.echo(f"  {gap['severity']:.1f}  {gap['question']}  ({', '.join(gap['provisions'])})")


def init_app(app: Flask) -> None:
    from .pdf.cli import report_cli  # late: app.pdf.cli imports this module

    app.cli.add_command(questionnaire_cli)
    app.cli.add_command(report_cli)
