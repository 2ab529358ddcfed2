from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.library import QuestionnaireLibrary
from app.core.model import NOT_APPLICABLE, Obligation, QuestionType
from app.core.scoring import Status, question_score, score, visible_questions

from .helpers import DATA


@pytest.fixture(scope="module")
def small():
    return QuestionnaireLibrary(DATA / "valid").get("small")


def test_best_answers_score_100_with_no_gap(small):
    result = score(small, {"offence": "yes", "forms": ["sexual", "labour"],
                           "transnational": "no", "hotline": "yes"})
    assert result.overall.score == 100.0
    assert result.gaps == ()
    assert result.provision("tip-5-1").status is Status.MET
    assert result.good_practice.score == 100.0


def test_worst_answers_score_0_with_mandatory_gaps_first(small):
    result = score(small, {"offence": "no", "transnational": "yes", "hotline": "no"})
    assert result.overall.score == 0.0
    assert [g.question for g in result.gaps] == ["offence", "transnational"]
    assert all(g.obligation is Obligation.MANDATORY and g.severity == 3.0 for g in result.gaps)
    assert result.provision("tip-5-1").status is Status.NOT_MET
    # good practice shortfalls are reported apart, never as non-compliance
    assert [g.question for g in result.good_practice_gaps] == ["hotline"]
    assert "hotline" not in {g.question for g in result.gaps}


def test_weighted_mean_uses_question_and_obligation_weights(small):
    # offence yes (1.0, weight 1x3), forms sexual only (0.5, weight 2x3), transnational yes (0)
    result = score(small, {"offence": "yes", "forms": ["sexual"], "transnational": "yes"})
    assert result.overall.score == pytest.approx(100 * (3 * 1 + 6 * 0.5 + 3 * 0) / 12)
    assert result.provision("tip-5-1").status is Status.PARTLY_MET
    severities = [(g.question, g.severity) for g in result.gaps]
    assert severities == [("transnational", 3.0), ("forms", 1.5)]


def test_hidden_question_is_neither_scored_nor_counted(small):
    # 'forms' answered but hidden because 'offence' is no: its answer must not count
    result = score(small, {"offence": "no", "forms": ["sexual", "labour"]})
    assert "forms" not in result.visible
    assert result.question_scores["forms"] is None
    assert result.overall.score == 0.0


def test_completeness_is_beside_the_score_not_mixed_in(small):
    result = score(small, {"offence": "yes"})
    assert result.overall.score == 100.0
    # visible: offence, forms, transnational, penalty, hotline, stats, needs = 7; answered 1
    assert result.overall.visible == 7
    assert result.overall.completeness == pytest.approx(100 / 7)


def test_not_applicable_counts_as_answered_but_does_not_score(small):
    result = score(small, {"offence": "yes", "transnational": NOT_APPLICABLE})
    assert result.question_scores["transnational"] is None
    assert result.theme("legislation").aggregate.answered == 2


def test_unscored_theme_never_scores(small):
    result = score(small, {"needs": "no"})
    assert result.theme("assistance").aggregate.score is None
    assert result.question_scores["needs"] is None
    assert all(g.question != "needs" for g in result.gaps)


def test_nothing_answered_is_not_assessed(small):
    result = score(small, {})
    assert result.overall.score is None
    assert result.provision("tip-5-1").status is Status.NOT_ASSESSED
    assert result.provision("tip-5-1").score is None


def test_multiple_choice_sums_and_caps(small):
    forms = small.question("forms")
    assert question_score(forms, ["sexual"]) == 0.5
    assert question_score(forms, ["sexual", "labour"]) == 1.0
    assert question_score(forms, ["none"]) == 0.0


# --- properties ---------------------------------------------------------------

def answers_strategy(questionnaire):
    """Any mix of unanswered, not-applicable and option answers for choice questions."""
    parts = {}
    for q in questionnaire.questions:
        if not q.type.is_choice:
            continue
        values = [o.value for o in q.options]
        if q.type is QuestionType.MULTIPLE_CHOICE:
            choice = st.lists(st.sampled_from(values), unique=True, min_size=1)
        else:
            choice = st.sampled_from(values)
        options = [st.none(), choice]
        if q.not_applicable:
            options.append(st.just(NOT_APPLICABLE))
        parts[q.id] = st.one_of(*options)
    return st.fixed_dictionaries(parts)


