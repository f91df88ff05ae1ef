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
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from sim.catalogue import EVENT_KINDS, POLICY_KNOBS, knob_range
from sim.conditions import ConditionError, Names, parse_condition
from sim.errors import InputError, Problem
from sim.institutions.knobs import KNOB_RANGES
from sim.schema.scenario import Scenario, Trigger, knob_value, number_range
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
DATE_MARGIN_DAYS = 366  # dates a run may compute just past its horizon must still exist
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
    if isinstance(base, dict) and isinstance(over, dict) and not _is_cited(over) \
            and not isinstance(base.get("value"), dict):
        out = dict(base)
        if any(k in base for k in PROVENANCE) and over:
            # a record cited as a whole (a stance): its provenance was for the old numbers
            out = {k: v for k, v in base.items() if k not in (*PROVENANCE, "note")}
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


PROVENANCE = ("seed", "external", "assumption")


def _is_cited(over: dict) -> bool:
    """A cited world value ({value, seed|external|assumption}) or a record given with its own
    provenance (a stance: {position, salience, assumption}) is replaced whole, never merged: a
    new value needs its own provenance.  A cited table of the base (a candidate's positions) is
    replaced whole by a bare table; a record cited as a whole that is merged with new numbers
    but no provenance loses its old one (a run lists it as uncited)."""
    return "value" in over or any(k in over for k in PROVENANCE)


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


_RANGE_ERRORS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
                 "less_than_equal": "<="}


def _range_message(errors: list[dict]) -> str:
    """One message for a number outside its declared range: both ends, and what was given."""
    lo = hi = None
    value = errors[0].get("input")
    for err in errors:
        ctx = err.get("ctx") or {}
        for key in ("gt", "ge"):
            if key in ctx:
                lo = (key, ctx[key])
        for key in ("lt", "le"):
            if key in ctx:
                hi = (key, ctx[key])
    if isinstance(value, str):  # YAML 1.1 reads `1e308` (no dot) as text; pydantic as a number
        try:
            value = float(value)
        except ValueError:
            pass
    got = f"{value:g}" if isinstance(value, (int, float)) else _show(value)
    if lo is not None and hi is not None:
        return (f"must be between {lo[1]:g} and {hi[1]:g}"
                + (" (exclusive)" if "gt" in (lo[0], hi[0]) or "lt" in (lo[0], hi[0]) else "")
                + f" (got {got})")
    op, bound = lo or hi  # type: ignore[misc]
    words = {"gt": "greater than", "ge": "at least", "lt": "less than", "le": "at most"}
    return f"must be {words[op]} {bound:g} (got {got})"


def _pydantic_problems(exc: ValidationError, locator: Locator, prefix: Loc = ()) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Loc, str]] = set()
    errors = exc.errors(include_url=False)
    # a number outside its range: one message per field, not one per member of `float | $ref`
    ranged: dict[Loc, list[dict]] = {}
    for err in errors:
        if err["type"] in _RANGE_ERRORS:
            ranged.setdefault(locator.clean(prefix + tuple(err["loc"])), []).append(err)
    for loc, errs in ranged.items():
        seen.add((loc, "range"))
        problems.append(locator.problem(loc, _range_message(errs)))
    for err in errors:  # a check on the number member of `float | $ref` says what is wrong
        raw = prefix + tuple(err["loc"])
        loc = locator.clean(raw)
        if err["type"] == "value_error" and "float" in str(raw[-1]) and loc != raw \
                and (loc, "range") not in seen:
            seen.add((loc, "range"))
            problems.append(locator.problem(loc, err["msg"].removeprefix("Value error, ")))
    # a mapping given where a number or a cited record goes (a scenario's knob): the record's
    # own complaint says what is wrong, not "expected a number"
    records = [locator.clean(prefix + tuple(e["loc"])) for e in errors
               if any("CitedKnob" in str(step) for step in e["loc"])]
    for err in errors:
        raw = prefix + tuple(err["loc"])
        loc = locator.clean(raw)
        if (loc, "range") in seen:
            continue
        if raw and _number_tag(raw[-1]) and loc != raw and isinstance(err.get("input"), dict) \
                and any(r[:len(loc)] == loc for r in records):
            continue
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
        elif raw and _number_tag(raw[-1]) and loc != raw:
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


