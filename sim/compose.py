"""The composition root: the one place that introduces the engine to the behaviours.

`sim.engine.Model` knows nothing of policies, institutions or actions (it imports none of them);
they know the engine only as a `sim.context.Context`.  This module hands the engine what to
start at the beginning of a run and how to perform an action, and `new_model` is the factory
every caller (the API, `sim serve`, sweeps, calibration, tests) builds a model with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import actions, institutions, policies
from sim.context import Behaviours
from sim.engine import Model
from sim.scenario import resolved

if TYPE_CHECKING:
    from sim.context import Context
    from sim.schema.scenario import Scenario
    from sim.schema.world import World


def start(m: Context) -> None:
    """Start a run's processes: one per actor with a policy, then the institutions' own
    (snapshots, patronage).  The order is part of the seed's determinism: keep it."""
    policies.start(m)
    institutions.start(m)


BEHAVIOURS = Behaviours(start=start, perform=actions.perform)


def new_model(scenario: Scenario, world: World | None = None, seed: int = 0,
              until: float | None = None, parameters: dict[str, float] | None = None,
              max_seconds: float | None = None) -> Model:
    """A `Model` of `scenario` (in its resolved world unless `world` is given) with the
    project's behaviours: the same arguments as `Model`, in the same order."""
    if world is None:
        world = resolved(scenario)["world"]
    return Model(scenario, world, seed, until, parameters, max_seconds=max_seconds,
                 behaviours=BEHAVIOURS)
