"""A sweep from start to finish: validate, then stream runs through an executor to disk.

`Sweep` checks everything a user can get wrong (parameter names and specs, sizes, the output
folder, a resume that does not match) when it is built, before any process starts or any file
is written.  `Sweep.execute` then keeps a few chunks in flight per worker, sizes them from
measured run times, and flushes finished rows to parquet parts every five seconds, so memory
stays flat however many runs there are and a kill loses at most the last few seconds.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import signal
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.sweep.design import DEFAULT_MAX_RUNS, Design, RunSpec, SweepSpec
from sim.sweep.executors import Executor, Runner, failed_row, make_executor, run_one, sim_run
from sim.sweep.outcomes import parse_outcomes
from sim.sweep.spec import resolve
from sim.sweep.store import Store

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called as runs finish (and once at the start)."""

TARGET_CHUNK_S = 0.1  # work per chunk: well above a process hop (~1 ms), small for balance
MAX_ATTEMPTS = 3  # a chunk whose worker is lost is retried (split in two) up to this often
# Finished rows go to disk at least this often: a part costs ~20 ms whatever its size (a
# column chunk per outcome, two fsyncs), so every 2 s cost ~1% of a sweep; a kill loses at
# most this many seconds of runs (they are simply run again by --resume).
FLUSH_SECONDS = 5.0


def _world_info(scenario: Any) -> dict[str, Any]:
    """Actors' names and colours and the assumptions used, for reports of the sweep."""
    try:
        from sim.scenario import resolved
        from sim.summary import actor_meta, parliament_meta, run_assumptions

        world = resolved(scenario)["world"]
    except Exception:  # a stand-in scenario (tests) has no world attached
        return {}
    return {
        "actors": actor_meta(world),
        "parliament": parliament_meta(world),
        "assumptions": run_assumptions(world, scenario),
    }


def package_version() -> str:
    import sim.api

    return sim.api.package_version()


def _load(scenario: Any) -> tuple[Any, str | None]:
    if isinstance(scenario, str | os.PathLike):
        import sim.api

        return sim.api.load_scenario(scenario), os.fspath(scenario)
    return scenario, None


def _default_hash(scenario: Any) -> str:
    import sim.api

    return sim.api.scenario_hash(scenario)


