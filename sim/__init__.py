"""Scenario simulator for coalition politics.

The public API is small, like Mesa's: load a scenario, run it, sweep it.

    >>> import sim
    >>> scenario = sim.load_scenario("scenarios/sadr_returns.yaml")
    >>> run = sim.run(scenario, seed=1)
    >>> run.summary["prime_minister"]
"""

from __future__ import annotations

from sim.api import Run, load_scenario, package_version, run, scenario_hash, write_run
from sim.calibrate import calibrate  # the model against history (`sim calibrate`)
from sim.errors import InputError
from sim.sweep import sweep  # light: pandas and friends load only when a sweep runs
from sim.sweep.discover import discover  # light too: PRIM and CART load when it runs

__all__ = ["InputError", "Run", "calibrate", "discover", "load_scenario", "package_version",
           "run", "scenario_hash", "sweep", "write_run"]

