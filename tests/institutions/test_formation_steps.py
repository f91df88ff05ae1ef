"""Formation's steps one at a time, on a fake context and the tiny world (tests/institutions/
fakes.py): who may be nominated, who stays away from the president's session, how the house
votes for a president, who joins a cabinet, the confidence vote, a member leaving government and
a bloc's deputies resigning.  Every expected value is worked out by hand in the comments from
the tiny world's 30 seats and relationships; no engine, no policies, no whole runs.
"""

from __future__ import annotations

import importlib
import math
from typing import Any

import numpy as np

from sim.schema.world import Cited
from tests.institutions.fakes import FakeContext, cite, stage, tiny_world

# the module (the package re-exports a function of the same name)
fm = importlib.import_module("sim.institutions.formation")
CF = ["sol", "badr"]  # the Framework: State of Law 8 + Badr 4 = 12 seats


def fake(**kwargs: Any) -> FakeContext:
    world = kwargs.pop("world", None) or tiny_world()
    return FakeContext(world, **kwargs)


def elect(m: FakeContext, **record: Any) -> int:
    """A test election that leaves the house as it is and opens formation; with `record`
    (governorates, runners_up), the election's record on day 0 carries it."""
    house = dict(m.state.seats)
    changes: dict[str, Any] = {"seats": house, "caretaker": True, "formation_open": True,
                               "president_elected": False, "nominee": None}
    if record:
        changes["election"] = {"day": 0.0, "date": "2025-01-01", "law": "2023_sl17",
                               "seats_before": house, "seats": house, "votes": {}, **record}
    return m.emit("election_held", None, changes, None, "A test election.").id


# --- nomination -----------------------------------------------------------------------------
def test_the_bloc_may_nominate_its_own_shia_candidates_and_unaligned_friends() -> None:
    m = fake()
    # pa (sol) and pb (badr) are members'; pi has no party (an outsider); pk is Kurdish; ps's
    # party, the Sadrists, is hostile to the bloc's head, State of Law (-0.6 <= -0.5)
    assert fm.eligible(m, CF, set()) == ["pa", "pb", "pi"]
    assert fm.eligible(m, CF, {"pa"}) == ["pb", "pi"]
    m.relate("sadrists", "sol", 0.0)  # no longer hostile: their unaligned candidate may stand
    assert fm.eligible(m, CF, set()) == ["pa", "pb", "pi", "ps"]
    m.state.boycotting.add("sadrists")  # a boycotting party's people are not considered
    assert fm.eligible(m, CF, set()) == ["pa", "pb", "pi"]


def test_the_largest_bloc_and_the_sadrists_friends() -> None:
    m = fake()
    # PUK (0.5) and Taqaddum (0.6) stand at least partner_above (0.5) from the Sadrists: they
    # make up the Sadrists' bloc; KDP (0.3) does not
    assert fm._blocs(m) == {"cf": ["sol", "badr"],
                            "sadrist_bloc": ["sadrists", "puk", "taqaddum"]}
    m.relate("sadrists", "puk", 0.4)
    assert fm._blocs(m)["sadrist_bloc"] == ["sadrists", "taqaddum"]
    assert fm._head(m, CF) == "sol"


def test_the_cross_camp_bloc_is_the_world_s_to_cast() -> None:
    """The Sadrists' bloc is a part the world gives (`roles.cross_camp_builder`): cast to
    another movement, that one gathers its friends; left uncast, only the declared blocs
    stand."""
    world = tiny_world()
    recast = world.model_copy(update={"roles": {**world.roles, "cross_camp_builder": "kdp",
                                                "cross_camp_bloc": "kdp_front"}})
    m = fake(world=recast)
    m.relate("kdp", "taqaddum", 0.7)
    blocs = fm._blocs(m)
    assert blocs["kdp_front"] == ["kdp", "taqaddum"] and "sadrist_bloc" not in blocs
    uncast = world.model_copy(update={"roles": {}})
    assert fm._blocs(fake(world=uncast)) == {"cf": ["sol", "badr"]}


