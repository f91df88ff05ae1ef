"""Parliamentary elections: votes from potential shares, boycotts and noise; seats by the law in
force (`sim.mechanics.elections`); then government formation starts."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from sim import naming
from sim.institutions.formation import formation
from sim.institutions.knobs import knob
from sim.mechanics.elections import ElectionLaw, VoteManagement, national_election
from sim.memo import PerWorld
from sim.queries import contesting, shifted_support

if TYPE_CHECKING:
    from sim.context import Context


def shift_support(m: Context, actor: str, delta: float, cause: int | None, kind: str,
                  text: str) -> None:
    m.emit(kind, actor, {"support": {actor: shifted_support(m.state, actor, delta)}}, cause, text)


def law_of(m: Context, name: str) -> ElectionLaw:
    """The world's law `name` as the mechanics take it (built once per world and law: parsing
    the exact first divisor costs more than the rest of the lookup)."""
    w = m.world
    laws = _LAWS(w)
    law = laws.get(name)
    if law is None:
        spec = w.laws[name]
        fd = Fraction(str(spec.first_divisor)) if spec.first_divisor is not None else None
        law = laws[name] = ElectionLaw(name, spec.method, fd, spec.districting, spec.districts)
    return law


# per world: its laws as ElectionLaw (frozen), by name, filled as they are asked for
_LAWS: PerWorld[dict[str, ElectionLaw]] = PerWorld(lambda w: {})


def election_votes(m: Context, rng: np.random.Generator,
                   law: str | None = None) -> dict[str, dict[str, int]]:
    """Integer votes per governorate and list: potential shares, shifts, boycotts and noise."""
    s, w = m.state, m.world
    turnout = w.votes.turnout.value
    per_seat = w.votes.voters_per_seat.value
    noise, swing_sd = knob(m, "vote_noise"), knob(m, "swing_noise")
    lists, rows = _vote_table(w)
    # every draw of the election as one array, the swings then each governorate's row: the same
    # numbers as one scalar draw after another, at a fraction of the cost (numpy's array and
    # scalar normal run the same sampler on the same stream, with the scale given per draw,
    # and its exp the same loop on an array as on each scalar)
    n = len(lists)
    scale = np.full(n + sum(len(row) for _, row in rows), noise)
    scale[:n] = swing_sd
    shocks = np.exp(rng.normal(0.0, scale, len(scale))).tolist()
    swing = dict(zip(lists, shocks[:n], strict=True))
    votes: dict[str, dict[str, int]] = {}
    support = s.support
    boycotting = s.boycotting
    in_force = law or s.law
    at = n
    barred = w.laws[in_force].officials_barred
    for gov, row in rows:
        electorate = w.governorates[gov].seats.value * per_seat
        # max(0.0, y) as a test (the same float, 0.0 for y <= 0)
        potential = {p: y if (y := x + support.get(p, 0.0)) > 0.0 else 0.0 for p, x in row}
        if barred is not None and barred.value > 0:
            _bar_officials(m, in_force, gov, potential)
        whole = sum(potential.values())
        if boycotting:  # (without a boycott nobody's potential moves, and every list runs)
            _transfer_boycott(m, potential)
        draws = shocks[at:at + len(potential)]
        at += len(potential)
        running = {p: x * swing[p] * d for (p, x), d in zip(potential.items(), draws, strict=True)
                   if p not in boycotting}
        # boycotters' voters mostly stay at home: turnout falls by the share that does not vote
        present = (sum(potential[p] for p in running) if boycotting else whole) / max(whole, 1e-9)
        valid = electorate * turnout * present
        total = sum(running.values()) or 1.0
        votes[gov] = {p: round(valid * x / total) for p, x in running.items()}  # an int
    return votes


# per world: the contesting lists, and each governorate's vote row sorted by list (sorted by
# governorate): fixed by the world, read at every election
_VOTE_TABLE: PerWorld[tuple[list[str], list[tuple[str, tuple[tuple[str, float], ...]]]]] = \
    PerWorld(lambda w: (contesting(w), [(gov, tuple(sorted(w.votes.shares[gov].items())))
                                        for gov in sorted(w.votes.shares)]))


def _vote_table(w: Any) -> tuple[list[str], list[tuple[str, tuple[tuple[str, float], ...]]]]:
    return _VOTE_TABLE(w)


def officials(m: Context, gov: str) -> set[str]:
    """Lists led by a sitting executive official in `gov`: the PM's list everywhere, a
    governor's list in the governor's own province."""
    s, w = m.state, m.world
    out = {s.pm} if s.pm is not None else set()
    for post, holder in s.posts.items():
        spec = w.posts[post]
        if spec.kind == "governorship" and spec.governorate == gov and holder is not None:
            out.add(holder)
    return out


def _bar_officials(m: Context, law: str, gov: str, potential: dict[str, float]) -> None:
    """Under a law that makes sitting officials leave office to stand (`officials_barred`), the
    part of an official-led list's vote that follows the official is lost to it (those voters
    scatter over the other lists, in proportion to their shares)."""
    spec = m.world.laws[law].officials_barred
    if spec is None or spec.value <= 0:
        return
    led = officials(m, gov) & set(potential)
    lost = sum(potential[p] * spec.value for p in led)
    rest = sum(x for p, x in potential.items() if p not in led)
    for p in sorted(potential):
        if p in led:
            potential[p] *= 1.0 - spec.value
        elif rest > 0:
            potential[p] += lost * potential[p] / rest


def _transfer_boycott(m: Context, potential: dict[str, float]) -> None:
    """Move the declared part of a boycotting list's potential vote to the lists its voters
    turn to (world `votes.boycott_transfer`); the rest of its voters stay at home."""
    spec = m.world.votes.boycott_transfer
    boycotting = m.state.boycotting
    away = sum(x for p, x in potential.items() if p in boycotting)
    if spec is None or away <= 0:
        return
    targets = {p: x for p, x in sorted(spec.to.value.items())
               if p in potential and p not in boycotting and x > 0}
    weight = sum(targets.values())
    if weight <= 0:
        return
    moved = spec.share.value * away
    for p, x in targets.items():
        potential[p] += moved * x / weight


def fragment_sizes(total: int, k: int, skew: float = 0.0) -> list[int]:
    """Split `total` votes over `k` lists whose i-th (from 1) has weight i**-skew: equal lists at
    skew 0, a Zipf-like spread of a few larger and many tiny lists at skew 1.  Integer parts by
    largest remainder (ties to the earlier list), so the parts always sum to `total`."""
    weights, whole = _zipf(k, skew)
    exact = [total * x / whole for x in weights]
    parts = [int(e) for e in exact]
    left = total - sum(parts)
    if left:
        # remainder desc, then position asc (a reversed sort keeps equal keys in order)
        rems = [e - n for e, n in zip(exact, parts, strict=True)]
        for i in sorted(range(k), key=rems.__getitem__, reverse=True)[:left]:
            parts[i] += 1
    return parts


@lru_cache(maxsize=64)
def _zipf(k: int, skew: float) -> tuple[tuple[float, ...], float]:
    """`fragment_sizes`' weights i**-skew and their sum (asked per list and governorate)."""
    weights = tuple((i + 1) ** -skew for i in range(k))
    return weights, sum(weights)


