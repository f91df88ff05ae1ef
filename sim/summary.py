"""The outcome of a run as plain JSON: what analysts, sweeps and reports read.

Its contract is `sim.artifacts.Summary`, checked where it is written (`sim.write_run`) and read
(reports, compare), not in every run of a sweep (full validation costs ~1 ms a run); tests check
that every scenario's summary meets it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from sim import institutions as inst
from sim.catalogue import POLICY_KNOB_SPECS
from sim.institutions.knobs import KNOB_NOTES, KNOBS
from sim.schema.scenario import CitedKnob, knob_value
from sim.schema.world import (
    Cited,
    Display,
    LawSpec,
    PastEvent,
    ProvincialRecord,
    Sourced,
    VoteShares,
    World,
)

if TYPE_CHECKING:
    from sim.engine import Model
    from sim.schema.scenario import Scenario


_ASSUMPTIONS: dict[int, tuple[World, list[dict[str, Any]]]] = {}


def assumptions(world: World) -> list[dict[str, Any]]:
    """Every `assumption`-provenance value in the world, by dotted path (cached per world)."""
    hit = _ASSUMPTIONS.get(id(world))
    if hit is not None and hit[0] is world:
        return [dict(a) for a in hit[1]]
    out = _walk_assumptions(world)
    if len(_ASSUMPTIONS) > 64:
        _ASSUMPTIONS.clear()
    _ASSUMPTIONS[id(world)] = (world, out)
    return [dict(a) for a in out]


def _walk_assumptions(world: World) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, Cited):
            if node.assumption:
                out.append({"field": path, "about": about(world, path), "value": node.value,
                            "note": node.assumption})
            return
        if isinstance(node, Sourced) and node.provenance is not None:
            # a record cited as a whole (a stance, a list's vote management): one entry for
            # its numbers; a Cited field inside it (fragment_skew) keeps its own
            if node.assumption:
                out.append({"field": path, "about": about(world, path),
                            "value": sourced_numbers(node), "note": node.assumption})
        if isinstance(node, BaseModel):
            for name in type(node).model_fields:
                walk(getattr(node, name), f"{path}.{name}" if path else name)
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}.{i}")

    walk(world, "")
    return out + _walk_uncited(world)


# What an uncited number of the world is noted as: the world file promises a provenance for every
# figure, but a few sections give some as bare numbers (actors' stances on the issues,
# candidates' positions, ministries' and posts' weights, behaviours' cadences, lists' vote
# management, laws' places on the election-law scale, quota seats).  They drive behaviour, so a
# run that read them rests on them: they are the analyst's guesses until someone cites them.
UNCITED = ("given in the world without provenance (no seed, external or assumption): an "
           "uncited figure, read as an assumption")
# Parts whose numbers carry their provenance as a whole or drive nothing: the vote shares and
# a provincial record are cited by their `source`, a past event by its own, a law's formula
# (first divisor, districts) by the law's `source`; the display section only draws charts.
_CITED_AS_A_WHOLE = (VoteShares, ProvincialRecord, PastEvent, Display)
_CITED_FIELDS: dict[type, frozenset[str]] = {LawSpec: frozenset({"first_divisor", "districts"})}


def _walk_uncited(world: World) -> list[dict[str, Any]]:
    """Every bare number of the world outside a Cited value, as an assumption entry."""
    out: list[dict[str, Any]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, (Cited, *_CITED_AS_A_WHOLE)) or isinstance(node, bool):
            return
        if isinstance(node, Sourced) and node.provenance is not None:
            return
        if isinstance(node, (int, float)):
            out.append({"field": path, "about": about(world, path), "value": node,
                        "note": UNCITED})
        elif isinstance(node, BaseModel):
            skip = _CITED_FIELDS.get(type(node), frozenset())
            for name in type(node).model_fields:
                if name not in skip:
                    walk(getattr(node, name), f"{path}.{name}" if path else name)
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, (list, tuple)):
            for i, v in enumerate(node):
                walk(v, f"{path}.{i}")

    walk(world, "")
    return out


def sourced_numbers(record: Sourced) -> dict[str, Any]:
    """The numbers a record cited as a whole gives, by field (its provenance left out)."""
    return {name: getattr(record, name) for name in type(record).model_fields
            if name not in Sourced.model_fields
            and isinstance(getattr(record, name), (int, float))
            and not isinstance(getattr(record, name), bool)}


# What a number a scenario writes is noted as: the what-if defines it (an alliance's strength,
# a reaction's probability and delay), so a run of it rests on it like on a world assumption.
DEFINITION = "the what-if's own definition (scenario {scenario}, {what})"
_SCENARIO_ASSUMPTIONS: dict[int, tuple[Scenario, list[dict[str, Any]]]] = {}


def scenario_assumptions(scenario: Scenario) -> list[dict[str, Any]]:
    """The literal numbers a scenario's events, triggers and `policies:` write (a `$parameter`
    is a declared parameter, not listed), with the reason the event or trigger gives
    (`assumption`); numbers an event cites by `seed` or `external` are not assumptions.  An
    action's field left at its default is listed too: the run reads it all the same.  Event
    days and dates are left out: the timeline shows when each happens.  Cached per scenario."""
    hit = _SCENARIO_ASSUMPTIONS.get(id(scenario))
    if hit is not None and hit[0] is scenario:
        return [dict(a) for a in hit[1]]
    out: list[dict[str, Any]] = []

    def note(what: str, item: Any) -> str:
        head = DEFINITION.format(scenario=scenario.name, what=what)
        return f"{head}: {item.assumption}" if item.assumption else \
            f"{head}; no reason given in the scenario"

    def action(a: Any, path: str, what: str, item: Any) -> None:
        for name in type(a).model_fields:
            if name in ("name", "note", "kind"):
                continue
            v = getattr(a, name)
            items = v.items() if isinstance(v, dict) else [(None, v)]
            for key, x in items:
                if isinstance(x, (int, float)) and not isinstance(x, bool):
                    field = f"{path}.{name}" + (f".{key}" if key is not None else "")
                    default = "" if name in a.model_fields_set else " (the action's default)"
                    label = name if key is None else f"{name} {key}"
                    out.append({"field": field, "about": f"{what}: {label}{default}",
                                "value": x, "note": note(what, item)})

    for i, e in enumerate(scenario.events):
        if e.provenance in ("seed", "external"):
            continue
        what = f"event {e.do.name or i} ({_doing(e.do)})"
        action(e.do, f"scenario.events.{i}.do", what, e)
    for i, t in enumerate(scenario.triggers):
        if t.provenance in ("seed", "external"):
            continue
        what = f"trigger {t.name or i} ({_doing(t.then)})"
        for name in ("delay", "probability"):
            v = getattr(t, name)
            if isinstance(v, (int, float)) and not isinstance(v, bool) \
                    and name in t.model_fields_set:  # left out: at once, for certain
                out.append({"field": f"scenario.triggers.{i}.{name}",
                            "about": f"{what}: {name}", "value": v, "note": note(what, t)})
        action(t.then, f"scenario.triggers.{i}.then", what, t)
    for actor, knobs in sorted(scenario.policies.items()):
        for knob, given in sorted(knobs.items()):
            cited = given if isinstance(given, CitedKnob) else None
            v = knob_value(given)
            if cited is not None and cited.provenance in ("seed", "external"):
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                head = DEFINITION.format(scenario=scenario.name, what="its policies: section")
                out.append({"field": f"scenario.policies.{actor}.{knob}",
                            "about": f"{actor}: {knob.replace('_', ' ')} (set by the scenario)",
                            "value": v,
                            "note": f"{head}: {cited.assumption}" if cited is not None
                            and cited.assumption else head})
    if len(_SCENARIO_ASSUMPTIONS) > 64:
        _SCENARIO_ASSUMPTIONS.clear()
    _SCENARIO_ASSUMPTIONS[id(scenario)] = (scenario, out)
    return [dict(a) for a in out]


def _doing(action: Any) -> str:
    """An action in a few words: its kind and whom it concerns ('mobilise sadrists')."""
    who = getattr(action, "actor", None) or getattr(action, "target", None)
    pair = getattr(action, "actors", None)
    named = " ".join(pair) if pair else who
    return f"{action.kind} {named}" if named else action.kind


def knob_assumptions(world: World, policies: Mapping[str, Mapping[str, Any]]
                     ) -> list[dict[str, Any]]:
    """The behaviour knobs a run reads from their declared defaults whose provenance is an
    assumption (`sim.catalogue.POLICY_KNOB_SPECS`), as assumption entries: one per actor and
    knob that neither the world (`actors.X.policy.params`) nor the scenario (`policies:`)
    sets.  `policies` is the scenario's `policies:` section."""
    out: list[dict[str, Any]] = []
    for actor, spec in sorted(world.actors.items()):
        if spec.policy is None:
            continue
        kind = spec.policy.kind
        for name, knob in sorted(POLICY_KNOB_SPECS.get(kind, {}).items()):
            reason = knob.provenance().get("assumption")
            if reason is None or name in spec.policy.params or name in policies.get(actor, {}):
                continue
            out.append({"field": f"actors.{actor}.policy.params.{name}",
                        "about": f"{spec.name}: {name.replace('_', ' ')} (the {kind} "
                                 "behaviour's default)",
                        "value": knob.default, "note": reason})
    return out


