"""Tests for sim.conditions: the trigger-condition language.

The properties that matter most are safety (arbitrary text only ever yields a Condition or a
ConditionError with a usable column) and total evaluation (a parsed condition never raises on
its own account), so both are fuzzed with hypothesis alongside the example-based tests.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.conditions import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    VARIABLES,
    Condition,
    ConditionError,
    Kind,
    Names,
    parse_condition,
)

NAMES = Names(
    actors=["sadrists", "aah", "sudani", "kh", "asaib-ahl", "day", "both"],
    posts=["finance", "interior", "intelligence_service", "both"],
    laws=["sainte_lague", "open_list"],
)

VARS: dict[str, object] = {
    "day": 310,
    "casualties": 40,
    "clashes": 0,
    "pm": "sudani",
    "law": "sainte_lague",
    "state_sanctioned": False,
    "in_session": True,
    "elections_held": 1,
}
SEATS = {"sadrists": 73, "aah": 17, "sudani": 45, "kh": 0, "asaib-ahl": 5, "day": 3, "both": 2}
SUPPORT = {"sadrists": 0.30, "aah": 0.20, "sudani": 0.25, "kh": 0.0}
BOYCOTTING = {"sadrists"}
SANCTIONED = {"aah", "kh"}
IN_GOVERNMENT = {"sudani", "aah"}
HOLDS = {("aah", "intelligence_service"), ("sudani", "finance"), ("both", "both")}


class FakeContext:
    """A small world answering the catalogue, recording every question it is asked."""

    def __init__(self, **overrides: object):
        self.vars = {**VARS, **overrides}
        self.asked: list[tuple[str, tuple[object, ...]]] = []

    def var(self, name: str) -> object:
        self.asked.append((name, ()))
        return self.vars[name]

    def call(self, fn: str, args: tuple[object, ...]) -> object:
        self.asked.append((fn, args))
        if fn == "seats":
            return SEATS.get(args[0], 0)  # type: ignore[call-overload]
        if fn == "support":
            return SUPPORT.get(args[0], 0.0)  # type: ignore[call-overload]
        if fn == "relationship":
            return 0.6 if set(args) == {"sudani", "aah"} else -0.4
        if fn == "boycotting":
            return args[0] in BOYCOTTING
        if fn == "sanctioned":
            return args[0] in SANCTIONED
        if fn == "in_government":
            return args[0] in IN_GOVERNMENT
        if fn == "holds":
            return tuple(args) in HOLDS
        if fn in ("brigades", "mobilisation", "influence"):
            return {"kh": 6, "aah": 4}.get(args[0], 0)  # type: ignore[call-overload]
        raise AssertionError(f"unexpected call {fn}{args}")


def check(text: str, **overrides: object) -> bool:
    return parse_condition(text, NAMES).evaluate(FakeContext(**overrides))


# ------------------------------------------------------------------------------------------
# Parsing and evaluating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seats(sadrists) >= 60 and not boycotting(sadrists)", False),
        ("seats(sadrists) >= 60 and boycotting(sadrists)", True),
        ("relationship(sudani, aah) > 0.5 or day >= 300", True),
        ("relationship(sudani, kh) > 0.5 or day >= 400", False),
        ("pm == sudani and casualties > 30", True),
        ("pm != sudani", False),
        ("holds(aah, intelligence_service) and sanctioned(aah)", True),
        ("holds(aah, finance)", False),
        ("support(sadrists) - support(aah) > 0.05", True),
        ("support(sadrists) - support(aah) > 0.15", False),
        ("in_government(aah) and not in_government(sadrists)", True),
        ("brigades(kh) * 2 + mobilisation(aah) == 16", True),
        ("influence(kh) / 3 == 2", True),
        ("law == sainte_lague", True),
        ("law == 'open_list'", False),
        ("law != open_list", True),
        ("elections_held >= 1 and in_session", True),
        ("state_sanctioned", False),
        ("not state_sanctioned", True),
        ("true", True),
        ("false", False),
        ("true == true", True),
        ("in_session != state_sanctioned", True),
        ("clashes == 0", True),
        ("1e2 == 100 and .5 == 0.5 and 2.5e-1 == 0.25 and 1E+1 == 10", True),
        ("relationship(sudani, aah) > -0.5", True),
        ("seats(pm) == 45", True),  # a variable as an argument
        ("seats('asaib-ahl') == 5", True),  # quoting a name that is not an identifier
        ("seats('day') == 3 and day == 310", True),  # quoting a name shadowed by a variable
        ('seats("sadrists") == 73', True),
        ("holds(both, both)", True),  # a name that is both an actor and a post
        ("sadrists == sadrists and sadrists != aah", True),
        ("\n  day\t>\r\n 300 ", True),  # YAML folded text may carry newlines
    ],
)
def test_evaluates(text: str, expected: bool) -> None:
    assert check(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # not binds tighter than and, looser than comparisons
        ("not in_session and state_sanctioned", False),  # (not T) and F; not (T and F) is True
        ("not state_sanctioned and in_session", True),
        ("not day > 400", True),  # not (day > 400)
        ("not not in_session", True),
        # and binds tighter than or; both left to right
        ("true or false and false", True),  # true or (false and false)
        ("(true or false) and false", False),
        ("false and false or true", True),
        # arithmetic
        ("2 + 3 * 4 == 14", True),
        ("(2 + 3) * 4 == 20", True),
        ("10 - 4 - 3 == 3", True),  # left associative
        ("12 / 2 / 3 == 2", True),
        ("2 * 3 / 4 == 1.5", True),
        ("-2 * 3 == -6", True),
        ("- -2 == 2", True),
        ("2 - -2 == 4", True),
        ("-(2 + 3) == -5", True),
        ("1 + 2 < 4 and 4 > 1 + 2", True),
    ],
)
def test_precedence(text: str, expected: bool) -> None:
    assert check(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0 < day < 400", True),
        ("0 < day < 300", False),
        ("400 > day > 300 >= 300", True),
        ("1 == 1 == 1", True),
        ("1 == 1 == 2", False),
        ("1 < 3 > 2", True),  # Python semantics: 1 < 3 and 3 > 2
    ],
)
def test_chained_comparisons(text: str, expected: bool) -> None:
    assert check(text) is expected


def test_chained_comparison_evaluates_middle_once_and_short_circuits() -> None:
    ctx = FakeContext()
    assert parse_condition("0 < seats(aah) < 100", NAMES).evaluate(ctx) is True
    assert ctx.asked == [("seats", ("aah",))]
    ctx = FakeContext()
    assert parse_condition("1 > 2 > seats(aah)", NAMES).evaluate(ctx) is False
    assert ctx.asked == []


def test_and_or_short_circuit() -> None:
    ctx = FakeContext()
    assert parse_condition("false and seats(aah) > 1", NAMES).evaluate(ctx) is False
    assert parse_condition("day > 1 or seats(aah) > 1", NAMES).evaluate(ctx) is True
    assert parse_condition("true or boycotting(aah) or sanctioned(aah)", NAMES).evaluate(ctx)
    assert ctx.asked == [("day", ())]


def test_context_receives_catalogue_names_and_argument_values() -> None:
    ctx = FakeContext()
    parse_condition("relationship(pm, 'aah') > 0 and holds(sudani, finance)", NAMES).evaluate(ctx)
    assert ctx.asked == [
        ("pm", ()),
        ("relationship", ("sudani", "aah")),
        ("holds", ("sudani", "finance")),
    ]


def test_evaluate_returns_real_bools() -> None:
    for text in ("in_session", "boycotting(sadrists)", "day > 1", "not in_session", "true"):
        assert type(check(text)) is bool


# ------------------------------------------------------------------------------------------
# Undefined numbers and odd context values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 / 0 > 0", False),
        ("1 / 0 < 0", False),
        ("1 / 0 == 1 / 0", False),
        ("1 / 0 != 1", False),  # every comparison with an undefined number is false
        ("not (1 / 0 > 0)", True),
        ("0 / 0 >= 0", False),
        ("(1 / 0) * 0 + 5 == 5", False),  # undefined stays undefined
        ("support(sadrists) / support(kh) > 2", False),  # runtime division by zero
        ("support(sadrists) / support(kh) > 2 or day > 1", True),
        ("1 / -0 <= 0", False),
        ("1 < 2 != 1 / 0", False),
    ],
)
def test_division_by_zero_is_undefined(text: str, expected: bool) -> None:
    assert check(text) is expected


class OddContext:
    """Returns one fixed, awkward value for every question."""

    def __init__(self, value: object):
        self.value = value

    def var(self, name: str) -> object:
        return self.value

    def call(self, fn: str, args: tuple[object, ...]) -> object:
        return self.value


class Unbooleanable:
    def __bool__(self) -> bool:
        raise ValueError("ambiguous")

    def __eq__(self, other: object) -> bool:
        raise ValueError("no equality either")

    __hash__ = object.__hash__


@pytest.mark.parametrize(
    "value",
    [
        None,
        "text",
        math.nan,
        math.inf,
        -math.inf,
        10**400,
        -(10**400),
        0,
        True,
        [1, 2],
        Unbooleanable(),
    ],
)
@pytest.mark.parametrize(
    "text",
    [
        "seats(sadrists) > 1",
        "seats(sadrists) / seats(aah) != 1",
        "-casualties * 2 <= day - clashes",
        "boycotting(sadrists) or not in_session",
        "pm == sudani or pm != aah",
        "law == open_list",
        "in_session == state_sanctioned",
        "0 < day < 1e308 * 10",
    ],
)
def test_odd_context_values_never_raise(text: str, value: object) -> None:
    result = parse_condition(text, NAMES).evaluate(OddContext(value))
    assert type(result) is bool


def test_odd_values_read_as_documented() -> None:
    assert parse_condition("in_session", NAMES).evaluate(OddContext(math.nan)) is False
    assert parse_condition("in_session", NAMES).evaluate(OddContext(Unbooleanable())) is False
    assert parse_condition("in_session", NAMES).evaluate(OddContext(2)) is True
    assert parse_condition("day > 1", NAMES).evaluate(OddContext("500")) is False  # not a number
    assert parse_condition("day > 1", NAMES).evaluate(OddContext(10**400)) is True
    assert parse_condition("pm == sudani", NAMES).evaluate(OddContext(None)) is False
    assert parse_condition("pm != sudani", NAMES).evaluate(OddContext(None)) is True


def test_context_errors_propagate() -> None:
    class Broken:
        def var(self, name: str) -> object:
            raise KeyError(name)

        def call(self, fn: str, args: tuple[object, ...]) -> object:
            raise KeyError(fn)

    with pytest.raises(KeyError):
        parse_condition("day > 1", NAMES).evaluate(Broken())


# ------------------------------------------------------------------------------------------
# The Condition object


def test_condition_records_what_it_depends_on() -> None:
    cond = parse_condition(
        "relationship(sudani, 'aah') > 0.5 and pm == sadrists and holds(pm, finance) "
        "and law == open_list and day > 1",
        NAMES,
    )
    assert cond.text.startswith("relationship(")
    assert cond.names_used == {"sudani", "aah", "sadrists"}  # not posts, laws or variables
    assert cond.variables_used == {"pm", "law", "day"}
    assert cond.functions_used == {"relationship", "holds"}
    assert parse_condition("holds(both, both)", NAMES).names_used == {"both"}


def test_condition_is_frozen_and_picklable() -> None:
    cond = parse_condition("seats(sadrists) > 60 and day < 100", NAMES)
    with pytest.raises(AttributeError):
        cond.text = "x"  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(cond))
    assert isinstance(again, Condition)
    assert again == cond
    assert again.evaluate(FakeContext(day=50)) is True
    assert again.evaluate(FakeContext(day=150)) is False


def test_condition_error_is_value_error_and_picklable() -> None:
    err = ConditionError("bad thing", 7)
    assert isinstance(err, ValueError)
    assert str(err) == "bad thing"
    again = pickle.loads(pickle.dumps(err))
    assert (again.message, again.col) == ("bad thing", 7)


def test_names_freezes_any_iterable_and_rejects_a_bare_string() -> None:
    names = Names(actors=["a", "b"], posts=("p",), laws={"l": 1}.keys())
    assert names.actors == frozenset({"a", "b"}) and isinstance(names.laws, frozenset)
    assert hash(names) == hash(Names(actors={"b", "a"}, posts={"p"}, laws={"l"}))
    with pytest.raises(TypeError):
        Names(actors="sadrists")  # type: ignore[arg-type]


def test_catalogue_is_well_formed_and_read_only() -> None:
    assert set(VARIABLES) == {
        "day",
        "casualties",
        "clashes",
        "pm",
        "law",
        "state_sanctioned",
        "in_session",
        "elections_held",
    }
    assert set(FUNCTIONS) == {
        "seats",
        "support",
        "relationship",
        "boycotting",
        "sanctioned",
        "in_government",
        "holds",
        "brigades",
        "mobilisation",
        "influence",
    }
    assert FUNCTIONS["holds"].params == (Kind.ACTOR, Kind.POST)
    assert FUNCTIONS["relationship"].returns is Kind.NUMBER
    for spec in FUNCTIONS.values():
        assert all(isinstance(k, Kind) for k in spec.params) and spec.doc
    with pytest.raises(TypeError):
        VARIABLES["x"] = VARIABLES["day"]  # type: ignore[index]


def test_non_string_text_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        parse_condition(42, NAMES)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------
# Errors, each with its column


@pytest.mark.parametrize(
    ("text", "col", "fragment"),
    [
        # syntax
        ("", 1, "empty"),
        ("   ", 1, "empty"),
        ("day >= ", 8, "expected a value"),
        ("day > 3 day", 9, "after a complete expression"),
        ("day > 3)", 8, "after a complete expression"),
        ("(day > 3", 9, "expected ')' to close the '(' at column 1"),
        ("day @ 3", 5, "unexpected character '@'"),
        ("day > 'sadrists", 7, "unterminated string"),
        ("1.2.3 > 1", 1, "malformed number"),
        ("10abc > 1", 1, "malformed number"),
        ("0x10 > 1", 1, "malformed number"),
        ("day = 3", 5, "'=='"),
        ("day > 1 && true", 9, "'and'"),
        ("day > 1 || true", 9, "'or'"),
        ("!in_session", 1, "'not'"),
        ("day ** 2 > 1", 5, "power"),
        ("day % 2 == 0", 5, "'%'"),
        ("day // 2 == 0", 5, "'//'"),
        ("seats(sadrists,) > 1", 16, "expected a value, found ')'"),
        ("seats(sadrists aah) > 1", 16, "expected ',' or ')'"),
        ("day > 1 and", 12, "expected a value, found the end"),
        ("and day > 1", 1, "expected a value, found 'and'"),
        ("day > 1 # comment", 9, "comments"),
        ("day > 1; true", 8, "';'"),
        ("True", 1, "lower case"),
        ("day > 1 AND true", 9, "after a complete expression"),
        ("AND", 1, "lower case"),
        # names and calls
        ("sadrist == pm", 1, "did you mean 'sadrists'"),
        ("seats(sadrist) > 1", 7, "did you mean 'sadrists'"),
        ("'foo' == pm", 1, "'foo' is not a known actor, post or law"),
        (
            "seats(finance) > 1",
            7,
            "argument 1 of seats() must be an actor, but 'finance' is a post",
        ),
        ("holds(aah, sadrists)", 12, "argument 2 of holds() must be a post"),
        ("holds(finance, finance)", 7, "argument 1 of holds() must be an actor"),
        ("seats(day) > 1", 7, "must be an actor, but 'day' is a number"),
        ("seats(sadrists, aah) > 1", 17, "takes 1 argument"),
        ("relationship(sudani) > 0", 20, "takes 2 arguments, but 1 given"),
        ("seats() > 1", 7, "but 0 given"),
        ("sets(aah) > 1", 1, "did you mean 'seats'"),
        ("seats > 1", 1, "is a function: call it as seats(actor)"),
        ("day(1) > 1", 1, "not a function"),
        ("sadrists(1)", 1, "not a function"),
        # types
        ("casualties", 1, "true/false as a whole, but 'casualties' is a number"),
        ("sadrists", 1, "true/false as a whole, but 'sadrists' is an actor"),
        ("seats(aah)", 1, "seats(...) is a number"),
        ("day + 1", 1, "true/false as a whole"),
        ("pm < 3", 1, "left side of '<' must be a number"),
        ("3 >= pm", 6, "right side of '>=' must be a number"),
        ("true < false", 1, "must be a number"),
        ("pm == 3", 4, "'==' compares things of the same kind"),
        ("law == sadrists", 5, "same kind"),
        ("law == 'sadrists'", 5, "same kind"),
        ("in_session == 1", 12, "same kind"),
        ("pm == finance", 4, "same kind"),
        ("0 < day < pm", 11, "right side of '<'"),
        ("casualties and day > 1", 1, "left side of 'and' must be true/false"),
        ("day > 1 or 5", 12, "right side of 'or' must be true/false"),
        ("not day", 5, "operand of 'not' must be true/false"),
        ("-pm == 1", 2, "operand of unary '-' must be a number"),
        ("pm + 1 > 2", 1, "left side of '+' must be a number"),
        ("day + in_session > 2", 7, "right side of '+' must be a number"),
        ("day * sadrists > 2", 7, "right side of '*'"),
        ("seats(day > 1) > 1", 7, "must be an actor, but this expression is true/false"),
        # Python-looking attacks
        ("__import__('os')", 1, "'__'"),
        ("__builtins__", 1, "'__'"),
        ("().__class__", 2, "expected a value, found ')'"),
        ("open('x')", 1, "unknown function 'open'"),
        ("eval('1')", 1, "unknown function 'eval'"),
        ("exec('1')", 1, "unknown function 'exec'"),
        ("getattr(day, 'real')", 1, "unknown function 'getattr'"),
        ("day.real > 1", 4, "attribute access"),
        ("day[0] > 1", 4, "subscripts"),
        ("seats[0] > 1", 1, "is a function"),
        ("[x for x in y]", 1, "subscripts"),
        ("{1: 2}", 1, "'{'"),
        ("lambda: true", 1, "Python syntax"),
        ("lambda x: x", 1, "Python syntax"),
        ("import os", 1, "Python syntax"),
        ("None", 1, "no 'None'"),
        ("pm is sudani", 4, "after a complete expression"),
        ("is", 1, "'=='"),
        ("f'{day}'", 1, "unknown name 'f'"),
        ("day > 1 if true else false", 9, "after a complete expression"),
        ("`day`", 1, "unexpected character"),
        ("day\\\n > 1", 4, "unexpected character"),
        ("ｄａｙ > 1", 1, "unexpected character"),  # full-width letters are not ASCII names
        ("day > ١", 7, "unexpected character"),  # nor Arabic-Indic digits numbers
    ],
)
def test_errors_have_messages_and_columns(text: str, col: int, fragment: str) -> None:
    with pytest.raises(ConditionError) as info:
        parse_condition(text, NAMES)
    assert info.value.col == col, str(info.value)
    assert fragment in str(info.value)


def test_length_limit() -> None:
    ok = "day > 1 or " * 40 + "true"
    while len(ok) < MAX_LENGTH:
        ok = " " + ok
    assert len(ok) == MAX_LENGTH
    assert check(ok) is True
    with pytest.raises(ConditionError, match="too long") as info:
        parse_condition(" " + ok, NAMES)
    assert info.value.col == MAX_LENGTH + 1


@pytest.mark.parametrize(
    ("opener", "closer", "step"),
    [("(", ")", 1), ("not ", "", 4), ("-", "", 1), ("seats(", ")", 6)],
)
def test_depth_limit(opener: str, closer: str, step: int) -> None:
    def nest(n: int) -> str:
        core = {"(": "true", "not ": "true", "-": "1 > 0", "seats(": "aah"}[opener]
        text = opener * n + core + closer * n
        return text

    if opener == "seats(":
        # calls can only nest through expressions of the right kind, so nest brackets inside
        # one call and count the call as a level too
        parse_condition("seats(" + "(" * (MAX_DEPTH - 1) + "aah" + ")" * MAX_DEPTH + " > 1", NAMES)
        with pytest.raises(ConditionError, match="too deep") as info:
            parse_condition(
                "seats(" + "(" * MAX_DEPTH + "aah" + ")" * (MAX_DEPTH + 1) + " > 1", NAMES
            )
        assert info.value.col == 7 + MAX_DEPTH - 1
        return
    assert check(nest(MAX_DEPTH)) is (opener != "not " or MAX_DEPTH % 2 == 0)
    with pytest.raises(ConditionError, match="too deep") as info:
        parse_condition(nest(MAX_DEPTH + 1), NAMES)
    assert info.value.col == 1 + MAX_DEPTH * step


def test_long_flat_chains_do_not_recurse() -> None:
    # Within the length limit, flat chains are loops, not nested closures.
    text = "+".join(["1"] * 160) + " == 160"
    assert len(text) <= MAX_LENGTH and check(text)
    text = " and ".join(["in_session"] * 30)
    assert check(text)


# ------------------------------------------------------------------------------------------
# Property tests

NUMERIC_VARS = [n for n, v in VARIABLES.items() if v.kind is Kind.NUMBER]
BOOL_VARS = [n for n, v in VARIABLES.items() if v.kind is Kind.BOOL]
PLAIN_ACTORS = ["sadrists", "aah", "sudani", "kh"]
NUMBER_FNS = [n for n, f in FUNCTIONS.items() if f.returns is Kind.NUMBER]
BOOL_FNS = [n for n, f in FUNCTIONS.items() if f.returns is Kind.BOOL]

VOCABULARY = [
    *VARIABLES,
    *FUNCTIONS,
    *PLAIN_ACTORS,
    "finance",
    "interior",
    "open_list",
    "both",
    "'asaib-ahl'",
    '"finance"',
    "'nobody'",
    "nobody",
    "x",
    "and",
    "or",
    "not",
    "true",
    "false",
    "True",
    "None",
    "lambda",
    "__import__",
    "__class__",
    "(",
    ")",
    ",",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "!=",
    "+",
    "-",
    "*",
    "/",
    "0",
    "1",
    "60",
    "0.5",
    "1e3",
    ".5",
    "1e400",
    "9" * 40,
    ".",
    "[",
    "]",
    "=",
    "!",
    "&&",
    "'",
    ":",
    "**",
    "\\",
]


def expect_condition_or_error(text: str) -> Condition | None:
    try:
        cond = parse_condition(text, NAMES)
    except ConditionError as exc:
        assert exc.col >= 1 and exc.col <= len(text) + 1, (text, exc.col)
        assert exc.message and "\n" not in exc.message
        return None
    assert cond.text == text
    return cond


class NumberContext:
    """Answers every question with numbers from a list, in turn: the fuzzing adversary."""

    def __init__(self, values: list[float | int]):
        self.values = values
        self.i = 0

    def _next(self) -> object:
        self.i += 1
        return self.values[self.i % len(self.values)]

    def var(self, name: str) -> object:
        return self._next()

    def call(self, fn: str, args: tuple[object, ...]) -> object:
        return self._next()


NUMBERS = st.lists(
    st.one_of(
        st.integers(min_value=-(10**400), max_value=10**400),
        st.sampled_from([0, 0.0, -0.0, 1, -1]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(tokens=st.lists(st.sampled_from(VOCABULARY), max_size=30), values=NUMBERS)
def test_token_soup_parses_or_raises_condition_error(tokens: list[str], values: list) -> None:
    text = " ".join(tokens)
    cond = expect_condition_or_error(text)
    if cond is not None:
        assert type(cond.evaluate(NumberContext(values))) is bool
        assert type(cond.evaluate(FakeContext())) is bool


@settings(max_examples=400)
@given(text=st.text(max_size=80))
def test_arbitrary_text_parses_or_raises_condition_error(text: str) -> None:
    expect_condition_or_error(text)


@settings(max_examples=400)
@given(text=st.text(alphabet="dayps(),<>=!+-*/ .0123456789e'\"_notrfl", max_size=60))
def test_grammar_alphabet_text_parses_or_raises_condition_error(text: str) -> None:
    cond = expect_condition_or_error(text)
    if cond is not None:
        assert type(cond.evaluate(NumberContext([0, 1.5, -2]))) is bool


def test_arbitrary_long_text_is_rejected_by_length() -> None:
    with pytest.raises(ConditionError, match="too long"):
        parse_condition("(" * 10_000, NAMES)


# Well-typed expressions with a reference value: they must parse, and evaluate to exactly what
# a straightforward reading of the documented semantics gives.

CTX_NUMBERS = {name: float(VARS[name]) for name in NUMERIC_VARS}  # type: ignore[arg-type]
CTX_BOOLS = {name: bool(VARS[name]) for name in BOOL_VARS}
Expr = tuple[str, float]
BoolExpr = tuple[str, bool]


def ref_div(a: float, b: float) -> float:
    return a / b if b != 0 else math.nan


def ref_compare(op: str, a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op]


NUMBER_LEAVES: st.SearchStrategy[Expr] = st.one_of(
    st.integers(0, 10_000).map(lambda n: (str(n), float(n))),
    st.floats(0, 1e6, allow_nan=False).map(lambda x: (repr(x), x)),
    st.sampled_from(NUMERIC_VARS).map(lambda n: (n, CTX_NUMBERS[n])),
    st.sampled_from(PLAIN_ACTORS).map(lambda a: (f"seats({a})", float(SEATS[a]))),
    st.sampled_from(PLAIN_ACTORS).map(lambda a: (f"support('{a}')", float(SUPPORT[a]))),
)


@st.composite
def number_exprs(draw: st.DrawFn, depth: int = 3) -> Expr:
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        return draw(NUMBER_LEAVES)
    if draw(st.booleans()):
        text, value = draw(number_exprs(depth - 1))
        return (f"-({text})", -value)
    (lt, lv), op, (rt, rv) = (
        draw(number_exprs(depth - 1)),
        draw(st.sampled_from("+-*/")),
        draw(number_exprs(depth - 1)),
    )
    ops: dict[str, Callable[[float, float], float]] = {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": ref_div,
    }
    return (f"({lt} {op} {rt})", ops[op](lv, rv))


@st.composite
def bool_exprs(draw: st.DrawFn, depth: int = 3) -> BoolExpr:
    kind = draw(st.integers(0, 5 if depth > 0 else 2))
    if kind == 0:
        name = draw(st.sampled_from([*BOOL_VARS, "true", "false"]))
        return (name, CTX_BOOLS.get(name, name == "true"))
    if kind == 1:
        fn, actor = (
            draw(st.sampled_from(["boycotting", "sanctioned", "in_government"])),
            draw(st.sampled_from(PLAIN_ACTORS)),
        )
        sets = {"boycotting": BOYCOTTING, "sanctioned": SANCTIONED, "in_government": IN_GOVERNMENT}
        return (f"{fn}({actor})", actor in sets[fn])
    if kind == 2:
        n = draw(st.integers(1, 3))
        operands = [draw(number_exprs(1)) for _ in range(n + 1)]
        ops = [draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="])) for _ in range(n)]
        text = operands[0][0]
        value = True
        for op, (left, right) in zip(ops, zip(operands, operands[1:], strict=False), strict=True):
            text += f" {op} {right[0]}"
            value = value and ref_compare(op, left[1], right[1])
        return (f"({text})", value)
    if kind == 3:
        text, value = draw(bool_exprs(depth - 1))
        return (f"not ({text})", not value)
    (lt, lv), (rt, rv) = draw(bool_exprs(depth - 1)), draw(bool_exprs(depth - 1))
    if kind == 4:
        return (f"({lt} and {rt})", lv and rv)
    return (f"({lt} or {rt})", lv or rv)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(expr=bool_exprs())
def test_well_typed_expressions_parse_and_match_reference(expr: BoolExpr) -> None:
    text, expected = expr
    if len(text) > MAX_LENGTH:
        return
    cond = parse_condition(text, NAMES)
    assert cond.evaluate(FakeContext()) is expected, text


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(expr=bool_exprs(), values=NUMBERS)
def test_well_typed_expressions_never_raise_on_numeric_contexts(
    expr: BoolExpr, values: list
) -> None:
    text, _ = expr
    if len(text) > MAX_LENGTH:
        return
    assert type(parse_condition(text, NAMES).evaluate(NumberContext(values))) is bool