def _fragment_rows(totals: list[int], k: int, skew: float) -> list[list[int]]:
    """`fragment_sizes(t, k, skew)` for every t in `totals`, as arrays: the same float products
    and quotients (numpy's float64 arithmetic is the IEEE operation Python's is), truncation, and
    a stable sort of the remainders descending (ties to the earlier position), so the same
    integers.  A row whose floors overshoot its total (never seen) goes through the scalar."""
    weights, whole = _zipf_array(k, skew)
    exact = np.array(totals, dtype=np.float64)[:, None] * weights / whole
    parts = exact.astype(np.int64)
    left = np.array(totals, dtype=np.int64) - np.add.reduce(parts, axis=1)
    if np.minimum.reduce(left) < 0:
        return [fragment_sizes(t, k, skew) for t in totals]
    # each position's rank by remainder (desc, earlier first: a stable sort of parts - exact);
    # the `left` best take one more
    rank = np.argsort(np.argsort(parts - exact, axis=1, kind="stable"), axis=1)
    rows: list[list[int]] = (parts + (rank < left[:, None])).tolist()
    return rows


@lru_cache(maxsize=64)
def _zipf_array(k: int, skew: float) -> tuple[np.ndarray, float]:
    weights, whole = _zipf(k, skew)
    return np.array(weights, dtype=np.float64), whole


