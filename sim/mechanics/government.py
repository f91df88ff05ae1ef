"""Government formation in Iraq's Council of Representatives, as pure functions.

The parliament's arithmetic decides most of what happens after an election: who may nominate the
Prime Minister, whether a President can be elected at all (the two-thirds quorum that let a third
of the house block Sadr's plan in 2022), which coalitions are worth bargaining over, how a
confidence vote goes and when a government loses its majority.  Everything here is deterministic
unless a `numpy.random.Generator` is passed in, so the engine keeps control of randomness.

Parties and blocs are plain string ids; seats are ``Mapping[str, int]``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field

import numpy as np

# --- Rules of the house -------------------------------------------------------------------------
# FACTS.md "Parliament": 320 general seats plus 9 quota seats [IPU-PARLINE], [SHAFAQ-2023-03-20].
TOTAL_SEATS = 329


def absolute_majority(total: int) -> int:
    """Smallest number of seats that is more than half of ``total``."""
    return total // 2 + 1


def two_thirds(total: int) -> int:
    """Smallest number of seats that is at least two thirds of ``total``."""
    return -(-2 * total // 3)


# FACTS.md "Parliament": confidence needs an absolute majority of members, 165 of 329
# [Constitution of Iraq 2005, art. 76].
CONFIDENCE_QUOTA = absolute_majority(TOTAL_SEATS)
# FACTS.md "Parliament": electing the President needs a two-thirds quorum, 220 of 329
# [Constitution of Iraq 2005, art. 70; Federal Supreme Court ruling of 2022].
PRESIDENT_QUORUM = two_thirds(TOTAL_SEATS)
# FACTS.md "Parliament": so 110 absent members can deny the quorum (the 2022 "blocking third").
BLOCKING_THIRD = TOTAL_SEATS - PRESIDENT_QUORUM + 1

assert (CONFIDENCE_QUOTA, PRESIDENT_QUORUM, BLOCKING_THIRD) == (165, 220, 110)

Coalition = frozenset[str]


def _seats_of(seats: Mapping[str, int], members: Iterable[str]) -> int:
    get = seats.get
    return sum([get(m, 0) for m in members])


# --- Nomination ---------------------------------------------------------------------------------
def bloc_seats(seats: Mapping[str, int], blocs: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Seats of every bloc, with each party outside all blocs standing as its own bloc.

    Why: since the Federal Supreme Court's 2010 reading, the "largest bloc" may be assembled
    after the election, so nomination is decided on declared blocs, not on lists.  A party in
    two blocs would be counted twice, which is a scenario error, hence the ``ValueError``.
    Parties named in a bloc but absent from ``seats`` count as zero (e.g. after resignations).
    """
    owner: dict[str, str] = {}
    totals: dict[str, int] = {}
    for bloc, members in blocs.items():
        total = 0
        for party in members:
            if party in owner:
                raise ValueError(f"party {party!r} is in blocs {owner[party]!r} and {bloc!r}")
            owner[party] = bloc
            total += seats.get(party, 0)
        if bloc in seats and bloc not in members:
            raise ValueError(f"bloc name {bloc!r} is also a party outside that bloc")
        totals[bloc] = total
    for party, n in seats.items():
        if party not in owner:
            totals[party] = totals.get(party, 0) + n
    return totals


def largest_bloc(seats: Mapping[str, int], blocs: Mapping[str, Sequence[str]] | None = None) -> str:
    """The bloc (or unaffiliated party) with the most seats: it nominates the Prime Minister.

    Ties go to the name that sorts first, so the result never depends on dict order; a real tie
    is a political question the scenario should settle by declaring blocs.
    """
    totals = bloc_seats(seats, blocs or {})
    if not totals:
        raise ValueError("no parties")
    best: str | None = None
    most = 0
    for bloc, n in totals.items():  # the least (-seats, name), without a key tuple per bloc
        if best is None or n > most or (n == most and bloc < best):
            best, most = bloc, n
    assert best is not None
    return best


