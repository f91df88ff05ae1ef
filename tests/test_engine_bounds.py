"""Every run is bounded: by its horizon and by its event cap."""

from pathlib import Path

import sim

ROOT = Path(__file__).resolve().parents[1]


def _scenario(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "bounded.yaml"
    path.write_text(f"name: bounded\nextends: {ROOT / 'scenarios' / 'sadr_returns.yaml'}\n"
                    + extra)
    return path


def test_event_cap_stops_the_run_and_says_so(tmp_path: Path) -> None:
    run = sim.run(sim.load_scenario(_scenario(tmp_path, "event_cap: 25\n")), seed=4)
    assert len(run.events) == 25
    assert run.summary["event_cap_reached"] is True
    assert sum(run.summary["seats"].values()) == 329


def test_horizon_bounds_time(tmp_path: Path) -> None:
    run = sim.run(sim.load_scenario(_scenario(tmp_path, "")), seed=4, until=200)
    assert run.summary["event_cap_reached"] is False
    assert max(e.t for e in run.events) <= 200
    assert run.summary["elections"] == []  # the 2025 election lies beyond day 200


def test_a_shorter_horizon_must_still_hold_the_inherited_events(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(sim.InputError) as info:
        sim.load_scenario(_scenario(tmp_path, "horizon_days: 200\n"))
    assert "outside the scenario's window" in str(info.value)
