"""The street and arms: grievance, protests that can stall parliament, armed clashes."""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sim.institutions.behaviour import DAYS_PER_MONTH, value
from sim.institutions.knobs import knob
from sim.mechanics import conflict
from sim.queries import mean_share, shifted_support
from sim.state import pair

if TYPE_CHECKING:
    import numpy as np

    from sim.context import Context, Process
    from sim.events import Event
    from sim.schema.world import World
    from sim.state import State


# A nomination stands until the formation moves past it (a designate's withdrawal, a
# resignation that voids it, a government, a new election).
_NOMINATIONS = frozenset({"pm_nominated", "pm_designated"})
_PAST_NOMINATION = frozenset({"designate_withdrew", "deputies_resigned", "government_formed",
                              "election_held", "nomination_reopened"})


def grievance(m: Context, actor: str) -> float:
    """Exclusion from power, rivals' ascendancy and a rival camp's nominee for prime minister
    (the July 2022 storming of parliament answered the Framework's nomination of Sudani) feed
    an actor's grievance (0..1)."""
    s = m.state
    excluded = 0.0 if actor in s.government else value(m, "grievance.exclusion")
    rival = value(m, "grievance.rival_below")
    rivals = _rivals_influence(s, m.influence(), actor, rival)
    nominee = value(m, "grievance.rival_nominee") if rival_nominee(m, actor) else 0.0
    return max(0.0, min(1.0, excluded + value(m, "grievance.rival_weight") * rivals + nominee))


RIVAL_MEMO_ACTORS = 64  # actors whose rival keys are kept at once (memory, not behaviour)
# per actor: the influence dict last read and, in its order, each actor's influence with the
# key of its relationship to `actor` (None for `actor` itself); the engine keeps one influence
# dict until its inputs change (~7 times a run) while grievance is asked ~60 times
_RIVAL_KEYS: dict[str, tuple[dict[str, float], list[tuple[float, tuple[str, str] | None]]]] = {}


def _rivals_influence(s: State, influence: dict[str, float], actor: str, rival: float) -> float:
    """The summed influence of the actors whose relationship to `actor` is below `rival`, in
    the influence dict's order (`State.relationship` inlined: this runs at every grievance)."""
    hit = _RIVAL_KEYS.get(actor)
    if hit is None or hit[0] is not influence:
        if len(_RIVAL_KEYS) > RIVAL_MEMO_ACTORS:
            _RIVAL_KEYS.clear()
        hit = _RIVAL_KEYS[actor] = (influence, [
            (v, None if a == actor else (actor, a) if actor < a else (a, actor))
            for a, v in influence.items()])
    get = s.relationships.get
    return sum([v for v, k in hit[1] if (1.0 if k is None else get(k, 0.0)) < rival])


def withdrawn(m: Context, actor: str) -> bool:
    """Whether `actor` won seats at the last election and holds none now: its deputies resigned
    (not a party that boycotted the election, which has no seat to give up)."""
    s = m.state
    last = next(reversed(s.elections), None)
    return last is not None and last["seats"].get(actor, 0) > 0 and s.seats.get(actor, 0) == 0


def rival_nominee(m: Context, actor: str) -> str | None:
    """The person the formation in progress has put forward for prime minister, when the
    nominee's party or the head of the bloc that named them is an open rival of `actor`
    (`formation.hostile_below`: Sadr read Sudani as Maliki's man); else None."""
    found = rival_nomination(m, actor)
    return None if found is None else found[0]


# the run's latest nomination-or-past-it event, kept as the log grows: [the log it indexes,
# how many of its events were looked at, that event or None]; the Sadrist loop and every
# grievance ask for the standing nomination (~100 times a run), and walking the log backwards
# each time cost more than the rest of the question.  Read and written whole (one bytecode
# each), so runs advanced in turn by threads (`sim serve`) only cost each other a rescan.
_NOMINATION_INDEX: list[Any] = [None, 0, None]
# what `rival_nomination` last read of a nomination: (the event, the world, `_nomination_camp`)
_NOMINATION_CAMP: list[tuple[Event, World, tuple[str | None, tuple[str, ...], tuple[str, ...],
                                                  str | None]] | None] = [None]
