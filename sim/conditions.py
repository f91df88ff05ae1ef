"""Trigger conditions: a tiny, safe expression language for scenario files.

Analysts write conditions such as ``seats(sadrists) >= 60 and not boycotting(sadrists)`` in
scenario YAML.  Those strings are untrusted text, so they are never handed to Python
(`eval`, `compile`, `ast`): a hand-written tokenizer and recursive-descent parser accept only
the grammar below, check every name and type against a declared catalogue while parsing, and
compile the result once into nested closures.  The engine re-checks conditions after many
events, so evaluation must be cheap: no re-parsing, no tree walking, no dictionary look-ups
beyond the context's own.

Grammar (lowest precedence first)::

    condition  := or_expr END
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)*
    sum        := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | STRING | "true" | "false" | NAME | NAME "(" [or_expr ("," or_expr)*] ")"
                | "(" or_expr ")"

* Comparisons chain like Python's: ``0 < day <= 100`` means ``0 < day and day <= 100`` (the
  middle operand is evaluated once, and evaluation stops at the first false link).  ``not``
  binds looser than comparisons (``not day > 3`` is ``not (day > 3)``) and tighter than ``and``.
* NAME is ASCII ``[A-Za-z_][A-Za-z0-9_]*``.  A bare name is a variable from `VARIABLES` if
  there is one of that name, otherwise an actor, post or law from `Names`.  STRING is ``'...'``
  or ``"..."`` with no escapes; it always means an actor, post or law, so quote names that are
  not identifiers or that collide with a variable or keyword (``seats('day')``).
* Keywords (``and or not true false``) are lower case.

Types are static.  Every expression is a number, true/false, an actor, a post or a law, and
the parser rejects anything whose kinds cannot fit: ``seats(finance)`` (a post where an actor
is needed), ``pm < 3``, ``casualties and day``, or a condition that is not true/false as a
whole.  Mistakes raise `ConditionError` with a 1-based column so the scenario loader can point
at LINE:COL in the YAML file.

Evaluation never raises because of the expression itself:

* All arithmetic is done in floats.  Division by zero, like any value the context returns that
  is not a real number where a number is expected, gives an *undefined* number (NaN);
  arithmetic on an undefined number stays undefined, and **every comparison involving an
  undefined number is false, including** ``!=``.  So ``support(a) / support(b) > 2`` is simply
  false while ``support(b)`` is 0.  (``not (x / 0 > 1)`` is therefore true.)
* Where true/false is expected, a context value is read with Python truthiness (NaN and values
  whose truthiness cannot be decided count as false).
* Actors, posts and laws are passed to and compared as whatever the context returns; ``pm``
  being ``None`` simply makes ``pm == sudani`` false.

Exceptions raised *by the context itself* (``var``/``call``) propagate: they are engine bugs,
and hiding them would make scenarios silently wrong.
"""

from __future__ import annotations

import difflib
import keyword
import math
import numbers
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "VARIABLES",
    "Condition",
    "ConditionContext",
    "ConditionError",
    "Function",
    "Kind",
    "Names",
    "Variable",
    "parse_condition",
]

MAX_LENGTH = 500
"""Longest condition accepted, in characters: conditions are one-liners, not programs."""

MAX_DEPTH = 20
"""Deepest nesting of brackets, calls, ``not`` and unary ``-``; bounds parser recursion."""


class ConditionError(ValueError):
    """A condition string is not valid; `col` is the 1-based column of the problem in it.

    A `ValueError` rather than an `InputError` because this module does not know which file,
    line or field the text came from; the scenario loader adds that and re-raises.
    """

    def __init__(self, message: str, col: int):
        super().__init__(message)
        self.message = message
        self.col = col

    def __reduce__(self) -> tuple[type[ConditionError], tuple[str, int]]:
        # Errors may cross process boundaries during sweeps; the default reduce would lose col.
        return (type(self), (self.message, self.col))


