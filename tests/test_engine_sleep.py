"""An actor's sleep (`Model.sleep` / `_arm`) gives the run SimPy's own `timeout | wake` would.

The engine waits on a timer or a subscribed event without SimPy's `AnyOf`, and resumes the actor
on the spot when nothing else is queued for the instant.  Here the same runs are made with a
plain `AnyOf` sleep and must log the same bytes, with the default wake jitter and with none (every
actor in lockstep, so timers, scheduled events and wakes share instants all the time).
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

import sim
from sim.compose import new_model
from sim.engine import Model
from sim.events import Event, to_jsonl

ROOT = Path(__file__).resolve().parents[1]


def _anyof_sleep(self: Model, actor: str, days: float, otherwise: int | None = None
                 ) -> Generator[Any, Any, int | None]:
    if actor not in self._subscribers:
        yield self.env.timeout(days)
        return otherwise
    wakes = self.__dict__.setdefault("_ref_wakes", {})
    wake = wakes[actor] = self.env.event()
    got = yield self.env.timeout(days) | wake
    del wakes[actor]
    return wake.value if wake in got else otherwise


def _anyof_after(self: Model, event: Event) -> None:
    for actor in self._subscribed.get(event.kind, ()):
        wake = self.__dict__.get("_ref_wakes", {}).get(actor)
        if wake is not None and not wake.triggered and actor != event.actor:
            wake.succeed(event.id)
    if self._triggers:
        self._check_triggers(event)


def _log(path: Path, seed: int) -> str:
    model = new_model(sim.load_scenario(path), None, seed)
    model.run()
    return to_jsonl(model.events, model.start)


@pytest.mark.parametrize("jitter", [None, 0.0])
@pytest.mark.parametrize("name", ["sadr_returns", "hindcast_2021"])
def test_sleep_logs_what_anyof_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     name: str, jitter: float | None) -> None:
    path = ROOT / "scenarios" / f"{name}.yaml"
    if jitter is not None:
        path = tmp_path / f"{name}_lockstep.yaml"
        path.write_text(f"name: {name}_lockstep\nextends: {ROOT / 'scenarios' / name}.yaml\n"
                        "world:\n  behaviour:\n    policy.wake_jitter: "
                        f"{{value: {jitter}, assumption: \"test: actors in lockstep\"}}\n")
    seeds = range(3)
    ours = [_log(path, seed) for seed in seeds]
    monkeypatch.setattr(Model, "sleep", _anyof_sleep)
    monkeypatch.setattr(Model, "_after", _anyof_after)
    assert [_log(path, seed) for seed in seeds] == ours
