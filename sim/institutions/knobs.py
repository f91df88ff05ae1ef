"""Engine-wide knobs: declared defaults that a scenario parameter of the same name overrides."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.engine import Model


KNOBS: dict[str, float] = {
    "vote_noise": 0.08,          # sd of a list's log vote share per governorate, per election
    "swing_noise": 0.10,         # sd of a list's national log swing, per election
    "consensus": 0.7,            # scales what a cabinet share is worth (formation.portfolio_value)
    "defection_rate": 0.05,      # share of a member's deputies voting against its government
    "protest_days": 30,          # mean length of a protest wave
    "clash_intensity": 1.0,      # scales casualty draws relative to August 2022
    "sanction_base": 0.02,       # baseline chance of sanctions on the state per check
    "pm_choice_exponent": 1.0,     # how decisively support turns into a PM pick (KTAB-style)
    "bargaining_rounds": 0,        # Bueno de Mesquita rounds before a law's content settles
}


# the range each knob's value (a parameter of the same name) must lie in, checked at load
KNOB_RANGES: dict[str, tuple[float, float]] = {
    "vote_noise": (0.0, 1.0),
    "swing_noise": (0.0, 1.0),
    "consensus": (0.0, 1.0),
    "defection_rate": (0.0, 1.0),
    "formation_attempts": (1.0, 20.0),
    "protest_days": (1.0, 3650.0),
    "clash_intensity": (0.0, 100.0),
    "sanction_base": (0.0, 1.0),
    "coalition_temperature": (0.0, 10.0),
    "pm_choice_exponent": (0.0, 10.0),
    "formateur_power_weight": (0.0, 10.0),
    "bargaining_rounds": (0.0, 100.0),
}


def knob(m: Model, name: str) -> float:
    return float(m.params.get(name, KNOBS[name]))
