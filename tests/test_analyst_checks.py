"""What an Iraq analyst checks first in any run of any shipped scenario (issue 10, "How it will
be checked"): invariants, not calibration figures.

A prime minister is a person of the world's candidates and the summary's party is theirs; no
grouping that is not a party (the world's `formation.not_parties`) sits in a cabinet as a unit,
except as the prime minister's own list; a declared opposition party is rarely in one; and the
timeline does not contradict itself: a ministry the confidence vote left to a later vote is not
taken by a party on its own initiative, no party enters and leaves a cabinet on the same day,
the street holds one protest at a time, the offices go by convention (a Sunni speaker, a
Kurdish president), and at the end of a run with a government no party outside it holds a
ministry.  Twenty fixed seeds of every scenario in scenarios/; the figures behind these checks
over a hundred seeds are in the issue's note.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

import sim
from sim.events import Event
from sim.scenario import resolved
from sim.schema.world import World

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
SEEDS = range(20)


@cache
def world(name: str) -> World:
    return resolved(sim.load_scenario(ROOT / "scenarios" / f"{name}.yaml"))["world"]


@cache
def runs(name: str) -> list[tuple[dict[str, Any], list[Event]]]:
    scenario = sim.load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    out = []
    for seed in SEEDS:
        run = sim.run(scenario, seed=seed)
        out.append((run.summary, run.events))
    return out


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_prime_minister_is_a_person_and_the_party_is_theirs(name: str) -> None:
    w = world(name)
    for s, events in runs(name):
        pm = s["prime_minister"]
        assert pm in w.candidates, f"seed {s['seed']}: prime minister {pm!r} is not a person"
        assert s["prime_minister_party"] == w.candidates[pm].party.value
        assert s["people"][pm]["party"] == s["prime_minister_party"]
        if s["government_formed"] and not s["caretaker"] and s["prime_minister_party"]:
            assert s["prime_minister_party"] in s["government"]
        for e in events:
            if e.kind == "pm_designated" or e.kind == "pm_nominated":
                assert e.details["person"] in w.candidates


@pytest.mark.parametrize("name", SCENARIOS)
def test_no_grouping_sits_in_a_cabinet_as_a_unit(name: str) -> None:
    groupings = set(world(name).formation.not_parties.value)
    for s, events in runs(name):
        for e in events:
            if e.kind == "government_formed":
                inside = (groupings - {e.changes["pm"]}) & set(e.changes["government"])
                assert not inside, f"seed {s['seed']} #{e.id}: {sorted(inside)} in the cabinet"
        assert not (groupings - {s["prime_minister_party"]}) & set(s["government"])


def test_declared_opposition_parties_are_rarely_in_a_cabinet() -> None:
    formed = joined = 0
    for name in SCENARIOS:
        opposition = set(world(name).formation.declared_opposition.value)
        for _, events in runs(name):
            for e in events:
                if e.kind == "government_formed":
                    formed += 1
                    joined += bool(opposition & set(e.changes["government"]))
    assert formed >= len(SCENARIOS) * len(SEEDS) // 2
    assert joined <= 0.1 * formed


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_ministry_left_to_a_later_vote_is_not_taken_by_a_party(name: str) -> None:
    """The confidence vote may approve part of a cabinet; parliament fills the rest later
    (`ministers_approved`).  Before, AAH took those ministries on its own initiative, often the
    day the cabinet was voted in ('Finance waits for a later vote' / 'AAH takes Finance')."""
    for s, events in runs(name):
        awaiting: set[str] = set()
        for e in events:
            if e.kind == "government_formed":
                awaiting = set(e.details.get("rejected") or ())
            elif e.kind == "ministers_approved":
                awaiting -= set(e.changes["ministries"])
            elif e.kind == "post_assigned":
                taken = set(e.changes.get("ministries") or ()) & awaiting
                assert not taken, f"seed {s['seed']} #{e.id}: {e.text}"


@pytest.mark.parametrize("name", SCENARIOS)
def test_no_party_enters_and_leaves_a_cabinet_on_the_same_day(name: str) -> None:
    for s, events in runs(name):
        cabinet: set[str] = set(world(name).government.members.value)
        moved: dict[str, set[int]] = {}  # party -> days on which it entered or left
        for e in events:
            new = e.changes.get("government")
            if new is None:
                continue
            for party in cabinet ^ set(new):
                day = int(e.t)
                assert day not in moved.setdefault(party, set()), (
                    f"seed {s['seed']} #{e.id}: {party} in and out of the cabinet on day {day}")
                moved[party].add(day)
            cabinet = set(new)


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_street_holds_one_protest_at_a_time(name: str) -> None:
    for s, events in runs(name):
        on: str | None = None
        for e in events:
            if e.kind == "protest_started":
                assert on is None, f"seed {s['seed']} #{e.id}: a protest while {on}'s is on"
                on = e.actor
            elif e.kind == "protest_ended":
                assert on == e.actor, f"seed {s['seed']} #{e.id}: {e.actor}'s protest was not on"
                on = None


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_offices_go_by_convention(name: str) -> None:
    w = world(name)
    f = w.formation
    for _, events in runs(name):
        for e in events:
            if e.kind == "speaker_elected":
                assert w.actors[e.details["party"]].sect == f.speaker_sect.value, e.text
            elif e.kind == "president_elected":
                assert e.details["party"] in f.president_parties.value, e.text
            elif e.kind == "government_formed":
                assert w.candidates[e.changes["pm_person"]].sect == f.premier_sect.value


@pytest.mark.parametrize("name", SCENARIOS)
def test_at_the_end_no_party_outside_the_government_holds_a_ministry(name: str) -> None:
    for s, _ in runs(name):
        if not s["government_formed"] or s["caretaker"]:
            continue
        outside = {m: h for m, h in s["ministries"].items()
                   if h is not None and h not in s["government"]}
        assert not outside, f"seed {s['seed']}: {outside}"


@pytest.mark.parametrize("name", SCENARIOS)
def test_days_to_government_mean_a_government_after_the_last_election(name: str) -> None:
    for s, events in runs(name):
        elections = [e for e in events if e.kind == "election_held"]
        days = s["days_to_government"]
        if not elections:
            assert days is None
            continue
        formed = [e for e in events if e.kind == "government_formed"
                  and e.id > elections[-1].id]
        assert (days is not None) == bool(formed) == bool(s["government_formed"])
        if formed:
            assert days == pytest.approx(formed[-1].t - elections[-1].t, abs=0.01)
            assert days > 0


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_prime_minister_s_moves_need_the_office_or_seats(name: str) -> None:
    """The `sudani` behaviour courts partners and balances Washington against Tehran as a prime
    minister or a list leader with seats does; in the 2021 hindcast Sudani is neither until the
    Framework names him, and before this he courted AAH ~12 times a run (alliances in 32 of 100
    runs) as a 0-seat back-bencher."""
    w = world(name)
    movers = {a for a, x in w.actors.items() if x.policy is not None and x.policy.kind == "sudani"}
    moves = {"bloc_courted", "patron_balanced", "alliance_formed"}  # their actor is the mover
    for s, events in runs(name):
        pm = w.candidates[w.government.prime_minister.value].party.value
        seats = {p: c.value for p, c in w.parliament.seats.items()}
        for e in events:
            if e.kind in moves and e.actor in movers:
                assert pm == e.actor or seats.get(e.actor, 0) > 0, (
                    f"seed {s['seed']} #{e.id}: {e.text}")
            if "pm" in e.changes:
                pm = e.changes["pm"]
            if isinstance(e.changes.get("seats"), dict) and len(e.changes["seats"]) > 1:
                seats = dict(e.changes["seats"])


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_cabinet_is_the_designate_s_whom_parliament_voted_for(name: str) -> None:
    for s, events in runs(name):
        designate = voted = None
        for e in events:
            if e.kind == "election_held":
                designate = voted = None
            elif e.kind == "pm_designated":
                designate = e.details["person"]
            elif e.kind == "confidence_vote":
                voted = e.details["person"]
                assert voted == designate, f"seed {s['seed']} #{e.id}: {e.text}"
            elif e.kind == "government_formed":
                assert e.changes["pm_person"] == voted, f"seed {s['seed']} #{e.id}: {e.text}"
