"""The simulation state as plain objects, and the fold that builds it from events.

`initial_state(world)` turns the validated world into mutable plain data; `apply(state, event)`
is the only function that changes it, driven by the keys of the event's `changes` (the
vocabulary in `APPLY`; an event's `details` are description and never touch the state).  The
engine changes state only through `apply`, so replaying a log over the initial world (`replay`)
reproduces the final state exactly.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sim.events import Event
from sim.schema.world import World


def pair(a: str, b: str) -> tuple[str, str]:
    """Relationships are symmetric: stored under the sorted pair."""
    return (a, b) if a <= b else (b, a)


@dataclass(slots=True)
class State:
    day: float
    seats: dict[str, int]
    ministries: dict[str, str | None]
    posts: dict[str, str | None]
    relationships: dict[tuple[str, str], float]
    support: dict[str, float]  # additive shift of each list's vote share (share points)
    boycotting: set[str]
    sanctioned: set[str]
    brigades: dict[str, int]
    mobilisation: dict[str, float]
    law: str
    pm: str | None
    government: list[str]
    caretaker: bool = False
    state_sanctioned: bool = False
    casualties: int = 0
    clashes: int = 0
    protest: dict[str, Any] | None = None
    stalled: bool = False
    alliances: set[tuple[str, str]] = field(default_factory=set)
    elections: list[dict[str, Any]] = field(default_factory=list)
    policy: dict[str, dict[str, float]] = field(default_factory=dict)
    president_elected: bool = True
    nominee: str | None = None  # the prime minister designate (a person of world.candidates)
    pm_person: str | None = None  # the prime minister (a person); `pm` is their party's actor
    speaker_elected: bool = True
    formation_open: bool = False
    stances: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # [position, salience]

    def relationship(self, a: str, b: str) -> float:
        # `pair` inlined: this runs a few thousand times a run
        if a < b:
            return self.relationships.get((a, b), 0.0)
        if a == b:
            return 1.0
        return self.relationships.get((b, a), 0.0)

    def snapshot(self) -> dict[str, Any]:
        """A comparable, JSON-able copy (used by replay tests)."""
        out = {}
        for name in self.__slots__:
            value = getattr(self, name)
            if isinstance(value, set):
                value = sorted(value)
            elif name == "relationships":
                value = sorted([a, b, w] for (a, b), w in value.items())
            out[name] = copy.deepcopy(value)
        return out


def initial_state(world: World) -> State:
    actors = world.actors
    return State(
        day=0.0,
        seats={p: c.value for p, c in world.parliament.seats.items()},
        ministries={m: spec.holder.value for m, spec in world.ministries.items()},
        posts={p: spec.holder.value for p, spec in world.posts.items()},
        relationships={pair(r.a, r.b): r.weight.value for r in world.relationships},
        support={},
        boycotting={a for a, x in actors.items() if x.boycotting and x.boycotting.value},
        sanctioned={a for a, x in actors.items() if x.sanctioned and x.sanctioned.value},
        brigades={a: x.brigades.value for a, x in actors.items() if x.brigades},
        mobilisation={a: x.mobilisation.value for a, x in actors.items() if x.mobilisation},
        law=world.election_law,
        pm=world.candidates[world.government.prime_minister.value].party.value,
        pm_person=world.government.prime_minister.value,
        government=list(world.government.members.value),
        policy={a: x.policy.values() for a, x in actors.items() if x.policy},
    )


# --- the vocabulary of state changes ------------------------------------------------------

_ATOMS = (str, int, float, bool, type(None))


def plain_copy(value: Any) -> Any:
    """A deep copy of event data (dicts, lists, strings, numbers, None), as `copy.deepcopy`
    makes it but several times faster; anything else goes to `copy.deepcopy`.  The state keeps
    its own copy of what an event carries, so a caller mutating the event cannot reach it."""
    kind = type(value)
    if kind is dict:
        return {k: plain_copy(x) for k, x in value.items()}
    if kind is list:
        return [plain_copy(x) for x in value]
    if kind in _ATOMS:
        return value
    return copy.deepcopy(value)



def _seats(s: State, v: dict[str, int]) -> None:
    s.seats = dict(v)


def _ministries(s: State, v: dict[str, str | None]) -> None:
    s.ministries.update(v)


def _posts(s: State, v: dict[str, str | None]) -> None:
    s.posts.update(v)


def _relationships(s: State, v: list[list[Any]]) -> None:
    for a, b, w in v:
        s.relationships[pair(a, b)] = w


def _support(s: State, v: dict[str, float]) -> None:
    s.support.update(v)


def _set_membership(attr: str) -> Callable[[State, dict[str, bool]], None]:
    def apply_(s: State, v: dict[str, bool]) -> None:
        members: set[str] = getattr(s, attr)
        for actor, on in v.items():
            (members.add if on else members.discard)(actor)
    return apply_


def _alliances(s: State, v: list[list[Any]]) -> None:
    for a, b, on in v:
        (s.alliances.add if on else s.alliances.discard)(pair(a, b))


def _scalar(attr: str) -> Callable[[State, Any], None]:
    def apply_(s: State, v: Any) -> None:
        setattr(s, attr, plain_copy(v))
    return apply_


def _add(attr: str) -> Callable[[State, int], None]:
    def apply_(s: State, v: int) -> None:
        setattr(s, attr, getattr(s, attr) + v)
    return apply_


def _dict_update(attr: str) -> Callable[[State, dict[str, Any]], None]:
    def apply_(s: State, v: dict[str, Any]) -> None:
        target = getattr(s, attr)
        for k, x in v.items():
            if isinstance(x, dict) and isinstance(target.get(k), dict):
                target[k].update(x)
            else:
                target[k] = plain_copy(x)
    return apply_


def _election(s: State, v: dict[str, Any]) -> None:
    s.elections.append(plain_copy(v))


APPLY: dict[str, Callable[[State, Any], None]] = {
    "seats": _seats,
    "ministries": _ministries,
    "posts": _posts,
    "relationships": _relationships,
    "support": _support,
    "boycotting": _set_membership("boycotting"),
    "sanctioned": _set_membership("sanctioned"),
    "alliances": _alliances,
    "brigades": _dict_update("brigades"),
    "mobilisation": _dict_update("mobilisation"),
    "policy": _dict_update("policy"),
    "stances": _dict_update("stances"),
    "law": _scalar("law"),
    "pm": _scalar("pm"),
    "government": _scalar("government"),
    "caretaker": _scalar("caretaker"),
    "state_sanctioned": _scalar("state_sanctioned"),
    "protest": _scalar("protest"),
    "stalled": _scalar("stalled"),
    "president_elected": _scalar("president_elected"),
    "nominee": _scalar("nominee"),
    "pm_person": _scalar("pm_person"),
    "speaker_elected": _scalar("speaker_elected"),
    "formation_open": _scalar("formation_open"),
    # counters: the value is this event's count, added to the running total
    "casualties": _add("casualties"),
    "clashes": _add("clashes"),
    "election": _election,
}


def unknown_changes(changes: dict[str, Any]) -> list[str]:
    """The keys of `changes` outside the vocabulary (the engine refuses an event with any)."""
    return sorted(k for k in changes if k not in APPLY)


def apply(state: State, event: Event) -> None:
    """Fold one event's `changes` into the state (its `details` are never read here)."""
    state.day = event.t
    for key, value in event.changes.items():
        APPLY[key](state, value)


def replay(world: World, events: Iterable[Event]) -> State:
    """The state after folding `events` over the initial world."""
    state = initial_state(world)
    for event in events:
        apply(state, event)
    return state
