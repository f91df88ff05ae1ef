"""The quotient table explains seats exactly as the allocator gives them (known answers)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.mechanics import elections
from sim.teaching.allocation import MAX_EXPLAINED_SEATS, Method, explain

TEXTBOOK = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


def test_dhondt_seat_order_is_the_textbook_one() -> None:
    # quotients in order: 100k A, 80k B, 50k A, 40k B, 33.3k A, 30k C, 26.7k B, 25k A
    e = explain(Method("dhondt"), TEXTBOOK, 8)
    assert [a.party for a in e.awards] == ["A", "B", "A", "B", "A", "C", "B", "A"]
    assert [a.divisor for a in e.awards] == [1, 1, 2, 2, 3, 1, 3, 4]
    assert e.awards[4].claim == Fraction(100_000, 3)
    assert e.seats == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert (e.next_claim.party, e.next_claim.claim) == ("A", 20_000)
    assert e.won_by()[("C", 0)] == 6 and ("D", 0) not in e.won_by()


def test_sainte_lague_tie_is_broken_by_more_votes_and_said_so() -> None:
    # seat 6: A's 100000/5 = 20000 equals D's 20000/1; A has more votes, so A wins it
    e = explain(Method("sainte-lague"), TEXTBOOK, 8)
    sixth = e.awards[5]
    assert (sixth.party, sixth.claim, sixth.tied_with, sixth.broken_by) == (
        "A", 20_000, ("D",), "more votes")
    assert e.awards[6].party == "D"
    assert any("Seat 6: A and D had the same claim (20,000); A wins it by more votes" in line
               for line in e.notes())


def test_equal_votes_tie_is_broken_by_name_order() -> None:
    e = explain(Method("dhondt"), {"Zed": 10, "Abe": 10}, 1)
    assert e.awards[0].party == "Abe" and e.awards[0].broken_by == "name order"
    assert e.next_claim.party == "Zed" and "lost on the tie-break" in e.notes()[-1]


def test_first_divisor_1_7_keeps_the_small_list_out() -> None:
    pure = explain(Method("sainte-lague"), TEXTBOOK, 8)
    iraq = explain(Method("sainte-lague", Fraction(17, 10)), TEXTBOOK, 8)
    assert pure.seats["D"] == 1 and iraq.seats["D"] == 0
    assert iraq.divisors[:3] == [Fraction(17, 10), 3, 5]
    assert iraq.method.label == "sainte-lague 1.7"


def test_hare_quota_whole_seats_and_remainders() -> None:
    e = explain(Method("hare"), TEXTBOOK, 8)
    assert e.quota == Fraction(230_000, 8)
    # A: 100000 / 28750 = 3.478 -> 3 whole, remainder 13750 votes; D: 0 whole, 20000
    assert e.quotients["A"][1] == 13_750 and e.quotients["D"][1] == 20_000
    remainder_seats = [a.party for a in e.awards if not a.automatic]
    assert remainder_seats == ["B", "D"]
    assert e.seats == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_sntv_lists_candidates_in_the_order_they_placed() -> None:
    votes = {("A", "x"): 3, ("A", "y"): 4, ("B", "z"): 5}
    e = explain(Method("sntv"), votes, 2)
    assert [(a.party, a.candidate) for a in e.awards] == [("B", "z"), ("A", "y")]
    assert e.next_claim.candidate == "x" and e.votes == {"A": 7, "B": 5}


def test_explanations_are_bounded() -> None:
    with pytest.raises(elections.AllocationError, match="at most"):
        explain(Method("dhondt"), {"A": 1}, MAX_EXPLAINED_SEATS + 1)


votes_st = st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(0, 60), min_size=1).filter(
    lambda v: any(v.values()))


@settings(max_examples=150, deadline=None)
@given(votes=votes_st, seats=st.integers(1, 40),
       method=st.sampled_from(["dhondt", "sainte-lague", "hare", "sl-1.7", "sl-4"]))
def test_explained_seats_equal_the_allocator(votes, seats, method) -> None:
    """Round numbers make ties common: the story must still give the allocator's seats."""
    m = {"sl-1.7": Method("sainte-lague", Fraction(17, 10)),
         "sl-4": Method("sainte-lague", Fraction(4))}.get(method, Method(method))
    e = explain(m, votes, seats)
    first = m.first_divisor if m.name == "sainte-lague" else None
    expected = (elections.hare(votes, seats) if m.name == "hare"
                else elections.allocate(votes, seats, m.name, first))
    assert e.seats == expected
    assert len(e.awards) == seats
    assert [a.seat for a in e.awards] == list(range(1, seats + 1))
