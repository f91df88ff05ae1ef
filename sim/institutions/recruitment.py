"""Deputies of groupings drawn into the blocs after an election, each move an event.

A grouping that is not a party (the world's `formation.not_parties`: independents, small lists
as a category, the minority quota seats) never joins a cabinet as a unit; its deputies are
courted one by one from the preliminary results on (the world's
`formation.preliminary_results`; at the ratification when it declares none): in 2021 the count
was out within six days of the vote and the blocs courted for some two months before the
Federal Supreme Court ratified it.  At the start a share of each grouping's deputies is open to
an offer (`recruitment.available_share`); every `recruitment.cadence_days`
each of them commits with the chance that puts half of them in a bloc within
`recruitment.half_life_days`, and joins a bloc in proportion to what it offers
(`sim.mechanics.recruitment`: its size, whether it would nominate the prime minister, the
cabinet weight its members hold now, the grouping's relationship with its leading party and
their sect).  The deputies sit with the bloc's parties of its leading party's sect, pro rata to
their seats, so a `deputies_joined` event moves seats from the grouping to those parties and
the house's size never changes.  The rounds stop when a government wins confidence, a new
election is held, or nobody is left to court.  They draw from their own random stream.

Calibrated to 2021-22 (world `sources`): the Coordination Framework's lists went from their
certified seats to 88 at the first session and 94 by late February 2022 (33 of the 39 joiners
in by the first session), the Sadrists added about a dozen, and some 46 independents were still
unaligned in May 2022.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sim.institutions.behaviour import value
from sim.mechanics import government
from sim.mechanics import recruitment as arith
from sim.memo import PerWorld
from sim.schema.world import plain

if TYPE_CHECKING:
    import numpy as np

    from sim.context import Context, Process


def groupings(m: Context) -> list[str]:
    """The world's groupings that are not parties (formation.not_parties), sorted."""
    return sorted(m.world.formation.not_parties.value)


def weights(m: Context) -> arith.Weights:
    return arith.Weights(size=value(m, "recruitment.size_weight"),
                         prospect=value(m, "recruitment.prospect_weight"),
                         portfolios=value(m, "recruitment.portfolio_weight"),
                         affinity=value(m, "recruitment.affinity_weight"),
                         sect=value(m, "recruitment.sect_weight"))


def offers(m: Context, grouping: str, blocs: dict[str, list[str]]) -> dict[str, arith.Offer]:
    """What each bloc offers `grouping`'s deputies now.  A bloc whose leading party is an open
    rival of the grouping (relationship at or below formation.hostile_below), or that has no
    seated party of its leading party's sect to sit with, offers nothing."""
    s, w = m.state, m.world
    seats, boycotting = s.seats, s.boycotting
    groups, weight, cabinet, sects, size = _tables(w)
    live: dict[str, list[str]] = {}
    held_seats: dict[str, int] = {}
    for b in sorted(blocs):
        ms = [p for p in blocs[b] if seats.get(p, 0) > 0 and p not in boycotting
              and p not in groups]
        if ms:
            live[b] = ms
            held_seats[b] = sum(map(seats.__getitem__, ms))
    if not live:
        return {}
    lead = _largest(seats, live, held_seats)
    hostile = w.formation.hostile_below.value
    courted: dict[str, tuple[float, str | None]] = {}  # bloc -> (tie to its head, head's sect)
    patron: dict[str, str] = {}  # party -> the bloc whose joining deputies it would seat
    for b, ms in live.items():
        head, most = ms[0], seats[ms[0]]  # the most seats, ties to the later name
        for p in ms:
            if seats[p] > most or (seats[p] == most and p > head):
                head, most = p, seats[p]
        tie = s.relationship(grouping, head)
        if tie <= hostile:
            continue
        # where its deputies would sit (`sit_with`: `ms` is already the bloc's seated members):
        # the parties of the head's sect, never empty since the head is one of them
        sect = sects.get(head)
        for p in ms:
            if sects.get(p) == sect:
                patron[p] = b
        courted[b] = (tie, sect)
    held: dict[str, float] = dict.fromkeys(courted, 0)  # added up in the state's order
    for k, h in s.ministries.items():
        if h in patron and k in weight:
            held[patron[h]] += weight[k]
    gsect = sects.get(grouping)
    return {b: arith.Offer(size=held_seats[b] / size,
                           prospect=1.0 if b == lead else 0.0,
                           portfolios=held[b] / cabinet,
                           affinity=(tie + 1) / 2,
                           sect=arith.sect_match(gsect, sect))
            for b, (tie, sect) in courted.items()}


def _largest(seats: dict[str, int], live: dict[str, list[str]], totals: dict[str, int]) -> str:
    """`government.largest_bloc(seats, live)` (the bloc or unaffiliated party with the most
    seats, ties to the first name; `totals` holds each bloc's seats), in one pass when the blocs
    are well formed; otherwise that function's own answer or error."""
    owner: set[str] = set()
    members = 0
    lead, most = "", -1
    for b, ms in live.items():
        owner.update(ms)
        members += len(ms)
        if b in seats and b not in ms:
            return government.largest_bloc(seats, live)
        n = totals[b]
        if n > most or (n == most and b < lead):
            lead, most = b, n
    if len(owner) != members:  # a party in two blocs
        return government.largest_bloc(seats, live)
    for p, n in seats.items():
        if p not in owner and (n > most or (n == most and p < lead)):
            lead, most = p, n
    return lead


