"""Loading a scenario: resolve `extends`, merge with the world, validate, locate every problem.

The loader is the one place where user input becomes trusted objects.  It keeps, for every
value of the merged document, the file, line and column it came from, so that a mistake made
three `extends` deep is still reported at the line the analyst wrote.  All problems found are
reported together; nothing is run until the scenario is clean.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import InputError, Problem
from sim.schema.scenario import PARAM_REF, Scenario
from sim.schema.world import World
from sim.yamlsrc import Located, dotted, load_file

Loc = tuple[str | int, ...]
Origin = dict[Loc, tuple[str, int, int]]
MAX_EXTENDS = 16
WORLD_FILE = Path("seeds") / "world.yaml"


def _origin_of(doc: Located, prefix: Loc = ()) -> Origin:
    return {prefix + loc: (doc.path, line, col) for loc, (line, col) in doc.marks.items()}


def _shift(origin: Origin, old: Loc, new: Loc) -> Origin:
    """Origins under `old` re-keyed under `new` (list items move when lists are merged)."""
    n = len(old)
    return {new + loc[n:]: where for loc, where in origin.items() if loc[:n] == old}


def _merge(base: Any, base_o: Origin, over: Any, over_o: Origin, loc: Loc) -> tuple[Any, Origin]:
    """Deep-merge `over` onto `base`; lists of named items merge by name, others concatenate."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        origin = {k: v for k, v in base_o.items() if k[: len(loc)] == loc}
        for key, value in over.items():
            sub = loc + (key,)
            if key in base:
                merged, o = _merge(base[key], _shift(base_o, sub, sub), value,
                                   _shift(over_o, sub, sub), sub)
                origin = {k: v for k, v in origin.items() if k[: len(sub)] != sub}
                origin.update(o)
                out[key] = merged
            else:
                origin.update(_shift(over_o, sub, sub))
                out[key] = value
        if loc in over_o:
            origin[loc] = over_o[loc]
        return out, origin
    if isinstance(base, list) and isinstance(over, list) and loc and loc[-1] in (
            "events", "triggers"):
        items: list[Any] = []
        origin: Origin = {}
        sources: list[tuple[Any, Origin, Loc]] = []
        names: dict[str, int] = {}
        for i, item in enumerate(base):
            sources.append((item, base_o, loc + (i,)))
            name = _item_name(item)
            if name:
                names[name] = len(sources) - 1
        for i, item in enumerate(over):
            name = _item_name(item)
            if name and name in names:  # same name: the extending scenario replaces it
                sources[names[name]] = (item, over_o, loc + (i,))
            else:
                sources.append((item, over_o, loc + (i,)))
        for j, (item, o, old) in enumerate(sources):
            items.append(item)
            origin.update(_shift(o, old, loc + (j,)))
        origin[loc] = over_o.get(loc, base_o.get(loc, ("", 1, 1)))
        return items, origin
    return over, _shift(over_o, loc, loc)


