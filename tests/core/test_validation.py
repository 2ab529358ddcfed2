"""Validation messages an author can act on: file, line, column and a clear problem."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from app.core.library import QuestionnaireLibrary
from app.core.loader import InvalidQuestionnaire, load_catalogue
from app.core.yamlsource import MAX_FILE_BYTES

DATA = Path(__file__).parent.parent / "data"
BROKEN = sorted((DATA / "broken").glob("*.yaml"))
BROKEN = [p for p in BROKEN if p.name != "provisions.yaml"]


def expectations(path: Path) -> list[tuple[int, str]]:
    """The '# expect LINE: fragment' comments at the top of a broken file."""
    found = []
    for line in path.read_bytes().decode("latin-1").splitlines():
        match = re.match(r"# expect (\d+): (.+)", line)
        if not match:
            break
        found.append((int(match.group(1)), match.group(2).strip()))
    return found


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_file_reports_line_and_message(path):
    library = QuestionnaireLibrary(DATA / "broken")
    problems = library.check([path])
    wanted = expectations(path)
    assert wanted, f"{path.name} has no '# expect' header"
    rendered = [str(p) for p in problems]
    for line, fragment in wanted:
        assert any(
            p.location.line == line and fragment in p.message for p in problems
        ), f"expected line {line}: {fragment!r}, got {rendered}"
    for text in rendered:
        assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: \S", text)


def test_every_broken_file_has_an_expectation_and_the_corpus_is_large():
    assert len(BROKEN) >= 15
    assert all(expectations(p) for p in BROKEN)


def test_valid_file_has_no_problem():
    library = QuestionnaireLibrary(DATA / "valid")
    assert library.check() == []


def test_alias_bomb_fails_fast():
    started = time.perf_counter()
    problems = QuestionnaireLibrary(DATA / "broken").check([DATA / "broken" / "alias-bomb.yaml"])
    assert time.perf_counter() - started < 1.0  # bound, not benchmark: it must not expand
    assert "aliases are not allowed" in problems[0].message


def test_oversized_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * MAX_FILE_BYTES + "\n")
    problems = QuestionnaireLibrary(DATA / "valid").check([big])
    assert len(problems) == 1
    assert "limit is" in problems[0].message


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    problems = QuestionnaireLibrary(DATA / "valid").check([tmp_path / "nope.yaml"])
    assert "cannot read file" in problems[0].message


def test_broken_catalogue_names_its_problems():
    with pytest.raises(InvalidQuestionnaire) as info:
        load_catalogue(DATA / "broken-catalogue" / "provisions.yaml")
    messages = [(p.location.line, p.message) for p in info.value.problems]
    assert (6, "'obligation' is 'must'; expected one of: mandatory, mandatory_qualified, "
            "consider, endeavour, good_practice, none") in messages
    assert any(line == 8 and "missing its 'fr' translation" in m for line, m in messages)


def test_merge_keys_and_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("id: a\nid: b\n")
    problems = QuestionnaireLibrary(DATA / "valid").check([path])
    assert problems[0].location.line == 2
    assert "duplicate key 'id'" in problems[0].message
