"""Outcome distributions over many runs: shared by sweep reports and `sim compare`.

Both work on the table shape `sim sweep` writes (one row per run: ``param.<name>`` inputs,
``seats.<party>``, ``influence.<actor>``, ``prime_minister``, ``government`` as comma-joined
ids, ``casualties``, ``status``), so a comparison of scenarios and a sweep over one scenario are
summarised by the same code and read the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

PARAM_PREFIX = "param."  # sim.sweep.flatten.PARAM_PREFIX (not imported: keeps this module light)
NO_GOVERNMENT = "no government"


def government_formed(summary: Mapping[str, Any]) -> bool:
    """Did a government win confidence after the run's last election?

    The summary's `government_formed` key (DESIGN.md); a summary written before that key
    existed counts as formed unless it ended with a caretaker.  When it is false, the cabinet
    in office is the caretaker's, and readers must say "no government formed" rather than
    present the caretaker's parties as a government.
    """
    value = summary.get("government_formed")
    if _missing(value):
        caretaker = summary.get("caretaker")
        return _missing(caretaker) or not bool(caretaker)
    return bool(value)


def _missing(value: Any) -> bool:
    """None, NaN or pandas' NA (a nullable boolean column's gap)."""
    try:
        return value is None or bool(value != value)
    except TypeError:  # pd.NA: its comparisons are NA, which has no truth value
        return True


def formed_mask(frame: pd.DataFrame) -> list[bool]:
    """`government_formed` of every row of a run table (see `government_formed`)."""
    columns = [c for c in ("government_formed", "caretaker") if c in frame.columns]
    if not columns:
        return [True] * len(frame)
    rows = frame[columns].to_dict("records")
    return [government_formed(row) for row in rows]


def flatten_summary(summary: Mapping[str, Any]) -> dict[str, Any]:
    """A run summary as one table row, in the same shape as a sweep's results.parquet."""
    row: dict[str, Any] = {key: summary[key] for key in (
        "prime_minister", "casualties", "clashes", "state_sanctioned", "government_formed_day",
        "government_formed", "caretaker")}
    row["government"] = ",".join(summary["government"])
    for group in ("seats", "influence", "seats_elected"):
        for key, value in (summary.get(group) or {}).items():  # seats_elected: null, no election
            row[f"{group}.{key}"] = value
    row["deputies_joined"] = summary.get("deputies_joined", 0)
    row["status"] = "ok"  # a run that raised has no summary: compare has only finished runs
    return row


def ok_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Runs that finished: status "ok" (the sweep writes "ok" or "failed"; a failed run has no
    outcomes to count)."""
    return frame[frame["status"] == "ok"]


def prefixed(frame: pd.DataFrame, prefix: str) -> dict[str, str]:
    """{key: column} for columns named ``prefix.<key>`` (e.g. seats.<party>)."""
    return {c[len(prefix) + 1:]: c for c in frame.columns
            if c.startswith(prefix + ".") and not c.endswith(".size")}


def interval(values: Sequence[float] | Any, level: float = 0.9) -> dict[str, float]:
    """Mean and central interval (default 90%: 5th to 95th percentile) of numeric values."""
    import numpy as np

    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    if len(data) == 0:
        return {"mean": math.nan, "lo": math.nan, "hi": math.nan, "n": 0}
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(data, [tail, 100 - tail])
    return {"mean": float(data.mean()), "lo": float(lo), "hi": float(hi), "n": int(len(data))}


def government_key(value: Any) -> str:
    """A canonical label for a government: its members sorted, or 'no government'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_GOVERNMENT
    if isinstance(value, str):  # the sweep's and compare's comma-joined ids
        members = [m.strip() for m in value.split(",")]
    else:
        members = [str(m) for m in value]
    members = sorted(m for m in members if m)
    return ", ".join(members) if members else NO_GOVERNMENT


def probabilities(values: Sequence[Any] | Any) -> dict[str, float]:
    """Share of runs with each value, largest first (None counts as 'none')."""
    counts: dict[str, int] = {}
    total = 0
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
            key = "none"
        else:
            key = str(value)
        counts[key] = counts.get(key, 0) + 1
        total += 1
    return {k: v / total for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}


