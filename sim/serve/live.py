"""A run played live: advance in small steps, pause, intervene, fork, save, replay.

The engine runs a scenario in one go; a classroom needs it in pieces.  `LiveRun` drives
`Model.advance(stop)` one SimPy step at a time and keeps nothing the model does not already keep,
so a live run is the ordinary run, only watched.

Interventions are events.  An injected action is validated by the loader (`validate_action`,
the same code and the same one-line errors as `sim validate`), then logged as an
``intervention`` event (its details carry the action's YAML text and the log length it was
made at) and performed with that event as its cause.  Because the model only pauses after a
step that logged something, "after event N" names one exact point of the run, and `replay`
(scenario, seed, parameters and the interventions read back from a log) gives the same log
byte for byte.  That is also how a run is forked: replay to the current moment.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sim.compose import new_model
from sim.errors import InputError, Problem
from sim.events import Event, to_jsonl
from sim.schema.scenario import Scenario
from sim.serve.typed import FORM, describe, validate_action

#: Relationship weights below this (in absolute value) are not drawn on the alliance map.
TIE = 0.3


@dataclass(frozen=True, slots=True)
class Intervention:
    """An action injected after the log reached `after` events, as the text the user typed."""

    after: int
    text: str
    by: str = "teacher"


class LiveRun:
    """One scenario run that advances on request.  Not thread-safe: hold `lock` to use it."""

    def __init__(self, scenario: Scenario, seed: int = 0,
                 parameters: dict[str, float] | None = None):
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise InputError.cli("seed", f"must be a whole number from 0 to 2**63-1, got "
                                 f"{seed!r}")
        self.scenario = scenario
        self.seed = seed
        self.model = new_model(scenario, None, seed, None, parameters)
        self.model.begin()
        self.lock = threading.Lock()
        self.classroom: Any = None  # a `sim.serve.students.Classroom` once students play

    def enable_students(self, players: dict[str, str]) -> Any:
        """Hand actors to students; only before the first step, so replays know from the log."""
        from sim.serve.students import Classroom

        if len(self.events) != 1:
            raise InputError(Problem(FORM, 1, 1, "students", "assign actors to students "
                                     "before the run starts"))
        unknown = sorted(a for a in players if a not in self.model.world.actors
                         or self.model.world.actors[a].policy is None)
        if unknown:
            raise InputError(Problem(FORM, 1, 1, "students", f"not actors with a policy: "
                                     f"{', '.join(unknown)}"))
        self.classroom = Classroom(dict(players))
        self.model.delegate = self.classroom
        return self.classroom

    @property
    def pending(self) -> Any:
        return self.classroom.pending if self.classroom is not None else None

    # --- where we are ---------------------------------------------------------------------
    @property
    def events(self) -> list[Event]:
        return self.model.events

    @property
    def finished(self) -> bool:
        return self.model.finished

    @property
    def start(self) -> dt.date:
        return self.model.start

    def interventions(self) -> list[Intervention]:
        """The interventions made so far, read back from the log."""
        return interventions_in(self.events)

    # --- advancing ------------------------------------------------------------------------
    def step(self, events: int = 1,
             until: Callable[[Event], bool] | None = None) -> list[Event]:
        """Advance until at least `events` new events (or one for which `until` holds).

        Always stops right after a step that logged something (never after one that logged
        nothing), so the point reached is one a replay finds again by counting events.
        """
        first = len(self.events)
        if self.pending is not None:
            return []

        def stop() -> bool:
            if self.pending is not None:
                return True
            n = len(self.events)
            if n == first:
                return False
            if until is not None:
                return any(until(e) for e in self.events[first:])
            return n - first >= events

        self.model.advance(stop)
        return self.events[first:]

    def step_for(self, seconds: float, clock: Callable[[], float]) -> list[Event]:
        """Advance as far as `seconds` of computing allows (for "as fast as it computes")."""
        first = len(self.events)
        if self.pending is not None:
            return []
        deadline = clock() + seconds
        last = [first]

        def stop() -> bool:
            if self.pending is not None:
                return True
            n = len(self.events)
            if n == last[0]:
                return False
            last[0] = n
            return clock() >= deadline

        self.model.advance(stop)
        return self.events[first:]

    def inject(self, text: str, by: str = "teacher") -> list[Event]:
        """Validate and perform an action now; returns the events it logged (first: its cause)."""
        if self.finished:
            raise InputError(Problem(FORM, 1, 1, "", "the run has ended: nothing to change"))
        if self.pending is not None:
            raise InputError(Problem(FORM, 1, 1, "", "a student is deciding: wait for the "
                                     "answer (or the countdown) first"))
        action = validate_action(self.scenario, text, self.model.now)
        return self._perform(Intervention(len(self.events), text, by), action)

    def _perform(self, iv: Intervention, action: Any) -> list[Event]:
        first = len(self.events)
        who = "A student" if iv.by != "teacher" else "The teacher"
        cause = self.model.emit(
            "intervention", None, {}, None, f"{who} intervenes: {describe(action)}.",
            details={"action": iv.text, "after": iv.after, "by": iv.by})
        self.model.do(action, cause.id)
        return self.events[first:]

    # --- what the page draws --------------------------------------------------------------
    def frame(self) -> dict[str, Any]:
        """The state as the page draws it: seats, government, ties, influence, the clock."""
        s, m = self.model.state, self.model
        ties = sorted([a, b, round(w, 3)] for (a, b), w in s.relationships.items()
                      if abs(w) >= TIE)
        return {
            "n": len(self.events),
            "t": m.now,
            "date": m.date().isoformat(),
            "finished": self.finished,
            "capped": m.capped,
            "seats": dict(s.seats),
            "pm": s.pm,
            "caretaker": s.caretaker,
            "government": list(s.government),
            "ministries": dict(s.ministries),
            "posts": dict(s.posts),
            "ties": ties,
            "alliances": sorted([a, b] for a, b in s.alliances),
            "influence": {a: round(v, 4) for a, v in sorted(m.influence().items())},
            "law": s.law,
            "boycotting": sorted(s.boycotting),
            "sanctioned": sorted(s.sanctioned),
            "casualties": s.casualties,
            "stalled": s.stalled,
        }

    def meta(self) -> dict[str, Any]:
        """What does not change during a run: actors (names, colours), dates, the scenario."""
        world = self.model.world
        actors = {a: {"name": spec.name, "colour": spec.colour, "kind": spec.kind,
                      "bloc": spec.bloc, "policy": spec.policy is not None}
                  for a, spec in world.actors.items()}
        return {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "parameters": dict(sorted(self.model.params.items())),
            "start": self.start.isoformat(),
            "horizon": self.model.horizon,
            "parliament": world.parliament.size.value,
            "actors": actors,
        }

    def governorate_votes(self) -> dict[str, dict[str, Any]]:
        """Each governorate's expected votes if the election were held now (no noise drawn).

        Uses the engine's own `election_votes` with a noise source that always returns its
        mean, so the run's random streams are never touched: looking does not change the run.
        """
        from sim.institutions.elections import election_votes

        votes = election_votes(self.model, _NoNoise())  # type: ignore[arg-type]
        world = self.model.world
        return {g: {"seats": world.governorates[g].seats.value,
                    "votes": {p: v for p, v in sorted(row.items(), key=lambda x: -x[1]) if v}}
                for g, row in votes.items()}

    def event_dicts(self, events: Iterable[Event]) -> list[dict[str, Any]]:
        return [e.as_dict(self.start) for e in events]

    def jsonl(self) -> str:
        return to_jsonl(self.events, self.start)

    # --- the run as an ordinary run -------------------------------------------------------
    def to_run(self) -> Any:
        """A `sim.api.Run` of what has been played (`until` is the current day if unfinished)."""
        from sim.api import Run
        from sim.summary import summarise

        until = None if self.finished else self.model.now
        return Run(self.scenario, self.seed, until, dict(self.model.params), list(self.events),
                   summarise(self.model), self.model.state, self.start)


class _NoNoise:
    """Stands in for a numpy Generator: every normal draw is its mean (expected votes)."""

    def normal(self, loc: float = 0.0, scale: float = 1.0,
               size: int | None = None) -> float | list[float]:
        return float(loc) if size is None else [float(loc)] * size


def interventions_in(events: Iterable[Event]) -> list[Intervention]:
    return [Intervention(int(e.details["after"]), str(e.details["action"]),
                         str(e.details.get("by", "teacher")))
            for e in events if e.kind == "intervention"]


def decisions_in(events: Iterable[Event]) -> list[tuple[str, str, str | None]]:
    """Students' decisions read back from a log: (actor, student, action text or None)."""
    return [(str(e.actor), str(e.details.get("by", "a student")), e.details.get("action"))
            for e in events if e.kind == "decision"]


