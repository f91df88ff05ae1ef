"""Behaviour constants: the numbers that drive policies, the street, posts and incumbency, read
from the world's `behaviour` section, where each carries its provenance (so a run's
`summary.assumptions` lists every guess the model makes).  Code names a constant; it never
holds its value."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.context import Context


def value(m: Context, name: str) -> float:
    """The world's value of behaviour constant `name` (a KeyError names a missing one)."""
    try:
        return float(m.world.behaviour[name].value)
    except KeyError:
        raise KeyError(f"world.behaviour has no {name!r}: declare it with its provenance") \
            from None