_NOMINATION_KINDS = _NOMINATIONS | _PAST_NOMINATION


def _latest_nomination(events: Sequence[Event]) -> Event | None:
    """The last event of the log whose kind is a nomination or ends one (None: no such event).
    The log only grows, so only the events added since the last call are looked at."""
    log, seen, latest = _NOMINATION_INDEX
    if log is not events or seen > len(events):
        log, seen, latest = events, 0, None
    n = len(events)
    if seen < n:
        kinds = _NOMINATION_KINDS
        for i in range(n - 1, seen - 1, -1):
            if events[i].kind in kinds:
                latest = events[i]
                break
    _NOMINATION_INDEX[:] = [log, n, latest]
    found: Event | None = latest
    return found


def _nomination_camp(w: World, e: Event) -> tuple[str | None, tuple[str, ...],
                                                   tuple[str, ...], str | None]:
    """What a nomination's camp is made of, fixed by the event and the world: (the person,
    their party (as 0 or 1 names), the naming bloc's members, the bloc itself when it is an
    actor with no members)."""
    person = (e.details or {}).get("person")
    bloc = (e.details or {}).get("bloc")
    c = w.candidates.get(person) if person else None
    party = (c.party.value,) if c is not None and c.party.value else ()
    spec = w.actors.get(bloc) if bloc else None
    members = tuple(spec.members) if spec is not None and spec.members else ()
    alone = bloc if not members and bloc in w.actors else None
    return person, party, members, alone


def rival_nomination(m: Context, actor: str) -> tuple[str, int] | None:
    """`rival_nominee` with the id of the event that put the person forward (the latest
    nomination or designation): what an action against the nominee is caused by."""
    s, w = m.state, m.world
    if not s.formation_open:
        return None
    e = _latest_nomination(m.events)
    if e is None or e.kind in _PAST_NOMINATION:
        return None
    last = _NOMINATION_CAMP[-1]
    if last is not None and last[0] is e and last[1] is w:
        _, _, known = last
    else:
        known = _nomination_camp(w, e)
        _NOMINATION_CAMP[-1] = (e, w, known)
    person, party, members, alone = known
    if not person:
        return None
    camp = set(party)
    if members:
        seats = s.seats
        camp.add(max([(seats.get(p, 0), p) for p in members])[1])  # the largest (ties: last id)
    elif alone is not None:
        camp.add(alone)
    hostile = w.formation.hostile_below.value
    if any(x != actor and s.relationship(actor, x) <= hostile for x in sorted(camp)):
        return person, e.id
    return None


def mobilise(m: Context, actor: str, strength: float, cause: int | None) -> None:
    s = m.state
    if s.protest is not None:
        return
    capacity = s.mobilisation.get(actor, 0.0)
    size = conflict.protest_size(capacity, grievance(m, actor), strength,
                                 loyalty=value(m, "protest.loyalty"),
                                 spontaneity=value(m, "protest.spontaneity"))
    effects = conflict.mobilisation_effects(size, threshold=value(m, "protest.stall_threshold"),
                                            support_gain=value(m, "protest.support_gain"))
    support = shifted_support(m.state, actor, effects.support_change)
    ev = m.emit("protest_started", actor, {
        "protest": {"actor": actor, "size": round(size, 4)}, "stalled": effects.stalled,
        "support": {actor: support}}, cause,
        f"{m.name(actor)} brings supporters onto the streets (size {size:.2f} of capacity)"
        + ("; parliament cannot sit." if effects.stalled else "."))
    m.process(_protest(m, actor, size, ev.id))