# --- the president's session ------------------------------------------------------------------
def test_a_hostile_bloc_its_partners_and_the_groupings_stay_away() -> None:
    m = fake()
    sides: dict[str, int] = {}
    absent, strays = fm.absentees(m, "cf", CF, np.random.default_rng(0), sides)
    # the Sadrist bloc's head is hostile to State of Law (-0.6), so the bloc stays away whole
    # (Sadrists, PUK, Taqaddum); KDP (0.3 from the Sadrists) attends; both independents stay
    # away while the boycott is on (grouping_absence 1.0)
    assert absent == {"sadrists", "taqaddum", "puk"}
    assert strays == 2 and sides == {"independents": 2}
    # at 0.4 PUK is neither in the Sadrists' bloc nor a partner of a boycotter: it attends;
    # KDP, warm (0.5) to Taqaddum, a boycotter, and cool (0.2 < 0.5) to State of Law, follows
    m.relate("sadrists", "puk", 0.4)
    m.relate("kdp", "taqaddum", 0.5)
    absent, _ = fm.absentees(m, "cf", CF, np.random.default_rng(0), sides)
    assert absent == {"sadrists", "taqaddum", "kdp"}


def test_a_blocking_third_denies_the_quorum_session_after_session() -> None:
    m = fake()
    last = elect(m)
    m.run(fm._president(m, np.random.default_rng(0), last, "cf", CF, False), until=16)
    failed = m.of("president_vote_failed")
    # sessions at day 7 (president_deadline) and then every 4 days (session_retry): 7, 11, 15
    assert [e.t for e in failed] == [7.0, 11.0, 15.0]
    # present: 30 - (Sadrists 9 + Taqaddum 2 + PUK 2) - 2 independents = 15 < quorum 20
    assert all(e.details["present"] == 15 for e in failed)
    assert failed[0].details["absent"] == ["puk", "sadrists", "taqaddum"]
    assert failed[0].details["absent_individuals"] == 2
    assert not m.state.president_elected
    assert m.of("deputies_resigned") == []  # the Framework has no party that withdraws


def test_the_president_goes_to_a_runoff_when_no_candidate_has_two_thirds() -> None:
    m = fake()
    m.relate("sadrists", "sol", 0.0)  # nobody hostile: all 30 attend
    m.relate("kdp", "puk", -0.2)
    m.relate("taqaddum", "puk", 0.1)  # no party indifferent between the two (no split)
    m.relate("independents", "puk", 0.1)
    last = elect(m)
    m.run(fm._president(m, np.random.default_rng(0), last, "cf", CF, True))
    (e,) = m.of("president_elected")
    # each party votes for the Kurdish candidate it gets on with best:
    # KDP: State of Law (0.2 vs -0.3) 8, KDP itself 3 = 11;
    # PUK: Badr (0 vs -0.1) 4, Sadrists (0.5 vs 0.3) 9, PUK 2, Taqaddum 2, independents 2 = 19
    # 19 < 20 (two thirds of 30): a run-off between the two, each keeping his backers
    assert e.details["first_round"] == {"puk": 19, "kdp": 11}
    assert e.details["votes"] == {"puk": 19, "kdp": 11} and e.details["blank"] == 0
    assert e.details["round"] == 2 and e.actor == "puk" and e.t == 7.0
    assert "in a run-off, 19 to 11" in e.text
    assert e.changes == {"president_elected": True}


def test_an_uncontested_president_wins_in_the_first_round() -> None:
    m = fake()
    m.relate("sadrists", "sol", 0.0)
    last = elect(m)
    m.run(fm._president(m, np.random.default_rng(0), last, "cf", CF, False))
    (e,) = m.of("president_elected")
    assert e.details["votes"] == {"puk": 30} and e.details["round"] == 1


# --- coalition building -------------------------------------------------------------------------
def test_parties_join_the_cabinet_by_their_utility() -> None:
    m = fake(params={"consensus": 1.0})
    joined, backers, decisions = fm.build_cabinet(m, "pa", CF, np.random.default_rng(0))
    # utility = consensus 1.0 * portfolio_value 0.1 + 1.0 * affinity to the core (Badr 4 and
    # State of Law 8, seat-weighted), less 0.3 for a declared opposition; no noise:
    #   Badr: 0.1 + 0.5 = 0.6                       -> joins
    #   KDP: 0.1 + (8 * 0.2 + 4 * -0.1) / 12 = 0.2   -> joins
    #   PUK: 0.1 + (8 * -0.3) / 12 = -0.1             -> stays out
    #   Taqaddum: 0.1 + 0 - 0.3 = -0.2                -> stays out (declared opposition)
    # the Sadrists (-0.6 <= -0.5 to State of Law) are offered nothing; independents are a
    # grouping: they back the government but never join as a unit
    assert joined == ["badr", "kdp", "sol"]
    assert backers == ["independents"]
    assert decisions == {"badr": 0.6, "kdp": 0.2, "puk": -0.1, "taqaddum": -0.2}
    assert fm.build_coalition(m, "pa", CF, np.random.default_rng(0)) == joined
    # a party id stands for its best-standing person (State of Law: pa)
    assert fm.build_coalition(m, "sol", CF, np.random.default_rng(0)) == joined


