"""Grievance (`sim.institutions.street.grievance`) on a fake context with influence set by hand:
exclusion from government plus the influence of rivals, clipped to [0, 1].  The tiny world's
behaviour constants: exclusion 0.4, a rival is below -0.3, rivals' influence weighs 0.5."""

from __future__ import annotations

import math

from sim.institutions.street import grievance
from tests.institutions.fakes import FakeContext, tiny_world

INFLUENCE = {"sol": 0.3, "badr": 0.2, "kdp": 0.1, "sadrists": 0.25}


def fake() -> FakeContext:
    return FakeContext(tiny_world(), influence_values=dict(INFLUENCE))


def test_an_excluded_party_resents_its_rivals_influence() -> None:
    m = fake()
    # the Sadrists are out of government (0.4); of the others only State of Law (-0.6) is a
    # rival below -0.3 (Badr -0.2, KDP 0.3): 0.4 + 0.5 * 0.3
    assert math.isclose(grievance(m, "sadrists"), 0.55)


def test_a_governing_party_without_rivals_has_none() -> None:
    assert grievance(fake(), "kdp") == 0.0  # in government; Badr at -0.1 is no rival


def test_a_new_rivalry_adds_the_rivals_influence() -> None:
    m = fake()
    m.relate("sadrists", "badr", -0.31)
    assert math.isclose(grievance(m, "sadrists"), 0.4 + 0.5 * (0.3 + 0.2))
    m.state.government.append("sadrists")  # taken into government: exclusion no longer counts
    assert math.isclose(grievance(m, "sadrists"), 0.5 * (0.3 + 0.2))


def test_grievance_is_at_most_one() -> None:
    m = fake()
    m.influence_values = {**INFLUENCE, "sol": 3.0}
    assert grievance(m, "sadrists") == 1.0  # 0.4 + 0.5 * 3.0, clipped
