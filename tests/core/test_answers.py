from __future__ import annotations

import pytest

from app.core.answers import AnswerError, clean
from app.core.library import QuestionnaireLibrary
from app.core.model import NOT_APPLICABLE

from .helpers import DATA


@pytest.fixture(scope="module")
def small():
    return QuestionnaireLibrary(DATA / "valid").get("small")


def q(small, qid):
    return small.question(qid)


@pytest.mark.parametrize(
    ("qid", "raw", "expected"),
    [
        ("offence", "yes", "yes"),
        ("offence", "", None),
        ("forms", ["labour", "sexual"], ["sexual", "labour"]),  # questionnaire order
        ("forms", "labour", ["labour"]),
        ("penalty", "12,5", 12.5),  # French decimal comma
        ("penalty", 15, 15),
        ("transnational", NOT_APPLICABLE, NOT_APPLICABLE),
        ("stats", {"calls": {"2023": {"total": "12", "sex": {"female": 5}}}},
         {"calls": {"2023": {"total": 12, "sex": {"female": 5}}}}),
        ("stats", {"calls": {"2024": 7}}, {"calls": {"2024": {"total": 7}}}),
    ],
)
def test_clean_accepts(small, qid, raw, expected):
    assert clean(q(small, qid), raw) == expected


@pytest.mark.parametrize(
    ("qid", "raw", "message"),
    [
        ("offence", "maybe", "choose one of: yes, no"),
        ("offence", NOT_APPLICABLE, "'not applicable' is not allowed"),
        ("forms", ["sexual", "organs"], "choose one of"),
        ("penalty", "abc", "enter a number"),
        ("penalty", -1, "no smaller than 0"),
        ("penalty", 101, "no larger than 100"),
        ("penalty", True, "enter a number"),
        ("stats", {"calls": {"2019": 3}}, "year 2019 is not asked"),
        ("stats", {"cases": {"2023": 3}}, "unknown metric 'cases'"),
        ("stats", {"calls": {"2023": {"total": 3, "sex": {"female": 4}}}},
         "adds up to more than the total"),
        ("stats", {"calls": {"2023": {"total": -3}}}, "cannot be negative"),
        ("stats", {"calls": {"2023": {"total": 3, "age": {"child": 1}}}}, "unknown breakdown"),
    ],
)
def test_clean_refuses_with_a_message(small, qid, raw, message):
    with pytest.raises(AnswerError) as info:
        clean(q(small, qid), raw)
    assert message in info.value.message


def test_other_types():
    from dataclasses import replace

    from app.core.model import EMPTY_TEXT, Question, QuestionType

    def make(qtype):
        return Question(id="x", type=qtype, label=EMPTY_TEXT)

    assert clean(make(QuestionType.DATE), "2007-05-01") == "2007-05-01"
    with pytest.raises(AnswerError, match="YYYY-MM-DD"):
        clean(make(QuestionType.DATE), "01/05/2007")
    assert clean(make(QuestionType.COUNTRIES), "est, fin EST") == ["EST", "FIN"]
    with pytest.raises(AnswerError, match="alpha-3"):
        clean(make(QuestionType.COUNTRIES), ["Estonia"])
    ref = clean(make(QuestionType.LEGAL_REFERENCE),
                {"instrument": "Penal Code", "article": "133", "year": "2002", "url": ""})
    assert ref == [{"instrument": "Penal Code", "article": "133", "year": 2002, "url": ""}]
    with pytest.raises(AnswerError, match="http"):
        clean(make(QuestionType.LEGAL_REFERENCE),
              {"instrument": "Code", "url": "javascript:alert(1)"})
    with pytest.raises(AnswerError, match="name the instrument"):
        clean(make(QuestionType.LEGAL_REFERENCE), {"article": "1"})
    integer = replace(make(QuestionType.INTEGER), minimum=0)
    assert clean(integer, "1 037") == 1037  # thousands separator as the report writes it
    with pytest.raises(AnswerError, match="whole number"):
        clean(integer, "2.5")
    with pytest.raises(AnswerError, match="limited"):
        clean(make(QuestionType.TEXT), "x" * 20_001)


def test_errors_carry_a_message_id_and_values_for_translation(small):
    """The core cannot translate: it names the message and the values to put in,
    so the web layer can say the same in French."""
    with pytest.raises(AnswerError) as info:
        clean(q(small, "stats"), {"calls": {"2023": {"total": 3, "sex": {"female": "x"}}}})
    error = info.value
    assert error.msgid == "%(metric)s, %(year)s, %(category)s: enter a whole number"
    assert error.params == {"metric": "calls", "year": "2023", "category": "female"}
    assert error.message == "calls, 2023, female: enter a whole number"
    assert str(error) == error.message