def test_the_consensus_knob_scales_what_a_cabinet_share_is_worth() -> None:
    m = fake(params={"consensus": 0.0})
    # without a share's value KDP's 0.1 of affinity is all it has; PUK falls to -0.2
    assert fm.build_coalition(m, "pa", CF, np.random.default_rng(0)) == ["badr", "kdp", "sol"]
    assert math.isclose(fm.join_utility(m, "puk", "pa", ["badr", "sol"]), -0.2)


# --- the whole sequence, each stage's days fixed ------------------------------------------------
def test_formation_from_election_to_government_with_every_step_known() -> None:
    people = {"pa": {"name": "Person A", "party": cite("sol"), "standing": cite(0.6)}}
    m = fake(world=tiny_world(candidates=people), params={"consensus": 1.0,
                                                          "defection_rate": 0.0})
    for a, b in [("sadrists", "sol"), ("sadrists", "puk"), ("sadrists", "taqaddum")]:
        m.relate(a, b, 0.0)  # nobody hostile; no friend of the coalition outside it
    m.run(fm.formation(m, elect(m)))
    assert [(e.kind, e.t) for e in m.events[1:]] == [
        ("results_certified", 10.0),     # certification: 10 days
        ("parliament_convened", 15.0),   # first session: 5 more
        ("speaker_elected", 15.0),       # every deputy backs Taqaddum's speaker (support 1.0)
        ("pm_nominated", 20.0),          # the bloc's talks began on election night: 20 days
        ("president_elected", 27.0),     # 7 days to the president's session, quorum met
        ("pm_designated", 30.0),         # 3 days
        ("confidence_vote", 40.0),       # the cabinet presented after 10 days
        ("government_formed", 40.0),
    ]
    speaker = m.of("speaker_elected")[0]
    assert speaker.actor == "taqaddum" and speaker.details["votes"] == 30
    assert m.of("president_elected")[0].details == {"present": 30, "round": 1,
                                                    "votes": {"puk": 30}, "party": "puk",
                                                    "first_round": {"puk": 30}, "blank": 0}
    vote = m.of("confidence_vote")[0].details
    # joining: Badr 0.6, KDP 0.2, the Sadrists 0.1 + (4 * -0.2) / 12 = 0.0333 > 0; PUK -0.1 and
    # Taqaddum -0.2 stay out.  Yes: members 4 + 3 + 9 + 8 and the 2 independents (no defection);
    # PUK and Taqaddum, with no warmth to the coalition, vote no: 2 + 2
    assert vote["coalition"] == ["badr", "kdp", "sadrists", "sol"]
    assert (vote["yes"], vote["no"], vote["passed"]) == (26, 4, True)
    formed = m.of("government_formed")[0]
    assert formed.changes["pm"] == "sol" and formed.changes["pm_person"] == "pa"
    assert formed.changes["government"] == ["badr", "kdp", "sadrists", "sol"]
    assert set(formed.changes["ministries"].values()) <= {"badr", "kdp", "sadrists", "sol"}
    assert m.state.pm == "sol" and not m.state.caretaker and m.state.nominee is None


# --- leaving: a member quits, a bloc's deputies resign -----------------------------------------
def courted(**formation: Any) -> FakeContext:
    """The tiny world with `formation` stages set, both independents open to an offer and
    committing within a round almost surely (a half-life of one day against weekly rounds)."""
    w = tiny_world(formation=formation)
    behaviour = dict(w.behaviour)
    for name, v in {"available_share": 1.0, "half_life_days": 1.0}.items():
        behaviour[f"recruitment.{name}"] = Cited[float](value=v, assumption="test")
    return fake(world=w.model_copy(update={"behaviour": behaviour}))


