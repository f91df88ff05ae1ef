"""Seats vacated by a mass resignation pass to the runners-up (`sim.mechanics.vacancies`)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.mechanics.vacancies import declared, largest_remainder, runners_up

PARTIES = ["sadrists", "sol", "badr", "kdp", "taqaddum", "independents"]
GOVS = ["Baghdad", "Basra", "Erbil"]


@st.composite
def houses(draw: st.DrawFn) -> tuple[dict[str, int], dict[str, dict[str, float]],
                                     dict[str, int], frozenset[str]]:
    """A 329-seat house, vote shares by governorate (some parties absent, some rows empty),
    magnitudes, and a set of boycotting lists."""
    cuts = sorted(draw(st.lists(st.integers(0, 329), min_size=len(PARTIES) - 1,
                                max_size=len(PARTIES) - 1)))
    bounds = [0, *cuts, 329]
    seats = {p: bounds[i + 1] - bounds[i] for i, p in enumerate(PARTIES)}
    shares = {g: draw(st.dictionaries(st.sampled_from(PARTIES),
                                      st.floats(0, 1, allow_nan=False), max_size=6))
              for g in GOVS}
    magnitudes = {g: draw(st.integers(0, 80)) for g in GOVS}
    excluded = frozenset(draw(st.sets(st.sampled_from(PARTIES[1:]), max_size=3)))
    return seats, shares, magnitudes, excluded


@settings(max_examples=300, deadline=None)
@given(houses(), st.sampled_from(PARTIES))
def test_the_house_keeps_329_and_the_resigned_party_none(
        case: tuple[dict[str, int], dict[str, dict[str, float]], dict[str, int],
                    frozenset[str]], party: str) -> None:
    seats, shares, magnitudes, excluded = case
    excluded -= {party}  # the resigning party sits until it resigns
    after = runners_up(seats, party, shares, magnitudes, excluded)
    assert sum(after.values()) == 329
    assert set(after) == set(seats)
    others = [p for p in seats if p != party and p not in excluded and seats[p] > 0]
    # the resigned party keeps nothing, unless no other standing list sits to take its seats
    assert after[party] == (0 if others else seats[party])
    for p in seats:
        if p != party:
            assert after[p] >= seats[p]  # nobody else loses a seat
        if p in excluded:
            assert after[p] == seats[p]  # a boycotting list did not stand: it gains nothing


def test_seats_go_to_the_runners_up_where_the_party_won_them() -> None:
    # all the resigning list's vote is in Basra: its 10 seats go to Basra's other lists 3:1:1,
    # not to the KDP, which stood only in Erbil
    seats = {"sadrists": 10, "sol": 100, "badr": 50, "kdp": 169}
    shares = {"Basra": {"sadrists": 0.4, "sol": 0.3, "badr": 0.1, "governors": 0.1},
              "Erbil": {"kdp": 0.7}}
    after = runners_up(seats, "sadrists", shares, {"Basra": 25, "Erbil": 15})
    # governors hold no seat in this house (not in `seats`), so they cannot take one
    assert after == {"sadrists": 0, "sol": 107, "badr": 53, "kdp": 169}


def test_without_a_vote_on_record_the_seats_go_pro_rata_nationally() -> None:
    seats = {"sadrists": 9, "sol": 200, "badr": 100, "kdp": 20}
    after = runners_up(seats, "sadrists", {}, {}, frozenset({"kdp"}))
    assert after == {"sadrists": 0, "sol": 206, "badr": 103, "kdp": 20}


def test_largest_remainder_hands_out_every_seat_ties_by_name() -> None:
    assert largest_remainder(3, {"b": 1.0, "a": 1.0}) == {"a": 2, "b": 1}
    assert largest_remainder(5, {"a": 0.0}) == {}
    assert sum(largest_remainder(73, {"x": 0.3, "y": 0.2, "z": 0.5}).values()) == 73


def test_seats_are_placed_where_the_election_gave_them() -> None:
    # the party's vote lay mostly in Erbil, but it won its seats in Basra: `won` decides
    seats = {"sadrists": 4, "sol": 100, "kdp": 225}
    votes = {"Basra": {"sadrists": 1000, "sol": 3000}, "Erbil": {"sadrists": 9000, "kdp": 1000}}
    after = runners_up(seats, "sadrists", votes, {"Basra": 25, "Erbil": 15},
                       won={"Basra": 4, "Erbil": 0})
    assert after == {"sadrists": 0, "sol": 104, "kdp": 225}
    # without `won`, raw votes are placed by the party's share of each row, times its seats
    assert runners_up(seats, "sadrists", votes, {"Basra": 25, "Erbil": 15})["kdp"] > 225


def test_declared_runners_up_are_taken_as_recorded() -> None:
    seats = {"sadrists": 73, "sol": 33, "badr": 11, "independents": 43, "kdp": 169}
    record = {"sol": 5, "badr": 11, "independents": 57}
    after = declared(seats, "sadrists", record)
    assert after == {"sadrists": 0, "sol": 38, "badr": 22, "independents": 100, "kdp": 169}
    # seats moved since the record (74 held): shared pro rata; a boycotting list takes none
    moved = declared(seats | {"sadrists": 74, "kdp": 168}, "sadrists", record,
                     frozenset({"badr"}))
    assert sum(moved.values()) == 329 and moved["badr"] == 11 and moved["sadrists"] == 0
    assert moved["sol"] - 33 + moved["independents"] - 43 == 74
