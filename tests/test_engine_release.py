"""A finished run leaves no reference cycle holding the model: the garbage collector need not
walk a run's events, history and state after it ends (see `Model._release`)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

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