def test_the_blocs_court_deputies_from_the_preliminary_results() -> None:
    m = courted(preliminary_results=stage(2))
    m.run(fm.formation(m, elect(m)), until=12.0)
    # the count is out on day 2, the ratification on day 10 (the certification's 10 days run
    # from the election, not from the preliminary results)
    assert [(e.kind, e.t) for e in m.events[1:2]] == [("results_announced", 2.0)]
    announced, certified = m.of("results_announced")[0], m.of("results_certified")[0]
    assert certified.t == 10.0 and certified.cause == announced.id
    # the first weekly round (day 9) comes before the ratification; the courting is the
    # announcement's consequence
    joined = m.of("deputies_joined")
    assert joined and joined[0].t == 9.0 < certified.t
    assert all(e.cause == announced.id for e in joined)
    assert sum(e.details["count"] for e in joined) == 2 and m.state.seats["independents"] == 0


def test_without_preliminary_results_the_courting_waits_for_the_ratification() -> None:
    m = courted()
    m.run(fm.formation(m, elect(m)), until=20.0)
    assert m.of("results_announced") == []
    certified = m.of("results_certified")[0]
    joined = m.of("deputies_joined")
    assert joined and joined[0].t == 17.0  # the first weekly round after day 10
    assert all(e.cause == certified.id for e in joined)


def test_preliminary_results_never_come_after_the_ratification() -> None:
    m = courted(preliminary_results=stage(15))  # longer than the 10 days to ratification
    m.run(fm.formation(m, elect(m)), until=11.0)
    assert [(e.kind, e.t) for e in m.events[1:3]] == [("results_announced", 10.0),
                                                      ("results_certified", 10.0)]


def test_a_stalemate_waits_its_days_then_a_broker_restarts_the_talks() -> None:
    m = fake(world=tiny_world(formation={"stalemate": stage(40)}))
    cause = elect(m)
    m.run(fm._stalemate(m, cause, cause, "cf", "pa", 1.0))  # the favourite: always held
    (broker,) = m.of("talks_brokered")
    assert broker.t == 40.0 and broker.cause == cause
    assert broker.details == {"bloc": "cf", "person": "pa", "days": 40.0, "support": 1.0}


def test_no_stalemate_over_a_name_nobody_backs_or_without_the_stage() -> None:
    m = fake(world=tiny_world(formation={"stalemate": stage(40)}))
    cause = elect(m)
    m.run(fm._stalemate(m, cause, cause, "cf", "pa", 0.0))  # no backing: dropped at once
    assert m.of("talks_brokered") == [] and m.env.now == 0.0
    m = fake()  # the tiny world declares no stalemate stage
    cause = elect(m)
    m.run(fm._stalemate(m, cause, cause, "cf", "pa", 1.0))
    assert m.of("talks_brokered") == [] and m.env.now == 0.0


def test_a_vetoed_favourite_holds_the_bloc_until_a_broker_and_the_next_name_is_ready() -> None:
    # Person A (State of Law, which holds all of the Framework's power: 8 of its 12 seats) is
    # the favourite; the Marjaiya objects to him for sure; Person B (Badr) is the other name
    people = {"pa": {"name": "Person A", "party": cite("sol"), "standing": cite(1.0),
                     "objections": {"marjaiya": cite(1.0)}},
              "pb": {"name": "Person B", "party": cite("badr"), "standing": cite(0.0)}}
    w = tiny_world(candidates=people, formation={
        "stalemate": stage(40), "veto_players": {"marjaiya": {"name": "the Marjaiya"}}})
    m = fake(world=w, params={"consensus": 1.0, "defection_rate": 0.0})
    for a, b in [("sadrists", "sol"), ("sadrists", "puk"), ("sadrists", "taqaddum")]:
        m.relate(a, b, 0.0)
    m.run(fm.formation(m, elect(m)))
    steps = [(e.kind, e.t) for e in m.events[1:] if e.kind != "speaker_elected"]
    assert steps[:5] == [
        ("results_certified", 10.0), ("parliament_convened", 15.0),
        ("pm_candidate_vetoed", 20.0),   # the bloc's first choice, after its 20 days of talks
        ("talks_brokered", 60.0),        # the bloc stands by him for the stalemate's 40 days
        ("pm_nominated", 60.0),          # the talks on Person B ran meanwhile (20 < 40 days)
    ]
    assert m.of("pm_candidate_vetoed")[0].details["person"] == "pa"
    assert m.of("pm_nominated")[0].details["person"] == "pb"
    assert m.of("talks_brokered")[0].details["support"] == 1.0
    assert m.of("government_formed")


