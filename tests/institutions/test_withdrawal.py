"""A blocked bloc's leader withdraws his deputies (`formation.withdrawal`): the hazard, the
event, and formation going on without the party; then the 2021 hindcast, where it happens in
some runs and not in others (Sadr's 73 deputies resigned in June 2022, FACTS.md)."""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import sim
from sim.compose import new_model
from sim.engine import Model
from sim.schema.world import Cited, WithdrawalSpec, World
from sim.state import pair
from tests.institutions.test_formation import QUICK, baseline, kinds, world

ROOT = Path(__file__).resolve().parents[2]
fm = importlib.import_module("sim.institutions.formation")

# the Sadrists lead a bloc with the KDP and the Sunni parties; the Framework and its friends
# (119 seats) stay away from the president's session: the blocking third of 2022
SEATS = {"sadrists": 80, "kdp": 40, "taqaddum": 40, "azm": 20,  # 180
         "sol": 50, "badr": 30, "aah": 10, "puk": 20, "state_forces": 9,  # 119
         "independents": 30}  # 329
TIES = {("sadrists", "kdp"): 0.4, ("sadrists", "taqaddum"): 0.4, ("sadrists", "azm"): 0.4,
        **{("sadrists", p): -0.9 for p in ("sol", "badr", "aah", "puk", "state_forces")},
        **{(p, "puk"): 0.5 for p in ("sol", "badr", "aah", "state_forces")}}


def running(w: World, until: float = 2000.0, record: dict[str, Any] | None = None) -> Model:
    """Formation alone after a mock election in which the Sadrists ran (`SEATS`, `TIES`);
    `record` adds the election's record (its votes by governorate, or declared runners-up)."""
    m = new_model(baseline(), w, 0)
    for (a, b), x in TIES.items():
        m.state.relationships[pair(a, b)] = x
    house = {p: 0 for p in m.state.seats} | SEATS
    ev = m.emit("election_held", None, {
        "seats": house, "boycotting": {"sadrists": False},
        "caretaker": True, "formation_open": True, "president_elected": False,
        "nominee": None} | ({"election": {"day": 0.0, "date": "2024-06-01", "law": "x",
                                          "seats_before": house, "seats": house, "votes": {},
                                          **record}} if record is not None else {}),
        None, "A test election.")
    m.env.process(fm.formation(m, ev.id))
    m.env.run(until=until)
    return m


def alone(w: World) -> World:
    """`w` with no grouping deputy open to a bloc's offer (`recruitment.available_share` 0),
    so the resigning bloc holds exactly the seats it won."""
    behaviour = dict(w.behaviour)
    behaviour["recruitment.available_share"] = Cited[float](value=0.0, assumption="test")
    return w.model_copy(update={"behaviour": behaviour})


def withdrawing(patience: float = 0.0, hazard: float = 0.5, **formation: Any) -> World:
    cite = "test"
    spec = WithdrawalSpec(patience=Cited[float](value=patience, assumption=cite),
                          hazard=Cited[float](value=hazard, assumption=cite),
                          runners_up=Cited[str](value="by governorate", assumption=cite))
    return world(**QUICK, deal_hazard=0.0, grouping_absence=0.0, withdrawal=spec, **formation)


def test_the_seed_world_lets_only_the_sadrists_withdraw() -> None:
    w = sim.scenario.resolved(baseline())["world"]
    able = [a for a, x in w.actors.items() if x.withdraws_deputies and x.withdraws_deputies.value]
    assert able == ["sadrists"]
    assert w.formation.withdrawal is not None


@pytest.mark.parametrize("days", [0.0, 100.0, 400.0, 5000.0])
def test_no_deadlock_no_withdrawal(days: float) -> None:
    m = new_model(baseline(), withdrawing(hazard=10.0), 0)
    assert fm.withdrawal_chance(m, 0, days) == 0.0  # no failed session: no deadlock


def test_the_hazard_waits_for_patience_and_rises_with_days_and_failed_sessions() -> None:
    m = new_model(baseline(), withdrawing(patience=120.0, hazard=0.01), 0)
    assert fm.withdrawal_chance(m, 5, 119.0) == 0.0
    by_days = [fm.withdrawal_chance(m, 3, d) for d in (150.0, 200.0, 250.0)]
    by_sessions = [fm.withdrawal_chance(m, n, 200.0) for n in (1, 3, 6)]
    assert 0 < by_days[0] < by_days[1] < by_days[2] < 1
    assert 0 < by_sessions[0] < by_sessions[1] < by_sessions[2] < 1


