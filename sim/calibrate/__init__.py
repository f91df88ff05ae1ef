"""`sim calibrate`: the model set beside Iraq's record (FACTS.md, "History before the seed").

``sim.calibrate(replications=20)`` runs the baseline and the 2021 hindcast R times each (seeds
N .. N+R-1, as `sim compare` does) and returns a `Calibration`: for each historical quantity
the record, the model's distribution and a verdict.  The targets are cited data in
`seeds/calibration.yaml` (`sim.calibrate.targets`); the arithmetic is in
`sim.calibrate.measures`, pure and tested on fabricated runs with known answers; the runs in
`sim.calibrate.runner`; the typed result and its table in `sim.calibrate.result`.

Verdicts say whether history is *plausible under the model*, not whether the model is right:
"in range" when every historical value lies inside the model's 5-95% range (or, for a rate,
when the model gives history's count at least a 5% chance), "partly" when some do, "out of
range" when none do.

This package's top level stays light (no pydantic, no engine): `import sim` and `sim --help`
load it, and the rest is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.calibrate.bounds import MAX_REPLICATIONS, check_replications

if TYPE_CHECKING:
    from sim.calibrate.result import Baseline, Calibration, Hindcast, HindcastOutcome, Row, rows
    from sim.calibrate.targets import Targets, load_targets

__all__ = ["MAX_REPLICATIONS", "Baseline", "Calibration", "Hindcast", "HindcastOutcome", "Row",
           "calibrate", "check_replications", "load_targets", "rows"]

_LAZY = {"Baseline": "result", "Calibration": "result", "Hindcast": "result",
         "HindcastOutcome": "result", "Row": "result", "rows": "result",
         "load_targets": "targets"}


def calibrate(replications: int = 20, seed: int = 0, targets: Targets | None = None,
              scenarios_dir: str | Path | None = None,
              progress: Callable[[str, int], None] | None = None,
              what_ifs: Sequence[str | Path] = ()) -> Calibration:
    """Run the baseline and the hindcast `replications` times each; compare with history.

    `what_ifs` (scenario names or paths) are set beside history like the baseline, with the
    same seeds (common random numbers), so their rows differ from it for their own reasons."""
    from sim.calibrate import runner

    return runner.calibrate(replications, seed, targets, scenarios_dir, progress, what_ifs)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"sim.calibrate.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim.calibrate' has no attribute {name!r}")