def test_a_member_leaving_brings_the_government_down_below_the_majority() -> None:
    m = fake()
    m.state.caretaker = False
    fm.withdraw(m, "kdp", None)
    left, fell = m.events
    # KDP's Health ministry falls vacant; State of Law 8 + Badr 4 = 12 < 16: the government falls
    assert left.kind == "member_withdrew" and left.changes == {
        "government": ["sol", "badr"], "ministries": {"Health": None}}
    assert fell.kind == "government_collapsed" and fell.cause == left.id
    assert m.state.caretaker and m.state.formation_open


def test_the_prime_ministers_party_and_outsiders_cannot_withdraw() -> None:
    m = fake()
    fm.withdraw(m, "sol", None)
    fm.withdraw(m, "puk", None)
    assert m.events == []


def test_the_chance_of_a_withdrawal_grows_with_failed_sessions_past_patience() -> None:
    m = fake()
    # patience 100 days, hazard 0.01 per failed session and 30 days of deadlock past it
    assert fm.withdrawal_chance(m, 0, 400.0) == 0.0   # no failed session, no deadlock
    assert fm.withdrawal_chance(m, 3, 90.0) == 0.0    # still patient
    assert math.isclose(fm.withdrawal_chance(m, 3, 160.0), 1 - math.exp(-0.01 * 3 * 2))


def test_resigning_deputies_seats_pass_to_the_runners_up_where_they_won_them() -> None:
    m = withdrawing()
    last = elect(m)  # no record of the election: the world's vote shares stand in for it
    gone = fm.withdrawal(m, ["sadrists", "taqaddum"], 1, last)
    (e,) = m.of("deputies_resigned")
    assert gone == e.id and e.actor == "sadrists"  # Taqaddum cannot withdraw its deputies
    # chance 1 - exp(-10 * 1 * 100/30): 1 to 4 places.  The Sadrists' 9 seats go where their
    # vote lay: Baghdad 0.4 * 16 = 6.4, Basra 0.5 * 9 = 4.5 -> 5.28 and 3.72 -> 5 and 4
    # (largest remainder).  Baghdad's 5 by the others' shares there (SoL .3; Badr, Taqaddum,
    # independents .1 each: 2.5, 0.83 x 3) -> SoL 2, Badr 1, independents 1, Taqaddum 1;
    # Basra's 4 (SoL .2, Badr .2, independents .1: 1.6, 1.6, 0.8) -> independents 1, then
    # the tie Badr/SoL by name: SoL 1, Badr 2, independents 1.
    assert e.changes["seats"] == {"badr": 7, "independents": 4, "kdp": 3, "puk": 2,
                                  "sadrists": 0, "sol": 11, "taqaddum": 3}
    assert e.details["gains"] == {"badr": 3, "sol": 3, "independents": 2, "taqaddum": 1}
    assert e.details["seats_vacated"] == 9 and e.details["chance"] == 1.0
    assert m.state.boycotting == {"sadrists"} and sum(m.state.seats.values()) == 30


def test_no_withdrawal_before_the_bloc_has_waited_out_its_patience() -> None:
    m = fake(day=90)
    assert fm.withdrawal(m, ["sadrists"], 5, elect(m)) is None
    assert m.of("deputies_resigned") == [] and m.state.seats["sadrists"] == 9


def withdrawing() -> FakeContext:
    return fake(world=tiny_world(formation={"withdrawal": {
        "patience": cite(100.0), "hazard": cite(10.0), "runners_up": cite("test")}}), day=200)