def _number_tag(step: Any) -> bool:
    """Whether `step` is pydantic's name for a member of the `Number` union (float | $ref)."""
    text = str(step)
    return text in _NUMBER_UNION or text in ("constrained-float",) or (
        text.startswith("function-after[") and "float" in text)


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
    # Every layer is checked in the same round (the scenario's fields, the world after its
    # overrides, the cross-references), so one `validate` lists all a file's mistakes.
    problems: list[Problem] = []
    scenario, pruned = _partial_scenario(data, locator, problems)

    world_path = find_world_file(p)
    world_doc = load_file(world_path)
    w_origin = _origin_of(world_doc)
    overrides = data.get("world") if isinstance(data.get("world"), dict) else {}
    world_data, w_origin = _merge(world_doc.data, w_origin, copy.deepcopy(overrides),
                                  _shift(origin, ("world",), ()), ())
    w_locator = Locator(w_origin, world_data, str(p), prefix=("world",))
    world, patched = _partial_world(world_data, world_doc.data, w_locator, problems)
    if world is not None:
        problems += [w_locator.problem(loc, msg) for loc, msg in world.reference_problems()
                     if not any(loc[:len(x)] == x for x in patched)]
    limits: dict[str, tuple[float, float, str]] = {}
    if scenario is not None and world is not None:
        problems += [pr for pr in check_scenario(scenario, world, locator, limits)
                     if not _about_pruned(pr, pruned, locator)]
    if problems or scenario is None or world is None or pruned or patched:
        raise InputError(_sorted(problems))
    scenario._resolved.update({
        "world": world,
        "path": str(p),
        "hash": canonical_hash(data, world_data),
        "world_path": str(world_path),
        # parameter -> the range every field it sets accepts (engine.resolve_parameters
        # refuses values outside, e.g. `--set` or a normal draw beyond its 3 sd)
        "limits": limits,
    })
    return scenario


# Stand-ins for a broken event or trigger, so the rest of the file is still checked (the
# item keeps its index; problems about stand-ins are dropped).
_STAND_INS: dict[str, Any] = {
    "events": {"day": 0.0, "do": {"kind": "election"}},
    "triggers": {"on": {"kind": "run_started"}, "then": {"kind": "election"}},
}


Repair = Callable[[dict[str, Any], Loc], "tuple[dict[str, Any], Loc] | None"]


def _validate_repairing(model: Any, data: dict[str, Any], locator: Locator, problems: list[Problem],
                        repair: Repair) -> tuple[Any, list[Loc]]:
    """Validate `data` as `model`; on errors, let `repair` mend each broken place and try again
    (at most four rounds), so that semantic checks still see the rest in the same round.

    The first round's errors are the user's problems; later rounds only repair.  `repair`
    returns the mended data and the location it replaced, or None when nothing can be mended
    (then the result is None).  Returns the model (or None) and the locations repaired."""
    repaired: list[Loc] = []
    current = data
    for attempt in range(4):
        try:
            return model.model_validate(current), repaired
        except ValidationError as exc:
            if attempt == 0:
                problems += _pydantic_problems(exc, locator)
            current = copy.deepcopy(current)
            for err in exc.errors(include_url=False):
                mended = repair(current, locator.clean(tuple(err["loc"])))
                if mended is None:
                    return None, repaired
                current, loc = mended
                repaired.append(loc)
    return None, repaired


def _partial_scenario(data: dict, locator: Locator,
                      problems: list[Problem]) -> tuple[Scenario | None, list[Loc]]:
    """Validate the scenario, replacing each broken item by a stand-in (or dropping the broken
    top-level field) until it validates. Returns the scenario (None if even that fails) and
    the locations replaced."""

    def prune(current: dict[str, Any], loc: Loc) -> tuple[dict[str, Any], Loc] | None:
        top = str(loc[0]) if loc else ""
        if top in _STAND_INS and len(loc) >= 2 and isinstance(current.get(top), list):
            current[top][int(loc[1])] = copy.deepcopy(_STAND_INS[top])
            return current, loc[:2]
        if top in ("parameters", "policies") and len(loc) >= 2 \
                and isinstance(current.get(top), dict):
            current[top].pop(loc[1], None)
            return current, loc[:2]
        if top in current and top != "name":
            del current[top]
            return current, loc[:1]
        return None if not top else (current, ())

    scenario, pruned = _validate_repairing(Scenario, data, locator, problems, prune)
    return scenario, [loc for loc in pruned if loc]


def _about_pruned(problem: Problem, pruned: list[Loc], locator: Locator) -> bool:
    """Whether a semantic problem concerns a replaced item or a dropped parameter."""
    for loc in pruned:
        if problem.field == dotted(locator.where(loc)[1]) or problem.field.startswith(
                dotted(locator.where(loc)[1]) + "."):
            return True
        if loc[0] == "parameters" and "unknown parameter" in problem.message and (
                len(loc) == 1 or f"'${loc[1]}'" in problem.message):
            return True
    return False


def _partial_world(data: dict, base: Any, locator: Locator,
                   problems: list[Problem]) -> tuple[World | None, list[Loc]]:
    """Validate the merged world, putting back the unmodified world's value at each broken
    place (or dropping what the base lacks) until it validates, so that whole-world checks
    (seat sums, quotas, members) still run on the rest in the same round."""

    def restore(current: dict[str, Any], loc: Loc) -> tuple[dict[str, Any], Loc] | None:
        return (current, loc) if loc and _restore(current, base, loc) else None

    return _validate_repairing(World, data, locator, problems, restore)


