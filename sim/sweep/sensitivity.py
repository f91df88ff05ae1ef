"""Sensitivity indices of every numeric outcome of a sobol or morris sweep, beside their noise.

The sweep stored its SALib problem and its design (Saltelli points for ``--sample sobol``,
Morris trajectories for ``--sample morris``) in ``sweep.json``; here each point's outcome is
averaged over its replications (the model is stochastic: the indices describe the expected
outcome) and handed to SALib.  True/false outcomes (``caretaker``, ``in_government.<party>``,
``pm.<person>``, ``--outcome`` columns) count as 0/1, so the indices describe a probability.

Replication noise is what makes sensitivity indices of a stochastic model lie: with few
replications, a point's mean is mostly noise, and SALib turns noise into indices that look
like effects.  So every outcome also reports ``noise_share``, the share of its variance that
lies *within* parameter points (between replications of the same point), and ``noise_floor``,
the share of the variance of point means that replication noise alone produces
(within-point variance / replications, over the variance of point means).  An index whose
lower confidence bound does not rise above the floor is flagged ``"above_noise": false``.
"""

from __future__ import annotations

import collections
import contextlib
import math
import os
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.sweep.flatten import is_outcome
from sim.sweep.store import Store

SAMPLES = ("sobol", "morris")


def _check(out_dir: Path) -> dict[str, Any]:
    store = Store(out_dir)
    if not out_dir.is_dir():
        raise InputError.cli("DIR", f"{out_dir} is not a directory")
    record = store.read_record()
    sample = record.get("sweep", {}).get("sample")
    if sample not in SAMPLES or not record.get("problem"):
        raise InputError.cli(
            "DIR", f"{out_dir} is a {sample} sweep; Sobol indices need a sweep run with "
            "--sample sobol (or Morris screening, --sample morris)"
        )
    if not record.get("complete") or not store.results_path.exists():
        raise InputError.cli(
            "DIR", f"{out_dir}: the sweep is not finished; finish it with --resume"
        )
    return record


def _numeric(series: Any) -> Any:
    import pandas as pd

    if series.dtype == bool or str(series.dtype) == "boolean":
        return series.astype("Float64").astype(float)
    if not pd.api.types.is_numeric_dtype(series):
        return None
    return series.astype("Float64").astype(float) if str(series.dtype)[0].isupper() \
        else series.astype(float)


def noise(values: Any, points: Any, replications: int) -> dict[str, float | None]:
    """``noise_share`` (within-point share of the total variance) and ``noise_floor``."""
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"y": np.asarray(values, dtype=float), "p": np.asarray(points)})
    total = float(frame["y"].var(ddof=0))
    if replications < 2 or not total > 0:
        return {"noise_share": None, "noise_floor": None}
    within = float(frame.groupby("p")["y"].var(ddof=1).mean())
    means = frame.groupby("p")["y"].mean()
    between = float(means.var(ddof=0))
    floor = (within / replications) / between if between > 0 else 1.0
    return {"noise_share": _num(min(within / total, 1.0)), "noise_floor": _num(min(floor, 1.0))}


