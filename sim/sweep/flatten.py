"""A run's summary as one flat table row.

Tables want scalar columns, so nested outcomes become dotted names: ``seats.<party>``,
``influence.<actor>``, ``ministries.<ministry>``.  Lists of ids (``government``,
``sanctioned``) become a comma-joined string plus ``<name>.size``; lists of records
(``elections``) keep only their count.  Bulky or constant parts of a summary (the monthly
history, actor metadata, the starting position, assumptions) stay in per-run output and are
left out here so a sweep of thousands of runs stays small.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Keys that are inputs (recorded from the design instead), constant per scenario, or too bulky.
SKIP = frozenset({
    "scenario", "seed", "parameters", "history", "actors", "assumptions", "start_date",
    "seats_initial", "ministries_initial", "posts_initial",
})

# Columns the sweep machinery adds around the outcomes.
LEADING = ("run_id", "point", "replication", "seed")
STATUS = ("status", "error")
TRAILING = ("elapsed_s", "worker")  # vary between identical sweeps; compare without them
PARAM_PREFIX = "param."


_PLAIN = frozenset({type(None), bool, int, float, str})  # fast path: no ABC checks


def _scalar(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        value = value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def flatten(summary: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten a (JSON-able) summary into ``{dotted.column: scalar}``."""
    row: dict[str, Any] = {}
    for key, value in summary.items():
        if not prefix and key in SKIP:
            continue
        name = f"{prefix}{key}"
        if type(value) in _PLAIN:
            row[name] = value
        elif isinstance(value, Mapping):
            row.update(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            if all(type(v) in _PLAIN or not isinstance(v, Mapping | list | tuple)
                   for v in value):
                row[name] = ",".join(str(_scalar(v)) for v in value)
            row[f"{name}.size"] = len(value)
        else:
            row[name] = _scalar(value)
    return row


def column_order(columns: list[str], parameters: list[str]) -> list[str]:
    """A fixed column order, so equal sweeps give equal tables whatever finished first."""
    fixed = set(LEADING) | set(STATUS) | set(TRAILING)
    params = [f"{PARAM_PREFIX}{p}" for p in parameters]
    pset = set(params)
    outcomes = sorted(c for c in columns if c not in fixed and c not in pset)
    present = set(columns)
    return [c for c in (*LEADING, *params, *STATUS) if c in present] + outcomes + [
        c for c in TRAILING if c in present
    ]


def is_outcome(column: str) -> bool:
    """True for outcome columns (not ids, seeds, parameters, status or timings)."""
    return not (
        column in LEADING or column in STATUS or column in TRAILING
        or column.startswith(PARAM_PREFIX)
    )
