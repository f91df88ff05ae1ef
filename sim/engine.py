"""The SimPy engine: time, the event log, seeded randomness, scheduled events and triggers.

`Model` owns one `simpy.Environment` and implements `sim.context.Context`, the narrow view that
institutions, policies and actions have of it.  It imports none of them: the composition root
(`sim.compose.new_model`) hands it `Behaviours` -- how to start the actors' and institutions'
processes, and the action dispatcher -- so build a `Model` through that factory.  Scenario
events run at their day; triggers are checked after every event.  All state changes go through
`Model.emit`, which stamps an `Event` with an id, the time and its cause, folds it into the
state (`sim.state.apply`) and appends it to the log, so the log alone replays the run.
Randomness comes from numpy `SeedSequence` streams, one per named purpose (each actor,
elections, triggers...), so adding an actor does not disturb the others' draws.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import time
import zlib
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy
from simpy.events import PENDING, Timeout
from simpy.events import Event as SimpyEvent

from sim import queries
from sim.catalogue import EVENT_KINDS, POLICY_KNOB_SPECS
from sim.conditions import FUNCTIONS, VARIABLES, Condition, Names, parse_condition
from sim.context import Behaviours, Process, SimpyClock
from sim.errors import InputError
from sim.events import Event
from sim.naming import actor_name
from sim.rounding import round4
from sim.schema.scenario import MIN_STEP_DAYS, Scenario, knob_value
from sim.schema.world import World
from sim.state import APPLY, State, apply, initial_state, unknown_changes

# state-change keys that change what the influence index is computed from
INFLUENCE_INPUTS = frozenset({"seats", "ministries", "posts", "brigades", "mobilisation",
                              "sanctioned", "boycotting"})


class EventCapReached(Exception):
    """The run hit its event cap (or its wall-clock budget): a bound on work, reported in the
    summary."""


APPLY_KEYS = APPLY.keys()

TIME = "@time"  # a condition input that changes whenever the clock has moved


def uint32_words(n: int) -> list[int]:
    """The 32-bit words of a non-negative int, least significant first (at least one): what
    numpy's `SeedSequence` makes of an int in its entropy."""
    words = [n & 0xFFFFFFFF]
    n >>= 32
    while n:
        words.append(n & 0xFFFFFFFF)
        n >>= 32
    return words


@dataclass(frozen=True, slots=True)
class Query:
    """How the live model answers one name of the condition language (`sim.conditions`).

    `inputs` are the `APPLY` keys whose change can change the answer: a trigger condition is
    re-evaluated only after an event that changes one of its inputs (or moves the clock, for
    `day`), so thousands of conditions cost nothing while unrelated events happen.
    """

    inputs: frozenset[str]
    answer: Callable[[Model, tuple[str, ...]], object]


def _q(inputs: set[str] | frozenset[str],
       answer: Callable[[Model, tuple[str, ...]], object]) -> Query:
    return Query(frozenset(inputs), answer)


# One row per variable and function of `sim.conditions.VARIABLES` / `FUNCTIONS` (checked at
# import): to add a name to the condition language, declare it there and answer it here.
QUERIES: dict[str, Query] = {
    "day": _q({TIME}, lambda m, a: m.state.day),
    "casualties": _q({"casualties"}, lambda m, a: m.state.casualties),
    "clashes": _q({"clashes"}, lambda m, a: m.state.clashes),
    "pm": _q({"pm"}, lambda m, a: m.state.pm),
    "law": _q({"law"}, lambda m, a: m.state.law),
    "state_sanctioned": _q({"state_sanctioned"}, lambda m, a: m.state.state_sanctioned),
    "in_session": _q({"stalled"}, lambda m, a: not m.state.stalled),
    "elections_held": _q({"election"}, lambda m, a: len(m.state.elections)),
    "seats": _q({"seats"}, lambda m, a: m.state.seats.get(a[0], 0)),
    "support": _q({"support"}, lambda m, a: m.support(a[0])),
    "relationship": _q({"relationships"}, lambda m, a: m.state.relationship(a[0], a[1])),
    "boycotting": _q({"boycotting"}, lambda m, a: a[0] in m.state.boycotting),
    "sanctioned": _q({"sanctioned"}, lambda m, a: a[0] in m.state.sanctioned),
    "in_government": _q({"government", "pm"}, lambda m, a: queries.in_government(m.state, a[0])),
    "holds": _q({"ministries", "posts"}, lambda m, a: queries.holder(m.state, a[1]) == a[0]),
    "brigades": _q({"brigades"}, lambda m, a: m.state.brigades.get(a[0], 0)),
    "mobilisation": _q({"mobilisation"}, lambda m, a: m.state.mobilisation.get(a[0], 0.0)),
    "influence": _q(INFLUENCE_INPUTS, lambda m, a: m.influence().get(a[0], 0.0)),
}
CONDITION_INPUTS: dict[str, frozenset[str]] = {name: q.inputs for name, q in QUERIES.items()}