@lru_cache(maxsize=256)
def _fragment_names(party: str, k: int) -> tuple[str, ...]:
    return tuple(f"{party}#{i}" for i in range(k))


def fragment(votes: dict[str, dict[str, int]], vm: dict[str, VoteManagement],
             fragments: dict[str, int], skews: dict[str, float] | None = None,
             ) -> tuple[dict[str, dict[str, int]], dict[str, VoteManagement]]:
    """Split a fragmented list (independents, small lists) into k separate lists `name#i`, of
    sizes set by its declared skew (equal when none), so the divisor squeezes the small ones."""
    out: dict[str, dict[str, int]] = {}
    vm_out = dict(vm)
    skews = skews or {}
    # each fragmented list's parts in every governorate at once, taken in the same order below
    sizes = {p: iter(_fragment_rows(totals, k, skews.get(p, 0.0)))
             for p, k in fragments.items()
             if k > 1 and (totals := [row[p] for row in votes.values() if p in row])}
    managed: set[str] = set()  # fragmented lists whose fragments have their vote management
    for gov, row in votes.items():
        split = out[gov] = {}
        for p, v in row.items():
            k = fragments.get(p, 1)
            if k <= 1:
                split[p] = v
                continue
            names = _fragment_names(p, k)
            split.update(zip(names, next(sizes[p]), strict=True))
            if p in vm and p not in managed:
                managed.add(p)
                for name in names:
                    vm_out[name] = vm[p]
    return out, vm_out


# the world's vote management as the mechanics take it (exact fractions), built once per world:
# it depends on nothing else, and parsing the fractions is a tenth of an election's cost
_VOTE_MANAGEMENT: PerWorld[tuple[dict[str, VoteManagement], dict[str, int], dict[str, float]]] \
    = PerWorld(lambda w: (
        {p: VoteManagement(Fraction(str(v.nomination)), Fraction(str(v.evenness)))
         for p, v in w.vote_management.items()},
        {p: v.fragments for p, v in w.vote_management.items()},
        {p: v.fragment_skew.value for p, v in w.vote_management.items()
         if v.fragment_skew is not None}))


def _vote_management(w: Any) -> tuple[dict[str, VoteManagement], dict[str, int],
                                      dict[str, float]]:
    """Shared: fragment and national_election copy what they change."""
    return _VOTE_MANAGEMENT(w)


