"""The contract of every file the simulator writes, as one pydantic model per file.

`summary.json`, `manifest.json`, each line of `events.jsonl`, `sweep.json` and
`sensitivity.json` are written by one part of the package and read by others, often much later
and on another machine.  When writers and readers each kept their own idea of a file, they
drifted apart (the report looked for Sobol indices under names nothing wrote).  Here each file
has one model: the writers validate what they write against it, and every reader goes through
`read_json` / `read_events`, which turn a tampered, truncated or foreign file into one located
`InputError` line (``PATH:LINE:COL: field: message``, exit 2) instead of a traceback or a
silent guess.

A new key in any of these files is declared here first (optional, with a default, when older
files lack it); otherwise the writer refuses it, so the contract cannot drift unnoticed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from sim.errors import InputError, Problem
from sim.events import LOG_FORMAT
from sim.state import unknown_changes

__all__ = ["EventLine", "Manifest", "Sensitivity", "Summary", "SweepRecord", "dumps",
           "read_events", "read_json"]


class Artifact(BaseModel):
    """A written file's shape: unknown keys are refused (declare new keys here first)."""

    model_config = ConfigDict(extra="forbid")


class Finite(Artifact):
    """A part of summary.json or manifest.json: no NaN or infinity in any number field."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def non_finite(value: Any, path: str = "") -> str | None:
    """The dotted path of the first NaN or infinity in `value` (JSON has neither), or None."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (path or "(the value)")
    if isinstance(value, dict):
        for k, v in value.items():
            found = non_finite(v, f"{path}.{k}" if path else str(k))
            if found:
                return found
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            found = non_finite(v, f"{path}.{i}" if path else str(i))
            if found:
                return found
    return None


def dumps(value: Any, indent: int | None = None) -> str:
    """JSON text of an artifact, keys sorted.  NaN and infinities are refused, naming where
    they are: strict JSON has no such numbers (Python would write `NaN`, which other readers
    reject), and in an outcome they mean a bug upstream, not a value to pass on."""
    where = non_finite(value)
    if where is not None:
        raise ValueError(f"{where}: not a finite number; refusing to write it as JSON")
    return json.dumps(value, indent=indent, sort_keys=True, allow_nan=False)


# --- summary.json -------------------------------------------------------------------------

class ActorMeta(Finite):
    """An actor as reports show it; everything a report knows of the world's actors."""

    name: str
    colour: str | None = None
    kind: str
    sect: str | None = None  # the parliament chart seats parties by camp and bloc
    bloc: str | None = None
    short: str | None = None  # chart label when the name is too long (world display.short)
    map: tuple[float, float] | None = None  # place on the alliance maps (world display.map)


class ParliamentMeta(Finite):
    """The chamber as reports draw it: size, majority line, camps' seating order."""

    size: int
    majority: int  # the world's confidence quota
    camps: list[str] = []  # sects left to right across the parliament chart
    seated_last: list[str] = []  # groupings closing the row


class PostMeta(Finite):
    """What kind of post a post is (the report groups posts by it)."""

    kind: str  # governorship, media, security, lever (sim.schema.world.PostKind)
    governorate: str | None = None


class Assumption(Finite):
    field: str
    about: str | None = None  # the field in words ("seats of State of Law Coalition")
    value: Any
    note: str


class ElectionRecord(Finite):
    day: float
    date: str
    law: str
    seats_before: dict[str, int]
    seats: dict[str, int]


class Confidence(Finite):
    yes: int
    no: int


class Formation(Finite):
    day: float
    date: str
    prime_minister: str  # a person of the world's candidates
    prime_minister_party: str | None
    nominating_bloc: str | None
    members: list[str]
    confidence: Confidence | None
    event: int


class Person(Finite):
    name: str
    party: str | None


class Snapshot(Finite):
    """The monthly (and final) picture the report's time charts are drawn from."""

    day: float
    date: str
    influence: dict[str, float]
    seats: dict[str, int]
    relationships: list[tuple[str, str, float]]
    pm: str | None


