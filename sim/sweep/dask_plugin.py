"""The dask worker plugin that gives every worker the sweep's model (imported with dask only).

Registered once per sweep; dask runs `setup` on every current worker and on every worker that
joins or restarts later, so a lost worker's replacement can take up its chunks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from distributed import WorkerPlugin


class ModelPlugin(WorkerPlugin):
    """Holds the pickled (scenario, runner) and installs it under a token on each worker with
    `install` (`sim.sweep.executors.install_model`, handed in so this module need not import
    the executors that import it)."""

    def __init__(self, payload: bytes, token: str, install: Callable[[bytes, str], None]):
        self.payload = payload
        self.token = token
        self.install = install

    def setup(self, worker: Any) -> None:
        self.install(self.payload, self.token)