def engine_knob_assumptions(declared: Iterable[str]) -> list[dict[str, Any]]:
    """The engine-wide knobs (`sim.institutions.knobs`) a run reads at their declared default
    because no scenario parameter of that name sets them (`declared`: the scenario's
    parameters), where that default is an assumption, as assumption entries."""
    out: list[dict[str, Any]] = []
    for name, default in sorted(KNOBS.items()):
        note = KNOB_NOTES.get(name, "assumption: a default declared without a reason")
        if name in declared or not note.startswith("assumption: "):
            continue
        out.append({"field": f"knobs.{name}",
                    "about": f"engine knob {name.replace('_', ' ')} (its declared default)",
                    "value": default, "note": note.removeprefix("assumption: ")})
    return out


def government_outcome(m: Model) -> dict[str, Any]:
    """The formation keys of the summary (names fixed in DESIGN.md's contracts).

    `government_formed`: a government won confidence after the last election of the run (with
    no election in the run, the incumbent's 2022 confidence vote counts); `days_to_government`:
    days from the last election to that vote (null when none, or no election in the run);
    `prime_minister`: a person of the world's candidates; `prime_minister_party`: their
    party's actor id, or null for an independent."""
    s = m.state
    election = next((e for e in reversed(m.events) if e.kind == "election_held"), None)
    formed = next((e for e in reversed(m.events) if e.kind == "government_formed"
                   and (election is None or e.id > election.id)), None)
    days = round(formed.t - election.t, 2) if formed is not None and election is not None \
        else None
    return {
        "government_formed": formed is not None or election is None,
        "days_to_government": days,
        "caretaker": s.caretaker,
        "prime_minister": s.pm_person,
        "prime_minister_party": s.pm,
    }


