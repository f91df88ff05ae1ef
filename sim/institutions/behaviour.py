"""Behaviour constants: the numbers that drive policies, the street, posts and incumbency, read
from the world's `behaviour` section, where each carries its provenance (so a run's
`summary.assumptions` lists every guess the model makes).  Code names a constant; it never
holds its value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.context import Context


# Units, not behaviour: the world states rates "per 30 days" (a month of the calendar the
# seed and FACTS.md count in) and places actors and candidates on 0..100 issue scales.
DAYS_PER_MONTH = 30.0
ISSUE_SCALE = 100.0
# an actor's fit with a candidate who stands on none of the issues it cares about: halfway
# between the closest (1) and the farthest (0), neither a reason for nor against
NO_COMMON_ISSUE_FIT = 0.5


# (the world, its constants as plain floats): policies read them thousands of times a run, so
# this memo is `sim.memo.PerWorld` inlined (no call per read), replaced whole like it
_VALUES: tuple[Any, dict[str, float]] = (None, {})


def value(m: Context, name: str) -> float:
    """The world's value of behaviour constant `name` (a KeyError names a missing one)."""
    global _VALUES
    world = m.world
    owner, values = _VALUES
    if owner is not world:
        values = {k: float(c.value) for k, c in world.behaviour.items()}
        _VALUES = (world, values)
    try:
        return values[name]
    except KeyError:
        raise KeyError(f"world.behaviour has no {name!r}: declare it with its provenance") \
            from None
