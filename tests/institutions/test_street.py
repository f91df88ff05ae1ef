"""Clashes in real runs: of realistic size, costing support relative to what a party has."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import sim
import sim.scenario
import sim.state
from sim.events import Event

ROOT = Path(__file__).resolve().parents[2]


@cache
def clashes() -> list[tuple[Event, dict[str, float], float]]:
    """Every clash in 100 seeds of `sadr_returns`, with the support shifts and the two sides'
    relationship just before it."""
    sc = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    out = []
    for seed in range(100):
        run = sim.run(sc, seed=seed)
        support: dict[str, float] = {}
        state = sim.state.initial_state(sim.scenario.resolved(sc)["world"])
        for e in run.events:
            if e.kind == "clash":
                a, b = e.details["actors"]
                out.append((e, dict(support), state.relationship(a, b)))
            support.update(e.changes.get("support", {}))
            sim.state.apply(state, e)
    return out


def test_most_clashes_are_skirmishes_and_battles_are_rare() -> None:
    killed = [e.changes["casualties"] for e, _, _ in clashes()]
    assert len(killed) >= 20
    assert sum(k <= 5 for k in killed) > len(killed) / 2
    assert sum(k >= 30 for k in killed) <= len(killed) / 5


def test_a_clash_costs_at_most_a_quarter_of_a_partys_vote_and_hardens_the_rivalry() -> None:
    sc = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    world = sim.scenario.resolved(sc)["world"]
    for e, before, rel in clashes():
        a, b = e.details["actors"]
        for p in (a, b):
            rows = [row[p] for row in world.votes.shares.values() if p in row]
            peak = max(rows) + before.get(p, 0.0)  # the most it polls anywhere
            lost = before.get(p, 0.0) - e.changes["support"][p]
            assert 0 <= lost <= 0.25 * max(peak, 0.0) + 1e-9, (p, lost, peak)
        (_, _, w) = e.changes["relationships"][0]
        assert w <= rel
        if e.changes["casualties"] > 0:
            assert w < rel or w == -1.0