def seats_since_election(m: Model) -> dict[str, Any]:
    """The house the last election certified, beside `seats` (the house at the end): grouping
    deputies drawn into blocs (`deputies_joined`) and resignations move seats after the vote,
    so the two differ.  `seats_elected` is null when the run held no election;
    `deputies_joined` counts the grouping deputies who joined a bloc since that election."""
    s = m.state
    election = next((e for e in reversed(m.events) if e.kind == "election_held"), None)
    joined = sum(int(e.details.get("count", 0)) for e in m.events
                 if e.kind == "deputies_joined" and (election is None or e.id > election.id))
    elected = dict(sorted(s.elections[-1]["seats"].items())) if s.elections else None
    return {"seats_elected": elected, "deputies_joined": joined}


def _formation(m: Model) -> dict[str, Any] | None:
    """Who formed the last government, with whom, and on what vote."""
    formed = next((e for e in reversed(m.events) if e.kind == "government_formed"), None)
    if formed is None:
        return None
    vote = m.events[formed.cause] if formed.cause is not None else None
    return {
        "day": formed.t,
        "date": m.date(formed.t).isoformat(),
        "prime_minister": formed.changes.get("pm_person", formed.changes["pm"]),
        "prime_minister_party": formed.changes["pm"],
        "nominating_bloc": formed.details.get("bloc"),
        "members": formed.changes["government"],
        "confidence": ({"yes": vote.details["yes"], "no": vote.details["no"]}
                       if vote is not None and vote.kind == "confidence_vote" else None),
        "event": formed.id,
    }


