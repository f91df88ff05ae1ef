"""The street and arms: grievance, protests that can stall parliament, armed clashes."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sim.institutions.behaviour import value
from sim.institutions.knobs import knob
from sim.mechanics import conflict
from sim.queries import mean_share, shifted_support
from sim.state import pair

if TYPE_CHECKING:
    from sim.context import Context, Process


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
    rivals = sum(v for a, v in m.influence().items() if s.relationship(actor, a) < rival)
    nominee = value(m, "grievance.rival_nominee") if rival_nominee(m, actor) else 0.0
    return max(0.0, min(1.0, excluded + value(m, "grievance.rival_weight") * rivals + nominee))


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
    s, w = m.state, m.world
    if not s.formation_open:
        return None
    for e in reversed(m.events):
        if e.kind in _PAST_NOMINATION:
            return None
        if e.kind not in _NOMINATIONS:
            continue
        person = (e.details or {}).get("person")
        bloc = (e.details or {}).get("bloc")
        c = w.candidates.get(person) if person else None
        camp = {c.party.value} if c is not None and c.party.value else set()
        spec = w.actors.get(bloc) if bloc else None
        if spec is not None and spec.members:
            camp.add(max(spec.members, key=lambda p: (s.seats.get(p, 0), p)))
        elif bloc in w.actors:
            camp.add(bloc)
        hostile = w.formation.hostile_below.value
        return person if any(x != actor and s.relationship(actor, x) <= hostile
                             for x in sorted(camp)) else None
    return None


def mobilise(m: Context, actor: str, strength: float, cause: int | None) -> None:
    s = m.state
    if s.protest is not None:
        return
    capacity = s.mobilisation.get(actor, 0.0)
    size = conflict.protest_size(capacity, grievance(m, actor), strength)
    effects = conflict.mobilisation_effects(size)
    support = shifted_support(m.state, actor, effects.support_change)
    ev = m.emit("protest_started", actor, {
        "protest": {"actor": actor, "size": round(size, 4)}, "stalled": effects.stalled,
        "support": {actor: support}}, cause,
        f"{m.name(actor)} brings supporters onto the streets (size {size:.2f} of capacity)"
        + ("; parliament cannot sit." if effects.stalled else "."))
    m.process(_protest(m, actor, size, ev.id))


def _protest(m: Context, actor: str, size: float, cause: int) -> Process:
    s = m.state
    rng = m.rng(f"protest:{cause}")
    days = float(rng.exponential(knob(m, "protest_days"))) + value(m, "protest.min_days")
    armed = [p for p in sorted(s.brigades) if p != actor and s.brigades[p] > 0]
    if armed and s.brigades.get(actor, 0) > 0:
        foe = min(armed, key=lambda p: (s.relationship(actor, p), p))
        hostility = max(0.0, -s.relationship(actor, foe))
        # a side whose behaviour has no such knob counts as neutral (0.5)
        restraint = (m.policy(actor, "restraint", otherwise=0.5)
                     + m.policy(foe, "dispute_aversion", otherwise=0.5)) / 2
        p = conflict.clash_probability(s.brigades[actor], s.brigades[foe], hostility,
                                       restraint, intensity=size)
        when = float(rng.uniform(0, days))
        if float(rng.random()) < p:
            yield m.timeout(when)
            clash(m, actor, foe, cause)
            days -= when
    yield m.timeout(max(days, 0.0))
    m.emit("protest_ended", actor, {"protest": None, "stalled": False}, cause,
           f"{m.name(actor)}'s protests wind down; parliament resumes.")


@lru_cache(maxsize=8)
def _clash_model(battle_deaths: int, probability: float,
                 dispersion: float) -> conflict.CasualtyModel:
    return conflict.clash_model(battle_deaths, probability, dispersion)


def clash(m: Context, a: str, b: str, cause: int | None) -> None:
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
        hardening_per_death=value(m, "clash.hardening_per_death"))
    support = {p: shifted_support(m.state, p, d)
               for p, d in sorted(effects.support_change.items())}
    # relationship_change is negative: the rivalry hardens (it was subtracted before, which
    # warmed the two sides after every clash)
    w = round(max(-1.0, s.relationship(a, b) + effects.relationship_change), 4)
    m.emit("clash", a, {"casualties": killed, "clashes": 1, "support": support,
                        "relationships": [[*pair(a, b), w]]}, cause,
           f"Armed clashes between {m.name(a)} and {m.name(b)}: {killed} killed.",
           details={"actors": [a, b], "casualties": killed})
