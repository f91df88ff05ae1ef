"""How a blocked bloc turns to a figure all its parts can accept (formation.tie, approval and
pm_odds), on the fake context and a tiny world with hand-made candidates.

The tiny world's actors declare no issues, so every closeness is NO_COMMON_ISSUE_FIT (0.5); the
weights of issues, ties and standing are all 1 and there is no strong-PM aversion.  The
Framework's two parties get 4 seats each, so each holds half the bloc's voting power
(Shapley-Shubik, quota 5) and neither has a declared capability: every expected value below is
worked out by hand from these numbers.
"""

from __future__ import annotations

import importlib
import math

import pytest

from sim.institutions.behaviour import NO_COMMON_ISSUE_FIT
from tests.institutions.fakes import FakeContext, cite, tiny_world

fm = importlib.import_module("sim.institutions.formation")
CF = ["sol", "badr"]
STEP = 0.3  # compromise_step in these tests

PEOPLE = {
    # State of Law's own figure
    "pa": {"name": "Person A", "party": cite("sol"), "standing": cite(0.6)},
    # no party; warm to State of Law, cooler to Badr
    "pt": {"name": "Person T", "party": cite(None), "standing": cite(0.4),
           "ties": {"sol": cite(0.6), "badr": cite(0.2)}},
    # no party; State of Law's man, whom Badr dislikes
    "pu": {"name": "Person U", "party": cite(None), "standing": cite(0.4),
           "ties": {"sol": cite(1.0), "badr": cite(-0.6)}},
    # Badr's figure, with his own quarrel with State of Law
    "pb": {"name": "Person B", "party": cite("badr"), "standing": cite(0.5),
           "ties": {"sol": cite(-0.4)}},
}


def fake() -> FakeContext:
    m = FakeContext(tiny_world(formation={"compromise_step": cite(STEP)}, candidates=PEOPLE))
    m.state.seats["sol"] = 4
    m.state.seats["badr"] = 4
    return m


def by_hand_approval(tie: float) -> float:
    """(issues 1 x closeness + ties 1 x (tie + 1) / 2) / (1 + 1)"""
    return (NO_COMMON_ISSUE_FIT + (tie + 1) / 2) / 2


def test_a_persons_own_tie_stands_before_their_partys() -> None:
    m = fake()
    pb = m.world.candidates["pb"]
    assert fm.tie(m, "sol", pb) == -0.4                 # his own quarrel, not Badr's 0.5
    assert fm.tie(m, "badr", pb) == 1.0                 # his own party
    assert fm.tie(m, "kdp", pb) == -0.1                 # no tie given: the KDP and Badr
    assert fm.tie(m, "kdp", m.world.candidates["pt"]) == 0.0  # an independent: neutral


def test_approval_weighs_closeness_and_ties_not_standing() -> None:
    m = fake()
    pt = m.world.candidates["pt"]
    assert fm.approval(m, "sol", pt) == pytest.approx(0.65)   # (0.5 + 0.8) / 2
    assert fm.approval(m, "badr", pt) == pytest.approx(0.55)  # (0.5 + 0.6) / 2
    assert fm.approval(m, "badr", m.world.candidates["pu"]) == pytest.approx(0.35)
    assert by_hand_approval(0.6) == pytest.approx(0.65)


def test_before_any_failure_only_the_members_own_rankings_count() -> None:
    # pt against pu, no failed round: State of Law prefers pu by its ties (1.0 vs 0.8: 0.2),
    # Badr prefers pt (0.6 vs 0.2: 0.4); equal power: pt wins 0.4 / (0.4 + 0.2)
    odds = fm.pm_odds(fake(), CF, ["pt", "pu"], failures=0)
    assert odds["pt"] == pytest.approx(2 / 3, abs=1e-6)


