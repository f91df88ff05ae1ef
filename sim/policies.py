"""Actors' behaviours: each a SimPy process that wakes, looks at the state, and acts.

A policy is a generator `(model, actor, cadence)`; its knobs are read live from
`state.policy[actor]` (declared in `seeds/world.yaml`, overridden by a scenario's `policies:` or
by a `set_policy` event), so a sweep can turn them.  Decisions are drawn from the actor's own
random stream.  Each decision's cause is the event that woke the actor (or the run's start),
which is what `sim explain` walks back through.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, cast

from sim import institutions as inst
from sim.catalogue import POLICY_KNOB_SPECS
from sim.institutions.behaviour import value
from sim.institutions.relations import shift_relationship
from sim.naming import post_name
from sim.queries import law_position, stance
from sim.state import pair

if TYPE_CHECKING:
    from sim.context import Context
    from sim.events import Event

Policy = Callable[["Context", str, float], Generator[Any, Any, None]]
MIN_WAKE_DAYS = 1.0  # a wake sooner than a day is no turn (the world's cadence floor)


# behaviour kind -> its process, filled by @behaviour (the kinds and their knobs are declared
# once in sim.catalogue.POLICY_KNOB_SPECS, which the world's validation reads)
POLICIES: dict[str, Policy] = {}


def behaviour(kind: str) -> Callable[[Policy], Policy]:
    """Register the decorated generator as the process of behaviour `kind`."""

    def register(fn: Policy) -> Policy:
        if kind in POLICIES:
            raise ValueError(f"behaviour {kind!r} registered twice")
        POLICIES[kind] = fn
        return fn

    return register


class Turns:
    """An actor's turns: each waits about `cadence` days (give or take `policy.wake_jitter`,
    drawn from the actor's own stream `rng`) or until a subscribed event wakes the actor, then
    gives the cause of acting now (the waking event, else 0: the run's start).  Every policy's
    loop starts with one (`cause = yield from turns(cadence)`) and draws from `turns.rng`.

    The stream and the jitter's bounds are looked up once per actor, not at each of the ~550
    wakes of a run, and a turn is the engine's own sleep, not a generator around it.
    `low + span * rng.random()` is numpy's `rng.uniform(low, high)` bit for bit (its
    `random_uniform` computes exactly that from one double), at a fifth of the cost."""

    __slots__ = ("m", "me", "rng", "low", "span")

    def __init__(self, m: Context, me: str):
        self.m, self.me, self.rng = m, me, m.rng(me)
        spread = value(m, "policy.wake_jitter")
        self.low = 1.0 - spread
        self.span = (1.0 + spread) - self.low

    def __call__(self, cadence: float) -> Generator[Any, Any, int]:
        days = cadence * (self.low + self.span * float(self.rng.random()))
        return cast("Generator[Any, Any, int]", self.m.sleep(self.me, days, 0))


def roles_of(m: Context, me: str) -> dict[str, Any]:
    """Who plays the parts `me`'s behaviour gives others in this world (`policy.roles`, declared
    in `sim.catalogue.POLICY_ROLES`): no behaviour names a party of one world."""
    spec = m.world.actors[me].policy
    return dict(spec.roles) if spec is not None else {}


@behaviour("khazali")
def khazali(m: Context, me: str, cadence: float) -> Generator[Any, Any, None]:
    """Build bridges quietly, take the posts on offer, avoid open disputes (the seed's advice)."""
    s = m.state
    m.subscribe(me, "boycott_ended", "protest_started", "member_withdrew", "government_formed",
                "alliance_formed")
    roles = roles_of(m, me)
    post = roles.get("coveted_post")
    asked_of: str | None = None
    awaiting: set[str] = set()  # ministries left to a later vote of parliament
    seen = 0  # events read so far for `awaiting`
    candidates = [a for a in sorted(m.world.actors)
                  if a != me and m.world.actors[a].kind not in ("bloc", "state")]
    keys = [pair(me, a) for a in candidates]  # where State keeps the weight of (me, a)
    unknown = [0.0] * len(keys)  # the weight of a pair never set
    turns = Turns(m, me)
    rng = turns.rng
    while True:
        cause = yield from turns(cadence)
        if rng.random() < m.policy(me, "bridge_building"):
            above, below = (value(m, "khazali.courtable_above"),
                            value(m, "khazali.courtable_below"))
            weights = list(map(s.relationships.get, keys, unknown))
            courtable = [w for w in weights if above < w < below]
            if courtable:  # the coolest courtable party (ties to the first id: sorted)
                target = candidates[weights.index(min(courtable))]
                shift_relationship(m, me, target, value(m, "khazali.bridge_step"), cause,
                                     "bridge_built", me,
                                     f"{m.name(me)} quietly courts {m.name(target)}.")
        if rng.random() < m.policy(me, "post_seeking"):
            seen = awaiting_vote(m.events, seen, awaiting)
            # Washington's line: a sanctioned armed party does not take a security ministry;
            # a ministry the confidence vote left to a later vote is parliament's to fill
            vacant = sorted(p for p, h in s.ministries.items() if h is None
                            and p not in awaiting
                            and not (m.world.ministries[p].security and me in s.sanctioned))
            if vacant and me in s.government and not s.caretaker:  # a caretaker appoints none
                inst.assign_post(m, vacant[0], me, cause)
            elif post is not None and s.posts.get(post) != me and me in s.government \
                    and asked_of != s.pm_person \
                    and rng.random() > m.policy(me, "dispute_aversion"):
                asked_of = s.pm_person  # once per prime minister (a person), as in Dec 2022
                _demand_post(m, me, post, roles.get("sanctioning_power"), cause)
        if s.protest is not None and s.protest["actor"] != me \
                and s.relationship(me, s.protest["actor"]) < value(m, "khazali.rival_below") \
                and rng.random() > m.policy(me, "dispute_aversion"):
            inst.mobilise(m, me, value(m, "khazali.counter_call"), cause)


def awaiting_vote(events: Sequence[Event], seen: int, awaiting: set[str]) -> int:
    """Bring `awaiting` up to date with `events[seen:]` and return how many events are read.

    `awaiting` holds the ministries the last confidence vote left open for a later vote
    (`government_formed` details `rejected`) that no `ministers_approved` has filled yet: they
    are vacant, but parliament fills them with the nominees of the parties the cabinet gave
    them to, so no party takes one on its own initiative (AAH took such ministries the day the
    cabinet was voted in, in ~80% of baseline runs, before this)."""
    for i in range(seen, len(events)):
        e = events[i]
        if e.kind == "government_formed":
            awaiting.clear()
            awaiting.update((e.details or {}).get("rejected") or ())
        elif e.kind == "ministers_approved":
            awaiting.difference_update(e.changes.get("ministries") or ())
    return len(events)


def _demand_post(m: Context, me: str, post: str, power: str | None, cause: int) -> None:
    """The December 2022 pattern: ask for the post (the intelligence service); the PM weighs
    the sanctions risk, and a PM without a party of his own follows the sanctioning `power`'s
    line."""
    s = m.state
    ev = m.emit("post_demanded", me, {}, cause,
                f"{m.name(me)} asks for {post_name(m.world, post)}.", details={"post": post})
    if me in s.sanctioned and s.pm_person is not None:  # any PM, with a party or none
        person = m.world.candidates[s.pm_person].name if s.pm_person in m.world.candidates \
            else m.name(s.pm)
        m.emit("post_refused", s.pm, {}, ev.id,
               f"{person} refuses: a sanctioned party in the service could bring US "
               f"sanctions on Iraq.", details={"post": post, "person": s.pm_person})
        other = s.pm or power  # an independent PM's refusal is the sanctioning power's line
        if other is None:
            return
        if m.rng(me).random() < m.policy(me, "dispute_aversion"):
            shift_relationship(m, me, other, -value(m, "khazali.withdrawal_cost"), ev.id,
                                 "demand_withdrawn", me,
                                 f"{m.name(me)} drops the demand to avoid a dispute.")
        else:
            shift_relationship(m, me, other, -value(m, "khazali.dispute_cost"), ev.id, "dispute",
                                 me,
                                 f"{m.name(me)} and {person} fall out over the post.")
    else:
        inst.assign_post(m, post, me, ev.id)


@behaviour("sadr")
def sadr(m: Context, me: str, cadence: float) -> Generator[Any, Any, None]:
    """Boycott until the moment seems right; once back, mobilise when aggrieved.  Deputies
    who resigned leave the street as the movement's lever: against a rival camp's nominee it
    mobilises even while out of parliament (July 2022), and once out it watches the formation:
    a nomination wakes it (the storming came two days after the Framework named Sudani).
    While a rival camp's nominee stands, the next wave comes as soon as the movement is rested
    (in 2022 the second storming came three days after the first), until the leader has
    ordered his followers home after a clash."""
    s = m.state
    m.subscribe(me, "law_changed", "government_formed", "election_held", "clash")
    rival = roles_of(m, me).get("rival_leader")
    last_protest = float("-inf")  # never
    watching = False  # subscribed to nominations, once its deputies have resigned
    wait = cadence
    turns = Turns(m, me)
    rng = turns.rng
    while True:
        cause = yield from turns(wait)
        wait = cadence
        withdrawn = inst.withdrawn(m, me)
        if withdrawn and not watching:
            m.subscribe(me, "pm_nominated", "pm_designated")
            watching = True
        against = inst.rival_nomination(m, me)
        # a leader who ordered his followers home after a clash sends them back against no
        # later wave of the same nomination (after 30 Aug 2022 the Sadrists let Sudani be)
        ceased = against is not None and inst.stood_down(m, me, against[1])
        if ceased:
            against = None
        if me in s.boycotting and not (withdrawn and against is not None):
            hazard = m.policy(me, "return_hazard")
            if rival is not None:
                hazard += max(0.0, s.relationship(me, rival)) * value(m, "sadr.outreach_hazard")
            if rng.random() < hazard:
                m.emit("boycott_ended", me, {"boycotting": {me: False}}, cause,
                       f"{m.name(me)} ends the boycott and returns to politics.")
            continue
        g = inst.grievance(m, me)
        rested = m.now - last_protest >= m.policy(me, "rest_days")
        if g > m.policy(me, "mobilise_threshold") and s.protest is None and rested \
                and not ceased and rng.random() < g:
            last_protest = m.now
            if against is not None and cause == 0:  # a timed wake: the nomination is why
                cause = against[1]
            ev = m.emit("mobilisation_called", me, {}, cause,
                        f"{m.name(me)} calls supporters out (grievance {g:.2f}).",
                        details={"grievance": round(g, 3)})
            inst.mobilise(m, me, min(1.0, g + value(m, "sadr.call_boost")), ev.id)
        if g > m.policy(me, "mobilise_threshold") and against is not None:
            # the next wave as soon as rested (and called), not a whole turn later
            resting = m.policy(me, "rest_days") - (m.now - last_protest)
            wait = min(cadence, max(resting, MIN_WAKE_DAYS))


@behaviour("maliki")
def maliki(m: Context, me: str, cadence: float) -> Generator[Any, Any, None]:
    """Hold the bloc together, push the election-law amendment, keep a line open to Sadr."""
    s = m.state
    m.subscribe(me, "alliance_formed", "boycott_ended")
    roles = roles_of(m, me)
    law, boycotter = roles.get("amendment"), roles.get("boycotter")
    bloc = _members(m, roles.get("bloc"))
    pushed = 0
    turns = Turns(m, me)
    rng = turns.rng
    while True:
        cause = yield from turns(cadence)
        if law is not None and s.law != law \
                and pushed < value(m, "maliki.max_pushes") \
                and not s.elections and rng.random() < m.policy(me, "law_push") \
                and inst.law_viable(m, me, law, law_position(m.world, law)):
            pushed += 1  # he only tables the draft when bargaining would not shelve it
            inst.propose_law(m, me, law, law_position(m.world, law), cause)
        push = m.policy(me, "law_push")
        if push > 0 and law is not None and _pm_axis(m, bloc) and s.law != law \
                and not s.elections and rng.random() < push:
            _whip_for_the_law(m, me, law, bloc, cause)
        if boycotter in s.boycotting and rng.random() < m.policy(me, "outreach_to_sadr"):
            shift_relationship(m, me, boycotter, value(m, "maliki.outreach_step"), cause,
                                 "outreach", me,
                                 f"{m.name(me)} sends messages to Sadr through intermediaries.")
        if rng.random() < m.policy(me, "bloc_discipline"):
            members = [a for a in bloc if a != me]
            weakest = min(members, key=lambda a: (s.relationship(me, a), a), default=None)
            if weakest is not None \
                    and s.relationship(me, weakest) < value(m, "maliki.discipline_below"):
                shift_relationship(m, me, weakest, value(m, "maliki.discipline_step"), cause,
                                     "bloc_managed", me,
                                     f"{m.name(me)} works to keep {m.name(weakest)} in line.")


def _members(m: Context, bloc: str | None) -> list[str]:
    """The members the world lists for `bloc` (none for an uncast role)."""
    spec = m.world.actors.get(bloc) if bloc is not None else None
    return list(spec.members) if spec is not None else []


def _pm_axis(m: Context, bloc: list[str]) -> bool:
    """Whether the PM has an open alliance with another party of his bloc (the seed's threat to
    Maliki: Sudani with AAH)."""
    s = m.state
    members = set(bloc)
    return s.pm is not None and any(s.pm in pair and (set(pair) - {s.pm}) <= members
                                    for pair in s.alliances)


def _whip_for_the_law(m: Context, me: str, law: str, bloc: list[str], cause: int) -> None:
    """Alarmed by the PM's alliance, Maliki brings the Framework round to his amendment and
    bargains for Kurdish and Sunni votes: each party short of the draft moves a step towards
    it (a Framework member by `maliki.whip_step`, a partner by `maliki.deal_step`)."""
    s = m.state
    draft = law_position(m.world, law)
    allied = {x for pair in s.alliances if s.pm in pair for x in pair}
    members = [a for a in bloc if a != me and a not in allied and a != s.pm]
    # and he bargains for the Kurdish and Sunni parties' votes with posts and budget deals
    partners = [a for a, x in sorted(m.world.actors.items())
                if x.kind == "party" and x.sect in ("kurd", "sunni") and a not in allied]
    outlook = {a: stance(m.state, m.world, a, "election_law") for a in (*members, *partners)}
    behind = sorted((st[0], a) for a, st in outlook.items() if st is not None and st[0] < draft)
    for position, target in behind:
        step = value(m, "maliki.whip_step" if target in members else "maliki.deal_step")
        inst.set_stance(m, target, "election_law", min(draft, position + step), None, cause)


@behaviour("sudani")
def sudani(m: Context, me: str, cadence: float) -> Generator[Any, Any, None]:
    """Seek a parliamentary base and balance Washington against Tehran: the moves of a prime
    minister, or of a list leader with seats of his own.  A Sudani who is neither (the 2021
    hindcast: a back-bencher without a list until the Framework named him in July 2022) makes
    none of them; the draws are made all the same, so other runs keep their logs."""
    s = m.state
    m.subscribe(me, "bridge_built", "law_changed")
    roles = roles_of(m, me)
    partner, patrons = roles.get("partner"), list(roles.get("patrons") or ())
    turns = Turns(m, me)
    rng = turns.rng
    while True:
        cause = yield from turns(cadence)
        player = s.pm == me or s.seats.get(me, 0) > 0
        if rng.random() < m.policy(me, "bloc_seeking") and player:
            if partner is not None:
                allied = (me, partner) in s.alliances or (partner, me) in s.alliances
                if s.relationship(me, partner) >= value(m, "alliance.threshold") and not allied:
                    _propose_alliance(m, me, partner, roles.get("bloc_leader"), cause)
                elif not allied:
                    shift_relationship(m, me, partner, value(m, "alliance.courting_step"), cause,
                                         "bloc_courted", me,
                                         f"{m.name(me)} courts {m.name(partner)} for support "
                                         f"in parliament.")
        if rng.random() < m.policy(me, "patron_balance") and player and patrons:
            # the coolest patron (of two cooled alike, the later one)
            lag = min(reversed(patrons), key=lambda a: s.relationship(me, a))
            shift_relationship(m, me, lag, value(m, "sudani.patron_step"), cause,
                                 "patron_balanced", me,
                                 f"{m.name(me)} reassures {m.name(lag)}.")


def _propose_alliance(m: Context, me: str, partner: str, leader: str | None, cause: int) -> None:
    """The partner decides: an open alliance with the PM defies the bloc's `leader` (Maliki)
    and the Framework, which a dispute-averse partner weighs (the seed: Khazali avoids open
    disputes; Maliki sees such an alliance as a threat), the less the more it is at odds with
    the leader already.  A refusal cools the courtship, so a new offer takes time."""
    s = m.state
    hostile = max(0.0, -s.relationship(partner, leader)) if leader is not None else 0.0
    aversion = m.policy(partner, "dispute_aversion", otherwise=0.5)
    pull = aversion * value(m, "alliance.framework_weight") * (1.0 - hostile)
    accept = value(m, "alliance.acceptance") * (1.0 - pull)
    if float(m.rng(me).random()) < accept:
        m.emit("alliance_formed", me, {"alliances": [[*sorted((me, partner)), True]]},
               cause, f"{m.name(me)} and {m.name(partner)} announce an alliance.")
    else:
        shift_relationship(m, me, partner, -value(m, "alliance.refusal_cooling"), cause,
                             "alliance_declined", partner,
                             f"{m.name(partner)} declines an open alliance with {m.name(me)} "
                             f"for now, wary of a rift with the Framework.")


@behaviour("framework_party")
def framework_party(m: Context, me: str, cadence: float) -> Generator[Any, Any, None]:
    """A loyal Framework member: close ranks when the Sadrists are back on the scene."""
    s = m.state
    m.subscribe(me, "boycott_ended", "protest_started")
    roles = roles_of(m, me)
    rival, lead = roles.get("rival"), roles.get("leader")
    turns = Turns(m, me)
    rng = turns.rng
    while True:
        cause = yield from turns(cadence)
        if rival not in s.boycotting and rng.random() < m.policy(me, "loyalty") \
                and lead is not None:
            if s.relationship(me, lead) < value(m, "framework.close_ranks_below"):
                shift_relationship(m, me, lead, value(m, "framework.close_ranks_step"), cause,
                                     "ranks_closed", me,
                                     f"{m.name(me)} closes ranks with {m.name(lead)}.")


@behaviour("resistance")
def resistance(m: Context, me: str, cadence: float) -> Generator[Any, Any, None]:
    """Armed 'resistance': occasional attacks on US targets that invite sanctions."""
    s = m.state
    roles = roles_of(m, me)
    target, government = roles.get("target"), roles.get("government")
    turns = Turns(m, me)
    rng = turns.rng
    while True:
        cause = yield from turns(cadence)
        if rng.random() < m.policy(me, "attack_propensity") and target is not None:
            ev = shift_relationship(m, me, target, -value(m, "resistance.attack_strain"), cause,
                                      "attack_on_us", me,
                                      f"{m.name(me)} claims a strike on a US position.")
            pressed = s.pm or government
            if ev is not None and pressed is not None:
                shift_relationship(m, target, pressed, -value(m, "resistance.us_pressure"),
                                     ev.id, "us_pressure", target,
                                     f"Washington presses the government to rein in "
                                     f"{m.name(me)}.")


@behaviour("us")
def united_states(m: Context, me: str, cadence: float) -> Generator[Any, Any, None]:
    """Sanction armed groups that turn on US interests; watch who holds security posts."""
    s = m.state
    m.subscribe(me, "attack_on_us", "post_assigned", "clash")
    turns = Turns(m, me)
    rng = turns.rng
    while True:
        cause = yield from turns(cadence)
        for target in sorted(s.brigades):
            if target in s.sanctioned \
                    or s.relationship(me, target) > value(m, "us.sanction_hostility"):
                continue
            if rng.random() < m.policy(me, "sanction_propensity"):
                inst.sanction(m, target, True, cause)


@behaviour("iran")
def iran(m: Context, me: str, cadence: float) -> Generator[Any, Any, None]:
    """Keep the Framework together; mediate after intra-Shia fighting."""
    s = m.state
    m.subscribe(me, "clash", "dispute")
    members = sorted(_members(m, roles_of(m, me).get("bloc")))
    # members are sorted, so each pair is already the key State keeps its weight under
    pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
    unknown = [0.0] * len(pairs)  # the weight of a pair never set
    same = [i for i, (a, b) in enumerate(pairs) if a == b]  # a member listed twice: 1.0
    turns = Turns(m, me)
    while True:
        cause = yield from turns(cadence)
        push = m.policy(me, "cohesion_push")
        if pairs:
            # the coolest pair of members, ties to the first pair (the pairs are in order)
            weights = list(map(s.relationships.get, pairs, unknown))
            for i in same:
                weights[i] = 1.0
            a, b = pairs[weights.index(min(weights))]
            if s.relationship(a, b) < value(m, "iran.mediate_below"):
                shift_relationship(m, a, b, push, cause, "mediation", me,
                                     f"Tehran mediates between {m.name(a)} and {m.name(b)}.")


@behaviour("broker")
def broker(m: Context, me: str, cadence: float) -> Generator[Any, Any, None]:
    """Kurdish and Sunni parties: trade votes for posts; warm to a prime minister who keeps
    them in government, cool towards one who leaves them out."""
    s = m.state
    m.subscribe(me, "government_formed", "member_withdrew")
    outside_of: str | None = None  # the prime minister it has already cooled towards
    turns = Turns(m, me)
    rng = turns.rng
    while True:
        cause = yield from turns(cadence)
        pm = s.pm
        if pm is None or pm == me or rng.random() >= m.policy(me, "activity"):
            continue
        if me in s.government:
            outside_of = None
            shift_relationship(m, me, pm, m.policy(me, "inclusion_gain"), cause,
                                 "deal_kept", me,
                                 f"{m.name(me)} gets its share of the budget and posts and "
                                 f"backs {m.name(pm)}.")
        else:  # said once per prime minister; afterwards the cooling goes on, told as such
            text = (f"{m.name(me)}, outside the government, turns on {m.name(pm)}."
                    if outside_of != pm else
                    f"{m.name(me)} cools further towards {m.name(pm)}.")
            outside_of = pm
            shift_relationship(m, me, pm, -m.policy(me, "exclusion_cost"), cause,
                                 "left_out", me, text)


@behaviour("follower")
def follower(m: Context, me: str, cadence: float) -> Generator[Any, Any, None]:
    """Small lists and satellites: take their line towards the prime minister from their
    closest partner (Dawa from State of Law, small Framework lists from the Framework)."""
    s = m.state
    others = [a for a in sorted(m.world.actors)
              if a != me and m.world.actors[a].kind not in ("bloc", "state")]
    keys = [pair(me, a) for a in others]  # where State keeps the weight of (me, a)
    unknown = [0.0] * len(keys)  # the weight of a pair never set
    place = {a: i for i, a in enumerate(others)}
    turns = Turns(m, me)
    while True:
        cause = yield from turns(cadence)
        pm = s.pm
        if pm is None or pm == me or not others or others == [pm]:
            continue  # no PM to take a line on, or no partner but the PM
        # the closest partner but the PM, ties to the later id (`others` is sorted): the
        # weights read in one pass in C, the hottest loop of a run (eight followers, twenty
        # partners each, each wake)
        weights = list(map(s.relationships.get, keys, unknown))
        if pm in place:
            weights[place[pm]] = -math.inf
        closest = max(weights)
        leader = others[len(weights) - 1 - weights[::-1].index(closest)]
        if closest <= value(m, "follower.follow_above"):
            continue  # no partner close enough to follow
        gap = s.relationship(leader, pm) - s.relationship(me, pm)
        step = m.policy(me, "conformity") * gap
        if abs(step) >= value(m, "follower.min_step"):  # small drifts are not worth an event
            shift_relationship(m, me, pm, step, cause, "follows_lead", me,
                                 f"{m.name(me)} follows {m.name(leader)}'s line on "
                                 f"{m.name(pm)}.")


def _check_registry() -> None:
    """Every behaviour kind the catalogue declares (with its knobs) has its process here, and
    every process here is declared there: a mismatch fails at import, naming the kind."""
    code, declared = set(POLICIES), set(POLICY_KNOB_SPECS)
    if code != declared:
        raise ImportError(
            "behaviours out of step: "
            + "; ".join(filter(None, [
                f"declared in catalogue.POLICY_KNOB_SPECS without a @behaviour: "
                f"{sorted(declared - code)}" if declared - code else "",
                f"@behaviour without a declaration in catalogue.POLICY_KNOB_SPECS: "
                f"{sorted(code - declared)}" if code - declared else ""])))


_check_registry()


def start(m: Context) -> None:
    """One SimPy process per actor with a policy, in a fixed order."""
    for actor, spec in sorted(m.world.actors.items()):
        if spec.policy is not None:
            m.process(POLICIES[spec.policy.kind](m, actor, spec.policy.days()))
