"""Tests for sim.mechanics.government: thresholds, 2021 arithmetic, coalition search, votes."""

from __future__ import annotations

import itertools
import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.mechanics.government import (
    BLOCKING_THIRD,
    CONFIDENCE_QUOTA,
    PRESIDENT_QUORUM,
    TOTAL_SEATS,
    UtilityWeights,
    VoteResult,
    absolute_majority,
    bloc_seats,
    coalition_choice_probabilities,
    coalition_score,
    coalition_utility,
    cohesion,
    collapse_risk,
    confidence_vote,
    government_survives,
    largest_bloc,
    pivotal_members,
    policy_range,
    president_quorum_met,
    relationship,
    two_thirds,
    winning_coalitions,
)

# Final 2021 result, FACTS.md "Results" [INA-2021-11-30]; the one-seat parties and the
# independents are lumped so the house sums to 329.
RESULT_2021 = {
    "sadrists": 73,
    "taqaddum": 37,
    "state_of_law": 33,
    "kdp": 31,
    "puk_alliance": 17,
    "fatah": 17,
    "azm": 14,
    "new_generation": 9,
    "imtidad": 9,
    "ishraqat_kanon": 6,
    "tasmim": 5,
    "state_forces": 4,
    "national_contract": 4,
    "babylon": 4,
    "hasm": 3,
    "our_identity": 3,
    "turkmen_front": 1,
    "one_seat_parties": 16,
    "independents": 43,
}
SADR_MAJORITY = {"sadrists", "kdp", "taqaddum", "azm"}  # the "national majority" plan
FRAMEWORK_AND_ALLIES = {
    "state_of_law",
    "fatah",
    "puk_alliance",
    "state_forces",
    "ishraqat_kanon",
    "babylon",
    "hasm",
    "new_generation",
    "imtidad",
}


def test_result_2021_fixture_sums_to_house() -> None:
    assert sum(RESULT_2021.values()) == TOTAL_SEATS


def test_constants_match_constitution() -> None:
    assert (TOTAL_SEATS, CONFIDENCE_QUOTA, PRESIDENT_QUORUM, BLOCKING_THIRD) == (
        329,
        165,
        220,
        110,
    )
    assert absolute_majority(100) == 51 and absolute_majority(101) == 51
    assert two_thirds(300) == 200 and two_thirds(301) == 201


# --- largest bloc --------------------------------------------------------------------------
def test_largest_bloc_by_party_in_2021() -> None:
    assert largest_bloc(RESULT_2021) == "sadrists"


def test_largest_bloc_can_be_a_post_election_bloc() -> None:
    blocs = {"framework": ["state_of_law", "fatah", "state_forces", "babylon", "hasm"]}
    assert bloc_seats(RESULT_2021, blocs)["framework"] == 61
    blocs["framework"] += ["independents", "ishraqat_kanon", "imtidad"]
    assert largest_bloc(RESULT_2021, blocs) == "framework"  # 61 + 43 + 6 + 9 = 119 > 73


def test_largest_bloc_tie_goes_to_first_name() -> None:
    assert largest_bloc({"b": 10, "a": 10, "c": 3}) == "a"


def test_bloc_seats_rejects_party_in_two_blocs() -> None:
    with pytest.raises(ValueError):
        bloc_seats({"a": 1, "b": 2}, {"x": ["a"], "y": ["a", "b"]})


# --- thresholds ----------------------------------------------------------------------------
@pytest.mark.parametrize(("absent_seats", "met"), [(109, True), (110, False), (108, True)])
def test_president_quorum_at_the_blocking_third(absent_seats: int, met: bool) -> None:
    seats = {"away": absent_seats, "present": TOTAL_SEATS - absent_seats}
    assert president_quorum_met(seats, {"away"}) is met


@pytest.mark.parametrize(("present", "met"), [(219, False), (220, True)])
def test_president_quorum_exactly(present: int, met: bool) -> None:
    seats = {"in": present, "out": TOTAL_SEATS - present}
    assert president_quorum_met(seats, {"out"}) is met


