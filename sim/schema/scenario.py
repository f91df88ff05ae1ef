"""The scenario language: what an analyst writes in `scenarios/*.yaml`.

A scenario may `extend` another, override any world value, declare *parameters* (the knobs a
sweep turns), schedule *events* at a date or day, and add *triggers* (when a condition holds or
an event happens, fire an event after a delay with a probability).  Any number in an event,
trigger or policy may be a reference ``$name`` to a declared parameter.  Every model forbids
unknown keys, so a typo is an error at its line rather than a silently ignored setting.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple, Union, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from sim.schema.provenance import Sourced

PARAM_REF = r"^\$[A-Za-z_][A-Za-z0-9_]*$"
ParamRef = Annotated[str, Field(pattern=PARAM_REF)]
Number = float | ParamRef
Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]

# Time steps below this (in days) are refused: a cadence or delay of 1e-300 days would let
# the clock stand still while work piles up.  A delay of exactly 0 ("at once") stays allowed.
MIN_STEP_DAYS = 0.01


def Within(lo: float, hi: float) -> Any:
    """A number (or `$parameter`) that must lie in [lo, hi]: the range is declared here, once;
    the loader reads it back (`number_range`) to check parameters referenced by the field."""
    return Annotated[float, Field(ge=lo, le=hi)] | ParamRef


def _step_floor(value: float) -> float:
    if 0 < value < MIN_STEP_DAYS:
        raise ValueError(f"a delay is 0 (at once) or at least {MIN_STEP_DAYS:g} days "
                         f"(got {value:g})")
    return value


# a delay in days: 0 (at once) or at least MIN_STEP_DAYS, at most ten years
Delay = Annotated[float, Field(ge=0, le=3650), AfterValidator(_step_floor)] | ParamRef


def LawName() -> Any:
    """A law's name; `law: 2013` unquoted is a YAML integer, read as the name '2013'."""
    return Annotated[str, BeforeValidator(_int_to_name)]