def _protest(m: Context, actor: str, size: float, cause: int) -> Process:
    """A protest wave from its start (`cause`) to its end.

    It lasts a draw from the record's spread of Sadrist occupations (`protest.min_days` to
    `protest.max_days`, log-uniform: hours in April 2016 and on 27 July 2022, a month from 30
    July 2022).  It may end in a clash with the protester's most hostile armed rival (a chance
    set by both sides' arms, hostility and restraint, at a uniform moment of the wave).  While
    it blocks parliament against a rival camp's nominee, its leader may make a dramatic move
    (`escalation.per_month`; Sadr's retirement from politics on 29 Aug 2022): his followers
    storm the seat of government, which may bring the armed wings to blows, and a restrained
    leader then orders them home within a day (30 Aug 2022)."""
    s = m.state
    rng = m.rng(f"protest:{cause}")
    days = conflict.protest_days(rng, value(m, "protest.min_days"), value(m, "protest.max_days"))
    clash_at = math.inf
    foe = _foe(m, actor)
    if foe is not None:
        # the hazard is per month of protest: a storming of hours rarely comes to blows, a
        # month-long sit-in as often as a wave did when waves lasted a month on average
        p = conflict.clash_probability(s.brigades[actor], s.brigades[foe],
                                       max(0.0, -s.relationship(actor, foe)),
                                       _restraint(m, actor, foe),
                                       intensity=size * days / DAYS_PER_MONTH,
                                       reference_brigades=value(m, "clash.reference_brigades"))
        when = float(rng.uniform(0, days))
        if float(rng.random()) < p:
            clash_at = when
    # the leader's dramatic move draws from its own stream: a wave that never blocks parliament
    # against a rival nominee draws nothing more from the protest's
    moves = m.rng(f"escalation:{cause}")
    per_day = value(m, "escalation.per_month") / DAYS_PER_MONTH
    move_at = conflict.waiting_days(moves, per_day)
    now = 0.0
    while True:
        step = min(clash_at, move_at, days)
        yield m.timeout(step - now)
        now = step
        if step == clash_at:
            clash_at = math.inf
            if foe is not None:
                clash(m, actor, foe, cause)
            continue
        if step == move_at and step < days:
            move_at = math.inf
            nominee = rival_nominee(m, actor)
            if nominee is not None and sitting_in(m, actor) \
                    and not escalated_against(m, actor, nominee):
                ended = yield from _escalate(m, actor, nominee, cause, moves)
                if ended:
                    return
            else:  # nothing to escalate against now: the hazard runs on (memoryless)
                move_at = now + conflict.waiting_days(moves, per_day)
            continue
        break
    m.emit("protest_ended", actor, {"protest": None, "stalled": False}, cause,
           f"{m.name(actor)}'s protests wind down"
           + ("; parliament resumes." if m.state.stalled else "."))


def escalated_against(m: Context, actor: str, nominee: str) -> bool:
    """Whether `actor`'s leader already made his dramatic move against the nomination of
    `nominee` that stands now: a leader quits politics once (29 Aug 2022), not at every wave."""
    for e in reversed(m.events):
        if e.kind == "escalation" and e.actor == actor and e.details.get("nominee") == nominee:
            return True
        if e.kind in _PAST_NOMINATION or (e.kind == "pm_nominated"
                                           and (e.details or {}).get("person") == nominee):
            return False  # back to the nomination (a designation of the same person goes on)
    return False


def stood_down(m: Context, actor: str, since: int) -> bool:
    """Whether `actor`'s leader has ordered his followers home after a clash since event
    `since` (a nomination): having disowned the fighting, he does not send them back against
    the same nominee (after 30 Aug 2022 the Sadrists left Sudani's formation alone)."""
    for e in reversed(m.events):
        if e.id <= since:
            return False
        if e.kind == "protest_ended" and e.actor == actor and (e.details or {}).get("stand_down"):
            return True
    return False


def sitting_in(m: Context, actor: str) -> bool:
    """Whether `actor`'s protest is under way and keeps parliament from sitting."""
    s = m.state
    return s.stalled and s.protest is not None and s.protest.get("actor") == actor


def _foe(m: Context, actor: str) -> str | None:
    """The armed party most hostile to `actor` (ties to the first id), when `actor` is armed."""
    s = m.state
    brigades = s.brigades
    if brigades.get(actor, 0) <= 0:
        return None
    get = s.relationships.get  # `State.relationship` inlined (never of `actor` with itself)
    armed = [(get((actor, p) if actor < p else (p, actor), 0.0), p)
             for p, n in brigades.items() if n > 0 and p != actor]
    return min(armed)[1] if armed else None  # (relationship, id) pairs are unique


