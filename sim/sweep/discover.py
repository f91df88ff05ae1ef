"""Scenario discovery: which parameter values lead to the runs where EXPR holds.

The question researchers ask of a sweep ("which assumptions make the government fall, or bring
the Sadrists into government?") is answered three ways, as in EMA Workbench practice:

* **PRIM** (Friedman and Fisher's patient rule induction, via EMA Workbench's implementation)
  peels the parameter space towards a box where the cases are dense.  Each peeling step trades
  *coverage* (the share of all cases inside the box) for *density* (the share of runs in the
  box that are cases); the whole trajectory is returned, and the chosen box is the one with
  the most coverage among those at least `threshold` dense, the densest of those if several
  (else the densest overall); restrictions that buy no density are then dropped.
* **CART** (a scikit-learn decision tree, shallow so it reads as rules) splits the same
  space; its leaves are boxes too.
* **Feature scores** (extra-trees importances, as EMA Workbench's feature scoring) rank the
  parameters by how much they matter for the outcome.

Inputs are the sweep's parameters that vary; runs that failed are left out.  EMA Workbench and
scikit-learn are the optional ``discover`` extra (``pip install "coalition-sim[discover]"``),
imported only here.
"""

from __future__ import annotations

import importlib
import json
import os
import warnings
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.sweep.flatten import PARAM_PREFIX
from sim.sweep.store import Store
from sim.sweep.where import evaluate

DISCOVER_FILE = "discover.json"


def _need(module: str) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ema_workbench warns about optional back-ends
            return importlib.import_module(module)
    except ImportError:
        raise InputError.cli(
            "discover", f"scenario discovery needs {module.split('.')[0]}: "
            "pip install \"coalition-sim[discover]\""
        ) from None


def _inputs(record: dict[str, Any], frame: Any) -> list[str]:
    names = [n for n in record.get("parameters", [])
             if f"{PARAM_PREFIX}{n}" in frame.columns
             and frame[f"{PARAM_PREFIX}{n}"].nunique(dropna=True) > 1]
    return names


def discover(directory: str | os.PathLike[str], where: str, *, threshold: float = 0.8,
             peel_alpha: float = 0.05, mass_min: float = 0.05, max_depth: int = 3,
             save: bool = True) -> dict[str, Any]:
    """PRIM boxes, a CART tree and feature scores for the runs of sweep `directory` where
    `where` holds (see `sim.sweep.where`).  Returns a JSON-able dict (also saved as
    ``DIR/discover.json`` for `sim report` when `save`)."""
    import pandas as pd

    directory = Path(directory)
    store = Store(directory)
    if not directory.is_dir():
        raise InputError.cli("DIR", f"{directory} is not a directory")
    record = store.read_record()
    if not record.get("complete") or not store.results_path.exists():
        raise InputError.cli("DIR", f"{directory}: the sweep is not finished; finish it "
                             "with --resume")
    if not 0 < threshold <= 1:
        raise InputError.cli("--threshold", f"must be in (0, 1], not {threshold}")
    frame = pd.read_parquet(store.results_path)
    ok = frame[frame["status"] == "ok"].reset_index(drop=True)
    y = evaluate(where, ok).to_numpy()
    names = _inputs(record, ok)
    if not names:
        raise InputError.cli("DIR", f"{directory}: no parameter varies in this sweep; "
                             "discovery needs a design over parameters")
    cases = int(y.sum())
    if cases == 0 or cases == len(y):
        raise InputError.cli(
            OPTION_WHERE, f"{where!r} holds in {'none' if cases == 0 else 'all'} of the "
            f"{len(y)} finished runs: nothing to tell apart"
        )
    x = pd.DataFrame({n: ok[f"{PARAM_PREFIX}{n}"].astype(float).to_numpy() for n in names})
    result: dict[str, Any] = {
        "where": where, "runs": int(len(frame)), "finished": int(len(ok)), "cases": cases,
        "share": cases / len(ok), "parameters": names,
        "prim": _prim(x, y, threshold, peel_alpha, mass_min),
        "cart": _cart(x, y, max_depth, int(record.get("sweep", {}).get("seed", 0))),
        "scores": _scores(x, y, int(record.get("sweep", {}).get("seed", 0))),
    }
    if save:
        from sim.sweep.store import atomic_write_text

        atomic_write_text(directory / DISCOVER_FILE,
                          json.dumps(result, indent=2, sort_keys=True) + "\n")
    return result


OPTION_WHERE = "--where"


