"""The run table: which parameter values each run uses, and its seed.

A sweep is fully determined by its `SweepSpec` and the scenario.  Its size is *counted* before
anything is built (so a design of 150^8 grid points is refused at once, not allocated), and
its points are computed on demand from their index: a grid point unravels its index over the
levels of each axis, a sampled point reads one row of the sampler's unit matrix (whose size is
bounded by the run limit), and list axes wrap either as an outer grid.  Memory therefore does
not grow with the number of runs.

Run ``i`` is point ``i // replications``, replication ``i % replications``.  Its seed comes
from NumPy's `SeedSequence` with spawn key ``(1, point, replication)`` (``(2, replication)``
with common random numbers: every point then shares its replication seeds; key ``(0,)``
drives the samplers), so a result never depends on which worker ran it, in what order,
whether the sweep was resumed, or how many replications or points were added later.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import InputError
from sim.sweep.spec import Choices, Distributed, Fixed, Range, Spec, spec_from_json

SAMPLES = ("grid", "lhs", "sobol", "morris")
DEFAULT_N = {"grid": 5, "lhs": 100, "sobol": 64, "morris": 10}
DEFAULT_MAX_RUNS = 100_000
MORRIS_LEVELS = 4
SEEDING = "point-replication"  # recorded in sweep.json: how run seeds are derived


@dataclass(frozen=True)
class SweepSpec:
    """Everything that decides a sweep's results (and nothing that does not, like workers)."""

    parameters: dict[str, Spec]
    sample: str = "grid"
    n: int | None = None
    replications: int = 1
    seed: int = 0
    crn: bool = False
    second_order: bool = False

    def __post_init__(self) -> None:
        if self.sample not in SAMPLES:
            raise InputError.cli("--sample", f"{self.sample!r} is not one of {', '.join(SAMPLES)}")
        if self.n is None:
            object.__setattr__(self, "n", DEFAULT_N[self.sample])
        if not isinstance(self.n, int) or isinstance(self.n, bool) or self.n < 1:
            raise InputError.cli("--n", f"must be a whole number >= 1, not {self.n!r}")
        if (not isinstance(self.replications, int) or isinstance(self.replications, bool)
                or self.replications < 1):
            raise InputError.cli(
                "--replications", f"must be a whole number >= 1, not {self.replications!r}"
            )
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise InputError.cli("--seed", f"must be a whole number >= 0, not {self.seed!r}")
        if self.second_order and self.sample != "sobol":
            raise InputError.cli("--second-order", "second-order indices need --sample sobol")
        if self.sample in ("sobol", "morris"):
            lists = [k for k, s in self.parameters.items() if isinstance(s, Choices)]
            if lists:
                raise InputError.cli(
                    "--set", f"{lists[0]}: {self.sample} sampling needs ranges (LOW:HIGH), "
                    "not a list"
                )
            if not any(isinstance(s, Range | Distributed) for s in self.parameters.values()):
                raise InputError.cli(
                    "--set", f"{self.sample} sampling needs at least one LOW:HIGH range"
                )
        if self.sample == "sobol" and self.n & (self.n - 1):
            raise InputError.cli(
                "--n", f"sobol sampling needs a power of 2 (e.g. 64, 128), not {self.n}"
            )
        if self.sample == "morris" and self.n < 2:
            raise InputError.cli("--n", "morris sampling needs at least 2 trajectories")

    def to_json(self) -> dict[str, Any]:
        out = {
            "parameters": {k: s.to_json() for k, s in self.parameters.items()},
            "sample": self.sample,
            "n": self.n,
            "replications": self.replications,
            "seed": self.seed,
            "seeding": SEEDING,
        }
        if self.crn:
            out["crn"] = True
        if self.second_order:
            out["second_order"] = True
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SweepSpec:
        params = {k: spec_from_json(v) for k, v in data["parameters"].items()}
        return cls(params, data["sample"], data["n"], data["replications"], data["seed"],
                   bool(data.get("crn", False)), bool(data.get("second_order", False)))


@dataclass(frozen=True, slots=True)
class RunSpec:
    """One run to do: its id, where it sits in the design, its seed and parameter values."""

    run_id: int
    point: int
    replication: int
    seed: int
    parameters: dict[str, float]


