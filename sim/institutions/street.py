"""The street and arms: grievance, protests that can stall parliament, armed clashes."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sim.institutions.behaviour import value
from sim.institutions.knobs import knob
from sim.institutions.measures import mean_share, shifted_support
from sim.mechanics import conflict
from sim.state import pair

if TYPE_CHECKING:
    from sim.context import Context, Process


def grievance(m: Context, actor: str) -> float:
    """Exclusion from power and rivals' ascendancy feed an actor's grievance (0..1)."""
    s = m.state
    excluded = 0.0 if actor in s.government else value(m, "grievance.exclusion")
    rival = value(m, "grievance.rival_below")
    rivals = sum(v for a, v in m.influence().items() if s.relationship(actor, a) < rival)
    return max(0.0, min(1.0, excluded + value(m, "grievance.rival_weight") * rivals))


def mobilise(m: Context, actor: str, strength: float, cause: int | None) -> None:
    s = m.state
    if s.protest is not None:
        return
    capacity = s.mobilisation.get(actor, 0.0)
    size = conflict.protest_size(capacity, grievance(m, actor), strength)
    effects = conflict.mobilisation_effects(size)
    support = shifted_support(m, actor, effects.support_change)
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
        killed, (a, b), {p: mean_share(m, p) for p in (a, b)},
        cost_per_death=value(m, "clash.support_cost_per_death"),
        max_cost=value(m, "clash.max_support_cost"),
        hardening_per_death=value(m, "clash.hardening_per_death"))
    support = {p: shifted_support(m, p, d)
               for p, d in sorted(effects.support_change.items())}
    # relationship_change is negative: the rivalry hardens (it was subtracted before, which
    # warmed the two sides after every clash)
    w = round(max(-1.0, s.relationship(a, b) + effects.relationship_change), 4)
    m.emit("clash", a, {"casualties": killed, "clashes": 1, "support": support,
                        "relationships": [[*pair(a, b), w]]}, cause,
           f"Armed clashes between {m.name(a)} and {m.name(b)}: {killed} killed.",
           details={"actors": [a, b], "casualties": killed})