class Kind(StrEnum):
    """The static type of an expression."""

    NUMBER = "number"
    BOOL = "bool"
    ACTOR = "actor"
    POST = "post"
    LAW = "law"

    @property
    def described(self) -> str:
        """How the kind reads in an error message ("an actor")."""
        return _KIND_WORDS[self]


_KIND_WORDS = {
    Kind.NUMBER: "a number",
    Kind.BOOL: "true/false",
    Kind.ACTOR: "an actor",
    Kind.POST: "a post",
    Kind.LAW: "a law",
}
_ENTITY_KINDS = (Kind.ACTOR, Kind.POST, Kind.LAW)


@dataclass(frozen=True, slots=True)
class Variable:
    """A catalogue entry: a named value the engine's state provides."""

    kind: Kind
    doc: str


@dataclass(frozen=True, slots=True)
class Function:
    """A catalogue entry: a query on the engine's state, with typed parameters."""

    params: tuple[Kind, ...]
    returns: Kind
    doc: str


# The catalogue.  Extending the language means adding a row here and teaching the engine's
# ConditionContext to answer it; the parser and type checker need no change.
VARIABLES: Mapping[str, Variable] = MappingProxyType(
    {
        "day": Variable(Kind.NUMBER, "days since the scenario started"),
        "casualties": Variable(Kind.NUMBER, "casualties so far"),
        "clashes": Variable(Kind.NUMBER, "armed clashes so far"),
        "pm": Variable(Kind.ACTOR, "the prime minister (None while there is none)"),
        "law": Variable(Kind.LAW, "the election law in force"),
        "state_sanctioned": Variable(Kind.BOOL, "whether the state as a whole is sanctioned"),
        "in_session": Variable(Kind.BOOL, "whether parliament is sitting"),
        "elections_held": Variable(Kind.NUMBER, "elections held since the start"),
    }
)

FUNCTIONS: Mapping[str, Function] = MappingProxyType(
    {
        "seats": Function((Kind.ACTOR,), Kind.NUMBER, "seats the actor holds in parliament"),
        "support": Function((Kind.ACTOR,), Kind.NUMBER, "the actor's popular support, 0..1"),
        "relationship": Function(
            (Kind.ACTOR, Kind.ACTOR), Kind.NUMBER, "relationship weight between two actors"
        ),
        "boycotting": Function((Kind.ACTOR,), Kind.BOOL, "whether the actor boycotts politics"),
        "sanctioned": Function((Kind.ACTOR,), Kind.BOOL, "whether the actor is sanctioned"),
        "in_government": Function((Kind.ACTOR,), Kind.BOOL, "whether the actor is in government"),
        "holds": Function(
            (Kind.ACTOR, Kind.POST), Kind.BOOL, "whether the actor holds the ministry or post"
        ),
        "brigades": Function((Kind.ACTOR,), Kind.NUMBER, "armed brigades the actor controls"),
        "mobilisation": Function((Kind.ACTOR,), Kind.NUMBER, "the actor's street mobilisation"),
        "influence": Function((Kind.ACTOR,), Kind.NUMBER, "the actor's share of influence"),
    }
)


class ConditionContext(Protocol):
    """What a condition needs from the engine while it is evaluated.

    ``var(name)`` is asked only for names in `VARIABLES`; ``call(fn, args)`` only for names in
    `FUNCTIONS`, with exactly the declared number of arguments.  Actor/post/law arguments are
    the names as written in the condition (or the value a variable such as ``pm`` returned).
    """

    def var(self, name: str) -> object: ...

    def call(self, fn: str, args: tuple[object, ...]) -> object: ...


