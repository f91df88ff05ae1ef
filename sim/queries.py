"""Pure queries of the state and the world: who has what support, influence, posts, stances.

Plain functions of `(state, world)` (or of one of them), shared by institutions, policies, the
condition language (`sim.engine.QUERIES`), the summary and tests; none emits, draws or reads
the clock, so each can be checked on a hand-made state.  This module imports no engine and no
behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sim.mechanics.influence import Holdings, holding_shares, influence_index
from sim.mechanics.power import shapley_shubik
from sim.memo import PerWorld
from sim.rounding import round5
from sim.schema.world import plain

if TYPE_CHECKING:
    from sim.schema.world import World
    from sim.state import State


SUPPORT_LIMIT = 0.5  # a list's vote share never moves more than 50 points either way


# --- support ----------------------------------------------------------------------------------
def contesting(world: World) -> list[str]:
    """Lists that appear in the vote table (a boycotting list polls but does not run)."""
    return sorted({p for row in world.votes.shares.values() for p in row})


def national_support(state: State, world: World, actor: str) -> float:
    """National potential vote share: the seat-weighted mean over every governorate (0 where
    the actor does not run)."""
    total = 0.0
    seats = 0
    for gov, row in world.votes.shares.items():
        n = world.governorates[gov].seats.value
        seats += n
        if actor in row:
            total += n * max(0.0, row[actor] + state.support.get(actor, 0.0))
    return total / seats if seats else 0.0


def mean_share(state: State, world: World, actor: str) -> float:
    """The actor's average vote share where it runs (seat-weighted over the governorates whose
    rows name it): the base that relative gains and losses are taken from."""
    total = 0.0
    seats = 0
    for gov, row in world.votes.shares.items():
        if actor in row:
            n = world.governorates[gov].seats.value
            seats += n
            total += n * max(0.0, row[actor] + state.support.get(actor, 0.0))
    return total / seats if seats else 0.0


# cover by actor, per world (a pure function of the world; asked at every merger)
_COVER: PerWorld[dict[str, float]] = PerWorld(lambda world: {})


def cover(world: World, actor: str) -> float:
    """Share of parliament's seats elected in governorates where `actor` runs."""
    covers = _COVER(world)
    hit = covers.get(actor)
    if hit is None:
        total = sum(g.seats.value for g in world.governorates.values())
        where = sum(world.governorates[g].seats.value for g, row in world.votes.shares.items()
                    if actor in row)
        hit = covers[actor] = where / total if total else 0.0
    return hit


def shifted_support(state: State, actor: str, delta: float) -> float:
    """The actor's support shift after adding `delta`, bounded and rounded for the log."""
    new = max(-SUPPORT_LIMIT, min(SUPPORT_LIMIT, state.support.get(actor, 0.0) + delta))
    return round5(new) if type(new) is float else round(new, 5)


# --- holdings and influence -----------------------------------------------------------------
def holdings(state: State, world: World) -> dict[str, Holdings]:
    """What each actor (not a bloc) holds: ministries, posts by kind, brigades, mobilisation."""
    s, w = state, world
    acc: dict[str, dict[str, float]] = {}
    for a, spec in w.actors.items():
        if spec.kind == "bloc":
            continue
        acc[a] = {"ministry_weight": 0.0, "security_posts": 0.0, "media_posts": 0.0,
                  "governorships": 0.0, "levers": 0.0}
    for name, holder in s.ministries.items():
        if holder in acc:
            acc[holder]["ministry_weight"] += plain(w.ministries[name].weight)
            if w.ministries[name].security:
                acc[holder]["security_posts"] += plain(w.ministries[name].weight)
    field = {"security": "security_posts", "media": "media_posts",
             "governorship": "governorships", "lever": "levers"}
    for name, holder in s.posts.items():
        if holder in acc:
            acc[holder][field[w.posts[name].kind]] += plain(w.posts[name].weight)
    return {a: Holdings(brigades=float(s.brigades.get(a, 0)),
                        mobilisation=0.0 if a in s.boycotting else s.mobilisation.get(a, 0.0),
                        sanctioned=a in s.sanctioned, **v) for a, v in sorted(acc.items())}