def run_seed(root: int, point: int, replication: int, crn: bool = False) -> int:
    """The seed of one run: a 63-bit integer (fits a parquet int64) from SeedSequence.

    It depends on the run's place in the design only (not on its run id, which shifts when
    replications are added), so growing a sweep keeps every existing run's seed.
    """
    key = (2, replication) if crn else (1, point, replication)
    child = np.random.SeedSequence(root, spawn_key=key)
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


def _grid_count(s: Spec, n: int, integer: bool) -> int:
    """How many distinct levels `s` has at `n` per axis, without listing them."""
    if integer and isinstance(s, Range) and n > 1 and (s.high - s.low) / (n - 1) < 1:
        return int(round(s.high) - round(s.low) + 1)  # every integer in between is hit
    if integer and n <= 100_000:
        return len(_grid_levels(s, n, integer))
    return n


def _grid_levels(s: Spec, n: int, integer: bool) -> list[float]:
    if integer and isinstance(s, Range) and n > 1 and (s.high - s.low) / (n - 1) < 1:
        return [float(v) for v in range(int(round(s.low)), int(round(s.high)) + 1)]
    levels = s.levels(n)  # type: ignore[union-attr]
    if integer:  # rounding can merge levels; keep each once, in order
        levels = list(dict.fromkeys(float(round(v)) for v in levels))
    return levels


def _size_text(x: int) -> str:
    return f"{x:,}" if x < 10**12 else f"{x:.3g}"


