"""The monthly snapshots that give reports their time series (the measures themselves are
pure queries in `sim.queries`)."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from sim.rounding import round5

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
        seats_moved, pairs = _moved_since(m, last["day"])
        seats = dict(sorted(s.seats.items())) if seats_moved else dict(last["seats"])
        rows = _patched(last["relationships"], pairs, s.relationships)
    day = m.now
    key = (getattr(m, "start", None), int(day))  # the calendar day (`date` counts whole days)
    iso = _ISO.get(key) if key[0] is not None else None
    if iso is None:
        iso = m.date(day).isoformat()
        if key[0] is not None:
            if len(_ISO) > 100_000:
                _ISO.clear()
            _ISO[key] = iso
    return {
        "day": day,
        "date": iso,
        "influence": _rounded(m.influence()),
        "seats": seats,
        "relationships": rows,
        "pm": s.pm,
    }


# each date's ISO text by (start, whole days): the snapshots of every run fall on the same few
# dozen days
_ISO: dict[tuple[Any, int], str] = {}


def _moved_since(m: Context, day: float) -> tuple[bool, set[tuple[str, str]]]:
    """Whether an event at or after `day` changed the seats, and the relationship pairs such
    events changed (the state changes only by events, so nothing else can have moved)."""
    seats = False
    pairs: set[tuple[str, str]] = set()
    for event in reversed(m.events):
        if event.t < day:
            break
        changes = event.changes
        if "seats" in changes:
            seats = True
        moved = changes.get("relationships")
        if moved:
            for a, b, _ in moved:
                pairs.add((a, b) if a <= b else (b, a))  # `pair`, inlined
    return seats, pairs


def _patched(rows: list[tuple[str, str, float]], pairs: set[tuple[str, str]],
             weights: dict[tuple[str, str], float]) -> list[tuple[str, str, float]]:
    """The last snapshot's rows (sorted by pair) with the moved pairs' current weights; a pair
    new since then is inserted in its sorted place."""
    last_rows, keys = _PLACES  # read whole: another thread's run may replace it
    if last_rows is not rows or len(keys) != len(rows):
        keys = [(r[0], r[1]) for r in rows]  # the pairs of `rows`, in order
    out = list(rows)
    for p in pairs:  # a few of ~60: each found by bisection
        i = bisect_left(keys, p)
        row = (p[0], p[1], weights[p])
        if i < len(keys) and keys[i] == p:
            out[i] = row
        else:
            keys.insert(i, p)
            out.insert(i, row)
    _PLACES[:] = [out, keys]
    return out


# the rows `_patched` last returned (the next snapshot patches them) and their pairs in order
# (the list is `_patched`'s own: it grows with the rows, pair by pair); read and written whole
_PLACES: list[Any] = [None, []]


# the influence dict last rounded, and its rounding: the engine keeps one dict until influence
# changes, which is far less often than once a month (and `round` to 5 places is not cheap)
_ROUNDED: list[Any] = [None, {}]


def _rounded(influence: dict[str, float]) -> dict[str, float]:
    # read and written whole (one bytecode each), so runs stepped in threads (`sim serve`)
    # never pair one run's influence with another's rounding
    source, rounded = _ROUNDED
    if source is not influence:
        rounded = {a: round5(v) if type(v) is float else round(v, 5)
                   for a, v in sorted(influence.items())}
        _ROUNDED[:] = [influence, rounded]
    return dict(rounded)


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
