"""Properties of the engine over random seeds, scenarios and parameter values.

Each example picks a scenario from `scenarios/`, a seed in 0..2**32 and, for every declared
parameter, a value inside its declared bounds; then checks the invariants the log and the
state promise (docs/CONTRACTS.md): the seats add up after every event, nothing goes negative,
time runs forward, causes point back, and the log alone replays the run, even through JSON.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.events import from_jsonl, to_jsonl
from sim.scenario import resolved
from sim.schema.scenario import Scenario
from sim.state import apply, initial_state, replay

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))

# Fewer than 100 examples, deliberately: every example here is one or more whole engine runs
# (a two-year run costs about 0.1-0.5 s, more under load), so 100 examples would make each
# property take minutes.  The properties are structural (replay, byte-identical logs, one
# holder per ministry) and hold for any seed; the cheaper mechanics they rest on are tested
# with 100-400 examples in tests/mechanics/ and tests/test_conditions.py.
PROPERTY = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@cache
def scenario(name: str) -> Scenario:
    return sim.load_scenario(ROOT / "scenarios" / name)


@cache
def run_of(name: str, seed: int, params: tuple[tuple[str, float], ...]) -> sim.Run:
    return sim.run(scenario(name), seed=seed, parameters=dict(params))


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, int, tuple[tuple[str, float], ...]]:
    """A scenario, a seed and a value within bounds for each declared parameter."""
    name = draw(st.sampled_from(SCENARIOS))
    seed = draw(st.integers(min_value=0, max_value=2**32))
    params = []
    for pname, param in sorted(scenario(name).parameters.items()):
        lo, hi = param.bounds()
        if param.integer:
            value = float(draw(st.integers(min_value=int(lo), max_value=int(hi))))
        else:
            value = draw(st.floats(min_value=lo, max_value=hi, allow_nan=False,
                                   allow_infinity=False))
        params.append((pname, value))
    return name, seed, tuple(params)


def world_of(name: str) -> Any:
    return resolved(scenario(name))["world"]


def test_scenarios_folder_is_not_empty() -> None:
    assert "baseline.yaml" in SCENARIOS and len(SCENARIOS) >= 2


@PROPERTY
@given(cases())
def test_state_stays_sound_after_every_event(case: tuple) -> None:
    """Seats sum to the house's size (329; 328 in 2014) and nothing is negative after each
    event, not just at the end."""
    name, seed, params = case
    r = run_of(name, seed, params)
    world = world_of(name)
    size = world.parliament.size.value
    state = initial_state(world)
    assert sum(state.seats.values()) == size
    for event in r.events:
        apply(state, event)
        where = f"after event {event.id} ({event.kind})"
        assert sum(state.seats.values()) == size, where
        assert min(state.seats.values()) >= 0, where
        assert all(n >= 0 for n in state.brigades.values()), where
        assert all(x >= 0 for x in state.mobilisation.values()), where
        assert state.casualties >= 0 and state.clashes >= 0, where
        assert set(state.seats) >= set(world.parliament.seats), where
    assert r.summary["seats"] == dict(sorted(state.seats.items()))
    assert r.summary["casualties"] == state.casualties


def check_ministries(world: Any, events: list[Any]) -> Any:
    """Fold `events`, checking every ministry after each one; return the final state.

    A ministry always has one holder, a known actor, except after an event whose changes name
    it with None (vacated); a government formation fills every ministry from its members, or
    leaves it explicitly vacant when parliament rejects that minister (a partial confidence
    vote, as in 2014 and 2018).
    """
    actors = {a for a, spec in world.actors.items() if spec.kind != "bloc"}
    state = initial_state(world)
    assert all(h is not None for h in state.ministries.values())
    vacated: set[str] = set()  # ministries whose latest explicit assignment was None
    for event in events:
        apply(state, event)
        for ministry, holder in event.changes.get("ministries", {}).items():
            (vacated.add if holder is None else vacated.discard)(ministry)
        where = f"after event {event.id} ({event.kind})"
        assert set(state.ministries) == set(world.ministries), where
        for ministry, holder in state.ministries.items():
            if holder is None:
                assert ministry in vacated, f"{ministry} empty without a vacating event, {where}"
            else:
                assert isinstance(holder, str) and holder in actors, (ministry, holder, where)
        if event.kind == "government_formed":
            members = set(state.government) | {state.pm}
            assert set(event.changes["ministries"]) == set(world.ministries), where
            assert {h for h in state.ministries.values() if h is not None} <= members, where
    return state


@PROPERTY
@given(cases())
def test_each_ministry_has_one_holder_unless_explicitly_vacated(case: tuple) -> None:
    name, seed, params = case
    check_ministries(world_of(name), run_of(name, seed, params).events)


WALKOUT = """\
name: aah_walks_out
extends: baseline
events:
  - day: 30
    do: {kind: withdraw, actor: aah, name: aah_walks_out}
  - day: 40
    do: {kind: assign_post, post: Oil, holder: null, name: oil_vacated}
