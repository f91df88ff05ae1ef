"""Researchers' own outcomes: ``--outcome NAME=EXPR`` in the scenario condition language.

EXPR is the language of scenario triggers (``in_government(sadrists) and casualties > 20``,
``seats(sadrists) >= 60``), evaluated once per run on the final state; the result is a
true/false column NAME.  Everything is parsed and checked against the scenario's actors, posts
and laws when the sweep is set up, so a typo is one located line before anything runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sim.conditions import ConditionError, Names, parse_condition
from sim.errors import InputError

OPTION = "--outcome"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _names(scenario: Any) -> Any:
    from sim.scenario import resolved

    world = resolved(scenario)["world"]
    return Names(actors=frozenset(world.actors),
                 posts=frozenset(world.ministries) | frozenset(world.posts),
                 laws=frozenset(world.laws))


def parse_outcomes(items: Sequence[str] | Mapping[str, str], scenario: Any,
                   taken: Sequence[str] = ()) -> tuple[tuple[str, str], ...]:
    """Check ``NAME=EXPR`` items (or a ``{name: expr}`` mapping); return (name, expr) pairs."""
    pairs: list[tuple[str, str]] = []
    if isinstance(items, Mapping):
        raw = [(str(k), str(v)) for k, v in items.items()]
    else:
        raw = []
        for item in items:
            name, sep, expr = item.partition("=")
            if not sep or not name.strip() or not expr.strip():
                raise InputError.cli(OPTION, f"{item!r} is not NAME=EXPR")
            raw.append((name.strip(), expr.strip()))
    names = _names(scenario)
    seen: set[str] = set()
    for name, expr in raw:
        if not _NAME.match(name):
            raise InputError.cli(OPTION, f"{name!r}: a name is letters, digits and _ only")
        if name in seen or name in taken:
            raise InputError.cli(OPTION, f"{name}: the name is taken; choose another")
        seen.add(name)
        try:
            parse_condition(expr, names)
        except ConditionError as exc:
            raise InputError.cli(OPTION, f"{name}: column {exc.col}: {exc.message}") from None
        pairs.append((name, expr))
    return tuple(pairs)


_CACHE: dict[tuple[int, tuple[tuple[str, str], ...]], Any] = {}


def compiled(scenario: Any, outcomes: tuple[tuple[str, str], ...]) -> Any:
    """Parsed conditions, once per worker process and scenario."""
    key = (id(scenario), outcomes)
    if key not in _CACHE:
        names = _names(scenario)
        _CACHE.clear()  # one sweep per process at a time: keep only the current scenario's
        _CACHE[key] = tuple((name, parse_condition(expr, names)) for name, expr in outcomes)
    return _CACHE[key]