def _prim(x: Any, y: Any, threshold: float, peel_alpha: float, mass_min: float) -> Any:
    prim = _need("ema_workbench.analysis.prim")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = prim.Prim(x, y, threshold=threshold, peel_alpha=peel_alpha, mass_min=mass_min)
        box = p.find_box()
    traj = box.peeling_trajectory
    steps = []
    for i, row in traj.iterrows():
        steps.append({"step": int(i), "coverage": float(row["coverage"]),
                      "density": float(row["density"]), "mass": float(row["mass"]),
                      "restricted": int(row["res_dim"])})
    dense = [s for s in steps if s["density"] >= threshold]
    chosen = (max(dense, key=lambda s: (s["coverage"], s["density"], -s["step"])) if dense
              else max(steps, key=lambda s: (s["density"], s["coverage"])))
    lims = box.box_lims[chosen["step"]]
    init = p.box_init
    limits = {}
    for name in x.columns:
        lo, hi = float(lims[name].iloc[0]), float(lims[name].iloc[1])
        lo0, hi0 = float(init[name].iloc[0]), float(init[name].iloc[1])
        if lo > lo0 or hi < hi0:
            limits[name] = {"low": lo, "high": hi, "range": [lo0, hi0]}
    limits, stats = _drop_needless(x, y, limits, chosen)
    return {"threshold": threshold, "trajectory": steps, "chosen": chosen["step"], **stats,
            "box": limits, "meets_threshold": bool(dense)}


def _stats(x: Any, y: Any, limits: dict[str, Any]) -> dict[str, float]:
    import numpy as np

    inside = np.ones(len(y), dtype=bool)
    for name, lim in limits.items():
        inside &= (x[name].to_numpy() >= lim["low"]) & (x[name].to_numpy() <= lim["high"])
    n = int(inside.sum())
    return {"coverage": float(y[inside].sum() / max(y.sum(), 1)),
            "density": float(y[inside].mean()) if n else 0.0, "mass": n / len(y)}


def _drop_needless(x: Any, y: Any, limits: dict[str, Any], chosen: dict[str, Any]
                   ) -> tuple[dict[str, Any], dict[str, float]]:
    """Drop box restrictions that buy no density (peeling can trim a dimension that does
    not matter on the way): what is left names only the parameters that shape the box."""
    limits = dict(limits)
    stats = _stats(x, y, limits)
    for name in sorted(limits, key=lambda n: list(x.columns).index(n)):
        trial = {k: v for k, v in limits.items() if k != name}
        alt = _stats(x, y, trial)
        if alt["density"] >= stats["density"] - 0.01 and alt["coverage"] >= stats["coverage"]:
            limits, stats = trial, alt
    return limits, stats


def _cart(x: Any, y: Any, max_depth: int, seed: int) -> Any:
    import numpy as np

    tree_mod = _need("sklearn.tree")
    leaf = max(5, int(0.02 * len(y)))
    clf = tree_mod.DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=leaf,
                                          random_state=seed)
    clf.fit(x.to_numpy(), y)
    t = clf.tree_
    leaves = []

    def walk(node: int, bounds: dict[str, list[float]]) -> None:
        if t.children_left[node] == -1:
            counts = t.value[node][0]
            total = float(counts.sum())
            share = float(counts[list(clf.classes_).index(True)] / total) \
                if True in clf.classes_ else 0.0
            rules = []
            for name, (lo, hi) in bounds.items():
                if lo > -np.inf:
                    rules.append(f"{name} > {lo:.4g}")
                if hi < np.inf:
                    rules.append(f"{name} <= {hi:.4g}")
            leaves.append({"rules": rules, "runs": int(t.n_node_samples[node]),
                           "density": share})
            return
        name = x.columns[t.feature[node]]
        cut = float(t.threshold[node])
        lo, hi = bounds.get(name, [-np.inf, np.inf])
        walk(t.children_left[node], {**bounds, name: [lo, min(hi, cut)]})
        walk(t.children_right[node], {**bounds, name: [max(lo, cut), hi]})

    walk(0, {})
    text = tree_mod.export_text(clf, feature_names=list(x.columns), decimals=3)
    leaves.sort(key=lambda leaf_: -leaf_["density"])
    return {"max_depth": max_depth, "accuracy": float(clf.score(x.to_numpy(), y)),
            "leaves": leaves, "text": text}


def _scores(x: Any, y: Any, seed: int) -> dict[str, float]:
    ensemble = _need("sklearn.ensemble")
    model = ensemble.ExtraTreesClassifier(n_estimators=250, max_features="sqrt",
                                          random_state=seed, n_jobs=1)
    model.fit(x.to_numpy(), y)
    scores = {n: float(v) for n, v in zip(x.columns, model.feature_importances_, strict=True)}
    return dict(sorted(scores.items(), key=lambda kv: -kv[1]))