"""


def test_vacated_ministries_stay_empty_until_filled(tmp_path: Path) -> None:
    """Ministries fall vacant only by an explicit event: a walk-out and a vacated post."""
    (tmp_path / "baseline.yaml").write_text((ROOT / "scenarios" / "baseline.yaml").read_text())
    (tmp_path / "walkout.yaml").write_text(WALKOUT)
    sc = sim.load_scenario(tmp_path / "walkout.yaml")
    world = resolved(sc)["world"]
    held_by_aah = {m for m, spec in world.ministries.items() if spec.holder.value == "aah"}
    assert held_by_aah
    for seed in range(3):
        r = sim.run(sc, seed=seed, until=300)
        kinds = [e.kind for e in r.events]
        assert "member_withdrew" in kinds and "government_formed" not in kinds
        state = check_ministries(world, r.events)
        empty = {m for m, h in state.ministries.items() if h is None}
        assert empty == held_by_aah | {"Oil"}
        assert "aah" not in state.government
        assert r.summary["ministries"] == dict(sorted(state.ministries.items()))
        assert replay(world, r.events).snapshot() == r.state.snapshot()


@PROPERTY
@given(cases())
def test_time_runs_forward_and_causes_point_back(case: tuple) -> None:
    name, seed, params = case
    r = run_of(name, seed, params)
    assert r.events, "a run has at least its start event"
    first = r.events[0]
    assert first.id == 0 and first.cause is None and first.kind == "run_started"
    horizon = scenario(name).horizon_days
    previous = 0.0
    for i, event in enumerate(r.events):
        assert event.id == i
        assert event.t >= previous, f"event {i} goes back in time"
        assert 0 <= event.t <= horizon
        previous = event.t
        if i > 0:
            assert event.cause is not None, f"event {i} ({event.kind}) has no cause"
            assert 0 <= event.cause < i, f"event {i} points to {event.cause}"
            assert r.events[event.cause].t <= event.t


@PROPERTY
@given(cases())
def test_the_log_replays_to_the_final_state(case: tuple) -> None:
    name, seed, params = case
    r = run_of(name, seed, params)
    assert replay(world_of(name), r.events).snapshot() == r.state.snapshot()


@PROPERTY
@given(cases())
def test_same_inputs_give_a_byte_identical_log(case: tuple) -> None:
    name, seed, params = case
    first = run_of(name, seed, params)
    again = sim.run(scenario(name), seed=seed, parameters=dict(params))  # not the cached run
    assert again.events_jsonl() == first.events_jsonl()
    assert json.dumps(again.summary, sort_keys=True) == json.dumps(first.summary, sort_keys=True)


@PROPERTY
@given(cases())
def test_json_round_trip_of_the_log_replays_to_the_same_state(case: tuple) -> None:
    name, seed, params = case
    r = run_of(name, seed, params)
    text = r.events_jsonl()
    events = from_jsonl(json.loads(json.dumps(text)))  # through a JSON string and back
    assert to_jsonl(events, r.start) == text  # reading and writing again changes no byte
    replayed = replay(world_of(name), events).snapshot()
    final = r.state.snapshot()
    assert replayed == final
    assert json.dumps(replayed, sort_keys=True) == json.dumps(final, sort_keys=True)


def test_json_round_trip_through_a_file(tmp_path: Path) -> None:
    r = run_of("sadr_returns.yaml", 3, ())
    sim.write_run(r, tmp_path / "run")
    raw = (tmp_path / "run" / "events.jsonl").read_bytes()
    assert raw == r.events_jsonl().encode()
    events = from_jsonl(raw.decode())
    assert len(events) == len(r.events)
    assert replay(world_of("sadr_returns.yaml"), events).snapshot() == r.state.snapshot()


def test_different_seeds_give_different_outcomes_in_every_scenario() -> None:
    outcome_keys = ("seats", "prime_minister", "government", "ministries", "casualties",
                    "influence", "elections")
    for name in SCENARIOS:
        summaries = [run_of(name, seed, ()).summary for seed in range(10)]
        whole = {json.dumps({k: v for k, v in s.items() if k != "seed"}, sort_keys=True)
                 for s in summaries}
        outcomes = {json.dumps({k: s[k] for k in outcome_keys}, sort_keys=True)
                    for s in summaries}
        assert len(whole) >= 2, name
        assert len(outcomes) >= 2, f"{name}: every seed gives the same outcome"