@pytest.mark.parametrize(("held", "ok"), [(164, False), (165, True)])
def test_survival_and_confidence_exactly_at_quota(held: int, ok: bool) -> None:
    seats = {"gov": held, "opp": TOTAL_SEATS - held}
    assert government_survives(seats, {"gov"}) is ok
    vote = confidence_vote(seats, {"gov"}, {}, defection_rate=0.0)
    assert vote == VoteResult(yes=held, no=TOTAL_SEATS - held, passed=ok)


def test_sadr_national_majority_falls_short_of_165() -> None:
    held = sum(RESULT_2021[p] for p in SADR_MAJORITY)
    assert held == 155
    assert not government_survives(RESULT_2021, SADR_MAJORITY)
    assert not confidence_vote(RESULT_2021, SADR_MAJORITY, {}, defection_rate=0.0).passed


def test_framework_boycott_is_a_blocking_third() -> None:
    lists = sum(RESULT_2021[p] for p in FRAMEWORK_AND_ALLIES)
    assert lists == 102  # list seats alone fall 8 short of the blocking third ...
    assert president_quorum_met(RESULT_2021, FRAMEWORK_AND_ALLIES)
    # ... so the boycott needed at least 8 of the 43 independents (an assumption about which
    # ones; the fixture splits them only to show the arithmetic).
    split = {**RESULT_2021, "independents": 35, "independents_with_framework": 8}
    boycott = FRAMEWORK_AND_ALLIES | {"independents_with_framework"}
    assert sum(split[p] for p in boycott) == BLOCKING_THIRD
    assert not president_quorum_met(split, boycott)
    split7 = {**RESULT_2021, "independents": 36, "independents_with_framework": 7}
    assert president_quorum_met(split7, boycott)


def test_sadr_camp_alone_is_far_from_the_quorum() -> None:
    held = sum(RESULT_2021[p] for p in SADR_MAJORITY)
    others = set(RESULT_2021) - SADR_MAJORITY
    assert not president_quorum_met(RESULT_2021, others)
    assert PRESIDENT_QUORUM - held == 65  # seats it had to bring into the chamber


def test_sadr_needed_more_partners_than_his_three() -> None:
    coalitions = winning_coalitions(RESULT_2021, CONFIDENCE_QUOTA, "sadrists")
    assert frozenset(SADR_MAJORITY) not in coalitions
    # ... but adding, say, a 10th-seat-plus partner completes it.
    assert any(frozenset(SADR_MAJORITY) < c for c in coalitions)


# --- winning coalitions --------------------------------------------------------------------
def _brute_force(seats: dict[str, int], quota: int, formateur: str, max_size: int) -> set:
    partners = [p for p in seats if p != formateur and seats[p] > 0]
    out = set()
    if seats[formateur] >= quota:
        return {frozenset({formateur})}
    for k in range(1, max_size):
        for combo in itertools.combinations(partners, k):
            total = seats[formateur] + sum(seats[p] for p in combo)
            if total >= quota and all(total - seats[p] < quota for p in combo):
                out.add(frozenset((formateur, *combo)))
    return out


def test_winning_coalitions_small_known_game() -> None:
    seats = {"a": 4, "b": 3, "c": 2, "d": 1}
    got = winning_coalitions(seats, 6, "a")
    assert set(got) == {frozenset("ab"), frozenset("ac")}
    assert got[0] == frozenset("ac")  # smaller surplus first


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 40), min_size=1, max_size=9),
    st.integers(1, 200),
    st.integers(1, 6),
)
def test_winning_coalitions_match_brute_force(weights: list[int], quota: int, k: int) -> None:
    seats = {f"p{i}": w for i, w in enumerate(weights)}
    got = winning_coalitions(seats, quota, "p0", max_size=k)
    assert len(got) == len(set(got))
    assert set(got) == _brute_force(seats, quota, "p0", k)


