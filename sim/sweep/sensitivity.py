"""Sobol sensitivity indices of every numeric outcome of a ``--sample sobol`` sweep.

The sweep stored its SALib problem and a Saltelli design (``N * (D + 2)`` points, in SALib's
order) in ``sweep.json``; here each point's outcome is averaged over its replications (the
model is stochastic: the indices describe the expected outcome) and handed to
`SALib.analyze.sobol`.  First-order ``S1`` and total ``ST`` indices come with bootstrap
confidence half-widths, seeded from the sweep's seed so the numbers are reproducible.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.sweep.flatten import is_outcome
from sim.sweep.store import Store


def _check(out_dir: Path) -> dict[str, Any]:
    store = Store(out_dir)
    if not out_dir.is_dir():
        raise InputError.cli("DIR", f"{out_dir} is not a directory")
    record = store.read_record()
    sample = record.get("sweep", {}).get("sample")
    if sample != "sobol" or not record.get("problem"):
        raise InputError.cli(
            "DIR", f"{out_dir} is a {sample} sweep; Sobol indices need a sweep run with "
            "--sample sobol"
        )
    if not record.get("complete") or not store.results_path.exists():
        raise InputError.cli(
            "DIR", f"{out_dir}: the sweep is not finished; finish it with --resume"
        )
    return record


def sobol_indices(out_dir: str | os.PathLike[str], conf_level: float = 0.95) -> dict[str, Any]:
    """``{"problem", "outcomes": {outcome: {parameter: {S1, S1_conf, ST, ST_conf}}},
    "skipped": {outcome: reason}}`` for a finished sobol sweep in `out_dir`."""
    import numpy as np
    import pandas as pd
    from SALib.analyze import sobol

    out_dir = Path(out_dir)
    record = _check(out_dir)
    problem = record["problem"]
    n_points = int(record["points"])
    frame = pd.read_parquet(Store(out_dir).results_path)
    ok = frame[frame["status"] == "ok"]
    outcomes: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    for column in frame.columns:
        if not is_outcome(column):
            continue
        series = ok[column]
        if series.dtype == bool or str(series.dtype) == "boolean":
            series = series.astype(float)
        if not pd.api.types.is_numeric_dtype(series):
            continue
        means = series.astype(float).groupby(ok["point"]).mean()
        y = means.reindex(range(n_points)).to_numpy(dtype=float)
        missing = int(np.isnan(y).sum())
        if missing:
            skipped[column] = f"no value at {missing} of {n_points} points (failed runs)"
            continue
        if np.ptp(y) == 0:
            skipped[column] = "constant across the design"
            continue
        si = sobol.analyze(
            {k: problem[k] for k in ("num_vars", "names", "bounds")}, y,
            calc_second_order=False, conf_level=conf_level,
            seed=int(record["sweep"]["seed"]), print_to_console=False,
        )
        outcomes[column] = {
            name: {key: _num(si[key][j]) for key in ("S1", "S1_conf", "ST", "ST_conf")}
            for j, name in enumerate(problem["names"])
        }
    return {"problem": problem, "conf_level": conf_level, "outcomes": outcomes,
            "skipped": skipped}


def _num(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None