def summarise(m: Model) -> dict[str, Any]:
    s, w = m.state, m.world
    size = w.parliament.size.value
    if sum(s.seats.values()) != size:
        raise AssertionError(f"seats sum to {sum(s.seats.values())}, not {size}")
    influence = {a: round(v, 6) for a, v in sorted(m.influence().items())}
    history = [*m.history]
    if not history or history[-1]["day"] != m.now:
        history.append(inst.snapshot(m))
    summary = {
        "scenario": m.scenario.name,
        "seed": m.seed,
        "parameters": dict(sorted(m.params.items())),
        "start_date": m.start.isoformat(),
        "end_day": m.now,
        "end_date": m.date().isoformat(),
        "seats": dict(sorted(s.seats.items())),
        "seats_initial": {p: c.value for p, c in sorted(w.parliament.seats.items())},
        **seats_since_election(m),
        **government_outcome(m),
        "government": sorted(s.government),
        "government_formed_day": next((e.t for e in reversed(m.events)
                                       if e.kind == "government_formed"), None),
        "formation": _formation(m),
        "ministries": dict(sorted(s.ministries.items())),
        "ministries_initial": {k: v.holder.value for k, v in sorted(w.ministries.items())},
        "posts": dict(sorted(s.posts.items())),
        "posts_initial": {k: v.holder.value for k, v in sorted(w.posts.items())},
        "influence": influence,
        "casualties": s.casualties,
        "clashes": s.clashes,
        "sanctioned": sorted(s.sanctioned),
        "state_sanctioned": s.state_sanctioned,
        "election_law": s.law,
        "elections": [{k: e[k] for k in ("day", "date", "law", "seats_before", "seats")}
                      for e in s.elections],
        "boycotting": sorted(s.boycotting),
        "alliances": sorted(list(p) for p in s.alliances),
        "history": history,
        "actors": actor_meta(w),
        "parliament": parliament_meta(w),
        "post_info": {k: {"kind": v.kind, "governorate": v.governorate}
                      for k, v in sorted(w.posts.items())},
        "people": {c: {"name": x.name, "party": x.party.value}
                   for c, x in sorted(w.candidates.items())},
        "assumptions": run_assumptions(w, m.scenario),
        "events": len(m.events),
        "event_cap_reached": m.capped,
        "time_budget_reached": m.timed_out,  # stopped by --max-seconds (not reproducible)
    }
    return summary


_RUN_ASSUMPTIONS: dict[tuple[int, int], tuple[World, Scenario, list[dict[str, Any]]]] = {}