@dataclass(frozen=True, slots=True)
class Names:
    """The scenario's known names, so typos are caught when the scenario loads, not mid-run.

    Any iterable of strings is accepted and frozen; ``posts`` covers ministries and posts.
    """

    actors: frozenset[str] = frozenset()
    posts: frozenset[str] = frozenset()
    laws: frozenset[str] = frozenset()
    # (word, actor id) pairs from actors' names and leaders, for suggestions only:
    # `seats(khazali)` suggests `aah`, `seats(sadr)` suggests `sadrists`
    words: frozenset[tuple[str, str]] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", frozenset(self.words))
        for name in ("actors", "posts", "laws"):
            value: Iterable[str] = getattr(self, name)
            if isinstance(value, str):  # a lone string would otherwise become its letters
                raise TypeError(f"Names.{name} must be a collection of names, not a string")
            object.__setattr__(self, name, frozenset(value))

    def kinds_of(self, name: str) -> frozenset[Kind]:
        """Which entity kinds `name` may denote (usually one; empty when unknown)."""
        found = []
        if name in self.actors:
            found.append(Kind.ACTOR)
        if name in self.posts:
            found.append(Kind.POST)
        if name in self.laws:
            found.append(Kind.LAW)
        return frozenset(found)


Evaluator = Callable[[ConditionContext], object]


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed, checked and compiled condition.

    ``names_used`` lists the actors the text mentions by name, so the engine can re-check a
    condition only when something about those actors changes; ``variables_used`` and
    ``functions_used`` serve the same dependency tracking.
    """

    text: str
    names_used: frozenset[str]
    variables_used: frozenset[str]
    functions_used: frozenset[str]
    _fn: Callable[[ConditionContext], bool] = field(repr=False, compare=False)
    _names: Names = field(repr=False, compare=False)

    def evaluate(self, ctx: ConditionContext) -> bool:
        """Whether the condition holds in `ctx`; never raises on its own account."""
        return self._fn(ctx)

    def __reduce__(self) -> tuple[Callable[[str, Names], Condition], tuple[str, Names]]:
        # Closures cannot be pickled; re-parsing is exact and lets scenarios go to workers.
        return (parse_condition, (self.text, self._names))


def parse_condition(text: str, names: Names) -> Condition:
    """Parse, type-check and compile `text`; raise `ConditionError` if it is not valid."""
    if not isinstance(text, str):
        raise TypeError(f"condition text must be a string, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"condition is too long ({len(text)} characters; the limit is {MAX_LENGTH})",
            MAX_LENGTH + 1,
        )
    parser = _Parser(text, names)
    fn = parser.parse()
    return Condition(
        text=text,
        names_used=frozenset(parser.actors),
        variables_used=frozenset(parser.variables),
        functions_used=frozenset(parser.functions),
        _fn=fn,
        _names=names,
    )


# --------------------------------------------------------------------------------------------
# Runtime value handling.  These are total functions: they are what keeps evaluate() from
# raising whatever the context returns.

_NAN = math.nan


def _num(value: object) -> float:
    """A context value as a float; anything that is not a real number is undefined (NaN)."""
    if type(value) is float:
        return value  # type: ignore[return-value]
    if isinstance(value, numbers.Real):  # int, bool, numpy scalars, Fraction
        try:
            return float(value)
        except OverflowError:  # an int too big for a float
            return math.inf if value > 0 else -math.inf
        except Exception:
            return _NAN
    return _NAN


def _truth(value: object) -> bool:
    """A context value as true/false; NaN and undecidable values are false."""
    if value is True or value is False:
        return value
    if isinstance(value, float) and value != value:
        return False
    try:
        return bool(value)
    except Exception:  # e.g. a numpy array
        return False


def _div(a: float, b: float) -> float:
    return a / b if b else _NAN  # 0, -0.0 -> undefined; NaN divisors propagate without raising


def _num_ne(a: float, b: float) -> bool:
    return a < b or a > b  # false when either side is NaN, unlike Python's !=


def _same(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


def _differ(a: object, b: object) -> bool:
    try:
        return not bool(a == b)
    except Exception:
        return False


_NUMERIC_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,  # NaN == x is already false
    "!=": _num_ne,
}
_EQUALITY: dict[str, Callable[[object, object], bool]] = {"==": _same, "!=": _differ}
_COMPARISONS = frozenset(_NUMERIC_COMPARE)


def _constant(value: object) -> Evaluator:
    return lambda ctx: value


# --------------------------------------------------------------------------------------------
# Tokenizer.  It never raises: a problem becomes an "error" token, so the parser reports
# problems strictly left to right (a bad name before a bad character is reported first).

_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | _DIGITS
_WHITESPACE = frozenset(" \t\r\n")
_KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
_SINGLE = frozenset("<>+-*/(),")
_DOUBLE = frozenset({"<=", ">=", "==", "!="})
_HINTS = {
    "**": "there is no power operator '**'",
    "//": "there is no '//' operator; use '/'",
    "&&": "use 'and' instead of '&&'",
    "||": "use 'or' instead of '||'",
    "=": "use '==' to compare ('=' assigns nothing here)",
    "!": "use 'not' instead of '!'",
    "&": "use 'and' instead of '&'",
    "|": "use 'or' instead of '|'",
    "%": "there is no '%' operator",
    ".": "'.' is only allowed inside a number such as 0.5; attribute access is not supported",
    "[": "subscripts '[...]' are not supported",
    "]": "subscripts '[...]' are not supported",
    "{": "'{' is not part of the condition language",
    "}": "'}' is not part of the condition language",
    ":": "':' is not part of the condition language (no lambdas, slices or dicts)",
    ";": "';' is not part of the condition language; write a single expression",
    "#": "comments are not supported inside a condition",
}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "num" "str" "name" "op" "end" "error"
    text: str
    col: int
    value: object = None


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        col = i + 1
        if c in _WHITESPACE:
            i += 1
        elif c in _NAME_START:
            j = i + 1
            while j < n and text[j] in _NAME_CHARS:
                j += 1
            tokens.append(_Token("name", text[i:j], col))
            i = j
        elif c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            j = _scan_number(text, i)
            if j < n and (text[j] in _NAME_CHARS or text[j] == "."):
                k = j
                while k < n and (text[k] in _NAME_CHARS or text[k] == "."):
                    k += 1
                tokens.append(_Token("error", f"malformed number {text[i:k]!r}", col))
                break
            tokens.append(_Token("num", text[i:j], col, float(text[i:j])))
            i = j
        elif c in "'\"":
            j = text.find(c, i + 1)
            if j < 0:
                tokens.append(_Token("error", f"unterminated string: no closing {c}", col))
                break
            tokens.append(_Token("str", text[i : j + 1], col, text[i + 1 : j]))
            i = j + 1
        elif text[i : i + 2] in _DOUBLE:
            tokens.append(_Token("op", text[i : i + 2], col))
            i += 2
        elif text[i : i + 2] in _HINTS:
            tokens.append(_Token("error", _HINTS[text[i : i + 2]], col))
            break
        elif c in _SINGLE:
            tokens.append(_Token("op", c, col))
            i += 1
        else:
            message = _HINTS.get(c) or f"unexpected character {c!r}"
            tokens.append(_Token("error", message, col))
            break
    tokens.append(_Token("end", "", n + 1))
    return tokens


def _scan_number(text: str, i: int) -> int:
    """End of the number starting at `i`: digits, optional .digits, optional exponent."""
    n = len(text)
    j = i
    while j < n and text[j] in _DIGITS:
        j += 1
    if j + 1 < n and text[j] == "." and text[j + 1] in _DIGITS:
        j += 1
        while j < n and text[j] in _DIGITS:
            j += 1
    if j < n and text[j] in "eE":
        k = j + 1
        if k < n and text[k] in "+-":
            k += 1
        if k < n and text[k] in _DIGITS:
            while k < n and text[k] in _DIGITS:
                k += 1
            j = k
    return j


# --------------------------------------------------------------------------------------------
# Parser + type checker + compiler, in one left-to-right pass.


@dataclass(slots=True)
class _Node:
    """A checked sub-expression: its possible kinds and its compiled evaluator."""

    kinds: frozenset[Kind]
    col: int
    fn: Evaluator
    label: str = ""  # how to name it in messages: "'pm'", "seats(...)"; "" for compound
    literal: str | None = None  # an actor/post/law written by name
    const: bool = False

    def describe(self) -> str:
        what = " or ".join(k.described for k in sorted(self.kinds))
        return f"{self.label} is {what}" if self.label else f"this expression is {what}"


_NUMBER = frozenset({Kind.NUMBER})
_BOOL = frozenset({Kind.BOOL})


class _Parser:
    def __init__(self, text: str, names: Names):
        self.text = text
        self.names = names
        self.tokens = _tokenize(text)
        self.pos = 0
        self.depth = 0
        self.actors: set[str] = set()
        self.variables: set[str] = set()
        self.functions: set[str] = set()

    # -- token helpers

    def peek(self) -> _Token:
        tok = self.tokens[self.pos]
        if tok.kind == "error":
            raise ConditionError(tok.text, tok.col)
        return tok

    def advance(self) -> _Token:
        tok = self.peek()
        self.pos += 1
        return tok

    def at_keyword(self, word: str) -> bool:
        tok = self.peek()
        return tok.kind == "name" and tok.text == word

    def at_op(self, *ops: str) -> bool:
        tok = self.peek()
        return tok.kind == "op" and tok.text in ops

    def enter(self, tok: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(
                f"nesting is too deep (more than {MAX_DEPTH} levels of brackets, calls, "
                "'not' or '-')",
                tok.col,
            )

    @staticmethod
    def shown(tok: _Token) -> str:
        return "the end of the condition" if tok.kind == "end" else repr(tok.text)

    # -- type helpers

    def require(self, node: _Node, kind: Kind, context: str) -> None:
        """Insist `node` can be of `kind`, and pin a by-name literal to that kind."""
        if kind not in node.kinds:
            raise ConditionError(
                f"{context} must be {kind.described}, but {node.describe()}", node.col
            )
        if node.literal is not None and kind is Kind.ACTOR:
            self.actors.add(node.literal)

    def build(self, kinds: frozenset[Kind], col: int, fn: Evaluator, parts: list[_Node]) -> _Node:
        """A compound node; folded to a constant when all its parts are constants."""
        if parts and all(p.const for p in parts):
            return _Node(kinds, col, _constant(fn(None)), const=True)  # type: ignore[arg-type]
        return _Node(kinds, col, fn)

    # -- grammar

    def parse(self) -> Callable[[ConditionContext], bool]:
        if not self.text.strip():
            raise ConditionError("the condition is empty", 1)
        node = self.or_expr()
        tok = self.peek()
        if tok.kind != "end":
            raise ConditionError(
                f"unexpected {self.shown(tok)} after a complete expression "
                "(a missing 'and'/'or' or operator?)",
                tok.col,
            )
        if Kind.BOOL not in node.kinds:
            raise ConditionError(
                f"a condition must be true/false as a whole, but {node.describe()}", node.col
            )
        return node.fn  # type: ignore[return-value]  # BOOL evaluators always return bool

    def or_expr(self) -> _Node:
        return self.logical("or", self.and_expr, any)

    def and_expr(self) -> _Node:
        return self.logical("and", self.not_expr, all)

    def logical(
        self, word: str, operand: Callable[[], _Node], combine: Callable[[Iterable[bool]], bool]
    ) -> _Node:
        first = operand()
        if not self.at_keyword(word):
            return first
        parts = [first]
        self.require(first, Kind.BOOL, f"the left side of '{word}'")
        while self.at_keyword(word):
            self.advance()
            part = operand()
            self.require(part, Kind.BOOL, f"the right side of '{word}'")
            parts.append(part)
        fns = tuple(p.fn for p in parts)
        if len(fns) == 2:
            a, b = fns
            if word == "and":
                fn: Evaluator = lambda ctx: a(ctx) and b(ctx)  # noqa: E731
            else:
                fn = lambda ctx: a(ctx) or b(ctx)  # noqa: E731
        else:
            fn = lambda ctx: combine(f(ctx) for f in fns)  # noqa: E731  # short-circuits
        return self.build(_BOOL, first.col, fn, parts)

    def not_expr(self) -> _Node:
        if not self.at_keyword("not"):
            return self.comparison()
        tok = self.advance()
        self.enter(tok)
        operand = self.not_expr()
        self.depth -= 1
        self.require(operand, Kind.BOOL, "the operand of 'not'")
        inner = operand.fn
        return self.build(_BOOL, tok.col, lambda ctx: not inner(ctx), [operand])

    def comparison(self) -> _Node:
        first = self.sum()
        if not self.at_op(*_COMPARISONS):
            return first
        operands = [first]
        tests: list[Callable[[object, object], bool]] = []
        while self.at_op(*_COMPARISONS):
            op = self.advance()
            right = self.sum()
            tests.append(self.compare_check(operands[-1], op, right))
            operands.append(right)
        fns = tuple(o.fn for o in operands)
        if len(tests) == 1:
            a, b = fns
            test = tests[0]
            fn: Evaluator = lambda ctx: test(a(ctx), b(ctx))  # noqa: E731
        else:
            head, rest = fns[0], tuple(zip(tests, fns[1:], strict=True))

            def fn(ctx: ConditionContext) -> bool:
                left = head(ctx)
                for t, g in rest:
                    right = g(ctx)
                    if not t(left, right):
                        return False
                    left = right
                return True

        return self.build(_BOOL, first.col, fn, operands)

    def compare_check(
        self, left: _Node, op: _Token, right: _Node
    ) -> Callable[[object, object], bool]:
        """Check one comparison link and choose the runtime test for its kinds."""
        if op.text not in _EQUALITY:  # ordering: numbers only
            for side, node in (("left", left), ("right", right)):
                self.require(node, Kind.NUMBER, f"the {side} side of '{op.text}'")
            return _NUMERIC_COMPARE[op.text]  # type: ignore[return-value]
        common = left.kinds & right.kinds
        if not common:
            for lit, other in ((left, right), (right, left)):
                if lit.kinds == _NUMBER and lit.literal is not None and Kind.LAW in other.kinds:
                    lit.fn = _constant(lit.literal)  # the number is the law of that name
                    return _EQUALITY[op.text]
            raise ConditionError(
                f"'{op.text}' compares things of the same kind, but {left.describe()} and "
                f"{right.describe()}",
                op.col,
            )
        for node in (left, right):
            if node.literal is not None and Kind.ACTOR in common:
                self.actors.add(node.literal)
        if common == _NUMBER:
            return _NUMERIC_COMPARE[op.text]  # type: ignore[return-value]
        if common == _BOOL:
            return operator.eq if op.text == "==" else operator.ne
        return _EQUALITY[op.text]

    def sum(self) -> _Node:
        return self.arithmetic(("+", "-"), self.term)

    def term(self) -> _Node:
        return self.arithmetic(("*", "/"), self.unary)

    def arithmetic(self, ops: tuple[str, str], operand: Callable[[], _Node]) -> _Node:
        first = operand()
        if not self.at_op(*ops):
            return first
        self.require(first, Kind.NUMBER, f"the left side of '{self.peek().text}'")
        parts = [first]
        steps: list[tuple[Callable[[float, float], float], Evaluator]] = []
        while self.at_op(*ops):
            op = self.advance()
            part = operand()
            self.require(part, Kind.NUMBER, f"the right side of '{op.text}'")
            parts.append(part)
            steps.append((_ARITHMETIC[op.text], part.fn))
        head = first.fn
        if len(steps) == 1:
            ((f, b),) = steps
            fn: Evaluator = lambda ctx: f(head(ctx), b(ctx))  # type: ignore[arg-type]  # noqa: E731
        else:
            chain = tuple(steps)

            def fn(ctx: ConditionContext) -> float:
                total = head(ctx)
                for f, g in chain:
                    total = f(total, g(ctx))  # type: ignore[arg-type]
                return total  # type: ignore[return-value]

        return self.build(_NUMBER, first.col, fn, parts)

    def unary(self) -> _Node:
        if not self.at_op("-"):
            return self.primary()
        tok = self.advance()
        self.enter(tok)
        operand = self.unary()
        self.depth -= 1
        self.require(operand, Kind.NUMBER, "the operand of unary '-'")
        inner = operand.fn
        return self.build(_NUMBER, tok.col, lambda ctx: -inner(ctx), [operand])  # type: ignore[operator]

    def primary(self) -> _Node:
        tok = self.peek()
        if tok.kind == "num":
            self.advance()
            node = _Node(_NUMBER, tok.col, _constant(tok.value), const=True)
            if tok.text in self.names.laws:  # `law == 2013`: a law named by a number
                node.literal = tok.text
            return node
        if tok.kind == "str":
            self.advance()
            return self.entity(str(tok.value), tok)
        if tok.kind == "op" and tok.text == "(":
            self.advance()
            self.enter(tok)
            node = self.or_expr()
            close = self.peek()
            if not (close.kind == "op" and close.text == ")"):
                raise ConditionError(
                    f"expected ')' to close the '(' at column {tok.col}, found {self.shown(close)}",
                    close.col,
                )
            self.advance()
            self.depth -= 1
            return node
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                self.advance()
                return _Node(_BOOL, tok.col, _constant(tok.text == "true"), const=True)
            if tok.text not in _KEYWORDS:
                self.advance()
                # Look at the raw next token: a bad character after a bad name must not hide
                # the name's error, which comes first in the text.
                after = self.tokens[self.pos]
                if after.kind == "op" and after.text == "(":
                    return self.call(tok)
                return self.identifier(tok)
        raise ConditionError(f"expected a value, found {self.shown(tok)}", tok.col)

    def identifier(self, tok: _Token) -> _Node:
        name = tok.text
        var = VARIABLES.get(name)
        if var is not None:
            self.variables.add(name)
            return _Node(frozenset({var.kind}), tok.col, _reader(name, var.kind), f"'{name}'")
        if name in FUNCTIONS:
            sig = _signature(name)
            raise ConditionError(f"'{name}' is a function: call it as {sig}", tok.col)
        if self.names.kinds_of(name):
            return self.entity(name, tok)
        raise ConditionError(self.unknown_name(name), tok.col)

    def entity(self, name: str, tok: _Token) -> _Node:
        kinds = self.names.kinds_of(name)
        if not kinds:
            hint = self.by_words(name) or self.suggest(name, self.entity_names())
            raise ConditionError(f"{name!r} is not a known actor, post or law{hint}", tok.col)
        return _Node(kinds, tok.col, _constant(name), f"{name!r}", literal=name, const=True)

    def call(self, name_tok: _Token) -> _Node:
        name = name_tok.text
        spec = FUNCTIONS.get(name)
        if spec is None:
            raise ConditionError(self.unknown_function(name), name_tok.col)
        self.functions.add(name)
        lparen = self.advance()
        self.enter(lparen)
        arity = len(spec.params)
        args: list[_Node] = []
        if not self.at_op(")"):
            while True:
                if len(args) == arity and not self.at_op(")"):
                    raise ConditionError(
                        f"{_signature(name)} takes {_count(arity)}, but more were given",
                        self.peek().col,
                    )
                arg = self.or_expr()
                self.require(arg, spec.params[len(args)], f"argument {len(args) + 1} of {name}()")
                args.append(arg)
                if not self.at_op(","):
                    break
                self.advance()
        close = self.peek()
        if not (close.kind == "op" and close.text == ")"):
            raise ConditionError(
                f"expected ',' or ')' in the call to {name}(), found {self.shown(close)}",
                close.col,
            )
        if len(args) < arity:
            raise ConditionError(
                f"{_signature(name)} takes {_count(arity)}, but {len(args)} given", close.col
            )
        self.advance()
        self.depth -= 1
        return _Node(
            frozenset({spec.returns}),
            name_tok.col,
            _caller(name, spec.returns, tuple(a.fn for a in args)),
            f"{name}(...)",
        )

    # -- messages

    def entity_names(self) -> list[str]:
        return sorted(self.names.actors | self.names.posts | self.names.laws)

    def by_words(self, name: str) -> str:
        """Actors whose id starts with, or whose name or leader has a word equal to, `name`."""
        low = name.lower()
        if len(low) < 3:
            return ""
        found = sorted({a for a in self.names.actors if a.lower().startswith(low)}
                       | {a for word, a in self.names.words if word == low})
        if not found:
            return ""
        return f" (did you mean {' or '.join(repr(c) for c in found[:3])}?)"

    @staticmethod
    def suggest(name: str, candidates: Iterable[str]) -> str:
        """Names that start with what was typed come first (`sadr` -> `sadrists`, not `badr`),
        then names that contain it, then spelling neighbours."""
        pool = list(candidates)
        low = name.lower()
        close = [c for c in pool if len(low) >= 3 and c.lower().startswith(low)]
        close += [c for c in pool if len(low) >= 3 and low in c.lower() and c not in close]
        if not close:
            close = difflib.get_close_matches(name, pool, n=3, cutoff=0.75)
        close = close[:3]
        return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""

    def unknown_name(self, name: str) -> str:
        lowered = name.lower()
        if lowered in _KEYWORDS:
            return f"keywords are lower case: write '{lowered}' instead of '{name}'"
        if name.startswith("__"):
            return f"unknown name '{name}': names starting with '__' are not allowed"
        if name == "None":
            return "there is no 'None' in conditions"
        if name in ("is", "in"):
            return f"'{name}' is not supported: compare with '==' or '!='"
        if keyword.iskeyword(name) or keyword.issoftkeyword(name):
            return f"'{name}' is Python syntax, which conditions do not support"
        candidates = [*VARIABLES, *self.entity_names()]
        hint = self.by_words(name) or self.suggest(name, candidates)
        return (
            f"unknown name '{name}': not a variable, actor, post or law{hint} "
            "(quote names that are not plain identifiers)"
        )

    def unknown_function(self, name: str) -> str:
        if name.startswith("__"):
            return f"unknown function '{name}': names starting with '__' are not allowed"
        if keyword.iskeyword(name):
            return f"'{name}' is Python syntax, which conditions do not support"
        if name in VARIABLES or self.names.kinds_of(name):
            return f"'{name}' is not a function and cannot be called"
        hint = (
            self.suggest(name, FUNCTIONS) or f" (known functions: {', '.join(sorted(FUNCTIONS))})"
        )
        return f"unknown function '{name}'{hint}"


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _div,
}


def _signature(name: str) -> str:
    return f"{name}({', '.join(k.value for k in FUNCTIONS[name].params)})"


def _count(n: int) -> str:
    return "1 argument" if n == 1 else f"{n} arguments"


def _converter(kind: Kind) -> Callable[[object], object] | None:
    """How a raw context value is normalised for its static kind (None: used as is)."""
    if kind is Kind.NUMBER:
        return _num
    if kind is Kind.BOOL:
        return _truth
    return None


def _reader(name: str, kind: Kind) -> Evaluator:
    conv = _converter(kind)
    if conv is None:
        return lambda ctx: ctx.var(name)
    return lambda ctx: conv(ctx.var(name))


def _caller(name: str, kind: Kind, args: tuple[Evaluator, ...]) -> Evaluator:
    conv = _converter(kind) or (lambda v: v)
    if len(args) == 1:
        (a,) = args
        return lambda ctx: conv(ctx.call(name, (a(ctx),)))
    if len(args) == 2:
        a, b = args
        return lambda ctx: conv(ctx.call(name, (a(ctx), b(ctx))))
    return lambda ctx: conv(ctx.call(name, tuple(f(ctx) for f in args)))