def sensitivity(out_dir: str | os.PathLike[str], conf_level: float = 0.95) -> dict[str, Any]:
    """Indices of every numeric outcome of a finished sobol or morris sweep in `out_dir`.

    ``{"method", "problem", "conf_level", "outcomes": {outcome: {parameter: {...}}},
    "noise": {outcome: {noise_share, noise_floor}}, "second_order": {outcome: {"a,b": S2}},
    "skipped": {outcome: reason}, "warnings": [...]}`` (contract: `sim.artifacts.Sensitivity`).
    Sobol entries are ``S1, S1_conf, ST, ST_conf, above_noise``; Morris entries are
    ``mu_star, mu_star_conf, sigma, mu_star_norm, above_noise``.
    """
    import numpy as np
    import pandas as pd

    out_dir = Path(out_dir)
    record = _check(out_dir)
    method = record["sweep"]["sample"]
    problem = record["problem"]
    n_points = int(record["points"])
    reps = int(record["sweep"].get("replications", 1))
    second = bool(record["sweep"].get("second_order", False))
    seed = int(record["sweep"]["seed"])
    frame = pd.read_parquet(Store(out_dir).results_path)
    ok = frame[frame["status"] == "ok"]
    outcomes: dict[str, Any] = {}
    noises: dict[str, Any] = {}
    pairs: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    x_unit = _morris_inputs(record) if method == "morris" else None
    notes: list[str] = []  # what SALib and numpy warned, one line per outcome
    for column in frame.columns:
        if not is_outcome(column):
            continue
        series = _numeric(ok[column])
        if series is None:
            continue
        if series.isna().any():
            skipped[column] = "missing in some finished runs"
            continue
        means = series.groupby(ok["point"]).mean()
        y = means.reindex(range(n_points)).to_numpy(dtype=float)
        missing = int(np.isnan(y).sum())
        if missing:
            skipped[column] = f"no value at {missing} of {n_points} points (failed runs)"
            continue
        if np.ptp(y) == 0:
            skipped[column] = "constant across the design"
            continue
        level = noise(series, ok["point"], reps)
        noises[column] = level
        floor = level["noise_floor"] or 0.0
        if method == "sobol":
            from SALib.analyze import sobol

            with _caught(column, notes):
                si = sobol.analyze(
                    {k: problem[k] for k in ("num_vars", "names", "bounds")}, y,
                    calc_second_order=second, conf_level=conf_level, seed=seed,
                    print_to_console=False,
                )
            block = {}
            for j, name in enumerate(problem["names"]):
                entry = {key: _num(si[key][j]) for key in ("S1", "S1_conf", "ST", "ST_conf")}
                low = (entry["ST"] or 0.0) - (entry["ST_conf"] or 0.0)
                entry["above_noise"] = bool(low > floor)
                block[name] = entry
            outcomes[column] = block
            if second:
                names = problem["names"]
                pairs[column] = {
                    f"{names[i]},{names[k]}": {"S2": _num(si["S2"][i][k]),
                                               "S2_conf": _num(si["S2_conf"][i][k])}
                    for i in range(len(names)) for k in range(i + 1, len(names))
                }
        else:
            from SALib.analyze import morris

            unit = {"num_vars": problem["num_vars"], "names": problem["names"],
                    "bounds": [[0.0, 1.0]] * problem["num_vars"]}
            with _caught(column, notes):
                si = morris.analyze(unit, x_unit, y, num_levels=_levels(record),
                                    conf_level=conf_level, seed=seed, print_to_console=False)
            top = max(float(np.nanmax(si["mu_star"])), 1e-300)
            # replication noise moves a point mean by about sd/sqrt(R); an elementary
            # effect is a difference of two means over one step, so noise alone gives about
            # sqrt(2) of that per step
            within = level["noise_share"]
            sd_noise = (math.sqrt(within * float(np.var(series))) / math.sqrt(reps)
                        if within is not None else 0.0)
            step = _levels(record) / (2 * (_levels(record) - 1))
            noise_ee = math.sqrt(2) * sd_noise / step
            block = {}
            for j, name in enumerate(problem["names"]):
                mu, conf = float(si["mu_star"][j]), float(si["mu_star_conf"][j])
                block[name] = {"mu_star": _num(mu), "mu_star_conf": _num(conf),
                               "sigma": _num(float(si["sigma"][j])),
                               "mu_star_norm": _num(mu / top),
                               "above_noise": bool(mu - conf > noise_ee)}
            outcomes[column] = block
            noises[column]["noise_effect"] = _num(noise_ee)
    notices = []
    if reps < 2:
        notices.append("one replication per point: replication noise cannot be told apart "
                        "from parameter effects; rerun with --replications 4 or more")
    noisy = sorted(c for c, lv in noises.items() if (lv["noise_share"] or 0) > 0.8)
    if noisy:
        notices.append(f"{len(noisy)} outcome(s) vary mostly within parameter points "
                        f"(over 80% replication noise): {', '.join(noisy[:6])}"
                        f"{' ...' if len(noisy) > 6 else ''}; their indices mostly measure "
                        "noise: add replications")
    notices.extend(notes)
    return {"method": method, "problem": problem, "conf_level": conf_level,
            "replications": reps, "outcomes": outcomes, "noise": noises,
            "second_order": pairs, "skipped": skipped, "warnings": notices}