SMALL = QuestionnaireLibrary(DATA / "valid").get("small")


def aggregates(result):
    values = [result.overall.score, result.good_practice.score]
    for theme in result.themes:
        values.append(theme.aggregate.score)
        values.extend(s.aggregate.score for s in theme.sections)
    values.extend(p.score for p in result.provisions)
    return values


@settings(max_examples=300, deadline=None)
@given(answers_strategy(SMALL))
def test_scores_stay_in_range(answers):
    result = score(SMALL, answers)
    for value in aggregates(result):
        assert value is None or 0.0 <= value <= 100.0
    for value in result.question_scores.values():
        assert value is None or 0.0 <= value <= 1.0
    for gap in result.gaps:
        assert 0 < gap.severity <= 3


def _triggers(questionnaire):
    return {name for q in questionnaire.questions if q.condition for name in q.condition.names}


def _better_value(question, value):
    """A value that scores strictly higher than `value`, if any."""
    current = question_score(question, value)
    for option in question.options:
        multiple = question.type is QuestionType.MULTIPLE_CHOICE
        candidate = [option.value] if multiple else option.value
        if current is not None and (question_score(question, candidate) or 0) > current:
            return candidate
    return None


@settings(max_examples=300, deadline=None)
@given(answers_strategy(SMALL), st.data())
def test_raising_one_answer_never_lowers_any_aggregate(answers, data):
    # Questions that trigger conditions are excluded: changing them changes what is asked.
    candidates = [q for q in SMALL.questions if q.scored and q.id not in _triggers(SMALL)
                  and _better_value(q, answers.get(q.id)) is not None]
    if not candidates:
        return
    question = data.draw(st.sampled_from(candidates))
    before = aggregates(score(SMALL, answers))
    better = _better_value(question, answers[question.id])
    after = aggregates(score(SMALL, {**answers, question.id: better}))
    for old, new in zip(before, after, strict=True):
        assert (old is None) == (new is None)
        if old is not None:
            assert new >= old - 1e-9


@settings(max_examples=300, deadline=None)
@given(answers_strategy(SMALL), st.data())
def test_not_applicable_never_changes_other_questions_scores(answers, data):
    allowed = [q for q in SMALL.questions if q.not_applicable and q.id not in _triggers(SMALL)]
    question = data.draw(st.sampled_from(allowed))
    before = score(SMALL, answers).question_scores
    after = score(SMALL, {**answers, question.id: NOT_APPLICABLE}).question_scores
    assert after[question.id] is None
    assert {k: v for k, v in before.items() if k != question.id} == {
        k: v for k, v in after.items() if k != question.id
    }


def test_hidden_trigger_hides_its_dependants_in_chains():
    from types import MappingProxyType

    from app.core.conditions import parse_condition
    from app.core.model import EMPTY_TEXT, Question, Questionnaire, Section, Theme

    def yes_no(qid, show_if=None):
        return Question(id=qid, type=QuestionType.YES_NO, label=EMPTY_TEXT,
                        condition=parse_condition(show_if) if show_if else None)

    questions = (yes_no("a"), yes_no("b", "a == 'yes'"), yes_no("c", "b == 'yes'"))
    questionnaire = Questionnaire(
        id="chain", version="1", languages=("en",), title=EMPTY_TEXT,
        themes=(Theme("t", EMPTY_TEXT, (Section("s", EMPTY_TEXT, questions),)),),
        provisions=MappingProxyType({}),
        _by_id=MappingProxyType({q.id: q for q in questions}),
    )
    # b keeps a stale 'yes' after a turned 'no': c must be hidden too
    assert visible_questions(questionnaire, {"a": "no", "b": "yes", "c": "yes"}) == {"a"}
    assert visible_questions(questionnaire, {"a": "yes", "b": "yes"}) == {"a", "b", "c"}
