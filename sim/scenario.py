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
from typing import Any, NamedTuple

from pydantic import ValidationError

from sim.catalogue import EVENT_KINDS, POLICY_KNOBS
from sim.errors import InputError, Problem
from sim.schema.scenario import Scenario
from sim.schema.world import World
from sim.yamlsrc import Located, dotted, load_file

Loc = tuple[str | int, ...]


class Where(NamedTuple):
    """Where a value of the merged document was written: file, position, path in that file."""

    path: str
    line: int
    col: int
    loc: Loc  # the value's path in *its own* file (list indices and `world.` as written)
    content: tuple[int, int, bool] | None = None  # where a string's text starts (yamlsrc)


Origin = dict[Loc, Where]
MAX_EXTENDS = 16
WORLD_FILE = Path("seeds") / "world.yaml"


def _origin_of(doc: Located, prefix: Loc = ()) -> Origin:
    return {prefix + loc: Where(doc.path, line, col, loc, doc.content.get(loc))
            for loc, (line, col) in doc.marks.items()}


def _shift(origin: Origin, old: Loc, new: Loc) -> Origin:
    """Origins under `old` re-keyed under `new` (list items move when lists are merged)."""
    n = len(old)
    return {new + loc[n:]: where for loc, where in origin.items() if loc[:n] == old}


def _merge(base: Any, base_o: Origin, over: Any, over_o: Origin, loc: Loc) -> tuple[Any, Origin]:
    """Deep-merge `over` onto `base`; lists of named items merge by name, others concatenate."""
    if isinstance(base, dict) and isinstance(over, dict) and not _is_cited(over):
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
        if loc in over_o or loc in base_o:
            origin[loc] = over_o.get(loc, base_o.get(loc))
        return items, origin
    return over, _shift(over_o, loc, loc)


def _is_cited(over: dict) -> bool:
    """A cited world value ({value, seed|external|assumption}) is replaced whole, never merged:
    a new value needs its own provenance."""
    return "value" in over


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
    if "extends" not in doc.data:
        return doc.data, origin
    parent_ref = doc.data["extends"]
    line, col = doc.where(("extends",))
    here = Where(doc.path, line, col, ("extends",))

    def fail(message: str) -> InputError:
        return InputError(Problem(doc.path, line, col, "extends", message))

    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise fail("must be a scenario name or path")
    parent = _find_parent(path, parent_ref)
    if parent is None:
        raise fail(f"extended scenario {_show(parent_ref)} not found (looked in "
                   f"{path.parent.as_posix() or '.'})")
    if _same_file(parent, seen):
        chain = " -> ".join(p.name for p in [*seen, parent])
        raise fail(f"cycle in extends: {chain}")
    if len(seen) > MAX_EXTENDS:
        raise fail(f"extends chain too deep (more than {MAX_EXTENDS} files)")
    base, base_o = _resolve(parent, [*seen, parent])
    child = {k: v for k, v in doc.data.items() if k != "extends"}
    child_o = {k: v for k, v in origin.items() if k[:1] != ("extends",)}
    merged, merged_o = _merge(base, base_o, child, child_o, ())
    merged["extends"] = parent_ref
    merged_o[("extends",)] = here
    merged_o[()] = Where(doc.path, 1, 1, ())
    return merged, merged_o


def _same_file(path: Path, seen: list[Path]) -> bool:
    try:
        target = path.resolve()
        return any(target == p.resolve() for p in seen)
    except (OSError, RuntimeError):  # a symlink loop: as good as a cycle
        return True


def _find_parent(child: Path, ref: str) -> Path | None:
    """`ref` (a name, or a path ending in .yaml/.yml) relative to the child's folder."""
    candidates = [ref] if ref.endswith((".yaml", ".yml")) else [f"{ref}.yaml", f"{ref}.yml"]
    for c in candidates:
        p = child.parent / c
        try:
            if p.is_file():
                return p
        except (OSError, ValueError):  # a name too long, or with a NUL in it
            continue
    return None


def find_world_file(scenario_path: Path) -> Path:
    """`seeds/world.yaml` next to the scenarios folder, else the one beside the package."""
    here = scenario_path.resolve()
    for parent in [here.parent, *here.parents]:
        candidate = parent / WORLD_FILE
        if candidate.is_file():
            return candidate
    return Path(__file__).resolve().parents[1] / WORLD_FILE


