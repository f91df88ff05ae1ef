"""A-priori voting power in weighted majority games: Shapley-Shubik and Banzhaf indices.

Seat shares mislead: in a 329-seat parliament with a 165-seat quota a party with 40 seats can be
pivotal far more (or less) often than 40/329 suggests, and the 220-seat quorum to elect a president
hands a 'blocking third' power of its own.  Power indices measure how often a party is decisive.

Both indices are computed exactly with generating functions rather than by enumerating the n!
orderings or 2**n coalitions.  Let ``C[k, w]`` count the coalitions of size ``k`` and total weight
``w``; it is the coefficient of ``x**k * y**w`` in ``prod_j (1 + x * y**w_j)``.  Player ``i`` is
pivotal for a coalition ``S`` of the *others* when ``quota - w_i <= w(S) < quota``, so both
indices only need ``C_{-i}``, the counts without ``i``.  We build ``C`` once and divide the factor
``(1 + x * y**w_i)`` back out (a forward recurrence, ``O(n * quota)`` per player), instead of
rebuilding the table ``n`` times.  Weights at or above the quota never matter below it, so the
tables stop at ``quota - 1``.  Players with equal weight have equal power, so each distinct weight
is divided out once, and all of them together in one vectorised pass.

Counts are exact integers: numpy int64 while they provably fit (at most 62 players with positive
weight: every entry is at most ``2**62``), Python integers beyond.  Players with zero weight can
never be pivotal; they are left out of the tables, which changes no other player's Shapley-Shubik
or normalised Banzhaf value (they only double every raw swing count, which we restore).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "PowerError",
    "PowerIndices",
    "banzhaf",
    "banzhaf_swings",
    "power_indices",
    "shapley_shubik",
]

#: Above this many weighted players, int64 could overflow (2**62 is the largest count we store).
_INT64_MAX_PLAYERS = 62


class PowerError(ValueError):
    """The weighted game is malformed (negative or non-integer weight, quota out of range)."""


@dataclass(frozen=True, slots=True)
class PowerIndices:
    """Both normalised indices for one weighted game, keyed by player name; each sums to 1."""

    shapley_shubik: dict[str, float]
    banzhaf: dict[str, float]


@dataclass(frozen=True, slots=True)
class _WeightPower:
    """Power of one player of a given weight (players of equal weight are interchangeable)."""

    shapley_shubik: float
    swings: int  # raw Banzhaf swings, counting coalitions of *all* players


def shapley_shubik(weights: Mapping[str, int], quota: int) -> dict[str, float]:
    """Shapley-Shubik index: the share of voting orders in which each player is pivotal."""
    return power_indices(weights, quota).shapley_shubik


def banzhaf(weights: Mapping[str, int], quota: int) -> dict[str, float]:
    """Normalised Banzhaf index: each player's swings as a share of all players' swings."""
    return power_indices(weights, quota).banzhaf


def banzhaf_swings(weights: Mapping[str, int], quota: int) -> dict[str, int]:
    """Raw Banzhaf counts: winning coalitions that lose if the player leaves them.

    Exact integers (they can exceed 2**63 for large games), counted over coalitions of all
    players, zero-weight ones included.
    """
    clean = _validate(weights, quota)
    by_weight = _by_weight(tuple(sorted(clean.values())), quota)
    return {name: by_weight[w].swings if w else 0 for name, w in clean.items()}


def power_indices(weights: Mapping[str, int], quota: int) -> PowerIndices:
    """Both indices at once, memoised on the game so the engine's repeated calls cost ~nothing.

    The cache is keyed on the sorted multiset of weights and the quota, not on names, so the same
    seat distribution under different labels is computed once.  Fresh dicts are returned every
    time, so callers may mutate them without corrupting the cache.
    """
    clean = _validate(weights, quota)
    by_weight = _by_weight(tuple(sorted(clean.values())), quota)
    total_swings = sum(by_weight[w].swings for w in clean.values() if w)
    ss: dict[str, float] = {}
    bz: dict[str, float] = {}
    for name, w in clean.items():
        if w == 0:
            ss[name] = bz[name] = 0.0
            continue
        ss[name] = by_weight[w].shapley_shubik
        # total_swings > 0 whenever 1 <= quota <= total; guard anyway rather than divide by 0.
        bz[name] = by_weight[w].swings / total_swings if total_swings else 0.0
    return PowerIndices(shapley_shubik=ss, banzhaf=bz)


def _validate(weights: Mapping[str, int], quota: int) -> dict[str, int]:
    """Check the game and return plain-int weights (numpy integers accepted, floats refused)."""
    if not weights:
        raise PowerError("a weighted game needs at least one player")
    clean: dict[str, int] = {}
    for name, weight in weights.items():
        clean[name] = _as_int(weight, f"weight of {name!r}")
        if clean[name] < 0:
            raise PowerError(f"weight of {name!r} is negative ({clean[name]})")
    q = _as_int(quota, "quota")
    total = sum(clean.values())
    if not 1 <= q <= total:
        raise PowerError(f"quota must be between 1 and the total weight {total}, got {q}")
    return clean


def _as_int(value: object, what: str) -> int:
    """An integer or a PowerError: bools and floats such as 2.5 are mistakes, not weights."""
    if isinstance(value, bool):
        raise PowerError(f"{what} must be an integer, got {value!r}")
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise PowerError(f"{what} must be an integer, got {value!r}") from None


@lru_cache(maxsize=4096)
def _by_weight(sorted_weights: tuple[int, ...], quota: int) -> dict[int, _WeightPower]:
    """Power of a player of each distinct positive weight in the game (the cached core)."""
    positive = [w for w in sorted_weights if w > 0]
    zeros = len(sorted_weights) - len(positive)
    n = len(positive)
    dtype: type = np.int64 if n <= _INT64_MAX_PLAYERS else object
    table = _coalition_counts(positive, quota, dtype)
    distinct = sorted(set(positive))
    without = _remove_players(table, distinct, quota)  # shape (len(distinct), n, quota)
    inverse_binomials = [1 / math.comb(n - 1, k) for k in range(n)]
    result: dict[int, _WeightPower] = {}
    for idx, w in enumerate(distinct):
        # Coalitions of the others that i turns from losing into winning, by size.
        # (as Python ints: tolist() gives exactly int(c) of each count, without numpy items)
        pivotal_by_size = without[idx, :, max(quota - w, 0) :].sum(axis=1).tolist()
        # A size-k coalition precedes i in k!(n-1-k)! of the n! orders: weight 1/(n*C(n-1,k)).
        ss = sum(c * inv for c, inv in zip(pivotal_by_size, inverse_binomials, strict=True))
        swings = sum(pivotal_by_size) << zeros
        result[w] = _WeightPower(shapley_shubik=ss / n, swings=swings)
    return result


def _coalition_counts(weights: list[int], quota: int, dtype: type) -> np.ndarray:
    """``C[k, w]``: coalitions of size k and weight w < quota (prod of 1 + x y**w_j, truncated)."""
    n = len(weights)
    table = np.zeros((n + 1, quota), dtype=dtype)
    table[0, 0] = 1
    for w in weights:
        if w < quota:
            # Right-hand side is evaluated before assignment, so this is the 0/1 knapsack step.
            table[1:, w:] = table[1:, w:] + table[:-1, : quota - w]
    return table


def _remove_players(table: np.ndarray, distinct: list[int], quota: int) -> np.ndarray:
    """Divide ``(1 + x y**w)`` out of the table for every weight w in ``distinct`` at once.

    From ``C = D + x y**w D`` it follows that ``D[k] = C[k] - shift_w(D[k - 1])``: one pass over
    sizes, vectorised over weights and over the players being removed.
    """
    n = table.shape[0] - 1
    d = len(distinct)
    out = np.empty((d, n, quota), dtype=table.dtype)
    out[:, 0, :] = table[0]
    # shift_w(x)[j] = x[j - w], 0 where j < w: each row of D[k - 1] is written to the right half
    # of a row `quota` zeros wide on the left, and read back from `quota - w` on (a weight at or
    # above the quota reads zeros only); one flat `take` with indices fixed for the whole table
    pad = np.zeros((d, 2 * quota), dtype=table.dtype)
    start = quota - np.minimum(np.asarray(distinct), quota)
    index = (np.arange(d)[:, None] * (2 * quota) + start[:, None]
             + np.arange(quota)[None, :]).ravel()
    for k in range(1, n):
        pad[:, quota:] = out[:, k - 1, :]
        out[:, k, :] = table[k][None, :] - pad.take(index).reshape(d, quota)
    return out
