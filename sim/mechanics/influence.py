"""An influence index: how much each actor can make happen, from what it holds.

The seed's picture of Khazali's rise is a list of holdings: seats, ministries (Finance, Higher
Education), the government media office and a foothold in the CMC and IMN, PMF brigades, the
Babylon governorship, economic levers (ports, contracts, land), set against US sanctions.  The
index turns such holdings into one share per actor.  Each component is first normalised across
actors (an actor's share of all brigades, of all ministry weight, ...), so the units of the
inputs never matter and the declared weights alone say how much each kind of power counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Holdings:
    """What an actor holds (any non-negative units; counts or weights)."""

    ministry_weight: float = 0.0
    security_posts: float = 0.0
    media_posts: float = 0.0
    governorships: float = 0.0
    brigades: float = 0.0
    levers: float = 0.0
    mobilisation: float = 0.0
    sanctioned: bool = False

    def __post_init__(self) -> None:
        for name in COMPONENTS:
            if not getattr(self, name) >= 0:  # also rejects NaN
                raise ValueError(f"holding {name} must be non-negative")


# The kinds of holding that add to influence: every numeric field of Holdings.
COMPONENTS: tuple[str, ...] = tuple(f.name for f in fields(Holdings) if f.name != "sanctioned")


@dataclass(frozen=True, slots=True)
class InfluenceWeights:
    """Declared weight of each component of influence (an analyst's assumption).

    Parliamentary power (the actor's power index) counts most because governments and laws
    pass through the chamber; ministries next, as the main source of patronage; armed force,
    economic levers, governorships and the street after.  The positive weights sum to 1.
    ``sanctions_penalty`` is the share of its score a sanctioned actor loses (partners keep
    their distance and its posts become liabilities).
    """

    seats: float = 0.25
    ministries: float = 0.20
    security_posts: float = 0.10
    media_posts: float = 0.05
    governorships: float = 0.10
    brigades: float = 0.10
    levers: float = 0.10
    mobilisation: float = 0.10
    sanctions_penalty: float = 0.25

    def __post_init__(self) -> None:
        for f in fields(self):
            if not getattr(self, f.name) >= 0:
                raise ValueError(f"weight {f.name} must be non-negative")
        if self.sanctions_penalty > 1:
            raise ValueError("sanctions_penalty must be at most 1")


# Which weight goes with which holding.
_WEIGHT_OF = {
    "ministry_weight": "ministries",
    "security_posts": "security_posts",
    "media_posts": "media_posts",
    "governorships": "governorships",
    "brigades": "brigades",
    "levers": "levers",
    "mobilisation": "mobilisation",
}


def _shares(values: Mapping[str, float]) -> dict[str, float]:
    total = sum(values.values())
    if total <= 0:
        return {a: 0.0 for a in values}
    return {a: v / total for a, v in values.items()}


def holding_shares(holdings: Mapping[str, Holdings],
                   actors: Sequence[str]) -> list[dict[str, float]]:
    """Each holding's shares across `actors` (in COMPONENTS order), as `influence_index`
    normalises them: they do not depend on the seats, so a caller that meets the same holdings
    under many seat distributions may compute them once and hand them in."""
    empty = Holdings()
    held = {a: holdings.get(a, empty) for a in actors}
    return [_shares({a: float(getattr(held[a], name)) for a in actors}) for name in COMPONENTS]


def influence_index(
    holdings: Mapping[str, Holdings],
    power: Mapping[str, float],
    weights: InfluenceWeights = InfluenceWeights(),
    shares: Sequence[Mapping[str, float]] | None = None,
) -> dict[str, float]:
    """Each actor's share of influence; the shares sum to 1 (sorted by actor id).

    ``power`` is the parliamentary component, normally a power index of seats (Shapley-Shubik
    at the confidence quota).  Actors missing from one mapping have nothing of that kind.  An
    actor with no holdings and no power gets 0; if nobody has anything, everyone gets 0 (the
    only case in which the shares do not sum to 1).
    """
    if any(not v >= 0 for v in power.values()):
        raise ValueError("power values must be non-negative")
    actors = sorted(set(holdings) | set(power))
    # each actor's score is the weighted shares added up in a fixed order (seats, then the
    # holdings in COMPONENTS order), one list per component: the same sums, term by term, as
    # adding to a running total per actor (0.0 + x is x, and no term is negative)
    power_of = [float(power.get(a, 0.0)) for a in actors]
    total = sum(power_of)
    score = [weights.seats * (v / total) for v in power_of] if total > 0 \
        else [weights.seats * 0.0 for _ in actors]
    if shares is None:
        shares = holding_shares(holdings, actors)
    for name, share in zip(COMPONENTS, shares, strict=True):
        weight = getattr(weights, _WEIGHT_OF[name])
        score = [x + weight * share[a] for x, a in zip(score, actors, strict=True)]
    keep = 1.0 - weights.sanctions_penalty
    for i, a in enumerate(actors):
        held = holdings.get(a)
        if held is not None and held.sanctioned:
            score[i] *= keep
    total = sum(score)
    if total <= 0:
        return {a: 0.0 for a in actors}
    return {a: x / total for a, x in zip(actors, score, strict=True)}
