"""The show-if language: a tiny, safe expression language over earlier answers.

    leg_offence == 'yes'
    vic_permits in ['yes', 'partly'] and not answered(vic_period_days)
    'forced_labour' in leg_forms or stat_cases > 10

Grammar (parsed by hand, never `eval`):

    expr       := and_expr ('or' and_expr)*
    and_expr   := not_expr ('and' not_expr)*
    not_expr   := 'not' not_expr | comparison
    comparison := operand (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in') operand)?
    operand    := NAME | STRING | NUMBER | 'true' | 'false' | list | 'answered' '(' NAME ')'
                | '(' expr ')'
    list       := '[' (literal (',' literal)*)? ']'

An unanswered, hidden or not-applicable question has no value: every
comparison with it is false, so a follow-up appears only once its trigger has
been answered. A comparison of a bare value is not a condition; write
`answered(x)` or compare.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_LENGTH = 500


class ConditionError(ValueError):
    def __init__(self, message: str, column: int = 1):
        super().__init__(message)
        self.message = message
        self.column = column  # 1-based, inside the expression


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>'[^'\\]*'|"[^"\\]*")
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "answered"}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    column: int


def _tokenize(text: str) -> list[_Token]:
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            column = pos + len(text[pos:]) - len(text[pos:].lstrip()) + 1
            raise ConditionError(f"unexpected character {text[column - 1]!r}", column)
        kind = match.lastgroup or ""
        value = match.group(kind)
        column = match.start(kind) + 1
        if kind == "name" and value in _KEYWORDS:
            kind = "keyword"
        tokens.append(_Token(kind, value, column))
        pos = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


# AST nodes: plain tuples keep the evaluator short and the tree hashable.
# ("or", a, b) ("and", a, b) ("not", a) ("cmp", op, left, right)
# ("name", id) ("lit", value) ("answered", id)


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.pos = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.pos]

    def take(self, text: str | None = None, kind: str | None = None) -> _Token | None:
        token = self.current
        if (text is None or token.text == text) and (kind is None or token.kind == kind):
            self.pos += 1
            return token
        return None

    def expect(self, text: str) -> _Token:
        token = self.take(text)
        if token is None:
            raise ConditionError(f"expected '{text}'", self.current.column)
        return token

    def parse(self) -> tuple:
        if self.current.kind == "end":
            raise ConditionError("empty condition")
        tree = self.expr()
        if self.current.kind != "end":
            raise ConditionError(f"unexpected '{self.current.text}'", self.current.column)
        return tree

    def expr(self) -> tuple:
        tree = self.and_expr()
        while self.take("or", "keyword"):
            tree = ("or", tree, self.and_expr())
        return tree

    def and_expr(self) -> tuple:
        tree = self.not_expr()
        while self.take("and", "keyword"):
            tree = ("and", tree, self.not_expr())
        return tree

    def not_expr(self) -> tuple:
        if self.take("not", "keyword"):
            return ("not", self.not_expr())
        return self.comparison()

    def comparison(self) -> tuple:
        start = self.current
        left = self.operand()
        op = None
        if self.current.kind == "op" and self.current.text in {"==", "!=", "<", "<=", ">", ">="}:
            op = self.take().text  # type: ignore[union-attr]
        elif self.take("in", "keyword"):
            op = "in"
        elif self.current.text == "not" and self.tokens[self.pos + 1].text == "in":
            self.pos += 2
            op = "not in"
        if op is None:
            if left[0] in {"answered", "or", "and", "not", "cmp", "bool"}:
                return left
            raise ConditionError(
                "a value alone is not a condition; compare it or use answered(...)", start.column
            )
        return ("cmp", op, left, self.operand())

    def operand(self) -> tuple:
        token = self.current
        if self.take("(", "op"):
            tree = self.expr()
            self.expect(")")
            return tree
        if self.take("[", "op"):
            items = []
            if not self.take("]", "op"):
                items.append(self.literal())
                while self.take(",", "op"):
                    items.append(self.literal())
                self.expect("]")
            return ("lit", tuple(items))
        if self.take("answered", "keyword"):
            self.expect("(")
            name = self.take(kind="name")
            if name is None:
                raise ConditionError("answered(...) takes a question id", self.current.column)
            self.expect(")")
            return ("answered", name.text)
        if token.kind == "keyword" and token.text in {"true", "false"}:
            self.pos += 1
            return ("bool", token.text == "true")
        if token.kind == "name":
            self.pos += 1
            return ("name", token.text)
        return ("lit", self.literal())

    def literal(self) -> Any:
        token = self.current
        if self.take(kind="string"):
            return token.text[1:-1]
        if self.take(kind="number"):
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "keyword" and token.text in {"true", "false"}:
            self.pos += 1
            return token.text == "true"
        what = "end of condition" if token.kind == "end" else f"'{token.text}'"
        raise ConditionError(f"expected a value, found {what}", token.column)


@dataclass(frozen=True, slots=True)
class Condition:
    text: str
    tree: tuple
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Any]) -> bool:
        """True when the condition holds; `values` maps question ids to answers
        (absent, None: no value)."""
        return bool(_eval(self.tree, values))


def parse_condition(text: str) -> Condition:
    if not isinstance(text, str):
        raise ConditionError("a condition must be a string")
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"condition longer than {MAX_LENGTH} characters")
    tree = _Parser(text).parse()
    return Condition(text, tree, frozenset(_names(tree)))


def _names(tree: tuple) -> set[str]:
    kind = tree[0]
    if kind in {"name", "answered"}:
        return {tree[1]}
    if kind == "cmp":
        return _names(tree[2]) | _names(tree[3])
    if kind in {"and", "or"}:
        return _names(tree[1]) | _names(tree[2])
    if kind == "not":
        return _names(tree[1])
    return set()


_MISSING = object()


def _eval(tree: tuple, values: Mapping[str, Any]) -> Any:
    kind = tree[0]
    if kind == "or":
        return _eval(tree[1], values) or _eval(tree[2], values)
    if kind == "and":
        return _eval(tree[1], values) and _eval(tree[2], values)
    if kind == "not":
        return not _eval(tree[1], values)
    if kind == "answered":
        return values.get(tree[1]) is not None
    if kind in {"lit", "bool"}:
        return tree[1]
    if kind == "name":
        value = values.get(tree[1])
        return _MISSING if value is None else value
    return _compare(tree[1], _eval(tree[2], values), _eval(tree[3], values))


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is _MISSING or right is _MISSING:
        return False
    try:
        if op == "==":
            return left == right
        if op == "!=":
            return left != right
        if op in {"in", "not in"}:
            container = right if isinstance(right, list | tuple | set | frozenset) else [right]
            found = any(item == left for item in container)
            return found if op == "in" else not found
        if isinstance(left, bool) or isinstance(right, bool):
            return False
        if op == "<":
            return left < right
        if op == "<=":
            return left <= right
        if op == ">":
            return left > right
        return left >= right
    except TypeError:  # e.g. a number compared with text: the condition does not hold
        return False
