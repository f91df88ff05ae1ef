"""Run and sweep folders made by the real writers, plus plain inputs for chart unit tests.

The report reads what `sim run --out`, `sim sweep --out` and `sim sensitivity` write, so its
tests read folders those commands wrote (`make_run_dir`, `make_sweep_dir`), never hand-made
imitations that could drift from the contracts in `sim.artifacts`.  The real run and sweep
are made once per test session and copied.  The constants below (actors, seats, a history)
are only inputs for chart and table functions tested on their own.
"""

from __future__ import annotations

import atexit
import functools
import math
import random
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sim

ROOT = Path(__file__).resolve().parents[2]
# a run with an election, a law change, Sadr's return, protests, a clash and a government:
# the first seed of SCENARIO whose run has all of WANTED (found once per session, so the
# fixture follows changes in behaviour instead of pinning a seed that may stop fitting)
SCENARIO = ROOT / "scenarios" / "law_change_then_sadr_returns.yaml"
WANTED = ("law_changed", "boycott_ended", "protest_started", "clash", "election_held",
          "government_formed")
SWEEP_SCENARIO = ROOT / "scenarios" / "sadr_returns.yaml"
START = date(2024, 6, 1)

ACTORS: dict[str, dict[str, Any]] = {
    "aah": {"name": "Khazali / Asa'ib Ahl al-Haq", "colour": "#7b1fa2", "kind": "party"},
    "sadrists": {"name": "Sadr / Sadrist movement", "colour": "#2e7d32", "kind": "party"},
    "sol": {"name": "Maliki / State of Law", "colour": "#1565c0", "kind": "party"},
    "sudani": {"name": "Sudani / Furatayn", "colour": "#00838f", "kind": "party"},
    "badr": {"name": "Badr Organisation", "colour": "#ef6c00", "kind": "party"},
    "kh": {"name": "Kataib Hezbollah", "colour": "#4e342e", "kind": "armed_group"},
    "kdp": {"name": "Kurdistan Democratic Party", "colour": "#f9a825", "kind": "party"},
    "sovereignty": {"name": "Sunni Sovereignty Alliance", "colour": "#c62828", "kind": "party"},
    "taqaddum": {"name": "Taqaddum", "kind": "party"},  # no colour: palette fallback
    "us": {"name": "United States", "colour": "#37474f", "kind": "state"},
    "iran": {"name": "Iran", "colour": "#558b2f", "kind": "state"},
}
SEATS_INITIAL = {"aah": 16, "sadrists": 0, "sol": 38, "sudani": 8, "badr": 22, "kh": 1,
                 "kdp": 31, "sovereignty": 34, "taqaddum": 37, "puk": 18, "independents": 40,
                 "others": 84}
SEATS_FINAL = {"aah": 14, "sadrists": 70, "sol": 30, "sudani": 24, "badr": 18, "kh": 1,
               "kdp": 31, "sovereignty": 30, "taqaddum": 36, "puk": 17, "independents": 20,
               "others": 38}
assert sum(SEATS_INITIAL.values()) == 329 and sum(SEATS_FINAL.values()) == 329


def _date(day: float) -> str:
    return (START + timedelta(days=int(day))).isoformat()


ACTOR_IDS = ["aah", "sadrists", "sol", "sudani", "badr", "kh", "kdp", "sovereignty", "taqaddum",
             "us", "iran"]


def make_history() -> list[dict[str, Any]]:
    """Monthly influence and relationship snapshots that change visibly over the run."""
    history = []
    for month in range(19):
        day = month * 30
        raw = {a: 1.0 + 0.3 * math.sin(month / 3 + i) for i, a in enumerate(ACTOR_IDS)}
        raw["sadrists"] = 0.4 + (2.5 if day >= 122 else 0.0)
        raw["aah"] = 1.2 + month * 0.05
        raw["sudani"] = 1.5 + (0.8 if day >= 360 else 0.0)
        total = sum(raw.values())
        influence = {a: round(v / total, 4) for a, v in raw.items()}
        rival = -0.7 if day >= 122 else -0.3
        relationships = [
            ["aah", "sudani", round(0.2 + month * 0.03, 2)], ["aah", "badr", 0.6],
            ["sol", "badr", 0.5], ["sol", "aah", 0.3], ["sadrists", "aah", rival],
            ["sadrists", "kh", rival], ["sadrists", "sol", -0.8], ["us", "kh", -0.9],
            ["iran", "kh", 0.8], ["iran", "badr", 0.7], ["kdp", "sudani", 0.3],
            ["sovereignty", "sudani", 0.2], ["taqaddum", "sovereignty", -0.2],
        ]
        history.append({"day": day, "date": _date(day), "influence": influence,
                        "relationships": relationships})
    return history


