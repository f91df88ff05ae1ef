"""Outcome distributions per parameter point: the table a sweep ends with.

A sweep's raw table has one row per run; what an analyst reads first is, for each parameter
point, how the headline outcomes are distributed over its replications: who is most often
prime minister (and how often), the mean government size, casualties, and the seats of the
largest parties.  This module computes that table; the CLI renders it.
"""

from __future__ import annotations

import os
from typing import Any

from sim.sweep.flatten import PARAM_PREFIX

HEADLINE = ("government.size", "casualties", "clashes")
TOP_PARTIES = 3


def point_table(results: str | os.PathLike[str], swept: list[str]) -> Any:
    """One row per point: swept parameter values, runs, failed, and headline distributions.

    Numeric outcomes show as ``mean ± sd`` over replications (``mean`` alone for one run);
    the prime minister as ``id (share)`` of the most frequent one.
    """
    import pandas as pd

    frame = pd.read_parquet(results)
    ok = frame[frame["status"] == "ok"]
    seat_cols = [c for c in ok.columns if c.startswith("seats.")]
    top = list(ok[seat_cols].mean().sort_values(ascending=False).index[:TOP_PARTIES])
    numeric = [c for c in (*HEADLINE, *top) if c in ok.columns]
    if not numeric and "prime_minister" not in ok.columns:  # a model without the usual names
        numeric = [c for c in ok.select_dtypes("number").columns
                   if not c.startswith(PARAM_PREFIX)
                   and c not in ("run_id", "point", "replication", "seed", "elapsed_s")][:4]
    params = [f"{PARAM_PREFIX}{p}" for p in swept]
    groups = frame.groupby("point", sort=True)
    table = groups[params].first() if params else pd.DataFrame(index=groups.size().index)
    table.columns = [c.removeprefix(PARAM_PREFIX) for c in table.columns]
    table["runs"] = groups.size()
    table["failed"] = groups["status"].apply(lambda s: int((s != "ok").sum()))
    ok_groups = ok.groupby("point")
    if "prime_minister" in ok.columns:
        def pm(series: Any) -> str:
            counts = series.fillna("none").value_counts()
            return f"{counts.index[0]} ({counts.iloc[0] / len(series):.0%})"

        table["prime_minister"] = ok_groups["prime_minister"].apply(pm)
    for col in numeric:
        mean = ok_groups[col].mean()
        sd = ok_groups[col].std()
        table[col] = [
            "" if pd.isna(m) else (f"{m:.3g}" if pd.isna(s) else f"{m:.3g} ± {s:.2g}")
            for m, s in zip(mean.reindex(table.index), sd.reindex(table.index), strict=True)
        ]
    return table.reset_index()
