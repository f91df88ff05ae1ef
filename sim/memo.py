"""Values computed from a world and kept while runs of that world ask for them.

Many institutions read the same derived tables at every step (the behaviour constants as
floats, the governorates two lists share, the seats of the house): they are pure functions of
the world, so they are computed once per world.  Runs of different worlds may be stepped in
turn, even in threads (`sim serve` plays several classrooms at once), so a memo is read and
replaced whole -- one attribute read, one tuple -- and a run never gets another world's table
between a check and a read: the old pattern (`if memo[0] is not world: memo[:] = [...]`, then
`memo[1]`) could.  A table that fills up as it is asked (a dict) belongs to its world's entry,
so a run filling it never writes into another world's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class PerWorld(Generic[T]):
    """`memo(world)`: `build(world)`, computed once for the last world asked about."""

    __slots__ = ("_build", "_entry")

    def __init__(self, build: Callable[[Any], T]) -> None:
        self._build = build
        self._entry: tuple[Any, T] | None = None

    def __call__(self, world: Any) -> T:
        entry = self._entry
        if entry is None or entry[0] is not world:
            entry = self._entry = (world, self._build(world))
        return entry[1]