def _restraint(m: Context, actor: str, foe: str) -> float:
    # a side whose behaviour has no such knob counts as neutral (0.5)
    return (m.policy(actor, "restraint", otherwise=0.5)
            + m.policy(foe, "dispute_aversion", otherwise=0.5)) / 2


def _escalate(m: Context, actor: str, nominee: str, cause: int,
              rng: np.random.Generator) -> Generator[Any, Any, bool]:
    """The leader's dramatic move while his sit-in blocks parliament against `nominee`: his
    followers storm the seat of government; with both sides armed, a clash follows with the
    chance `conflict.clash_probability` gives at `escalation.clash_intensity`, its dead drawn
    from the world's clash sizes like any clash.  After it, a leader stands down with the chance
    of his own restraint, ordering his followers home within `escalation.stand_down_days`:
    the sit-in ends.  Returns whether it ended."""
    s, w = m.state, m.world
    spec = w.actors.get(actor)
    leader = spec.leader if spec is not None and spec.leader else m.name(actor)
    ev = m.emit("escalation", actor, {}, cause,
                f"{leader} makes a dramatic move against {_person(m, nominee)}'s nomination; "
                f"{m.name(actor)}'s followers storm the seat of government.",
                details={"nominee": nominee, "leader": leader})
    foe = _foe(m, actor)
    if foe is None:
        return False
    p = conflict.clash_probability(s.brigades[actor], s.brigades[foe],
                                   max(0.0, -s.relationship(actor, foe)),
                                   _restraint(m, actor, foe),
                                   intensity=value(m, "escalation.clash_intensity"),
                                   reference_brigades=value(m, "clash.reference_brigades"))
    if float(rng.random()) >= p:
        return False
    fight = clash(m, actor, foe, ev.id)
    if float(rng.random()) >= m.policy(actor, "restraint", otherwise=0.5):
        return False
    yield m.timeout(float(rng.uniform(0.0, value(m, "escalation.stand_down_days"))))
    if not sitting_in(m, actor):
        return True  # over already (nothing else ends a protest, but be safe)
    m.emit("protest_ended", actor, {"protest": None, "stalled": False}, fight.id,
           f"{leader} orders his followers home and disowns the fighting; the sit-in ends "
           f"and parliament can sit again.", details={"stand_down": True})
    return True


def _person(m: Context, person: str) -> str:
    c = m.world.candidates.get(person)
    return c.name if c is not None else person


@lru_cache(maxsize=8)
def _clash_model(battle_deaths: int, probability: float,
                 dispersion: float) -> conflict.CasualtyModel:
    return conflict.clash_model(battle_deaths, probability, dispersion)


def clash(m: Context, a: str, b: str, cause: int | None) -> Event:
    s = m.state
    rng = m.rng(f"clash:{len(m.events)}")
    model = _clash_model(int(value(m, "clash.battle_deaths")),
                         value(m, "clash.battle_probability"),
                         value(m, "clash.dispersion")).scaled(knob(m, "clash_intensity"))
    killed = conflict.draw_casualties(model, rng)
    effects = conflict.clash_effects(
        killed, (a, b), {p: mean_share(m.state, m.world, p) for p in (a, b)},
        cost_per_death=value(m, "clash.support_cost_per_death"),
        max_cost=value(m, "clash.max_support_cost"),
        hardening_per_death=value(m, "clash.hardening_per_death"),
        max_hardening=value(m, "clash.max_hardening"))
    support = {p: shifted_support(m.state, p, d)
               for p, d in sorted(effects.support_change.items())}
    # relationship_change is negative: the rivalry hardens (it was subtracted before, which
    # warmed the two sides after every clash)
    w = round(max(-1.0, s.relationship(a, b) + effects.relationship_change), 4)
    return m.emit("clash", a, {"casualties": killed, "clashes": 1, "support": support,
                        "relationships": [[*pair(a, b), w]]}, cause,
           f"Armed clashes between {m.name(a)} and {m.name(b)}: {killed} killed.",
           details={"actors": [a, b], "casualties": killed})
