"""Engine-wide knobs: declared defaults that a scenario parameter of the same name overrides."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.context import Context


# name -> (default, lowest, highest): each knob declared once; a scenario parameter of the
# same name must keep within [lowest, highest] (checked when the scenario loads)
KNOB_SPECS: dict[str, tuple[float, float, float]] = {
    "vote_noise": (0.08, 0.0, 1.0),      # sd of a list's log vote share per governorate
    "swing_noise": (0.10, 0.0, 1.0),     # sd of a list's national log swing, per election
    "consensus": (0.7, 0.0, 1.0),        # scales what a cabinet share is worth
    "defection_rate": (0.05, 0.0, 1.0),  # share of a member's deputies voting against
    "clash_intensity": (1.0, 0.0, 100.0),  # scales casualty draws relative to August 2022
    "sanction_base": (0.02, 0.0, 1.0),   # baseline chance of sanctions on the state per check
    "pm_choice_exponent": (1.0, 0.0, 10.0),  # how decisively support turns into a PM pick
    "bargaining_rounds": (0, 0.0, 100.0),  # Bueno de Mesquita rounds before a law settles
}
KNOBS: dict[str, float] = {name: spec[0] for name, spec in KNOB_SPECS.items()}
KNOB_RANGES: dict[str, tuple[float, float]] = {
    name: (spec[1], spec[2]) for name, spec in KNOB_SPECS.items()}


def knob(m: Context, name: str) -> float:
    return float(m.params.get(name, KNOBS[name]))
