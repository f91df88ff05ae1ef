"""Seat allocation and national elections under Iraq's election laws.

Why this module exists: the election-law scenario turns on the fact that the *same votes* give
*different parliaments* under different rules.  So every rule here is exact (integers and
`fractions.Fraction`, never floats in a comparison) and deterministic, and the laws are plain data
(`ElectionLaw`) that a scenario can swap.

Methods
-------
* ``dhondt``: highest averages with divisors 1, 2, 3, ...
* ``sainte_lague``: highest averages with divisors f, 3, 5, 7, ... where f (the first divisor)
  is 1 for the pure method; Iraq's 2023 amendment uses 1.7.  Seats are handed out one at a time
  to the highest current quotient (the seat-by-seat reading of the rule), which equals "take the
  largest quotients of the whole table" whenever f <= 3.
* ``hare``: largest remainder with the Hare quota (total votes / seats).
* ``sntv``: single non-transferable vote; the best-placed candidates win (Iraq 2020).

Tie-break (every method, documented because ties do happen with round numbers)
------------------------------------------------------------------------------
When two claims on a seat are exactly equal (the same quotient, the same remainder, or the same
candidate vote), the party with **more votes in the constituency** wins; if those are equal too,
the **name that sorts first** (Python string order, ascending) wins.  For SNTV the candidates'
own votes decide, then the ``(party, candidate)`` pair that sorts first.  Real laws draw lots;
a simulator needs the same answer on every run.

Impossible inputs raise `AllocationError` (a `ValueError`), never a silent zero.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

__all__ = [
    "AllocationError",
    "ElectionLaw",
    "LAWS",
    "LAW_2013",
    "LAW_2020_SNTV",
    "LAW_2023",
    "METHODS",
    "NationalResult",
    "SntvResult",
    "VoteManagement",
    "allocate",
    "as_fraction",
    "dhondt",
    "district_magnitudes",
    "hare",
    "national_election",
    "sainte_lague",
    "sntv",
]

Method = Literal["dhondt", "sainte-lague", "hare", "sntv"]
Districting = Literal["governorate", "districts"]
METHODS: tuple[str, ...] = ("dhondt", "sainte-lague", "hare", "sntv")
LIST_METHODS: tuple[str, ...] = ("dhondt", "sainte-lague", "hare")


class AllocationError(ValueError):
    """The input cannot be turned into seats (no parties, no votes, no seats, ...)."""


# --------------------------------------------------------------------------------------------
# Input checks shared by every method
# --------------------------------------------------------------------------------------------


def _check_seats(seats: object) -> int:
    """Seats must be a positive integer: a parliament of 0 seats has nothing to allocate."""
    if type(seats) is int:  # the usual case, without the (slow) ABC check
        if seats <= 0:
            raise AllocationError(f"seats must be positive, got {seats}")
        return seats
    if isinstance(seats, bool) or not isinstance(seats, numbers.Integral):
        raise AllocationError(f"seats must be an integer, got {seats!r}")
    if seats <= 0:
        raise AllocationError(f"seats must be positive, got {seats}")
    return int(seats)


def _check_votes(votes: Mapping[str, object]) -> dict[str, int]:
    """Votes are non-negative integers and at least one is positive.

    Floats are refused rather than rounded: a fractional vote means the caller mixed shares and
    counts, and silently rounding would hide that.
    """
    if not votes:
        raise AllocationError("no parties to allocate seats to")
    clean: dict[str, int] = {}
    for name, count in votes.items():
        if type(count) is not int:  # plain ints skip the (slow) ABC check
            if isinstance(count, bool) or not isinstance(count, numbers.Integral):
                raise AllocationError(f"votes for {name!r} must be an integer, got {count!r}")
            count = int(count)
        if count < 0:
            raise AllocationError(f"votes for {name!r} are negative ({count})")
        clean[name] = count
    if not any(clean.values()):
        raise AllocationError("every party has zero votes: nothing to allocate by")
    return clean


MAX_FIRST_DIVISOR = 100  # far above any real law (1 to 2); bounds the exact arithmetic


def as_fraction(value: Fraction | int | float | str) -> Fraction:
    """An exact positive number: floats go through their decimal text so 1.7 is exactly 17/10.

    `Fraction(1.7)` would be the binary approximation 7656119366529843/4503599627370496, which can
    flip a tie that the law's decimal 1.7 does not have.  The value must lie in
    (0, MAX_FIRST_DIVISOR]; text is range-checked as a float *before* exact arithmetic, since
    ``Fraction("1e999999999")`` would build a billion-digit integer and hang.
    """
    if isinstance(value, bool):
        raise AllocationError(f"first divisor must be a number, got {value!r}")
    if isinstance(value, str):
        text = value.strip()
        try:
            approx = float(Fraction(text)) if "/" in text and len(text) <= 64 else float(text)
        except (ValueError, ZeroDivisionError, OverflowError):
            raise AllocationError(f"first divisor must be a number, got {value!r}") from None
        if len(text) > 64 or not 0 < approx <= MAX_FIRST_DIVISOR:
            raise AllocationError(f"first divisor must be above 0 and at most "
                                  f"{MAX_FIRST_DIVISOR}, got {text[:40]!r}")
    try:
        if isinstance(value, Fraction):
            exact = value
        elif isinstance(value, numbers.Integral):
            exact = Fraction(int(value))
        elif isinstance(value, float):
            exact = Fraction(str(value))
        elif isinstance(value, str):
            exact = Fraction(value.strip())
        else:
            raise TypeError
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        raise AllocationError(f"first divisor must be a number, got {value!r}") from None
    if exact <= 0:
        raise AllocationError(f"first divisor must be positive, got {value}")
    if exact > MAX_FIRST_DIVISOR:
        raise AllocationError(f"first divisor must be at most {MAX_FIRST_DIVISOR}, got {value}")
    return exact


def _order_key(name: str, votes: Mapping[str, int]) -> tuple[int, str]:
    """The documented tie-break: more votes first, then name ascending."""
    return (-votes[name], name)


# --------------------------------------------------------------------------------------------
# List PR methods
# --------------------------------------------------------------------------------------------


def _highest_averages(
    votes: Mapping[str, int], seats: int, divisor: Callable[[int], Fraction]
) -> dict[str, int]:
    """Hand out seats one at a time to the best current quotient votes / divisor(seats won).

    A heap keeps this O(seats log parties), so 10,000 seats stay instant.  Each key carries the
    tie-break after the quotient so equal quotients resolve the documented way.  This is the
    general (Fraction) reading of the rule; `_divisor_seats` computes the same seats much faster
    and falls back here only when the divisors decrease (a Sainte-Lague first divisor above 3).
    """
    won = dict.fromkeys(votes, 0)
    heap = [(-Fraction(v) / divisor(0), *_order_key(name, votes)) for name, v in votes.items()]
    heapq.heapify(heap)
    for _ in range(seats):
        _, neg_votes, name = heapq.heappop(heap)
        won[name] += 1
        heapq.heappush(heap, (-Fraction(votes[name]) / divisor(won[name]), neg_votes, name))
    return won


def _divisor_seats(votes: Mapping[str, int], seats: int, first: Fraction | None) -> dict[str, int]:
    """Seat-by-seat highest averages, computed exactly without handing seats out one by one.

    ``first=None`` is D'Hondt (divisors 1, 2, 3, ...); otherwise Sainte-Lague with divisors
    first, 3, 5, ....  All divisors are scaled to integers (D'Hondt k + 1; Sainte-Lague with
    first = a/b: a, 3b, 5b, ...), so quotients compare by integer cross-multiplication.

    When the divisors never decrease (D'Hondt, and Sainte-Lague with first <= 3), handing seats
    out one at a time takes exactly the `seats` best entries of the quotient table, ordered by
    (quotient desc, votes desc, name asc), at most `seats` entries per party.  So: (1) take every
    entry whose quotient exceeds an exact rational threshold near the final one (a prefix of
    that order, counted per party in O(1)); (2) add the best next entry, or drop the worst
    taken one, until exactly `seats` are taken; each step keeps the taken set a prefix, so the
    result is the top `seats`: the same seats as the heap, tie-break included.  Zero-vote
    parties never win (every party with votes has `seats` positive quotients).
    """
    names = list(votes)
    tally = list(votes.values())
    if min(tally, default=0) <= 0:  # zero-vote parties never win: left out, listed with 0
        live = [(name, v) for name, v in votes.items() if v > 0]
        names = [name for name, _ in live]
        tally = [v for _, v in live]
    total = sum(tally)
    n = len(tally)
    if first is None:
        a = b = 1
        # D'Hondt: about v / threshold - 1/2 seats each, so threshold ~ total / (seats + n/2).
        num, den = 2 * total, 2 * seats + n  # entry (v, k) taken iff v * den > num * (k + 1)
        counts = [min(seats, (v * den - 1) // num) for v in tally]
    else:
        a, b = first.numerator, first.denominator
        if a > 3 * b:  # divisors first, 3, 5, ... decrease once: seat-by-seat is not the table
            return _highest_averages(
                votes, seats, lambda k: first if k == 0 else Fraction(2 * k + 1)
            )
        # Sainte-Lague: about v / (2 * threshold) seats each, so threshold ~ total / (2 seats).
        # Scaled divisors a, 3b, 5b, ...: entry (v, k) taken iff v * den > num * divisor(k).
        num, den = total, 2 * seats * b
        first_bar, odd_bar = num * a, num * b
        counts = _sainte_lague_counts(tally, seats, den, first_bar, odd_bar)
        have = sum(counts)
        if have and abs(have - seats) > 1:
            # lists below their first seat waste votes, so the first threshold is often several
            # seats off: move it once by two thirds of the gap (any threshold takes a prefix)
            counts = _sainte_lague_counts(
                tally, seats, den + 2 * den * (seats - have) // (3 * have), first_bar, odd_bar)
    have = sum(counts)
    dhondt_rule = first is None
    while have < seats:  # add the best next entry
        best = -1
        bv = bd = 0
        bn = ""
        for i in range(n):
            k = counts[i]
            if k >= seats:
                continue
            v = tally[i]
            d = k + 1 if dhondt_rule else (a if k == 0 else (2 * k + 1) * b)
            if best >= 0:
                lhs, rhs = v * bd, bv * d
                if lhs < rhs or (lhs == rhs and (v < bv or (v == bv and names[i] > bn))):
                    continue
            best, bv, bd, bn = i, v, d, names[i]
        counts[best] += 1
        have += 1
    while have > seats:  # drop the worst taken entry
        worst = -1
        wv = wd = 0
        wn = ""
        for i in range(n):
            k = counts[i] - 1
            if k < 0:
                continue
            v = tally[i]
            d = k + 1 if dhondt_rule else (a if k == 0 else (2 * k + 1) * b)
            if worst >= 0:
                lhs, rhs = v * wd, wv * d
                if lhs > rhs or (lhs == rhs and (v > wv or (v == wv and names[i] < wn))):
                    continue
            worst, wv, wd, wn = i, v, d, names[i]
        counts[worst] -= 1
        have -= 1
    if n == len(votes):
        return dict(zip(names, counts, strict=True))
    won = dict.fromkeys(votes, 0)
    won.update(zip(names, counts, strict=True))
    return won


def _sainte_lague_counts(tally: list[int], seats: int, den: int, first_bar: int,
                         odd_bar: int) -> list[int]:
    """Each party's entries (v, k) with v * den above num * divisor(k) (`_divisor_seats`): none
    when the first seat is not reached (so no later one, a <= 3b); else, with q = (x - 1) //
    (b * num) for x = v * den, the odd divisors m >= 3 with m * b * num < x are those m <= q,
    so 1 + (q - 1) // 2 entries (at least the first), at most `seats`."""
    return [0 if (x := v * den) <= first_bar
            else (c if (c := ((x - 1) // odd_bar + 1) // 2 or 1) < seats else seats)
            for v in tally]


def dhondt(votes: Mapping[str, int], seats: int) -> dict[str, int]:
    """D'Hondt: divisors 1, 2, 3, ...; favours large parties, the usual list-PR baseline."""
    clean = _check_votes(votes)
    return _divisor_seats(clean, _check_seats(seats), None)


def sainte_lague(
    votes: Mapping[str, int],
    seats: int,
    first_divisor: Fraction | int | float | str = 1,
) -> dict[str, int]:
    """Sainte-Lague with divisors first_divisor, 3, 5, 7, ...

    A first divisor above 1 makes a party's *first* seat dearer, which is how Iraq's 2023 law
    (1.7) squeezes small lists and independents while leaving big parties' later seats alone.
    """
    clean = _check_votes(votes)
    count = _check_seats(seats)
    return _divisor_seats(clean, count, as_fraction(first_divisor))


def hare(votes: Mapping[str, int], seats: int) -> dict[str, int]:
    """Largest remainder with the Hare quota (total / seats).

    Each party first gets the whole quotas it holds; the seats left go to the largest remainders.
    Kept as a teaching contrast: unlike divisor methods it can show the Alabama paradox.
    Integer arithmetic: party quota = votes * seats / total, so floor and remainder are exact.
    """
    clean = _check_votes(votes)
    count = _check_seats(seats)
    total = sum(clean.values())
    won: dict[str, int] = {}
    remainder: dict[str, int] = {}
    for name, v in clean.items():
        won[name], remainder[name] = divmod(v * count, total)
    left = count - sum(won.values())
    for name in sorted(clean, key=lambda n: (-remainder[n], *_order_key(n, clean)))[:left]:
        won[name] += 1
    return won


def allocate(
    votes: Mapping[str, int],
    seats: int,
    method: str,
    first_divisor: Fraction | int | float | str | None = None,
) -> dict[str, int]:
    """One entry point for list methods, so a law can name its method as data."""
    if method == "dhondt":
        chosen = dhondt
    elif method == "hare":
        chosen = hare
    elif method == "sainte-lague":
        return sainte_lague(votes, seats, 1 if first_divisor is None else first_divisor)
    elif method == "sntv":
        raise AllocationError("sntv allocates to candidates: call sntv() with candidate votes")
    else:
        raise AllocationError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    if first_divisor is not None:
        raise AllocationError(f"a first divisor applies only to sainte-lague, not {method}")
    return chosen(votes, seats)


# --------------------------------------------------------------------------------------------
# SNTV
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SntvResult:
    """Who won an SNTV district: candidates in the order they placed, and seats per party."""

    elected: list[tuple[str, str]]
    seats: dict[str, int]


def sntv(candidate_votes: Mapping[tuple[str, str], int], seats: int) -> SntvResult:
    """Single non-transferable vote: the `seats` candidates with most votes win.

    Votes stay with the candidate (no list pooling), so a party's seats depend on how evenly it
    spreads its vote over how many candidates: the vote management the 2020 law rewarded.
    Keys are ``(party, candidate)``; there must be at least as many candidates as seats.
    """
    count = _check_seats(seats)
    for key in candidate_votes:
        if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            raise AllocationError(f"SNTV keys are (party, candidate) pairs, got {key!r}")
    clean = _check_votes(candidate_votes)  # type: ignore[arg-type]
    if len(clean) < count:
        raise AllocationError(f"{count} seats but only {len(clean)} candidates")
    ranked = sorted(clean, key=lambda key: (-clean[key], key))
    elected = ranked[:count]
    won = dict.fromkeys((party for party, _ in candidate_votes), 0)
    for party, _ in elected:
        won[party] += 1
    return SntvResult(elected=list(elected), seats=won)


# --------------------------------------------------------------------------------------------
# Laws
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ElectionLaw:
    """An election law as data: how votes become seats, and over which constituencies.

    ``first_divisor`` applies to sainte-lague only (None there means the pure method, 1).
    ``districting`` is ``"governorate"`` (one constituency per governorate) or ``"districts"``
    (``districts`` multi-member districts in all, drawn by `district_magnitudes`).
    """

    name: str
    method: Method
    first_divisor: Fraction | None = None
    districting: Districting = "governorate"
    districts: int | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise AllocationError(f"unknown method {self.method!r}")
        if self.first_divisor is not None:
            if self.method != "sainte-lague":
                raise AllocationError("a first divisor applies only to sainte-lague")
            object.__setattr__(self, "first_divisor", as_fraction(self.first_divisor))
        if self.districting not in ("governorate", "districts"):
            raise AllocationError(f"unknown districting {self.districting!r}")
        if self.districting == "districts":
            if not isinstance(self.districts, int) or self.districts <= 0:
                raise AllocationError("districting 'districts' needs a positive district count")
        elif self.districts is not None:
            raise AllocationError("a district count applies only to districting 'districts'")


LAW_2013 = ElectionLaw("2013", "sainte-lague", Fraction(8, 5), "governorate")
"""2013 law (used 2014 and 2018): one list-PR constituency per governorate, modified Sainte-Lague
[IPU-PARLINE].  APPROXIMATE: the sources say only "modified"; 1.6 is our assumption for the first
divisor (the 2018 count is often described with a different value)."""

LAW_2020_SNTV = ElectionLaw("2020_sntv", "sntv", None, "districts", 83)
"""2020 law (used Oct 2021): 83 multi-member districts, candidate-level SNTV [SHAFAQ-2020-10].
The district map itself is an assumption: see `district_magnitudes`."""

LAW_2023 = ElectionLaw("2023_sl17", "sainte-lague", Fraction(17, 10), "governorate")
"""27 Mar 2023 amendment: one constituency per governorate, Sainte-Lague with divisors 1.7, 3, 5,
... [AP-2023-03-27], [YENISAFAK-2023-03-28]."""

LAWS: dict[str, ElectionLaw] = {"2013": LAW_2013, "2020_sntv": LAW_2020_SNTV, "2023_sl17": LAW_2023}


_HALF = Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class VoteManagement:
    """How a party runs its candidates under SNTV (ignored by list methods).

    nomination: candidates fielded per seat of the district.  A district of magnitude m gets
        ``max(1, round_half_up(nomination * m))`` candidates: 1 = a full slate, 0.5 = one
        candidate per two seats, 2 = twice as many candidates as seats (overnomination).
    evenness: in (0, 1].  Candidate i (0-based) gets a share proportional to ``evenness ** i``
        of the party's district vote: 1 splits it equally (perfect discipline, as the Sadrists
        managed in 2021); lower values pile votes on a star and starve the rest.
    Both are stored as exact fractions (floats via their decimal text).  The defaults describe
    an ordinary, unmanaged party: a full slate whose vote piles onto its leading names (each
    candidate gets half the one before), which is how most lists fared in 2021.
    """

    nomination: Fraction = Fraction(1)
    evenness: Fraction = Fraction(1, 2)

    def __post_init__(self) -> None:
        for name in ("nomination", "evenness"):
            try:
                exact = as_fraction(getattr(self, name))
            except AllocationError:
                raise AllocationError(f"{name} must be a positive number") from None
            object.__setattr__(self, name, exact)
        if self.evenness > 1:
            raise AllocationError(f"evenness must be in (0, 1], got {self.evenness}")

    def candidates(self, magnitude: int) -> int:
        """Slate size in a district of this magnitude (at least one)."""
        return max(1, int(self.nomination * magnitude + _HALF))

    def weights(self, candidates: int) -> list[Fraction]:
        """Relative vote shares of a slate, best-placed candidate first."""
        return [self.evenness**i for i in range(candidates)]


# --------------------------------------------------------------------------------------------
# Splitting and districting
# --------------------------------------------------------------------------------------------


_NO_MANAGEMENT = VoteManagement()
"""What `_slates_cached` and `_sntv_district_cached` assume for a party with no `VoteManagement`."""


def _integer_weights(weights: Iterable[Fraction | int]) -> list[int]:
    """The same proportions as whole numbers: every weight times the common denominator."""
    exact = [w if type(w) is Fraction else Fraction(w) for w in weights]
    common = math.lcm(*(w.denominator for w in exact))
    return [w.numerator * (common // w.denominator) for w in exact]


@functools.lru_cache(maxsize=1024)
def _slate_weights(evenness: Fraction, size: int) -> list[int]:
    """`VoteManagement.weights` as integers: evenness ** i = p**i / q**i, times q**(size - 1).
    Shared across calls: callers must not change the list."""
    p, q = evenness.numerator, evenness.denominator
    return [p**i * q ** (size - 1 - i) for i in range(size)]


def _split_int(total: int, weights: list[int], whole: int) -> list[int]:
    """Split an integer in proportion to integer weights summing to `whole`, exactly: floors,
    then largest remainders (ties to the earlier position), so the parts sum to `total` (a vote
    never appears or vanishes between a party and its candidates).  Share i is
    total * weights[i] / whole: floors and remainders are exact integer divisions."""
    parts = []
    rems = []
    for w in weights:
        q, r = divmod(total * w, whole)
        parts.append(q)
        rems.append(r)
    left = total - sum(parts)
    if left:
        # remainder desc, then position asc (a reversed sort keeps equal keys in order)
        order = sorted(range(len(weights)), key=rems.__getitem__, reverse=True)
        for i in order[:left]:
            parts[i] += 1
    return parts


def _district_counts(seats: Mapping[str, int], total_districts: int) -> dict[str, int]:
    """Districts per governorate: proportional to seats by largest remainder, each at least 1.

    Governorates whose proportional share is below 1 are fixed at 1 and the rest re-shared among
    the others until no share falls below 1 (the usual "minimum representation" procedure).
    """
    fixed: dict[str, int] = {}
    while True:
        free = {g: s for g, s in seats.items() if g not in fixed}
        left = total_districts - len(fixed)
        pool = sum(free.values())
        small = [g for g, s in free.items() if s * left < pool]
        if not small:
            break
        fixed.update(dict.fromkeys(small, 1))
    counts = hare(free, left) if free else {}
    return {g: fixed.get(g, counts.get(g, 0)) for g in seats}


def district_magnitudes(
    general_seats_by_gov: Mapping[str, int], total_districts: int
) -> dict[str, list[int]]:
    """Split governorates into multi-member districts: ``{gov: [magnitude, ...]}``.

    ASSUMPTION: the real 2020 district map (83 districts) is not in our sources, so we draw a
    stand-in: each governorate gets at least one district, district counts are proportional to
    its seats (largest remainder), and its seats are spread as evenly as possible (larger
    districts first).  It reproduces the law's scale (3-5 seat districts), not its exact map.
    """
    seats = {g: _check_seats(s) for g, s in general_seats_by_gov.items()}
    if not seats:
        raise AllocationError("no governorates to district")
    count = _check_seats(total_districts)
    if count < len(seats):
        raise AllocationError(f"{count} districts cannot cover {len(seats)} governorates")
    if count > sum(seats.values()):
        raise AllocationError(f"{count} districts need at least {count} seats")
    result: dict[str, list[int]] = {}
    for gov, n in _district_counts(seats, count).items():
        base, extra = divmod(seats[gov], n)
        result[gov] = [base + 1] * extra + [base] * (n - extra)
    return result


# --------------------------------------------------------------------------------------------
# National elections
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NationalResult:
    """Seats nationally and per governorate (quota seats included, every party listed)."""

    law: str
    seats: dict[str, int]
    by_governorate: dict[str, dict[str, int]]


def _slates_cached(
    votes: Mapping[str, int],
    magnitude: int,
    management: Mapping[str, VoteManagement],
    cache: dict[int, dict[str, int]],
) -> dict[str, int]:
    """Slate sizes in one SNTV district, topped up so no seat is left without a candidate.

    Only parties with votes there run.  If their slates are shorter than the district, parties
    take one more candidate each in turn (most votes first) until they are not: real districts
    never lack candidates, and the seat total must not depend on a nomination setting.  Each
    party's slate size is memoised in ``cache[magnitude][party]`` (valid for one `management`
    mapping, i.e. within one national election)."""
    known = cache.get(magnitude)
    if known is None:
        known = cache[magnitude] = {}
    sizes: dict[str, int] = {}
    fielded = 0
    for p, v in votes.items():
        if v > 0:
            size = known.get(p)
            if size is None:
                size = known[p] = management.get(p, _NO_MANAGEMENT).candidates(magnitude)
            sizes[p] = size
            fielded += size
    if sizes and fielded < magnitude:
        running = sorted(sizes, key=lambda p: _order_key(p, votes))
        turn = 0
        while fielded < magnitude:
            sizes[running[turn % len(running)]] += 1
            turn += 1
            fielded += 1
    return sizes


def _sntv_district_cached(
    votes: Mapping[str, int],
    magnitude: int,
    management: Mapping[str, VoteManagement],
    sizes_cache: dict[int, dict[str, int]],
    split_cache: dict[tuple[int, int, int], list[int]],
) -> dict[str, int]:
    """Seats per party in one SNTV district, from party votes and vote management, without
    building the candidate table (tests check it against that table fed to `sntv`).

    `sntv` elects the `magnitude` best candidates by (votes desc, (party, candidate) asc).  Only
    party counts matter here, and which candidate of one party wins a tie does not change them.
    Each party's candidate votes come out of `_split_int` in non-increasing order (weights
    evenness ** i, ties to the earlier position), and none exceeds the party's vote.  So, parties
    taken by votes descending, a min-heap keeps the `magnitude` best candidate votes seen; once
    a party's whole vote is below the heap's least, neither it nor any later party can reach
    the cutoff (the magnitude-th best candidate vote).  Seats: every candidate above the cutoff,
    then the candidates exactly at it, party name first.  Splits are memoised per (votes,
    id(management object), slate size): fragmented lists repeat them.
    """
    sizes = _slates_cached(votes, magnitude, management, sizes_cache)
    best: list[int] = []  # min-heap of the best candidate votes so far, at most `magnitude`
    contenders: list[tuple[str, list[int]]] = []
    for v, party in sorted(((votes[p], p) for p in sizes), reverse=True):
        if len(best) == magnitude and v < best[0]:
            break
        size = sizes[party]
        vm = management.get(party, _NO_MANAGEMENT)
        key = (v, id(vm), size)
        parts = split_cache.get(key)
        if parts is None:
            wkey = (-1, id(vm), size)
            weights = split_cache.get(wkey)
            if weights is None:
                if type(vm) is VoteManagement:
                    weights = _slate_weights(vm.evenness, size)
                else:
                    weights = _integer_weights(vm.weights(size))
                split_cache[wkey] = weights
            parts = split_cache[key] = _split_int(v, weights, sum(weights))
        contenders.append((party, parts))
        for x in parts:
            if len(best) < magnitude:
                heapq.heappush(best, x)
            elif x > best[0]:
                heapq.heapreplace(best, x)
            else:
                break
    cutoff = best[0]
    won = dict.fromkeys(votes, 0)
    left = magnitude
    tied: list[tuple[str, int]] = []
    for party, parts in contenders:
        above = equal = 0
        for x in parts:
            if x > cutoff:
                above += 1
            elif x == cutoff:
                equal += 1
            else:
                break
        if above:
            won[party] = above
            left -= above
        if equal:
            tied.append((party, equal))
    for party, equal in sorted(tied):
        if left <= 0:
            break
        take = min(equal, left)
        won[party] += take
        left -= take
    return won


def _constituency(
    votes: Mapping[str, int],
    magnitude: int,
    law: ElectionLaw,
    management: Mapping[str, VoteManagement],
    caches: tuple[dict, dict] | None = None,
) -> dict[str, int]:
    """Seats in one constituency (a governorate or a district) under the law's method."""
    if law.method == "sntv":
        sizes, splits = caches if caches is not None else ({}, {})
        return _sntv_district_cached(votes, magnitude, management, sizes, splits)
    # `_governorate` hands in checked votes (integers, some positive) and a positive magnitude:
    # a divisor method with a valid first divisor goes straight to the seats (what `allocate`
    # does after checking them again, 18 times an election)
    fd = law.first_divisor
    if type(magnitude) is int and magnitude > 0:
        if law.method == "dhondt" and fd is None:
            return _divisor_seats(votes, magnitude, None)
        if law.method == "sainte-lague" and (fd is None or (
                # 0 < fd <= MAX_FIRST_DIVISOR on the (normalised) terms: a Fraction's own
                # comparisons cost more than the rest of this dispatch
                type(fd) is Fraction
                and 0 < fd.numerator <= MAX_FIRST_DIVISOR * fd.denominator)):
            return _divisor_seats(votes, magnitude, _ONE if fd is None else fd)
    return allocate(votes, magnitude, law.method, law.first_divisor)


_ONE = Fraction(1)


def _governorate(
    gov: str,
    votes: Mapping[str, int],
    general: int,
    law: ElectionLaw,
    districts: list[int],
    management: Mapping[str, VoteManagement],
    caches: tuple[dict, dict] | None = None,
) -> dict[str, int]:
    """General seats of one governorate, over one constituency or its districts.

    With districts, each party's governorate vote is spread over the districts in proportion
    to their magnitudes (we have governorate totals, not district returns).  `caches` memoise
    SNTV slate sizes and vote splits across calls of one national election.
    """
    if general == 0:
        return dict.fromkeys(votes, 0)
    if not votes:
        raise AllocationError(f"{gov}: {general} general seats but no votes")
    try:
        clean = _check_votes(votes)
    except AllocationError as exc:
        raise AllocationError(f"{gov}: {exc}") from None
    if len(districts) == 1:
        # one constituency: every method answers with each of `clean`'s parties in its order
        # (some with votes, as `_check_votes` made sure), the seats of the governorate
        return _constituency(clean, districts[0], law, management, caches)
    whole = sum(districts)
    memo: dict[int, list[int]] = {}  # fragmented lists repeat the same vote
    spread = []
    for party, v in clean.items():
        parts = memo.get(v)
        if parts is None:
            parts = memo[v] = _split_int(v, districts, whole)
        spread.append((party, parts))
    locals_ = [{party: parts[d] for party, parts in spread} for d in range(len(districts))]
    won = dict.fromkeys(votes, 0)
    for d, (magnitude, local) in enumerate(zip(districts, locals_, strict=True)):
        if not any(local.values()):
            raise AllocationError(f"{gov}: too few votes to fill district {d + 1}")
        for party, seats in _constituency(local, magnitude, law, management, caches).items():
            if seats:
                won[party] += seats
    return won


def _parties(*tables: Iterable[str]) -> list[str]:
    """Every party named anywhere, in first-seen order (stable output order)."""
    return list(dict.fromkeys(itertools.chain.from_iterable(tables)))


def national_election(
    votes: Mapping[str, Mapping[str, int]],
    magnitudes: Mapping[str, int],
    law: ElectionLaw,
    quota_seats: Mapping[str, Mapping[str, int]] | None = None,
    vote_management: Mapping[str, VoteManagement] | None = None,
) -> NationalResult:
    """Turn governorate votes into a parliament under one law.

    Quota (minority) seats are outside the competition, as in the law: a governorate's general
    seats are its magnitude minus its quota seats, and the quota holders' seats are added on top.
    The seat total is therefore always ``sum(magnitudes)``.
    """
    quota = {g: dict(q) for g, q in (quota_seats or {}).items()}
    management = dict(vote_management or {})
    for gov in (*votes, *quota):
        if gov not in magnitudes:
            raise AllocationError(f"{gov}: votes or quota seats for a governorate with no seats")
    general: dict[str, int] = {}
    for gov, magnitude in magnitudes.items():
        reserved_seats = quota.get(gov)
        reserved = sum(reserved_seats.values()) if reserved_seats else 0
        if reserved_seats and any(s < 0 for s in reserved_seats.values()):
            raise AllocationError(f"{gov}: negative quota seats")
        general[gov] = _check_seats(magnitude) - reserved
        if general[gov] < 0:
            raise AllocationError(f"{gov}: {reserved} quota seats exceed its {magnitude} seats")
    if law.districting == "districts":
        competitive = {g: s for g, s in general.items() if s > 0}
        districts = district_magnitudes(competitive, law.districts or 0) if competitive else {}
    else:
        districts = {g: [s] for g, s in general.items() if s > 0}

    parties = _parties(*(votes.values()), *(quota.values()))
    caches: tuple[dict, dict] = ({}, {})
    by_gov: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys(parties, 0)
    for gov in magnitudes:
        row = dict.fromkeys(parties, 0)
        won = _governorate(
            gov, votes.get(gov, {}), general[gov], law, districts.get(gov, []), management, caches
        )
        row.update(won)  # each of its parties is in `parties` (a zero row's seat counts)
        for party, seats in won.items():
            if seats:
                totals[party] += seats
        reserved_seats = quota.get(gov)
        if reserved_seats:
            for party, seats in reserved_seats.items():
                if seats:
                    row[party] += seats
                    totals[party] += seats
        by_gov[gov] = row
    return NationalResult(law=law.name, seats=totals, by_governorate=by_gov)
