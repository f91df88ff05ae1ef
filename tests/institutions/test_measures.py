"""Memos and shortcuts (queries' influence, measures' snapshot) give what computing afresh
gives, at every step of real runs.

Influence is memoised on the state it reads, the monthly snapshot copies what no event moved
since the last one and reuses relationship rows, behaviour constants are read from a per-world
table: each is checked here against the plain computation it replaces.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import sim
import sim.scenario
from sim import queries
from sim.compose import new_model
from sim.engine import Model
from sim.events import to_jsonl
from sim.institutions import behaviour, measures
from sim.mechanics.influence import influence_index
from sim.mechanics.power import shapley_shubik

ROOT = Path(__file__).resolve().parents[2]


def fresh_influence(m: Model) -> dict[str, float]:
    seats = {p: n for p, n in m.state.seats.items() if n > 0}
    power = shapley_shubik(seats, m.world.parliament.confidence_quota.value)
    return influence_index(queries.holdings(m.state, m.world), power)


def fresh_snapshot(m: Model) -> dict[str, Any]:
    s = m.state
    return {
        "day": m.now,
        "date": m.date().isoformat(),
        "influence": {a: round(v, 5) for a, v in sorted(fresh_influence(m).items())},
        "seats": dict(sorted(s.seats.items())),
        "relationships": sorted([a, b, w] for (a, b), w in s.relationships.items()),
        "pm": s.pm,
    }


def as_json(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {**snapshot, "relationships": [list(r) for r in snapshot["relationships"]]}


@pytest.mark.parametrize("name", ["sadr_returns.yaml", "law_change_then_sadr_returns.yaml"])
def test_memoised_measures_match_a_fresh_computation_at_every_step(name: str) -> None:
    sc = sim.load_scenario(ROOT / "scenarios" / name)
    world = sim.scenario.resolved(sc)["world"]
    checked = 0
    for seed in (1, 3):
        m = new_model(sc, world, seed)
        m.begin()
        while m.advance(stop=lambda: True):
            if len(m.events) % 7:  # every few steps: enough to meet every kind of change
                continue
            assert queries.influence(m.state, m.world) == fresh_influence(m)
            assert as_json(measures.snapshot(m)) == fresh_snapshot(m)
            checked += 1
    assert checked > 20


def test_influence_hands_out_a_fresh_dict_each_time() -> None:
    sc = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    m = new_model(sc, sim.scenario.resolved(sc)["world"], 0)
    first = queries.influence(m.state, m.world)
    first.clear()
    assert queries.influence(m.state, m.world) == fresh_influence(m) != {}


def test_a_new_world_is_not_answered_from_the_last_worlds_memos() -> None:
    sc = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    world = sim.scenario.resolved(sc)["world"]
    m = new_model(sc, world, 0)
    before = queries.influence(m.state, m.world)
    jitter = behaviour.value(m, "policy.wake_jitter")
    quota = world.parliament.confidence_quota
    parliament = world.parliament.model_copy(
        update={"confidence_quota": quota.model_copy(update={"value": quota.value + 60})})
    constants = {**world.behaviour, "policy.wake_jitter": world.behaviour[
        "policy.wake_jitter"].model_copy(update={"value": jitter / 2})}
    other = world.model_copy(update={"parliament": parliament, "behaviour": constants})
    m2 = new_model(sc, other, 0)
    assert queries.influence(m2.state, m2.world) == fresh_influence(m2) != before
    assert behaviour.value(m2, "policy.wake_jitter") == jitter / 2
    assert behaviour.value(m, "policy.wake_jitter") == jitter
    with pytest.raises(KeyError, match="declare it with its provenance"):
        behaviour.value(m, "no.such.constant")


@pytest.mark.parametrize("name", ["sadr_returns.yaml", "hindcast_2021.yaml"])
def test_runs_stepped_in_turn_log_what_they_log_alone(name: str) -> None:
    """Module-level memos (the standing nomination, a grievance's rival keys, the snapshot's
    row places, influence) are keyed on the run they belong to: runs advanced in turn, step by
    step (as `sim serve` plays several at once), log the same bytes and keep the same history
    as each run alone."""
    sc = sim.load_scenario(ROOT / "scenarios" / name)
    world = sim.scenario.resolved(sc)["world"]
    seeds = (0, 1, 2)
    alone = []
    for seed in seeds:
        m = new_model(sc, world, seed)
        m.run()
        alone.append((to_jsonl(m.events, m.start), m.history))
    models = [new_model(sc, world, seed) for seed in seeds]
    for m in models:
        m.begin()
    live = list(models)
    while live:
        live = [m for m in live if m.advance(stop=lambda: True)]
    assert [(to_jsonl(m.events, m.start), m.history) for m in models] == alone