def test_a_blocked_bloc_withdraws_and_formation_goes_on_without_it() -> None:
    m = running(withdrawing())
    fails = kinds(m, "president_vote_failed")
    (quit_,) = kinds(m, "deputies_resigned")
    assert fails and fails[-1].t <= quit_.t and quit_.actor == "sadrists"
    seats = quit_.changes["seats"]
    assert seats["sadrists"] == 0 and sum(seats.values()) == 329
    # nobody but the resigning party loses a seat: against the house just before (grouping
    # deputies may have joined blocs since the election, as `deputies_joined` events)
    before = dict(SEATS)
    for e in m.events[:quit_.id]:
        if e.kind == "deputies_joined":
            before = {p: e.changes["seats"].get(p, 0) for p in SEATS}
    assert all(seats[p] >= n for p, n in before.items() if p != "sadrists")
    assert quit_.changes["boycotting"] == {"sadrists": True}
    assert m.state.seats["sadrists"] == 0 and "sadrists" in m.state.boycotting
    # the blocking third dissolves: the Framework now leads and its president is elected
    (elected,) = kinds(m, "president_elected")
    assert elected.t > quit_.t
    assert kinds(m, "government_formed")
    assert "sadrists" not in m.state.government


def test_without_the_world_s_withdrawal_section_the_deadlock_just_lasts() -> None:
    m = running(world(**QUICK, deal_hazard=0.0, grouping_absence=0.0, withdrawal=None),
                until=800.0)
    assert len(kinds(m, "president_vote_failed")) > 20
    assert not kinds(m, "deputies_resigned") and not kinds(m, "president_elected")


@cache
def hindcast(seed: int) -> sim.Run:
    return sim.run(sim.load_scenario(ROOT / "scenarios" / "hindcast_2021.yaml"), seed=seed)


def test_the_hindcast_shows_a_sadrist_withdrawal_in_some_runs_not_all() -> None:
    quits = [e for seed in range(30) for e in hindcast(seed).events
             if e.kind == "deputies_resigned"]
    assert 0 < len(quits) < 30
    for e in quits:  # only after deadlock, and only by the party that can
        assert e.actor == "sadrists" and e.details["failed_sessions"] >= 1
        assert sum(e.changes["seats"].values()) == 329 and e.changes["seats"]["sadrists"] == 0


def test_runners_up_come_from_the_election_that_produced_the_seats() -> None:
    # the run's own election: the Sadrists won all 80 seats in Basra, where State of Law and
    # Badr came next 3:1; the world's 2024 vote shares play no part
    record = {"governorates": {
        "Basra": {"votes": {"sadrists": 500, "sol": 300, "badr": 100}, "seats": {"sadrists": 80}},
        "Erbil": {"votes": {"kdp": 900, "puk": 300}, "seats": {"kdp": 40}}}}
    m = running(alone(withdrawing()), record=record)
    (quit_,) = kinds(m, "deputies_resigned")
    assert quit_.details["gains"] == {"sol": 60, "badr": 20}


def test_a_certified_result_hands_the_seats_to_its_declared_runners_up() -> None:
    record = {"runners_up": {"sadrists": {"independents": 50, "state_forces": 30}}}
    m = running(alone(withdrawing()), record=record)
    (quit_,) = kinds(m, "deputies_resigned")
    assert quit_.details["gains"] == {"independents": 50, "state_forces": 30}


def test_the_hindcast_s_resignations_follow_the_june_2022_record() -> None:
    w = sim.scenario.resolved(sim.load_scenario(ROOT / "scenarios" / "hindcast_2021.yaml"))[
        "world"]
    record = {p: c.value for p, c in w.parliament.runners_up["sadrists"].items()}
    assert sum(record.values()) == 73
    quits = [e for seed in range(30) for e in hindcast(seed).events
             if e.kind == "deputies_resigned" and e.details["seats_vacated"] == 73]
    assert quits
    for e in quits:
        assert e.details["gains"] == {p: n for p, n in record.items() if n}
