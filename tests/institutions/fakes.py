"""A small fake of `sim.context.Context` and a tiny world, for testing institutions alone.

`FakeContext` is a plain class: a hand-made state, a list for the log, a SimPy clock, one
random stream per purpose and, optionally, influence values set by hand.  `tiny_world()` is a
30-seat parliament of seven parties in three governorates, every number set here (and cited as a
test assumption), so each test can work its expected answer out by hand.  The party ids are the
ones formation knows by name ('cf' the Framework bloc, 'sadrists', 'kdp' and 'puk' for the
presidency).
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from sim.catalogue import EVENT_KINDS
from sim.context import Context, Process, SimpyClock
from sim.events import Event
from sim.naming import actor_name
from sim.queries import influence
from sim.schema.world import World
from sim.state import State, apply, initial_state, pair, unknown_changes


def cite(value: Any) -> dict[str, Any]:
    return {"value": value, "assumption": "test"}


def stage(days: float) -> dict[str, Any]:
    """A stage that always takes `days` (low = mode = high)."""
    return {"days": cite([days, days, days])}


SEATS = {"sol": 8, "badr": 4, "sadrists": 9, "kdp": 3, "puk": 2, "taqaddum": 2,
         "independents": 2}  # 30

# who gets on with whom (everything else 0)
RELATIONSHIPS = {("sol", "badr"): 0.5, ("sol", "kdp"): 0.2, ("badr", "kdp"): -0.1,
                 ("sol", "puk"): -0.3, ("sadrists", "sol"): -0.6, ("sadrists", "badr"): -0.2,
                 ("sadrists", "taqaddum"): 0.6, ("sadrists", "puk"): 0.5,
                 ("sadrists", "kdp"): 0.3}

FORMATION: dict[str, Any] = {
    "certification": stage(10), "first_session": stage(5), "session_retry": stage(4),
    "president_deadline": stage(7), "nomination": stage(20), "designation": stage(3),
    "cabinet": stage(10), "vacancy_fill": stage(30), "cabinet_deadline": cite(30),
    "deal_hazard": cite(0.0), "deal_gain": cite(0.2), "hostile_below": cite(-0.5),
    "partner_above": cite(0.5), "grouping_absence": cite(1.0), "speaker_support": cite(1.0),
    "kdp_contest": cite(0.0), "speaker_sect": cite("sunni"), "premier_sect": cite("shia"),
    "president_parties": cite(["puk", "kdp"]), "minister_rejection": cite(0.0),
    "security_rejection": cite(0.0),
    "armed_faction_objection": cite(0.0), "holdout": cite(0.0), "compromise_step": cite(0.0),
    "strong_pm_aversion": cite(0.0), "stance_weight": cite(1.0),
    "relationship_weight": cite(1.0), "standing_weight": cite(1.0),
    "portfolio_value": cite(0.1), "join_relationship_weight": cite(1.0),
    "join_stance_weight": cite(0.0), "opposition_cost": cite(0.3), "join_noise": cite(0.0),
    "veto_players": {}, "declared_opposition": cite(["taqaddum"]),
    "not_parties": cite(["independents"]),
    "withdrawal": {"patience": cite(100.0), "hazard": cite(0.01), "runners_up": cite("test")},
}

BEHAVIOUR = {"grievance.exclusion": 0.4, "grievance.rival_below": -0.3,
             "grievance.rival_weight": 0.5,
             # no grouping deputy is open to joining a bloc: the house stays as set by hand
             "recruitment.available_share": 0.0, "recruitment.half_life_days": 10.0,
             "recruitment.cadence_days": 7.0, "recruitment.size_weight": 1.0,
             "recruitment.prospect_weight": 0.5, "recruitment.portfolio_weight": 5.0,
             "recruitment.affinity_weight": 1.0, "recruitment.sect_weight": 1.0}


def _party(name: str, sect: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "kind": "party", "sect": sect, "colour": "#123456", **more}


def tiny_world(formation: dict[str, Any] | None = None,
               candidates: dict[str, Any] | None = None) -> World:
    """The tiny world, with some `formation` values or the `candidates` replaced."""
    people = {
        "pa": {"name": "Person A", "party": cite("sol"), "standing": cite(0.6)},
        "pb": {"name": "Person B", "party": cite("badr"), "standing": cite(0.5)},
        "ps": {"name": "Person S", "party": cite("sadrists"), "standing": cite(0.5)},
        "pk": {"name": "Person K", "party": cite("kdp"), "sect": "kurd",
               "standing": cite(0.5)},
        "pi": {"name": "Person I", "party": cite(None), "standing": cite(0.4)},
    }
    return World.model_validate({
        "seed_document": "test", "start_date": dt.date(2025, 1, 1),
        "parliament": {"size": cite(30), "confidence_quota": cite(16),
                       "president_quorum": cite(20),
                       "seats": {p: cite(n) for p, n in SEATS.items()}},
        "actors": {
            "cf": {"name": "Framework", "kind": "bloc", "sect": "shia", "colour": "#000000",
                   "members": ["sol", "badr"]},
            "sol": _party("State of Law", "shia", bloc="cf"),
            "badr": _party("Badr", "shia", bloc="cf"),
            "sadrists": _party("Sadrists", "shia", withdraws_deputies=cite(True)),
            "kdp": _party("KDP", "kurd"),
            "puk": _party("PUK", "kurd"),
            "taqaddum": _party("Taqaddum", "sunni"),
            "independents": {"name": "Independents", "kind": "list", "colour": "#999999"},
            "us": {"name": "United States", "kind": "state", "colour": "#0000ff"},
        },
        "ministries": {
            "Finance": {"weight": 2.0, "sovereign": True, "holder": cite("sol")},
            "Oil": {"weight": 2.0, "sovereign": True, "holder": cite("badr")},
            "Health": {"weight": 1.0, "holder": cite("kdp")},
        },
        "posts": {},
        "relationships": [{"a": a, "b": b, "weight": cite(w)}
                          for (a, b), w in RELATIONSHIPS.items()],
        "governorates": {"baghdad": {"seats": cite(16), "region": "centre"},
                         "basra": {"seats": cite(9), "region": "south"},
                         "erbil": {"seats": cite(5), "region": "kurdistan"}},
        "votes": {"source": cite("test"), "turnout": cite(0.4), "voters_per_seat": cite(1000),
                  "shares": {"baghdad": {"sol": 0.3, "badr": 0.1, "sadrists": 0.4,
                                         "taqaddum": 0.1, "independents": 0.1},
                             "basra": {"sol": 0.2, "badr": 0.2, "sadrists": 0.5,
                                       "independents": 0.1},
                             "erbil": {"kdp": 0.6, "puk": 0.4}}},
        "laws": {"2023_sl17": {"position": 50, "method": "sainte-lague", "first_divisor": 1.7,
                               "source": cite("test")}},
        "election_law": "2023_sl17",
        "government": {"prime_minister": cite("pa"), "members": cite(["sol", "badr", "kdp"]),
                       "formed": dt.date(2022, 10, 27)},
        "candidates": candidates if candidates is not None else people,
        "formation": {**FORMATION, **(formation or {})},
        "behaviour": {k: cite(v) for k, v in BEHAVIOUR.items()},
        # the parts the seed world casts (its cross-camp builder, the Framework, Washington)
        "roles": {"sanctioning_power": "us", "cross_camp_builder": "sadrists",
                  "cross_camp_bloc": "sadrist_bloc", "builder_rival": "cf"},
    })


class FakeContext(SimpyClock):
    """Implements `sim.context.Context` with no engine: emit folds the change into the state
    and appends to `events`; time is a bare SimPy environment; nothing is started."""

    def __init__(self, world: World, state: State | None = None, day: float = 0.0,
                 seed: int = 0, params: dict[str, float] | None = None,
                 influence_values: dict[str, float] | None = None,
                 policies: dict[str, dict[str, float]] | None = None):
        self.world = world
        self.state = state if state is not None else initial_state(world)
        self.state.day = day
        self.params = dict(params or {})
        self.events: list[Event] = []
        self.history: list[dict[str, Any]] = []
        self.env = simpy.Environment(initial_time=day)
        self.start = world.start_date
        self.seed = seed
        self.influence_values = influence_values
        self.policies = policies or {}
        self.subscriptions: dict[str, set[str]] = {}
        self.streams: dict[str, np.random.Generator] = {}

    # --- the protocol ----------------------------------------------------------------------

    def process(self, proc: Process) -> simpy.Process:
        return self.env.process(proc)

    def sleep(self, actor: str, days: float, otherwise: int | None = None
              ) -> Generator[simpy.Event, Any, int | None]:
        yield self.env.timeout(days)
        return otherwise

    def subscribe(self, actor: str, *kinds: str) -> None:
        for kind in kinds:
            self.subscriptions.setdefault(kind, set()).add(actor)

    def scheduled_days(self, kind: str) -> list[float]:
        return []

    def emit(self, kind: str, actor: str | None, changes: dict[str, Any], cause: int | None,
             text: str, details: dict[str, Any] | None = None) -> Event:
        assert kind in EVENT_KINDS, kind
        assert not unknown_changes(changes), unknown_changes(changes)
        assert cause is None or 0 <= cause < len(self.events), cause
        event = Event(len(self.events), self.now, kind, actor, changes, cause, text,
                      details or {})
        apply(self.state, event)
        self.events.append(event)
        return event

    def rng(self, purpose: str) -> np.random.Generator:
        if purpose not in self.streams:  # one stream per purpose, kept, as the engine does
            self.streams[purpose] = np.random.default_rng([self.seed, zlib.crc32(purpose.encode())])
        return self.streams[purpose]

    def num(self, value: float | str) -> float:
        return self.params[value[1:]] if isinstance(value, str) else float(value)

    def policy(self, actor: str, name: str, otherwise: float | None = None) -> float:
        value = self.policies.get(actor, {}).get(name, otherwise)
        if value is None:
            raise KeyError(name)
        return value

    def influence(self) -> dict[str, float]:
        if self.influence_values is not None:
            return dict(self.influence_values)
        return influence(self.state, self.world)

    def name(self, actor: str | None) -> str:
        return actor_name(self.world, actor)

    # --- helpers for tests -------------------------------------------------------------------
    def run(self, proc: Process, until: float | None = None) -> None:
        """Run one process (and whatever it starts) to its end, or to day `until`."""
        self.env.process(proc)
        self.env.run(until=until)

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    def of(self, kind: str) -> list[Event]:
        return [e for e in self.events if e.kind == kind]

    def relate(self, a: str, b: str, weight: float) -> None:
        self.state.relationships[pair(a, b)] = weight


def context(world: World | None = None, **kwargs: Any) -> Context:
    """A `FakeContext` typed as the protocol (mypy checks the fake implements it)."""
    fake: Context = FakeContext(world if world is not None else tiny_world(), **kwargs)
    return fake

