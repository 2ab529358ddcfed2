from __future__ import annotations

import pytest

from app.core.conditions import ConditionError, parse_condition


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("a == 'yes'", {"a": "yes"}, True),
        ("a == 'yes'", {"a": "no"}, False),
        ("a == 'yes'", {}, False),
        ("a != 'no'", {}, False),  # no value: every comparison is false
        ("a != 'no'", {"a": "yes"}, True),
        ("a in ['yes', 'partly']", {"a": "partly"}, True),
        ("a not in ['yes', 'partly']", {"a": "no"}, True),
        ("'labour' in forms", {"forms": ["sexual", "labour"]}, True),
        ("'organs' in forms", {"forms": ["sexual"]}, False),
        ("n > 10", {"n": 11}, True),
        ("n >= 10.5", {"n": 10}, False),
        ("n < 3 or m == 'x'", {"n": 5, "m": "x"}, True),
        ("not (a == 'yes' and b == 'yes')", {"a": "yes", "b": "yes"}, False),
        ("answered(a)", {"a": "anything"}, True),
        ("not answered(a)", {}, True),
        ("n > 'text'", {"n": 3}, False),  # type mismatch: false, not an error
        ("flag == true", {"flag": True}, True),
        ("a == 'x' and b == 'y' or c == 'z'", {"c": "z"}, True),  # and binds tighter
        ("a == -1", {"a": -1}, True),
    ],
)
def test_evaluation(text, values, expected):
    assert parse_condition(text).evaluate(values) is expected


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("", "empty condition", 1),
        ("a ==", "expected a value", 5),
        ("a == 'yes' and", "expected a value", 15),
        ("a", "a value alone is not a condition", 1),
        ("__import__('os')", "a value alone is not a condition", 1),
        ("a == 'yes')", "unexpected ')'", 11),
        ("a = 'yes'", "unexpected character '='", 3),
        ("a.b == 1", "unexpected character '.'", 2),
        ("a == [1, 2", "expected ']'", 11),
        ("answered('a')", "takes a question id", 10),
    ],
)
def test_errors_name_the_column(text, message, column):
    with pytest.raises(ConditionError) as info:
        parse_condition(text)
    assert message in info.value.message
    assert info.value.column == column


def test_names_are_collected_for_dependency_checks():
    condition = parse_condition("a == 'x' and ('y' in b or not answered(c)) and d > 1")
    assert condition.names == {"a", "b", "c", "d"}


def test_length_is_bounded():
    with pytest.raises(ConditionError, match="longer than"):
        parse_condition("a == 1 or " * 60 + "a == 1")
