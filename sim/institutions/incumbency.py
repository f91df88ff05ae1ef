"""Incumbency and patronage: before an election the sitting prime minister, and governors in
their provinces, turn state resources into votes by drawing smaller lists and local notables
onto their own list.  Each such move is a `list_merged` event, so a run shows who joined whom
and when (Iraq's analogues: Maliki's State of Law took 89 of 325 seats in 2010 and 92 of 328
in 2014; Abadi's Nasr, a new list, 42 of 329 in 2018; the governors' lists came first in Basra,
Karbala and Wasit in December 2023 [FACTS.md]).  The rates live in the world's `behaviour`
section (`incumbency.*`), calibrated to those analogues.

The office's pull has a limit: a PM's list already at the share of the vote that patronage can
carry (`incumbency.pm_list_ceiling`, an established incumbent list's share) draws no one more,
and below it the pull shrinks with the gap.  A new list (Nasr 2018, Sudani's) grows fast; an
established one (State of Law 2014, whose 2013 provincial vote already held its patronage) does
not grow on top of itself.  `scenarios/hindcast_2014.yaml` checks the latter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.institutions.behaviour import value
from sim.memo import PerWorld
from sim.queries import cover, shifted_support

if TYPE_CHECKING:
    from sim.context import Context, Process
    from sim.schema.world import World


def start(m: Context) -> None:
    m.process(_patronage(m))


def next_election_day(m: Context) -> float | None:
    """The day of the next scheduled election after now (None when none is scheduled)."""
    now = m.now
    return min([day for day in m.scheduled_days("election") if day > now], default=None)


# the governorates two lists share, by world (a pure function of the world's vote table, which
# the monthly patronage process asks for every list again and again before each election)
_SHARED: PerWorld[dict[tuple[Any, ...], tuple[str, ...]]] = PerWorld(lambda w: {})


def _shared(m: Context, donor: str, patron: str, local_to: set[str] | None) -> list[str]:
    """Governorates where both lists run (a donor with no vote there has no one to bring)."""
    w = m.world
    shared = _SHARED(w)
    key = (donor, patron, None if local_to is None else frozenset(local_to))
    hit = shared.get(key)
    if hit is None:
        rows = w.votes.shares
        hit = shared[key] = tuple(g for g in sorted(rows) if rows[g].get(donor, 0.0) > 0
                                      and patron in rows[g]
                                      and (local_to is None or g in local_to))
    return list(hit)


# parliament's seats by world (merges ask at every move)
_TOTAL: PerWorld[int] = PerWorld(lambda w: sum(g.seats.value for g in w.governorates.values()))


def _total_seats(w: World) -> int:
    return _TOTAL(w)


def national_share(m: Context, actor: str) -> float:
    """The list's potential share of the national vote: its share in each governorate (with
    the run's support shifts), weighted by the governorate's seats."""
    w, s = m.world, m.state
    total = _total_seats(w)
    held = sum(w.governorates[g].seats.value * max(0.0, row[actor] + s.support.get(actor, 0.0))
               for g, row in w.votes.shares.items() if actor in row)
    return held / total if total else 0.0


def pm_pull(m: Context, pm: str) -> float:
    """How much of `incumbency.pm_merger_fraction` the office still draws: 1 for a list with
    no vote, falling linearly to 0 at `incumbency.pm_list_ceiling`."""
    ceiling = value(m, "incumbency.pm_list_ceiling")
    if ceiling <= 0:
        return 0.0
    return max(0.0, 1.0 - national_share(m, pm) / ceiling)


# per world: the lists outside the blocs (sorted) and the governorships (post, governorate),
# sorted by post; both are fixed by the world, and the patronage process asks at every wake
_FIXED: PerWorld[tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = PerWorld(
    lambda w: (tuple(a for a, spec in sorted(w.actors.items())
                     if spec.kind == "list" and spec.bloc is None),
               tuple((post, spec.governorate) for post, spec in sorted(w.posts.items())
                     if spec.kind == "governorship" and spec.governorate is not None)))


def _fixed(w: Any) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    return _FIXED(w)


def _donors(m: Context, patron: str, local_to: set[str] | None = None) -> list[str]:
    """Lists that can be drawn onto the patron's: lists outside the blocs (independents, small
    lists, governors' lists; world actors of kind `list` with no bloc) that run where the
    patron runs and are not hostile to it."""
    s = m.state
    near = [a for a in _fixed(m.world)[0]
            if a != patron and a not in s.boycotting and _shared(m, a, patron, local_to)]
    if not near:
        return near
    floor = value(m, "incumbency.min_relationship")
    return [a for a in near if s.relationship(patron, a) >= floor]


def merge(m: Context, donor: str, patron: str, fraction: float, cause: int | None,
          why: str, local_to: set[str] | None = None) -> None:
    """Move `fraction` of the donor's vote, where both run, onto the patron's list, conserving
    votes nationally: the votes moved are `fraction` of the donor's share over the governorates
    they share; the patron gains them spread over its governorates and the donor loses them
    spread over its own (support shifts are per list, not per governorate)."""
    s, w = m.state, m.world
    shared = _shared(m, donor, patron, local_to)
    govs, rows = w.governorates, w.votes.shares
    shift = s.support.get(donor, 0.0)
    moved = fraction * sum([govs[g].seats.value * max(0.0, rows[g][donor] + shift)
                            for g in shared]) / _total_seats(w)
    if moved <= 0:
        return
    loss = moved / max(cover(m.world, donor), 1e-9)
    gain = moved / max(cover(m.world, patron), 1e-9)
    lost_to = shifted_support(m.state, donor, -loss)
    gained_to = shifted_support(m.state, patron, gain)
    if lost_to == s.support.get(donor, 0.0) or gained_to == s.support.get(patron, 0.0):
        return  # too little to show at the log's resolution: no one moved
    spec = m.world.actors.get(patron)
    # a person's list is "Sudani's list"; a list is named by itself ("Governors' lists")
    into = m.name(patron) if spec is not None and spec.kind == "list" \
        else f"{m.name(patron)}'s list"
    m.emit("list_merged", patron, {"support": {donor: lost_to, patron: gained_to}},
        cause, f"Local notables and part of {m.name(donor)} join {into} ({why}).",
        details={"from": donor, "to": patron, "fraction": round(fraction, 4),
                 "points": round(gain, 5)})


def _patronage(m: Context) -> Process:
    s = m.state
    rng = m.rng("incumbency")
    while True:
        spread = value(m, "policy.wake_jitter")
        low = 1.0 - spread  # numpy's rng.uniform(low, high), bit for bit (see policies._jitter)
        yield m.timeout(value(m, "incumbency.cadence_days")
                        * (low + ((1.0 + spread) - low) * float(rng.random())))
        nxt = next_election_day(m)
        if nxt is None or nxt - m.now > value(m, "incumbency.window_days"):
            continue
        pm = s.pm
        if pm is not None and pm not in s.boycotting and not s.caretaker \
                and rng.random() < value(m, "incumbency.pm_merger_probability"):
            donors = _donors(m, pm)
            if donors:
                donor = donors[int(rng.integers(len(donors)))]
                merge(m, donor, pm, value(m, "incumbency.pm_merger_fraction") * pm_pull(m, pm),
                      0, "the prime minister's patronage")
        posts = s.posts
        for post, gov in _fixed(m.world)[1]:  # the governorships, in the order of their names
            holder = posts.get(post)
            if holder is None or holder == pm or holder not in m.world.votes.shares.get(gov, {}):
                continue
            if rng.random() < value(m, "incumbency.governor_merger_probability"):
                donors = _donors(m, holder, {gov})
                if donors:
                    donor = donors[int(rng.integers(len(donors)))]
                    merge(m, donor, holder, value(m, "incumbency.governor_merger_fraction"),
                          0, f"the governor's patronage in {gov}", {gov})