def run_assumptions(world: World, scenario: Scenario) -> list[dict[str, Any]]:
    """Every assumption a run of `scenario` in `world` makes (summary.assumptions, sweep.json's):
    the world's, its behaviours' default knobs, the engine knobs no parameter sets, and the
    scenario's own literal numbers.  The same for every run of the pair, so built once per pair
    (a few hundred entries: it was a twentieth of a run's summary); each call gets its own
    copies, so a caller may change what it is given."""
    key = (id(world), id(scenario))
    hit = _RUN_ASSUMPTIONS.get(key)
    if hit is None or hit[0] is not world or hit[1] is not scenario:
        out = (assumptions(world) + knob_assumptions(world, scenario.policies)
               + engine_knob_assumptions(scenario.parameters) + scenario_assumptions(scenario))
        if len(_RUN_ASSUMPTIONS) > 64:
            _RUN_ASSUMPTIONS.clear()
        hit = _RUN_ASSUMPTIONS[key] = (world, scenario, out)
    return [dict(a) for a in hit[2]]


def actor_meta(world: World) -> dict[str, dict[str, Any]]:
    """What reports show of each actor (summary.actors, sweep.json actors): its name, colour,
    camp and bloc, and from the world's `display` its short chart label and alliance-map place.
    Reports take these from here, never from a world file or a table of their own."""
    short, places = world.display.short, world.display.map
    return {a: {"name": x.name, "colour": x.colour, "kind": x.kind, "sect": x.sect,
                "bloc": x.bloc, "short": short.get(a),
                "map": list(places[a]) if a in places else None}
            for a, x in sorted(world.actors.items())}


def parliament_meta(world: World) -> dict[str, Any]:
    """The chamber as reports draw it (summary.parliament): its size, the majority a
    government needs (the confidence quota), and the seating order of its camps."""
    p = world.parliament
    return {"size": p.size.value, "majority": p.confidence_quota.value,
            "camps": list(world.display.camps), "seated_last": list(world.display.seated_last)}


def about(world: World, path: str) -> str:
    """What an assumption is about, in words: 'relationships.31.weight' names its pair.

    Readers see the dotted path beside it; this says which actors, seats or posts it means.
    """
    parts = path.split(".")

    def name(actor: str) -> str:
        spec = world.actors.get(actor)
        return spec.name if spec is not None else actor

    head = parts[0]
    if head == "relationships" and len(parts) >= 2 and parts[1].isdigit():
        rel = world.relationships[int(parts[1])]
        return f"relationship between {name(rel.a)} and {name(rel.b)}"
    if head == "actors" and len(parts) == 5 and parts[2:4] == ["policy", "params"]:
        return f"{name(parts[1])}: {parts[4].replace('_', ' ')} (a knob of its behaviour)"
    if head == "actors" and len(parts) >= 3:
        return f"{name(parts[1])}: {' '.join(parts[2:]).replace('_', ' ')}"
    if head == "parliament" and len(parts) == 3 and parts[1] == "seats":
        return f"seats of {name(parts[2])}"
    if head == "ministries" and len(parts) >= 3:
        return f"{parts[1]} ministry: {' '.join(parts[2:]).replace('_', ' ')}"
    if head == "posts" and len(parts) >= 3:
        return f"post of {parts[1].replace('_', ' ')}: {' '.join(parts[2:]).replace('_', ' ')}"
    if head == "candidates" and len(parts) >= 3 and parts[1] in world.candidates:
        return (f"candidate {world.candidates[parts[1]].name}: "
                f"{' '.join(parts[2:]).replace('_', ' ')}")
    if head == "actors" and len(parts) == 4 and parts[2] == "issues":
        return f"{name(parts[1])}: stance on {parts[3].replace('_', ' ')} (position, salience)"
    if head == "vote_management" and len(parts) == 2:
        return (f"{name(parts[1])}: vote management (candidates per seat, evenness of its vote, "
                "separate lists)")
    if head == "vote_management" and len(parts) >= 3:
        return f"{name(parts[1])}: vote management, {' '.join(parts[2:]).replace('_', ' ')}"
    if head == "laws" and len(parts) >= 3:
        return f"election law '{parts[1]}': {' '.join(parts[2:]).replace('_', ' ')}"
    words = [name(p) if p in world.actors else p.replace("_", " ") for p in parts]
    return " / ".join(w for w in words if w)
