"""A-priori voting power in weighted majority games: Shapley-Shubik and Banzhaf indices.

Seat shares mislead: in a 329-seat parliament with a 165-seat quota a party with 40 seats can be
pivotal far more (or less) often than 40/329 suggests, and the 220-seat quorum to elect a president
hands a 'blocking third' power of its own.  Power indices measure how often a party is decisive.

Both indices are computed exactly with generating functions rather than by enumerating the n!
orderings or 2**n coalitions.  Let ``C[k, w]`` count the coalitions of size ``k`` and total weight
``w``; it is the coefficient of ``x**k * y**w`` in ``prod_j (1 + x * y**w_j)``.  Player ``i`` is
pivotal for a coalition ``S`` of the *others* when ``quota - w_i <= w(S) < quota``, so both
indices only need ``C_{-i}``, the counts without ``i``, and only their sums over that window.  We
build ``C`` once and divide the factor ``(1 + x * y**w_i)`` back out as an alternating series,
whose window sums are differences of ``C``'s prefix sums (`_by_weight`), instead of rebuilding
the table ``n`` times.  Weights at or above the quota never matter below it, so the tables stop at
``quota - 1``.  Players with equal weight have equal power, so each distinct weight is divided
out once, and all of them together in one vectorised gather.

Counts are exact integers: numpy int64 while they provably fit (at most 62 players with positive
weight: every entry is at most ``2**62``), Python integers beyond.  Players with zero weight can
never be pivotal; they are left out of the tables, which changes no other player's Shapley-Shubik
or normalised Banzhaf value (they only double every raw swing count, which we restore).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
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


def shapley_shubik(weights: Mapping[str, int], quota: int) -> dict[str, float]:
    """Shapley-Shubik index: the share of voting orders in which each player is pivotal.

    (`power_indices` without the Banzhaf half, which the engine's callers never read.)"""
    clean = _validate(weights, quota)
    ss = _by_weight(tuple(sorted(clean.values())), quota)[0]
    return {name: ss[w] if w else 0.0 for name, w in clean.items()}


def banzhaf(weights: Mapping[str, int], quota: int) -> dict[str, float]:
    """Normalised Banzhaf index: each player's swings as a share of all players' swings."""
    return power_indices(weights, quota).banzhaf


def banzhaf_swings(weights: Mapping[str, int], quota: int) -> dict[str, int]:
    """Raw Banzhaf counts: winning coalitions that lose if the player leaves them.

    Exact integers (they can exceed 2**63 for large games), counted over coalitions of all
    players, zero-weight ones included.
    """
    clean = _validate(weights, quota)
    swings = _swings(tuple(sorted(clean.values())), quota)
    return {name: swings[w] if w else 0 for name, w in clean.items()}


def power_indices(weights: Mapping[str, int], quota: int) -> PowerIndices:
    """Both indices at once, memoised on the game so the engine's repeated calls cost ~nothing.

    The cache is keyed on the sorted multiset of weights and the quota, not on names, so the same
    seat distribution under different labels is computed once.  Fresh dicts are returned every
    time, so callers may mutate them without corrupting the cache.
    """
    clean = _validate(weights, quota)
    key = tuple(sorted(clean.values()))
    by_ss, by_swings = _by_weight(key, quota)[0], _swings(key, quota)
    total_swings = sum(by_swings[w] for w in clean.values() if w)
    ss: dict[str, float] = {}
    bz: dict[str, float] = {}
    for name, w in clean.items():
        if w == 0:
            ss[name] = bz[name] = 0.0
            continue
        ss[name] = by_ss[w]
        # total_swings > 0 whenever 1 <= quota <= total; guard anyway rather than divide by 0.
        bz[name] = by_swings[w] / total_swings if total_swings else 0.0
    return PowerIndices(shapley_shubik=ss, banzhaf=bz)


def _validate(weights: Mapping[str, int], quota: int) -> dict[str, int]:
    """Check the game and return plain-int weights (numpy integers accepted, floats refused)."""
    if not weights:
        raise PowerError("a weighted game needs at least one player")
    clean: dict[str, int] = {}
    for name, weight in weights.items():
        if type(weight) is not int:  # the engine's seats are ints: convert only the others
            weight = _as_int(weight, f"weight of {name!r}")
        if weight < 0:
            raise PowerError(f"weight of {name!r} is negative ({weight})")
        clean[name] = weight
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
def _by_weight(sorted_weights: tuple[int, ...],
               quota: int) -> tuple[dict[int, float], np.ndarray, list[int], int]:
    """Power of a player of each distinct positive weight in the game (the cached core): its
    Shapley-Shubik index by weight (players of equal weight are interchangeable), and what
    `_swings` reads for the raw Banzhaf swings (pivotal counts by weight and size, the
    distinct weights, the number of zero weights), which the engine never asks for.

    With ``Cs[k, b]`` the number of coalitions of size k and weight below b (prefix sums of
    ``C``), dividing ``(1 + x y**w)`` out of ``C`` is the alternating series
    ``D[k, u] = sum_j (-1)**j C[k - j, u - j w]``, so the coalitions of the others that a
    player of weight w turns from losing into winning (weight in ``[quota - w, quota)``) are
    ``P[k] = sum_j (-1)**j (Cs[k - j, h_j] - Cs[k - j, h_(j+1)])`` with ``h_j = quota - j w``
    clipped to ``[0, quota]``.  Since ``-(-1)**j = (-1)**(j+1)`` the two halves merge:
    ``P[k] = sum_j (-1)**j A[k - j, h_j] - Cs[k + 1, quota]`` with ``A[r] = Cs[r] + Cs[r + 1]``
    (``A[-1] = Cs[0]``), one gather for every weight and size at once (`_layout`).  All counts
    are exact integers, so the result is the one the factor-by-factor division gives.
    """
    positive = [w for w in sorted_weights if w > 0]
    zeros = len(sorted_weights) - len(positive)
    n = len(positive)
    dtype: type = np.int64 if n <= _INT64_MAX_PLAYERS else object
    prefix = _coalition_prefix(positive, quota, dtype)
    # rows 0..n-1: A[r]; row n: unused; row n + 1: zeros (j > k + 1); row n + 2: A[-1] = Cs[0]
    table: np.ndarray = np.zeros((n + 3, quota + 1), dtype=dtype)
    np.add(prefix[:n], prefix[1:], out=table[:n])
    table[n + 2] = prefix[0]
    index, sign, inverse_binomials = _layout(n, quota)
    distinct = sorted(set(positive))
    # pivotal[idx, k]: coalitions of size k of the others that the idx-th weight turns winning
    where = index(distinct)
    pivotal = table.ravel().take(where).dot(sign) - prefix[1:, quota]
    # A size-k coalition precedes i in k!(n-1-k)! of the n! orders: weight 1/(n*C(n-1,k)),
    # summed over k in order (accumulate adds left to right, as Python's sum does)
    if dtype is object:
        rows = pivotal.tolist()
        ss = [sum(c * inv for c, inv in zip(row, inverse_binomials.tolist(), strict=True))
              for row in rows]
    else:
        ss = np.add.accumulate(pivotal * inverse_binomials, axis=1)[:, -1].tolist()
    return dict(zip(distinct, [s / n for s in ss], strict=True)), pivotal, distinct, zeros


def _swings(sorted_weights: tuple[int, ...], quota: int) -> dict[int, int]:
    """Raw Banzhaf swings of a player of each distinct positive weight, counting coalitions of
    *all* players (each zero-weight player doubles them), from `_by_weight`'s pivotal counts."""
    _, pivotal, distinct, zeros = _by_weight(sorted_weights, quota)
    swings = [sum(row) for row in pivotal.tolist()]
    return {w: sw << zeros for w, sw in zip(distinct, swings, strict=True)}


def _coalition_prefix(weights: list[int], quota: int, dtype: type) -> np.ndarray:
    """``Cs[k, b]``: coalitions of size k and weight below b, for b in 0..quota.

    Built as the prefix sums of ``C`` (the coefficients of prod 1 + x y**w_j) directly: adding
    a player of weight w adds ``C[k - 1, u - w]`` to ``C[k, u]``, so it adds
    ``Cs[k - 1, b - w]`` to ``Cs[k, b]`` (the 0/1 knapsack step on the sums, which spares a
    separate cumulative sum); after i players only sizes up to i can be non-zero.
    """
    n = len(weights)
    table: np.ndarray = np.zeros((n + 1, quota + 1), dtype=dtype)
    table[0, 1:] = 1  # the empty coalition weighs 0, below every b >= 1
    i = 0
    for w in weights:
        if w < quota:
            # the right-hand side is read before the write (numpy copies overlapping operands)
            table[1 : i + 2, w + 1 :] += table[: i + 1, 1 : quota + 1 - w]
            i += 1
    return table


# per (players, quota): the gather's flat indices by weight, the signs (-1)**j and 1/C(n-1, k)
_LAYOUTS: dict[tuple[int, int], tuple[Callable[[list[int]], np.ndarray], np.ndarray,
                                      np.ndarray]] = {}
#: Gather indices for every weight 0..quota are kept (not rebuilt per game) when a game's
#: shape needs at most this many cells (2 MB: a 329-seat house's games of up to 27 parties);
#: the oldest shapes are dropped first beyond `_KEPT_CELLS` in all (32 MB) or `_KEPT_LAYOUTS`.
_INDEX_CELLS = 1 << 18
_KEPT_CELLS = 1 << 22
_KEPT_LAYOUTS = 256
_KEPT: list[int] = [0]  # cells kept now


def _layout(n: int, quota: int) -> tuple[Callable[[list[int]], np.ndarray], np.ndarray,
                                          np.ndarray]:
    """For `_by_weight`'s table: a function of the distinct weights giving, for each of them,
    each size k < n and each j <= n, the flat index of ``A[k - j, h_j]`` with
    ``h_j = max(quota - j w, 0)`` (row n + 2 holds ``A[-1]``, row n + 1 zeros for j > k + 1);
    the signs (-1)**j; and 1/C(n-1, k).  The indices of every weight up to the quota (a weight
    at or above it has the quota's h) are computed once per (n, quota) when they are few."""
    hit = _LAYOUTS.get((n, quota))
    if hit is None:
        cells = (quota + 1) * n * (n + 1)
        kept = cells if cells <= _INDEX_CELLS else 0
        while _LAYOUTS and (_KEPT[0] + kept > _KEPT_CELLS or len(_LAYOUTS) >= _KEPT_LAYOUTS):
            old_n, old_quota = next(iter(_LAYOUTS))  # the oldest shape
            if _LAYOUTS.pop((old_n, old_quota), None) is not None:  # (not another thread's)
                old_cells = (old_quota + 1) * old_n * (old_n + 1)
                _KEPT[0] -= old_cells if old_cells <= _INDEX_CELLS else 0
        _KEPT[0] += kept
        k = np.arange(n)
        j = np.arange(n + 1)
        r = k[:, None] - j[None, :]
        rows = np.where(r >= 0, r, np.where(r == -1, n + 2, n + 1))
        offsets = (rows * (quota + 1))[None, :, :]

        def index_of(distinct: list[int]) -> np.ndarray:
            # h_j = quota - j w, at least 0 (never above quota: j, w >= 0)
            h = np.maximum(quota - j[None, :] * np.array(distinct)[:, None], 0)
            found: np.ndarray = offsets + h[:, None, :]
            return found

        index = index_of
        if kept:
            every = index_of(list(range(quota + 1)))

            def index_kept(distinct: list[int]) -> np.ndarray:
                found: np.ndarray = every.take(np.minimum(distinct, quota), axis=0)
                return found

            index = index_kept
        hit = _LAYOUTS[(n, quota)] = (
            index, np.where(j % 2 == 0, 1, -1),
            np.array([1 / math.comb(n - 1, size) for size in range(n)]))
    return hit