@functools.cache
def _seed() -> int:
    scenario = sim.load_scenario(SCENARIO)
    for seed in range(200):
        kinds = {e.kind for e in sim.run(scenario, seed=seed).events}
        if all(k in kinds for k in WANTED):
            return seed
    raise AssertionError(f"no seed of {SCENARIO.name} below 200 has all of {WANTED}")


@functools.cache
def real_run(seed: int | None = None) -> Any:
    """The engine's run of SCENARIO with `seed` (default: the first with all of WANTED)."""
    return sim.run(sim.load_scenario(SCENARIO), seed=_seed() if seed is None else seed)


def make_summary(seed: int | None = None) -> dict[str, Any]:
    """A real summary (a copy: callers may change it)."""
    import copy

    return copy.deepcopy(real_run(seed).summary)


def make_run_dir(path: Path, seed: int | None = None) -> Path:
    """`sim run SCENARIO --seed S --out path`, through the real writer."""
    sim.write_run(real_run(seed), path)
    return path


_SWEEPS = Path(tempfile.mkdtemp(prefix="sim-report-fixtures-"))
atexit.register(shutil.rmtree, _SWEEPS, ignore_errors=True)


@functools.cache
def _master_sweep(sobol: bool) -> Path:
    """A small real sweep of SWEEP_SCENARIO over its declared ranges, made by the CLI."""
    from click.testing import CliRunner

    import sim.cli.sweep  # noqa: F401 - registers `sweep` on `cli`
    from sim.cli import cli

    out = _SWEEPS / ("sobol" if sobol else "lhs")
    args = ["sweep", str(SWEEP_SCENARIO), "--out", str(out), "--seed", "3"]
    args += ["--sample", "sobol", "--n", "4", "--analyse"] if sobol else \
        ["--sample", "lhs", "--n", "12"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def make_sweep_dir(path: Path, sobol: bool = True) -> Path:
    """A copy of a real sweep folder (results.parquet, sweep.json; sensitivity.json if sobol)."""
    shutil.copytree(_master_sweep(sobol), path)
    return path


PARTIES = ["aah", "sadrists", "sol", "sudani", "badr", "kdp", "sovereignty", "taqaddum",
           "others"]


def make_results(n: int = 80, seed: int = 3):
    """A results table shaped like sim/sweep's: parameters drive the outcomes visibly."""
    import pandas as pd

    rng = random.Random(seed)
    rows = []
    for i in range(n):
        ret = rng.uniform(0, 1)
        divisor = rng.uniform(1.0, 1.9)
        caution = rng.uniform(0, 1)
        sadr = int(round(ret * 80 * (2.0 - divisor / 1.9) / 1.5))
        aah = int(round(10 + 8 * caution - 0.05 * sadr))
        sol = int(round(30 + 10 * (divisor - 1.0)))
        sudani = rng.randint(8, 30)
        badr = rng.randint(12, 22)
        kdp, sov, taq = 31, rng.randint(25, 35), rng.randint(30, 38)
        others = 329 - (sadr + aah + sol + sudani + badr + kdp + sov + taq)
        seats = dict(zip(PARTIES, [aah, sadr, sol, sudani, badr, kdp, sov, taq, others],
                         strict=True))
        if sadr > 55:
            pm, gov = "sadrists", "sadrists+kdp+sovereignty"
        elif sudani > 20 or caution > 0.7:
            pm, gov = "sudani", "aah+badr+kdp+sol+sovereignty+sudani"
        else:
            pm, gov = "sol", "aah+badr+kdp+sol"
        if i == n - 1:
            pm, gov = None, ""
        influence = {a: rng.uniform(0.02, 0.2) for a in ["aah", "sadrists", "sol", "sudani"]}
        total = sum(influence.values())
        row = {"run_id": i, "seed": 1000 + i, "sadr_return_prob": ret, "first_divisor": divisor,
               "khazali_caution": caution, "prime_minister": pm, "government": gov,
               "casualties": int(max(0, rng.gauss(10 + 60 * ret * (1 - caution), 8))),
               "status": "ok" if i != n - 1 else "failed"}
        row.update({f"seats.{p}": v for p, v in seats.items()})
        row.update({f"influence.{a}": v / total for a, v in influence.items()})
        rows.append(row)
    return pd.DataFrame(rows)
