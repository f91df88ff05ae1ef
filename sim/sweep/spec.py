"""What a sweep does with each parameter: sample a range, grid a list, or hold a value.

Users write a spec per parameter on the command line (``--set NAME=SPEC``) or pass one from
Python.  Everything is checked against the parameters the scenario declares *before* anything
runs or is written, so a typo costs one line on stderr rather than a half-finished output folder.
A parameter the user does not mention keeps its declared default; with no specs at all, every
declared parameter is swept over its declared range (or drawn from its declared distribution).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.errors import InputError

OPTION = "--set"


@dataclass(frozen=True, slots=True)
class Range:
    """``LOW:HIGH``: sampled uniformly (lhs, sobol) or at ``n`` even levels (grid)."""

    low: float
    high: float

    def ppf(self, u: Any) -> Any:
        """Map quantiles in [0, 1] onto the range (the inverse CDF of a uniform)."""
        return self.low + (self.high - self.low) * u

    def levels(self, n: int) -> list[float]:
        if n == 1:
            return [(self.low + self.high) / 2]
        step = (self.high - self.low) / (n - 1)
        return [self.low + i * step for i in range(n)]

    def to_json(self) -> dict[str, Any]:
        return {"range": [self.low, self.high]}


@dataclass(frozen=True, slots=True)
class Distributed:
    """A declared ``normal`` or ``triangular`` distribution, sampled through its inverse CDF.

    Sampling the unit cube and mapping each axis through a quantile function keeps one code
    path for every sampler, and leaves Sobol indices valid (they only depend on the outputs).
    """

    kind: str  # "normal" | "triangular"
    args: tuple[float, ...]  # (mean, sd) | (low, mode, high)

    def _dist(self) -> Any:
        from scipy import stats

        if self.kind == "normal":
            mean, sd = self.args
            return stats.norm(loc=mean, scale=sd)
        low, mode, high = self.args
        return stats.triang(c=(mode - low) / (high - low), loc=low, scale=high - low)

    def ppf(self, u: Any) -> Any:
        return self._dist().ppf(u)

    def levels(self, n: int) -> list[float]:
        """Grid levels at evenly spaced quantiles (midpoints, so never +-infinity)."""
        return [float(x) for x in self._dist().ppf([(i + 0.5) / n for i in range(n)])]

    def to_json(self) -> dict[str, Any]:
        return {self.kind: list(self.args)}


@dataclass(frozen=True, slots=True)
class Choices:
    """``a,b,c``: every value is run (a grid axis, whatever the sampler)."""

    values: tuple[float, ...]

    def to_json(self) -> dict[str, Any]:
        return {"values": list(self.values)}


@dataclass(frozen=True, slots=True)
class Fixed:
    """A single value held for the whole sweep."""

    value: float

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value}


Spec = Range | Distributed | Choices | Fixed
Sampled = (Range, Distributed)


def spec_from_json(data: Mapping[str, Any]) -> Spec:
    """Inverse of ``Spec.to_json`` (used to read ``sweep.json`` back)."""
    if "range" in data:
        return Range(*data["range"])
    if "values" in data:
        return Choices(tuple(data["values"]))
    if "value" in data:
        return Fixed(data["value"])
    (kind, args), = data.items()
    return Distributed(kind, tuple(args))


def _number(name: str, text: str, integer: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError.cli(OPTION, f"{name}: {text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError.cli(OPTION, f"{name}: {text.strip()!r} is not a finite number")
    if integer:
        if value != int(value):
            raise InputError.cli(OPTION, f"{name}: {text.strip()!r} is not an integer")
        return int(value)
    return value


def parse_spec(name: str, text: str, integer: bool = False) -> Spec:
    """Parse ``LOW:HIGH``, ``a,b,c`` or a single value for parameter `name`."""
    text = text.strip()
    if not text:
        raise InputError.cli(OPTION, f"{name}: empty SPEC; give LOW:HIGH, a,b,c or a value")
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 2:
            raise InputError.cli(OPTION, f"{name}: {text!r} is not LOW:HIGH")
        low, high = (_number(name, p, integer) for p in parts)
        if not low < high:
            raise InputError.cli(OPTION, f"{name}: range {text!r} needs LOW < HIGH")
        return Range(low, high)
    if "," in text:
        values = tuple(_number(name, p, integer) for p in text.split(","))
        if len(set(values)) != len(values):
            raise InputError.cli(OPTION, f"{name}: {text!r} repeats a value")
        return Choices(values)
    return Fixed(_number(name, text, integer))


def coerce_spec(name: str, value: Any, integer: bool = False) -> Spec:
    """A Python-side spec: a SPEC string, a ``(low, high)`` tuple, a list of values, a number."""
    if isinstance(value, Range | Distributed | Choices | Fixed):
        return value
    if isinstance(value, str):
        return parse_spec(name, value, integer)
    if isinstance(value, tuple):
        if len(value) != 2:
            raise InputError.cli(OPTION, f"{name}: a tuple spec is (low, high)")
        return parse_spec(name, f"{value[0]}:{value[1]}", integer)
    if isinstance(value, list | range):
        if not value:
            raise InputError.cli(OPTION, f"{name}: an empty list of values")
        return parse_spec(name, ",".join(str(v) for v in value), integer)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_spec(name, repr(value), integer)
    raise InputError.cli(OPTION, f"{name}: cannot read {value!r} as a spec")


def parse_sets(items: Sequence[str]) -> dict[str, str]:
    """Split repeated ``--set NAME=SPEC`` options into ``{NAME: SPEC}``."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, spec = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError.cli(OPTION, f"{item!r} is not NAME=SPEC")
        if name in out:
            raise InputError.cli(OPTION, f"{name} is set twice")
        out[name] = spec
    return out