class Locator:
    """Maps a path in the merged document to the file, line, column and path it came from."""

    def __init__(self, origin: Origin, data: Any, default: str, prefix: Loc = ()):
        self.origin = origin
        self.data = data
        self.default = default
        self.prefix = prefix  # how paths read when they come from no file (the world: `world.`)

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

    def where(self, loc: Loc) -> tuple[Where, Loc]:
        """The origin of `loc` (or of its nearest ancestor) and the path as its file spells it."""
        key = tuple(loc)
        while key and key not in self.origin:
            key = key[:-1]
        if key in self.origin:
            w = self.origin[key]
            return w, w.loc + tuple(loc[len(key):])
        return Where(self.default, 1, 1, ()), self.prefix + tuple(loc)

    def problem(self, loc: Loc, message: str) -> Problem:
        w, field = self.where(loc)
        return Problem(w.path, w.line, w.col, dotted(field), message)

    def text_problem(self, loc: Loc, message: str, col: int) -> Problem:
        """A problem at 1-based column `col` of the string value at `loc`."""
        w, field = self.where(loc)
        line, column = w.line, w.col
        if tuple(loc) in self.origin and w.content is not None:
            line, column, exact = w.content
            if exact:
                column += max(col - 1, 0)
        return Problem(w.path, line, column, dotted(field), message)


_NUMBER_UNION = {"float", "constrained-str", "str"}


def _pydantic_problems(exc: ValidationError, locator: Locator, prefix: Loc = ()) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Loc, str]] = set()
    for err in exc.errors(include_url=False):
        raw = prefix + tuple(err["loc"])
        loc = locator.clean(raw)
        message = err["msg"]
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if kind == "extra_forbidden":
            message = f"unknown field {str(raw[-1])!r}"
        elif kind == "missing":
            loc = loc + (str(raw[-1]),) if raw and str(raw[-1]) not in _TAGS else loc
            message = f"missing required field {str(raw[-1])!r}"
        elif kind == "union_tag_invalid":
            loc = loc + (str(ctx.get("discriminator", "'kind'")).strip("'"),)
            message = (f"unknown kind {ctx.get('tag')!r}; known kinds: "
                       + ", ".join(_action_kinds()))
        elif kind == "union_tag_not_found":
            loc = loc + (str(ctx.get("discriminator", "'kind'")).strip("'"),)
            message = f"missing required field {loc[-1]!r}; known kinds: " + ", ".join(
                _action_kinds())
        elif kind == "located":  # raised by a model check about one of its fields
            loc = loc + ((str(ctx["field"]),) if ctx.get("field") else ())
        elif kind == "value_error":
            message = message.removeprefix("Value error, ")
        elif raw and str(raw[-1]) in _NUMBER_UNION and loc != raw:
            # `Number` is float | "$name": one message, not one per member of the union
            message = f"expected a number or a $parameter reference, got {_show(err['input'])}"
        elif not isinstance(err.get("input"), (dict, list)):
            message = f"{message} (got {_show(err.get('input'))})"
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        problems.append(locator.problem(loc, message))
    return problems


_TAGS = {"float", "constrained-str", "str", "int", "bool"}


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _action_kinds() -> tuple[str, ...]:
    from sim.schema.scenario import ACTION_KINDS

    return ACTION_KINDS


def canonical_hash(*parts: Any) -> str:
    blob = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.line, p.col, p.field))