@contextlib.contextmanager
def _caught(outcome: str, notes: list[str]) -> Iterator[None]:
    """Collect the warnings SALib (and numpy under it) raises while analysing `outcome` and
    add one line for them to `notes`, instead of a flood of repeated lines on stderr: a
    constant subset of evaluations warns once per index and resample."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if not caught:
        return
    counts = collections.Counter(" ".join(str(w.message).split()) for w in caught)
    said = "; ".join(f"{text}{f' ({n}x)' if n > 1 else ''}" for text, n in counts.items())
    notes.append(f"{outcome}: the analysis warned: {said}")


def index_table(result: Mapping[str, Any] | None, most: int = 8) -> dict[str, Any] | None:
    """The indices of the `most` outcomes with the strongest effects above noise, as a table
    for reports: each index beside its outcome's noise share and whether it stands above the
    noise (``{"header": [...], "rows": [[cell, ...], ...], "more": outcomes left out}``).

    Outcomes are ordered by their largest index that stands above noise (ST for Sobol, the
    normalised mu* for Morris), then by name; an outcome with none comes after all others.
    """
    if not result or not result.get("outcomes"):
        return None
    morris = result.get("method") == "morris"
    key = "mu_star_norm" if morris else "ST"

    def strength(outcome: str) -> tuple[float, float, str]:
        block = result["outcomes"][outcome]
        above = [i.get(key) or 0.0 for i in block.values() if i.get("above_noise")]
        return (-max(above, default=-1.0), -max((i.get(key) or 0.0 for i in block.values()),
                                                 default=0.0), outcome)

    def fmt(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    order = sorted(result["outcomes"], key=strength)
    header = (["outcome", "noise share", "parameter", "mu*", "± mu*", "sigma", "above noise"]
              if morris else
              ["outcome", "noise share", "parameter", "S1", "± S1", "ST", "± ST", "above noise"])
    rows = []
    for outcome in order[:most]:
        share = (result.get("noise") or {}).get(outcome, {}).get("noise_share")
        for k, (param, i) in enumerate(result["outcomes"][outcome].items()):
            values = ([fmt(i["mu_star"]), fmt(i["mu_star_conf"]), fmt(i["sigma"])] if morris
                      else [fmt(i["S1"]), fmt(i["S1_conf"]), fmt(i["ST"]), fmt(i["ST_conf"])])
            rows.append([outcome if k == 0 else "",
                         ("n/a" if share is None else f"{share:.0%}") if k == 0 else "",
                         param, *values, "yes" if i.get("above_noise") else "no"])
    return {"header": header, "rows": rows, "more": max(0, len(order) - most)}


def _levels(record: dict[str, Any]) -> int:
    from sim.sweep.design import MORRIS_LEVELS

    return int(record.get("morris_levels", MORRIS_LEVELS))


def _morris_inputs(record: dict[str, Any]) -> Any:
    """The Morris design on SALib's unit grid, rebuilt from the spec (it is deterministic)."""
    from sim.sweep.design import Design, SweepSpec

    spec = SweepSpec.from_json(record["sweep"])
    declared = {name: _Declared() for name in record["parameters"]}
    design = Design(spec, declared)
    levels = _levels(record)
    unit = design.unit_sample()
    return (unit - 0.5 / levels) / (1 - 1 / levels)


class _Declared:
    """A stand-in declared parameter: the design only needs defaults to rebuild points."""

    default = 0.0
    integer = False
    range = None
    distribution = None


def sobol_indices(out_dir: str | os.PathLike[str], conf_level: float = 0.95) -> dict[str, Any]:
    """`sensitivity` under its earlier name (Sobol sweeps; Morris ones work too)."""
    return sensitivity(out_dir, conf_level)


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
