"""Clashes in real runs: of realistic size, costing support relative to what a party has."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import sim
import sim.engine
import sim.institutions.behaviour
import sim.scenario
import sim.state
from sim.compose import new_model
from sim.events import Event
from sim.institutions import street

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


def _hindcast_model() -> sim.engine.Model:
    sc = sim.load_scenario(ROOT / "scenarios" / "hindcast_2021.yaml")
    m = new_model(sc, sim.scenario.resolved(sc)["world"], 0)
    house = dict(m.state.seats)
    m.emit("election_held", None, {
        "seats": house, "election": {"day": 0.0, "date": "2021-10-10", "law": "2020_sntv",
                                     "seats_before": house, "seats": house, "votes": {}},
        "formation_open": True, "boycotting": {"sadrists": False}}, None, "A test election.")
    return m


def test_a_party_is_withdrawn_when_it_gave_up_the_seats_it_won() -> None:
    m = _hindcast_model()
    assert not street.withdrawn(m, "sadrists")
    m.emit("deputies_resigned", "sadrists", {
        "seats": {**m.state.seats, "sadrists": 0, "independents": 116},
        "boycotting": {"sadrists": True}}, None, "They resign.")
    assert street.withdrawn(m, "sadrists")
    assert not street.withdrawn(m, "sudani")  # won nothing, so gave nothing up


def test_a_rival_camp_s_nominee_stands_until_the_formation_moves_past_it() -> None:
    m = _hindcast_model()
    assert street.rival_nominee(m, "sadrists") is None
    before = street.grievance(m, "sadrists")
    # Sudani's own party is not an open rival of the Sadrists, but the Framework's head is
    m.emit("pm_nominated", "sudani", {}, None, "The Framework nominates Sudani.",
           details={"person": "sudani", "party": "sudani", "bloc": "cf"})
    assert street.rival_nominee(m, "sadrists") == "sudani"
    assert street.rival_nominee(m, "kdp") is None  # not a rival of the Framework's head
    assert street.grievance(m, "sadrists") == pytest.approx(
        min(1.0, before + sim.institutions.behaviour.value(m, "grievance.rival_nominee")))
    m.emit("designate_withdrew", "sudani", {"nominee": None}, None, "He steps aside.")
    assert street.rival_nominee(m, "sadrists") is None


def test_resigned_sadrists_take_to_the_street_against_a_rival_nominee() -> None:
    sc = sim.load_scenario(ROOT / "scenarios" / "hindcast_2021.yaml")
    against = prompt = 0
    for seed in range(30):
        run = sim.run(sc, seed=seed)
        resigned, nominee, named = None, None, 0.0
        for e in run.events:
            if e.kind == "deputies_resigned":
                resigned = e.t
            elif e.kind == "pm_nominated" and resigned is not None:
                nominee, named = e.details["person"], e.t
            elif e.kind in ("government_formed", "designate_withdrew"):
                nominee = None
            elif e.kind == "protest_started" and e.actor == "sadrists" and resigned is not None \
                    and not any(x.kind == "boycott_ended" for x in run.events if x.t <= e.t):
                assert nominee is not None  # out of parliament, only against a nominee
                against += 1
                prompt += e.t - named < 1  # the nomination woke them (July 2022: two days)
    assert against >= 3 and prompt >= 1
