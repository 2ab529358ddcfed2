"""`flask report render`: PDF and HTML from an answers file, no database."""

from __future__ import annotations

import json

import pytest

from app.pdf.sample import sample_answers

from .report_helpers import open_pdf, pdf_text


@pytest.fixture
def runner(app, mini_library):
    app.extensions["questionnaires"] = mini_library
    return app.test_cli_runner()


def _output(result) -> str:
    return result.output + (getattr(result, "stderr", "") or "")


def test_render_writes_pdf_and_html(runner, mini, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(sample_answers(mini, "worst")), encoding="utf-8")
    pdf, html = tmp_path / "out.pdf", tmp_path / "out.html"
    result = runner.invoke(args=["report", "render", "mini-report", str(answers), "--lang", "fr",
                                 "--output", str(pdf), "--html", str(html),
                                 "--country", "Côte d'Ivoire"])
    assert result.exit_code == 0, _output(result)
    data = pdf.read_bytes()
    with open_pdf(data) as doc:
        assert str(doc.Root.Lang) == "fr"
    assert "Côte d'Ivoire" in pdf_text(data)
    text = html.read_text(encoding="utf-8")
    assert '<html lang="fr">' in text and 'href="report.css"' in text


def test_summary_flag(runner, mini, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"leg_offence": "no"}), encoding="utf-8")
    pdf = tmp_path / "summary.pdf"
    result = runner.invoke(args=["report", "render", "mini-report", str(answers),
                                 "--summary", "-o", str(pdf)])
    assert result.exit_code == 0, _output(result)
    assert "Summary for ministries" in pdf_text(pdf.read_bytes())


@pytest.mark.parametrize("content, message", [
    ('{"leg_offence": "maybe"}', "leg_offence: choose one of: yes, no"),
    ('{"nope": "yes"}', "nope: no such question"),
    ("not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
])
def test_bad_answers_file_is_a_clear_error(runner, tmp_path, content, message):
    answers = tmp_path / "answers.json"
    answers.write_text(content, encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = runner.invoke(args=["report", "render", "mini-report", str(answers), "-o", str(out)])
    assert result.exit_code == 1
    assert message in _output(result)
    assert "Traceback" not in _output(result)
    assert not out.exists()


def test_unknown_questionnaire_and_missing_file(runner, tmp_path):
    result = runner.invoke(args=["report", "render", "nope", str(tmp_path / "a.json"),
                                 "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 1 and "nope" in _output(result)
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(args=["report", "render", "mini-report", str(tmp_path / "b.json"),
                                 "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 1 and "cannot read" in _output(result)