def _int_to_name(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def number_range(model: type[BaseModel], field: str) -> tuple[float, float] | None:
    """The [lo, hi] declared on `model.field` (by `Within` or `Field(ge=..., le=...)`)."""
    info = model.model_fields.get(field)
    if info is None:
        return None
    lo, hi = -math.inf, math.inf
    found = False
    stack: list[Any] = [info.annotation, *info.metadata]
    while stack:
        item = stack.pop()
        if isinstance(item, FieldInfo):
            stack.extend(item.metadata)
            continue
        for attr, is_lo in (("ge", True), ("gt", True), ("le", False), ("lt", False)):
            bound = getattr(item, attr, None)
            if isinstance(bound, (int, float)) and not isinstance(item, type):
                found = True
                if is_lo:
                    lo = max(lo, float(bound))
                else:
                    hi = min(hi, float(bound))
        stack.extend(get_args(item))
    return (lo, hi) if found else None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def problem(field: str, message: str) -> PydanticCustomError:
    """A model check's error about one of its fields (the loader points at that field)."""
    return PydanticCustomError("located", message.replace("{", "(").replace("}", ")"),
                               {"field": field})


class Distribution(Strict):
    """Exactly one of: uniform [low, high], normal {mean, sd}, triangular [low, mode, high]."""

    uniform: tuple[float, float] | None = None
    normal: dict[Literal["mean", "sd"], float] | None = None
    triangular: tuple[float, float, float] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Distribution:
        given = [k for k in ("uniform", "normal", "triangular") if getattr(self, k) is not None]
        if len(given) > 1:
            raise problem(given[1], "give exactly one of uniform, normal, triangular")
        if not given:
            raise ValueError("give exactly one of uniform, normal, triangular")
        if self.uniform is not None and not self.uniform[0] < self.uniform[1]:
            raise problem("uniform", "uniform needs low < high")
        if self.normal is not None:
            if set(self.normal) != {"mean", "sd"} or self.normal["sd"] <= 0:
                raise problem("normal", "normal needs mean and a positive sd")
        if self.triangular is not None:
            lo, mode, hi = self.triangular
            if not lo <= mode <= hi or lo == hi:
                raise problem("triangular", "triangular needs low <= mode <= high, low < high")
        return self

    def bounds(self) -> tuple[float, float]:
        """A finite range for samplers: the support, or mean +- 3 sd for a normal."""
        if self.uniform is not None:
            return self.uniform
        if self.triangular is not None:
            return self.triangular[0], self.triangular[2]
        assert self.normal is not None
        return (self.normal["mean"] - 3 * self.normal["sd"],
                self.normal["mean"] + 3 * self.normal["sd"])


class Parameter(Strict):
    """A knob: its default, and the range or distribution a sweep draws it from."""

    default: float
    range: tuple[float, float] | None = None
    distribution: Distribution | None = None
    integer: bool = False
    description: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Parameter:
        if self.range is None and self.distribution is None:
            raise ValueError("declare a range [low, high] or a distribution")
        if self.range is not None and self.distribution is not None:
            raise problem("distribution", "declare a range or a distribution, not both "
                          "(a sweep would not know which to draw from)")
        lo, hi = self.bounds()
        if not lo <= hi:
            raise problem("range", f"range low {lo:g} is above high {hi:g}")
        if not lo <= self.default <= hi:
            raise problem("default", f"default {self.default:g} is outside its range "
                                     f"[{lo:g}, {hi:g}]")
        if self.integer and self.default != int(self.default):
            raise problem("default", "integer parameter needs a whole default")
        return self

    def bounds(self) -> tuple[float, float]:
        if self.range is not None:
            return self.range
        assert self.distribution is not None
        return self.distribution.bounds()


# --- scheduled and triggered events: one model per kind, told apart by `kind` -------------

class _Action(Strict):
    name: Name | None = None
    note: str = ""


class Emits(NamedTuple):
    """An event kind an action emits itself (not through an institution): its category (one of
    `sim.catalogue.CATEGORIES`), the kind in words, and whether timelines hide it by default."""

    category: str
    label: str
    routine: bool = False


# Every action model, in declaration order: `@action` adds one, and the `Action` union,
# `ACTION_KINDS`, the event kinds the actions emit (registered into `sim.catalogue.KINDS`) and
# the actions table of docs/scenario-language.md (`python -m sim.docs`) are built from it, so a
# new action kind is one decorated class here (its docstring says what happens, its fields are
# its schema, `emits=` its own event kinds) plus one `@handles` function in sim/actions.py.
ACTION_MODELS: list[type[_Action]] = []
ACTION_EMITS: dict[type[_Action], dict[str, Emits]] = {}


def action(model: type[_Action] | None = None, *, emits: dict[str, Emits] | None = None
           ) -> Any:
    """Register an action model (its `kind: Literal[...]` names the kinds it covers), with the
    event kinds its handler emits itself: `@action` or `@action(emits={...})`."""
    def register(m: type[_Action]) -> type[_Action]:
        ACTION_MODELS.append(m)
        ACTION_EMITS[m] = dict(emits or {})
        return m
    if model is not None:
        return register(model)
    decorate: Callable[[type[_Action]], type[_Action]] = register
    return decorate


def kinds_of(model: type[BaseModel]) -> tuple[str, ...]:
    """The kind names an action model's `kind: Literal[...]` field accepts."""
    return tuple(get_args(model.model_fields["kind"].annotation))


@action
class Election(_Action):
    """A parliamentary election under the law in force (or `law`), then government formation;
    `results: declared` takes the parliament's seats as they stand as the certified result (no
    votes drawn), for a scenario that starts from a real election."""

    kind: Literal["election"]
    law: LawName() | None = None
    results: Literal["drawn", "declared"] = "drawn"


@action(emits={"law_changed": Emits("law", "election law changed")})
class ChangeLaw(_Action):
    """The election law changes outright."""

    kind: Literal["change_law"]
    law: LawName()


@action
class ProposeLaw(_Action):
    """An actor pushes a law: bargaining over the draft, then a vote in parliament (it may be
    shelved or rejected)."""

    kind: Literal["propose_law"]
    actor: str
    law: LawName()
    proposal: Within(0, 100) = 80.0  # a position on the 0..100 issue scale


@action(emits={"boycott_started": Emits("street", "boycott started"),
                "boycott_ended": Emits("street", "boycott ended")})
class Boycott(_Action):
    """An actor leaves or returns to politics (its voters follow)."""

    kind: Literal["start_boycott", "end_boycott"]
    actor: str


@action(emits={"alliance_formed": Emits("relations", "alliance formed"),
                "alliance_broken": Emits("relations", "alliance broken")})
class Alliance(_Action):
    """An alliance (the relationship set to at least `strength`), or its end."""

    kind: Literal["form_alliance", "break_alliance"]
    actors: tuple[str, str]
    strength: Within(0, 1) = 0.6  # the relationship weight the alliance sets at least


@action(emits={"relationship_changed": Emits("relations", "relationship changed")})
class SetRelationship(_Action):
    """The relationship of two actors is set to `weight` (-1 rivalry .. 1 alliance)."""

    kind: Literal["set_relationship"]
    actors: tuple[str, str]
    weight: Within(-1, 1)


@action(emits={"support_changed": Emits("support", "support changed")})
class ShiftSupport(_Action):
    """The actor's vote share moves by `delta` in every governorate."""

    kind: Literal["shift_support"]
    actor: str
    delta: Within(-1, 1)  # a change in potential vote share


@action
class Mobilise(_Action):
    """Street protests; they may stall parliament and lead to clashes."""

    kind: Literal["mobilise"]
    actor: str
    strength: Within(0, 1) = 0.8


@action
class Clash(_Action):
    """Armed clashes between two actors; casualties drawn from the world's clash calibration."""

    kind: Literal["clash"]
    actors: tuple[str, str]


@action
class Sanction(_Action):
    """US sanctions on an actor (and the risk to the state), or their end."""

    kind: Literal["sanction", "lift_sanction"]
    target: str


@action
class AssignPost(_Action):
    """A ministry or post changes hands (`holder: null` leaves it vacant)."""

    kind: Literal["assign_post"]
    post: str
    holder: str | None


@action
class Withdraw(_Action):
    """An actor leaves the government (which may fall)."""

    kind: Literal["withdraw"]
    actor: str


@action(emits={"policy_changed": Emits("policy", "policy changed")})
class SetPolicy(_Action):
    """An actor's behaviour changes: `params` sets knobs of its policy."""

    kind: Literal["set_policy"]
    actor: str
    params: dict[Name, Number]


@action
class SetStance(_Action):
    """An actor takes a position (0..100, and optionally a salience) on an issue, e.g. after
    a deal."""

    kind: Literal["set_stance"]
    actor: str
    issue: Literal["election_law", "pmf_law", "us_presence", "premiership"]
    position: Within(0, 100)
    salience: Within(0, 1) | None = None


if TYPE_CHECKING:  # the union is built at run time from ACTION_MODELS
    Action = Any
else:
    Action = Annotated[Union[tuple(ACTION_MODELS)], Field(discriminator="kind")]  # noqa: UP007
ACTION_KINDS: tuple[str, ...] = tuple(k for model in ACTION_MODELS for k in kinds_of(model))


class EventSpec(Sourced):
    """An action scheduled at a date (`at`) or a day from the start (`day`).  The numbers its
    action writes are the what-if's own definition: `assumption` (or `seed` / `external`)
    says what they rest on, and a run lists them in `summary.assumptions`."""

    at: dt.date | None = None
    day: Within(0, 3650) | None = None
    do: Action

    @model_validator(mode="after")
    def _one_time(self) -> EventSpec:
        if self.at is None and self.day is None:
            raise ValueError("missing the time: give at (a date) or day (days from the start)")
        if self.at is not None and self.day is not None:
            raise problem("day", "give either at (a date) or day (days from the start), "
                                 "not both")
        return self


class OnEvent(Strict):
    kind: str
    actor: str | None = None


class Trigger(Sourced):
    """When `when` holds (checked after every event) or `on` happens: `then`, after `delay`,
    with `probability`.  Its numbers (delay, probability, the action's) are the what-if's own
    definition, cited like an event's (`assumption`, `seed` or `external`)."""

    name: Name | None = None
    when: str | None = Field(default=None, max_length=500)
    on: OnEvent | None = None
    then: Action
    delay: Delay = 0.0
    probability: Within(0, 1) = 1.0
    once: bool = True

    @model_validator(mode="after")
    def _one_condition(self) -> Trigger:
        if self.when is None and self.on is None:
            raise ValueError("missing the condition: give when (a condition) or on (an event)")
        if self.when is not None and self.on is not None:
            raise problem("on", "give either when (a condition) or on (an event), not both")
        return self


class CitedKnob(Sourced):
    """A behaviour knob a scenario sets, with what it rests on: `{value: 0.6, assumption:
    "why"}` (or `seed:` / `external:`), so `summary.assumptions` gives the scenario's reason
    rather than only that the scenario set it.  A bare number (or `$parameter`) is read too."""

    value: Number
    note: str | None = None


def knob_value(knob: Number | CitedKnob) -> Number:
    """The number (or `$parameter`) a scenario's knob sets, cited or bare."""
    return knob.value if isinstance(knob, CitedKnob) else knob


class Scenario(Strict):
    """A resolved scenario (after `extends`); the world itself is attached by the loader."""

    name: Name
    description: str = ""
    extends: str | None = None
    start_date: dt.date | None = None
    horizon_days: float = Field(default=730.0, gt=0, le=3650)
    event_cap: int = Field(default=20_000, ge=10, le=1_000_000)
    world: dict = Field(default_factory=dict)
    parameters: dict[Name, Parameter] = Field(default_factory=dict)
    policies: dict[str, dict[Name, Number | CitedKnob]] = Field(default_factory=dict)
    events: list[EventSpec] = Field(default_factory=list)
    triggers: list[Trigger] = Field(default_factory=list)
    _resolved: dict = PrivateAttr(default_factory=dict)  # world, path, hash: set by the loader

    @field_validator("world")
    @classmethod
    def _world_is_mapping(cls, v: dict) -> dict:
        return v
