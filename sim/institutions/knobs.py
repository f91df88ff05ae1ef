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
# name -> why its default is what it is.  "assumption: ..." marks an analyst's guess, which a run
# that leaves the knob at its default lists in `summary.assumptions` (sim.summary
# .engine_knob_assumptions); "neutral: ..." marks a default that adds nothing of its own (a scale
# of 1, a mechanism switched off), which is not listed.
KNOB_NOTES: dict[str, str] = {
    "vote_noise": "assumption: the spread of a list's vote from its potential in each "
                  "governorate at an election; not fitted to a record",
    "swing_noise": "assumption: the spread of a list's national swing at an election; not "
                   "fitted to a record",
    "consensus": "assumption: how much a party values a cabinet share when it decides "
                 "whether to join",
    "defection_rate": "assumption: the share of a member party's deputies who vote against "
                      "its line in a confidence vote",
    "clash_intensity": "neutral: 1 draws casualties from the world's clash.* model as it is",
    "sanction_base": "assumption: the chance per check that the sanctioning power sanctions "
                     "the state when a sanctioned party holds a security post",
    "pm_choice_exponent": "assumption: 1 turns a candidate's support in the bloc into the odds "
                          "of their nomination in proportion",
    "bargaining_rounds": "neutral: 0 switches the Bueno de Mesquita forecast off (laws are "
                         "decided by the head-to-head passage probability)",
}
KNOBS: dict[str, float] = {name: spec[0] for name, spec in KNOB_SPECS.items()}
KNOB_RANGES: dict[str, tuple[float, float]] = {
    name: (spec[1], spec[2]) for name, spec in KNOB_SPECS.items()}


def knob(m: Context, name: str) -> float:
    return float(m.params.get(name, KNOBS[name]))
