"""Events keep state changes and description apart (sim.events, sim.state, Model.emit)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sim
from sim.compose import new_model
from sim.engine import Model
from sim.events import Event
from sim.scenario import resolved
from sim.state import APPLY, apply, initial_state

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model() -> Model:
    scenario = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    return new_model(scenario, resolved(scenario)["world"], 0, None, None)


def test_emit_refuses_a_descriptive_key_among_the_changes(model: Model) -> None:
    with pytest.raises(ValueError, match="draft not state changes"):
        model.emit("law_proposed", "sol", {"draft": "x"}, None, "A draft.")
    assert model.events == []


def test_details_never_move_the_state_even_under_a_vocabulary_name(model: Model) -> None:
    state = initial_state(model.world)
    before = state.snapshot()
    apply(state, Event(0, 5.0, "law_proposed", "sol", {}, None, "",
                       {"law": "other", "pm": "x", "casualties": 99}))
    after = state.snapshot()
    assert after.pop("day") == 5.0 and before.pop("day") == 0.0
    assert after == before


def test_counters_add_this_events_count() -> None:
    assert "casualties" in APPLY and "casualties_add" not in APPLY
    scenario = sim.load_scenario(ROOT / "scenarios" / "baseline.yaml")
    state = initial_state(resolved(scenario)["world"])
    for i in range(2):
        apply(state, Event(i, 1.0, "clash", "a", {"casualties": 4, "clashes": 1}, None))
    assert (state.casualties, state.clashes) == (8, 2)


def test_every_logged_change_is_vocabulary_and_the_manifest_names_the_format(
        tmp_path: Path) -> None:
    r = sim.run(sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml"), seed=1)
    assert all(set(e.changes) <= set(APPLY) for e in r.events)
    clashes = [e for e in r.events if e.kind == "clash"]
    assert all(e.details["casualties"] == e.changes["casualties"] for e in clashes)
    sim.write_run(r, tmp_path / "run")
    assert json.loads((tmp_path / "run" / "manifest.json").read_text())["log_format"] == 2