def president_quorum_met(
    seats: Mapping[str, int], absent: Set[str], *, quorum: int = PRESIDENT_QUORUM
) -> bool:
    """Whether enough members attend to elect a President (two-thirds quorum).

    Why: a boycott by parties holding ``BLOCKING_THIRD`` (110) or more seats denies the quorum,
    which is how the Coordination Framework and its allies blocked Sadr's plan in 2022.
    """
    present = sum(n for party, n in seats.items() if party not in absent)
    return present >= quorum


# --- Coalitions ---------------------------------------------------------------------------------
def winning_coalitions(
    seats: Mapping[str, int],
    quota: int,
    formateur: str,
    max_size: int = 6,
    *,
    group_below: int = 0,
    group_name: str = "others",
    limit: int = 5000,
) -> list[Coalition]:
    """Minimal winning coalitions that contain ``formateur``.

    A coalition is winning when its seats reach ``quota`` and minimal when no *partner* can
    leave without it losing.  The formateur is never counted as removable: a Prime Minister
    designate with no bloc of his own (Sudani's position in the seed) still needs partners, and
    a formateur who wins alone gets the one-party coalition.

    Search bound (why this is fast for ~20 parties): partners are tried in descending seat
    order and a branch stops as soon as it wins (no superset of a winning coalition is minimal)
    or when even the largest remaining partners cannot reach the quota within ``max_size``
    members.  At most ``sum(C(n - 1, k) for k < max_size)`` branches are visited, e.g. 16 664
    for 20 parties and ``max_size=6``; at most ``limit`` coalitions are returned.

    Parties with fewer than ``group_below`` seats (one-seat lists, independents) are pooled into
    a single partner ``group_name`` holding their total, modelling a formateur who buys the
    small fry as a group; the default 0 pools nothing.  Zero-seat parties are never partners.

    Returned in a deterministic order: fewest seats first (smallest surplus), then fewest
    members, then names.
    """
    if formateur not in seats:
        raise ValueError(f"formateur {formateur!r} has no seat entry")
    if max_size < 1 or limit < 1:
        raise ValueError("max_size and limit must be at least 1")
    pool = {p: n for p, n in seats.items() if p != formateur and 0 < n < group_below}
    partners = {p: n for p, n in seats.items() if p != formateur and n >= max(group_below, 1)}
    if pool:
        if group_name in seats:
            raise ValueError(f"group name {group_name!r} clashes with a party")
        partners[group_name] = sum(pool.values())
    order = sorted(partners, key=lambda p: (-partners[p], p))
    weights = [partners[p] for p in order]
    base = seats[formateur]
    if base >= quota:
        return [frozenset({formateur})]

    found: list[tuple[str, ...]] = []
    chosen: list[int] = []

    def search(start: int, total: int) -> None:
        room = max_size - 1 - len(chosen)
        for i in range(start, len(order)):
            if len(found) >= limit:
                return
            # Best case: this partner plus the next largest ones, within the size budget.
            if total + sum(weights[i : i + room]) < quota:
                return  # later partners are no larger, so no later branch can win either
            chosen.append(i)
            new_total = total + weights[i]
            if new_total >= quota:
                # Partners were added largest first, so the last one is the smallest partner.
                if new_total - weights[i] < quota:
                    found.append(tuple(order[j] for j in chosen))
            elif room > 1:
                search(i + 1, new_total)
            chosen.pop()

    search(0, base)
    coalitions = [frozenset((formateur, *members)) for members in found]
    return sorted(
        coalitions,
        key=lambda c: (_seats_of({**seats, **partners}, c), len(c), tuple(sorted(c))),
    )