def declared_spec(param: Any) -> Spec:
    """The spec a declared parameter implies: its range, or its distribution."""
    if getattr(param, "range", None) is not None:
        return Range(*map(float, param.range))
    dist = getattr(param, "distribution", None)
    if dist is not None:
        if dist.uniform is not None:
            return Range(*map(float, dist.uniform))
        if dist.normal is not None:
            return Distributed("normal", (dist.normal["mean"], dist.normal["sd"]))
        return Distributed("triangular", tuple(map(float, dist.triangular)))
    return Fixed(param.default)


def resolve(declared: Mapping[str, Any], given: Mapping[str, Any] | None) -> dict[str, Spec]:
    """Check `given` against the scenario's declared parameters; return specs by name.

    Names keep the scenario's declaration order so the run table's columns do not depend on the
    order options were typed in.
    """
    if given is None:
        return {name: declared_spec(p) for name, p in declared.items()}
    unknown = [name for name in given if name not in declared]
    if unknown:
        known = ", ".join(declared) or "(none)"
        raise InputError.cli(
            OPTION, f"unknown parameter {unknown[0]!r}; the scenario declares: {known}"
        )
    specs = {
        name: coerce_spec(name, given[name], bool(getattr(p, "integer", False)))
        for name, p in declared.items()
        if name in given
    }
    for name, spec in specs.items():
        check_bounds(name, spec, declared[name])
    return specs


def declared_bounds(param: Any) -> tuple[float, float] | None:
    """The values a declared parameter may take, as `sim run` enforces them (None: any).

    A range bounds it; so do uniform and triangular distributions; a normal has no finite
    support, so it does not.
    """
    if getattr(param, "range", None) is not None:
        low, high = param.range
        return float(low), float(high)
    dist = getattr(param, "distribution", None)
    if dist is None or getattr(dist, "normal", None) is not None:
        return None
    if getattr(dist, "uniform", None) is not None:
        return tuple(map(float, dist.uniform))  # type: ignore[return-value]
    if getattr(dist, "triangular", None) is not None:
        low, _, high = dist.triangular
        return float(low), float(high)
    return None


def check_bounds(name: str, spec: Spec, param: Any) -> None:
    """Refuse a spec that reaches outside the parameter's declared range (every run would fail)."""
    bounds = declared_bounds(param)
    if bounds is None:
        return
    low, high = bounds
    if isinstance(spec, Range):
        values: tuple[float, ...] = (spec.low, spec.high)
    elif isinstance(spec, Choices):
        values = spec.values
    elif isinstance(spec, Fixed):
        values = (spec.value,)
    else:
        return
    for v in values:
        if not low <= v <= high:
            raise InputError.cli(
                OPTION, f"{name}: {v:g} is outside the declared range [{low:g}, {high:g}]"
            )
