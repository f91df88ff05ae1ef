"""The dask worker plugin that gives every worker the sweep's model (imported with dask only).

Registered once per sweep; dask runs `setup` on every current worker and on every worker that
joins or restarts later, so a lost worker's replacement can take up its chunks.
"""

from __future__ import annotations

from typing import Any

from distributed import WorkerPlugin


class ModelPlugin(WorkerPlugin):
    """Holds the pickled (scenario, runner) and installs it under a token on each worker."""

    def __init__(self, payload: bytes, token: str):
        self.payload = payload
        self.token = token

    def setup(self, worker: Any) -> None:
        from sim.sweep.executors import install_model

        install_model(self.payload, self.token)
