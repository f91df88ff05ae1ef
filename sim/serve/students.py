"""Students play actors: at each wake of a student's actor the run waits for the student.

`Classroom` is the engine's `delegate` (see `Model.sleep`): when an actor it plays wakes, it
sets `pending` (the actor, what it knows, its options) and waits on a SimPy event.  The live
run stops stepping while a decision is pending; the server shows the student the options with
a countdown and calls `answer` with the student's choice, or with None when time runs out, in
which case the actor's own policy decides as usual.  Either way a ``decision`` event is logged
with the student's actor as its actor (details: the action's YAML text or None, and who played
it), and a chosen action is performed with that event as its cause.

Options are actions of the scenario language in which the actor is the subject (end or start
a boycott, mobilise, form or break an alliance), each validated by the loader as any
intervention is.  Answers are only ever given between steps, in live play and in `replay`
alike, so a session with students replays byte for byte from its log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.serve.typed import describe, validate_action


@dataclass
class Pending:
    """A decision the run is waiting for."""

    actor: str
    student: str
    woke: int | None
    event: Any  # the SimPy event the actor's process waits on
    options: list[dict[str, Any]]
    knows: dict[str, Any]


@dataclass
class Classroom:
    """Which student plays which actor, and the decision being waited for (if any)."""

    players: dict[str, str]  # actor -> student's name
    pending: Pending | None = None
    chosen: dict[str, Any] = field(default_factory=dict)  # validated actions by option text

    @property
    def actors(self) -> set[str]:
        return set(self.players)

    def decide(self, m: Any, actor: str, woke: int | None) -> Any:
        """The generator `Model.sleep` runs at a wake of a student's actor."""
        answer = m.env.event()
        self.pending = Pending(actor, self.players[actor], woke, answer, options(m, actor),
                               knows(m, actor))
        text = yield answer
        self.pending = None
        student = self.players[actor]
        if text is None:
            m.emit("decision", actor, {}, woke,
                   f"{m.name(actor)} (played by {student}) gives no answer in time: its usual "
                   "judgment decides.", details={"action": None, "by": student})
            return False
        action = self.chosen.pop(text)
        ev = m.emit("decision", actor, {}, woke,
                    f"{m.name(actor)} (played by {student}) decides: {describe(action)}.",
                    details={"action": text, "by": student})
        m.do(action, ev.id)
        return True

    def answer(self, m: Any, text: str | None) -> None:
        """Give the pending decision its answer (validated here, performed at the next step)."""
        if self.pending is None:
            raise ValueError("no decision is pending")
        if text is not None:
            self.chosen[text] = validate_action(m.scenario, text, m.now)
        event, self.pending = self.pending.event, None
        event.succeed(text)


def knows(m: Any, actor: str) -> dict[str, Any]:
    """What the actor knows when it decides: its standing and its friends and rivals."""
    s = m.state
    others = [a for a in sorted(m.world.actors) if a != actor]
    ties = sorted(((s.relationship(actor, a), a) for a in others), reverse=True)
    return {
        "name": m.name(actor),
        "date": m.date().isoformat(),
        "seats": s.seats.get(actor, 0),
        "support": round(m.support(actor), 4) if actor in s.seats else None,
        "boycotting": actor in s.boycotting,
        "in_government": actor in s.government,
        "sanctioned": actor in s.sanctioned,
        "prime_minister": m.name(s.pm) if s.pm else None,
        "friends": [[m.name(a), round(w, 2)] for w, a in ties[:3] if w > 0],
        "rivals": [[m.name(a), round(w, 2)] for w, a in ties[::-1][:3] if w < 0],
    }


def options(m: Any, actor: str) -> list[dict[str, Any]]:
    """The actions open to the actor now, as labels and the scenario-language text of each."""
    s = m.state
    spec = m.world.actors[actor]
    out: list[dict[str, Any]] = []

    def add(label: str, text: str) -> None:
        out.append({"id": len(out), "label": label, "action": text})

    if actor in s.boycotting:
        add("End the boycott and return to politics", f"kind: end_boycott\nactor: {actor}")
    else:
        add("Withdraw from political life (boycott)", f"kind: start_boycott\nactor: {actor}")
        if spec.mobilisation is not None:
            add("Bring supporters onto the streets", f"kind: mobilise\nactor: {actor}\n"
                "strength: 0.6")
    allied = {b if a == actor else a for a, b in s.alliances if actor in (a, b)}
    parties = [a for a in sorted(s.seats, key=lambda p: (-s.seats[p], p))
               if a != actor and s.seats[a] > 0 and a in m.world.actors
               and m.world.actors[a].kind not in ("bloc", "state")]
    for other in parties[:6]:
        if other not in allied:
            add(f"Form an alliance with {m.name(other)}",
                f"kind: form_alliance\nactors: [{actor}, {other}]")
    for other in sorted(allied):
        add(f"Break the alliance with {m.name(other)}",
            f"kind: break_alliance\nactors: [{actor}, {other}]")
    return out
