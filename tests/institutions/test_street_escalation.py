"""The street's escalation path (`sim.institutions.street`), on a fake context and the tiny
world (tests/institutions/fakes.py): a protest wave lasts a draw between the record's shortest
and longest occupation; while it blocks parliament against a rival camp's nominee the leader
may make a dramatic move (his followers storm the seat of government); with both sides armed a
clash may follow, its dead drawn from the world's clash sizes; a restrained leader then orders
his followers home within a day.  The numbers below are set by each test so that the expected
path follows by hand (a chance of 0 or about 1); no engine, no policies, no whole runs."""

from __future__ import annotations

from typing import Any

from sim.institutions import street
from sim.schema.world import Cited, World
from tests.institutions.fakes import FakeContext, tiny_world

# clash sizes as the shipped world declares them; durations and rates set per test
STREET = {"clash.battle_deaths": 30.0, "clash.battle_probability": 0.04,
          "clash.dispersion": 0.3, "clash.support_cost_per_death": 0.005,
          "clash.max_support_cost": 0.25, "clash.hardening_per_death": 0.02,
          "clash.max_hardening": 1.0, "clash.reference_brigades": 3.0,
          "protest.min_days": 5.0, "protest.max_days": 5.0, "protest.loyalty": 0.5,
          "protest.spontaneity": 0.1, "protest.stall_threshold": 0.5,
          "protest.support_gain": 0.02,
          "escalation.per_month": 0.0, "escalation.clash_intensity": 100.0,
          "escalation.stand_down_days": 1.0, "grievance.rival_nominee": 0.3}


def world(**values: float) -> World:
    w = tiny_world()
    for name, v in {**STREET, **values}.items():
        w.behaviour[name] = Cited[float](value=v, assumption="test")
    return w


def fake(restraint: float = 0.5, aversion: float = 0.5, armed: bool = True,
         **values: float) -> FakeContext:
    """The Sadrists able to fill the streets; with `armed`, they and Badr hold brigades and are
    open enemies (-1), so Badr is the foe a clash is fought with."""
    m = FakeContext(world(**values), influence_values={"sol": 0.3, "badr": 0.2},
                    policies={"sadrists": {"restraint": restraint},
                              "badr": {"dispute_aversion": aversion}})
    m.state.mobilisation["sadrists"] = 1.0
    if armed:
        m.state.brigades.update({"sadrists": 3, "badr": 3})
    m.relate("sadrists", "badr", -1.0)
    return m


def nominate(m: FakeContext) -> int:
    """The Framework names Person A (State of Law, which the Sadrists are hostile to: -0.6)."""
    m.state.formation_open = True
    return m.emit("pm_nominated", "sol", {}, None, "The Framework nominates Person A.",
                  details={"person": "pa", "party": "sol", "bloc": "cf"}).id


def protest(m: FakeContext, until: float = 60.0) -> Any:
    street.mobilise(m, "sadrists", 1.0, None)
    m.env.run(until=until)
    return m.of("protest_started")[0]


def test_a_wave_lasts_its_drawn_days_and_stalls_parliament_meanwhile() -> None:
    m = fake(armed=False, **{"protest.min_days": 0.25, "protest.max_days": 31.0})
    street.mobilise(m, "sadrists", 1.0, None)
    assert m.state.stalled  # at full call strength the wave is past the stall threshold
    m.env.run(until=60.0)
    start, end = m.of("protest_started")[0], m.of("protest_ended")[0]
    assert 0.25 <= end.t - start.t <= 31.0 and end.cause == start.id
    assert not m.state.stalled and m.state.protest is None


def test_no_dramatic_move_without_a_rival_nominee() -> None:
    m = fake(**{"escalation.per_month": 100.0})  # a move every few hours, if there were cause
    protest(m)
    assert m.of("escalation") == []
    assert m.of("protest_ended")[0].t == 5.0  # the wave runs its 5 days


def test_no_dramatic_move_while_nothing_blocks_parliament() -> None:
    m = fake(**{"escalation.per_month": 100.0})
    nominate(m)
    m.state.mobilisation["sadrists"] = 0.3  # a wave of at most 0.3: parliament sits
    protest(m)
    assert not m.of("protest_started")[0].changes["stalled"] and m.of("escalation") == []


def test_a_sit_in_against_a_rival_nominee_escalates_into_a_clash_and_a_stand_down() -> None:
    # restraint 1 and Badr's aversion 0: the two sides' mean restraint is 0.5; at the move's
    # intensity 100 a clash is all but certain (1 - exp(-100 * 1 * 0.5 * 0.5)); a leader of
    # restraint 1 always stands down, within escalation.stand_down_days (1)
    m = fake(restraint=1.0, aversion=0.0, **{"escalation.per_month": 100.0})
    nominated = nominate(m)
    started = protest(m)
    (move,) = m.of("escalation")
    assert move.cause == started.id and move.details["nominee"] == "pa"
    assert started.t < move.t < started.t + 5.0
    fight = next(e for e in m.of("clash") if e.cause == move.id)
    assert fight.t == move.t and fight.details["actors"] == ["sadrists", "badr"]
    (end,) = m.of("protest_ended")
    assert end.cause == fight.id and end.details == {"stand_down": True}
    assert fight.t <= end.t <= fight.t + 1.0 and end.t < started.t + 5.0
    assert not m.state.stalled and nominated < started.id