def _restore(data: Any, base: Any, loc: Loc) -> bool:
    """Put `base`'s value at the deepest prefix of `loc` it has into `data`, or drop the key."""
    node, ref = data, base
    for i, step in enumerate(loc):
        has = (isinstance(ref, dict) and step in ref) or (
            isinstance(ref, list) and isinstance(step, int) and step < len(ref))
        last = i == len(loc) - 1
        if not has or last:
            if not has and i == 0:
                return False
            if has:
                node[step] = copy.deepcopy(ref[step])
            elif isinstance(node, dict):
                node.pop(step, None)
            else:
                return False
            return True
        if isinstance(ref[step], (dict, list)) and isinstance(node[step], type(ref[step])):
            node, ref = node[step], ref[step]
        else:
            node[step] = copy.deepcopy(ref[step])
            return True
    return False


def resolved(scenario: Scenario) -> dict[str, Any]:
    """The world, path and hash the loader attached to a scenario."""
    if not scenario._resolved:
        raise InputError.at("<scenario>", "", "scenario was not loaded with load_scenario")
    return scenario._resolved


def check_scenario(scenario: Scenario, world: World, locator: Locator,
                   limits: dict[str, tuple[float, float, str]] | None = None) -> list[Problem]:
    """Semantic checks that need the world: names, dates, parameter references, conditions.

    `limits`, if given, receives for each parameter the range all fields it sets accept."""
    limits = {} if limits is None else limits
    problems: list[Problem] = []
    start = scenario.start_date or world.start_date
    room = (dt.date.max - start).days - DATE_MARGIN_DAYS
    if scenario.horizon_days > room:
        where = ("start_date",) if scenario.start_date is not None else ("world", "start_date")
        return [locator.problem(where, f"start date {start} leaves no room for the "
                                       f"{scenario.horizon_days:g}-day horizon (the calendar "
                                       f"ends at {dt.date.max})")]
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
            name = value[1:]
            old = limits.get(name, (-math.inf, math.inf, ""))
            if within[0] > old[0] or within[1] < old[1]:
                limits[name] = (max(old[0], within[0]), min(old[1], within[1]),
                                what or dotted(loc))
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
                    ref(v, loc + ("params", k), _knob_range(world, action.actor, k), k)
            else:
                ref(value, loc + (field,), number_range(type(action), field), field)

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
    names = Names(actors=frozenset(actors), posts=frozenset(posts), laws=frozenset(laws),
                  words=frozenset(_name_words(world)))
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
        ref(trig.delay, loc + ("delay",), number_range(Trigger, "delay"), "a delay")
        ref(trig.probability, loc + ("probability",), number_range(Trigger, "probability"),
            "a probability")
        check_action(trig.then, loc + ("then",))

    def check_knobs(actor: str, knobs: Any, loc: Loc) -> None:
        spec = world.actors.get(actor)
        if spec is None or (spec.policy is not None and spec.policy.kind not in POLICY_KNOBS):
            return  # an unknown actor or policy kind is reported on its own
        known = POLICY_KNOBS[spec.policy.kind] if spec.policy else {}
        for k, v in knobs.items():
            if k not in known:
                hint = ("; known: " + ", ".join(sorted(known))) if known else \
                    f"; {actor!r} has no policy"
                problems.append(locator.problem(loc + (k,), f"unknown policy knob {k!r} for "
                                                f"{actor!r}{hint}"))
                continue
            span = _knob_range(world, actor, k)
            v = knob_value(v)
            if span is not None and isinstance(v, (int, float)) and not span[0] <= v <= span[1]:
                problems.append(locator.problem(loc + (k,), f"policy knob {k!r} must be between "
                                                f"{span[0]:g} and {span[1]:g} (got {v:g})"))

    for actor, overrides in scenario.policies.items():
        if actor not in actors:
            problems.append(locator.problem(("policies", actor), f"unknown actor {actor!r}"))
        check_knobs(actor, overrides, ("policies", actor))
        for k, v in overrides.items():
            ref(knob_value(v), ("policies", actor, k), _knob_range(world, actor, k),
                f"knob {k!r}")
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
        span = KNOB_RANGES.get(name)  # a parameter named like an engine knob sets that knob
        if span is not None:
            lo, hi = param.bounds()
            if lo < span[0] or hi > span[1]:
                field = "range" if param.range is not None else "distribution"
                problems.append(locator.problem(
                    ("parameters", name, field),
                    f"parameter {name!r} sets the engine knob of that name, which must lie "
                    f"between {span[0]:g} and {span[1]:g}, but it can take {lo:g} .. {hi:g}"))
    return problems


def _name_words(world: World) -> set[tuple[str, str]]:
    """(word, actor id) for each word of an actor's name and leader ('al-Sadr' -> 'sadr')."""
    out: set[tuple[str, str]] = set()
    for aid, actor in world.actors.items():
        for text in (actor.name, actor.leader or ""):
            for word in re.split(r"[^a-z0-9]+", text.lower()):
                if len(word) >= 3 and word not in ("the", "and", "movement", "party", "list",
                                                    "coalition", "alliance", "forces", "lists"):
                    out.add((word, aid))
    return out


def _knob_range(world: World, actor: str | None, knob: str) -> tuple[float, float] | None:
    """The declared range of `actor`'s policy knob `knob` (None if unknown)."""
    spec = world.actors.get(actor) if actor else None
    if spec is None or spec.policy is None:
        return None
    return knob_range(spec.policy.kind, knob)
