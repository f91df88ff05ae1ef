"""Power indices: textbook answers, a brute-force reference on random games, and properties."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.mechanics.power import (
    PowerError,
    PowerIndices,
    banzhaf,
    banzhaf_swings,
    power_indices,
    shapley_shubik,
)

# --- an independent, deliberately naive reference ------------------------------------------


def brute_shapley_shubik(weights: dict[str, int], quota: int) -> dict[str, Fraction]:
    """Walk every voting order and credit the player who first brings the tally to the quota."""
    names = list(weights)
    pivots = dict.fromkeys(names, 0)
    for order in itertools.permutations(names):
        tally = 0
        for name in order:
            tally += weights[name]
            if tally >= quota:
                pivots[name] += 1
                break
    total = math.factorial(len(names))
    return {name: Fraction(count, total) for name, count in pivots.items()}


def brute_swings(weights: dict[str, int], quota: int) -> dict[str, int]:
    """Walk every coalition and count, per member, the winning ones it is critical to."""
    names = list(weights)
    swings = dict.fromkeys(names, 0)
    for size in range(len(names) + 1):
        for coalition in itertools.combinations(names, size):
            total = sum(weights[n] for n in coalition)
            if total < quota:
                continue
            for name in coalition:
                if total - weights[name] < quota:
                    swings[name] += 1
    return swings


@st.composite
def games(draw, max_players: int = 7, max_weight: int = 20) -> tuple[dict[str, int], int]:
    weights = draw(st.lists(st.integers(0, max_weight), min_size=1, max_size=max_players))
    if sum(weights) == 0:
        weights[0] = 1
    quota = draw(st.integers(1, sum(weights)))
    return {f"p{i}": w for i, w in enumerate(weights)}, quota


# --- known answers ------------------------------------------------------------------------


def test_three_party_parliament_where_any_two_win():
    # [51; 49, 48, 3]: the 3-seat party is exactly as powerful as the 49-seat one.
    weights = {"a": 49, "b": 48, "c": 3}
    assert shapley_shubik(weights, 51) == pytest.approx({k: 1 / 3 for k in weights})
    assert banzhaf(weights, 51) == pytest.approx({k: 1 / 3 for k in weights})


def test_four_player_game_by_hand():
    # [6; 4, 3, 2, 1]: winning coalitions AB, AC, ABC, ABD, ACD, BCD, ABCD give swings 5, 3, 3, 1.
    weights = {"A": 4, "B": 3, "C": 2, "D": 1}
    assert banzhaf_swings(weights, 6) == {"A": 5, "B": 3, "C": 3, "D": 1}
    expected = {"A": 5 / 12, "B": 3 / 12, "C": 3 / 12, "D": 1 / 12}
    assert banzhaf(weights, 6) == pytest.approx(expected)
    assert shapley_shubik(weights, 6) == pytest.approx(expected)


def test_un_security_council():
    # Quota 39; five permanent members weigh 7 (the veto), ten elected members weigh 1.
    # Published values: Shapley-Shubik 421/2145 = 0.19627 per permanent member; Banzhaf swings
    # 848 per permanent and 84 per elected member, so normalised 848/5080 = 0.1669.
    weights = {f"perm{i}": 7 for i in range(5)} | {f"elected{i}": 1 for i in range(10)}
    result = power_indices(weights, 39)
    assert result.shapley_shubik["perm0"] == pytest.approx(421 / 2145, abs=1e-12)
    assert result.shapley_shubik["elected0"] == pytest.approx(4 / 2145, abs=1e-12)
    assert banzhaf_swings(weights, 39)["perm3"] == 848
    assert banzhaf_swings(weights, 39)["elected7"] == 84
    assert result.banzhaf["perm0"] == pytest.approx(848 / 5080, abs=1e-12)
    assert result.banzhaf["perm0"] == pytest.approx(0.1669, abs=1e-4)


def test_eec_council_of_ministers_1958():
    # Weights 4, 4, 4, 2, 2, 1 and quota 12: Luxembourg can never change an outcome.
    # Shapley-Shubik 14/60 and 9/60; Banzhaf 5/21 and 3/21 (swings 10 and 6).
    weights = {"FR": 4, "DE": 4, "IT": 4, "BE": 2, "NL": 2, "LU": 1}
    result = power_indices(weights, 12)
    assert result.shapley_shubik == pytest.approx(
        {"FR": 14 / 60, "DE": 14 / 60, "IT": 14 / 60, "BE": 9 / 60, "NL": 9 / 60, "LU": 0.0}
    )
    assert result.banzhaf == pytest.approx(
        {"FR": 5 / 21, "DE": 5 / 21, "IT": 5 / 21, "BE": 3 / 21, "NL": 3 / 21, "LU": 0.0}
    )
    assert banzhaf_swings(weights, 12) == {"FR": 10, "DE": 10, "IT": 10, "BE": 6, "NL": 6, "LU": 0}


def test_dictator_takes_everything():
    weights = {"big": 170, "mid": 100, "small": 59}
    assert shapley_shubik(weights, 165) == {"big": 1.0, "mid": 0.0, "small": 0.0}
    assert banzhaf(weights, 165) == {"big": 1.0, "mid": 0.0, "small": 0.0}


def test_zero_weight_player_gets_nothing_and_changes_nothing_else():
    with_zero = {"a": 3, "b": 2, "c": 2, "ghost": 0}
    without = {"a": 3, "b": 2, "c": 2}
    assert shapley_shubik(with_zero, 5)["ghost"] == 0.0
    assert banzhaf(with_zero, 5)["ghost"] == 0.0
    assert {k: v for k, v in banzhaf(with_zero, 5).items() if k != "ghost"} == banzhaf(without, 5)
    # Raw swings count coalitions of every player, so a null player doubles everyone else's.
    assert banzhaf_swings(with_zero, 5) == {"a": 6, "b": 2, "c": 2, "ghost": 0}
    assert banzhaf_swings(without, 5) == {"a": 3, "b": 1, "c": 1}


def test_unanimity_rule_gives_equal_power():
    weights = {"a": 5, "b": 1, "c": 1}
    assert shapley_shubik(weights, 7) == pytest.approx({k: 1 / 3 for k in weights})
    assert banzhaf(weights, 7) == pytest.approx({k: 1 / 3 for k in weights})


def test_keeps_caller_order_and_accepts_numpy_integers():
    weights = {"z": np.int64(2), "a": np.int32(1)}
    assert list(shapley_shubik(weights, 2)) == ["z", "a"]


def test_returns_fresh_dicts_despite_cache():
    weights = {"a": 2, "b": 1}
    first = power_indices(weights, 2)
    first.shapley_shubik["a"] = 99.0
    assert power_indices(weights, 2).shapley_shubik["a"] == 1.0
    assert isinstance(first, PowerIndices)


# --- the real parliament's size -----------------------------------------------------------


def _parliament(parties: int) -> dict[str, int]:
    rng = np.random.default_rng(parties)
    sizes = rng.multinomial(329 - parties, np.ones(parties) / parties) + 1
    return {f"p{i}": int(s) for i, s in enumerate(sizes)}


@pytest.mark.parametrize("parties", [20, 60, 70])
@pytest.mark.parametrize("quota", [165, 220])
def test_full_parliament_is_exact_and_sane(parties, quota):
    # 70 parties exceeds the int64 bound and exercises the Python-integer path.
    weights = _parliament(parties)
    assert sum(weights.values()) == 329
    result = power_indices(weights, quota)
    assert math.fsum(result.shapley_shubik.values()) == pytest.approx(1.0, abs=1e-9)
    assert math.fsum(result.banzhaf.values()) == pytest.approx(1.0, abs=1e-9)
    swings = banzhaf_swings(weights, quota)
    assert all(isinstance(v, int) and v >= 0 for v in swings.values())
    by_weight = sorted(weights, key=weights.__getitem__)
    ss = [result.shapley_shubik[n] for n in by_weight]
    assert all(x <= y + 1e-12 for x, y in itertools.pairwise(ss))


def test_int64_and_python_int_paths_agree():
    # 63 players forces Python integers; compare against the same game cut to 62 plus a dummy.
    weights = {f"p{i}": 1 for i in range(63)}
    ss = shapley_shubik(weights, 32)
    assert ss["p0"] == pytest.approx(1 / 63)
    assert banzhaf_swings(weights, 32)["p0"] == math.comb(62, 31)


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "quota"),
    [
        ({"a": 1, "b": 2}, 0),
        ({"a": 1, "b": 2}, 4),
        ({"a": -1, "b": 2}, 1),
        ({"a": 1.5, "b": 2}, 1),
        ({"a": True, "b": 2}, 1),
        ({"a": 1, "b": 2}, 1.0),
        ({}, 1),
        ({"a": 0}, 1),
    ],
)
def test_rejects_malformed_games(weights, quota):
    with pytest.raises(PowerError):
        power_indices(weights, quota)
    with pytest.raises(ValueError):  # PowerError is a ValueError for callers that don't know it
        banzhaf_swings(weights, quota)


# --- against the brute-force reference, and properties --------------------------------------


@settings(max_examples=150, deadline=None)
@given(games())
def test_matches_brute_force(game):
    weights, quota = game
    expected_ss = brute_shapley_shubik(weights, quota)
    expected_swings = brute_swings(weights, quota)
    assert banzhaf_swings(weights, quota) == expected_swings
    total = sum(expected_swings.values())
    result = power_indices(weights, quota)
    for name in weights:
        assert result.shapley_shubik[name] == pytest.approx(float(expected_ss[name]), abs=1e-12)
        assert result.banzhaf[name] == pytest.approx(expected_swings[name] / total, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(games(max_players=12, max_weight=60))
def test_indices_sum_to_one_and_respect_symmetry_and_dummies(game):
    weights, quota = game
    result = power_indices(weights, quota)
    swings = banzhaf_swings(weights, quota)
    for index in (result.shapley_shubik, result.banzhaf):
        assert math.fsum(index.values()) == pytest.approx(1.0, abs=1e-9)
        assert all(0.0 <= v <= 1.0 + 1e-12 for v in index.values())
    for a, b in itertools.combinations(weights, 2):
        if weights[a] == weights[b]:
            assert result.shapley_shubik[a] == result.shapley_shubik[b]
            assert result.banzhaf[a] == result.banzhaf[b]
        if weights[a] > weights[b]:  # more weight never means less power
            assert result.shapley_shubik[a] >= result.shapley_shubik[b] - 1e-12
            assert result.banzhaf[a] >= result.banzhaf[b] - 1e-12
    for name, count in swings.items():
        if count == 0:  # a dummy is never critical, so it is never pivotal either
            assert result.shapley_shubik[name] == 0.0
            assert result.banzhaf[name] == 0.0


@settings(max_examples=100, deadline=None)
@given(games(max_players=10, max_weight=40), st.data())
def test_gaining_weight_never_costs_shapley_shubik_power(game, data):
    weights, quota = game
    name = data.draw(st.sampled_from(sorted(weights)))
    heavier = weights | {name: weights[name] + data.draw(st.integers(1, 10))}
    before = shapley_shubik(weights, quota)[name]
    assert shapley_shubik(heavier, quota)[name] >= before - 1e-12


@settings(max_examples=50, deadline=None)
@given(games(max_players=8))
def test_a_player_who_meets_the_quota_alone_while_others_cannot_is_a_dictator(game):
    weights, _ = game
    total = sum(weights.values())
    biggest = max(weights, key=weights.__getitem__)
    rest = total - weights[biggest]
    if weights[biggest] <= rest:
        return
    quota = rest + 1  # the others together fall short; the biggest alone reaches it
    result = power_indices(weights, quota)
    assert result.shapley_shubik[biggest] == 1.0
    assert result.banzhaf[biggest] == 1.0
