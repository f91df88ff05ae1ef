"""Institutions as engine processes: elections, government formation, legislation, protests
and clashes, posts and sanctions, and the monthly snapshots (the measures are `sim.queries`).

Each function reads the state, calls the pure mechanics in `sim.mechanics` for the decision, and
records the outcome through `emit` of a `sim.context.Context` (the engine's `Model`, or a fake in
a unit test).  The engine-wide knobs (`knobs.KNOBS`) can be declared as scenario parameters of
the same name (e.g. ``vote_noise``) and then swept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.institutions import incumbency, measures
from sim.institutions.elections import fragment, hold_election, shift_support
from sim.institutions.formation import build_coalition, formation, install_government, withdraw
from sim.institutions.knobs import KNOBS, knob
from sim.institutions.legislation import law_viable, propose_law, set_stance
from sim.institutions.measures import snapshot
from sim.institutions.posts import assign_post, check_state_sanctions, sanction
from sim.institutions.street import (
    clash,
    grievance,
    mobilise,
    rival_nomination,
    rival_nominee,
    stood_down,
    withdrawn,
)

if TYPE_CHECKING:
    from sim.context import Context


def start(m: Context) -> None:
    """The institutions' own processes: monthly snapshots, incumbents' patronage."""
    measures.start(m)
    incumbency.start(m)


__all__ = ["KNOBS", "assign_post", "build_coalition", "check_state_sanctions", "clash",
           "formation", "fragment", "grievance", "hold_election", "install_government",
           "knob", "law_viable", "mobilise", "propose_law", "rival_nomination", "rival_nominee",
           "sanction", "stood_down",
           "set_stance", "shift_support", "snapshot", "start", "withdraw", "withdrawn"]