def _check_queries() -> None:
    declared = set(VARIABLES) | set(FUNCTIONS)
    if declared != set(QUERIES):
        raise RuntimeError(f"condition names without an answer: {sorted(declared - set(QUERIES))}"
                           f"; answers for undeclared names: {sorted(set(QUERIES) - declared)}")


_check_queries()


def condition_inputs(cond: Condition) -> frozenset[str] | None:
    """The state keys `cond` depends on, or None if any name's inputs are unknown."""
    keys: set[str] = set()
    for name in cond.variables_used | cond.functions_used:
        inputs = CONDITION_INPUTS.get(name)
        if inputs is None:
            return None
        keys |= inputs
    return frozenset(keys)


def resolve_parameters(scenario: Scenario, given: dict[str, float] | None) -> dict[str, float]:
    """Declared defaults overridden by `given`; unknown names and out-of-range values refused."""
    values = {name: p.default for name, p in scenario.parameters.items()}
    for name, value in (given or {}).items():
        if name not in scenario.parameters:
            known = ", ".join(sorted(scenario.parameters)) or "none"
            raise InputError.cli(f"parameters.{name}",
                                 f"unknown parameter {name!r}; declared: {known}")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InputError.cli(f"parameters.{name}", f"not a number: {value!r}") from None
        if not math.isfinite(value):
            raise InputError.cli(f"parameters.{name}", "must be a finite number")
        param = scenario.parameters[name]
        # a normal distribution has no finite support: its bounds() are only for samplers
        dist = param.distribution
        if param.range is not None or (dist is not None and dist.normal is None):
            lo, hi = param.bounds()
            if not lo <= value <= hi:
                raise InputError.cli(f"parameters.{name}",
                                     f"{value:g} is outside the declared range [{lo:g}, {hi:g}]")
        limit = scenario._resolved.get("limits", {}).get(name)
        if limit is not None and not limit[0] <= value <= limit[1]:
            raise InputError.cli(f"parameters.{name}",
                                 f"{value:g} is outside {limit[0]:g} .. {limit[1]:g}, the range "
                                 f"of the {limit[2]} it sets")
        if param.integer and value != int(value):
            raise InputError.cli(f"parameters.{name}", f"{value:g} is not a whole number "
                                 "(the parameter is declared integer)")
        values[name] = value
    return values


_PARSED: dict[tuple[int, int], tuple[Scenario, World, list[tuple[int, Condition]]]] = {}


def _trigger_conditions(scenario: Scenario, world: World) -> list[tuple[int, Condition]]:
    """(index, parsed condition) of each trigger of `scenario` with a `when:`, in the names of
    `world`.  A parsed condition is immutable, so it is parsed once per scenario and world, not
    at every run (parsing was a fiftieth of a run)."""
    key = (id(scenario), id(world))
    hit = _PARSED.get(key)
    if hit is None or hit[0] is not scenario or hit[1] is not world:
        names = Names(actors=frozenset(world.actors),
                      posts=frozenset(world.ministries) | frozenset(world.posts),
                      laws=frozenset(world.laws))
        parsed = [(i, parse_condition(t.when, names)) for i, t in enumerate(scenario.triggers)
                  if t.when is not None]
        if len(_PARSED) > 64:
            _PARSED.clear()
        hit = _PARSED[key] = (scenario, world, parsed)
    return list(hit[2])


class _ConditionView:
    """Answers trigger conditions from the live state (the `ConditionContext` protocol)."""

    def __init__(self, model: Model):
        self.m = model

    def var(self, name: str) -> object:
        return QUERIES[name].answer(self.m, ())

    def call(self, fn: str, args: tuple[object, ...]) -> object:
        return QUERIES[fn].answer(self.m, tuple(str(x) for x in args))


