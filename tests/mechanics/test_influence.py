"""Tests for sim.mechanics.influence: normalisation, zeros, monotonicity, sanctions."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.mechanics.influence import COMPONENTS, Holdings, InfluenceWeights, influence_index

# Illustrative holdings (test data, not the scenario's): the seed lists AAH's Finance and Higher
# Education, media posts, at least three brigades, the Babylon governorship and economic levers.
AAH = Holdings(
    ministry_weight=4.5, media_posts=3, governorships=1, brigades=3, levers=3, sanctioned=True
)
SOL = Holdings(ministry_weight=3.0, governorships=1, levers=1)
SADR = Holdings(brigades=3, mobilisation=1.0)


def test_sums_to_one_and_nothing_gets_zero() -> None:
    idx = influence_index(
        {"aah": AAH, "sol": SOL, "sadr": SADR, "nobody": Holdings()},
        {"aah": 0.1, "sol": 0.3},
    )
    assert sum(idx.values()) == pytest.approx(1.0)
    assert idx["nobody"] == 0.0
    assert list(idx) == sorted(idx)
    assert all(v > 0 for k, v in idx.items() if k != "nobody")


def test_actor_only_in_power_mapping_counts() -> None:
    idx = influence_index({"a": Holdings(brigades=1)}, {"b": 1.0})
    assert idx["b"] == pytest.approx(0.25 / (0.25 + 0.10))


def test_units_do_not_matter() -> None:
    a = influence_index({"x": Holdings(brigades=1), "y": Holdings(brigades=3)}, {})
    b = influence_index({"x": Holdings(brigades=100), "y": Holdings(brigades=300)}, {})
    assert a == pytest.approx(b)


def test_everyone_empty_gives_zeros() -> None:
    assert influence_index({"a": Holdings(), "b": Holdings()}, {}) == {"a": 0.0, "b": 0.0}


def test_sanctions_lower_influence() -> None:
    base = {"aah": AAH, "sol": SOL, "sadr": SADR}
    clean = {**base, "aah": dataclasses.replace(AAH, sanctioned=False)}
    assert influence_index(base, {})["aah"] < influence_index(clean, {})["aah"]
    full = InfluenceWeights(sanctions_penalty=1.0)
    assert influence_index(base, {}, full)["aah"] == 0.0


def test_rejects_bad_values() -> None:
    with pytest.raises(ValueError):
        Holdings(brigades=-1)
    with pytest.raises(ValueError):
        InfluenceWeights(seats=-0.1)
    with pytest.raises(ValueError):
        influence_index({}, {"a": -1.0})


amount = st.floats(0.0, 100.0)
holdings = st.builds(
    Holdings,
    **{c: amount for c in COMPONENTS},
    sanctioned=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abcde"), holdings, min_size=1),
    st.dictionaries(st.sampled_from("abcde"), st.floats(0.0, 1.0)),
    st.sampled_from(COMPONENTS),
    st.floats(0.5, 50.0),
)
def test_monotone_in_each_holding(hold, power, component, extra) -> None:
    actor = sorted(hold)[0]
    before = influence_index(hold, power)
    more = dataclasses.replace(hold[actor], **{component: getattr(hold[actor], component) + extra})
    after = influence_index({**hold, actor: more}, power)
    assert after[actor] >= before[actor] - 1e-12
    if sum(before.values()) > 0:
        assert sum(before.values()) == pytest.approx(1.0)
    assert sum(after.values()) == pytest.approx(1.0)
    assert all(0.0 <= v <= 1.0 for v in after.values())