class Sweep:
    """One validated sweep of one scenario, bound to its output folder."""

    def __init__(
        self,
        scenario: Any,
        parameters: Mapping[str, Any] | None = None,
        *,
        sample: str = "grid",
        n: int | None = None,
        replications: int = 1,
        seed: int = 0,
        out: str | os.PathLike[str],
        resume: bool = False,
        runner: Runner | None = None,
        hasher: Callable[[Any], str] | None = None,
        max_runs: int | None = DEFAULT_MAX_RUNS,
        crn: bool = False,
        second_order: bool = False,
        outcomes: Sequence[str] | Mapping[str, str] | None = None,
    ):
        if max_runs is not None and (not isinstance(max_runs, int) or max_runs < 1):
            raise InputError.cli("--max-runs", f"must be a whole number >= 1, not {max_runs!r}")
        self.scenario, scenario_path = _load(scenario)
        self.runner: Runner = runner or sim_run
        self.outcomes: tuple[tuple[str, str], ...] = ()
        if outcomes:
            if runner is not None:
                raise InputError.cli("--outcome", "outcome expressions need the engine's runner; "
                                     "a runner of your own can add columns itself")
            self.outcomes = parse_outcomes(outcomes, self.scenario)
            self.runner = functools.partial(sim_run, outcomes=self.outcomes)
        specs = resolve(self.scenario.parameters, parameters)
        self.spec = SweepSpec(specs, sample, n, replications, seed, crn, second_order)
        self.design = Design(self.spec, self.scenario.parameters, max_runs)
        self.store = Store(out)
        self.record: dict[str, Any] = {
            "format": 2,
            "package_version": package_version(),
            "scenario": getattr(self.scenario, "name", None),
            "scenario_path": scenario_path,
            "scenario_hash": (hasher or _default_hash)(self.scenario),
            "sweep": {**self.spec.to_json(),
                      **({"outcomes": dict(self.outcomes)} if self.outcomes else {})},
            "parameters": self.design.names,
            "points": self.design.n_points,
            "runs": self.design.n_runs,
            "problem": self.design.problem(),
            **_world_info(self.scenario),
        }
        self.counts: dict[str, int] = {}
        self.lost_chunks = 0
        self.chunks = 0  # chunks handed to workers by the last execute (benchmarks read it)
        self.store.check(self.record, resume)

    @property
    def n_runs(self) -> int:
        return self.design.n_runs

    def size_text(self) -> str:
        d = self.design
        return (f"{d.n_points:,} point{'s' * (d.n_points != 1)} x {self.spec.replications} "
                f"replication{'s' * (self.spec.replications != 1)} = {d.n_runs:,} "
                f"run{'s' * (d.n_runs != 1)}")

    def measure(self, budget_s: float = 0.5, most: int = 3) -> float:
        """Seconds per run, from up to `most` runs of the design here (within `budget_s`).

        The best of a few, because the first run also pays one-off costs (imports, caches).
        Nothing is written; the runs are simply done again by the sweep.
        """
        best = math.inf
        start = time.perf_counter()
        for run_id in range(min(most, self.design.n_runs)):
            row = run_one(self.scenario, self.runner, self.design.run(run_id))
            best = min(best, row["elapsed_s"])
            if time.perf_counter() - start > budget_s:
                break
        return best

    def runs_left(self) -> int:
        """Runs not on disk yet: all of them for a new sweep, the rest for a --resume
        (reads the parts' run keys; writes nothing)."""
        reps = self.spec.replications
        done = {(p, r) for p, r in self.store.done_keys()
                if p < self.design.n_points and r < reps}
        return self.design.n_runs - len(done)

    def estimate_text(self, workers: int, per_run_s: float, left: int | None = None) -> str:
        """The sweep's size and how long the runs `left` (default: all) should take."""
        left = self.design.n_runs if left is None else left
        if not left:
            return f"sweep: {self.size_text()}; nothing left to run"
        total = per_run_s * left / max(workers, 1)
        todo = "" if left == self.design.n_runs else f"; {left:,} left to run"
        return (f"sweep: {self.size_text()}{todo}; about {_duration(total)} on {workers} "
                f"worker{'s' * (workers != 1)} (measured {per_run_s * 1000:.3g} ms per run)")

    def execute(
        self,
        executor: Executor,
        progress: Progress | None = None,
        *,
        flush_rows: int = 5_000,
        flush_seconds: float = FLUSH_SECONDS,
        halt_after_parts: int | None = None,
    ) -> Path:
        """Run what is not done yet; return the path of the assembled ``results.parquet``.

        `executor` must be connected; it is started here with the scenario and runner.
        `halt_after_parts` (crash-recovery tests only) freezes this process with SIGSTOP right
        after that many parts are on disk, so a test can kill -9 it at a known point instead
        of racing a sweep that may finish before the kill lands.
        """
        executor.start(self.scenario, self.runner)  # fails (if at all) before any write
        self.chunks = 0
        reps = self.spec.replications
        done = {p * reps + r for p, r in self.store.open(self.record)
                if p < self.design.n_points and r < reps}
        total = self.design.n_runs
        finished = len(done)
        if progress:
            progress(finished, total)
        pending = self.design.runs(skip=done)
        unsubmitted = total - finished
        in_flight: dict[Any, tuple[list[RunSpec], int]] = {}
        buffer: list[dict[str, Any]] = []
        work_s, work_n = 0.0, 0
        last_flush = time.monotonic()
        parts_written = 0

        def chunk_size() -> int:
            if not work_n:
                return 1  # first wave: one run each, to measure
            size = math.ceil(TARGET_CHUNK_S / max(work_s / work_n, 1e-6))
            fair = math.ceil(unsubmitted / (2 * executor.slots))  # no straggling tail
            return max(1, min(size, fair, 10_000))

        def flush() -> None:
            nonlocal buffer, last_flush, parts_written
            if buffer:
                self.store.write_part(buffer)
                buffer = []
                parts_written += 1
                if halt_after_parts is not None and parts_written >= halt_after_parts:
                    os.kill(os.getpid(), signal.SIGSTOP)  # wait here for the test's kill -9
            last_flush = time.monotonic()

        retry: list[tuple[list[RunSpec], int]] = []
        solo = False  # a retried chunk runs alone, so a loss can be pinned on it
        lost = 0
        try:
            while True:
                while len(in_flight) < 2 * executor.slots and not solo:
                    if retry:
                        if in_flight:
                            break  # let the others finish first, then run it alone
                        chunk, attempts = retry.pop()
                        solo = True
                    else:
                        chunk, attempts = list(itertools.islice(pending, chunk_size())), 0
                        unsubmitted -= len(chunk)
                    if not chunk:
                        break
                    in_flight[executor.submit(chunk)] = (chunk, attempts)
                    self.chunks += 1
                if not in_flight:
                    break
                for future in executor.wait(in_flight):
                    chunk, attempts = in_flight.pop(future)
                    alone, solo = solo, False
                    try:
                        rows = future.result()
                    except Exception as exc:  # a lost worker or pool costs only its chunk
                        lost += 1
                        executor.recover(future, exc)
                        rows = self._lost(chunk, attempts, exc, retry, alone)
                        if not rows:
                            continue
                    buffer.extend(rows)
                    work_s += sum(r["elapsed_s"] for r in rows)
                    work_n += len(rows)
                    finished += len(rows)
                    if progress:
                        progress(finished, total)
                if len(buffer) >= flush_rows or time.monotonic() - last_flush >= flush_seconds:
                    flush()
        finally:
            flush()  # keep what finished, even on Ctrl-C or a crashed worker pool
        self.lost_chunks = lost
        path = self.store.assemble(self.design.names, self.design.n_points,
                                   self.spec.replications, record=self.record)
        self.counts = self.store.finish(self.record)
        return path

    @staticmethod
    def _lost(chunk: list[RunSpec], attempts: int, exc: BaseException,
              retry: list[tuple[list[RunSpec], int]], alone: bool) -> list[dict[str, Any]]:
        """Queue a lost chunk again, to run alone.  A chunk lost while others ran may be a
        bystander (a broken pool fails every chunk in it): it is retried as it was.  A chunk
        lost while running alone killed its worker itself: it is halved (to isolate the run
        that does it) and, after `MAX_ATTEMPTS` such losses, its runs get failed rows so the
        sweep still finishes."""
        if not alone:
            retry.append((chunk, attempts))
            return []
        attempts += 1
        if attempts < MAX_ATTEMPTS:
            half = max(1, len(chunk) // 2)
            retry.extend((part, attempts) for part in (chunk[:half], chunk[half:]) if part)
            return []
        why = " ".join(f"{type(exc).__name__}: {exc}".split())
        return [failed_row(spec, f"worker lost {attempts} times ({why})") for spec in chunk]

    def frame(self) -> Any:
        """The results table as a pandas DataFrame."""
        import pandas as pd

        return pd.read_parquet(self.store.results_path)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(seconds, 0.1):.2g} s" if seconds < 10 else f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def sweep(
    scenario: Any,
    parameters: Mapping[str, Any] | None = None,
    sample: str = "grid",
    n: int | None = None,
    replications: int = 1,
    workers: int = 1,
    executor: str = "local",
    seed: int = 0,
    out: str | os.PathLike[str] | None = None,
    *,
    scheduler: str | None = None,
    resume: bool = False,
    progress: Progress | None = None,
    runner: Runner | None = None,
    hasher: Callable[[Any], str] | None = None,
    flush_rows: int = 5_000,
    flush_seconds: float = FLUSH_SECONDS,
    max_runs: int | None = DEFAULT_MAX_RUNS,
    crn: bool = False,
    second_order: bool = False,
    wait: float = 60.0,
    outcomes: Sequence[str] | Mapping[str, str] | None = None,
) -> Any:
    """Run many seeded simulations of `scenario` and return one row per run (a DataFrame).

    `scenario` is a loaded Scenario or a path.  `parameters` maps declared parameter names to
    specs: ``"LOW:HIGH"`` or ``(low, high)`` (a range, sampled), ``"a,b,c"`` or ``[a, b, c]``
    (gridded), or a single value; ``None`` sweeps every declared range.  `sample` is ``grid``
    (`n` levels per range), ``lhs`` (`n` Latin-hypercube points) or ``sobol`` (Saltelli design
    of `n` base points for `sim.sweep.sensitivity`).  Each point runs `replications` times.
    Seeds derive from `seed` and the run's position only, so results do not depend on
    `workers`, `executor` (``local`` or ``dask``; `scheduler` is an existing dask scheduler's
    address) or finishing order.  With `out`, results are kept in that folder as
    ``results.parquet`` + ``sweep.json`` (`resume` finishes an interrupted sweep there);
    without, a temporary folder is used.

    The design's size is counted first and refused above `max_runs` (``None``: no limit);
    values outside a parameter's declared range are refused.  `crn` gives every point the
    same seed per replication (common random numbers); `outcomes` (``{name: condition}`` or
    ``["name=condition"]``) adds true/false columns computed on each run's final state with
    the scenario condition language; `second_order` adds the Saltelli
    points for second-order Sobol indices.  A lost worker or pool process costs only its
    chunk, which is retried; `wait` is how long to wait for workers of a `scheduler` with
    none.  `runner(scenario, seed=, parameters=)` replaces `sim.run`: it returns anything
    with a ``.summary`` mapping, or a mapping, whose entries become columns (for your own
    outcomes computed from a run); it must be importable by name for process or dask
    workers.
    """
    tmp = tempfile.TemporaryDirectory(prefix="sim-sweep-") if out is None else None
    try:
        target = Path(tmp.name) / "sweep" if tmp else Path(out)
        plan = Sweep(
            scenario, parameters, sample=sample, n=n, replications=replications, seed=seed,
            out=target, resume=resume, runner=runner, hasher=hasher, max_runs=max_runs,
            crn=crn, second_order=second_order, outcomes=outcomes,
        )
        with make_executor(executor, workers, scheduler, wait=wait) as ex:
            plan.execute(ex, progress, flush_rows=flush_rows, flush_seconds=flush_seconds)
        return plan.frame()
    finally:
        if tmp:
            tmp.cleanup()


__all__ = ["InputError", "Sweep", "sweep"]
