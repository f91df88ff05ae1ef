"""The run table: which parameter values each run uses, and its seed.

A sweep is fully determined by its `SweepSpec` and the scenario: the parameter points are built
once, in a fixed order, and run ``i`` is point ``i // replications``, replication
``i % replications``.  Each run's seed comes from NumPy's `SeedSequence` spawning off one root
seed (run ``i`` gets the child with spawn key ``(1, i)``, exactly
``SeedSequence(root).spawn(2)[1].spawn(N)[i]``; key ``(0,)`` drives the samplers), so a
result never depends on which worker ran it, in what order, or whether the sweep was resumed.
Runs are produced lazily from the point matrix, so the table costs memory per point, not per run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.errors import InputError
from sim.sweep.spec import Choices, Distributed, Fixed, Range, Spec, spec_from_json

SAMPLES = ("grid", "lhs", "sobol")
DEFAULT_N = {"grid": 5, "lhs": 100, "sobol": 64}


@dataclass(frozen=True)
class SweepSpec:
    """Everything that decides a sweep's results (and nothing that does not, like workers)."""

    parameters: dict[str, Spec]
    sample: str = "grid"
    n: int | None = None
    replications: int = 1
    seed: int = 0

    def __post_init__(self) -> None:
        if self.sample not in SAMPLES:
            raise InputError.cli("--sample", f"{self.sample!r} is not one of {', '.join(SAMPLES)}")
        if self.n is None:
            object.__setattr__(self, "n", DEFAULT_N[self.sample])
        if not isinstance(self.n, int) or self.n < 1:
            raise InputError.cli("--n", f"must be a whole number >= 1, not {self.n!r}")
        if not isinstance(self.replications, int) or self.replications < 1:
            raise InputError.cli(
                "--replications", f"must be a whole number >= 1, not {self.replications!r}"
            )
        if not isinstance(self.seed, int) or self.seed < 0:
            raise InputError.cli("--seed", f"must be a whole number >= 0, not {self.seed!r}")
        if self.sample == "sobol":
            lists = [k for k, s in self.parameters.items() if isinstance(s, Choices)]
            if lists:
                raise InputError.cli(
                    "--set", f"{lists[0]}: sobol sampling needs ranges (LOW:HIGH), not a list"
                )
            if not any(isinstance(s, Range | Distributed) for s in self.parameters.values()):
                raise InputError.cli("--set", "sobol sampling needs at least one LOW:HIGH range")
            if self.n & (self.n - 1):
                raise InputError.cli(
                    "--n", f"sobol sampling needs a power of 2 (e.g. 64, 128), not {self.n}"
                )

    def to_json(self) -> dict[str, Any]:
        return {
            "parameters": {k: s.to_json() for k, s in self.parameters.items()},
            "sample": self.sample,
            "n": self.n,
            "replications": self.replications,
            "seed": self.seed,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SweepSpec:
        params = {k: spec_from_json(v) for k, v in data["parameters"].items()}
        return cls(params, data["sample"], data["n"], data["replications"], data["seed"])


@dataclass(frozen=True, slots=True)
class RunSpec:
    """One run to do: its id, where it sits in the design, its seed and parameter values."""

    run_id: int
    point: int
    replication: int
    seed: int
    parameters: dict[str, float]


def run_seed(root: int, run_id: int) -> int:
    """The seed of run `run_id`: a 63-bit integer (fits a parquet int64) from SeedSequence."""
    child = np.random.SeedSequence(root, spawn_key=(1, run_id))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


@dataclass
class Design:
    """The parameter points of a sweep over one scenario's declared parameters."""

    spec: SweepSpec
    declared: Mapping[str, Any]
    names: list[str] = field(init=False)
    points: np.ndarray = field(init=False)  # n_points x len(names), every declared parameter
    integer: dict[str, bool] = field(init=False)

    def __post_init__(self) -> None:
        self.names = list(self.declared)
        self.integer = {k: bool(getattr(p, "integer", False)) for k, p in self.declared.items()}
        self.points = self._build()

    # -- the design ----------------------------------------------------------------------
    @property
    def sampled(self) -> list[str]:
        """Parameters drawn from a range or distribution, in declaration order."""
        return [k for k, s in self.spec.parameters.items() if isinstance(s, Range | Distributed)]

    def problem(self) -> dict[str, Any] | None:
        """The SALib problem of a sobol sweep, as SALib reads bounds and dists.

        Sampling draws SALib's Sobol' points on the unit cube and maps each axis through the
        parameter's quantile function, which is what SALib's own scaling does; the problem is
        stored in sweep.json for analysis and for anyone re-using the design with SALib.
        """
        if self.spec.sample != "sobol":
            return None
        names = self.sampled
        bounds: list[list[float]] = []
        dists: list[str] = []
        for k in names:
            s = self.spec.parameters[k]
            if isinstance(s, Range):
                bounds.append([s.low, s.high])
                dists.append("unif")
            elif s.kind == "normal":
                bounds.append(list(s.args))
                dists.append("norm")
            else:
                low, mode, high = s.args
                bounds.append([low, high, (mode - low) / (high - low)])
                dists.append("triang")
        return {"num_vars": len(names), "names": names, "bounds": bounds, "dists": dists}

    def _unit_sample(self, d: int) -> np.ndarray:
        spec = self.spec
        sampler_seed = np.random.SeedSequence(spec.seed, spawn_key=(0,))
        if d == 0:
            return np.zeros((1, 0))
        if spec.sample == "grid":
            return np.zeros((0, d))  # unused: grid levels come from each spec
        if spec.sample == "lhs":
            from scipy.stats import qmc

            rng = np.random.default_rng(sampler_seed)
            return qmc.LatinHypercube(d=d, rng=rng).random(spec.n)
        from SALib.sample import sobol

        salib_seed = int(sampler_seed.generate_state(1)[0])
        unit = {"num_vars": d, "names": self.sampled, "bounds": [[0.0, 1.0]] * d}
        return sobol.sample(unit, spec.n, calc_second_order=False, seed=salib_seed)

    def _build(self) -> np.ndarray:
        spec = self.spec
        sampled = self.sampled
        lists = [k for k, s in spec.parameters.items() if isinstance(s, Choices)]
        base = {k: float(p.default) for k, p in self.declared.items()}
        for k, s in spec.parameters.items():
            if isinstance(s, Fixed):
                base[k] = float(s.value)

        # Sampled axes: rows of values for `sampled`, in sampler order.
        if spec.sample == "grid" or not sampled:
            axes = [self._levels(k, spec.parameters[k]) for k in sampled]
            sampled_rows = np.array(list(itertools.product(*axes)), dtype=float)
            sampled_rows = sampled_rows.reshape(-1, len(sampled))
        else:
            unit = self._unit_sample(len(sampled))
            sampled_rows = np.column_stack(
                [np.asarray(spec.parameters[k].ppf(unit[:, j]), dtype=float)
                 for j, k in enumerate(sampled)]
            )
        # List axes are an outer grid around the sampled points.
        list_rows = list(itertools.product(*(spec.parameters[k].values for k in lists)))

        col = {k: j for j, k in enumerate(self.names)}
        points = np.empty((len(list_rows) * len(sampled_rows), len(self.names)))
        points[:] = [base[k] for k in self.names]
        for b, combo in enumerate(list_rows):
            block = slice(b * len(sampled_rows), (b + 1) * len(sampled_rows))
            for k, v in zip(lists, combo, strict=True):
                points[block, col[k]] = v
            for j, k in enumerate(sampled):
                points[block, col[k]] = sampled_rows[:, j]
        for k, is_int in self.integer.items():
            if is_int:
                points[:, col[k]] = np.rint(points[:, col[k]])
        return points

    def _levels(self, name: str, s: Spec) -> list[float]:
        levels = s.levels(self.spec.n)
        if self.integer[name]:  # rounding can merge levels; keep each once, in order
            levels = list(dict.fromkeys(float(round(v)) for v in levels))
        return levels

    # -- runs ----------------------------------------------------------------------------
    @property
    def n_points(self) -> int:
        return len(self.points)

    @property
    def n_runs(self) -> int:
        return self.n_points * self.spec.replications

    def values(self, point: int) -> dict[str, float]:
        row = self.points[point]
        return {
            k: (int(row[j]) if self.integer[k] else float(row[j]))
            for j, k in enumerate(self.names)
        }

    def run(self, run_id: int) -> RunSpec:
        if not 0 <= run_id < self.n_runs:
            raise IndexError(run_id)
        point, rep = divmod(run_id, self.spec.replications)
        return RunSpec(run_id, point, rep, run_seed(self.spec.seed, run_id), self.values(point))

    def runs(self, skip: set[int] | frozenset[int] = frozenset()) -> Iterator[RunSpec]:
        """Every run not in `skip`, in run-id order."""
        return (self.run(i) for i in range(self.n_runs) if i not in skip)
