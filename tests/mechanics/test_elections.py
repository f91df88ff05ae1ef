"""Seat allocation: known answers, an independent brute-force reference, and the theory's
monotonicity properties; then national elections under Iraq's laws."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.mechanics.elections import (
    LAW_2013,
    LAW_2020_SNTV,
    LAW_2023,
    LAWS,
    AllocationError,
    ElectionLaw,
    NationalResult,
    SntvResult,
    VoteManagement,
    allocate,
    dhondt,
    district_magnitudes,
    hare,
    national_election,
    sainte_lague,
    sntv,
)

# The standard four-party example used to teach highest-averages methods.
TEXTBOOK = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}

# Governorate seats, quota seats included [IPU-PARLINE]; Wasit taken as 12 so they sum to 329
# (FACTS.md: the listed figures sum to 328, the Faili Kurd seat is probably missing from Wasit).
MAGNITUDES = {
    "Baghdad": 71, "Nineveh": 35, "Basra": 25, "Dhi Qar": 19, "Sulaymaniyah": 18, "Babil": 17,
    "Anbar": 15, "Erbil": 15, "Diyala": 14, "Kirkuk": 14, "Najaf": 12, "Salahaddin": 12,
    "Dohuk": 11, "Karbala": 11, "Qadisiyah": 11, "Wasit": 12, "Maysan": 10, "Muthanna": 7,
}  # fmt: skip
# The nine minority seats [IPU-PARLINE], [SHAFAQ-2023-03-20].
QUOTA = {
    "Baghdad": {"christian": 1, "sabean_mandaean": 1},
    "Nineveh": {"christian": 1, "yazidi": 1, "shabak": 1},
    "Kirkuk": {"christian": 1},
    "Dohuk": {"christian": 1},
    "Erbil": {"christian": 1},
    "Wasit": {"faili_kurd": 1},
}


# --------------------------------------------------------------------------------------------
# Independent reference implementations (deliberately naive)
# --------------------------------------------------------------------------------------------


def reference_divisor(votes: dict[str, int], seats: int, divisors: list[Fraction]) -> dict:
    """Write out the whole quotient table, sort it with the tie-break, keep the top `seats`."""
    table = [
        (Fraction(v) / divisors[k], v, name) for name, v in votes.items() for k in range(seats)
    ]
    table.sort(key=lambda row: (-row[0], -row[1], row[2]))
    won = Counter(name for _, _, name in table[:seats])
    return {name: won[name] for name in votes}


def ref_dhondt(votes: dict[str, int], seats: int) -> dict:
    return reference_divisor(votes, seats, [Fraction(k + 1) for k in range(seats)])


def ref_sainte_lague(votes: dict[str, int], seats: int, first: Fraction) -> dict:
    return reference_divisor(votes, seats, [first] + [Fraction(2 * k + 1) for k in range(1, seats)])


def ref_hare(votes: dict[str, int], seats: int) -> dict:
    """Exact quotas as fractions; whole parts, then leftover seats by largest fractional part."""
    quota = Fraction(sum(votes.values()), seats)
    exact = {name: v / quota for name, v in votes.items()}
    won = {name: int(q) for name, q in exact.items()}
    order = sorted(votes, key=lambda n: (-(exact[n] - won[n]), -votes[n], n))
    for name in order[: seats - sum(won.values())]:
        won[name] += 1
    return won


# --------------------------------------------------------------------------------------------
# Known answers
# --------------------------------------------------------------------------------------------


def test_dhondt_textbook() -> None:
    # Quotients (thousands): A 100, 50, 33.3, 25; B 80, 40, 26.7; C 30, 15; D 20.
    # Top eight: 100A 80B 50A 40B 33.3A 30C 26.7B 25A -> A4 B3 C1 D0.
    assert dhondt(TEXTBOOK, 8) == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_sainte_lague_textbook() -> None:
    # Divisors 1, 3, 5: A 100, 33.3, 20, 14.3; B 80, 26.7, 16; C 30, 10; D 20.
    # Top eight: 100A 80B 33.3A 30C 26.7B 20A 20D 16B -> A3 B3 C1 D1.
    assert sainte_lague(TEXTBOOK, 8) == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_hare_textbook() -> None:
    # Total 230,000, quota 28,750.  Quotas: A 3.478, B 2.783, C 1.043, D 0.696.
    # Whole parts 3+2+1+0 = 6; two seats left go to the largest remainders B (.783), D (.696).
    assert hare(TEXTBOOK, 8) == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_first_divisor_17_takes_the_small_partys_seat() -> None:
    # Divisors 1.7, 3, 5, 7 (thousands): A 58.8, 33.3, 20, 14.3; B 47.1, 26.7, 16;
    # C 17.6, 10; D 11.8.  Top eight: 58.8A 47.1B 33.3A 26.7B 20A 17.6C 16B 14.3A.
    # D's 20 (pure method) shrinks to 11.8 and falls below A's fourth quotient 14.3.
    assert sainte_lague(TEXTBOOK, 8, 1.7) == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert sainte_lague(TEXTBOOK, 8, 1)["D"] == 1


def test_first_divisor_is_exact_decimal() -> None:
    # Second seat: A's 30/3 = 10 ties B's 17/1.7 = 10 exactly; the tie goes to more votes (A).
    # A binary 1.7 (slightly below 17/10) would have handed it to B.
    for first in (1.7, "1.7", Fraction(17, 10), "17/10"):
        assert sainte_lague({"A": 30, "B": 17}, 2, first) == {"A": 2, "B": 0}
    assert sainte_lague({"A": 30, "B": 17}, 2, Fraction(1.7)) == {"A": 1, "B": 1}


def test_tie_break_more_votes_then_name() -> None:
    # Equal votes, one seat: the name that sorts first wins, whatever the input order.
    assert dhondt({"b": 10, "a": 10}, 1) == {"b": 0, "a": 1}
    assert hare({"b": 10, "a": 10}, 1) == {"b": 0, "a": 1}
    # Equal quotients from different votes (D'Hondt 2nd seat: 20/2 == 10/1): more votes wins.
    assert dhondt({"z": 20, "a": 10}, 2) == {"z": 2, "a": 0}


def test_hare_alabama_paradox() -> None:
    # Votes 6, 6, 2 (total 14).  10 seats: quotas 4.29, 4.29, 1.43 -> 4+4+1, leftover to C (.43).
    # 11 seats: quotas 4.71, 4.71, 1.57 -> 4+4+1, leftovers to A and B (.71): C drops to 1.
    votes = {"A": 6, "B": 6, "C": 2}
    assert hare(votes, 10) == {"A": 4, "B": 4, "C": 2}
    assert hare(votes, 11) == {"A": 5, "B": 5, "C": 1}


def test_every_party_listed_including_zero() -> None:
    for method in ("dhondt", "sainte-lague", "hare"):
        assert allocate({"A": 5, "B": 0}, 3, method) == {"A": 3, "B": 0}


def test_allocate_dispatches() -> None:
    assert allocate(TEXTBOOK, 8, "dhondt") == dhondt(TEXTBOOK, 8)
    assert allocate(TEXTBOOK, 8, "hare") == hare(TEXTBOOK, 8)
    assert allocate(TEXTBOOK, 8, "sainte-lague") == sainte_lague(TEXTBOOK, 8)
    assert allocate(TEXTBOOK, 8, "sainte-lague", 1.7) == sainte_lague(TEXTBOOK, 8, "1.7")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: dhondt({}, 3), "no parties"),
        (lambda: dhondt({"A": 0, "B": 0}, 3), "zero votes"),
        (lambda: hare({"A": -1, "B": 5}, 3), "negative"),
        (lambda: dhondt({"A": 1.5}, 3), "integer"),
        (lambda: sainte_lague({"A": 1}, 0), "positive"),
        (lambda: hare({"A": 1}, -2), "positive"),
        (lambda: sainte_lague({"A": 1}, 2, 0), "positive"),
        (lambda: sainte_lague({"A": 1}, 2, -1.4), "positive"),
        (lambda: sainte_lague({"A": 1}, 2, "abc"), "number"),
        (lambda: sainte_lague({"A": 1}, 2, float("nan")), "number"),
        (lambda: allocate({"A": 1}, 2, "dhondt", 1.7), "only to sainte-lague"),
        (lambda: allocate({"A": 1}, 2, "borda"), "unknown method"),
        (lambda: sntv({("A", "x"): 1}, 2), "only 1 candidates"),
        (lambda: sntv({("A", "x"): 0, ("B", "y"): 0}, 1), "zero votes"),
    ],
)
def test_impossible_input_raises(call, match: str) -> None:
    with pytest.raises(AllocationError, match=match):
        call()
    assert issubclass(AllocationError, ValueError)


# --------------------------------------------------------------------------------------------
# SNTV
# --------------------------------------------------------------------------------------------


def test_sntv_elects_top_candidates_in_order() -> None:
    votes = {("A", "a1"): 500, ("B", "b1"): 900, ("A", "a2"): 700, ("C", "c1"): 100}
    result = sntv(votes, 2)
    assert isinstance(result, SntvResult)
    assert result.elected == [("B", "b1"), ("A", "a2")]
    assert result.seats == {"A": 1, "B": 1, "C": 0}


def test_sntv_overnomination_costs_majority_party() -> None:
    # Three seats; A has 55% of the vote, B 45% split over two candidates (22,500 each).
    b = {("B", "b1"): 22_500, ("B", "b2"): 22_500}
    # A runs two: 27,500 each, both ahead of B's pair -> A 2, B 1.
    two = sntv({("A", "a1"): 27_500, ("A", "a2"): 27_500, **b}, 3)
    assert two.seats == {"A": 2, "B": 1}
    # A runs three: 18,333/18,333/18,334 each, all behind B's pair -> the majority gets 1 of 3.
    three = sntv({("A", "a1"): 18_334, ("A", "a2"): 18_333, ("A", "a3"): 18_333, **b}, 3)
    assert three.seats == {"A": 1, "B": 2}


def test_sntv_uneven_vote_wastes_a_star() -> None:
    # Same 55,000 on two candidates, but a star takes 40,000: the second (15,000) loses.
    result = sntv({("A", "star"): 40_000, ("A", "a2"): 15_000, ("B", "b1"): 22_500,
                   ("B", "b2"): 22_500}, 3)  # fmt: skip
    assert result.seats == {"A": 1, "B": 2}


def test_vote_management_via_national_election() -> None:
    # One 3-seat governorate under SNTV; the slate sizes come from VoteManagement.
    law = ElectionLaw("one-district sntv", "sntv")
    votes = {"G": {"A": 55_000, "B": 45_000}}
    disciplined = {"A": VoteManagement(Fraction(2, 3), 1), "B": VoteManagement(Fraction(2, 3), 1)}
    over = {**disciplined, "A": VoteManagement(1, 1)}
    starred = {**disciplined, "A": VoteManagement(Fraction(2, 3), Fraction(1, 4))}
    assert national_election(votes, {"G": 3}, law, vote_management=disciplined).seats == {
        "A": 2,
        "B": 1,
    }
    assert national_election(votes, {"G": 3}, law, vote_management=over).seats["A"] == 1
    assert national_election(votes, {"G": 3}, law, vote_management=starred).seats["A"] == 1


def test_vote_management_definition() -> None:
    vm = VoteManagement(0.5, 0.5)
    assert vm.nomination == Fraction(1, 2) and vm.evenness == Fraction(1, 2)
    assert vm.candidates(4) == 2 and vm.candidates(1) == 1 and vm.candidates(5) == 3
    assert vm.weights(3) == [1, Fraction(1, 2), Fraction(1, 4)]
    assert VoteManagement(2).candidates(3) == 6
    for bad in ({"nomination": 0}, {"evenness": 0}, {"evenness": 1.2}):
        with pytest.raises(AllocationError):
            VoteManagement(**bad)


# --------------------------------------------------------------------------------------------
# Laws and districting
# --------------------------------------------------------------------------------------------


def test_law_constants() -> None:
    assert LAW_2023.method == "sainte-lague" and LAW_2023.first_divisor == Fraction(17, 10)
    assert LAW_2023.districting == "governorate"
    assert LAW_2020_SNTV.method == "sntv" and LAW_2020_SNTV.districts == 83
    assert LAW_2013.first_divisor == Fraction(8, 5)
    assert LAWS == {"2013": LAW_2013, "2020_sntv": LAW_2020_SNTV, "2023_sl17": LAW_2023}
    assert ElectionLaw("x", "sainte-lague", 1.9).first_divisor == Fraction(19, 10)  # type: ignore[arg-type]
    with pytest.raises(AllocationError):
        ElectionLaw("x", "dhondt", Fraction(3, 2))
    with pytest.raises(AllocationError):
        ElectionLaw("x", "sntv", None, "districts")


def test_district_magnitudes_for_83_districts() -> None:
    general = {g: m - sum(QUOTA.get(g, {}).values()) for g, m in MAGNITUDES.items()}
    assert sum(general.values()) == 320
    districts = district_magnitudes(general, 83)
    assert sum(len(d) for d in districts.values()) == 83
    for gov, mags in districts.items():
        assert sum(mags) == general[gov]
        assert max(mags) - min(mags) <= 1 and min(mags) >= 1
    assert len(districts["Baghdad"]) > len(districts["Muthanna"])


def test_district_magnitudes_minimum_one_district() -> None:
    # Shares: 100*4/103 = 3.9 for "big", below 1 for the two small ones -> fixed at 1 each.
    assert district_magnitudes({"big": 100, "s1": 2, "s2": 1}, 4) == {
        "big": [50, 50],
        "s1": [2],
        "s2": [1],
    }
    with pytest.raises(AllocationError):
        district_magnitudes({"a": 3, "b": 3}, 1)
    with pytest.raises(AllocationError):
        district_magnitudes({"a": 1, "b": 1}, 3)


# --------------------------------------------------------------------------------------------
# National elections and the law-change effect
# --------------------------------------------------------------------------------------------

SHIA_SOUTH = ("Basra", "Dhi Qar", "Babil", "Najaf", "Karbala", "Qadisiyah", "Wasit", "Maysan",
              "Muthanna")  # fmt: skip
SUNNI = ("Anbar", "Salahaddin", "Nineveh", "Diyala", "Kirkuk")
KURDISH = ("Erbil", "Dohuk", "Sulaymaniyah")


def _regional_shares(gov: str) -> dict[str, int]:
    """Illustrative vote shares (percent) by region: an ASSUMPTION for the test, not data."""
    if gov in KURDISH:
        return {"kdp": 45, "puk": 30, "new_generation": 15, "small_kurdish": 10}
    if gov in SUNNI:
        return {"taqaddum": 35, "azm": 20, "framework": 15, "kdp": 10, "small_sunni": 20}
    shares = {"sadrists": 26, "framework": 34, "state_forces": 9, "imtidad": 5, "small_shia": 8}
    if gov == "Baghdad":
        shares |= {"taqaddum": 12, "azm": 6}
    else:
        shares |= {"small_local": 18}
    return shares


def realistic_votes() -> dict[str, dict[str, int]]:
    """About 9,000 voters per seat, split by the regional shares with a fixed +-3% wobble so
    that governorates are not exact multiples of each other."""
    votes = {}
    for i, (gov, seats) in enumerate(MAGNITUDES.items()):
        row = {}
        for j, (party, share) in enumerate(_regional_shares(gov).items()):
            wobble = 97 + (7 * i + 3 * j) % 7  # 97..103 percent
            row[party] = share * 90 * seats * wobble // 100
        votes[gov] = row
    return votes


# The Sadrists' 2021 discipline: few candidates, votes spread evenly; the Framework's rivals
# crowd the same districts with many unevenly supported candidates.
MANAGEMENT = {
    "sadrists": VoteManagement(Fraction(1, 2), 1),
    "framework": VoteManagement(Fraction(3, 2), Fraction(7, 10)),
    "taqaddum": VoteManagement(Fraction(1, 2), Fraction(9, 10)),
    "kdp": VoteManagement(Fraction(1, 2), 1),
    "puk": VoteManagement(Fraction(1, 2), Fraction(9, 10)),
    "azm": VoteManagement(Fraction(1, 2), Fraction(8, 10)),
}


def test_law_change_same_votes_different_parliaments() -> None:
    votes = realistic_votes()
    laws = {
        "sntv": LAW_2020_SNTV,
        "sl17": LAW_2023,
        "sl19": replace(LAW_2023, name="sl19", first_divisor=Fraction(19, 10)),
        "sl10": replace(LAW_2023, name="sl10", first_divisor=None),
    }
    results = {
        k: national_election(votes, MAGNITUDES, law, QUOTA, MANAGEMENT) for k, law in laws.items()
    }
    for result in results.values():
        assert isinstance(result, NationalResult)
        assert sum(result.seats.values()) == 329
        assert result.seats["christian"] == 5 and result.seats["faili_kurd"] == 1
    seats = {k: r.seats for k, r in results.items()}
    assert seats["sntv"] != seats["sl17"] != seats["sl19"] != seats["sl10"]
    # Vote management pays under SNTV and not under list PR: the disciplined party, second on
    # votes, comes first in seats under SNTV (as the Sadrists did in 2021) and second under SL.
    assert seats["sntv"]["sadrists"] > seats["sntv"]["framework"]
    assert seats["sl17"]["sadrists"] < seats["sl17"]["framework"]
    assert seats["sntv"]["sadrists"] > seats["sl17"]["sadrists"]
    assert seats["sntv"]["framework"] < seats["sl17"]["framework"]
    # A dearer first seat moves seats from small lists to big ones.
    small = ("state_forces", "imtidad", "new_generation", "small_shia", "small_local",
             "small_sunni", "small_kurdish")  # fmt: skip
    total_small = {k: sum(s[p] for p in small) for k, s in seats.items()}
    assert total_small["sl10"] > total_small["sl17"] > total_small["sl19"]
    assert seats["sl19"]["framework"] > seats["sl17"]["framework"] > seats["sl10"]["framework"]


def test_national_result_shape() -> None:
    result = national_election(realistic_votes(), MAGNITUDES, LAW_2023, QUOTA)
    parties = set(result.seats)
    assert {"sadrists", "kdp", "yazidi", "small_kurdish"} <= parties
    for gov, row in result.by_governorate.items():
        assert set(row) == parties
        assert sum(row.values()) == MAGNITUDES[gov]
    assert result.by_governorate["Nineveh"]["yazidi"] == 1
    assert result.by_governorate["Erbil"]["sadrists"] == 0
    assert result.law == "2023_sl17"


def test_national_election_rejects_inconsistent_input() -> None:
    with pytest.raises(AllocationError, match="no seats"):
        national_election({"X": {"A": 1}}, {"G": 3}, LAW_2023)
    with pytest.raises(AllocationError, match="exceed"):
        national_election({"G": {"A": 1}}, {"G": 1}, LAW_2023, {"G": {"q": 2}})
    with pytest.raises(AllocationError, match="no votes"):
        national_election({}, {"G": 3}, LAW_2023)
    # A governorate made only of quota seats needs no votes.
    only_quota = national_election({}, {"G": 1}, LAW_2023, {"G": {"q": 1}})
    assert only_quota.seats == {"q": 1}


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

NAMES = st.lists(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3), min_size=1, max_size=12, unique=True
)
COUNTS = st.one_of(st.integers(0, 20), st.integers(0, 1_000_000))
FIRST_DIVISORS = st.sampled_from([1, 1.4, 1.7, 1.9])


@st.composite
def votes_strategy(draw) -> dict[str, int]:
    """1..12 parties; small counts make exact ties common, large ones look like elections."""
    names = draw(NAMES)
    votes = {name: draw(COUNTS) for name in names}
    if not any(votes.values()):
        votes[names[0]] = draw(st.integers(1, 1_000_000))
    return votes


SEATS = st.integers(1, 69)


@settings(max_examples=300, deadline=None)
@given(votes_strategy(), SEATS, FIRST_DIVISORS)
def test_matches_brute_force_reference(votes: dict[str, int], seats: int, first) -> None:
    assert dhondt(votes, seats) == ref_dhondt(votes, seats)
    assert sainte_lague(votes, seats, first) == ref_sainte_lague(votes, seats, Fraction(str(first)))
    assert hare(votes, seats) == ref_hare(votes, seats)


@settings(max_examples=200, deadline=None)
@given(votes_strategy(), SEATS, FIRST_DIVISORS)
def test_sums_and_zero_vote_parties(votes: dict[str, int], seats: int, first) -> None:
    for result in (dhondt(votes, seats), sainte_lague(votes, seats, first), hare(votes, seats)):
        assert sum(result.values()) == seats
        assert list(result) == list(votes)
        assert all(result[p] == 0 for p, v in votes.items() if v == 0)


@settings(max_examples=200, deadline=None)
@given(votes_strategy(), SEATS, FIRST_DIVISORS)
def test_house_monotone_divisor_methods(votes: dict[str, int], seats: int, first) -> None:
    for method in (lambda s: dhondt(votes, s), lambda s: sainte_lague(votes, s, first)):
        before, after = method(seats), method(seats + 1)
        assert all(after[p] >= before[p] for p in votes)


@settings(max_examples=200, deadline=None)
@given(votes_strategy(), SEATS, FIRST_DIVISORS, st.data())
def test_more_votes_never_cost_seats(votes: dict[str, int], seats: int, first, data) -> None:
    party = data.draw(st.sampled_from(sorted(votes)))
    more = {**votes, party: votes[party] + data.draw(st.integers(1, 100_000))}
    assert dhondt(more, seats)[party] >= dhondt(votes, seats)[party]
    assert sainte_lague(more, seats, first)[party] >= sainte_lague(votes, seats, first)[party]


@settings(max_examples=200, deadline=None)
@given(votes_strategy(), SEATS)
def test_hare_satisfies_quota(votes: dict[str, int], seats: int) -> None:
    total = sum(votes.values())
    for party, won in hare(votes, seats).items():
        exact = Fraction(votes[party] * seats, total)
        assert int(exact) <= won <= int(exact) + 1


@settings(max_examples=200, deadline=None)
@given(votes_strategy(), SEATS, st.randoms(use_true_random=False))
def test_input_order_does_not_matter(votes: dict[str, int], seats: int, rng) -> None:
    items = list(votes.items())
    rng.shuffle(items)
    shuffled = dict(items)
    assert dhondt(shuffled, seats) == dhondt(votes, seats)
    assert sainte_lague(shuffled, seats, 1.7) == sainte_lague(votes, seats, 1.7)
    assert hare(shuffled, seats) == hare(votes, seats)


@st.composite
def candidates_strategy(draw) -> dict[tuple[str, str], int]:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from("ABCD"), st.sampled_from("xyzw")),
            min_size=1,
            max_size=16,
            unique=True,
        )
    )
    votes = {key: draw(st.integers(0, 50)) for key in keys}
    if not any(votes.values()):
        votes[keys[0]] = 1
    return votes


@settings(max_examples=200, deadline=None)
@given(candidates_strategy(), st.data())
def test_sntv_matches_reference(votes: dict[tuple[str, str], int], data) -> None:
    seats = data.draw(st.integers(1, len(votes)))
    result = sntv(votes, seats)
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    assert result.elected == [key for key, _ in ranked[:seats]]
    assert sum(result.seats.values()) == seats
    assert set(result.seats) == {party for party, _ in votes}


@st.composite
def country_strategy(draw):
    govs = draw(st.lists(st.sampled_from("PQRSTUVW"), min_size=1, max_size=5, unique=True))
    magnitudes = {g: draw(st.integers(1, 15)) for g in govs}
    parties = draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=6, unique=True))
    votes = {}
    for g in govs:
        row = {p: draw(st.integers(0, 200_000)) for p in parties}
        row[parties[0]] += 1_000  # every governorate can fill its districts
        votes[g] = row
    quota = {g: {"minority": 1} for g in govs if magnitudes[g] > 1 and draw(st.booleans())}
    management = {
        p: VoteManagement(
            draw(st.sampled_from([Fraction(1, 3), Fraction(1, 2), 1, 2])),
            draw(st.sampled_from([Fraction(1, 2), Fraction(9, 10), 1])),
        )
        for p in parties
    }
    return votes, magnitudes, quota, management


@settings(max_examples=100, deadline=None)
@given(country_strategy(), st.data())
def test_national_total_is_sum_of_magnitudes(country, data) -> None:
    votes, magnitudes, quota, management = country
    general = sum(magnitudes.values()) - sum(len(q) for q in quota.values())
    n_districts = data.draw(st.integers(len(magnitudes), max(general, len(magnitudes))))
    laws = [
        LAW_2023,
        LAW_2013,
        ElectionLaw("dh", "dhondt"),
        ElectionLaw("hare", "hare"),
        ElectionLaw("gov sntv", "sntv"),
    ]
    competitive = sum(1 for g, m in magnitudes.items() if m > len(quota.get(g, {})))
    if competitive <= n_districts <= general:
        laws.append(ElectionLaw("districts", "sntv", None, "districts", n_districts))
        laws.append(ElectionLaw("dl", "sainte-lague", Fraction(7, 5), "districts", n_districts))
    for law in laws:
        result = national_election(votes, magnitudes, law, quota, management)
        assert sum(result.seats.values()) == sum(magnitudes.values())
        for gov, row in result.by_governorate.items():
            assert sum(row.values()) == magnitudes[gov]
            assert all(n >= 0 for n in row.values())


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from("PQRSTUVWXYZ"), st.integers(1, 80), min_size=1),
    st.data(),
)
def test_district_magnitudes_properties(seats: dict[str, int], data) -> None:
    count = data.draw(st.integers(len(seats), sum(seats.values())))
    districts = district_magnitudes(seats, count)
    assert sum(len(d) for d in districts.values()) == count
    for gov, mags in districts.items():
        assert sum(mags) == seats[gov] and min(mags) >= 1 and max(mags) - min(mags) <= 1


def naive_sntv_district(votes: dict[str, int], magnitude: int,
                        management: dict[str, VoteManagement]) -> dict[str, int]:
    """The oracle: build every candidate's vote and hand the table to `sntv` (what the
    engine's shortcut `_sntv_district_cached` avoids doing)."""
    from sim.mechanics.elections import (
        _NO_MANAGEMENT,
        _integer_weights,
        _slates_cached,
        _split_int,
    )

    table = {}
    for party, size in _slates_cached(votes, magnitude, management, {}).items():
        weights = _integer_weights(management.get(party, _NO_MANAGEMENT).weights(size))
        for i, v in enumerate(_split_int(votes[party], weights, sum(weights))):
            table[(party, f"c{i:03d}")] = v
    won = sntv(table, magnitude).seats
    return {p: won.get(p, 0) for p in votes}


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 5000), min_size=1),
       st.integers(1, 12), st.data())
def test_the_sntv_shortcut_matches_the_candidate_table(votes, magnitude, data) -> None:
    from sim.mechanics.elections import _sntv_district_cached

    if not any(votes.values()):
        votes = {**votes, min(votes): 1}
    management = {p: VoteManagement(
        data.draw(st.sampled_from([Fraction(1, 3), Fraction(1, 2), 1, 2])),
        data.draw(st.sampled_from([Fraction(1, 2), Fraction(9, 10), 1])))
        for p in votes if data.draw(st.booleans())}
    expected = naive_sntv_district(votes, magnitude, management)
    assert _sntv_district_cached(votes, magnitude, management, {}, {}) == expected
    assert sum(expected.values()) == magnitude