def test_a_failed_round_pulls_towards_the_more_acceptable_figure() -> None:
    # acceptability: pt sqrt(0.65 x 0.55) = 0.5979, pu sqrt(0.75 x 0.35) = 0.5123; each
    # member's utility gains STEP x 1 x that.  State of Law's lead for pu shrinks to
    # 0.2 - STEP (0.5979 - 0.5123), Badr's for pt grows to 0.4 + the same
    acc_t = math.sqrt(by_hand_approval(0.6) * by_hand_approval(0.2))
    acc_u = math.sqrt(by_hand_approval(1.0) * by_hand_approval(-0.6))
    gap = STEP * (acc_t - acc_u)
    expected = (0.4 + gap) / ((0.4 + gap) + (0.2 - gap))
    odds = fm.pm_odds(fake(), CF, ["pt", "pu"], failures=1)
    assert odds["pt"] == pytest.approx(expected, abs=1e-6)
    assert odds["pt"] > 2 / 3


def test_a_partys_own_figure_gains_nothing_from_the_bloc_failing() -> None:
    # pa (State of Law's) against pt.  State of Law: pa 0.5 + 1 + 0.6 = 2.1, pt 0.5 + 0.8 + 0.4
    # + pull = 1.7 + pull; Badr: pa 0.5 + 0.75 + 0.6 = 1.85, pt 0.5 + 0.6 + 0.4 + pull.
    # pull = STEP x failures x 0.5979: none before a failure, both prefer pa
    m = fake()
    assert fm.pm_odds(m, CF, ["pa", "pt"], failures=0)["pa"] == pytest.approx(1.0)
    # after two failures (pull 0.3587) State of Law still prefers pa by 0.4 - pull, Badr now
    # prefers pt by pull - 0.35: pa wins (0.4 - pull) / 0.05
    pull = STEP * 2 * math.sqrt(by_hand_approval(0.6) * by_hand_approval(0.2))
    odds = fm.pm_odds(m, CF, ["pa", "pt"], failures=2)
    assert odds["pa"] == pytest.approx((0.4 - pull) / 0.05, abs=1e-6)
    # after three (pull 0.5381) both prefer pt: the bloc turns to the figure it can accept
    assert fm.pm_odds(m, CF, ["pa", "pt"], failures=3)["pt"] == pytest.approx(1.0)


def test_a_seatless_partys_figure_counts_as_outside_the_leaderships() -> None:
    # a person of a member party with no seats (Sudani in 2022) is pulled like an independent:
    # his utility gains STEP x failures x his acceptability
    people = {**PEOPLE, "ps": {"name": "Person S", "party": cite("badr"),
                               "standing": cite(0.4), "ties": {"sol": cite(0.6)}}}
    m = FakeContext(tiny_world(formation={"compromise_step": cite(STEP)}, candidates=people))
    m.state.seats["sol"] = 4
    m.state.seats["badr"] = 0  # Badr has no seats: State of Law alone decides
    odds_before = fm.pm_odds(m, CF, ["pa", "ps"], failures=0)
    odds_after = fm.pm_odds(m, CF, ["pa", "ps"], failures=3)
    # State of Law: pa 2.1; ps 0.5 + 0.8 + 0.4 = 1.7, + 3 x STEP x approval 0.65 = 2.285
    assert odds_before["pa"] == pytest.approx(1.0)
    assert odds_after["ps"] == pytest.approx(1.0)


def test_ties_are_checked_against_the_actors_and_the_scale() -> None:
    with pytest.raises(ValueError, match="between -1"):
        tiny_world(candidates={**PEOPLE, "px": {"name": "X", "party": cite(None),
                                                "standing": cite(0.1),
                                                "ties": {"sol": cite(1.5)}}})
    world = tiny_world(candidates={**PEOPLE, "px": {"name": "X", "party": cite(None),
                                                    "standing": cite(0.1),
                                                    "ties": {"nobody": cite(0.5)}}})
    assert (("candidates", "px", "ties", "nobody"), "unknown actor 'nobody'") \
        in world.reference_problems()


def test_a_nominations_acceptability_is_read_across_the_seated_parties() -> None:
    m = fake()
    # pt: sqrt(0.65 x 0.55); pa is State of Law's own (a seated party): no compromise figure
    assert fm.compromise_acceptability(m, CF, "pt") == pytest.approx(
        math.sqrt(by_hand_approval(0.6) * by_hand_approval(0.2)))
    assert fm.compromise_acceptability(m, CF, "pa") is None
    m.state.seats["badr"] = 0  # only State of Law is seated: its approval alone
    assert fm.compromise_acceptability(m, CF, "pt") == pytest.approx(by_hand_approval(0.6))
