"""Many seeded runs of one scenario: parameter designs, executors, streamed results.

``sim.sweep(...)`` (see `sim.sweep.driver.sweep`) returns one row per run as a pandas
DataFrame; ``sim sweep``, ``sim sensitivity`` and ``sim discover`` are the command-line faces.
Importing this package is cheap: the driver (numpy, the engine) loads on first use, and heavy
libraries (pandas, pyarrow, SALib, dask) only inside the functions that use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.sweep.driver import Sweep


def sweep(*args: Any, **kwargs: Any) -> Any:
    from sim.sweep.driver import sweep as run_sweep

    return run_sweep(*args, **kwargs)


def sobol_indices(*args: Any, **kwargs: Any) -> Any:
    from sim.sweep.sensitivity import sobol_indices as indices

    return indices(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "Sweep":
        from sim.sweep.driver import Sweep

        return Sweep
    raise AttributeError(f"module 'sim.sweep' has no attribute {name!r}")


def _document() -> None:
    """Give the thin wrappers the real functions' docstrings without importing them now."""
    sweep.__doc__ = ("Run many seeded simulations of `scenario`; one row per run (a pandas "
                     "DataFrame).  See `sim.sweep.driver.sweep` for every argument.")
    sobol_indices.__doc__ = "Sensitivity indices of a finished sweep (`sim.sweep.sensitivity`)."


_document()
__all__ = ["Sweep", "sobol_indices", "sweep"]
