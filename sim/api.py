"""The Python API the CLI is a thin layer over: load, run, write."""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sim import artifacts
from sim.compose import new_model
from sim.errors import InputError
from sim.events import LOG_FORMAT, Event, to_jsonl
from sim.limits import MAX_SECONDS, check_seed
from sim.safewrite import replace_folder
from sim.scenario import load_scenario, resolved
from sim.schema.scenario import Scenario
from sim.state import State
from sim.summary import summarise

__all__ = ["Run", "load_scenario", "package_version", "run", "scenario_hash", "write_run"]


def package_version() -> str:
    try:
        return version("coalition-sim")
    except PackageNotFoundError:
        return "0+unknown"


@dataclass
class Run:
    """One finished run: its events, its summary and its final state."""

    scenario: Scenario
    seed: int
    until: float | None
    parameters: dict[str, float]
    events: list[Event]
    summary: dict[str, Any]
    state: State
    start: Any = field(repr=False, default=None)

    def events_jsonl(self) -> str:
        return to_jsonl(self.events, self.start)

    def timeline(self) -> list[dict[str, Any]]:
        return [e.as_dict(self.start) for e in self.events]


def scenario_hash(scenario: Scenario) -> str:
    return resolved(scenario)["hash"]


def parse_until(value: str | float | int | None, scenario: Scenario) -> float | None:
    """`--until` as a day number or an ISO date within the scenario's window."""
    if value is None:
        return None
    start = scenario.start_date or resolved(scenario)["world"].start_date
    if isinstance(value, (int, float)):
        day = float(value)
    else:
        text = str(value).strip()
        try:
            day = float(text)
        except ValueError:
            try:
                day = float((dt.date.fromisoformat(text) - start).days)
            except ValueError:
                raise InputError.cli("--until", f"not a day number or a YYYY-MM-DD date: "
                                     f"{text!r}") from None
    if not 0 < day <= scenario.horizon_days:
        raise InputError.cli("--until", f"must fall within the scenario's "
                             f"{scenario.horizon_days:g} days after {start}")
    return day


def run(scenario: Scenario, seed: int = 0, until: float | str | None = None,
        parameters: dict[str, float] | None = None, max_seconds: float | None = None) -> Run:
    """Run `scenario` once with `seed`; deterministic: the same inputs give the same log."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InputError.cli("--seed", f"must be a non-negative integer, not {seed!r}")
    check_seed(seed)
    day = parse_until(until, scenario)
    if max_seconds is not None and not (isinstance(max_seconds, (int, float))
                                        and 0 < max_seconds <= MAX_SECONDS):
        raise InputError.cli("--max-seconds", f"must be a number of seconds between 0 and "
                             f"{MAX_SECONDS:g}, not {max_seconds!r}")
    # The collector stays paused until the run is summed up and its model dropped (the model
    # pauses it while it steps, `Model.advance`): resumed any earlier, its next pass walks the
    # few thousand objects the run leaves (events, history, summary) while all are still
    # young, though a caller doing run after run frees them by reference counting a moment
    # later.  Restored as found, even on an error.
    collecting = gc.isenabled()
    gc.disable()
    try:
        model = new_model(scenario, None, seed, day, parameters, max_seconds=max_seconds)
        model.run()
        return Run(scenario, seed, day, dict(model.params), model.events, summarise(model),
                   model.state, model.start)
    finally:
        if collecting:
            gc.enable()


def manifest(r: Run) -> dict[str, Any]:
    info = resolved(r.scenario)
    value = {
        "scenario": r.scenario.name,
        "scenario_path": info["path"],
        "scenario_hash": info["hash"],
        "seed": r.seed,
        "until": r.until,
        "parameters": dict(sorted(r.parameters.items())),
        "package_version": package_version(),
        "log_format": LOG_FORMAT,
    }
    artifacts.Manifest.model_validate(value)
    return value


def run_identity(r: Run) -> dict[str, Any]:
    """What makes two runs the same run: a folder holding it may be rewritten without --force."""
    m = manifest(r)
    return {k: m[k] for k in ("scenario_hash", "seed", "until", "parameters")}


def write_run(r: Run, out_dir: str | Path, force: bool = False) -> None:
    """Write events.jsonl, summary.json and manifest.json: the folder is replaced whole or not
    at all, and a folder holding a different run is refused unless `force` (see sim.safewrite).
    """
    # each file is checked against its contract (sim.artifacts) before anything is written
    artifacts.Summary.model_validate(r.summary)
    for event in r.timeline():
        artifacts.EventLine.model_validate(event)
    replace_folder(out_dir, {
        "events.jsonl": r.events_jsonl(),
        "summary.json": artifacts.dumps(r.summary, indent=2) + "\n",
        "manifest.json": artifacts.dumps(manifest(r), indent=2) + "\n",
    }, "--out", identity=run_identity(r), force=force)
