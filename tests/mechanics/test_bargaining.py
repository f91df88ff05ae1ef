"""Bargaining: weighted medians, expected-utility rounds, Condorcet election probabilities."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.mechanics import bargaining
from sim.mechanics.bargaining import (
    BargainingError,
    IssueStance,
    acceptability,
    bdm_forecast,
    bdm_rounds,
    challenge_utility,
    condorcet_probabilities,
    decision_probabilities,
    passage_probability,
    success_probability,
    utility,
    weighted_median,
)

S = IssueStance

stances = st.builds(
    IssueStance,
    position=st.integers(0, 100).map(float),
    salience=st.floats(0.05, 1.0),
    capability=st.floats(0.1, 10.0),
)
actor_sets = st.dictionaries(st.sampled_from("abcdefgh"), stances, min_size=1, max_size=8)


# --- weighted median ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("positions", "weights", "expected"),
    [
        ([1, 2, 3], [1, 1, 1], 2),
        ([3, 1, 2], [1, 1, 1], 2),  # order of input does not matter
        ([0, 100], [3, 1], 0),  # a weighted majority at one end wins outright
        ([0, 100], [1, 1], 50),  # an exact split: midpoint, like the ordinary median
        ([10, 20, 30, 40], [1, 1, 1, 1], 25),
        ([10, 20, 30, 40], [1, 1, 1, 2], 30),
        ([10, 20, 90], [1, 1, 0], 15),  # zero weight drops out
        ([42], [0.3], 42),
    ],
)
def test_weighted_median_known_cases(positions, weights, expected):
    assert weighted_median(positions, weights) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("positions", "weights"),
    [([], []), ([1, 2], [0, 0]), ([1, 2], [1, -1]), ([1], [1, 2]), ([math.nan], [1])],
)
def test_weighted_median_rejects_bad_input(positions, weights):
    with pytest.raises(BargainingError):
        weighted_median(positions, weights)


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.integers(0, 100), st.integers(1, 20)),
        min_size=1,
        max_size=12,
    )
)
def test_weighted_median_minimises_weighted_distance(pairs):
    # The defining property: no point on the scale has a smaller weighted absolute deviation.
    positions = [float(x) for x, _ in pairs]
    weights = [float(w) for _, w in pairs]
    median = weighted_median(positions, weights)

    def cost(z: float) -> float:
        return sum(w * abs(x - z) for x, w in zip(positions, weights, strict=True))

    assert all(cost(median) <= cost(z) + 1e-9 for z in range(101))
    assert weighted_median(positions[::-1], weights[::-1]) == median
    mirrored = weighted_median([100 - x for x in positions], weights)
    assert mirrored == pytest.approx(100 - median)


# --- stances ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"position": -1, "salience": 0.5, "capability": 1},
        {"position": 101, "salience": 0.5, "capability": 1},
        {"position": 50, "salience": 1.5, "capability": 1},
        {"position": 50, "salience": 0.5, "capability": -1},
        {"position": math.inf, "salience": 0.5, "capability": 1},
    ],
)
def test_stance_validates_ranges(kwargs):
    with pytest.raises(BargainingError):
        IssueStance(**kwargs)


def test_utility_is_linear_loss_on_the_scale():
    assert utility(30, 30) == 1.0
    assert utility(0, 100) == 0.0
    assert utility(40, 65) == pytest.approx(0.75)


# --- expected-utility bargaining ----------------------------------------------------------


def test_success_probability_from_third_party_votes():
    # Votes for A over B: A +1, B -1, C (at 25, influence 2) 2 * (0.75 - 0.25) = +1: P = 2/3.
    actors = {"A": S(0, 1, 1), "B": S(100, 1, 1), "C": S(25, 1, 2)}
    assert success_probability(actors, "A", "B") == pytest.approx(2 / 3)
    assert success_probability(actors, "B", "A") == pytest.approx(1 / 3)


def test_evenly_matched_rivals_do_not_challenge():
    # Equal rivals at the two ends: P = 1/2 so fighting is a wash, while waiting may let the
    # other drift to the median (50): EU = 0 - 0.5 * 2 * (1 - 0.5) = -0.5 for both.
    actors = {"A": S(0, 1, 1), "B": S(100, 1, 1)}
    assert challenge_utility(actors, "A", "B") == pytest.approx(-0.5)
    assert challenge_utility(actors, "B", "A") == pytest.approx(-0.5)
    assert bdm_rounds(actors, 3) == [{"A": 0.0, "B": 100.0}] * 4


def test_weak_actor_that_cares_little_capitulates():
    # A: influence 3, B: influence 0.5.  P(A over B) = 6/7; the median is A's position.
    # EU_A(B) = 0.5 * (2 * 6/7 - 2 * 1/7) + 0.5 * 2 - 0 = 5/7;  EU_B(A) = 2/7 - 12/7 = -10/7.
    # B's loss from fighting exceeds A's gain, so B moves all the way to A.
    actors = {"A": S(0, 1, 3), "B": S(100, 0.5, 1)}
    assert challenge_utility(actors, "A", "B") == pytest.approx(5 / 7)
    assert challenge_utility(actors, "B", "A") == pytest.approx(-10 / 7)
    assert bdm_rounds(actors, 1)[-1] == {"A": 0.0, "B": 0.0}


def test_consensus_stays_put():
    actors = {"a": S(40, 0.3, 5), "b": S(40, 1.0, 1), "c": S(40, 0.7, 2)}
    rounds = bdm_rounds(actors, 4)
    assert len(rounds) == 5
    assert all(r == {"a": 40.0, "b": 40.0, "c": 40.0} for r in rounds)
    assert bdm_forecast(actors, 4) == 40.0


def test_zero_rounds_forecast_is_the_weighted_median():
    actors = {"a": S(10, 1.0, 2), "b": S(60, 0.5, 2), "c": S(90, 1.0, 1.5)}
    # influences 2, 1, 1.5: half of 4.5 is 2.25, reached at position 60.
    assert bdm_forecast(actors, 0) == 60.0


@settings(max_examples=60, deadline=None)
@given(actor_sets, st.sampled_from("abcdefgh"))
def test_a_committed_majority_holds_the_median(actors, boss_name):
    # An actor with more influence than everyone else combined, fully committed, is the median
    # in every round: nobody can credibly coerce it.
    rest = sum(s.influence for name, s in actors.items() if name != boss_name)
    boss = S(actors.get(boss_name, S(50, 1, 1)).position, 1.0, rest + 1.0)
    actors = actors | {boss_name: boss}
    for positions in bdm_rounds(actors, 3):
        assert positions[boss_name] == boss.position
    assert bdm_forecast(actors, 3) == boss.position


@settings(max_examples=60, deadline=None)
@given(actor_sets, st.integers(0, 4))
def test_rounds_stay_within_the_initial_range_and_the_forecast_too(actors, rounds):
    low = min(s.position for s in actors.values())
    high = max(s.position for s in actors.values())
    history = bdm_rounds(actors, rounds)
    assert len(history) == rounds + 1
    for positions in history:
        assert set(positions) == set(actors)
        assert all(low - 1e-9 <= x <= high + 1e-9 for x in positions.values())
    assert low - 1e-9 <= bdm_forecast(actors, rounds) <= high + 1e-9


@settings(max_examples=60, deadline=None)
@given(actor_sets)
def test_mirror_image_issue_gives_mirror_image_first_round(actors):
    mirrored = {n: S(100 - s.position, s.salience, s.capability) for n, s in actors.items()}
    after = bdm_rounds(actors, 1)[-1]
    after_mirrored = bdm_rounds(mirrored, 1)[-1]
    for name in actors:
        assert after_mirrored[name] == pytest.approx(100 - after[name], abs=1e-6)


def test_bdm_rejects_bad_parameters():
    actors = {"a": S(10, 1, 1)}
    with pytest.raises(BargainingError):
        bdm_rounds(actors, -1)
    with pytest.raises(BargainingError):
        bdm_rounds(actors, 1, persistence=1.5)
    with pytest.raises(BargainingError):
        bdm_rounds(actors, 1, risk=0)
    with pytest.raises(BargainingError):
        bdm_rounds({}, 1)


# --- probabilistic Condorcet elections ----------------------------------------------------


def test_two_options_follow_support_analytically():
    # Support for yes: 3 * (1 - 0) = 3; for no: 1 * 1 = 1.  P(yes) = 3^e / (3^e + 1).
    utilities = {"x": {"yes": 1.0, "no": 0.0}, "y": {"yes": 0.0, "no": 1.0}}
    influence = {"x": 3.0, "y": 1.0}
    assert condorcet_probabilities(utilities, influence) == pytest.approx({"yes": 0.75, "no": 0.25})
    squared = condorcet_probabilities(utilities, influence, exponent=2)
    assert squared == pytest.approx({"yes": 0.9, "no": 0.1})
    sharp = condorcet_probabilities(utilities, influence, exponent=1000)
    assert sharp["yes"] == pytest.approx(1.0)


def test_unanimity_is_certain():
    utilities = {"x": {"a": 0.9, "b": 0.1, "c": 0.5}, "y": {"a": 0.6, "b": 0.2, "c": 0.3}}
    result = condorcet_probabilities(utilities, {"x": 1.0, "y": 5.0})
    assert result == pytest.approx({"a": 1.0, "b": 0.0, "c": 0.0})


def test_indifference_is_a_coin_flip():
    utilities = {"x": {"a": 0.5, "b": 0.5}}
    assert condorcet_probabilities(utilities, {"x": 1.0}) == {"a": 0.5, "b": 0.5}
    assert condorcet_probabilities({"x": {"a": 1.0, "b": 0.0}}, {"x": 0.0}) == {"a": 0.5, "b": 0.5}


def test_symmetric_cycle_is_uniform():
    # Rock-paper-scissors preferences with equal influence: by symmetry each option gets 1/3.
    utilities = {
        "1": {"R": 1.0, "S": 0.5, "P": 0.0},
        "2": {"P": 1.0, "R": 0.5, "S": 0.0},
        "3": {"S": 1.0, "P": 0.5, "R": 0.0},
    }
    result = condorcet_probabilities(utilities, {"1": 1, "2": 1, "3": 1})
    assert result == pytest.approx({"R": 1 / 3, "P": 1 / 3, "S": 1 / 3})


def test_three_options_solved_by_hand():
    # P(a>b) = 3/4, P(a>c) = 1, P(b>c) = 1.  Each step a random rival challenges (chance 1/2):
    # a -> b at 1/2 * 1/4, b -> a at 1/2 * 3/4, c is left for good.  Balance: pi = (3/4, 1/4, 0).
    utilities = {"x": {"a": 1.0, "b": 0.0, "c": 0.0}, "y": {"a": 0.0, "b": 1.0, "c": 0.0}}
    result = condorcet_probabilities(utilities, {"x": 3.0, "y": 1.0})
    assert result == pytest.approx({"a": 0.75, "b": 0.25, "c": 0.0}, abs=1e-12)


def test_single_option_is_chosen():
    assert condorcet_probabilities({"x": {"only": 0.2}}, {"x": 1.0}) == {"only": 1.0}


@pytest.mark.parametrize(
    ("utilities", "influence", "exponent"),
    [
        ({}, {}, 1.0),
        ({"x": {"a": 1.0}, "y": {"b": 1.0}}, {"x": 1.0, "y": 1.0}, 1.0),
        ({"x": {"a": 1.0, "b": 0.0}}, {}, 1.0),
        ({"x": {"a": 1.0, "b": 0.0}}, {"x": -1.0}, 1.0),
        ({"x": {"a": 1.0, "b": 0.0}}, {"x": 1.0}, 0.0),
    ],
)
def test_condorcet_rejects_bad_input(utilities, influence, exponent):
    with pytest.raises(BargainingError):
        condorcet_probabilities(utilities, influence, exponent=exponent)


option_names = st.lists(st.sampled_from("pqrstu"), min_size=1, max_size=5, unique=True)


@st.composite
def elections(draw):
    options = draw(option_names)
    actors = draw(st.lists(st.sampled_from("ABCDEFG"), min_size=1, max_size=7, unique=True))
    utilities = {a: {o: draw(st.floats(0, 1)) for o in options} for a in actors}
    influence = {a: draw(st.floats(0, 10)) for a in actors}
    exponent = draw(st.floats(0.25, 8))
    return utilities, influence, exponent


@settings(max_examples=150, deadline=None)
@given(elections(), st.randoms(use_true_random=False))
def test_condorcet_is_a_distribution_and_ignores_labels(election, rng):
    utilities, influence, exponent = election
    result = condorcet_probabilities(utilities, influence, exponent=exponent)
    assert all(0.0 <= p <= 1.0 for p in result.values())
    assert math.fsum(result.values()) == pytest.approx(1.0)
    options = list(result)
    relabel = dict(zip(options, rng.sample(options, len(options)), strict=True))
    renamed = {a: {relabel[o]: u for o, u in us.items()} for a, us in utilities.items()}
    result_renamed = condorcet_probabilities(renamed, influence, exponent=exponent)
    for option in options:
        assert result_renamed[relabel[option]] == pytest.approx(result[option], abs=1e-9)


@st.composite
def condorcet_chains(draw):
    """The chains `condorcet_probabilities` builds, of the sizes `formation.pm_odds` asks for
    (a dozen people or more): option b takes over from a with chance beats[b][a] / (m - 1),
    and beats[a][b] + beats[b][a] = 1 for every pair (a sure win or loss included)."""
    m = draw(st.integers(3, 20))
    chance = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))
    beats = np.full((m, m), 0.5)
    for a in range(m):
        for b in range(a + 1, m):
            beats[a, b] = draw(chance)
            beats[b, a] = 1.0 - beats[a, b]
    transition = beats.T / (m - 1)
    transition[np.arange(m), np.arange(m)] = 0.0
    transition[np.arange(m), np.arange(m)] = 1.0 - transition.sum(axis=1)
    return transition


@settings(max_examples=300, deadline=None)
@given(condorcet_chains())
def test_the_stationary_distribution_is_the_least_squares_one(transition):
    # the square LU solve with the normalisation in place of one balance equation gives what a
    # least-squares solve of all of them (the method it replaced) gives, to the last few bits
    m = transition.shape[0]
    system = np.vstack([transition.T - np.eye(m), np.ones((1, m))])
    rhs = np.zeros(m + 1)
    rhs[-1] = 1.0
    reference = np.maximum(np.linalg.lstsq(system, rhs, rcond=None)[0], 0.0)
    reference = reference / reference.sum()
    pi = bargaining._stationary(transition)
    assert np.max(np.abs(pi - reference)) <= 1e-12
    assert pi.sum() == pytest.approx(1.0) and (pi >= 0.0).all()
    assert np.max(np.abs(pi @ transition - pi)) <= 1e-12


# --- passage of a proposal against the status quo -----------------------------------------


def test_passage_probability_by_hand():
    # Gains: x (influence 3) gains 1.0 from the proposal, y (influence 1) loses 1.0: 3 / 4.
    actors = {"x": S(100, 1.0, 3), "y": S(0, 1.0, 1)}
    assert passage_probability(actors, proposal=100, status_quo=0) == pytest.approx(0.75)
    assert passage_probability(actors, 100, 0, exponent=2) == pytest.approx(0.9)
    # Salience scales influence: y caring half as much halves its weight: 3 / 3.5.
    half_hearted = {"x": S(100, 1.0, 3), "y": S(0, 0.5, 1)}
    assert passage_probability(half_hearted, 100, 0) == pytest.approx(6 / 7)


def test_passage_edge_cases():
    actors = {"x": S(70, 1.0, 3), "y": S(80, 0.4, 1)}
    assert passage_probability(actors, 75, 10) == 1.0  # everyone gains
    assert passage_probability(actors, 10, 75) == 0.0
    assert passage_probability(actors, 40, 40) == 0.5  # nothing to choose between
    with pytest.raises(BargainingError):
        passage_probability(actors, 140, 40)


@settings(max_examples=100, deadline=None)
@given(actor_sets, st.integers(0, 100), st.integers(0, 100), st.floats(0.5, 4))
def test_passage_is_a_probability_and_swapping_sides_complements_it(actors, a, b, exponent):
    p = passage_probability(actors, a, b, exponent=exponent)
    assert 0.0 <= p <= 1.0
    assert passage_probability(actors, b, a, exponent=exponent) == pytest.approx(1 - p)


@settings(max_examples=60, deadline=None)
@given(actor_sets, st.integers(0, 100), st.integers(0, 100), st.sampled_from("abcdefgh"))
def test_a_stronger_supporter_never_lowers_passage(actors, proposal, status_quo, name):
    if name not in actors:
        return
    stance = actors[name]
    stronger = actors | {name: S(stance.position, stance.salience, stance.capability * 2)}
    before = passage_probability(actors, proposal, status_quo)
    after = passage_probability(stronger, proposal, status_quo)
    if utility(stance.position, proposal) > utility(stance.position, status_quo):
        assert after >= before - 1e-12
    elif utility(stance.position, proposal) < utility(stance.position, status_quo):
        assert after <= before + 1e-12


def test_decision_probabilities_over_several_positions():
    # A centrist majority: the option at its position is the likeliest choice.
    actors = {"left": S(10, 1, 2), "centre": S(50, 1, 5), "right": S(90, 1, 2)}
    result = decision_probabilities(actors, {"L": 10.0, "C": 50.0, "R": 90.0})
    assert math.fsum(result.values()) == pytest.approx(1.0)
    assert result["C"] > result["L"] and result["C"] > result["R"]
    assert result["L"] == pytest.approx(result["R"])


# --- acceptability across a group that must agree -----------------------------------------


@pytest.mark.parametrize(("approvals", "expected"), [
    ({"a": 0.5, "b": 0.8}, math.sqrt(0.4)),            # (0.5 * 0.8) ** (1/2) = 0.6325
    ({"a": 0.9, "b": 0.9, "c": 0.2}, 0.162 ** (1 / 3)),  # one cool member: 0.5451
    ({"a": 0.6, "b": 0.6, "c": 0.6}, 0.6),            # all tolerate: the common approval
    ({"a": 0.3}, 0.3),                                 # a group of one is its member
    ({"a": 1.0, "b": 0.0}, 0.0),                       # an outright rejection sinks it
    ({}, 1.0),                                         # nobody to object
])
def test_acceptability_is_the_geometric_mean_of_approvals(approvals, expected):
    assert acceptability(approvals) == pytest.approx(expected, abs=1e-12)


def test_acceptability_prefers_the_name_most_members_like_to_one_all_merely_tolerate():
    # the same mean approval (0.6): lopsided support is worth less than even support, and
    # the minimum would not tell 0.6/0.6 from 0.6/0.9
    assert acceptability({"a": 0.3, "b": 0.9}) < acceptability({"a": 0.6, "b": 0.6})
    assert acceptability({"a": 0.6, "b": 0.9}) > acceptability({"a": 0.6, "b": 0.6})


@given(st.dictionaries(st.sampled_from("abcdef"), st.floats(0.0, 1.0), min_size=1))
def test_acceptability_lies_between_the_least_and_the_most_approving(approvals):
    value = acceptability(approvals)
    assert min(approvals.values()) - 1e-12 <= value <= max(approvals.values()) + 1e-12


@pytest.mark.parametrize("bad", [-0.1, 1.5, math.nan, math.inf])
def test_acceptability_rejects_approvals_outside_zero_one(bad):
    with pytest.raises(BargainingError):
        acceptability({"a": 0.5, "b": bad})