class Design:
    """The parameter points of a sweep over one scenario's declared parameters."""

    def __init__(self, spec: SweepSpec, declared: Mapping[str, Any],
                 max_runs: int | None = None):
        self.spec = spec
        self.declared = declared
        self.names: list[str] = list(declared)
        self.integer = {k: bool(getattr(p, "integer", False)) for k, p in declared.items()}
        self.lists = [k for k, s in spec.parameters.items() if isinstance(s, Choices)]
        self._col = {k: j for j, k in enumerate(self.names)}
        self._base = np.array([float(p.default) for p in declared.values()], dtype=float)
        for k, s in spec.parameters.items():
            if isinstance(s, Fixed):
                self._base[self._col[k]] = float(s.value)
        self._list_sizes = [len(spec.parameters[k].values) for k in self.lists]  # type: ignore
        n = int(spec.n or 1)
        d = len(self.sampled)
        if d == 0:
            self._rows = 1
        elif spec.sample == "grid":
            self._rows = math.prod(
                _grid_count(spec.parameters[k], n, self.integer[k]) for k in self.sampled
            )
        elif spec.sample == "lhs":
            self._rows = n
        elif spec.sample == "sobol":
            self._rows = n * (2 * d + 2 if spec.second_order else d + 2)
        else:  # morris: n trajectories of d + 1 points
            self._rows = n * (d + 1)
        self.n_points: int = self._rows * math.prod(self._list_sizes)
        self.n_runs: int = self.n_points * spec.replications
        if max_runs is not None and self.n_runs > max_runs:
            reps = spec.replications
            raise InputError.cli(
                "--max-runs",
                f"the design is {_size_text(self.n_points)} points x {reps} "
                f"replication{'s' * (reps != 1)} = {_size_text(self.n_runs)} runs, above the "
                f"limit of {max_runs:,}; use fewer levels or points (--n), fewer --set ranges "
                f"or replications, or raise the limit with --max-runs "
                f"{self.n_runs if self.n_runs < 10**15 else _size_text(self.n_runs)}",
            )
        # Small, bounded structures only from here on.
        self._levels: list[list[float]] = []
        self._unit: np.ndarray | None = None
        self._values: np.ndarray | None = None  # sampled rows mapped through each ppf
        if d and spec.sample == "grid":
            self._levels = [_grid_levels(spec.parameters[k], n, self.integer[k])
                            for k in self.sampled]
        elif d:
            self._unit = self.unit_sample()
            self._values = np.column_stack(
                [np.asarray(spec.parameters[k].ppf(self._unit[:, j]), dtype=float)  # type: ignore
                 for j, k in enumerate(self.sampled)]
            )

    # -- the design ----------------------------------------------------------------------
    @property
    def sampled(self) -> list[str]:
        """Parameters drawn from a range or distribution, in declaration order."""
        return [k for k, s in self.spec.parameters.items() if isinstance(s, Range | Distributed)]

    def problem(self) -> dict[str, Any] | None:
        """The SALib problem of a sobol or morris sweep, as SALib reads bounds and dists.

        Sampling draws SALib's points on the unit cube and maps each axis through the
        parameter's quantile function, which is what SALib's own scaling does; the problem is
        stored in sweep.json for analysis and for anyone re-using the design with SALib.
        """
        if self.spec.sample not in ("sobol", "morris"):
            return None
        names = self.sampled
        bounds: list[list[float]] = []
        dists: list[str] = []
        for k in names:
            s = self.spec.parameters[k]
            if isinstance(s, Range):
                bounds.append([s.low, s.high])
                dists.append("unif")
            elif s.kind == "normal":  # type: ignore[union-attr]
                bounds.append(list(s.args))  # type: ignore[union-attr]
                dists.append("norm")
            else:
                low, mode, high = s.args  # type: ignore[union-attr]
                bounds.append([low, high, (mode - low) / (high - low)])
                dists.append("triang")
        return {"num_vars": len(names), "names": names, "bounds": bounds, "dists": dists}

    def unit_sample(self) -> np.ndarray:
        """The sampler's points on the unit cube (lhs, sobol, morris), rows in design order."""
        spec = self.spec
        d = len(self.sampled)
        sampler_seed = np.random.SeedSequence(spec.seed, spawn_key=(0,))
        if spec.sample == "lhs":
            from scipy.stats import qmc

            rng = np.random.default_rng(sampler_seed)
            return qmc.LatinHypercube(d=d, rng=rng).random(spec.n)
        salib_seed = int(sampler_seed.generate_state(1)[0])
        unit = {"num_vars": d, "names": self.sampled, "bounds": [[0.0, 1.0]] * d}
        if spec.sample == "morris":
            from SALib.sample import morris

            # SALib's grid levels reach 0 and 1, where a normal's quantile is infinite:
            # pull the unit points in by half a level (still equal steps between levels).
            x = morris.sample(unit, spec.n, num_levels=MORRIS_LEVELS, seed=salib_seed)
            return np.asarray(x) * (1 - 1 / MORRIS_LEVELS) + 0.5 / MORRIS_LEVELS
        from SALib.sample import sobol

        return sobol.sample(unit, spec.n, calc_second_order=spec.second_order, seed=salib_seed)

    def point_row(self, point: int) -> np.ndarray:
        """Every declared parameter's value at `point` (declaration order)."""
        if not 0 <= point < self.n_points:
            raise IndexError(point)
        row = self._base.copy()
        combo, r = divmod(point, self._rows)
        for k, size in zip(reversed(self.lists), reversed(self._list_sizes), strict=True):
            combo, i = divmod(combo, size)
            row[self._col[k]] = self.spec.parameters[k].values[i]  # type: ignore[union-attr]
        if self._values is not None:
            for j, k in enumerate(self.sampled):
                row[self._col[k]] = self._values[r, j]
        elif self._levels:
            for k, levels in zip(reversed(self.sampled), reversed(self._levels), strict=True):
                r, i = divmod(r, len(levels))
                row[self._col[k]] = levels[i]
        for k, is_int in self.integer.items():
            if is_int:
                row[self._col[k]] = np.rint(row[self._col[k]])
        return row

    @property
    def points(self) -> np.ndarray:
        """All points as a matrix (tests and small designs only: it is n_points rows)."""
        return np.array([self.point_row(p) for p in range(self.n_points)]).reshape(
            self.n_points, len(self.names))

    # -- runs ----------------------------------------------------------------------------
    def values(self, point: int) -> dict[str, float]:
        row = self.point_row(point)
        return {
            k: (int(row[j]) if self.integer[k] else float(row[j]))
            for j, k in enumerate(self.names)
        }

    def run(self, run_id: int) -> RunSpec:
        if not 0 <= run_id < self.n_runs:
            raise IndexError(run_id)
        point, rep = divmod(run_id, self.spec.replications)
        seed = run_seed(self.spec.seed, point, rep, self.spec.crn)
        return RunSpec(run_id, point, rep, seed, self.values(point))

    def runs(self, skip: set[int] | frozenset[int] = frozenset()) -> Iterator[RunSpec]:
        """Every run not in `skip`, in run-id order."""
        return (self.run(i) for i in range(self.n_runs) if i not in skip)


__all__ = ["DEFAULT_MAX_RUNS", "Design", "RunSpec", "SweepSpec", "run_seed"]