class Summary(Finite):
    """summary.json: the outcome of one run (also the row a sweep flattens)."""

    scenario: str
    seed: int
    parameters: dict[str, float]
    start_date: str
    end_day: float
    end_date: str
    seats: dict[str, int]
    seats_initial: dict[str, int]
    prime_minister: str | None  # a person id (see people); prime_minister_party is the actor
    government: list[str]
    government_formed_day: float | None
    caretaker: bool
    formation: Formation | None
    ministries: dict[str, str | None]
    ministries_initial: dict[str, str | None]
    posts: dict[str, str | None]
    posts_initial: dict[str, str | None]
    influence: dict[str, float]
    casualties: int
    clashes: int
    sanctioned: list[str]
    state_sanctioned: bool
    election_law: str
    elections: list[ElectionRecord]
    boycotting: list[str]
    alliances: list[tuple[str, str]]
    history: list[Snapshot]
    actors: dict[str, ActorMeta]
    assumptions: list[Assumption]
    events: int
    event_cap_reached: bool
    time_budget_reached: bool  # stopped by --max-seconds (then not reproducible)
    government_formed: bool
    days_to_government: float | None
    prime_minister_party: str | None
    people: dict[str, Person]  # prime ministers are persons: their names and parties
    # the world as reports draw it (optional: summaries written before these keys lack them)
    parliament: ParliamentMeta | None = None
    post_info: dict[str, PostMeta] = {}
    collapses: int | None = None  # declared for the sweeps work; not written yet
    # the house the last election certified (null: no election in the run); `seats` is the
    # house at the end, after grouping deputies joined blocs or a bloc resigned
    seats_elected: dict[str, int] | None = None
    deputies_joined: int = 0  # grouping deputies drawn into blocs since the last election

    @model_validator(mode="after")
    def _invariants(self) -> Summary:
        if any(v < 0 for v in self.seats.values()):
            raise ValueError("negative seats")
        if self.casualties < 0:
            raise ValueError("negative casualties")
        if self.influence and abs(sum(self.influence.values()) - 1) > 1e-4:
            raise ValueError("influence does not sum to 1")
        return self


# --- manifest.json ------------------------------------------------------------------------

class Manifest(Finite):
    """manifest.json: how to make the run again (scenario, seed, parameters, versions)."""

    scenario: str
    scenario_path: str | None
    scenario_hash: str
    seed: int
    until: float | None
    parameters: dict[str, float]
    package_version: str
    log_format: int

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, v: int) -> int:
        if v != LOG_FORMAT:
            raise ValueError(f"events.jsonl format {v}; this version reads format {LOG_FORMAT}"
                             " (rerun the scenario to rewrite it)")
        return v


# --- events.jsonl -------------------------------------------------------------------------

class EventLine(Artifact):
    """One line of events.jsonl (`sim.events.Event.as_dict`)."""

    id: int
    t: float
    date: str
    kind: str
    actor: str | None
    changes: dict[str, Any]
    details: dict[str, Any]
    cause: int | None
    text: str

    @field_validator("changes")
    @classmethod
    def _vocabulary(cls, v: dict[str, Any]) -> dict[str, Any]:
        unknown = unknown_changes(v)
        if unknown:
            raise ValueError(f"not state changes: {', '.join(unknown)}")
        return v


# --- sweep.json ---------------------------------------------------------------------------

class SweepSpecRecord(BaseModel):
    """What was asked for; the sweep engine grows it (extra keys kept, the known ones typed)."""

    model_config = ConfigDict(extra="allow")

    sample: str
    seed: int
    replications: int
    n: int | None = None
    parameters: dict[str, dict[str, Any]]


class SalibProblem(Artifact):
    """SALib's problem definition (names and bounds of the sampled parameters)."""

    num_vars: int
    names: list[str]
    bounds: list[tuple[float, float]]
    dists: list[str] | None = None


class Counts(Artifact):
    runs: int
    failed: int