def test_winning_coalitions_fast_for_twenty_parties() -> None:
    rng = np.random.default_rng(1)
    seats = {f"p{i:02d}": int(x) for i, x in enumerate(rng.integers(1, 40, size=20))}
    start = time.perf_counter()
    got = winning_coalitions(seats, sum(seats.values()) // 2 + 1, "p00", max_size=6)
    assert time.perf_counter() - start < 2.0
    assert got and all("p00" in c for c in got)


def test_winning_coalitions_grouping_and_limit() -> None:
    got = winning_coalitions(RESULT_2021, CONFIDENCE_QUOTA, "sadrists", group_below=5)
    assert any("others" in c for c in got)
    assert "turkmen_front" not in set().union(*got)
    assert len(winning_coalitions(RESULT_2021, CONFIDENCE_QUOTA, "sadrists", limit=3)) == 3


def test_formateur_with_majority_or_without_seats() -> None:
    assert winning_coalitions({"a": 170, "b": 159}, 165, "a") == [frozenset({"a"})]
    got = winning_coalitions({"pm": 0, "x": 100, "y": 70, "z": 159}, 165, "pm")
    assert set(got) == {
        frozenset({"pm", "x", "y"}),
        frozenset({"pm", "z", "x"}),
        frozenset({"pm", "z", "y"}),
    }


# --- utility and choice --------------------------------------------------------------------
def test_relationship_lookup_forms() -> None:
    rel = {frozenset({"a", "b"}): 0.5, ("a", "c"): -0.4, ("c", "a"): -0.2}
    assert relationship(rel, "b", "a") == 0.5
    assert relationship(rel, "c", "a") == pytest.approx(-0.3)
    assert relationship(rel, "a", "d") == 0.0
    assert cohesion({"a", "b", "c"}, rel) == pytest.approx((0.5 - 0.3 + 0.0) / 3)
    assert cohesion({"a"}, rel) == 1.0


def test_policy_range() -> None:
    pos = {"a": {"iran": 0.9, "law": 0.2}, "b": {"iran": 0.1}, "c": {"law": 0.6}}
    assert policy_range({"a", "b", "c"}, pos) == pytest.approx((0.8 + 0.4) / 2)
    assert policy_range({"a"}, pos) == 0.0


def test_utility_prefers_minimal_friendly_close_coalitions() -> None:
    seats = {"f": 100, "x": 70, "y": 80, "z": 150}
    rel = {frozenset({"f", "x"}): 0.8, frozenset({"f", "y"}): 0.8, frozenset({"f", "z"}): -0.5}
    pos = {"f": {"i": 0.5}, "x": {"i": 0.5}, "y": {"i": 0.5}, "z": {"i": 0.5}}
    minimal = coalition_utility({"f", "x"}, seats, rel, pos)
    surplus = coalition_utility({"f", "y"}, seats, rel, pos)
    hostile = coalition_utility({"f", "z"}, seats, rel, pos)
    losing = coalition_utility({"f"}, seats, rel, pos)
    assert minimal > surplus > hostile > losing
    far = coalition_utility({"f", "x"}, seats, rel, {**pos, "x": {"i": -0.5}})
    assert far < minimal


def test_utility_power_term_uses_shapley_shubik() -> None:
    seats = {"f": 100, "x": 70}
    w = UtilityWeights(power=1.0)
    score = coalition_score({"f", "x"}, seats, {}, {}, formateur="f", weights=w)
    assert score.power == pytest.approx(0.5)  # both essential in {f, x}
    assert score.total == pytest.approx(-5 / 165 + 0.0 + 0.5)


def test_choice_probabilities_softmax_and_order() -> None:
    cands = [{"b", "c"}, {"a", "b"}]
    probs = coalition_choice_probabilities(cands, [0.0, math.log(3)], temperature=1.0)
    assert [sorted(c) for c, _ in probs] == [["a", "b"], ["b", "c"]]
    assert probs[0][1] == pytest.approx(0.75) and probs[1][1] == pytest.approx(0.25)
    reverse = coalition_choice_probabilities(cands[::-1], [math.log(3), 0.0], 1.0)
    assert reverse == probs


def test_choice_probabilities_zero_temperature_and_errors() -> None:
    probs = coalition_choice_probabilities([{"a"}, {"b"}, {"c"}], [1.0, 1.0, 0.0], 0.0)
    assert [p for _, p in probs] == [0.5, 0.5, 0.0]
    cold = coalition_choice_probabilities([{"a"}, {"b"}], [1.0, -math.inf], 0.5)
    assert [p for _, p in cold] == [1.0, 0.0]
    with pytest.raises(ValueError):
        coalition_choice_probabilities([{"a"}, {"a"}], [1.0, 2.0], 1.0)
    with pytest.raises(ValueError):
        coalition_choice_probabilities([{"a"}], [1.0], -1.0)
    with pytest.raises(ValueError):
        coalition_choice_probabilities([{"a"}], [-math.inf], 1.0)


@given(st.lists(st.floats(-50, 50), min_size=1, max_size=8), st.floats(0.01, 10))
def test_choice_probabilities_sum_to_one(utils: list[float], temp: float) -> None:
    cands = [{f"c{i}"} for i in range(len(utils))]
    probs = coalition_choice_probabilities(cands, utils, temp)
    assert sum(p for _, p in probs) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for _, p in probs)


