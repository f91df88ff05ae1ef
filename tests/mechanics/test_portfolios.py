"""Tests for sim.mechanics.portfolios: Gamson-proportional, convention-respecting allocation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.mechanics.portfolios import (
    Ministry,
    allocate_portfolios,
    gamson_deviation,
    portfolio_weights,
)

# An illustrative cabinet: names are real ministries, weights are a test assumption.
CABINET = [
    Ministry("Interior", 3.0, sovereign=True, sect="shia"),
    Ministry("Defence", 3.0, sovereign=True, sect="sunni"),
    Ministry("Foreign Affairs", 3.0, sovereign=True, sect="kurd"),
    Ministry("Finance", 3.0, sovereign=True, sect="shia"),
    Ministry("Oil", 3.0, sovereign=True, sect="shia"),
    Ministry("Electricity", 2.0),
    Ministry("Higher Education", 1.5),
    Ministry("Health", 1.5),
    Ministry("Planning", 1.5),
    Ministry("Trade", 1.0),
    Ministry("Youth and Sports", 0.5),
]
SECTS = {"framework": "shia", "aah": "shia", "kdp": "kurd", "sovereignty": "sunni"}


def test_perfect_proportionality_is_exact() -> None:
    ministries = [Ministry("big", 2.0), Ministry("small", 1.0)]
    alloc = allocate_portfolios({"a": 20, "b": 10}, {}, ministries)
    assert alloc == {"big": "a", "small": "b"}
    assert gamson_deviation(alloc, {"a": 20, "b": 10}, ministries) == 0.0

    four = [Ministry(f"m{i}", 1.0) for i in range(4)]
    alloc = allocate_portfolios({"a": 30, "b": 10}, {}, four)
    assert portfolio_weights(alloc, four) == {"a": 3.0, "b": 1.0}
    assert gamson_deviation(alloc, {"a": 30, "b": 10}, four) == 0.0


def test_dhondt_favours_the_large_party() -> None:
    three = [Ministry(f"m{i}", 1.0) for i in range(3)]
    seats = {"a": 55, "b": 45}
    assert sorted(allocate_portfolios(seats, {}, three, method="dhondt").values()) == [
        "a",
        "a",
        "b",
    ]
    with pytest.raises(ValueError):
        allocate_portfolios(seats, {}, three, method="hare")  # type: ignore[arg-type]


def test_sect_convention_respected_when_possible() -> None:
    seats = {"framework": 120, "aah": 20, "kdp": 31, "sovereignty": 40}
    alloc = allocate_portfolios(seats, SECTS, CABINET)
    assert alloc["Defence"] == "sovereignty"
    assert alloc["Foreign Affairs"] == "kdp"
    assert {alloc[m] for m in ("Interior", "Finance", "Oil")} <= {"framework", "aah"}
    assert set(alloc) == {m.name for m in CABINET}


def test_convention_lapses_without_a_party_of_that_sect() -> None:
    seats = {"framework": 120, "sovereignty": 50}
    alloc = allocate_portfolios(seats, SECTS, CABINET)
    assert alloc["Foreign Affairs"] in seats  # no Kurdish partner: best party takes it


def test_fixed_posts_are_kept_and_counted() -> None:
    seats = {"framework": 120, "aah": 20, "kdp": 31, "sovereignty": 40}
    fixed = {"Finance": "aah", "Higher Education": "aah"}  # as in the seed's description
    alloc = allocate_portfolios(seats, SECTS, CABINET, fixed)
    assert alloc["Finance"] == "aah" and alloc["Higher Education"] == "aah"
    with pytest.raises(ValueError):
        allocate_portfolios(seats, SECTS, CABINET, {"Finance": "sadrists"})
    with pytest.raises(ValueError):
        allocate_portfolios(seats, SECTS, CABINET, {"Culture": "aah"})


def test_tie_break_is_documented_order() -> None:
    one = [Ministry("only", 1.0)]
    assert allocate_portfolios({"b": 10, "a": 10}, {}, one) == {"only": "a"}
    assert allocate_portfolios({"b": 11, "a": 10}, {}, one) == {"only": "b"}
    assert allocate_portfolios({"ab": 10, "a": 10}, {}, one) == {"only": "a"}


def test_gamson_deviation_values_and_errors() -> None:
    two = [Ministry("x", 1.0), Ministry("y", 1.0)]
    assert gamson_deviation({"x": "a", "y": "a"}, {"a": 1, "b": 1}, two) == 0.5
    assert gamson_deviation({"x": "a", "y": None}, {"a": 1, "b": 1}, two) == 0.5
    with pytest.raises(ValueError):
        gamson_deviation({"x": "z", "y": "a"}, {"a": 1}, two)


parties = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e", "f"]), st.integers(0, 120), min_size=1
).filter(lambda d: sum(d.values()) > 0)
cabinets = st.lists(
    st.tuples(
        st.floats(0.25, 4.0, allow_nan=False),
        st.sampled_from([None, "shia", "sunni", "kurd"]),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(parties, cabinets, st.sampled_from(["sainte-lague", "dhondt"]))
def test_every_ministry_one_holder_from_coalition(seats, cabinet, method) -> None:
    ministries = [Ministry(f"m{i}", w, sect=s) for i, (w, s) in enumerate(cabinet)]
    sects = dict(zip("abcdef", ["shia", "shia", "sunni", "kurd", "shia", "x"], strict=True))
    alloc = allocate_portfolios(seats, sects, ministries, method=method)
    assert list(alloc) == [m.name for m in ministries]
    assert all(seats[p] > 0 for p in alloc.values())
    assert 0.0 <= gamson_deviation(alloc, seats, ministries) <= 1.0


@settings(max_examples=300, deadline=None)
@given(parties, st.integers(1, 30), st.floats(0.25, 4.0, allow_nan=False),
       st.sampled_from(["sainte-lague", "dhondt"]))
def test_equal_ministries_are_apportioned_like_seats(seats, count, weight, method) -> None:
    """Gamson's law with equal portfolios is a seat apportionment: the counts must equal the
    divisor method's.  (With unequal weights no 'within one portfolio of proportional' bound
    holds: Sainte-Lague, like Webster, can exceed quota, e.g. two equal ministries both go to
    a party with 44% of the seats.)"""
    from sim.mechanics.elections import dhondt, sainte_lague

    ministries = [Ministry(f"m{i}", weight) for i in range(count)]
    alloc = allocate_portfolios(seats, {}, ministries, method=method)
    counts = {p: sum(1 for h in alloc.values() if h == p) for p in seats}
    expected = (sainte_lague if method == "sainte-lague" else dhondt)(seats, count)
    assert counts == {p: expected[p] for p in seats}


