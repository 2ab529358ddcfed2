"""Untrusted text can only ever become text: property tests on the report HTML,
and the bounds that stop oversized renders."""

from __future__ import annotations

import html.parser

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.pdf import render
from app.pdf.cache import report_html
from app.pdf.context import Comment, ReportInput, build_context


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.update(name for name, _ in attrs)


def _structure(page: str) -> tuple[list[str], set[str]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags, parser.attrs


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from('<>&"\'=/ abcimgscriptlinkstyle:url()\n'),
               min_size=1, max_size=80).filter(str.strip))
def test_any_text_answer_leaves_the_markup_unchanged(mini, text):
    def report(value: str) -> str:
        return report_html(ReportInput(
            mini, {"leg_notes": value, "ta_needs": value}, explanations={"leg_offence": value},
            comments=(Comment(value, "leg_offence"), Comment(value)), country=value))

    assert _structure(report(text)) == _structure(report("x"))


def test_templates_fail_loudly_on_a_missing_value(mini):
    context = build_context(ReportInput(mini, {}))
    del context["cover"]
    with pytest.raises(jinja2.UndefinedError):
        render.render_html(context)


def test_oversized_html_is_refused(monkeypatch):
    monkeypatch.setattr(render, "MAX_HTML_BYTES", 100)
    with pytest.raises(render.ReportError, match="too large"):
        render.render_pdf("<html><body>" + "x" * 200 + "</body></html>")


def test_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(render, "MAX_PAGES", 1)
    page = "<p style='break-after: page'>x</p>"
    with pytest.raises(render.ReportError, match="more than 1 pages"):
        render.render_pdf(f"<html><body>{page * 3}</body></html>")


def test_cli_reports_a_refused_render(app, mini_library, monkeypatch, tmp_path):
    app.extensions["questionnaires"] = mini_library
    monkeypatch.setattr(render, "MAX_PAGES", 1)
    answers = tmp_path / "a.json"
    answers.write_text("{}", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["report", "render", "mini-report", str(answers), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 1
    assert "more than 1 pages" in result.output and "Traceback" not in result.output