def relationship(relationships: Mapping[object, float], a: str, b: str) -> float:
    """Weight between ``a`` and ``b`` (alliance > 0 > rivalry), 0 when none is declared.

    Keys may be ``frozenset({a, b})`` or ordered tuples; when both ``(a, b)`` and ``(b, a)``
    are given the mean is used, because a coalition needs both sides to get along.
    """
    key = frozenset((a, b))
    if key in relationships:
        return float(relationships[key])
    ab, ba = (a, b), (b, a)
    if ab in relationships:  # (the directed weights given, summed and averaged as a list)
        directed = [relationships[ab], relationships[ba]] if ba in relationships \
            else [relationships[ab]]
    elif ba in relationships:
        directed = [relationships[ba]]
    else:
        return 0.0
    return float(sum(directed) / len(directed))


def cohesion(coalition: Iterable[str], relationships: Mapping[object, float]) -> float:
    """Mean pairwise relationship inside a coalition, in -1..1 (1 for a single party)."""
    members = sorted(set(coalition))
    pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
    if not pairs:
        return 1.0
    return sum(relationship(relationships, a, b) for a, b in pairs) / len(pairs)


def policy_range(coalition: Iterable[str], positions: Mapping[str, Mapping[str, float]]) -> float:
    """Mean over issues of the spread (max - min) of members' positions.

    Why range: minimal-range theories (de Swaan) say parties prefer partners close to them, and
    the range is what the most distant pair must swallow.  Issues a member has no position on
    are skipped for that member; an issue with fewer than two positions has no spread.
    """
    by_issue: dict[str, list[float]] = {}
    for party in sorted(set(coalition)):
        for issue, x in positions.get(party, {}).items():
            by_issue.setdefault(issue, []).append(float(x))
    if not by_issue:
        return 0.0
    return sum(max(v) - min(v) for v in by_issue.values()) / len(by_issue)


@dataclass(frozen=True, slots=True)
class UtilityWeights:
    """How much each consideration counts when a formateur ranks coalitions.

    Defaults are an analyst's assumption: a shortfall below the quota dominates everything,
    then surplus seats (Riker's size principle: every extra partner wants a share), cohesion
    and policy spread count equally, and the formateur's own power share is off by default.
    """

    surplus: float = 1.0
    cohesion: float = 1.0
    policy: float = 1.0
    power: float = 0.0
    shortfall: float = 10.0


@dataclass(frozen=True, slots=True)
class UtilityBreakdown:
    """Each term of a coalition's utility, kept so reports can say *why* it was chosen."""

    seats: int
    surplus: float  # (seats - quota) / quota when winning, else 0
    shortfall: float  # (quota - seats) / quota when losing, else 0
    cohesion: float
    policy: float
    power: float  # formateur's Shapley-Shubik share inside the coalition (0 if not asked)
    total: float


def coalition_score(
    coalition: Iterable[str],
    seats: Mapping[str, int],
    relationships: Mapping[object, float],
    positions: Mapping[str, Mapping[str, float]],
    *,
    quota: int = CONFIDENCE_QUOTA,
    formateur: str | None = None,
    weights: UtilityWeights = UtilityWeights(),
) -> UtilityBreakdown:
    """Utility of a coalition to its formateur, term by term (see `coalition_utility`)."""
    members = frozenset(coalition)
    total = _seats_of(seats, members)
    surplus = max(0, total - quota) / quota
    shortfall = max(0, quota - total) / quota
    coh = cohesion(members, relationships)
    pol = policy_range(members, positions)
    power = 0.0
    if weights.power and formateur is not None:
        if formateur not in members:
            raise ValueError(f"formateur {formateur!r} is not in the coalition")
        from sim.mechanics.power import shapley_shubik  # imported late: built in parallel

        inner = {m: seats.get(m, 0) for m in sorted(members)}
        if total >= quota:
            power = float(shapley_shubik(inner, quota).get(formateur, 0.0))
    utility = (
        -weights.surplus * surplus
        - weights.shortfall * shortfall
        + weights.cohesion * coh
        - weights.policy * pol
        + weights.power * power
    )
    return UtilityBreakdown(total, surplus, shortfall, coh, pol, power, utility)


