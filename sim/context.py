"""What institutions, policies and actions may ask of a running model: the `Context` protocol.

The engine's `Model` implements it; so can a dozen-line fake in a unit test (a hand-made state,
a tiny world, a list for the log), which is how formation, coalition building, the bloc
withdrawal and grievance are tested on their own (tests/institutions/fakes.py).  Typing the
behaviours against this protocol rather than `Model` is also what lets the engine import nothing
above it: the behaviours depend on this module, the engine implements it, and the composition
root (`sim.compose`) introduces the two.

Members are the ones the behaviours use; conveniences that are pure functions of the world or
the state live elsewhere (`sim.queries`, `sim.naming`, `sim.institutions.relations`), so a fake
need not reimplement them.  This module imports nothing from `sim` at run time but the pure
`sim.rounding` (the log's four decimals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sim.rounding import round4

if TYPE_CHECKING:
    import numpy as np
    import simpy

    from sim.events import Event
    from sim.schema.world import World
    from sim.state import State

# a behaviour or institution running as a SimPy process
Process = Generator["simpy.Event", Any, Any]


class SimpyClock:
    """The time members of `Context` for anything that runs on a SimPy environment `env` and
    counts days from `start`: the engine's Model and the tests' fake share them."""

    env: simpy.Environment
    start: dt.date

    @property
    def now(self) -> float:
        """Days since the start, rounded as the log writes them."""
        return round4(float(self.env.now))

    @property
    def clock(self) -> float:
        """The exact simulated time (`now` is rounded for the log)."""
        return float(self.env.now)

    def date(self, t: float | None = None) -> dt.date:
        return self.start + dt.timedelta(days=int(self.now if t is None else t))

    def timeout(self, days: float) -> simpy.Event:
        return self.env.timeout(days)


class Context(Protocol):
    """A running model as institutions, policies and actions see it."""

    # --- what is true now ---------------------------------------------------------------
    @property
    def state(self) -> State:
        """The live state; change it only through `emit`."""

    @property
    def world(self) -> World:
        """The world (parties, seats, votes, laws, behaviour constants), read-only."""

    @property
    def params(self) -> dict[str, float]:
        """The run's scenario parameters (engine knobs are read through
        `sim.institutions.knobs.knob`)."""

    @property
    def events(self) -> Sequence[Event]:
        """The log so far (behaviours read its length to name a random stream)."""

    @property
    def history(self) -> list[dict[str, Any]]:
        """Monthly snapshots for the reports (`sim.institutions.measures`)."""

    # --- time -----------------------------------------------------------------------------
    @property
    def now(self) -> float:
        """The day as logged (rounded to 4 decimals)."""

    @property
    def clock(self) -> float:
        """The exact simulated time (for arithmetic on waits; `now` is for the log)."""

    def date(self, t: float | None = None) -> dt.date:
        """The calendar date of day `t` (default: now)."""

    def timeout(self, days: float) -> simpy.Event:
        """An event `days` from now, to `yield` in a process."""

    def process(self, proc: Process) -> simpy.Process:
        """Start a process (an institution's sequence, a protest's course)."""

    def sleep(self, actor: str, days: float, otherwise: int | None = None
              ) -> Generator[simpy.Event, Any, int | None]:
        """Wait `days` or until an event the actor subscribed to; the waking event's id, else
        `otherwise`."""

    def subscribe(self, actor: str, *kinds: str) -> None:
        """Wake `actor` from `sleep` when an event of one of `kinds` happens."""

    def scheduled_days(self, kind: str) -> list[float]:
        """The days of the scenario's scheduled events of action kind `kind` (elections)."""

    # --- the log and randomness -------------------------------------------------------------
    def emit(self, kind: str, actor: str | None, changes: dict[str, Any], cause: int | None,
             text: str, details: dict[str, Any] | None = None) -> Event:
        """Record an event: `changes` (state keys only) is folded into the state."""

    def rng(self, purpose: str) -> np.random.Generator:
        """The random stream of one purpose (an actor, an election, a protest ...)."""

    # --- values set by the world and the scenario -------------------------------------------
    def num(self, value: float | str) -> float:
        """A scenario field's number: a literal or a `$parameter`."""

    def policy(self, actor: str, name: str, otherwise: float | None = None) -> float:
        """An actor's behaviour knob (world/scenario value, else its declared default)."""

    # --- derived, cached by the engine ------------------------------------------------------
    def influence(self) -> dict[str, float]:
        """Each actor's influence now (`sim.queries.influence`, cached between changes)."""

    def name(self, actor: str | None) -> str:
        """An actor's display name (`sim.naming.actor_name`)."""


@dataclass(frozen=True, slots=True)
class Behaviours:
    """What the composition root (`sim.compose`) hands the engine: how to start the actors'
    and institutions' processes at the beginning of a run, and how to perform an action (a
    scenario event's or a trigger's `then`).  The engine calls them and imports neither."""

    start: Callable[[Context], None]
    perform: Callable[[Context, Any, int | None], None]
