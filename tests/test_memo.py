"""`sim.memo.PerWorld`: one value per world, rebuilt when another world asks, and a table that
fills up as it is asked belongs to its world (runs of two worlds in turn never share one)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sim.institutions import behaviour
from sim.memo import PerWorld


def test_built_once_per_world_and_again_when_the_world_changes() -> None:
    built: list[Any] = []
    memo: PerWorld[int] = PerWorld(lambda w: built.append(w) or len(built))
    a, b = object(), object()
    assert [memo(a), memo(a), memo(b), memo(b), memo(a)] == [1, 1, 2, 2, 3]
    assert built == [a, b, a]


def test_a_table_filled_for_one_world_is_not_the_other_world_s() -> None:
    memo: PerWorld[dict[str, int]] = PerWorld(lambda w: {})
    a, b = object(), object()
    table_a = memo(a)
    table_a["x"] = 1
    table_b = memo(b)  # another world asks while a run of `a` still holds its table
    table_a["y"] = 2
    assert table_b == {} and memo(b) is table_b
    assert memo(a) is not table_a and memo(a) == {}  # rebuilt for `a`, never b's


def test_behaviour_constants_follow_the_world_asked_about() -> None:
    def world(v: float) -> Any:
        return SimpleNamespace(behaviour={"k": SimpleNamespace(value=v)})

    one, two = SimpleNamespace(world=world(1.0)), SimpleNamespace(world=world(2.0))
    assert [behaviour.value(m, "k") for m in (one, two, one, two)] == [1.0, 2.0, 1.0, 2.0]
