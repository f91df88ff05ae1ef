"""``--where`` expressions over a sweep's result columns, for scenario discovery.

``government_formed``, ``in_government.sadrists and casualties > 20``,
``not caretaker or days_to_government < 200``, ``prime_minister == 'sudani'``: the operators
of the scenario condition language (``and or not``, comparisons, ``+ - * /``), whose names are
the results table's columns (dotted, as written in ``results.parquet``) or, for parameters,
their plain names.  A column whose name has other characters goes in backticks
(`` `pm.al-maliki` ``).  Text is never handed to Python's `eval`: a small tokenizer and
recursive-descent parser build numpy operations over whole columns.  A missing value
(a run without a government has no ``days_to_government``) makes a comparison false.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from sim.errors import InputError

OPTION = "--where"
_TOKEN = re.compile(r"""
    \s*(?:
      (?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)
    | (?P<str>'[^']*'|"[^"]*")
    | (?P<tick>`[^`]+`)
    | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
    | (?P<op><=|>=|==|!=|<|>|\(|\)|\+|-|\*|/)
    )""", re.VERBOSE)
KEYWORDS = {"and", "or", "not", "true", "false"}


def _fail(text: str, col: int, message: str) -> InputError:
    return InputError.cli(OPTION, f"column {col}: {message} (in {text!r})")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    i = 0
    while i < len(text):
        if text[i:].strip() == "":
            break
        m = _TOKEN.match(text, i)
        if not m or m.end() == i:
            j = len(text) - len(text[i:].lstrip())
            raise _fail(text, j + 1, f"unexpected {text[j]!r}")
        kind = m.lastgroup or ""
        value = m.group(kind)
        out.append((kind, value, m.start(kind) + 1))
        i = m.end()
    out.append(("end", "", len(text) + 1))
    return out


class _Parser:
    def __init__(self, text: str, frame: Any):
        self.text = text
        self.frame = frame
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.toks[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, value: str | None = None) -> bool:
        k, v, _ = self.peek()
        return k == kind and (value is None or v == value)

    def parse(self) -> Any:
        value = self.or_()
        kind, v, col = self.peek()
        if kind != "end":
            raise _fail(self.text, col, f"unexpected {v!r}")
        return value

    def or_(self) -> Any:
        value = self.and_()
        while self.at("name", "or"):
            self.take()
            value = _truth(value) | _truth(self.and_())
        return value

    def and_(self) -> Any:
        value = self.not_()
        while self.at("name", "and"):
            self.take()
            value = _truth(value) & _truth(self.not_())
        return value

    def not_(self) -> Any:
        if self.at("name", "not"):
            self.take()
            return ~_truth(self.not_())
        return self.compare()

    def compare(self) -> Any:
        left = self.sum_()
        ops: dict[str, Callable[[Any, Any], Any]] = {
            "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
        }
        result = None
        while self.at("op") and self.peek()[1] in ops:
            op = self.take()[1]
            right = self.sum_()
            link = _fill(ops[op](left, right))
            result = link if result is None else result & link
            left = right
        return left if result is None else result

    def sum_(self) -> Any:
        value = self.term()
        while self.at("op") and self.peek()[1] in "+-":
            op = self.take()[1]
            right = self.term()
            value = value + right if op == "+" else value - right
        return value

    def term(self) -> Any:
        value = self.unary()
        while self.at("op") and self.peek()[1] in "*/":
            op = self.take()[1]
            right = self.unary()
            value = value * right if op == "*" else value / right
        return value

    def unary(self) -> Any:
        if self.at("op", "-"):
            self.take()
            return -self.unary()
        return self.primary()

    def primary(self) -> Any:
        kind, value, col = self.take()
        if kind == "num":
            return float(value)
        if kind == "str":
            return value[1:-1]
        if kind == "op" and value == "(":
            inner = self.or_()
            if not self.at("op", ")"):
                raise _fail(self.text, self.peek()[2], "expected ')'")
            self.take()
            return inner
        if kind == "name" and value in ("true", "false"):
            return value == "true"
        if kind == "tick":
            return self.column(value[1:-1], col)
        if kind == "name" and value not in KEYWORDS:
            return self.column(value, col)
        shown = "the end" if kind == "end" else repr(value)
        raise _fail(self.text, col, f"expected a value, found {shown}")

    def column(self, name: str, col: int) -> Any:
        frame = self.frame
        for candidate in (name, f"param.{name}"):
            if candidate in frame.columns:
                series = frame[candidate]
                if str(series.dtype) in ("boolean", "bool"):
                    return series.astype("boolean")
                if str(series.dtype)[0].isupper() or series.dtype.kind in "iuf":
                    return series.astype("Float64")
                return series
        close = difflib.get_close_matches(name, list(frame.columns), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise _fail(self.text, col, f"no column {name!r} in the results{hint}")


def _fill(series: Any) -> Any:
    """Missing values (no government, a failed comparison) count as false."""
    if hasattr(series, "fillna"):
        return series.astype("boolean").fillna(False)
    return series


def _truth(value: Any) -> Any:
    if hasattr(value, "astype"):
        return value.astype("boolean").fillna(False)
    return bool(value)


def evaluate(text: str, frame: Any) -> Any:
    """A boolean Series over `frame`'s rows (True where EXPR holds); InputError on mistakes."""
    import pandas as pd

    if not text.strip():
        raise InputError.cli(OPTION, "empty expression")
    try:
        result = _Parser(text, frame).parse()
    except InputError:
        raise
    except (TypeError, ValueError) as exc:
        raise InputError.cli(OPTION, f"cannot evaluate {text!r}: {exc}") from None
    if not isinstance(result, pd.Series):
        raise InputError.cli(OPTION, f"{text!r} does not depend on any column")
    if str(result.dtype) not in ("boolean", "bool"):
        raise InputError.cli(OPTION, f"{text!r} is a number, not true/false; compare it "
                             "(e.g. '> 0')")
    return result.astype("boolean").fillna(False).astype(bool)
