"""Tests for sim.mechanics.sanctions: state-level risk and sanction effects."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.mechanics.sanctions import (
    SanctionEffects,
    combined_state_sanction_risk,
    sanction_effects,
    state_sanction_risk,
)

unit = st.floats(0.0, 1.0)


def test_no_sanctioned_holder_means_base_risk() -> None:
    assert state_sanction_risk(False, 1.0, 1.0) == 0.0
    assert state_sanction_risk(False, 1.0, 1.0, base=0.05) == 0.05
    assert state_sanction_risk(True, 0.0, 1.0, base=0.05) == pytest.approx(0.05)
    assert state_sanction_risk(True, 1.0, 0.0) == 0.0


def test_intelligence_service_in_sanctioned_hands() -> None:
    # December 2022: a sanctioned party (AAH) asking for the intelligence service (weight 1).
    risk = state_sanction_risk(True, 1.0, 1.0)
    assert risk == pytest.approx(1 - math.exp(-1.5))
    assert risk > state_sanction_risk(True, 0.3, 1.0) > 0


@given(st.booleans(), unit, unit, unit)
def test_risk_in_unit_interval_and_at_least_base(s: bool, w: float, h: float, b: float) -> None:
    risk = state_sanction_risk(s, w, h, b)
    assert 0.0 <= risk <= 1.0
    assert risk >= b - 1e-12


@given(unit, unit, unit, st.floats(0.0, 0.5))
def test_risk_monotone(w: float, h: float, b: float, d: float) -> None:
    risk = state_sanction_risk(True, w, h, b)
    assert state_sanction_risk(True, min(1.0, w + d), h, b) >= risk - 1e-12
    assert state_sanction_risk(True, w, min(1.0, h + d), b) >= risk - 1e-12
    assert state_sanction_risk(True, w, h, min(1.0, b + d)) >= risk - 1e-12


def test_combined_risk() -> None:
    assert combined_state_sanction_risk([], 1.0, 0.1) == pytest.approx(0.1)
    one = combined_state_sanction_risk([(True, 0.6), (False, 1.0)], 0.8)
    assert one == pytest.approx(state_sanction_risk(True, 0.6, 0.8))
    two = combined_state_sanction_risk([(True, 0.6), (True, 0.5)], 0.8)
    assert one < two < 1.0


def test_rejects_out_of_range() -> None:
    with pytest.raises(ValueError):
        state_sanction_risk(True, 1.2, 0.5)
    with pytest.raises(ValueError):
        state_sanction_risk(True, 0.5, 0.5, base=-0.1)


def test_sanction_effects() -> None:
    assert sanction_effects(False, 0.0) == SanctionEffects(1.0, 0.0)
    actor = sanction_effects(False, 1.0)
    assert actor == SanctionEffects(0.75, 0.0)
    state = sanction_effects(True, 1.0, exposure=0.5)
    assert state.influence_factor == pytest.approx(0.9)
    assert state.economy_change == pytest.approx(-0.15)


@given(st.booleans(), unit, unit)
def test_sanction_effects_bounded(on_state: bool, s: float, e: float) -> None:
    eff = sanction_effects(on_state, s, e)
    assert 0.0 <= eff.influence_factor <= 1.0
    assert -1.0 <= eff.economy_change <= 0.0