def test_runners_up_come_from_the_election_that_produced_the_seats() -> None:
    m = withdrawing()
    last = elect(m, governorates={
        "baghdad": {"votes": {"sol": 300, "badr": 100, "sadrists": 400, "taqaddum": 100,
                              "independents": 100}, "seats": {"sadrists": 6, "sol": 5}},
        "basra": {"votes": {"sol": 200, "badr": 200, "sadrists": 500, "independents": 100},
                  "seats": {"sadrists": 3, "badr": 2}}})
    fm.withdrawal(m, ["sadrists"], 1, last)
    (e,) = m.of("deputies_resigned")
    # the Sadrists won 6 in Baghdad and 3 in Basra.  Baghdad's 6 by the others' votes there
    # (300, 100, 100, 100 of 600: exactly 3, 1, 1, 1); Basra's 3 (200, 200, 100 of 500: 1.2,
    # 1.2, 0.6 -> 1, 1 and the largest remainder to the independents)
    assert e.details["gains"] == {"sol": 4, "badr": 2, "independents": 2, "taqaddum": 1}
    assert e.changes["seats"]["sol"] == 12 and e.changes["seats"]["sadrists"] == 0


def test_declared_runners_up_are_taken_as_certified() -> None:
    m = withdrawing()
    last = elect(m, runners_up={"sadrists": {"sol": 5, "badr": 4}})
    fm.withdrawal(m, ["sadrists"], 1, last)
    (e,) = m.of("deputies_resigned")
    assert e.details["gains"] == {"sol": 5, "badr": 4}
    assert (e.changes["seats"]["sol"], e.changes["seats"]["badr"]) == (13, 8)


def test_a_designate_short_of_a_majority_steps_aside_at_the_deadline() -> None:
    people = {"pa": {"name": "Person A", "party": cite("sol"), "standing": cite(0.6)}}
    m = fake(world=tiny_world(candidates=people), params={"consensus": 1.0,
                                                          "defection_rate": 0.0})
    for (a, b), x in {("sadrists", "sol"): 0.0, ("sadrists", "puk"): 0.0,
                      ("sadrists", "taqaddum"): 0.0, ("sadrists", "badr"): -0.5,
                      ("kdp", "sol"): -0.6}.items():
        m.relate(a, b, x)
    m.run(fm.formation(m, elect(m)), until=61)
    # KDP (-0.6 to State of Law) stays away from the president's session with both
    # independents: 25 present, quorum met; PUK gets the votes of the 25 present (the two
    # independents who stayed away do not vote)
    assert m.of("president_elected")[0].details["votes"] == {"puk": 25}
    # only Badr joins (the Sadrists: 0.1 + (4 * -0.5) / 12 < 0; KDP is offered nothing):
    # 8 + 4 + 2 independents = 14 < 16 expected, so no vote is called; the designate uses
    # the whole 30 days (cabinet at day 40, deadline at 60) and steps aside
    withdrew = m.of("designate_withdrew")
    assert [e.t for e in withdrew] == [60.0]
    assert withdrew[0].details["joined"] == ["badr", "sol"]
    assert m.of("confidence_vote") == [] and m.state.nominee is None
    # with its only name spent, the bloc starts over
    assert m.kinds()[-1] == "nomination_reopened" and m.state.caretaker


def test_the_confidence_vote_waits_while_a_sit_in_keeps_parliament_from_sitting() -> None:
    # the same formation as above, but a sit-in holds the chamber from day 35 to day 47.5: the
    # cabinet is ready on day 40, the vote comes at the first session retry (every 4 days)
    # after the chamber is free: days 44 and 48 are tried, the vote is on day 48
    people = {"pa": {"name": "Person A", "party": cite("sol"), "standing": cite(0.6)}}
    m = fake(world=tiny_world(candidates=people), params={"consensus": 1.0,
                                                          "defection_rate": 0.0})
    for a, b in [("sadrists", "sol"), ("sadrists", "puk"), ("sadrists", "taqaddum")]:
        m.relate(a, b, 0.0)

    def sit_in() -> Any:
        yield m.env.timeout(35.0)
        m.emit("protest_started", "sadrists", {"protest": {"actor": "sadrists", "size": 1.0},
                                               "stalled": True}, None, "A sit-in.")
        yield m.env.timeout(12.5)
        m.emit("protest_ended", "sadrists", {"protest": None, "stalled": False}, None, "Over.")

    m.env.process(sit_in())
    m.run(fm.formation(m, elect(m)))
    assert [(e.kind, e.t) for e in m.events if e.kind in ("pm_designated", "confidence_vote")] \
        == [("pm_designated", 30.0), ("confidence_vote", 48.0)]