def _item_name(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    if isinstance(item.get("name"), str):
        return item["name"]
    do = item.get("do")
    if isinstance(do, dict) and isinstance(do.get("name"), str):
        return do["name"]
    return None


def _resolve(path: Path, seen: list[Path]) -> tuple[dict, Origin]:
    doc = load_file(path)
    origin = _origin_of(doc)
    parent_ref = doc.data.get("extends")
    if parent_ref is None:
        return doc.data, origin
    where = doc.where(("extends",))
    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise InputError(Problem(doc.path, *where, "extends", "must be a scenario name or path"))
    parent = _find_parent(path, parent_ref)
    if parent is None:
        raise InputError(Problem(doc.path, *where, "extends",
                                 f"extended scenario {parent_ref!r} not found"))
    if parent.resolve() in [p.resolve() for p in seen]:
        chain = " -> ".join(p.name for p in [*seen, parent])
        raise InputError(Problem(doc.path, *where, "extends", f"cycle in extends: {chain}"))
    if len(seen) > MAX_EXTENDS:
        raise InputError(Problem(doc.path, *where, "extends", "extends chain too deep"))
    base, base_o = _resolve(parent, [*seen, parent])
    child = {k: v for k, v in doc.data.items() if k != "extends"}
    child_o = {k: v for k, v in origin.items() if k[:1] != ("extends",)}
    merged, merged_o = _merge(base, base_o, child, child_o, ())
    merged["extends"] = parent_ref
    merged_o[("extends",)] = (doc.path, *where)
    merged_o[()] = (doc.path, 1, 1)
    return merged, merged_o


def _find_parent(child: Path, ref: str) -> Path | None:
    candidates = [ref] if ref.endswith((".yaml", ".yml")) else [f"{ref}.yaml", f"{ref}.yml"]
    for c in candidates:
        p = (child.parent / c)
        if p.is_file():
            return p
    return None


def find_world_file(scenario_path: Path) -> Path:
    """`seeds/world.yaml` next to the scenarios folder, else the one beside the package."""
    for parent in [scenario_path.resolve().parent, *scenario_path.resolve().parents]:
        candidate = parent / WORLD_FILE
        if candidate.is_file():
            return candidate
    return Path(__file__).resolve().parents[1] / WORLD_FILE


class Locator:
    """Maps a path in the merged document to the file, line and column it came from."""

    def __init__(self, origin: Origin, data: Any, default: str):
        self.origin = origin
        self.data = data
        self.default = default

    def clean(self, loc: Loc) -> Loc:
        """Drop pydantic's union tags from `loc`, keeping the steps that exist in the data."""
        out: list[str | int] = []
        node = self.data
        for step in loc:
            if isinstance(node, dict) and str(step) in node:
                out.append(str(step))
                node = node[str(step)]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                out.append(step)
                node = node[step]
        return tuple(out)

    def problem(self, loc: Loc, message: str, col_offset: int = 0) -> Problem:
        key = tuple(loc)
        while key and key not in self.origin:
            key = key[:-1]
        path, line, col = self.origin.get(key, (self.default, 1, 1))
        return Problem(path, line, col + col_offset, dotted(loc), message)


def _pydantic_problems(exc: ValidationError, locator: Locator, prefix: Loc = ()) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        raw = prefix + tuple(err["loc"])
        loc = locator.clean(raw)
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            loc = locator.clean(raw)
            message = f"unknown field {str(raw[-1])!r}"
        elif err["type"] == "missing":
            message = f"missing required field {str(raw[-1])!r}"
        elif err["type"] == "union_tag_invalid":
            message = err["msg"].replace("Input tag", "unknown kind").split(" does not match")[0]
            message += "; known kinds: " + ", ".join(_action_kinds())
        problems.append(locator.problem(loc, message))
    return problems


def _action_kinds() -> tuple[str, ...]:
    from sim.schema.scenario import ACTION_KINDS

    return ACTION_KINDS


def canonical_hash(*parts: Any) -> str:
    blob = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def load_scenario(path: str | Path) -> Scenario:
    """Load, resolve and validate a scenario file; raise `InputError` listing every problem."""
    p = Path(path)
    data, origin = _resolve(p, [p])
    locator = Locator(origin, data, str(p))
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(_pydantic_problems(exc, locator)) from None

    world_path = find_world_file(p)
    world_doc = load_file(world_path)
    w_origin = _origin_of(world_doc)
    world_data, w_origin = _merge(world_doc.data, w_origin, copy.deepcopy(scenario.world),
                                  _shift(origin, ("world",), ()), ())
    w_locator = Locator(w_origin, world_data, str(p))
    try:
        world = World.model_validate(world_data)
    except ValidationError as exc:
        raise InputError(_pydantic_problems(exc, w_locator)) from None
    problems = [w_locator.problem(loc, msg) for loc, msg in world.reference_problems()]
    problems += check_scenario(scenario, world, locator)
    if problems:
        raise InputError(problems)
    scenario._resolved.update({
        "world": world,
        "path": str(p),
        "hash": canonical_hash(data, world_data),
        "world_path": str(world_path),
    })
    return scenario


def resolved(scenario: Scenario) -> dict[str, Any]:
    """The world, path and hash the loader attached to a scenario."""
    if not scenario._resolved:
        raise InputError.at("<scenario>", "", "scenario was not loaded with load_scenario")
    return scenario._resolved


def check_scenario(scenario: Scenario, world: World, locator: Locator) -> list[Problem]:
    """Semantic checks that need the world: names, dates, parameter references, conditions."""
    from sim.conditions import ConditionError, Names, parse_condition

    problems: list[Problem] = []
    start = scenario.start_date or world.start_date
    end = start + dt.timedelta(days=scenario.horizon_days)
    actors = set(world.actors)
    posts = set(world.ministries) | set(world.posts)
    laws = set(world.laws)
    params = set(scenario.parameters)

    def ref(value: Any, loc: Loc) -> None:
        if isinstance(value, str) and value.startswith("$") and value[1:] not in params:
            known = ", ".join(sorted(params)) or "none declared"
            problems.append(locator.problem(loc, f"unknown parameter {value!r} (declared: {known})"))

    def check_action(action: Any, loc: Loc) -> None:
        for field in ("actor", "target"):
            name = getattr(action, field, None)
            if name is not None and name not in actors:
                problems.append(locator.problem(loc + (field,), f"unknown actor {name!r}"))
        for i, name in enumerate(getattr(action, "actors", ()) or ()):
            if name not in actors:
                problems.append(locator.problem(loc + ("actors", i), f"unknown actor {name!r}"))
        if getattr(action, "kind", "") == "assign_post":
            if action.post not in posts:
                problems.append(locator.problem(loc + ("post",), f"unknown post {action.post!r}"))
            if action.holder is not None and action.holder not in actors:
                problems.append(locator.problem(loc + ("holder",),
                                                f"unknown actor {action.holder!r}"))
        law = getattr(action, "law", None)
        if law is not None and law not in laws:
            problems.append(locator.problem(loc + ("law",), f"unknown law {law!r}; known: "
                                            + ", ".join(sorted(laws))))
        for field, value in action:
            if field == "params" and isinstance(value, dict):
                for k, v in value.items():
                    ref(v, loc + ("params", k))
            else:
                ref(value, loc + (field,))

    for i, spec in enumerate(scenario.events):
        loc: Loc = ("events", i)
        if spec.at is not None and not start <= spec.at <= end:
            problems.append(locator.problem(loc + ("at",), f"date {spec.at} is outside the "
                                            f"scenario's window {start} .. {end}"))
        if isinstance(spec.day, float) and spec.day > scenario.horizon_days:
            problems.append(locator.problem(loc + ("day",), f"day {spec.day:g} is beyond the "
                                            f"horizon ({scenario.horizon_days:g} days)"))
        ref(spec.day, loc + ("day",))
        check_action(spec.do, loc + ("do",))
    names = Names(actors=frozenset(actors), posts=frozenset(posts), laws=frozenset(laws))
    for i, trig in enumerate(scenario.triggers):
        loc = ("triggers", i)
        if trig.when is not None:
            try:
                parse_condition(trig.when, names)
            except ConditionError as exc:
                problems.append(locator.problem(loc + ("when",), str(exc.args[0]),
                                                _condition_offset(locator, loc + ("when",),
                                                                  exc.col)))
        if trig.on is not None and trig.on.actor is not None and trig.on.actor not in actors:
            problems.append(locator.problem(loc + ("on", "actor"),
                                            f"unknown actor {trig.on.actor!r}"))
        ref(trig.delay, loc + ("delay",))
        ref(trig.probability, loc + ("probability",))
        check_action(trig.then, loc + ("then",))
    for actor, overrides in scenario.policies.items():
        if actor not in actors:
            problems.append(locator.problem(("policies", actor), f"unknown actor {actor!r}"))
        for k, v in overrides.items():
            ref(v, ("policies", actor, k))
    for name, param in scenario.parameters.items():
        if param.integer and param.default != int(param.default):
            problems.append(locator.problem(("parameters", name, "default"),
                                            "integer parameter needs a whole default"))
    _ = PARAM_REF
    return problems


def _condition_offset(locator: Locator, loc: Loc, col: int) -> int:
    """Column offset of a condition's error inside the YAML line (value after `when: `)."""
    key = tuple(loc)
    if key not in locator.origin:
        return 0
    # the mark points at the key `when`; the value starts after `when: ` (and a quote if any)
    return len("when: ") + max(col - 1, 0)
