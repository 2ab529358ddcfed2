"""The questionnaire commands as people and scripts run them: a real `flask` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent
DATA = ROOT / "tests" / "data"
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "APP_ENV": "production", **(env or {})}
    environment.pop("SECRET_KEY", None)  # these commands must not need one
    return subprocess.run([*FLASK, *args], cwd=ROOT, capture_output=True, text=True,
                          env=environment, timeout=60, check=False)


def test_validate_shipped_files_passes():
    result = run("questionnaire", "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_validate_broken_files_prints_located_problems_and_exits_1():
    files = [str(DATA / "broken" / "unknown-provision.yaml"), str(DATA / "broken" / "cycle.yaml")]
    result = run("questionnaire", "validate", *files)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert f"{files[0]}:17:17: unknown provision 'tip-99-1' (not in provisions.yaml)" in lines
    assert any(line.startswith(f"{files[1]}:14:13: ") for line in lines)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["alias-bomb.yaml", "not-utf8.yaml", "python-tag.yaml",
                                  "syntax.yaml", "empty.yaml"])
def test_validate_never_shows_a_traceback(name):
    result = run("questionnaire", "validate", str(DATA / "broken" / name))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(str(DATA / "broken" / name) + ":")


def test_show_json_has_the_documented_shape():
    result = run("questionnaire", "show", "protocol-self-assessment", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"id", "version", "languages", "themes", "provisions"}
    question = data["themes"][0]["sections"][0]["questions"][0]
    assert set(question) >= {"id", "type", "label", "required", "condition", "provisions",
                             "weight"}
    assert set(question["label"]) == {"en", "fr"}
    choice = next(q for t in data["themes"] for s in t["sections"] for q in s["questions"]
                  if q["type"] == "single_choice" and q["scored"])
    assert all(set(o) == {"value", "label", "score"} for o in choice["options"])
    assert {p["instrument"] for p in data["provisions"]} == {"protocol", "untoc", "good_practice"}


def test_show_unknown_questionnaire_is_a_clear_error():
    result = run("questionnaire", "show", "nope", "--json")
    assert result.returncode == 1
    assert "no questionnaire 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_score_json(tmp_path):
    show = json.loads(run("questionnaire", "show", "protocol-self-assessment", "--json").stdout)
    first = next(q for t in show["themes"] for s in t["sections"] for q in s["questions"]
                 if q["scored"] and q["condition"] is None)
    worst = min(first["options"], key=lambda o: o["score"])["value"]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({first["id"]: worst}))
    result = run("questionnaire", "score", "protocol-self-assessment", str(answers), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"overall", "completeness", "themes", "provisions", "gaps"}
    assert data["overall"] == 0.0
    assert data["gaps"][0]["question"] == first["id"]
    assert set(data["gaps"][0]) >= {"question", "provisions", "severity", "recommendation"}
    assert {t["id"] for t in data["themes"]} >= {"legislation", "technical_assistance"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"no_such_question": "yes"}', "no_such_question: no such question"),
    ],
)
def test_score_bad_answers_file(tmp_path, content, message):
    answers = tmp_path / "answers.json"
    answers.write_text(content)
    result = run("questionnaire", "score", "protocol-self-assessment", str(answers), "--json")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_score_invalid_value_names_question_and_problem(tmp_path):
    show = json.loads(run("questionnaire", "show", "protocol-self-assessment", "--json").stdout)
    first = show["themes"][0]["sections"][0]["questions"][0]["id"]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({first: "perhaps"}))
    result = run("questionnaire", "score", "protocol-self-assessment", str(answers))
    assert result.returncode == 1
    assert f"{first}: choose one of" in result.stderr