# influence by the state it is computed from, per world: the index is a pure function of them,
# and runs of one scenario meet the same holdings again and again (every run starts from the
# same world; most events leave the inputs alone).  Two levels: every input but the seats (which
# move most often: grouping deputies join blocs one event at a time) keys the holdings, their
# shares by set of actors (read only by influence_index) and the influence by seats; each
# level's key is hashed once per call.  A new holdings input belongs in `rest`.
_INFLUENCE_MAX = 4096  # influence entries kept per world (all levels are dropped beyond it)


@dataclass(slots=True)
class _InfluenceMemo:
    """One world's influence tables: holdings key -> (holdings, shares by actors, influence by
    seats), and how many influence entries they hold."""

    by_rest: dict[tuple[Any, ...], tuple[dict[str, Holdings],
                                         dict[tuple[str, ...], list[dict[str, float]]],
                                         dict[tuple[Any, ...], dict[str, float]]]] = \
        field(default_factory=dict)
    entries: int = 0


_INFLUENCE: PerWorld[_InfluenceMemo] = PerWorld(lambda w: _InfluenceMemo())


def influence(state: State, world: World) -> dict[str, float]:
    """Each actor's influence index (`sim.mechanics.influence`): holdings and voting power
    (Shapley-Shubik at the confidence quota) combined.  A fresh dict, memoised on everything it
    is computed from (the world, and the state's seats, ministries, posts, brigades,
    mobilisation, sanctions and boycotts: `engine.INFLUENCE_INPUTS`)."""
    s, w = state, world
    memo = _INFLUENCE(w)
    if memo.entries >= _INFLUENCE_MAX:
        memo.by_rest, memo.entries = {}, 0
    tables = memo.by_rest
    rest = (tuple(s.ministries.items()), tuple(s.posts.items()), tuple(s.brigades.items()),
            tuple(s.mobilisation.items()), frozenset(s.sanctioned), frozenset(s.boycotting))
    entry = tables.get(rest)
    if entry is None:
        entry = tables[rest] = (holdings(s, w), {}, {})
    held, by_actors, by_seats = entry
    key = tuple(s.seats.items())
    hit = by_seats.get(key)
    if hit is None:
        seats = {p: n for p, n in s.seats.items() if n > 0}
        power = shapley_shubik(seats, w.parliament.confidence_quota.value) if seats else {}
        actors = tuple(sorted(set(held) | set(power)))
        shares = by_actors.get(actors)
        if shares is None:
            shares = by_actors[actors] = holding_shares(held, actors)
        hit = by_seats[key] = influence_index(held, power, shares=shares)
        memo.entries += 1
    return dict(hit)


def holder(state: State, post: str) -> str | None:
    """Who holds a ministry or post (None: vacant or unknown)."""
    return state.ministries.get(post, state.posts.get(post))


def in_government(state: State, actor: str) -> bool:
    """A member of the government, or the prime minister's party."""
    return actor in state.government or actor == state.pm


# --- stances ----------------------------------------------------------------------------------
def stance(state: State, world: World, actor: str, issue: str) -> tuple[float, float] | None:
    """An actor's (position, salience) on an issue: the world's, unless an event moved it."""
    moved = state.stances.get(actor, {}).get(issue)
    if moved is not None:
        return float(moved[0]), float(moved[1])
    spec = world.actors.get(actor)
    if spec is None or issue not in spec.issues:
        return None
    st = spec.issues[issue]
    return st.position, st.salience


def law_position(world: World, law: str, default: float = 50.0) -> float:
    """Where a law sits on the election-law issue scale (0 = small districts, 100 = big lists)."""
    spec = world.laws.get(law)
    if spec is None or spec.position is None:
        return default
    return float(plain(spec.position))
