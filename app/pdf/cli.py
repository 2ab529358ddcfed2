"""`flask report render ...`: PDF reports from an answers file, without a database,
for batch and offline use."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..cli import _fail, _load, read_answers
from .cache import report_html
from .context import ReportInput
from .labels import LANGUAGES
from .render import ReportError, render_pdf

report_cli = AppGroup("report", help="Render PDF gap reports and ministry summaries.")


@report_cli.command("render")
@click.argument("questionnaire_id")
@click.argument("answers_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the PDF.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option("--summary", is_flag=True, help="The 2–4 page ministry summary, not the gap report.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the final HTML given to WeasyPrint.")
@click.option("--country", default="", help="Country name for the cover.")
@click.option("--version", "version", default=None,
              help="A questionnaire version other than the latest.")
def render(questionnaire_id: str, answers_file: Path, output: Path, lang: str, summary: bool,
           html_file: Path | None, country: str, version: str | None) -> None:
    """Render a report from answers: {"question_id": value} as JSON, as for
    `questionnaire score`."""
    questionnaire = _load(questionnaire_id, version)
    answers = read_answers(questionnaire, answers_file)
    inp = ReportInput(questionnaire, answers, lang=lang, kind="summary" if summary else "gap",
                      country=country)
    html = report_html(inp)
    if html_file:
        _write(html_file, html.encode("utf-8"))
    try:
        pdf = render_pdf(html)
    except ReportError as exc:
        _fail(exc.message)
    _write(output, pdf)
    click.echo(f"Wrote {output} ({len(pdf)} bytes)" + (f" and {html_file}" if html_file else ""))


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        _fail(f"{path}: cannot write: {exc.strerror}")
