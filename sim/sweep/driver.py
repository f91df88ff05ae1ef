"""A sweep from start to finish: validate, then stream runs through an executor to disk.

`Sweep` checks everything a user can get wrong (parameter names and specs, sizes, the output
folder, a resume that does not match) when it is built, before any process starts or any file
is written.  `Sweep.execute` then keeps a few chunks in flight per worker, sizes them from
measured run times, and flushes finished rows to parquet parts every two seconds, so memory
stays flat however many runs there are and a kill loses at most the last few seconds.
"""

from __future__ import annotations

import itertools
import math
import os
import signal
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.sweep.design import Design, SweepSpec
from sim.sweep.executors import Executor, Runner, make_executor, sim_run
from sim.sweep.spec import resolve
from sim.sweep.store import Store

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called as runs finish (and once at the start)."""

TARGET_CHUNK_S = 0.1  # work per chunk: well above a process hop (~1 ms), small for balance


def _world_info(scenario: Any) -> dict[str, Any]:
    """Actors' names and colours and the assumptions used, for reports of the sweep."""
    try:
        from sim.scenario import resolved
        from sim.summary import assumptions

        world = resolved(scenario)["world"]
    except Exception:  # a stand-in scenario (tests) has no world attached
        return {}
    return {
        "actors": {a: {"name": x.name, "colour": x.colour, "kind": x.kind}
                   for a, x in sorted(world.actors.items())},
        "assumptions": assumptions(world),
    }


def package_version() -> str:
    import sim

    return sim.package_version()


def _load(scenario: Any) -> tuple[Any, str | None]:
    if isinstance(scenario, str | os.PathLike):
        import sim

        return sim.load_scenario(scenario), os.fspath(scenario)
    return scenario, None


def _default_hash(scenario: Any) -> str:
    import sim

    return sim.scenario_hash(scenario)


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
    ):
        self.scenario, scenario_path = _load(scenario)
        self.runner: Runner = runner or sim_run
        specs = resolve(self.scenario.parameters, parameters)
        self.spec = SweepSpec(specs, sample, n, replications, seed)
        self.design = Design(self.spec, self.scenario.parameters)
        self.store = Store(out)
        self.record: dict[str, Any] = {
            "format": 1,
            "package_version": package_version(),
            "scenario": getattr(self.scenario, "name", None),
            "scenario_path": scenario_path,
            "scenario_hash": (hasher or _default_hash)(self.scenario),
            "sweep": self.spec.to_json(),
            "parameters": self.design.names,
            "points": self.design.n_points,
            "runs": self.design.n_runs,
            "problem": self.design.problem(),
            **_world_info(self.scenario),
        }
        self.counts: dict[str, int] = {}
        self.store.check(self.record, resume)

    @property
    def n_runs(self) -> int:
        return self.design.n_runs

    def execute(
        self,
        executor: Executor,
        progress: Progress | None = None,
        *,
        flush_rows: int = 5_000,
        flush_seconds: float = 2.0,
        halt_after_parts: int | None = None,
    ) -> Path:
        """Run what is not done yet; return the path of the assembled ``results.parquet``.

        `executor` must be connected; it is started here with the scenario and runner.
        `halt_after_parts` (crash-recovery tests only) freezes this process with SIGSTOP right
        after that many parts are on disk, so a test can kill -9 it at a known point instead
        of racing a sweep that may finish before the kill lands.
        """
        executor.start(self.scenario, self.runner)  # fails (if at all) before any write
        done = self.store.open(self.record)
        total = self.design.n_runs
        finished = len(done)
        if progress:
            progress(finished, total)
        pending = self.design.runs(skip=done)
        unsubmitted = total - finished
        in_flight: dict[Any, int] = {}
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

        try:
            while True:
                while len(in_flight) < 2 * executor.slots:
                    chunk = list(itertools.islice(pending, chunk_size()))
                    if not chunk:
                        break
                    in_flight[executor.submit(chunk)] = len(chunk)
                    unsubmitted -= len(chunk)
                if not in_flight:
                    break
                for future in executor.wait(in_flight):
                    del in_flight[future]
                    rows = future.result()
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
        path = self.store.assemble(self.design.names, total)
        self.counts = self.store.finish(self.record)
        return path

    def frame(self) -> Any:
        """The results table as a pandas DataFrame."""
        import pandas as pd

        return pd.read_parquet(self.store.results_path)


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
    flush_seconds: float = 2.0,
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
    without, a temporary folder is used.  `runner` replaces `sim.run` (tests, other models;
    it must be importable by name for process or dask workers).
    """
    import tempfile

    tmp = tempfile.TemporaryDirectory(prefix="sim-sweep-") if out is None else None
    try:
        target = Path(tmp.name) / "sweep" if tmp else Path(out)
        plan = Sweep(
            scenario, parameters, sample=sample, n=n, replications=replications, seed=seed,
            out=target, resume=resume, runner=runner, hasher=hasher,
        )
        with make_executor(executor, workers, scheduler) as ex:
            plan.execute(ex, progress, flush_rows=flush_rows, flush_seconds=flush_seconds)
        return plan.frame()
    finally:
        if tmp:
            tmp.cleanup()


__all__ = ["InputError", "Sweep", "sweep"]
