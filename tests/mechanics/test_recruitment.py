"""The arithmetic of grouping deputies joining blocs (`sim.mechanics.recruitment`), against
answers worked by hand, and the conservation of seats as a property."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.mechanics import recruitment as rc

WEIGHTS = rc.Weights(size=1.0, prospect=0.5, portfolios=5.0, affinity=1.0, sect=1.0)


def test_attraction_is_the_weighted_sum_of_the_offer() -> None:
    offer = rc.Offer(size=0.2, prospect=1.0, portfolios=0.4, affinity=0.5, sect=0.5)
    # 0.2 + 0.5 + 5 * 0.4 + 0.5 + 0.5
    assert rc.attraction(offer, WEIGHTS) == pytest.approx(3.7)
    nothing = rc.Offer(size=0.0, prospect=0.0, portfolios=0.0, affinity=0.0, sect=0.0)
    assert rc.attraction(nothing, WEIGHTS) == 0.0


def test_a_pull_larger_by_ln_3_makes_a_bloc_three_times_likelier() -> None:
    probs = rc.choice_probabilities({"cf": 1.0 + math.log(3), "sadrist_bloc": 1.0})
    assert probs == pytest.approx({"cf": 0.75, "sadrist_bloc": 0.25})
    assert rc.choice_probabilities({"a": 2.0, "b": 2.0, "c": 2.0}) == pytest.approx(
        {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    assert rc.choice_probabilities({}) == {}
    # large pulls do not overflow
    assert rc.choice_probabilities({"a": 1000.0, "b": 0.0})["a"] == pytest.approx(1.0)


def test_sect_match() -> None:
    assert rc.sect_match("shia", "shia") == 1.0
    assert rc.sect_match("mixed", "sunni") == 0.5
    assert rc.sect_match("minority", "shia") == 0.0
    assert rc.sect_match(None, "shia") == 0.0


def test_half_the_open_deputies_commit_within_the_half_life() -> None:
    assert rc.round_probability(10, 10) == pytest.approx(0.5)
    assert rc.round_probability(20, 10) == pytest.approx(0.75)
    assert rc.round_probability(7, 10) == pytest.approx(1 - 0.5 ** 0.7)
    assert rc.round_probability(7, 0) == 1.0
    assert rc.committed_by(30, 10) == pytest.approx(0.875)
    assert rc.committed_by(0, 10) == 0.0
    # rounds compound to the same curve: three weekly rounds = 21 days
    left = (1 - rc.round_probability(7, 10)) ** 3
    assert 1 - left == pytest.approx(rc.committed_by(21, 10))


def test_joining_deputies_sit_with_the_members_pro_rata() -> None:
    assert rc.recipients(5, {"sol": 30, "badr": 20, "aah": 0}) == {"badr": 2, "sol": 3}
    assert rc.recipients(1, {"b": 10, "a": 10}) == {"a": 1}  # a tie goes to the first name
    assert rc.recipients(3, {"sol": 0}) == {}
    assert rc.recipients(0, {"sol": 10}) == {}


def test_move_takes_from_the_grouping_what_the_parties_win() -> None:
    seats = {"independents": 10, "sol": 30, "badr": 20}
    after = rc.move(seats, "independents", {"sol": 3, "badr": 2})
    assert after == {"independents": 5, "sol": 33, "badr": 22}
    assert seats == {"independents": 10, "sol": 30, "badr": 20}  # the input is untouched
    with pytest.raises(ValueError, match="holds 10 seats"):
        rc.move(seats, "independents", {"sol": 11})
    with pytest.raises(ValueError, match="negative"):
        rc.move(seats, "independents", {"sol": -1})
    with pytest.raises(ValueError, match="itself"):
        rc.move(seats, "independents", {"independents": 1})


@settings(max_examples=200, deadline=None)
@given(seats=st.dictionaries(st.sampled_from(["sol", "badr", "aah", "kdp", "taqaddum"]),
                             st.integers(0, 80), min_size=1),
       grouping=st.integers(0, 60), data=st.data())
def test_a_move_conserves_the_house(seats: dict[str, int], grouping: int,
                                    data: st.DataObject) -> None:
    house = {**seats, "independents": grouping}
    count = data.draw(st.integers(0, grouping))
    gains = rc.recipients(count, seats)
    after = rc.move(house, "independents", gains)
    assert sum(after.values()) == sum(house.values())
    assert all(n >= 0 for n in after.values())
    if any(n > 0 for n in seats.values()):
        assert after["independents"] == grouping - count
        assert sum(gains.values()) == count
    assert all(after[p] >= house[p] for p in seats)  # parties only gain
