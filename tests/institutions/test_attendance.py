"""Who turns up to vote and how the house splits over the presidency, on the fake context and
the tiny world (tests/institutions/fakes.py: 30 seats; SoL 8, Badr 4, Sadrists 9, KDP 3, PUK 2,
Taqaddum 2, independents 2).  Every expected value is worked out by hand in the comments."""

from __future__ import annotations

import importlib

import numpy as np

from tests.institutions.fakes import FakeContext, cite, tiny_world

fm = importlib.import_module("sim.institutions.formation")


class Fixed:
    """A stand-in generator whose binomial draw is the rounded mean: hand-computable turnouts."""

    def binomial(self, n: int, p: float) -> int:
        return int(n * p + 0.5)


def test_without_a_declared_attendance_everyone_outside_a_boycott_comes() -> None:
    m = FakeContext(tiny_world())
    here = fm.attending(m, {"sadrists"}, {"independents": 1}, np.random.default_rng(0))
    # the Sadrists' 9 boycott; one of the 2 independents sides with them; the rest all present
    assert here == {"sol": 8, "badr": 4, "kdp": 3, "puk": 2, "taqaddum": 2, "independents": 1}


def test_each_deputy_attends_with_the_worlds_chance() -> None:
    m = FakeContext(tiny_world(formation={"attendance": cite(0.5)}))
    here = fm.attending(m, set(), {}, Fixed())  # type: ignore[arg-type]
    # half of each party, rounded half up: 8->4, 4->2, 9->5 (4.5), 3->2 (1.5), 2->1 each
    assert here == {"sol": 4, "badr": 2, "sadrists": 5, "kdp": 2, "puk": 1, "taqaddum": 1,
                    "independents": 1}
    # drawn: never more than the seats, and the mean near half the house over many sessions
    draws = [sum(fm.attending(m, set(), {}, np.random.default_rng(i)).values())
             for i in range(400)]
    assert max(draws) <= 30 and 14.0 < float(np.mean(draws)) < 16.0


def test_a_trial_of_strength_against_a_boycott_brings_the_other_side_in_full() -> None:
    m = FakeContext(tiny_world(formation={"attendance": cite(0.5)}))
    draws: object = Fixed()
    here = fm.attending(m, {"sadrists", "taqaddum"}, {"independents": 2}, draws,  # type: ignore[arg-type]
                        whipped=True)
    # 26 Mar 2022: those who came to elect a president came all: 8 + 4 + 3 + 2; both
    # independents side with the boycott (2 - 2 = 0 present)
    assert here == {"sol": 8, "badr": 4, "kdp": 3, "puk": 2, "independents": 0}


def relationship(table: dict[tuple[str, str], float]):  # type: ignore[no-untyped-def]
    return lambda a, b: 1.0 if a == b else table.get((a, b), table.get((b, a), 0.0))


def test_the_ballot_follows_each_partys_alignment_with_the_kurdish_parties() -> None:
    rel = relationship({("sol", "kdp"): 0.3, ("sol", "puk"): 0.1, ("badr", "puk"): 0.4,
                        ("sadrists", "puk"): -0.7, ("sadrists", "kdp"): -0.6})
    here = {"sol": 8, "badr": 4, "sadrists": 9, "kdp": 3, "puk": 2}
    votes, blank = fm.president_ballot(here, ["puk", "kdp"], rel, -0.5,
                                       np.random.default_rng(0))
    # KDP: SoL 8 (0.3 > 0.1) + itself 3 = 11; PUK: Badr 4 + itself 2 = 6;
    # the Sadrists are hostile (at or below -0.5) to both: 9 blank
    assert votes == {"puk": 6, "kdp": 11} and blank == 9
    # one candidate: everyone not hostile to him votes for him
    votes, blank = fm.president_ballot(here, ["puk"], rel, -0.5, np.random.default_rng(0))
    assert votes == {"puk": 17} and blank == 9


def test_a_party_indifferent_between_the_two_splits_its_deputies() -> None:
    here = {"taqaddum": 200}
    splits = []
    for seed in range(50):
        votes, blank = fm.president_ballot(here, ["puk", "kdp"], relationship({}), -0.5,
                                           np.random.default_rng(seed))
        assert votes["puk"] + votes["kdp"] == 200 and blank == 0
        splits.append(votes["puk"])
    assert 90 < float(np.mean(splits)) < 110 and len(set(splits)) > 5  # binomial halves


def test_two_thirds_in_the_first_round_else_a_run_off_of_the_top_two() -> None:
    # 2022's figures: 157 and 99 of 329 (two thirds: 220): a run-off, Rashid's side wins
    assert fm.president_rounds({"puk": 157, "kdp": 99}, 220) == ("puk", 2, {"puk": 157,
                                                                            "kdp": 99})
    assert fm.president_rounds({"puk": 99, "kdp": 157}, 220) == ("kdp", 2, {"kdp": 157,
                                                                            "puk": 99})
    # 2014's second round: 211 of 269; an uncontested 230 wins outright
    assert fm.president_rounds({"puk": 230}, 220) == ("puk", 1, {"puk": 230})
    assert fm.president_rounds({"puk": 211}, 220)[1] == 2
    # a tie goes to the post's holder (listed first)
    assert fm.president_rounds({"puk": 100, "kdp": 100}, 220)[0] == "puk"
    assert fm.president_rounds({}, 220) == (None, 1, {})


def test_first_round_ballots_scatter_to_minor_candidates() -> None:
    assert fm.first_round({"puk": 160, "kdp": 100}, 0.0, np.random.default_rng(0)) == (
        {"puk": 160, "kdp": 100}, 0)
    # scatter 0.25 with rounded draws: 160 -> 120, 100 -> 75 (40 + 25 = 65 elsewhere)
    draws: object = Fixed()
    assert fm.first_round({"puk": 160, "kdp": 100}, 0.25, draws) == (  # type: ignore[arg-type]
        {"puk": 120, "kdp": 75}, 65)


def test_the_minor_candidates_voters_come_back_in_the_run_off() -> None:
    # 2014: Masum 175 of 269 in the first round, short of 220; his backers (211 in the record)
    # carry the run-off against a minor candidate
    assert fm.president_rounds({"puk": 175}, 220, {"puk": 211}) == ("puk", 2, {"puk": 211})
    # the first round's order picks the two; the run-off counts each one's whole backing
    assert fm.president_rounds({"kdp": 114, "puk": 108}, 220, {"kdp": 136, "puk": 137}) == (
        "puk", 2, {"kdp": 136, "puk": 137})
    # two thirds in the first round despite the scatter: elected there, first-round votes
    assert fm.president_rounds({"puk": 221}, 220, {"puk": 262}) == ("puk", 1, {"puk": 221})
