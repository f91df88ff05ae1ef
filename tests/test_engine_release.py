"""A finished run leaves no reference cycle holding the model: the garbage collector need not
walk a run's events, history and state after it ends (see `Model._release`)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

import sim
from sim.compose import new_model

ROOT = Path(__file__).resolve().parents[1]


def test_a_finished_model_is_freed_by_reference_counting() -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    was = gc.isenabled()
    gc.disable()
    try:
        model = new_model(scenario, None, 3)
        model.run()
        assert model.finished and model.events
        alive = weakref.ref(model)
        del model
        assert alive() is None
    finally:
        if was:
            gc.enable()


def test_an_unfinished_model_still_runs_on_after_a_pause() -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    whole = new_model(scenario, None, 5)
    whole.run()
    paused = new_model(scenario, None, 5)
    paused.begin()
    assert paused.advance(stop=lambda: len(paused.events) >= 40)
    assert paused.advance() is False
    assert [e.as_dict(paused.start) for e in paused.events] == \
        [e.as_dict(whole.start) for e in whole.events]


def test_a_run_pauses_the_collector_and_restores_it_as_found() -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    seen: list[bool] = []
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            model = new_model(scenario, None, 2)
            model.begin()
            events = model.events
            model.advance(stop=lambda log=events: seen.append(gc.isenabled()) or len(log) > 30)
            assert gc.isenabled() is enabled
            model.advance()
            assert gc.isenabled() is enabled
        assert seen and not any(seen)  # paused while the run steps, whatever it was before
    finally:
        (gc.enable if was else gc.disable)()


def test_no_process_of_a_finished_run_outlives_it() -> None:
    """The processes still waiting at the horizon (actors asleep, a protest under way) are
    freed with the model: the event each waits on no longer holds them in a cycle."""
    from simpy.events import Process

    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        before = {id(o) for o in gc.get_objects() if isinstance(o, Process)}
        run = sim.run(scenario, seed=4)
        assert run.events
        left = [o for o in gc.get_objects() if isinstance(o, Process) and id(o) not in before]
        assert left == []
    finally:
        if was:
            gc.enable()


def test_sim_run_keeps_the_collector_paused_until_it_returns_and_restores_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`sim.run` sums up the run and drops its model before the collector may run again (a
    caller doing run after run frees what a run leaves by reference counting, with no pass of
    the collector over it), and leaves the collector as it found it."""
    import sim.api

    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    seen: list[bool] = []
    original = sim.api.summarise

    def watched(m: Any) -> Any:
        seen.append(gc.isenabled())
        return original(m)

    monkeypatch.setattr(sim.api, "summarise", watched)
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            sim.run(scenario, seed=1, until=60)
            assert gc.isenabled() is enabled
        assert seen == [False, False]
    finally:
        (gc.enable if was else gc.disable)()
