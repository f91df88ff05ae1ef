"""Stand-in scenarios and run functions for sweep tests (module-level: workers import them).

`toy_run` mimics the shape of a real summary (seats, prime minister, government, influence,
casualties) with cheap, seeded arithmetic; `ishigami_run` is the Ishigami function, whose
Sobol indices are known in closed form; `slow_run` sleeps so a sweep can be killed midway.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Param:
    default: float
    range: tuple[float, float] | None = None
    distribution: Any = None
    integer: bool = False


@dataclass(frozen=True)
class Scenario:
    name: str
    parameters: dict[str, Param] = field(default_factory=dict)


TOY = Scenario("toy", {
    "turnout": Param(0.5, (0.0, 1.0)),
    "sadr_strength": Param(1.0, (0.5, 2.0)),
    "delay": Param(30, (0, 90), integer=True),
})
ISHIGAMI = Scenario("ishigami", {
    f"x{i}": Param(0.0, (-math.pi, math.pi)) for i in (1, 2, 3)
})


def toy_hash(scenario: Scenario) -> str:
    return hashlib.sha256(json.dumps(asdict(scenario), sort_keys=True).encode()).hexdigest()


class Run:
    def __init__(self, summary: dict[str, Any]):
        self.summary = summary


def toy_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> Run:
    p = {k: v.default for k, v in scenario.parameters.items()} | dict(parameters or {})
    rng = np.random.default_rng(seed)
    sadr = int(min(200, 70 * p["sadr_strength"] + rng.integers(0, 20)))
    sol = int(80 * p["turnout"] + rng.integers(0, 10))
    other = 329 - sadr - sol
    government = ["sadrists", "kdp"] if sadr > 120 else ["sol", "badr", "aah"]
    return Run({
        "scenario": scenario.name, "seed": seed, "parameters": p,
        "seats": {"sadrists": sadr, "sol": sol, "others": other},
        "prime_minister": "sadr_pick" if sadr > 120 else "sudani",
        "government": government,
        "influence": {"sadrists": sadr / 329, "sol": sol / 329, "others": other / 329},
        "casualties": int(rng.poisson(p["delay"] / 10)),
        "state_sanctioned": bool(rng.random() < 0.1),
        "elections": [{"day": 1}],
        "history": [{"day": 0, "date": "2024-06-01", "seats": {"sadrists": 0}},
                    {"day": 30, "date": "2024-07-01", "seats": {"sadrists": sadr}}],
    })


def flaky_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> Run:
    """Fails on every run whose delay is 90."""
    if (parameters or {}).get("delay") == 90:
        raise RuntimeError("engine blew up\non purpose")
    return toy_run(scenario, seed, parameters)


def slow_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> Run:
    time.sleep(0.004)
    return toy_run(scenario, seed, parameters)


def ishigami_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> dict:
    x1, x2, x3 = (parameters[k] for k in ("x1", "x2", "x3"))
    y = math.sin(x1) + 7 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)
    return {"y": y, "constant": 1.0, "label": "ok", "high": bool(y > 5)}


def noisy_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> dict:
    """x1 matters, x2 and x3 do not; replication noise (sd 1) on top."""
    rng = np.random.default_rng(seed)
    return {"y": parameters["x1"] + float(rng.normal(0.0, 1.0))}


def linear_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> dict:
    """10 x1 + x2 (+ 0 x3): a known ranking for Morris screening."""
    return {"y": 10 * parameters["x1"] + parameters["x2"]}


def busy_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> Run:
    """About 5 ms of pure-Python work, then a toy summary: a CPU-bound stand-in for benchmarks."""
    rng = np.random.default_rng(seed)
    acc = 0.0
    for i in range(40_000):
        acc += (i % 7) * 1e-9
    run = toy_run(scenario, seed, parameters)
    run.summary["work"] = acc + float(rng.random())
    return run


EMPTY = Scenario("empty", {})


def plain_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> dict:
    """A model with no parameters at all: outcomes from the seed only."""
    rng = np.random.default_rng(seed)
    return {"casualties": int(rng.poisson(3)), "government": ["a", "b"]}


def killing_scenario(marker: Any) -> Scenario:
    """The toy scenario, named after a marker file for `killing_run` (workers get the
    scenario, whatever process started them; the environment may be older)."""
    return Scenario(str(marker), TOY.parameters)


def killing_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> Run:
    """Kills its own (pool) process the first time it meets delay == 90, as an out-of-memory
    kill or a segfault would; a marker file (the scenario's name), created exclusively, makes
    it happen exactly once even when two pool processes meet such a run at the same moment."""
    import os

    if (parameters or {}).get("delay") == 90:
        try:  # O_EXCL: exactly one process ever wins the right to die, however runs interleave
            fd = os.open(scenario.name, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return toy_run(scenario, seed, parameters)
        os.write(fd, b"killed\n")
        os.close(fd)
        os._exit(13)
    return toy_run(scenario, seed, parameters)


def always_killing_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> Run:
    """Kills its process on every run with delay == 90: the retries must give up, not loop."""
    import os

    if (parameters or {}).get("delay") == 90:
        os._exit(13)
    return toy_run(scenario, seed, parameters)


def rare_run(scenario: Any, seed: int = 0, parameters: dict | None = None) -> dict:
    """`rare` is true at a single point of the n=16 Saltelli design of seed 0 over ISHIGAMI,
    and that point is one of the mixed (AB) rows: every A and B row is false, so SALib warns
    that the evaluations are constant (at each index and resample).  `smooth` never warns."""
    x1, x2 = parameters["x1"], parameters["x2"]
    return {"rare": bool(x1 > 3.0 and x2 > 0.0), "smooth": x1 + 0.5 * x2}
