"""A run's summary as one flat table row (plus its history as tidy long rows).

Tables want one column per outcome, so nested outcomes become dotted names: ``seats.<party>``
(the house at the end), ``seats_elected.<party>`` (the house the last election certified, before
grouping deputies joined blocs; absent without an election), ``influence.<actor>``,
``ministries.<ministry>``.  Lists of ids (``government``,
``sanctioned``, ``boycotting``) stay lists (Parquet list columns) with ``<name>.size`` beside
them; alliances become a list of ``a+b`` pairs; lists of records (``elections``) keep only
their count.  Text outcomes that researchers ask yes/no questions of also become indicator
columns: ``pm.<person>``, ``pm_party.<party>``, ``in_government.<party>`` (true only when a
government won confidence after the last election and the party is in it: never for a
caretaker cabinet) and ``law.<law>`` (the election law in force), so they can be averaged,
analysed for sensitivity and used in scenario discovery.  Column names never contain spaces
or punctuation other than ``.``, ``_`` and ``-``.  Actor metadata, the starting position and
assumptions are constant per scenario and stay out; the monthly history goes to a separate
long table (``history.parquet``: run_id, date, variable, value).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Mapping
from typing import Any

# Keys that are inputs (recorded from the design instead), constant per scenario, or bulky.
SKIP = frozenset({
    "scenario", "seed", "parameters", "history", "actors", "assumptions", "start_date",
    "seats_initial", "ministries_initial", "posts_initial", "parliament", "post_info",
})
# None means "did not happen" (no government formed, no election held): no all-null column
OPTIONAL = frozenset({"formation", "seats_elected"})

# Columns the sweep machinery adds around the outcomes.
LEADING = ("run_id", "point", "replication", "seed")
STATUS = ("status", "error")
TRAILING = ("elapsed_s", "worker")  # vary between identical sweeps; compare without them
PARAM_PREFIX = "param."
# Indicator columns: true in the runs where the category occurred, false in other finished
# runs (filled when the table is assembled, since a run only names what happened in it).
INDICATORS = ("pm.", "pm_party.", "in_government.", "law.")
HISTORY_KEY = "__history__"  # a row's history, split off before the row is stored

_PLAIN = frozenset({type(None), bool, int, float, str})  # fast path: no ABC checks
_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")


_NAMES: dict[Any, str] = {}  # the same few hundred keys come back in every run


def column_name(text: str) -> str:
    """A column-safe name: spaces and other punctuation become ``_``."""
    name = _NAMES.get(text)
    if name is None:
        name = _UNSAFE.sub("_", str(text)).strip("_") or "_"
        if len(_NAMES) < 100_000:  # bounded, whatever a runner of one's own returns
            _NAMES[text] = name
    return name


def _scalar(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        value = value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _indicators(summary: Mapping[str, Any]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    pm = summary.get("prime_minister")
    if pm is not None:
        out[f"pm.{column_name(pm)}"] = True
    party = summary.get("prime_minister_party")
    if party is not None:
        out[f"pm_party.{column_name(party)}"] = True
    government = summary.get("government")
    if isinstance(government, list | tuple):
        # In government = in a government that won confidence after the last election: a
        # caretaker cabinet (the one before the election, or one still serving because none
        # formed) puts nobody in government.  Without the key, not caretaker stands in.
        formed = summary.get("government_formed")
        if formed is None:
            formed = not summary.get("caretaker", False)
        members = {str(g) for g in government} if formed else set()
        for p in (summary.get("seats") or {}):
            out[f"in_government.{column_name(p)}"] = str(p) in members
        for g in members:
            out[f"in_government.{column_name(g)}"] = True
    law = summary.get("election_law")
    if law is not None:
        out[f"law.{column_name(law)}"] = True
    return out


def flatten(summary: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten a (JSON-able) summary into ``{dotted.column: scalar or list of scalars}``."""
    row: dict[str, Any] = {}
    for key, value in summary.items():
        if not prefix and (key in SKIP or (key in OPTIONAL and value is None)):
            continue
        name = f"{prefix}{column_name(key)}"
        if type(value) in _PLAIN:
            row[name] = value
        elif isinstance(value, Mapping):
            row.update(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            if all(isinstance(v, list | tuple) and all(type(x) in _PLAIN for x in v)
                   for v in value) and value:  # pairs, e.g. alliances
                row[name] = ["+".join(str(_scalar(x)) for x in v) for v in value]
            elif all(not isinstance(v, Mapping | list | tuple) for v in value):
                row[name] = [str(_scalar(v)) for v in value]
            row[f"{name}.size"] = len(value)
        else:
            row[name] = _scalar(value)
    if not prefix:
        row.update(_indicators(summary))
    return row


History = tuple[list[str], list[tuple[str, ...]], "array[float]"]
"""A run's history, compact: per snapshot its date and its variables (one tuple shared by
every snapshot with the same variables), and all values in order as one array of doubles.
Shipping and storing it this way costs a few list operations per snapshot instead of three
objects per long row, and rows waiting to be written hold no float objects for the garbage
collector to walk."""


_NUMBER = frozenset({int, float})


def history_snapshots(history: Any) -> History | None:
    """A run's history snapshots, compact (see `History`; `history_rows` gives long rows).

    Every number in a snapshot becomes a variable, one level of nesting deep
    (``influence.<actor>``, ``seats.<party>``, ``casualties``); lists (such as the
    relationship matrix), text and true/false are left out to keep the table to what is
    plotted.  Runs a few C-level list operations per group of variables, not per value: a
    sweep pays this once per run, beside the run itself.
    """
    if not isinstance(history, list) or not history:
        return None
    dates: list[str] = []
    labels: list[tuple[str, ...]] = []
    values: list[float] = []
    names: dict[Any, tuple[str, ...]] = {}  # column_name is a regex: once per group
    for snap in history:
        if not isinstance(snap, Mapping):
            continue
        keys: list[Any] = []
        start = len(values)
        for key, value in snap.items():
            if key == "day" or key == "date":
                continue
            kind = type(value)
            if kind in _NUMBER:
                keys.append(key)
                values.append(value)
            elif kind is dict or isinstance(value, Mapping):
                found = list(value.values())
                if set(map(type, found)) <= _NUMBER:  # all numbers: the usual case
                    keys.append((key, tuple(value)))
                    values.extend(found)
                else:
                    subs = tuple(sub for sub, v in value.items() if type(v) in _NUMBER)
                    keys.append((key, subs))
                    values.extend(value[sub] for sub in subs)
        if len(values) == start:
            continue
        group = tuple(keys)
        label = names.get(group)
        if label is None:
            parts: list[str] = []
            for k in keys:
                if isinstance(k, tuple):
                    prefix = column_name(k[0])
                    parts.extend(f"{prefix}.{column_name(sub)}" for sub in k[1])
                else:
                    parts.append(column_name(k))
            label = names[group] = tuple(parts)
        dates.append(str(snap.get("date", snap.get("day"))))
        labels.append(label)
    return (dates, labels, array("d", values)) if values else None


def history_rows(history: Any) -> tuple[list[str], list[str], list[float]] | None:
    """A run's history snapshots as long rows: (dates, variables, values)."""
    compact = history_snapshots(history)
    if compact is None:
        return None
    dates, labels, values = compact
    long_dates: list[str] = []
    variables: list[str] = []
    for date, label in zip(dates, labels, strict=True):
        long_dates.extend([date] * len(label))
        variables.extend(label)
    return long_dates, variables, list(values)


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