class Model(SimpyClock):
    """One run of one scenario with one seed."""

    # re-check a condition only when its inputs changed (False: after every event; the two
    # give the same log, which tests check)
    incremental_triggers = True

    def __init__(self, scenario: Scenario, world: World, seed: int = 0,
                 until: float | None = None, parameters: dict[str, float] | None = None,
                 max_seconds: float | None = None, *, behaviours: Behaviours):
        self.scenario = scenario
        self.behaviours = behaviours
        self.world = world
        self.seed = int(seed)
        self.params = resolve_parameters(scenario, parameters)
        self.start: dt.date = scenario.start_date or world.start_date
        self.horizon = float(scenario.horizon_days if until is None
                             else min(until, scenario.horizon_days))
        self.cap = scenario.event_cap
        self.env = simpy.Environment()
        self.state: State = initial_state(world)
        self.events: list[Event] = []
        self.capped = False
        self.max_seconds = max_seconds
        self.timed_out = False
        self._deadline: float | None = None
        self.finished = False  # set by `advance` once the horizon or the event cap is reached
        self.delegate: Any = None  # decides for some actors at their wakes (sim serve students)
        self.history: list[dict[str, Any]] = []
        self._rngs: dict[str, np.random.Generator] = {}
        self._seed_words = uint32_words(self.seed)
        self._names: dict[str | None, str] = {}
        # (actor, knob) -> the default its behaviour declares, or None (read at every wake)
        self._knob_defaults: dict[tuple[str, str], float | None] = {}
        self._scheduled_days: dict[str, list[float]] = {}
        # a sleeping subscribed actor -> what its timer or wake calls first (see `_arm`); an
        # actor woken by a subscribed event -> that wake, until it resumes
        self._wake: dict[str, Callable[[simpy.Event], None]] = {}
        self._woken: dict[str, simpy.Event] = {}
        self._processes: list[simpy.Process] = []  # every process started: see `_release`
        self._subscriptions: dict[str, set[str]] = {}
        self._subscribers: set[str] = set()
        self._subscribed: dict[str, tuple[str, ...]] = {}  # kind -> its subscribers, in order
        self._triggers = scenario.triggers
        self._influence_cache: tuple[int, dict[str, float]] | None = None
        self._when: list[tuple[int, Condition]] = _trigger_conditions(scenario, world)
        self._fired: set[int] = set()
        self._held: set[int] = set()
        # trigger indices by input key (conditions) and by event kind (`on:` triggers)
        self._always: list[int] = []
        self._by_input: dict[str, list[int]] = {}
        for i, cond in self._when:
            inputs = condition_inputs(cond)
            if inputs is None or not self.incremental_triggers:
                self._always.append(i)
            else:
                for key in inputs:
                    self._by_input.setdefault(key, []).append(i)
        self._conditions = dict(self._when)
        self._on: dict[str, list[int]] = {}
        for i, t in enumerate(scenario.triggers):
            if t.on is not None:
                self._on.setdefault(t.on.kind, []).append(i)
        self._checked_once = False
        self._checked_day: float | None = None
        # no condition reads the clock or is re-checked after every event: an event changing
        # none of `_watched` leaves every condition as it was (the common case by far)
        self._quiet = not self._always and TIME not in self._by_input
        self._watched = frozenset(self._by_input)

    # --- randomness and parameters ------------------------------------------------------
    def rng(self, purpose: str) -> np.random.Generator:
        """An independent stream per purpose, derived from the run seed and the purpose name."""
        gen = self._rngs.get(purpose)
        if gen is None:
            # `SeedSequence([seed, crc])`, given as the uint32 words numpy would make of that
            # list (each int little-endian, then joined): the same stream, a fifth cheaper to
            # start (about 65 streams a run); tests/test_engine_streams.py holds them equal
            words = self._seed_words + [zlib.crc32(purpose.encode())]
            ss = np.random.SeedSequence(np.array(words, dtype=np.uint32))
            gen = self._rngs[purpose] = np.random.Generator(np.random.PCG64(ss))
        return gen

    def num(self, value: float | str) -> float:
        """A number from a scenario field: a literal or a `$parameter` reference."""
        if isinstance(value, str):
            return self.params[value[1:]]
        return float(value)

    def policy(self, actor: str, name: str, otherwise: float | None = None) -> float:
        """The actor's value of a behaviour knob: set by the world or a scenario, else the
        default declared in `sim.catalogue.POLICY_KNOB_SPECS` for the actor's behaviour.

        `otherwise` is for reading another actor whose behaviour may lack the knob (e.g. how
        averse to a dispute a rival is): it is used only when that behaviour declares none.
        """
        own = self.state.policy.get(actor)
        if own:
            value = own.get(name)
            if value is not None:
                return float(value)
        key = (actor, name)
        try:
            default = self._knob_defaults[key]
        except KeyError:
            spec = self.world.actors[actor].policy if actor in self.world.actors else None
            knob = POLICY_KNOB_SPECS.get(spec.kind, {}).get(name) if spec is not None else None
            default = self._knob_defaults[key] = knob.default if knob is not None else None
        if default is not None:
            return default
        if otherwise is None:
            raise KeyError(f"{actor}'s behaviour declares no knob {name!r}")
        return otherwise

    # --- the log ------------------------------------------------------------------------
    def process(self, proc: Process) -> simpy.Process:
        """Start `proc` as a SimPy process (every process of a run starts here: see
        `_release`)."""
        started = self.env.process(proc)
        self._processes.append(started)
        return started

    def scheduled_days(self, kind: str) -> list[float]:
        """The days of the scenario's scheduled events of action kind `kind`, in file order
        (fixed for the run: kept per kind, a fresh list each time)."""
        days = self._scheduled_days.get(kind)
        if days is None:
            days = self._scheduled_days[kind] = self._days_of(kind)
        return list(days)

    def _days_of(self, kind: str) -> list[float]:
        return [float((spec.at - self.start).days if spec.at is not None
                      else self.num(spec.day or 0))
                for spec in self.scenario.events if spec.do.kind == kind]

    def emit(self, kind: str, actor: str | None, changes: dict[str, Any], cause: int | None,
             text: str, details: dict[str, Any] | None = None) -> Event:
        """Record a state change: the single door through which the state is modified.

        `changes` holds state changes only (keys of `sim.state.APPLY`); description goes in
        `details`.  An unknown key in `changes` is a programming error and raises at once, so a
        descriptive field can never be folded into the state by accident.
        """
        if kind not in EVENT_KINDS:
            raise ValueError(f"event kind {kind!r} is not declared in sim.catalogue.KINDS")
        if not changes.keys() <= APPLY_KEYS:
            raise ValueError(f"event {kind!r}: {', '.join(unknown_changes(changes))} not state "
                             "changes (put description in details=)")
        events = self.events
        n = len(events)
        if n >= self.cap:
            self.capped = True
            raise EventCapReached()
        if self._deadline is not None and not n % 64 and time.monotonic() > self._deadline:
            self.timed_out = True
            raise EventCapReached()
        if cause is not None and not 0 <= cause < n:
            raise AssertionError(f"cause {cause} does not point to an earlier event")
        event = Event(n, round4(float(self.env._now)), kind, actor, changes, cause, text,
                      details or {})
        apply(self.state, event)
        events.append(event)
        if not INFLUENCE_INPUTS.isdisjoint(changes):
            self._influence_cache = None
        self._after(event)
        return event

    def _after(self, event: Event) -> None:
        subscribers = self._subscribed.get(event.kind)
        if subscribers:
            for actor in subscribers:
                # the first subscribed event of an actor's sleep wakes it (once: `first` is
                # dropped); the actor takes the id if the wake is processed before it resumes
                first = self._wake.get(actor)
                if first is not None and actor != event.actor:
                    del self._wake[actor]
                    wake = self._woken[actor] = self.env.event()
                    wake.callbacks.append(first)
                    wake.succeed(event.id)
        if self._triggers:
            self._check_triggers(event)

    # --- triggers -----------------------------------------------------------------------
    def _check_triggers(self, event: Event) -> None:
        triggers = self._triggers
        if not triggers or event.kind == "trigger_fired":
            return
        if self._quiet and self._checked_once and self._watched.isdisjoint(event.changes):
            due: list[int] = []
        else:
            due = self._due_conditions(event)
        if due:
            view = _ConditionView(self)
            for i in due:
                trig = triggers[i]
                if trig.once and i in self._fired:
                    continue
                holds = self._conditions[i].evaluate(view)
                if holds and i not in self._held:
                    self._held.add(i)
                    self._fire(i, event)
                elif not holds:
                    self._held.discard(i)
        for i in self._on.get(event.kind, ()):
            trig = triggers[i]
            if trig.once and i in self._fired:
                continue
            if trig.on.actor in (None, event.actor):
                self._fire(i, event)

    def _due_conditions(self, event: Event) -> list[int]:
        """Indices (in order) of the conditions whose inputs may have changed since the last
        check: all of them the first time; then those reading a changed state key, or the
        clock if it moved.  A condition not re-evaluated keeps its last value, so skipping it
        changes nothing."""
        if not self._checked_once:
            self._checked_once = True
            self._checked_day = self.state.day
            return [i for i, _ in self._when]
        due: set[int] = set(self._always)
        by_input = self._by_input
        for key in event.changes:
            if key in by_input:
                due.update(by_input[key])
        if self.state.day != self._checked_day:
            self._checked_day = self.state.day
            if TIME in by_input:
                due.update(by_input[TIME])
        return sorted(due) if due else []

    def _fire(self, i: int, event: Event) -> None:
        trig = self.scenario.triggers[i]
        p = self.num(trig.probability)
        draw = float(self.rng(f"trigger:{i}").random())
        if draw >= p:
            return
        self._fired.add(i)
        self.process(self._delayed(i, event.id))

    def _delayed(self, i: int, cause: int) -> Process:
        trig = self.scenario.triggers[i]
        delay = max(0.0, self.num(trig.delay))
        if 0.0 < delay < MIN_STEP_DAYS:  # a parameter drawn below the floor: at the floor
            delay = MIN_STEP_DAYS
        yield self.env.timeout(delay)
        label = trig.name or f"trigger {i}"
        fired = self.emit("trigger_fired", None, {}, cause,
                          f"Trigger '{label}' fires: {trig.when or 'on ' + trig.on.kind}",
                          details={"trigger": label})
        self.do(trig.then, fired.id)

    # --- processes ----------------------------------------------------------------------
    def subscribe(self, actor: str, *kinds: str) -> None:
        self._subscribers.add(actor)
        for kind in kinds:
            self._subscriptions.setdefault(kind, set()).add(actor)
            # sorted: a set's order follows PYTHONHASHSEED, and the wake order decides event ids
            self._subscribed[kind] = tuple(sorted(self._subscriptions[kind]))

    def sleep(self, actor: str, days: float, otherwise: int | None = None
              ) -> Generator[simpy.Event, Any, int | None]:
        """Wait `days` or until a subscribed event happens; returns the waking event's id (else
        `otherwise`: a behaviour's turn passes 0, the run's start, as the cause of its acts).

        With a `delegate` (students playing actors in `sim serve`), an actor it plays is asked
        first each time it wakes; if the delegate acted, the actor sleeps again instead of its
        policy deciding.  Without one (every ordinary run) this is the plain wait.
        """
        while True:
            if actor not in self._subscribers:
                yield Timeout(self.env, days)
                woke = None
            else:
                yield self._arm(actor, days)
                self._wake.pop(actor, None)
                wake = self._woken.pop(actor, None)
                woke = wake._value if wake is not None and wake.callbacks is None else None
            delegate = self.delegate
            if delegate is None or actor not in delegate.actors:
                return woke if woke is not None else otherwise
            acted = yield from delegate.decide(self, actor, woke)
            if not acted:
                return woke if woke is not None else otherwise

    def _arm(self, actor: str, days: float) -> simpy.Event:
        """`timeout | wake` without SimPy's Condition machinery (a third of a wake's cost): the
        `done` event the actor's process waits on, triggered by whichever is processed first of
        the timeout and the actor's `wake` (made and succeeded by `_after` with a subscribed
        event's id, so most sleeps, which end at their timeout, never make one).  The same
        events are scheduled in the same order as with `AnyOf`, so the run is the same; and, as
        AnyOf's value would, the waking id counts whenever `wake` was processed by the time
        `done` is, even if the timeout came first.  (Inlined in `sleep`, not a generator of its
        own: every wake of every actor passes here.)

        `done` is processed on the spot, not scheduled, when nothing else is queued for this
        instant: scheduled, it would be the very next event processed (nothing can be queued
        before it at a later time), so the actor resumes at the same point of the run, one
        SimPy step and heap entry cheaper.  When another event shares the instant, `done` is
        scheduled behind it, exactly as `AnyOf` would."""
        env = self.env
        done = SimpyEvent(env)
        queue = env._queue

        def first(_: simpy.Event) -> None:
            if done._value is not PENDING:  # the other of the two came first
                return
            if queue and queue[0][0] == env._now:
                done.succeed()
                return
            done._ok = True
            done._value = None
            callbacks = done.callbacks
            done.callbacks = None  # type: ignore[assignment]  # processed, as SimPy marks it
            for callback in callbacks:  # what `env.step` would do with `done` next
                callback(done)

        timer = Timeout(env, days)
        timer.callbacks.append(first)
        self._wake[actor] = first
        return done

    def at(self, day: float, fn: Callable[[], None]) -> None:
        def proc() -> Process:
            yield self.env.timeout(day)
            fn()
        self.process(proc())

    # --- derived quantities -------------------------------------------------------------
    def support(self, actor: str) -> float:
        """National potential vote share: seat-weighted mean over governorates."""
        return queries.national_support(self.state, self.world, actor)

    def influence(self) -> dict[str, float]:
        if self._influence_cache is None:
            self._influence_cache = (len(self.events), queries.influence(self.state, self.world))
        return self._influence_cache[1]

    # --- actions: what scenario events, triggers and policies can do ---------------------
    def do(self, action: Any, cause: int | None) -> None:
        self.behaviours.perform(self, action, cause)

    def name(self, actor: str | None) -> str:
        """An actor's display name (`sim.naming.actor_name`), kept per actor for the run (most
        event texts name two actors)."""
        got = self._names.get(actor)
        if got is None:
            got = self._names[actor] = actor_name(self.world, actor)
        return got

    # --- running ------------------------------------------------------------------------
    def run(self) -> None:
        self.begin()
        self.advance()

    def begin(self) -> None:
        """Start the run (the `run_started` event, every process) without advancing time."""
        self.emit("run_started", None, {
            "policy": {a: {k: self.num(knob_value(v)) for k, v in over.items()}
                       for a, over in sorted(self.scenario.policies.items())},
        }, None, f"Scenario '{self.scenario.name}' starts on {self.start.isoformat()}.",
            details={"parameters": dict(sorted(self.params.items()))})
        for i, spec in enumerate(self.scenario.events):
            day = (spec.at - self.start).days if spec.at is not None else self.num(spec.day)
            self.process(self._scheduled(i, float(day)))
        self.behaviours.start(self)
        if self.max_seconds is not None:
            self._deadline = time.monotonic() + self.max_seconds

    def advance(self, stop: Callable[[], bool] | None = None) -> bool:
        """Run on to the horizon, or (with `stop`) one SimPy step at a time until `stop()` holds.

        The hook for playing a run live (`sim serve`): pause after any step, resume later.
        Stepping processes exactly the events `env.run(until=horizon)` would, in the same
        order, so a run played in pieces logs the same bytes as one run in one go.  Returns
        True when stopped early with work left, False once the run has ended.
        """
        if self.finished:
            return False
        # A run leaves almost nothing that only the cycle collector can free (its objects die
        # by reference counting; `_release` breaks the model's own cycle at the end, leaving
        # the SimPy environment and the processes still waiting at the horizon, ~150 small
        # objects), so the collections its allocations would set off only walk live objects,
        # again and again as they age: paused for the run, the collector's work in a warm
        # process doing run after run drops by more than half.  Restored as found, even on an
        # error.
        collecting = gc.isenabled()
        if collecting:
            gc.disable()
        try:
            return self._advance(stop)
        finally:
            if collecting:
                gc.enable()

    def _advance(self, stop: Callable[[], bool] | None) -> bool:
        try:
            if stop is not None:
                while self.env.peek() < self.horizon:
                    self.env.step()
                    if stop():
                        return True
            self.env.run(until=self.horizon)
        except EventCapReached:
            pass
        self.finished = True
        self._release()
        return False

    def _release(self) -> None:
        """Drop what a finished run still has scheduled past its end.

        A process still waiting at the end holds its generator, whose frame holds this model,
        and the event it waits on holds the process: left alone, a finished model is a
        reference cycle that only the garbage collector frees, after walking the whole run
        (events, history, state) in each generation it ages through -- a sixth of a run's CPU
        in a warm process doing run after run.  Closing the generators (no process has a
        `finally`) and emptying the queue lets reference counting free the model as soon as
        its caller drops it; so does forgetting the event each waiting process waits on,
        whose callbacks hold the process (an actor's sleep is not in the queue).  Nothing can
        run after the end: `advance` returns at once once `finished`."""
        for started in self._processes:
            started._generator.close()
            started._target = None  # type: ignore[assignment]
        self._processes.clear()
        self.env._queue.clear()
        self._wake.clear()
        self._woken.clear()

    def _scheduled(self, i: int, day: float) -> Process:
        yield self.env.timeout(day)
        spec = self.scenario.events[i]
        label = spec.do.name or spec.do.kind
        ev = self.emit("scheduled", None, {}, 0,
                       f"Scheduled event '{label}'" + (f": {spec.do.note}" if spec.do.note
                                                       else ""),
                       details={"event": label, "index": i})
        self.do(spec.do, ev.id)