def replay(scenario: Scenario, seed: int, parameters: dict[str, float] | None,
           interventions: Iterable[Intervention], upto: int | None = None,
           decisions: Iterable[tuple[str, str, str | None]] = ()) -> LiveRun:
    """The same run again: the interventions and students' decisions at the same points.

    Interventions are made when the log has as many events as when they were first made;
    students' answers are given, in order, when the run waits for them (always between steps,
    as in live play).  So the log is the same, byte for byte.  With `upto`, stop as soon as the
    log has that many events (how a run is forked at the current moment).
    """
    live = LiveRun(scenario, seed, parameters)
    answers = list(decisions)
    if answers:
        live.enable_students({actor: by for actor, by, _ in answers})
    todo = list(interventions)
    while True:
        n = len(live.events)
        if live.pending is not None:
            if not answers or answers[0][0] != live.pending.actor:
                raise InputError(Problem(FORM, 1, 1, "", "cannot replay: the log has no "
                                         f"decision for {live.pending.actor} here"))
            live.classroom.answer(live.model, answers.pop(0)[2])
            continue
        if todo and todo[0].after <= n and (upto is None or todo[0].after < upto):
            iv = todo.pop(0)
            if iv.after != n:
                raise InputError(Problem(FORM, 1, 1, "", f"cannot replay: the log reached "
                                         f"{n} events, not {iv.after}"))
            live._perform(iv, validate_action(scenario, iv.text, live.model.now))
            continue
        if (upto is not None and n >= upto) or live.finished:
            return live
        target = todo[0].after if todo else None
        if upto is not None:
            target = upto if target is None else min(target, upto)

        def stop(target: int | None = target) -> bool:
            return live.pending is not None or (target is not None
                                                 and len(live.events) >= target)

        live.model.advance(stop)