def pm_probabilities(frame: pd.DataFrame) -> dict[str, float]:
    """Share of runs ending with each prime minister; a run in which no government formed
    counts as 'no government', not as a win for the caretaker."""
    if "prime_minister" not in frame.columns or frame.empty:
        return {}
    return probabilities([pm if formed else NO_GOVERNMENT for pm, formed in
                          zip(frame["prime_minister"].tolist(), formed_mask(frame), strict=True)])


def government_probabilities(frame: pd.DataFrame) -> dict[str, float]:
    """Share of runs ending with each whole government ('no government' when none formed)."""
    if "government" not in frame.columns or frame.empty:
        return {}
    return probabilities([government_key(v) if formed else NO_GOVERNMENT for v, formed in
                          zip(frame["government"].tolist(), formed_mask(frame), strict=True)])


def membership_probabilities(frame: pd.DataFrame) -> dict[str, float]:
    """Share of runs in which each party sits in the government (readable where whole
    coalitions are nearly all different, as oversized muhasasa cabinets are)."""
    if "government" not in frame.columns or frame.empty:
        return {}
    counts: dict[str, int] = {}
    for value, formed in zip(frame["government"].tolist(), formed_mask(frame), strict=True):
        key = government_key(value) if formed else NO_GOVERNMENT
        if key == NO_GOVERNMENT:
            continue
        for party in key.split(","):
            party = party.strip()
            counts[party] = counts.get(party, 0) + 1
    n = len(frame)
    return dict(sorted(((p, c / n) for p, c in counts.items()), key=lambda kv: (-kv[1], kv[0])))


def seat_intervals(frame: pd.DataFrame, prefix: str = "seats") -> dict[str, dict[str, float]]:
    """Party -> mean and 90% interval of seats, largest mean first: at the end of the runs
    (``seats``), or as the last election certified them (``prefix="seats_elected"``, before
    grouping deputies joined blocs; empty when the runs held no election)."""
    out = {party: interval(frame[column]) for party, column in prefixed(frame, prefix).items()}
    return dict(sorted(out.items(), key=lambda kv: -(kv[1]["mean"] if kv[1]["n"] else -1)))


def parameter_columns(frame: pd.DataFrame) -> dict[str, str]:
    """{parameter name: column} of the swept inputs (``param.<name>``) that actually vary."""
    numeric = {}
    for column in frame.columns:
        if not column.startswith(PARAM_PREFIX):
            continue
        values = frame[column]
        if values.dtype.kind in "biuf" and values.nunique(dropna=True) > 1:
            numeric[column[len(PARAM_PREFIX):]] = column
    return numeric


def effect_outcomes(frame: pd.DataFrame, top_parties: int = 6) -> dict[str, Any]:
    """The outcomes whose response to parameters is worth showing, as name -> numeric series."""
    outcomes: dict[str, Any] = {}
    if "casualties" in frame.columns:
        outcomes["casualties"] = frame["casualties"].astype(float)
    seats = seat_intervals(frame)
    for party in list(seats)[:top_parties]:
        column = frame[f"seats.{party}"].astype(float)
        if column.nunique() > 1:
            outcomes[f"seats {party}"] = column
    for pm, p in pm_probabilities(frame).items():
        if 0 < p < 1 and pm != "none" and len(outcomes) < top_parties + 4:
            outcomes[f"PM is {pm}"] = (frame["prime_minister"].astype(str) == pm).astype(float)
    return outcomes


def parameter_effects(frame: pd.DataFrame, parameters: Mapping[str, str]) -> dict:
    """Spearman rank correlation of each parameter with each outcome: direction and strength.

    Rank correlation is a crude but assumption-light first look that works for any sampling
    design; variance-based Sobol indices (when the sweep used ``--sample sobol``) refine it.
    """
    import pandas as pd

    outcomes = effect_outcomes(frame)
    effects: dict[str, dict[str, float]] = {}
    for name, column in parameters.items():
        x = frame[column].astype(float).rank()
        row = {}
        for outcome, series in outcomes.items():
            y = pd.Series(series).rank()
            row[outcome] = (float(x.corr(y)) if x.std() > 0 and y.std() > 0 else math.nan)
        effects[name] = row
    return effects
