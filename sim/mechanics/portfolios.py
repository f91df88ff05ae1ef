"""Sharing out ministries among coalition partners (muhasasa), as pure functions.

Iraq's cabinets are shared by a quota logic: partners expect ministries roughly in proportion to
the seats they bring (Gamson's law, which holds well across parliamentary democracies), and
some posts follow ethno-sectarian conventions (e.g. Defence to a Sunni party, Foreign Affairs to
a Kurdish one, Interior, Finance and Oil to Shia parties).  The allocation here is a sequential,
divisor-style pick so that it is deterministic, explainable event by event, and close to
proportional.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

Method = Literal["sainte-lague", "dhondt"]

# Offset of the divisor: a party's claim on a ministry of weight w is seats / (held + c * w).
# c = 1/2 is the Sainte-Lague idea (judge a party as if it had already received half of the
# item), c = 1 is D'Hondt's (as if it had received all of it), which favours large parties.
_OFFSET: dict[str, Fraction] = {"sainte-lague": Fraction(1, 2), "dhondt": Fraction(1)}


@dataclass(frozen=True, slots=True)
class Ministry:
    """A cabinet post and what it is worth.

    ``weight`` is its value in the bargaining (sovereign ministries weigh more); ``sect`` is the
    community whose parties conventionally hold it (``None``: no convention).
    """

    name: str
    weight: float
    sovereign: bool = False
    sect: str | None = None

    def __post_init__(self) -> None:
        if not self.weight > 0:
            raise ValueError(f"ministry {self.name!r} needs a positive weight")


def allocate_portfolios(
    coalition_seats: Mapping[str, int],
    party_sect: Mapping[str, str],
    ministries: Sequence[Ministry],
    fixed: Mapping[str, str] | None = None,
    *,
    method: Method = "sainte-lague",
) -> dict[str, str]:
    """Give every ministry exactly one holder from the coalition: ministry name -> party.

    Order: the ``fixed`` assignments first (posts settled by a deal or an event), then the other
    ministries from the most valuable down (ties: sovereign first, then by name).  Each goes to
    the party with the strongest claim ``seats / (held weight + c * ministry weight)``, with
    ``c`` set by ``method``: the party furthest below its seat share picks, so portfolio weight
    tracks seats (Gamson).  When the ministry has a sect convention and some coalition party
    with seats belongs to that sect, only those parties may claim it; otherwise the convention
    lapses and every party may.  Ties in claim go to the party with more seats, then to the name
    that sorts first.  Claims are compared as exact fractions, so float noise never decides.
    """
    fixed = dict(fixed or {})
    offset = _OFFSET.get(method)
    if offset is None:
        raise ValueError(f"unknown method {method!r}")
    names, weight, ranked = _cabinet(ministries)
    if any(n < 0 for n in coalition_seats.values()):
        raise ValueError("seats must be non-negative")
    parties = sorted(p for p, n in coalition_seats.items() if n > 0)
    if not parties:
        raise ValueError("the coalition has no seats")
    for ministry, party in fixed.items():
        if ministry not in names:
            raise ValueError(f"fixed ministry {ministry!r} is not in the cabinet")
        if party not in coalition_seats:
            raise ValueError(f"fixed holder {party!r} of {ministry!r} is not in the coalition")

    on, od = offset.numerator, offset.denominator
    held = dict.fromkeys(coalition_seats, 0)
    allocation: dict[str, str] = {}
    for ministry, party in fixed.items():
        allocation[ministry] = party
        held[party] += weight[ministry]

    # (the cabinet's order filtered: the same order as sorting what is left, names being unique)
    remaining = [m for m in ranked if m.name not in allocation]
    for m in remaining:
        eligible = [p for p in parties if m.sect is not None and party_sect.get(p) == m.sect]
        if not eligible:
            eligible = parties
        w = on * weight[m.name]
        # ``eligible`` is sorted by name and only a strictly better claim replaces the leader,
        # so a full tie goes to the name that sorts first.
        winner, best_num, best_den = "", -1, 1
        for p in eligible:
            num, den = coalition_seats[p], od * held[p] + w
            left, right = num * best_den, best_num * den
            if left > right or (left == right and num > best_num):
                winner, best_num, best_den = p, num, den
        allocation[m.name] = winner
        held[winner] += weight[m.name]
    return {name: allocation[name] for name in names}


# the last cabinet given as a tuple (immutable, of frozen Ministry): its names, exact integer
# weights and its ministries from the most valuable down; a formation gives the
# same tuple of the world's cabinet at every government (a list is read afresh every call)
# (read and replaced whole, one tuple, as `sim.memo.PerWorld` is: runs stepped in threads
# never read another cabinet's entry between a check and a read)
_LAST: tuple[Any, tuple[list[str], dict[str, int], list[Ministry]] | None] = (None, None)


def _cabinet(ministries: Sequence[Ministry]
             ) -> tuple[list[str], dict[str, int], list[Ministry]]:
    global _LAST
    owner, cached = _LAST
    if cached is not None and type(ministries) is tuple and owner is ministries:
        return cached
    names = [m.name for m in ministries]
    if len(set(names)) != len(names):
        raise ValueError("ministry names must be unique")
    # Exact integer arithmetic, the same comparisons as with Fractions: every weight is a
    # binary fraction, so `scale` (the common denominator) makes them integers, and with the
    # offset c = on / od a claim seats / (held + c * w) is od * seats / (od * held + on * w):
    # od is the same for every party, so claims compare as seats / (od * held + on * w), by
    # cross-multiplication (denominators are positive: every weight is)
    exact = {m.name: Fraction(m.weight) for m in ministries}
    scale = math.lcm(*(f.denominator for f in exact.values())) if exact else 1
    weight = {name: int(f * scale) for name, f in exact.items()}
    ranked = sorted(ministries, key=lambda m: (-weight[m.name], not m.sovereign, m.name))
    if type(ministries) is tuple:
        _LAST = (ministries, (names, weight, ranked))
    return names, weight, ranked


def portfolio_weights(
    allocation: Mapping[str, str], ministries: Sequence[Ministry]
) -> dict[str, float]:
    """Total ministry weight held by each party in an allocation."""
    weight = {m.name: m.weight for m in ministries}
    out: dict[str, float] = {}
    for ministry, party in allocation.items():
        if ministry not in weight:
            raise ValueError(f"unknown ministry {ministry!r}")
        out[party] = out.get(party, 0.0) + weight[ministry]
    return out


def gamson_deviation(
    allocation: Mapping[str, str | None],
    seats: Mapping[str, int],
    ministries: Sequence[Ministry],
) -> float:
    """Distance from Gamson's law: half the sum over parties of |portfolio share - seat share|.

    0 means portfolios exactly proportional to seats, 1 means the opposite extreme.  Shares are
    of the coalition's seats and of the *allocated* weight (vacant ministries, held by
    ``None``, are left out).  A holder missing from ``seats`` is an error, not a zero.
    """
    held = portfolio_weights({m: p for m, p in allocation.items() if p is not None}, ministries)
    unknown = set(held) - set(seats)
    if unknown:
        raise ValueError(f"holders not in the coalition: {sorted(unknown)}")
    total_seats = sum(seats.values())
    total_weight = sum(held.values())
    if total_seats <= 0 or total_weight <= 0:
        raise ValueError("need seats and at least one allocated ministry")
    return 0.5 * sum(
        abs(held.get(p, 0.0) / total_weight - n / total_seats) for p, n in seats.items()
    )
