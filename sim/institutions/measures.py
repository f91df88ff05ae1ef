"""The monthly snapshots that give reports their time series (the measures themselves are
pure queries in `sim.queries`)."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from sim.state import pair

if TYPE_CHECKING:
    from sim.context import Context, Process


SNAPSHOT_DAYS = 30.0


def start(m: Context) -> None:
    m.process(_snapshots(m))


def _snapshots(m: Context) -> Process:
    while True:
        m.history.append(snapshot(m))
        yield m.timeout(SNAPSHOT_DAYS)


def snapshot(m: Context) -> dict[str, Any]:
    s = m.state
    # what moved since the last snapshot (a month's few events): what did not is copied from it
    last: dict[str, Any] = m.history[-1] if m.history else {}
    if not last:
        seats, rows = dict(sorted(s.seats.items())), _relationship_rows(s.relationships)
    else:
        moved, pairs = _moved_since(m, last["day"])
        seats = dict(sorted(s.seats.items())) if "seats" in moved else dict(last["seats"])
        rows = _patched(last["relationships"], pairs, s.relationships)
    return {
        "day": m.now,
        "date": m.date().isoformat(),
        "influence": _rounded(m.influence()),
        "seats": seats,
        "relationships": rows,
        "pm": s.pm,
    }


def _moved_since(m: Context, day: float) -> tuple[set[str], set[tuple[str, str]]]:
    """The state keys changed by events at or after `day`, and the relationship pairs among
    them (the state changes only by events, so nothing else can have moved)."""
    keys: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for event in reversed(m.events):
        if event.t < day:
            break
        keys.update(event.changes)
        for a, b, _ in event.changes.get("relationships", ()):
            pairs.add(pair(a, b))
    return keys, pairs


def _patched(rows: list[tuple[str, str, float]], pairs: set[tuple[str, str]],
             weights: dict[tuple[str, str], float]) -> list[tuple[str, str, float]]:
    """The last snapshot's rows (sorted by pair) with the moved pairs' current weights; a pair
    new since then is inserted in its sorted place."""
    out = list(rows)
    where = _WHERE
    if len(where) > 100_000:
        where.clear()
    for a, b in sorted(pairs):
        row = (a, b, weights[(a, b)])
        i = where.get((a, b))
        if i is not None and i < len(out) and out[i][0] == a and out[i][1] == b:
            out[i] = row  # the pair's row is where it was last time
            continue
        i = bisect_left(out, (a, b), key=_pair_of)
        if i < len(out) and _pair_of(out[i]) == (a, b):
            out[i] = row
        else:
            out.insert(i, row)
        where[(a, b)] = i
    return out


# where each pair's row was last found in a snapshot's rows (sorted by pair, and the same pairs
# month after month): checked against the row before use, so a stale place only costs a search
_WHERE: dict[tuple[str, str], int] = {}


def _pair_of(row: tuple[str, str, float]) -> tuple[str, str]:
    return row[0], row[1]


# the influence dict last rounded, and its rounding: the engine keeps one dict until influence
# changes, which is far less often than once a month (and `round` to 5 places is not cheap)
_ROUNDED: list[Any] = [None, {}]


def _rounded(influence: dict[str, float]) -> dict[str, float]:
    if _ROUNDED[0] is not influence:
        _ROUNDED[:] = [influence, {a: round(v, 5) for a, v in sorted(influence.items())}]
    return dict(_ROUNDED[1])


# the last sorted order of relationship pairs, with the set it sorts: between two snapshots the
# pairs rarely change (weights do), so most snapshots need no sort
_PAIR_ORDER: list[Any] = [frozenset(), ()]
# each pair's last row: rows are immutable tuples, so a weight that has not moved since the last
# snapshot (of this run or another) reuses its row; a month's snapshot then allocates one list
# instead of seventy, which also spares the garbage collector (a run's history is most of what
# survives long enough to be promoted, and promotions are what trigger full collections)
_ROWS: dict[tuple[str, str], tuple[str, str, float]] = {}


def _relationship_rows(weights: dict[tuple[str, str], float]) -> list[tuple[str, str, float]]:
    """`[(a, b, weight), ...]` sorted by pair (as `sorted` would sort them: pairs are unique)."""
    keys, order = _PAIR_ORDER
    if weights.keys() != keys:
        keys, order = frozenset(weights), tuple(sorted(weights))
        _PAIR_ORDER[:] = [keys, order]
    if len(_ROWS) > 100_000:
        _ROWS.clear()
    rows = []
    for k in order:
        w = weights[k]
        row = _ROWS.get(k)
        if row is None or row[2] is not w:  # the same float object: the same value and sign
            row = _ROWS[k] = (k[0], k[1], w)
        rows.append(row)
    return rows