# per world: the groupings, each ministry's weight, the cabinet's total weight, each actor's
# sect and the house's size (fixed by the world; asked at every offer)
def _build_tables(w: Any) -> tuple[frozenset[str], dict[str, float], float,
                                   dict[str, str | None], int]:
    weight = {k: plain(spec.weight) for k, spec in w.ministries.items()}
    return (frozenset(w.formation.not_parties.value), weight, sum(weight.values()) or 1.0,
            {a: spec.sect for a, spec in w.actors.items()}, w.parliament.size.value)


_TABLES = PerWorld(_build_tables)


def _tables(w: Any) -> tuple[frozenset[str], dict[str, float], float, dict[str, str | None], int]:
    return _TABLES(w)


def _head(seats: dict[str, int]) -> str:
    """The party with the most seats, ties to the later name (max by (seats, name))."""
    head, most = "", -1
    for p, n in seats.items():
        if n > most or (n == most and p > head):
            head, most = p, n
    return head


def sit_with(m: Context, members: list[str]) -> dict[str, int]:
    """The bloc's seated parties of its leading party's sect (where joining deputies sit), with
    their seats."""
    s = m.state
    seats, boycotting = s.seats, s.boycotting
    seated = {p: n for p in members if (n := seats.get(p, 0)) > 0 and p not in boycotting}
    if not seated:
        return {}
    head = _head(seated)
    _, _, _, sects, _ = _tables(m.world)
    sect = sects.get(head)
    return {p: seated[p] for p in sorted(seated) if sects.get(p) == sect}


def start(m: Context, cause: int, current_blocs: Callable[[Context], dict[str, list[str]]],
          ) -> None:
    """Begin the rounds after the results' announcement (`cause`); `current_blocs` gives the
    blocs as they stand (formation's, handed in so the two modules need not import each
    other)."""
    m.process(rounds(m, cause, current_blocs))


def rounds(m: Context, cause: int,
           current_blocs: Callable[[Context], dict[str, list[str]]]) -> Process:
    s = m.state
    rng: np.random.Generator = m.rng(f"recruitment:{cause}")
    election = len(s.elections)
    share = value(m, "recruitment.available_share")
    cadence = value(m, "recruitment.cadence_days")
    chance = arith.round_probability(cadence, value(m, "recruitment.half_life_days"))
    open_ = {g: int(rng.binomial(s.seats.get(g, 0), share)) for g in groupings(m)}
    w = weights(m)
    while any(open_.values()):
        yield m.timeout(cadence)
        if len(s.elections) != election or not s.formation_open:
            return
        for g in sorted(open_):
            left = min(open_[g], s.seats.get(g, 0))
            if left <= 0 or g in s.boycotting:
                open_[g] = 0
                continue
            committing = int(rng.binomial(left, chance))
            if committing <= 0:
                continue
            blocs = current_blocs(m)
            probs = arith.choice_probabilities(
                {b: arith.attraction(o, w) for b, o in offers(m, g, blocs).items()})
            if not probs:
                continue
            names = sorted(probs)
            counts = rng.multinomial(committing, [probs[b] for b in names])
            open_[g] = left - committing
            for b, n in zip(names, counts.tolist(), strict=True):
                if n > 0:
                    join(m, g, b, blocs[b], n, cause)


def join(m: Context, grouping: str, bloc: str, members: list[str], count: int,
         cause: int) -> None:
    """`count` of the grouping's deputies join `bloc`: one `deputies_joined` event."""
    s = m.state
    patrons = sit_with(m, members)
    gains = arith.recipients(count, patrons)
    if not gains:
        return
    seats = arith.move(s.seats, grouping, gains)
    head = _head(patrons)  # (the seats before the move: `patrons` read them)
    total = sum(seats.get(p, 0) for p in members)
    noun, verb = ("deputy", "joins") if count == 1 else ("deputies", "join")
    m.emit("deputies_joined", head, {"seats": dict(sorted(seats.items()))}, cause,
           f"{count} {noun} of {m.name(grouping)} {verb} the {m.name(bloc)} ("
           + ", ".join(f"{m.name(p)} +{n}" for p, n in sorted(gains.items()))
           + f"); it now counts {total} seats.",
           details={"from": grouping, "to": bloc, "count": count,
                    "parties": dict(sorted(gains.items())), "bloc_seats": total})


def joined_party(m: Context, party: str) -> dict[str, int]:
    """Grouping deputies who have sat with `party` since the last election ({grouping: n}, from
    the `deputies_joined` events): they are the bloc's, not the party's own members."""
    out: dict[str, int] = {}
    for e in reversed(m.events):
        if e.kind == "election_held":
            break
        if e.kind == "deputies_joined":
            n = int(e.details.get("parties", {}).get(party, 0))
            if n:
                out[e.details["from"]] = out.get(e.details["from"], 0) + n
    return dict(sorted(out.items()))