def test_an_unrestrained_leader_does_not_stand_down() -> None:
    # restraint 0 and Badr's aversion 1: the same certain clash, but no order to go home; the
    # sit-in runs its drawn 5 days
    m = fake(restraint=0.0, aversion=1.0, **{"escalation.per_month": 100.0})
    nominate(m)
    protest(m)
    move = m.of("escalation")[0]
    assert any(e.cause == move.id for e in m.of("clash"))
    (end,) = m.of("protest_ended")
    assert end.t == 5.0 and "stand_down" not in end.details


def test_an_unarmed_movement_storms_but_does_not_fight() -> None:
    m = fake(armed=False, **{"escalation.per_month": 100.0})
    nominate(m)
    protest(m)
    assert len(m.of("escalation")) == 1 and m.of("clash") == []
    assert m.of("protest_ended")[0].t == 5.0


def test_a_clash_kills_as_many_as_the_worlds_clash_sizes_draw() -> None:
    # 200 escalated clashes: most are skirmishes (k = 0.3: about 40% kill no one) and about
    # 4% reach the 30 of August 2022 (clash.battle_probability)
    dead = []
    for seed in range(200):
        m = fake(restraint=1.0, aversion=0.0, **{"escalation.per_month": 100.0})
        m.seed = seed
        nominate(m)
        protest(m)
        dead += [e.details["casualties"] for e in m.of("clash")
                 if e.cause in {x.id for x in m.of("escalation")}]
    assert len(dead) == 200
    assert 0.25 < sum(d == 0 for d in dead) / 200 < 0.55
    assert 0 < sum(d >= 30 for d in dead) <= 20


def test_a_leader_makes_his_dramatic_move_once_against_a_nomination() -> None:
    # two waves against the same nominee, each long enough for a move: only the first has one;
    # once the Framework names someone else, a new move is possible
    m = fake(armed=False, **{"escalation.per_month": 100.0})
    nominate(m)
    protest(m, until=10.0)
    street.mobilise(m, "sadrists", 1.0, None)
    m.env.run(until=20.0)
    assert len(m.of("protest_started")) == 2 and len(m.of("escalation")) == 1
    m.emit("pm_nominated", "badr", {}, None, "The Framework nominates Person B.",
           details={"person": "pb", "party": "badr", "bloc": "cf"})
    m.relate("sadrists", "badr", -1.0)
    street.mobilise(m, "sadrists", 1.0, None)
    m.env.run(until=30.0)
    assert [e.details["nominee"] for e in m.of("escalation")] == ["pa", "pb"]


def test_a_wave_s_clash_hazard_is_per_month_of_protest() -> None:
    # no move; open enemies (hostility 1), no restraint on either side, 3 brigades each (the
    # armed mass saturates at 3 / (3 + 3) = 0.5): a wave of size ~1 lasting d days clashes with
    # 1 - exp(-(d / 30) * 0.5): about 0.2% for a 6-hour storming, 99.8% for a 365-day siege
    short = long_ = 0
    for seed in range(40):
        for days, count in ((0.25, "short"), (365.0, "long")):
            m = fake(restraint=0.0, aversion=0.0,
                     **{"protest.min_days": days, "protest.max_days": days})
            m.seed = seed
            protest(m, until=400.0)
            if m.of("clash"):
                if count == "short":
                    short += 1
                else:
                    long_ += 1
    assert short <= 2 and long_ >= 38


def withdrawn(m: FakeContext) -> None:
    """The Sadrists after their deputies resigned (9 won, 0 now), resting 20 days between
    waves, out of parliament and not returning on their own."""
    m.policies["sadrists"].update({"rest_days": 20.0, "mobilise_threshold": 0.4,
                                   "return_hazard": 0.0})
    m.state.elections = [{"day": 0.0, "seats": {"sadrists": 9}}]
    m.state.seats["sadrists"] = 0
    m.state.boycotting.add("sadrists")


def test_a_withdrawn_movement_calls_the_next_wave_once_rested_while_a_rival_nominee_stands(
) -> None:
    # the Sadrists' deputies resigned (9 won, 0 now); a rival nominee stands; their turn comes
    # only every 100 days (cadence: the first wave comes at a turn, 60-140 days in), but while
    # the nominee stands they wake when rested (rest_days 20): the next waves start 20 to 40
    # days apart, not a turn apart
    from sim.policies import POLICIES

    m = fake(armed=False, **{"policy.wake_jitter": 0.4, "sadr.call_boost": 0.2,
                             "sadr.outreach_hazard": 0.0})
    withdrawn(m)
    nominate(m)
    m.run(POLICIES["sadr"](m, "sadrists", 100.0), until=250.0)
    starts = [e.t for e in m.of("protest_started")]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(starts) >= 3 and all(20.0 <= g <= 40.0 for g in gaps), starts


def test_after_a_stand_down_the_movement_leaves_the_nominee_alone() -> None:
    # the rested-wake movement of the test above, armed and with a certain clash and stand-down
    # at the first wave's move: no wave follows against the same nominee
    from sim.policies import POLICIES

    m = fake(restraint=1.0, aversion=0.0,
             **{"policy.wake_jitter": 0.4, "sadr.call_boost": 0.2, "sadr.outreach_hazard": 0.0,
                "escalation.per_month": 100.0})
    withdrawn(m)
    nominated = nominate(m)
    m.run(POLICIES["sadr"](m, "sadrists", 100.0), until=400.0)
    assert len(m.of("protest_started")) == 1
    (end,) = m.of("protest_ended")
    assert end.details == {"stand_down": True}
    assert street.stood_down(m, "sadrists", nominated)
    assert not street.stood_down(m, "sadrists", end.id)  # nothing since the stand-down