# --- votes and collapse --------------------------------------------------------------------
def test_confidence_vote_friends_lend_votes_and_absentees_do_not_vote() -> None:
    seats = {"gov": 150, "friend": 20, "rival": 100, "away": 59}
    rel = {frozenset({"gov", "friend"}): 1.0, frozenset({"gov", "rival"}): -1.0}
    vote = confidence_vote(seats, {"gov"}, rel, defection_rate=0.0, absent={"away"})
    assert vote == VoteResult(yes=170, no=100, passed=True)


def test_confidence_vote_expected_defections() -> None:
    seats = {"gov": 170, "opp": 159}
    vote = confidence_vote(seats, {"gov"}, {}, defection_rate=0.05)
    assert vote.yes == 162 and not vote.passed  # 161.5 expected yes votes round half up


def test_confidence_vote_random_is_seeded_and_bounded() -> None:
    seats = RESULT_2021
    rel = {frozenset({"sadrists", "independents"}): 0.3}
    a = confidence_vote(seats, SADR_MAJORITY, rel, np.random.default_rng(7), 0.1)
    b = confidence_vote(seats, SADR_MAJORITY, rel, np.random.default_rng(7), 0.1)
    assert a == b
    assert a.yes + a.no == TOTAL_SEATS
    assert a.passed is (a.yes >= CONFIDENCE_QUOTA)


def test_collapse_risk_and_pivots() -> None:
    seats = {"a": 100, "b": 40, "c": 30, "opp": 159}
    members = {"a", "b", "c"}
    assert pivotal_members(seats, members) == ["a", "b", "c"]  # 170 - 30 = 140 < 165
    assert collapse_risk(seats, members, 0.0) == 0.0
    assert collapse_risk(seats, members, 1.0) == 1.0
    # survives only if nobody leaves
    assert collapse_risk(seats, members, 0.1) == pytest.approx(1 - 0.9**3)
    assert collapse_risk(seats, members, {"a": 0.5}) == pytest.approx(0.5)
    assert pivotal_members({"a": 100, "opp": 229}, {"a"}) == []


def test_only_the_deputies_present_vote_on_confidence() -> None:
    seats = {"a": 100, "b": 60, "c": 40}
    # expected counts (rng=None) with attendance 0.8: a 80 present, b 48, c 32 (rounded half
    # up); members a and b vote yes but for defectors (0.1): 72 + 43 (43.2) = 115 yes, 8 + 5
    # no; c is neutral (affinity 0): 32 no; 45 no in all, 200 - 160 = 40 absent
    r = confidence_vote(seats, ["a", "b"], {}, None, 0.1, quota=101, attendance=0.8)
    assert (r.yes, r.no, r.passed) == (115, 45, True)
    assert r.seats_by_party == {"a": 80, "b": 48, "c": 32}
    assert confidence_vote(seats, ["a", "b"], {}, None, 0.1, quota=116,
                           attendance=0.8).passed is False
    # drawn: the yes and no never exceed those who could come, and absences are real
    for seed in range(20):
        d = confidence_vote(seats, ["a", "b"], {}, np.random.default_rng(seed), 0.1,
                            quota=101, attendance=0.8)
        assert d.yes + d.no < 200 and all(d.seats_by_party[p] <= seats[p] for p in seats)
    # full attendance is the old vote (no draw for it): a 90, b 54 yes; c 40 no
    full = confidence_vote(seats, ["a", "b"], {}, None, 0.1, quota=101)
    assert (full.yes, full.no) == (144, 56)
