"""Rendered PDFs are reused while nothing they depend on changes."""

from __future__ import annotations

import dataclasses

import pytest

from app.pdf import render
from app.pdf.cache import PdfCache, cached_report, report_key
from app.pdf.context import Comment, ReportInput


@pytest.fixture
def base(mini):
    return ReportInput(mini, {"leg_offence": "no", "leg_notes": "Note."}, lang="en",
                       comments=(Comment("Clarify.", "leg_offence"),), country="Estonia")


def test_same_inputs_hit_the_cache_without_rendering(base, tmp_path):
    cache = PdfCache(tmp_path)
    before = render.stats.renders
    first, hit = cached_report(base, cache)
    assert not hit and render.stats.renders == before + 1
    again = dataclasses.replace(base, answers=dict(base.answers))  # equal, not identical
    second, hit = cached_report(again, cache)
    assert hit and second == first
    assert render.stats.renders == before + 1
    assert first.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("change", [
    {"answers": {"leg_offence": "yes", "leg_notes": "Note."}},
    {"answers": {"leg_offence": "no", "leg_notes": "Note!"}},
    {"comments": (Comment("Clarify more.", "leg_offence"),)},
    {"comments": ()},
    {"explanations": {"leg_offence": "Because."}},
    {"lang": "fr"},
    {"kind": "summary"},
    {"country": "Finland"},
    {"status": "accepted"},
])
def test_any_change_is_a_new_key(base, change):
    assert report_key(dataclasses.replace(base, **change)) != report_key(base)


def test_a_changed_answer_renders_again(base, tmp_path):
    cache = PdfCache(tmp_path)
    cached_report(base, cache)
    before = render.stats.renders
    _, hit = cached_report(dataclasses.replace(base, lang="fr"), cache)
    assert not hit and render.stats.renders == before + 1


def test_questionnaire_version_is_part_of_the_key(base):
    other = dataclasses.replace(base.questionnaire, version="9.9")
    assert report_key(dataclasses.replace(base, questionnaire=other)) != report_key(base)


def test_cache_is_bounded(tmp_path):
    cache = PdfCache(tmp_path, max_entries=3)
    for i in range(5):
        cache.put(f"{i:064d}", b"%PDF-1.7 x")
    assert len(list(tmp_path.glob("*.pdf"))) == 3
    assert cache.get(f"{4:064d}") is not None
    assert not list(tmp_path.glob("*.tmp"))
