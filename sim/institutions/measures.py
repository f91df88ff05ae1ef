"""Derived measures read by policies, triggers and reports: support, influence, stances, and
the monthly snapshots that give reports their time series."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from sim.mechanics.influence import Holdings, influence_index
from sim.mechanics.power import shapley_shubik
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
    for a, b in sorted(pairs):
        i = bisect_left(out, (a, b), key=_pair_of)
        row = (a, b, weights[(a, b)])
        if i < len(out) and _pair_of(out[i]) == (a, b):
            out[i] = row
        else:
            out.insert(i, row)
    return out


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


def contesting(m: Context) -> list[str]:
    """Lists that appear in the vote table (a boycotting list polls but does not run)."""
    return sorted({p for row in m.world.votes.shares.values() for p in row})


def national_support(m: Context, actor: str) -> float:
    total = 0.0
    seats = 0
    for gov, row in m.world.votes.shares.items():
        n = m.world.governorates[gov].seats.value
        seats += n
        if actor in row:
            total += n * max(0.0, row[actor] + m.state.support.get(actor, 0.0))
    return total / seats if seats else 0.0


def mean_share(m: Context, actor: str) -> float:
    """The actor's average vote share where it runs (seat-weighted over the governorates whose
    rows name it): the base that relative gains and losses are taken from."""
    total = 0.0
    seats = 0
    for gov, row in m.world.votes.shares.items():
        if actor in row:
            n = m.world.governorates[gov].seats.value
            seats += n
            total += n * max(0.0, row[actor] + m.state.support.get(actor, 0.0))
    return total / seats if seats else 0.0


SUPPORT_LIMIT = 0.5  # a list's vote share never moves more than 50 points either way


def shifted_support(m: Context, actor: str, delta: float) -> float:
    """The actor's support shift after adding `delta`, bounded and rounded for the log."""
    new = m.state.support.get(actor, 0.0) + delta
    return round(max(-SUPPORT_LIMIT, min(SUPPORT_LIMIT, new)), 5)


def holdings(m: Context) -> dict[str, Holdings]:
    s, w = m.state, m.world
    acc: dict[str, dict[str, float]] = {}
    for a, spec in w.actors.items():
        if spec.kind == "bloc":
            continue
        acc[a] = {"ministry_weight": 0.0, "security_posts": 0.0, "media_posts": 0.0,
                  "governorships": 0.0, "levers": 0.0}
    for name, holder in s.ministries.items():
        if holder in acc:
            acc[holder]["ministry_weight"] += w.ministries[name].weight
            if w.ministries[name].security:
                acc[holder]["security_posts"] += w.ministries[name].weight
    field = {"security": "security_posts", "media": "media_posts",
             "governorship": "governorships", "lever": "levers"}
    for name, holder in s.posts.items():
        if holder in acc:
            acc[holder][field[w.posts[name].kind]] += w.posts[name].weight
    return {a: Holdings(brigades=float(s.brigades.get(a, 0)),
                        mobilisation=0.0 if a in s.boycotting else s.mobilisation.get(a, 0.0),
                        sanctioned=a in s.sanctioned, **v) for a, v in sorted(acc.items())}


# influence by the state it is computed from, for one world at a time: the index is a pure
# function of them, and runs of one scenario meet the same holdings again and again (every run
# starts from the same world; most events leave the inputs alone)
_INFLUENCE: dict[tuple[Any, ...], dict[str, float]] = {}
_INFLUENCE_MAX = 4096
_INFLUENCE_WORLD: list[Any] = [None]  # the world the entries belong to (a new one clears them)


def influence_now(m: Context) -> dict[str, float]:
    """Each actor's influence (`sim.mechanics.influence`) in the current state: a fresh dict,
    memoised on everything it is computed from (the world, and the state's seats, ministries,
    posts, brigades, mobilisation, sanctions and boycotts: `engine.INFLUENCE_INPUTS`)."""
    s, w = m.state, m.world
    if _INFLUENCE_WORLD[0] is not w or len(_INFLUENCE) >= _INFLUENCE_MAX:
        _INFLUENCE.clear()
        _INFLUENCE_WORLD[0] = w
    key = (tuple(s.seats.items()), tuple(s.ministries.items()), tuple(s.posts.items()),
           tuple(s.brigades.items()), tuple(s.mobilisation.items()), frozenset(s.sanctioned),
           frozenset(s.boycotting))
    hit = _INFLUENCE.get(key)
    if hit is None:
        seats = {p: n for p, n in s.seats.items() if n > 0}
        power = shapley_shubik(seats, w.parliament.confidence_quota.value) if seats else {}
        hit = _INFLUENCE[key] = influence_index(holdings(m), power)
    return dict(hit)


def stance(m: Context, actor: str, issue: str) -> tuple[float, float] | None:
    """An actor's (position, salience) on an issue: the world's, unless an event moved it."""
    moved = m.state.stances.get(actor, {}).get(issue)
    if moved is not None:
        return float(moved[0]), float(moved[1])
    spec = m.world.actors.get(actor)
    if spec is None or issue not in spec.issues:
        return None
    st = spec.issues[issue]
    return st.position, st.salience
