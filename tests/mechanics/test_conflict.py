"""Tests for sim.mechanics.conflict: protests, clash odds, casualty calibration, effects."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.mechanics.conflict import (
    GREEN_ZONE_2022,
    CasualtyModel,
    calibrate_casualty_model,
    casualty_pmf,
    casualty_sf,
    clash_effects,
    clash_model,
    clash_probability,
    draw_casualties,
    mobilisation_effects,
    parliament_stalled,
    protest_days,
    protest_size,
    waiting_days,
)

unit = st.floats(0.0, 1.0)


# --- protests --------------------------------------------------------------------------------
def test_protest_size_known_values() -> None:
    assert protest_size(1.0, 1.0, 1.0) == 1.0
    assert protest_size(0.0, 1.0, 1.0) == 0.0
    assert protest_size(1.0, 0.0, 0.0) == 0.0
    assert protest_size(1.0, 0.0, 1.0) == pytest.approx(0.5)  # the loyal half on call alone
    assert protest_size(0.8, 1.0, 0.0) == pytest.approx(0.08)  # spontaneous only


@given(unit, unit, unit, unit)
def test_protest_size_bounded_and_monotone(cap: float, g: float, call: float, d: float) -> None:
    size = protest_size(cap, g, call)
    assert 0.0 <= size <= cap
    assert protest_size(cap, min(1.0, g + d), call) >= size - 1e-12
    assert protest_size(cap, g, min(1.0, call + d)) >= size - 1e-12
    assert protest_size(min(1.0, cap + d), g, call) >= size - 1e-12


def test_protest_rejects_out_of_range() -> None:
    with pytest.raises(ValueError):
        protest_size(1.5, 0.5, 0.5)


def test_parliament_stalled_threshold() -> None:
    assert parliament_stalled(0.5, 0.5)
    assert not parliament_stalled(0.49, 0.5)


def test_mobilisation_effects() -> None:
    big = mobilisation_effects(0.9)
    small = mobilisation_effects(0.1)
    assert big.stalled and not small.stalled
    assert big.support_change > small.support_change >= 0
    assert big.relationship_change < small.relationship_change <= 0


# --- clashes ---------------------------------------------------------------------------------
@given(st.floats(0, 50), st.floats(0, 50), unit, unit)
def test_clash_probability_in_unit_interval(a: float, b: float, h: float, r: float) -> None:
    assert 0.0 <= clash_probability(a, b, h, r) <= 1.0


def test_clash_needs_two_armed_sides_and_hostility() -> None:
    assert clash_probability(0, 10, 1.0, 0.0) == 0.0
    assert clash_probability(3, 10, 0.0, 0.0) == 0.0
    assert clash_probability(3, 10, 1.0, 1.0) == 0.0
    assert clash_probability(3, 3, 1.0, 0.0) == pytest.approx(1 - np.exp(-0.5))


@given(st.floats(0.5, 30), st.floats(0.5, 30), st.floats(0, 0.9), st.floats(0, 0.9))
def test_clash_probability_monotone(a: float, b: float, h: float, r: float) -> None:
    p = clash_probability(a, b, h, r)
    assert clash_probability(a, b, h + 0.1, r) > p
    assert clash_probability(a, b, max(h, 0.05), r + 0.1) < clash_probability(a, b, max(h, 0.05), r)
    assert clash_probability(a + 1, b, h, r) >= p


def test_clash_probability_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        clash_probability(-1, 2, 0.5, 0.5)
    with pytest.raises(ValueError):
        clash_probability(1, 2, 1.5, 0.5)


# --- casualties ------------------------------------------------------------------------------
def test_green_zone_calibration_by_simulation() -> None:
    rng = np.random.default_rng(20220829)
    draws = np.array([draw_casualties(GREEN_ZONE_2022, rng) for _ in range(20000)])
    assert (draws >= 0).all()
    assert abs(np.median(draws) - 30) <= 2
    assert draws.mean() == pytest.approx(GREEN_ZONE_2022.mean, rel=0.03)
    assert (draws >= 30).mean() == pytest.approx(0.5, abs=0.02)


def test_green_zone_calibration_exact() -> None:
    assert casualty_sf(GREEN_ZONE_2022, 30) == pytest.approx(0.5, abs=1e-3)
    assert calibrate_casualty_model(30, 0.5, 4.0) == GREEN_ZONE_2022
    assert sum(casualty_pmf(GREEN_ZONE_2022, k) for k in range(2000)) == pytest.approx(1.0)


def test_draws_are_seeded_and_scaled_model_is_smaller() -> None:
    a = [draw_casualties(GREEN_ZONE_2022, np.random.default_rng(3)) for _ in range(3)]
    b = [draw_casualties(GREEN_ZONE_2022, np.random.default_rng(3)) for _ in range(3)]
    assert a == b
    skirmish = GREEN_ZONE_2022.scaled(0.1)
    assert skirmish.mean == pytest.approx(3.231) and skirmish.dispersion == 4.0
    assert draw_casualties(CasualtyModel(0.0, 1.0), np.random.default_rng(0)) == 0
    with pytest.raises(ValueError):
        CasualtyModel(-1.0, 1.0)


@given(st.floats(0, 200), st.floats(0.1, 20), st.integers(0, 2**32 - 1))
def test_casualties_never_negative(mean: float, k: float, seed: int) -> None:
    assert draw_casualties(CasualtyModel(mean, k), np.random.default_rng(seed)) >= 0


# --- the declared clash model: skirmishes common, battles rare -------------------------------
def test_clash_model_makes_most_clashes_skirmishes_and_battles_rare() -> None:
    model = clash_model(30, 0.04, 0.3)
    assert casualty_sf(model, 30) == pytest.approx(0.04, abs=1e-3)
    assert casualty_pmf(model, 0) > 0.35                      # many clashes kill no one
    assert 1 - casualty_sf(model, 6) > 0.65                   # most kill five or fewer
    rng = np.random.default_rng(20220829)
    draws = np.array([draw_casualties(model, rng) for _ in range(20000)])
    assert np.median(draws) <= 2
    assert (draws >= 30).mean() == pytest.approx(0.04, abs=0.01)
    # the old single model made every clash a battle: half of them 30 dead or more
    assert casualty_sf(GREEN_ZONE_2022, 30) > 10 * casualty_sf(model, 30)


# --- effects ---------------------------------------------------------------------------------
SHARES = {"sadrists": 0.2, "aah": 0.04}


def test_clash_effects_cost_both_sides_relative_to_their_vote_and_harden() -> None:
    eff = clash_effects(30, ("sadrists", "aah"), SHARES)
    # 30 dead at 0.5% a death: each side loses 15% of its own vote
    assert eff.support_change == {"sadrists": pytest.approx(-0.03), "aah": pytest.approx(-0.006)}
    assert eff.relationship_change == pytest.approx(-0.6)
    blamed = clash_effects(30, ("sadrists", "aah"), {"sadrists": 0.1, "aah": 0.1},
                           blame={"sadrists": 3, "aah": 1})
    assert blamed.support_change["sadrists"] < blamed.support_change["aah"] < 0
    none = clash_effects(0, ("sadrists", "aah"), SHARES)
    assert none.support_change == {"sadrists": 0.0, "aah": 0.0}
    assert none.relationship_change == 0.0


@given(st.integers(0, 500), st.integers(0, 500), st.floats(0.0, 0.7))
def test_clash_effects_monotone_and_never_take_more_than_the_cap(c1: int, c2: int,
                                                                 share: float) -> None:
    lo, hi = sorted((c1, c2))
    shares = {"a": share, "b": 0.01}
    e_lo, e_hi = clash_effects(lo, ("a", "b"), shares), clash_effects(hi, ("a", "b"), shares)
    assert e_hi.relationship_change <= e_lo.relationship_change <= 0
    assert e_hi.support_change["a"] <= e_lo.support_change["a"] <= 0
    assert e_hi.support_change["a"] >= -0.25 * share - 1e-12      # never more than a quarter
    assert e_hi.support_change["b"] >= -0.25 * 0.01 - 1e-12       # a small party loses little
    assert e_hi.relationship_change >= -1.0


def test_clash_effects_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        clash_effects(-1, ("a", "b"), {})
    with pytest.raises(ValueError):
        clash_effects(1, ("a", "a"), {})
    with pytest.raises(ValueError):
        clash_effects(1, ("a", "b"), {"a": -0.1})


# --- protest lengths and waiting times ----------------------------------------------------------
def test_protest_days_are_log_uniform_between_the_record_ends() -> None:
    rng = np.random.default_rng(7)
    draws = np.array([protest_days(rng, 0.25, 31.0) for _ in range(4000)])
    assert draws.min() >= 0.25 and draws.max() <= 31.0
    # log-uniform: the median is the geometric mean of the ends (2.78 days), and each decade
    # of days holds the same share: below 2.5 days about log(10)/log(124) = 47.8%
    assert abs(np.median(draws) - (0.25 * 31.0) ** 0.5) < 0.3
    assert abs((draws < 2.5).mean() - np.log(10) / np.log(124)) < 0.03
    assert protest_days(rng, 5.0, 5.0) == 5.0


def test_protest_days_need_positive_ordered_ends() -> None:
    rng = np.random.default_rng(0)
    for bad in [(0.0, 1.0), (2.0, 1.0), (-1.0, 3.0)]:
        with pytest.raises(ValueError):
            protest_days(rng, *bad)


def test_waiting_days_are_exponential_with_the_hazards_mean() -> None:
    rng = np.random.default_rng(3)
    waits = np.array([waiting_days(rng, 1 / 30) for _ in range(4000)])
    assert abs(waits.mean() - 30.0) < 1.5  # mean 1/hazard; sd of the mean 30/sqrt(4000)
    # one move a month: within a 31-day sit-in with probability 1 - exp(-31/30) = 64%
    assert abs((waits < 31).mean() - (1 - np.exp(-31 / 30))) < 0.03
    assert waiting_days(rng, 0.0) == float("inf")
    with pytest.raises(ValueError):
        waiting_days(rng, -0.1)
