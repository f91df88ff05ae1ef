"""Power explained: swing counts, the pivotal range and the smallest examples (known answers)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.teaching.power import TooLarge, check_size, explain, smallest_swings


def test_two_one_one_at_quota_three() -> None:
    # A needs one of B, C; B and C need A: SS 2/3, 1/6, 1/6; Banzhaf swings 3, 1, 1
    stories = {s.name: s for s in explain({"A": 2, "B": 1, "C": 1}, 3)}
    assert stories["A"].shapley_shubik == pytest.approx(2 / 3)
    assert stories["B"].banzhaf == pytest.approx(1 / 5)
    assert (stories["A"].swings, stories["B"].swings) == (3, 1)
    assert stories["B"].examples == [("A",)]
    assert (stories["B"].low, stories["B"].high) == (2, 2)
    assert "1 need it" in stories["B"].sentence(3)


def test_a_dummy_is_said_to_be_never_decisive() -> None:
    stories = {s.name: s for s in explain({"big": 3, "small": 1}, 3)}
    assert stories["small"].swings == 0 and stories["small"].examples == []
    assert "never decisive" in stories["small"].sentence(3)


def test_large_games_are_refused_before_any_table_is_built() -> None:
    with pytest.raises(TooLarge, match="table cells"):
        check_size({"A": 10**8, "B": 10**8}, 10**8)
    with pytest.raises(TooLarge):
        check_size({f"p{i}": i % 7 + 1 for i in range(300)}, 600)
    check_size({"A": 57, "B": 46, "C": 42}, 73)  # a parliament is small


@settings(max_examples=100, deadline=None)
@given(weights=st.lists(st.integers(0, 12), min_size=1, max_size=7), data=st.data())
def test_smallest_swings_match_brute_force(weights, data) -> None:
    names = [f"p{i}" for i in range(len(weights))]
    others = dict(zip(names, weights, strict=True))
    low = data.draw(st.integers(0, sum(weights) + 1))
    high = data.draw(st.integers(low, sum(weights) + 2))
    found = smallest_swings(others, low, high, count=2)
    fits = [c for r in range(len(names) + 1) for c in itertools.combinations(names, r)
            if low <= sum(others[p] for p in c) <= high]
    if not fits:
        assert found == []
        return
    smallest = min(len(c) for c in fits)
    assert found and len(found[0]) == smallest
    for c in found:
        assert low <= sum(others[p] for p in c) <= high