class SweepRecord(BaseModel):
    """sweep.json: what a sweep is, for --resume, sensitivity and the report.

    Extra keys are kept: the sweep engine is still growing this record (issue 12); the keys
    readers rely on are typed here.
    """

    model_config = ConfigDict(extra="allow")

    format: int
    package_version: str
    scenario: str | None
    scenario_path: str | None
    scenario_hash: str
    sweep: SweepSpecRecord
    parameters: list[str]
    points: int
    runs: int
    problem: SalibProblem | None = None
    actors: dict[str, ActorMeta] = {}
    parliament: ParliamentMeta | None = None  # for the seat charts' majority line
    assumptions: list[Assumption] = []
    created: str | None = None
    complete: bool = False
    counts: Counts | None = None


# --- sensitivity.json ---------------------------------------------------------------------

class Index(Artifact):
    """One parameter's effect on one outcome: Sobol (S1, ST with confidence half-widths) or
    Morris (mu_star, sigma) entries, flagged when it does not stand above replication noise."""

    S1: float | None = None
    S1_conf: float | None = None
    ST: float | None = None
    ST_conf: float | None = None
    mu_star: float | None = None
    mu_star_conf: float | None = None
    sigma: float | None = None
    mu_star_norm: float | None = None
    above_noise: bool


class Noise(Artifact):
    """How much of an outcome's variance is replication noise within parameter points."""

    noise_share: float | None
    noise_floor: float | None
    noise_effect: float | None = None


class SecondOrder(Artifact):
    S2: float | None
    S2_conf: float | None


class Sensitivity(Artifact):
    """sensitivity.json: indices of each analysed outcome of a sobol or morris sweep."""

    method: Literal["sobol", "morris"]
    problem: SalibProblem
    conf_level: float
    replications: int
    outcomes: dict[str, dict[str, Index]]
    noise: dict[str, Noise]
    second_order: dict[str, dict[str, SecondOrder]]
    skipped: dict[str, str]
    warnings: list[str]


# --- reading ------------------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


def _locate(text: str, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """Line and column of the key a validation error points at (its last key found)."""
    pos = 0
    for part in loc:
        if isinstance(part, str):
            found = text.find(json.dumps(part), pos)
            if found >= 0:
                pos = found
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _problem(path: Path, error: ValidationError, text: str, line: int | None = None) -> Problem:
    first = error.errors()[0]
    loc = tuple(first["loc"])
    field = ".".join(str(p) for p in loc)
    if first["type"] == "missing":
        loc = loc[:-1]  # point at the object that lacks the key
    where_line, col = (line, 1) if line is not None else _locate(text, loc)
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "not part of this file's format"
    return Problem(str(path), where_line, col, field,
                   f"{message} (not a file this version of sim wrote, or edited since)")


def validate(model: type[M], value: Any, path: Path, text: str = "",
             line: int | None = None) -> M:
    """`value` as `model`, or an InputError located in `path`."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise InputError(_problem(path, exc, text, line)) from None


def read_json(model: type[M], path: str | Path) -> M:
    """Read and validate one JSON artifact; any problem is one located InputError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError.at(str(path), "", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.at(str(path), "", f"cannot read ({exc})") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.at(str(path), "", f"not JSON ({exc.msg})", exc.lineno,
                            exc.colno) from None
    return validate(model, value, path, text)


def read_events(path: str | Path) -> list[EventLine]:
    """Read and validate events.jsonl: every line an event, ids in order, causes earlier."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError.at(str(path), "", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.at(str(path), "", f"cannot read ({exc})") from None
    events: list[EventLine] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError.at(str(path), "", f"not JSON ({exc.msg})", number,
                                exc.colno) from None
        event = validate(EventLine, value, path, line=number)
        if event.id != len(events):
            raise InputError.at(str(path), "id", f"event {event.id} where {len(events)} was "
                                "expected (lines missing or reordered)", number)
        if event.cause is not None and not 0 <= event.cause < event.id:
            raise InputError.at(str(path), "cause", f"{event.cause} is not an earlier event",
                                number)
        events.append(event)
    return events
