"""Where runs execute: this process, a local process pool, or a dask cluster.

All three take *chunks* of runs and hand back finished rows, behind one small interface
(`submit`, `wait`), so the sweep loop is the same everywhere.  Chunks rather than single runs
because a process hop costs about a millisecond: a pool only pays off when each task carries
tens of milliseconds of work (the loop sizes chunks to ~0.1 s from measured run times).
The scenario and the run function travel to each worker once (pool initializer, dask
`scatter`, serialised with cloudpickle), not with every chunk.  A run that raises becomes a
``failed`` row; the sweep goes on.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing
import os
import pickle
import re
import socket
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sim.errors import InputError
from sim.sweep.design import RunSpec
from sim.sweep.flatten import (
    HISTORY_KEY,
    LEADING,
    PARAM_PREFIX,
    STATUS,
    TRAILING,
    flatten,
    history_snapshots,
)
from sim.sweep.outcomes import compiled

Runner = Callable[..., Any]
"""``runner(scenario, seed=int, parameters=dict) -> Run`` (anything with ``.summary``) or a dict."""

EXECUTORS = ("local", "dask")
_RESERVED = frozenset((*LEADING, *STATUS, *TRAILING))
_WORKER_STATE: dict[str, Any] = {}


def sim_run(scenario: Any, seed: int, parameters: Mapping[str, float],
            outcomes: tuple[tuple[str, str], ...] = ()) -> Any:
    """The real runner: one run of the engine, as `sim.run` does it, and its summary.

    Adds what a sweep analyses beyond the summary: ``collapses`` (governments that fell)
    and the user's ``--outcome NAME=EXPR`` conditions, evaluated on the final state with the
    scenario condition language (which needs the live model, hence no `sim.run` here).
    """
    from sim.compose import new_model
    from sim.engine import _ConditionView
    from sim.summary import summarise

    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError.cli("--seed", f"must be a non-negative integer, not {seed!r}")
    model = new_model(scenario, None, seed, None, dict(parameters))
    model.run()
    summary = summarise(model)
    summary["collapses"] = sum(1 for e in model.events if e.kind == "government_collapsed")
    if outcomes:
        view = _ConditionView(model)
        for name, condition in compiled(scenario, outcomes):
            summary[name] = condition.evaluate(view)
    return summary


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_one(scenario: Any, runner: Runner, spec: RunSpec) -> dict[str, Any]:
    """Run one simulation and return its flat row (``status`` ok or failed)."""
    row: dict[str, Any] = {
        "run_id": spec.run_id, "point": spec.point, "replication": spec.replication,
        "seed": spec.seed,
    }
    row.update({f"{PARAM_PREFIX}{k}": v for k, v in spec.parameters.items()})
    start = time.perf_counter()
    try:
        result = runner(scenario, seed=spec.seed, parameters=dict(spec.parameters))
        summary = result if isinstance(result, Mapping) else result.summary
        outcomes = {k: v for k, v in flatten(summary).items() if k not in _RESERVED}
        row.update(status="ok", error=None)
        row.update(outcomes)
        history = history_snapshots(summary.get("history"))
        if history:
            row[HISTORY_KEY] = history
    except Exception as exc:  # a failing run is data, not the end of the sweep
        row.update(status="failed", error=f"{type(exc).__name__}: {' '.join(str(exc).split())}")
    row["elapsed_s"] = time.perf_counter() - start
    row["worker"] = _worker_id()
    return row


def failed_row(spec: RunSpec, error: str) -> dict[str, Any]:
    """The row of a run that never produced a result (its worker was lost every time)."""
    row: dict[str, Any] = {
        "run_id": spec.run_id, "point": spec.point, "replication": spec.replication,
        "seed": spec.seed,
    }
    row.update({f"{PARAM_PREFIX}{k}": v for k, v in spec.parameters.items()})
    row.update(status="failed", error=error, elapsed_s=0.0, worker=None)
    return row


def run_chunk(
    specs: list[RunSpec], model: tuple[Any, Runner] | None = None
) -> list[dict[str, Any]]:
    """Run a chunk with `model` = (scenario, runner), or the one this worker was given."""
    scenario, runner = model if model is not None else _WORKER_STATE["model"]
    return [run_one(scenario, runner, spec) for spec in specs]


def run_chunk_of(specs: list[RunSpec], token: str) -> list[dict[str, Any]]:
    """Dask task: run a chunk with the model the worker plugin installed under `token`."""
    return run_chunk(specs, _WORKER_STATE["models"][token])


def install_model(payload: bytes, token: str) -> None:
    """Called on every dask worker (also ones that join or restart later) by the plugin."""
    _WORKER_STATE.setdefault("models", {})[token] = pickle.loads(payload)


def pack(scenario: Any, runner: Runner) -> bytes:
    """Serialise the model once for shipping to workers.

    cloudpickle (a dask dependency) because scenarios hold parametrised pydantic generics
    that plain pickle cannot name; workers read the bytes back with plain `pickle`.
    """
    try:
        import cloudpickle
    except ImportError:  # pragma: no cover - dask (and cloudpickle) not installed
        import pickle as cloudpickle
    return cloudpickle.dumps((scenario, runner))


def freeze_heap() -> bool:
    """Move every object alive now (modules, the loaded scenario and world) out of the
    garbage collector's reach until `thaw_heap`: they outlive the sweep, yet each full
    collection during the runs would walk them all again.  Saves about a tenth of a run's
    cost; runs are unchanged (same seeds, same logs).  False, doing nothing, if the caller
    froze a heap already (theirs stays as it is)."""
    if gc.get_freeze_count():
        return False
    gc.freeze()
    return True


def thaw_heap(frozen: bool) -> None:
    """Undo `freeze_heap` (what it froze goes back to the oldest generation)."""
    if frozen:
        gc.unfreeze()


def _init_worker(model: bytes | tuple[Any, Runner]) -> None:
    _WORKER_STATE["model"] = pickle.loads(model) if isinstance(model, bytes) else model
    freeze_heap()  # a pool worker only runs the model until it exits (see freeze_heap)


class Executor:
    """Runs chunks somewhere.  Use as: ``connect()``, ``start(scenario, runner)``, ``close()``."""

    slots: int = 1  # how many chunks run at once

    def connect(self) -> Executor:
        """Acquire resources that can fail on user input (before anything is written)."""
        return self

    def start(self, scenario: Any, runner: Runner) -> None:
        raise NotImplementedError

    def submit(self, specs: list[RunSpec]) -> Any:
        raise NotImplementedError

    def wait(self, futures: Iterable[Any]) -> set[Any]:
        """Block until at least one future is done; return the done ones."""
        return futures_wait(list(futures), return_when=FIRST_COMPLETED).done

    def recover(self, future: Any, exc: BaseException) -> None:
        """After `future` was lost with `exc`: make the executor usable again (a new pool)."""

    def close(self) -> None:
        pass

    def __enter__(self) -> Executor:
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialExecutor(Executor):
    """In this process, one run after another: no start-up cost, easy to debug."""

    _frozen = False

    def start(self, scenario: Any, runner: Runner) -> None:
        self._model = (scenario, runner)
        thaw_heap(self._frozen)
        self._frozen = freeze_heap()

    def submit(self, specs: list[RunSpec]) -> Future:
        future: Future = Future()
        future.set_result(run_chunk(specs, self._model))
        return future

    def close(self) -> None:
        thaw_heap(self._frozen)
        self._frozen = False


class PoolExecutor(Executor):
    """A local `ProcessPoolExecutor` of `workers` processes.

    On Linux, when this process runs a single thread, workers are *forked* up front: they
    start in milliseconds and inherit the loaded scenario.  Otherwise (threads alive, as in a
    notebook or after dask or pyarrow started theirs; other platforms) they come from a
    *forkserver*, a clean process forked per worker, which is safe but costs an interpreter
    start and the package imports (about a second) once per sweep.
    """

    def __init__(self, workers: int, method: str | None = None):
        self.slots = workers
        self._pool: ProcessPoolExecutor | None = None
        # future -> the pool it was submitted to (weak: finished futures simply drop out)
        self._owner: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
        self.method = method or ""  # "" = choose at start

    def start(self, scenario: Any, runner: Runner) -> None:
        self._model_args = (scenario, runner)
        if not self.method:
            alone = sys.platform.startswith("linux") and threading.active_count() == 1
            self.method = "fork" if alone else "forkserver"
        model = (scenario, runner) if self.method == "fork" else pack(scenario, runner)
        ctx = multiprocessing.get_context(self.method)
        if self.method == "forkserver":
            preload = ["sim.sweep.executors", getattr(runner, "__module__", "sim")]
            ctx.set_forkserver_preload(preload)
        self._pool = ProcessPoolExecutor(
            max_workers=self.slots, mp_context=ctx, initializer=_init_worker, initargs=(model,),
        )
        if self.method == "fork":  # fork every worker now, while this is the only thread
            self._pool.submit(run_chunk, []).result()

    def submit(self, specs: list[RunSpec]) -> Future:
        assert self._pool is not None
        try:
            future = self._pool.submit(run_chunk, specs)
        except BrokenProcessPool:  # broke since the last look: a new pool, then submit
            self._rebuild()
            future = self._pool.submit(run_chunk, specs)
        self._owner[future] = self._pool
        return future

    def recover(self, future: Any, exc: BaseException) -> None:
        """A worker died (killed, out of memory, os._exit): its pool is broken; build anew,
        once per broken pool (every chunk in flight in it fails with the same error)."""
        pool = self._owner.pop(future, None)
        if pool is self._pool and (isinstance(exc, BrokenProcessPool)
                                   or getattr(pool, "_broken", False)):
            self._rebuild()

    def _rebuild(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        self.method = ""  # choose again: threads may be alive by now
        self.start(*self._model_args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ucx|ws|wss)://)?(?:\[[0-9a-fA-F:]+\]|[\w.-]+):\d{1,5}$")


class DaskExecutor(Executor):
    """A dask.distributed cluster: a small LocalCluster, or an existing scheduler's workers."""

    def __init__(self, workers: int, scheduler: str | None = None, timeout: float = 10.0,
                 wait: float = 60.0, notify: Callable[[str], None] | None = None):
        if scheduler is not None and not _ADDRESS.match(scheduler):
            raise InputError.cli(
                "--scheduler", f"{scheduler!r} is not a scheduler address like tcp://host:8786"
            )
        self.slots = workers
        self.scheduler = scheduler
        self.timeout = timeout
        self.wait_s = wait
        self.notify = notify or (lambda text: None)
        self.client: Any = None
        self._cluster: Any = None
        self._payload: Any = None
        self._token = ""

    def connect(self) -> DaskExecutor:
        from distributed import Client, LocalCluster

        if self.scheduler is None:
            self._cluster = LocalCluster(
                n_workers=self.slots, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            self.client = Client(self._cluster)
        else:
            try:
                self.client = Client(self.scheduler, timeout=self.timeout)
            except (OSError, TimeoutError) as exc:
                raise InputError.cli(
                    "--scheduler", f"cannot reach {self.scheduler}: {exc}"
                ) from None
            if not self.client.nthreads():
                self.notify(f"waiting for dask workers to join {self.scheduler} "
                            f"(up to {self.wait_s:g} s, --wait)")
                try:
                    self.client.wait_for_workers(1, timeout=self.wait_s)
                except (OSError, TimeoutError):
                    self.close()
                    raise InputError.cli(
                        "--wait", f"no dask worker joined {self.scheduler} within "
                        f"{self.wait_s:g} s; start workers (dask worker {self.scheduler}) "
                        "or wait longer with --wait SECONDS"
                    ) from None
            threads = self.client.nthreads()
            self.slots = max(1, sum(threads.values()))
        return self

    def start(self, scenario: Any, runner: Runner) -> None:
        """Install the model on every worker through a plugin.

        A plugin rather than scattered data: a worker that joins or restarts later (after
        one was lost) gets the model too, where scattered data would die with its holder.
        """
        from sim.sweep.dask_plugin import ModelPlugin

        payload = pack(scenario, runner)
        self._token = hashlib.sha256(payload).hexdigest()
        self.client.register_plugin(ModelPlugin(payload, self._token, install_model),
                                    name=f"sim-sweep-{self._token[:16]}")

    def submit(self, specs: list[RunSpec]) -> Any:
        return self.client.submit(run_chunk_of, specs, self._token, pure=False)

    def wait(self, futures: Iterable[Any]) -> set[Any]:
        from distributed import wait

        return set(wait(list(futures), return_when="FIRST_COMPLETED").done)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def make_executor(kind: str | None, workers: int, scheduler: str | None = None,
                  wait: float = 60.0, notify: Callable[[str], None] | None = None) -> Executor:
    """Validate executor options and build (not yet connect) the executor."""
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise InputError.cli("--workers", f"must be a whole number >= 1, not {workers!r}")
    if kind is None:
        kind = "dask" if scheduler else "local"
    if kind not in EXECUTORS:
        raise InputError.cli("--executor", f"{kind!r} is not one of {', '.join(EXECUTORS)}")
    if kind == "dask":
        return DaskExecutor(workers, scheduler, wait=wait, notify=notify)
    if scheduler is not None:
        raise InputError.cli("--scheduler", "a scheduler address needs --executor dask")
    return SerialExecutor() if workers == 1 else PoolExecutor(workers)
