"""The shipped catalogue and Protocol questionnaire keep the promises of issue 2."""

from __future__ import annotations

import pytest

from app.core.library import QuestionnaireLibrary
from app.core.model import Instrument, Obligation, QuestionType
from app.core.scoring import Status, score

from .helpers import ROOT

LIBRARY = QuestionnaireLibrary(ROOT / "questionnaires")
THEMES = ["legislation", "enforcement", "training", "prevention", "victims", "coordination",
          "cooperation", "technical_assistance"]
# Protocol paragraphs of articles 5-13 that bind (M, Mq), from reference/protocol-provisions.md
BINDING = ["tip-5-1", "tip-5-2", "tip-6-1", "tip-6-2", "tip-6-4", "tip-6-6", "tip-7-2",
           "tip-8-1", "tip-8-2", "tip-8-3", "tip-8-4", "tip-9-1", "tip-9-3", "tip-9-4",
           "tip-9-5", "tip-10-1", "tip-10-2", "tip-10-3", "tip-11-1", "tip-11-2", "tip-11-3",
           "tip-11-4", "tip-12", "tip-13"]


@pytest.fixture(scope="module")
def protocol():
    return LIBRARY.get("protocol-self-assessment")


def extreme_answers(questionnaire, best: bool) -> dict:
    answers = {}
    for q in questionnaire.questions:
        if not q.scored:
            continue
        ranked = sorted(q.options, key=lambda o: o.score or 0.0)
        if q.type is QuestionType.MULTIPLE_CHOICE:
            positive = [o.value for o in ranked if (o.score or 0) > 0]
            answers[q.id] = positive if best else [ranked[0].value]
        else:
            answers[q.id] = (ranked[-1] if best else ranked[0]).value
    return answers


def test_shipped_files_are_valid():
    assert LIBRARY.check() == []


def test_catalogue_covers_the_treaty_facts():
    catalogue = LIBRARY.catalogue()
    protocol = {p.id: p for p in catalogue.values() if p.instrument is Instrument.PROTOCOL}
    assert {p.article for p in protocol.values()} >= {3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}
    for pid in BINDING:
        assert protocol[pid].obligation in {Obligation.MANDATORY, Obligation.MANDATORY_QUALIFIED}
    assert protocol["tip-5-1"].obligation is Obligation.MANDATORY
    assert protocol["tip-6-1"].obligation is Obligation.MANDATORY_QUALIFIED
    assert protocol["tip-6-3"].obligation is Obligation.CONSIDER
    assert protocol["tip-6-5"].obligation is Obligation.ENDEAVOUR
    untoc = {p.article for p in catalogue.values() if p.instrument is Instrument.UNTOC}
    assert untoc >= {5, 6, 10, 11, 12, 15, 16, 18, 20, 23, 24, 25, 26, 27, 29, 31, 34}
    good = [p for p in catalogue.values() if p.instrument is Instrument.GOOD_PRACTICE]
    assert len(good) >= 7
    assert all(p.obligation is Obligation.GOOD_PRACTICE for p in good)
    assert all(p.title.get("fr") and p.summary.get("fr") for p in catalogue.values())


def test_structure(protocol):
    assert [t.id for t in protocol.themes] == THEMES
    assert len(protocol.questions) >= 100
    assert protocol.languages == ("en", "fr")
    assert not protocol.theme_of("ta_needs_areas" if protocol.has_question("ta_needs_areas")
                                 else protocol.themes[-1].questions[0].id).scored
    assert {q.type for q in protocol.questions} == set(QuestionType)


def test_every_binding_paragraph_is_assessed_by_an_unconditional_scored_question(protocol):
    assessed = {p for q in protocol.questions if q.scored and q.condition is None
                for p in q.provisions}
    assert [p for p in BINDING if p not in assessed] == []


@pytest.mark.parametrize("theme", ["enforcement", "victims", "training", "prevention"])
def test_statistics_tables_where_the_report_quotes_figures(protocol, theme):
    theme_obj = next(t for t in protocol.themes if t.id == theme)
    assert any(q.type is QuestionType.STATISTICS for q in theme_obj.questions)


def test_best_answers_score_100_without_gaps(protocol):
    result = score(protocol, extreme_answers(protocol, best=True))
    assert result.overall.score == pytest.approx(100.0)
    assert result.gaps == ()
    assert all(t.aggregate.score in (None, pytest.approx(100.0)) for t in result.themes)


def test_worst_answers_score_about_0_led_by_article_5(protocol):
    result = score(protocol, extreme_answers(protocol, best=False))
    assert result.overall.score < 5
    assert result.gaps[0].obligation is Obligation.MANDATORY
    assert any(p.startswith("tip-5-") for p in result.gaps[0].provisions)
    not_met = {p.id for p in result.provisions if p.status is Status.NOT_MET}
    assert {"tip-5-1", "tip-5-2", "tip-6-6", "tip-9-1", "tip-10-2"} <= not_met
    assert all(g.recommendation.get("fr") for g in result.gaps)
