"""Scenario simulator for coalition politics.

The public API is small, like Mesa's: load a scenario, run it, sweep it.

    >>> import sim
    >>> scenario = sim.load_scenario("scenarios/sadr_returns.yaml")
    >>> run = sim.run(scenario, seed=1)
    >>> run.summary["prime_minister"]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.calibrate import calibrate  # the model against history (`sim calibrate`)
from sim.errors import InputError
from sim.sweep import sweep  # light: the engine, numpy and pandas load when a sweep runs

if TYPE_CHECKING:
    from sim.api import Run, load_scenario, package_version, run, scenario_hash, write_run
    from sim.sweep.discover import discover

_API = frozenset({"Run", "load_scenario", "package_version", "run", "scenario_hash",
                  "write_run"})


def __getattr__(name: str) -> Any:
    """The engine's API and `discover`, imported on first use: `sim --help` and commands that
    do not run the model (allocate, power) then start without loading the engine, numpy or
    pydantic."""
    if name in _API:
        import sim.api

        value = getattr(sim.api, name)
        globals()[name] = value
        return value
    if name == "discover":  # its module reads sweeps through the pydantic artifacts
        from sim.sweep.discover import discover

        globals()[name] = discover
        return discover
    raise AttributeError(f"module 'sim' has no attribute {name!r}")

__all__ = ["InputError", "Run", "calibrate", "discover", "load_scenario", "package_version",
           "run", "scenario_hash", "sweep", "write_run"]