def coalition_utility(
    coalition: Iterable[str],
    seats: Mapping[str, int],
    relationships: Mapping[object, float],
    positions: Mapping[str, Mapping[str, float]],
    *,
    quota: int = CONFIDENCE_QUOTA,
    formateur: str | None = None,
    weights: UtilityWeights = UtilityWeights(),
) -> float:
    """How attractive a coalition is to the formateur (higher is better).

    ``-surplus - shortfall + cohesion - policy range (+ formateur's power share)``, each with
    its weight from `UtilityWeights`: minimal winning coalitions of friends who agree are best.
    """
    return coalition_score(
        coalition,
        seats,
        relationships,
        positions,
        quota=quota,
        formateur=formateur,
        weights=weights,
    ).total


def coalition_choice_probabilities(
    candidates: Sequence[Iterable[str]], utilities: Sequence[float], temperature: float
) -> list[tuple[Coalition, float]]:
    """Softmax (logit) choice over candidate coalitions, for the engine to draw from.

    Why a softmax: bargaining is noisy, so better coalitions are likelier but not certain;
    ``temperature`` sets how noisy (0 = always the best, ties shared equally).  The result is
    sorted by the members' sorted names, so a seeded draw maps to the same coalition whatever
    order the candidates came in.  Utilities of ``-inf`` get probability 0.
    """
    if len(candidates) != len(utilities):
        raise ValueError("candidates and utilities differ in length")
    if temperature < 0 or math.isnan(temperature):
        raise ValueError("temperature must be >= 0")
    coalitions = [frozenset(c) for c in candidates]
    if len(set(coalitions)) != len(coalitions):
        raise ValueError("duplicate candidate coalitions")
    if not coalitions:
        return []
    u = np.asarray(utilities, dtype=float)
    if np.isnan(u).any() or np.isposinf(u).any():
        raise ValueError("utilities must be finite or -inf")
    best = u.max()
    if not np.isfinite(best):
        raise ValueError("every candidate has utility -inf")
    if temperature == 0:
        p = (u == best).astype(float)
    else:
        p = np.exp((u - best) / temperature)
    p = p / p.sum()
    ranked = sorted(zip(coalitions, p.tolist(), strict=True), key=lambda cp: sorted(cp[0]))
    return [(c, float(x)) for c, x in ranked]


# --- Votes and survival -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class VoteResult:
    """Outcome of a confidence vote: ``passed`` iff ``yes`` reaches the absolute majority."""

    yes: int
    no: int
    passed: bool
    # yes votes of each party that voted (absent parties are not listed): who voted how
    yes_by_party: dict[str, int] = field(default_factory=dict, compare=False)
    seats_by_party: dict[str, int] = field(default_factory=dict, compare=False)


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


def affinity(
    party: str,
    coalition: Iterable[str],
    seats: Mapping[str, int],
    relationships: Mapping[object, float],
    weight: Callable[[str, str], float] | None = None,
) -> float:
    """Seat-weighted mean relationship of ``party`` to the coalition's members, in -1..1.

    ``weight(a, b)``, when given, is read instead of ``relationship(relationships, a, b)``: a
    state's own accessor for the same mapping (the engine's `State.relationship`, several times
    faster than the general lookup), which must agree with it for two different actors; a zero
    may differ in sign, which the sum (started at 0) cannot tell.
    """
    members = sorted(set(coalition) - {party})
    get = seats.get
    total = _seats_of(seats, members)
    if total == 0:
        return 0.0
    # (sum over a list: the same additions in the same order as over a generator, faster)
    if weight is not None:
        return sum([get(m, 0) * weight(party, m) for m in members]) / total
    return sum([get(m, 0) * relationship(relationships, party, m) for m in members]) / total