def load_scenario(path: str | Path) -> Scenario:
    """Load, resolve and validate a scenario file; raise `InputError` listing every problem."""
    if not str(path).strip():
        raise InputError.at("<empty path>", "", "no scenario file given")
    p = Path(path)
    data, origin = _resolve(p, [p])
    locator = Locator(origin, data, str(p))
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(_sorted(_pydantic_problems(exc, locator))) from None

    world_path = find_world_file(p)
    world_doc = load_file(world_path)
    w_origin = _origin_of(world_doc)
    world_data, w_origin = _merge(world_doc.data, w_origin, copy.deepcopy(scenario.world),
                                  _shift(origin, ("world",), ()), ())
    w_locator = Locator(w_origin, world_data, str(p), prefix=("world",))
    try:
        world = World.model_validate(world_data)
    except ValidationError as exc:
        raise InputError(_sorted(_pydantic_problems(exc, w_locator))) from None
    problems = [w_locator.problem(loc, msg) for loc, msg in world.reference_problems()]
    problems += check_scenario(scenario, world, locator)
    if problems:
        raise InputError(_sorted(problems))
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
    params = scenario.parameters

    def ref(value: Any, loc: Loc, within: tuple[float, float] | None = None,
            what: str = "") -> None:
        """Check a `$name` reference; with `within`, the parameter's range must fit in it."""
        if not (isinstance(value, str) and value.startswith("$")):
            return
        param = params.get(value[1:])
        if param is None:
            known = ", ".join(sorted(params)) or "none declared"
            problems.append(locator.problem(loc, f"unknown parameter {value!r} (declared: "
                                                 f"{known})"))
        elif within is not None:
            lo, hi = param.bounds()
            if lo < within[0] or hi > within[1]:
                problems.append(locator.problem(loc, f"parameter {value!r} can take values "
                                                     f"{lo:g} .. {hi:g}, but {what} must be "
                                                     f"between {within[0]:g} and {within[1]:g}"))

    def need_actor(name: Any, loc: Loc) -> None:
        if name is not None and name not in actors:
            problems.append(locator.problem(loc, f"unknown actor {name!r}"))

    def check_action(action: Any, loc: Loc) -> None:
        for field in ("actor", "target"):
            need_actor(getattr(action, field, None), loc + (field,))
        for i, name in enumerate(getattr(action, "actors", ()) or ()):
            need_actor(name, loc + ("actors", i))
        actors_ = getattr(action, "actors", None)
        if actors_ and len(actors_) == 2 and actors_[0] == actors_[1]:
            problems.append(locator.problem(loc + ("actors",), "needs two different actors"))
        if getattr(action, "kind", "") == "assign_post":
            if action.post not in posts:
                problems.append(locator.problem(loc + ("post",), f"unknown ministry or post "
                                                                 f"{action.post!r}"))
            need_actor(action.holder, loc + ("holder",))
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
        ref(spec.day, loc + ("day",), (0.0, scenario.horizon_days), "a day")
        check_action(spec.do, loc + ("do",))
    names = Names(actors=frozenset(actors), posts=frozenset(posts), laws=frozenset(laws))
    for i, trig in enumerate(scenario.triggers):
        loc = ("triggers", i)
        if trig.when is not None:
            try:
                parse_condition(trig.when, names)
            except ConditionError as exc:
                problems.append(locator.text_problem(loc + ("when",), exc.message, exc.col))
        if trig.on is not None:
            need_actor(trig.on.actor, loc + ("on", "actor"))
            if trig.on.kind not in EVENT_KINDS:
                problems.append(locator.problem(loc + ("on", "kind"),
                                                f"unknown event kind {trig.on.kind!r}; known: "
                                                + ", ".join(sorted(EVENT_KINDS))))
        ref(trig.delay, loc + ("delay",), (0.0, float("inf")), "a delay")
        ref(trig.probability, loc + ("probability",), (0.0, 1.0), "a probability")
        check_action(trig.then, loc + ("then",))
    def check_knobs(actor: str, knobs: Any, loc: Loc) -> None:
        spec = world.actors.get(actor)
        if spec is None or (spec.policy is not None and spec.policy.kind not in POLICY_KNOBS):
            return  # an unknown actor or policy kind is reported on its own
        known = POLICY_KNOBS[spec.policy.kind] if spec.policy else {}
        for k in knobs:
            if k not in known:
                hint = ("; known: " + ", ".join(sorted(known))) if known else \
                    f"; {actor!r} has no policy"
                problems.append(locator.problem(loc + (k,), f"unknown policy knob {k!r} for "
                                                f"{actor!r}{hint}"))

    for actor, overrides in scenario.policies.items():
        if actor not in actors:
            problems.append(locator.problem(("policies", actor), f"unknown actor {actor!r}"))
        check_knobs(actor, overrides, ("policies", actor))
        for k, v in overrides.items():
            ref(v, ("policies", actor, k))
    for i, spec in enumerate(scenario.events):
        if spec.do.kind == "set_policy":
            check_knobs(spec.do.actor, spec.do.params, ("events", i, "do", "params"))
    for i, trig in enumerate(scenario.triggers):
        if trig.then.kind == "set_policy":
            check_knobs(trig.then.actor, trig.then.params, ("triggers", i, "then", "params"))
    for name, param in scenario.parameters.items():
        if param.integer and param.default != int(param.default):
            problems.append(locator.problem(("parameters", name, "default"),
                                            "integer parameter needs a whole default"))
    return problems
