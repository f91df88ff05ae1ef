"""Deputies of groupings that are not parties drawn into the blocs, one deputy at a time.

Independents, the small lists counted as one category and the minority quota seats never
bargain as units, but after each Iraqi election their deputies are courted one by one: after
October 2021 the Coordination Framework went from its lists' certified seats to 88 signatures
at the first session and 94 six weeks later by drawing in independents and small lists, while
the Sadrists added about a dozen; some 46 independents still stood apart in May 2022 (the
world's `sources`).  These are the pure functions of that arithmetic: what a bloc offers a
deputy, how likely each bloc is to win them, how fast an available deputy commits, and the
house after the move (its size never changes).  The rates are the world's (`behaviour:
recruitment.*`); `sim.institutions.recruitment` runs them in time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from sim.mechanics.vacancies import largest_remainder


@dataclass(slots=True)
class Offer:
    """What a bloc holds out to a grouping's deputy, each part on a 0..1 scale.

    `size`: the bloc's share of the house; `prospect`: 1 for the bloc that would nominate the
    prime minister (the largest), else 0; `portfolios`: the share of the cabinet's weight its
    members hold now (the state's patronage a deputy can be paid from); `affinity`: the
    grouping's relationship with the bloc's leading party, mapped from -1..1 to 0..1; `sect`: 1
    when the leading party shares the grouping's sect, a half when the grouping is mixed, else
    0.  Not frozen: a frozen dataclass sets each field through `object.__setattr__`, at twice
    the cost, and offers are made ~50 times a run and read at once."""

    size: float
    prospect: float
    portfolios: float
    affinity: float
    sect: float


@dataclass(frozen=True, slots=True)
class Weights:
    size: float
    prospect: float
    portfolios: float
    affinity: float
    sect: float


def attraction(offer: Offer, weights: Weights) -> float:
    """A bloc's pull on a deputy: the weighted sum of its offer (a utility, on a logit scale)."""
    return (weights.size * offer.size + weights.prospect * offer.prospect
            + weights.portfolios * offer.portfolios + weights.affinity * offer.affinity
            + weights.sect * offer.sect)


def sect_match(grouping_sect: str | None, bloc_sect: str | None) -> float:
    """1 for the same sect, a half for a mixed grouping (its deputies are of every community),
    0 otherwise."""
    if grouping_sect is None or bloc_sect is None:
        return 0.0
    if grouping_sect == "mixed":
        return 0.5
    return 1.0 if grouping_sect == bloc_sect else 0.0


def choice_probabilities(pulls: Mapping[str, float]) -> dict[str, float]:
    """Which bloc a committing deputy joins: a multinomial logit over the blocs' pulls (a pull
    one unit higher makes a bloc e times likelier); empty when no bloc makes an offer."""
    if not pulls:
        return {}
    top = max(pulls.values())
    raw = {b: math.exp(float(p) - top) for b, p in sorted(pulls.items())}
    total = sum(raw.values())
    return {b: r / total for b, r in raw.items()}


def round_probability(cadence_days: float, half_life_days: float) -> float:
    """The chance that an available deputy commits within one round of `cadence_days`, when
    half of them commit within `half_life_days` (a constant hazard)."""
    if half_life_days <= 0:
        return 1.0
    return 1.0 - math.pow(0.5, cadence_days / half_life_days)


def committed_by(days: float, half_life_days: float) -> float:
    """The expected share of available deputies committed `days` after the rounds began."""
    if days <= 0:
        return 0.0
    return 1.0 - math.pow(0.5, days / half_life_days) if half_life_days > 0 else 1.0


def recipients(count: int, members: Mapping[str, int]) -> dict[str, int]:
    """Which member parties of a bloc take `count` joining deputies: pro rata to their seats by
    largest remainders (ties by name); empty when no member holds a seat."""
    if count == 1:  # most joins: the largest quota's remainder is the most seats, ties by name
        seated = [(-n, p) for p, n in members.items() if n > 0]
        if not seated:
            return {}
        return {min(seated)[1]: 1}
    return largest_remainder(count, {p: float(n) for p, n in sorted(members.items()) if n > 0})


def move(seats: Mapping[str, int], grouping: str, gains: Mapping[str, int]) -> dict[str, int]:
    """The house after the grouping's deputies join: `grouping` loses what the parties in
    `gains` win.  The total never changes; asking for more deputies than the grouping holds is
    an error, not a silent cap."""
    moved = sum(gains.values())
    if any(n < 0 for n in gains.values()):
        raise ValueError("a negative move")
    if moved > seats.get(grouping, 0):
        raise ValueError(f"{grouping} holds {seats.get(grouping, 0)} seats, not {moved}")
    if grouping in gains:
        raise ValueError("a grouping cannot join itself")
    after = dict(seats)
    after[grouping] = seats.get(grouping, 0) - moved
    for p, n in gains.items():
        after[p] = after.get(p, 0) + n
    return after
