"""Seat allocation, explained: the quotient table, which quotient won each seat, how ties broke.

`sim.mechanics.elections` computes seats fast and exactly; a class needs to *see* the rule.  So
this module replays each rule seat by seat in exact arithmetic and keeps the evidence: every
quotient, the seat it won, and, when two claims were equal, who else had that claim and which
tie-break (more votes, then name order; see `sim.mechanics.elections`) decided it.  The seats it
finds are checked against the production allocator (`explain` raises if they ever differ), so
the explanation can never tell a different story from the simulation.

The work is bounded: at most `MAX_EXPLAINED_SEATS` seats and `MAX_PARTIES` parties, since every
seat becomes a line a person reads.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from sim.mechanics import elections

MAX_EXPLAINED_SEATS = 500
MAX_PARTIES = 200


@dataclass(frozen=True, slots=True)
class Method:
    """One rule to explain: a method name and, for Sainte-Lague, its exact first divisor."""

    name: str
    first_divisor: Fraction | None = None

    @property
    def label(self) -> str:
        if self.name == "sainte-lague" and self.first_divisor not in (None, 1):
            return f"sainte-lague {_plain_number(self.first_divisor)}"
        return self.name


@dataclass(frozen=True, slots=True)
class Award:
    """One seat: who won it, with which claim, and who had an equal claim."""

    seat: int  # 1-based order in which seats were handed out
    party: str
    claim: Fraction  # the quotient (divisor methods), remainder (Hare) or candidate votes (SNTV)
    divisor: Fraction | None = None  # divisor methods only
    candidate: str | None = None  # SNTV only
    automatic: bool = False  # Hare: a seat from a whole quota, not from a remainder
    tied_with: tuple[str, ...] = ()
    broken_by: str | None = None  # "more votes" or "name order"


@dataclass
class Explanation:
    """Everything a quotient table shows, for one method and one set of votes."""

    method: Method
    votes: dict[str, int]
    seats: dict[str, int]
    awards: list[Award]
    divisors: list[Fraction] = field(default_factory=list)
    quotients: dict[str, list[Fraction]] = field(default_factory=dict)
    quota: Fraction | None = None  # Hare
    next_claim: Award | None = None  # the best claim that did not get a seat
    elected: list[tuple[str, str]] = field(default_factory=list)  # SNTV

    def won_by(self) -> dict[tuple[str, int], int]:
        """(party, column) -> seat number, for marking the winning quotients in the table."""
        out: dict[tuple[str, int], int] = {}
        column: dict[str, int] = {}
        for award in self.awards:
            k = column.get(award.party, 0)
            column[award.party] = k + 1
            out[(award.party, k)] = award.seat
        return out

    def notes(self) -> list[str]:
        """Plain sentences: every tie, and the last seat against the first claim left out."""
        lines: list[str] = []
        for a in self.awards:
            if a.tied_with:
                others = ", ".join(a.tied_with)
                lines.append(
                    f"Seat {a.seat}: {a.party} and {others} had the same claim "
                    f"({_plain_number(a.claim)}); {a.party} wins it by {a.broken_by}."
                )
        if self.awards and self.next_claim is not None:
            last = self.awards[-1]
            nxt = self.next_claim
            who = f"{nxt.party}/{nxt.candidate}" if nxt.candidate else nxt.party
            won = f"{last.party}/{last.candidate}" if last.candidate else last.party
            tie = " (an equal claim: lost on the tie-break)" if nxt.claim == last.claim else ""
            if who == won:
                who = f"{who}'s next claim"
            lines.append(
                f"The last seat ({last.seat}) went to {won} with {_plain_number(last.claim)}; "
                f"next in line was {who} with {_plain_number(nxt.claim)}{tie}."
            )
        return lines


def _plain_number(x: Fraction | None) -> str:
    if x is None:
        return "-"
    if x.denominator == 1:
        return f"{x.numerator:,}"
    return f"{float(x):,.2f}".rstrip("0").rstrip(".") if abs(x) >= 1 else f"{float(x):.4g}"


def explain(method: Method, votes: Mapping, seats: int) -> Explanation:
    """The seat-by-seat story of `method` on `votes` (party -> votes; (party, cand) for SNTV)."""
    if seats > MAX_EXPLAINED_SEATS:
        raise elections.AllocationError(
            f"an explanation lists every seat: at most {MAX_EXPLAINED_SEATS} seats, got {seats}"
        )
    if len(votes) > MAX_PARTIES:
        raise elections.AllocationError(
            f"an explanation lists every party: at most {MAX_PARTIES}, got {len(votes)}"
        )
    if method.name == "sntv":
        return _sntv(method, votes, seats)
    if method.name == "hare":
        result = _hare(method, votes, seats)
        expected = elections.hare(votes, seats)
    else:
        first = None if method.name == "dhondt" else (method.first_divisor or Fraction(1))
        result = _divisor(method, votes, seats, first)
        expected = elections.allocate(votes, seats, method.name, first)
    if result.seats != expected:  # pragma: no cover - would be a bug in one of the two
        raise AssertionError(f"explained seats {result.seats} differ from {expected}")
    return result


def _divisor_at(first: Fraction | None, k: int) -> Fraction:
    """The divisor for a party's (k+1)-th seat: D'Hondt k+1; Sainte-Lague first, 3, 5, ..."""
    if first is None:
        return Fraction(k + 1)
    return first if k == 0 else Fraction(2 * k + 1)


def _tie(winner: str, others: list[str], votes: Mapping[str, int]) -> str | None:
    if not others:
        return None
    return "more votes" if all(votes[winner] > votes[o] for o in others) else "name order"


def _divisor(method: Method, raw: Mapping, seats: int, first: Fraction | None) -> Explanation:
    votes = _checked(raw, seats)
    won = dict.fromkeys(votes, 0)
    heap = [(-Fraction(v) / _divisor_at(first, 0), -v, name) for name, v in votes.items()]
    heapq.heapify(heap)
    awards: list[Award] = []
    for seat in range(1, seats + 1):
        neg_q, _, name = heapq.heappop(heap)
        tied = [other for q, _, other in heap if q == neg_q]
        k = won[name]
        won[name] = k + 1
        awards.append(Award(seat, name, -neg_q, _divisor_at(first, k),
                            tied_with=tuple(sorted(tied)), broken_by=_tie(name, tied, votes)))
        nq = -Fraction(votes[name]) / _divisor_at(first, k + 1)
        heapq.heappush(heap, (nq, -votes[name], name))
    neg_q, _, name = heap[0]
    nxt = Award(seats + 1, name, -neg_q, _divisor_at(first, won[name]))
    columns = min(max(won.values()) + 1, seats + 1)
    divisors = [_divisor_at(first, k) for k in range(columns)]
    quotients = {p: [Fraction(v) / d for d in divisors] for p, v in votes.items()}
    return Explanation(method, dict(votes), won, awards, divisors, quotients, next_claim=nxt)


def _hare(method: Method, raw: Mapping, seats: int) -> Explanation:
    votes = _checked(raw, seats)
    total = sum(votes.values())
    quota = Fraction(total, seats)
    won: dict[str, int] = {}
    remainder: dict[str, Fraction] = {}
    for name, v in votes.items():
        whole, rest = divmod(v * seats, total)
        won[name], remainder[name] = whole, Fraction(rest, seats)  # in votes, like the quota
    awards = [Award(0, name, quota, automatic=True)
              for name in votes for _ in range(won[name])]
    order = sorted(votes, key=lambda n: (-remainder[n], -votes[n], n))
    left = seats - sum(won.values())
    for i, name in enumerate(order[:left]):
        tied = [o for o in order if o != name and remainder[o] == remainder[name]
                and o not in order[:i]]
        awards.append(Award(0, name, remainder[name], tied_with=tuple(sorted(tied)),
                            broken_by=_tie(name, tied, votes)))
        won[name] += 1
    awards = [Award(i, a.party, a.claim, a.divisor, a.candidate, a.automatic, a.tied_with,
                    a.broken_by) for i, a in enumerate(awards, start=1)]
    nxt = None
    if left < len(order):
        name = order[left]
        nxt = Award(seats + 1, name, remainder[name])
    quotients = {p: [Fraction(v) / quota, remainder[p]] for p, v in votes.items()}
    return Explanation(method, dict(votes), won, awards, quotients=quotients, quota=quota,
                       next_claim=nxt)


def _sntv(method: Method, raw: Mapping, seats: int) -> Explanation:
    result = elections.sntv(raw, seats)  # checks the input and the candidate count
    clean = {k: int(v) for k, v in raw.items()}
    ranked = sorted(clean, key=lambda key: (-clean[key], key))
    party_votes: dict[str, int] = {}
    for (party, _), v in clean.items():
        party_votes[party] = party_votes.get(party, 0) + v
    awards = []
    for i, (party, cand) in enumerate(ranked[:seats], start=1):
        tied = [f"{p}/{c}" for p, c in ranked if (p, c) != (party, cand)
                and clean[(p, c)] == clean[(party, cand)] and (p, c) > (party, cand)]
        awards.append(Award(i, party, Fraction(clean[(party, cand)]), candidate=cand,
                            tied_with=tuple(tied), broken_by="name order" if tied else None))
    nxt = None
    if seats < len(ranked):
        p, c = ranked[seats]
        nxt = Award(seats + 1, p, Fraction(clean[(p, c)]), candidate=c)
    return Explanation(method, party_votes, dict(result.seats), awards, next_claim=nxt,
                       elected=list(result.elected))


def _checked(votes: Mapping, seats: int) -> dict[str, int]:
    """The same checks (and messages) as the production allocator."""
    elections.hare(votes, seats)  # raises AllocationError on bad votes or seats
    return {name: int(v) for name, v in votes.items()}