def hold_election(m: Context, law_name: str | None, cause: int | None,
                  declared: bool = False) -> None:
    s, w = m.state, m.world
    name = law_name or s.law
    if declared:
        certified_election(m, name, cause)
        return
    rng = m.rng(f"election:{len(s.elections) + 1}")
    votes = election_votes(m, rng, name)
    empty = sorted(g for g, row in votes.items() if not any(row.values())
                   and w.governorates[g].seats.value > w.governorates[g].quota_total())
    if empty:  # every list boycotts there: no vote can fill its seats, so no election is held
        m.emit("election_cancelled", None, {}, cause,
               f"No election under the '{name}' law: every list boycotts in "
               f"{', '.join(empty)}, so its seats could not be filled.")
        return
    magnitudes, quota = _magnitudes(w, votes)
    vm, fragments, skews = _vote_management(w)
    split, vm = fragment(votes, vm, fragments, skews)
    result = national_election(split, magnitudes, law_of(m, name), quota, vm)
    seats = {p: 0 for p in s.seats}
    for p, won in result.seats.items():  # fragments `name#i` fold back into their list
        base = _base(p)
        seats[base] = seats.get(base, 0) + won
    seats = dict(sorted(seats.items()))
    before = dict(sorted(s.seats.items()))
    gains = sorted(((seats[p] - before.get(p, 0), p) for p in seats), reverse=True)
    groupings = set(w.formation.not_parties.value)  # independents, small lists: not lists
    leaders = sorted((p for p in seats if p not in groupings), key=lambda p: (-seats[p], p))[:4]
    top = ", ".join(f"{m.name(p)} {seats[p]}" for p in leaders)
    by_gov: dict[str, dict[str, int]] = {}
    for g, row in sorted(result.by_governorate.items()):  # fragments fold back here too
        folded: dict[str, int] = {}
        for p, won in row.items():
            if won > 0:
                base = _base(p)
                folded[base] = folded.get(base, 0) + won
        if folded:
            by_gov[g] = folded
    polled = dict.fromkeys(_vote_table(w)[0], 0)  # each list's national vote
    for row in votes.values():
        for p, n in row.items():
            if p in polled:
                polled[p] += n
    record = {"day": m.now, "date": m.date().isoformat(), "law": name,
              "seats_before": before, "seats": seats, "votes": polled,
              # by governorate, so that a resignation's runners-up come from this election
              # (election_votes builds the rows, and each row, sorted by name; votes are ints)
              "governorates": {g: {"votes": {p: n for p, n in row.items() if n > 0},
                                   "seats": dict(sorted(by_gov.get(g, {}).items()))}
                               for g, row in votes.items()}}
    ev = m.emit("election_held", None, {
        "seats": seats, "election": record, "caretaker": True, "formation_open": True,
        "president_elected": False, "nominee": None,
    }, cause, f"Parliamentary election under {naming.law_name(m.world, name)}: {top}. "
              f"Biggest gain: {m.name(gains[0][1])} ({gains[0][0]:+d}).")
    m.process(formation(m, ev.id))


def _base(name: str) -> str:
    """The list a fragment `name#i` belongs to (a list's own name for itself)."""
    base = _BASES.get(name)
    if base is None:
        base = _BASES[name] = name.split("#", 1)[0]
    return base


_BASES: dict[str, str] = {}


def _magnitudes(w: Any, votes: dict[str, dict[str, int]],
                ) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Seats and quota seats of the governorates that voted (each world's vote table names the
    same ones at every election: built once per world and set of governorates)."""
    known = _MAGNITUDES(w)
    key = tuple(votes)
    table = known.get(key)
    if table is None:
        table = known[key] = (
            {g: w.governorates[g].seats.value for g in votes},
            {g: w.governorates[g].quota_seats() for g in votes if w.governorates[g].quota})
    return table


_MAGNITUDES: PerWorld[dict[tuple[str, ...], tuple[dict[str, int], dict[str, dict[str, int]]]]] \
    = PerWorld(lambda w: {})


def certified_election(m: Context, law_name: str, cause: int | None) -> None:
    """An election whose result is the parliament as it stands (`results: declared`): a
    hindcast starts from certified results, so no votes are drawn; formation follows as usual."""
    seats = dict(sorted(m.state.seats.items()))
    leaders = sorted(seats, key=lambda p: (-seats[p], p))[:4]
    record: dict[str, object] = {"day": m.now, "date": m.date().isoformat(), "law": law_name,
                                 "seats_before": seats, "seats": seats, "votes": {}}
    declared = m.world.parliament.runners_up
    if declared:  # who came next where each list won, as certified (e.g. June 2022's record)
        record["runners_up"] = {party: {p: c.value for p, c in sorted(gains.items())}
                                for party, gains in sorted(declared.items())}
    ev = m.emit("election_held", None, {
        "seats": seats, "election": record, "caretaker": True, "formation_open": True,
        "president_elected": False, "nominee": None,
    }, cause, "Election results as certified (declared by the scenario, no votes drawn): "
              + ", ".join(f"{m.name(p)} {seats[p]}" for p in leaders) + ".")
    m.process(formation(m, ev.id))