def confidence_vote(
    seats: Mapping[str, int],
    coalition: Iterable[str],
    relationships: Mapping[object, float],
    rng: np.random.Generator | None = None,
    defection_rate: float = 0.05,
    *,
    quota: int = CONFIDENCE_QUOTA,
    absent: Set[str] = frozenset(),
    attendance: float = 1.0,
    weight: Callable[[str, str], float] | None = None,
) -> VoteResult:
    """A confidence vote on a government backed by ``coalition``.

    Members' deputies vote yes except for defectors (each seat defects with ``defection_rate``);
    a non-member's deputies vote yes with probability equal to its positive `affinity` to the
    coalition (friends lend votes, rivals and neutrals do not).  Deputies of ``absent``
    (boycotting) parties do not vote; everyone else who does not vote yes counts as no.  The
    quota is of *all members*, so absences hurt the government.  Outside a boycott each deputy
    attends with ``attendance`` (a quarter of the house is usually away: 253 of 329 at Sudani's
    vote); only those present vote, so ``yes + no`` is the attendance and ``seats_by_party`` the
    deputies of each party present.  ``weight`` is passed to `affinity`.

    With ``rng=None`` the expected counts are used (rounded half up per party), so the engine
    can ask "would it pass on average?"; with a generator each party's yes votes are binomial
    draws taken in sorted party order, hence reproducible.
    """
    if not 0.0 <= defection_rate <= 1.0:
        raise ValueError("defection_rate must be in [0, 1]")
    if not 0.0 <= attendance <= 1.0:
        raise ValueError("attendance must be in [0, 1]")
    members = set(coalition)
    yes = no = 0
    by_party: dict[str, int] = {}
    voting: dict[str, int] = {}
    for party in sorted(seats):
        n = int(seats[party])
        if n <= 0 or party in absent:
            continue
        if party in members:
            p = 1.0 - defection_rate
        else:
            p = max(0.0, affinity(party, members, seats, relationships, weight))
        if attendance < 1.0:  # who turns up (drawn before how they vote)
            n = _round_half_up(n * attendance) if rng is None else int(rng.binomial(n, attendance))
        if rng is None:
            y = _round_half_up(n * p)
        else:
            y = int(rng.binomial(n, p))
        yes += y
        no += n - y
        by_party[party], voting[party] = y, n
    return VoteResult(yes=yes, no=no, passed=yes >= quota, yes_by_party=by_party,
                      seats_by_party=voting)


def government_survives(
    seats: Mapping[str, int], members: Iterable[str], *, quota: int = CONFIDENCE_QUOTA
) -> bool:
    """Whether the remaining members still command the absolute majority."""
    return _seats_of(seats, set(members)) >= quota


def pivotal_members(
    seats: Mapping[str, int], members: Iterable[str], *, quota: int = CONFIDENCE_QUOTA
) -> list[str]:
    """Members whose withdrawal alone would bring the government below the quota (sorted)."""
    group = set(members)
    total = _seats_of(seats, group)
    if total < quota:
        return []
    return sorted(m for m in group if total - seats.get(m, 0) < quota)


def collapse_risk(
    seats: Mapping[str, int],
    members: Iterable[str],
    withdraw_prob: Mapping[str, float] | float,
    *,
    quota: int = CONFIDENCE_QUOTA,
) -> float:
    """Probability the government falls below ``quota`` if members withdraw independently.

    ``withdraw_prob`` is one probability for every member or one per member (missing = 0).
    Exact: a dynamic programme over the seats still supporting the government, O(members x
    seats), so the engine can compare risks without sampling noise.
    """
    group = sorted(set(members))
    dist = {0: 1.0}  # seats still in government -> probability
    for m in group:
        p = withdraw_prob if isinstance(withdraw_prob, float | int) else withdraw_prob.get(m, 0.0)
        p = float(p)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"withdrawal probability of {m!r} must be in [0, 1]")
        n = seats.get(m, 0)
        nxt: dict[int, float] = {}
        for s, q in dist.items():
            nxt[s] = nxt.get(s, 0.0) + q * p
            nxt[s + n] = nxt.get(s + n, 0.0) + q * (1.0 - p)
        dist = nxt
    return float(min(1.0, sum(q for s, q in dist.items() if s < quota)))
