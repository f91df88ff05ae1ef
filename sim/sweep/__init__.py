"""Many seeded runs of one scenario: parameter designs, executors, streamed results.

``sim.sweep(...)`` (see `sim.sweep.driver.sweep`) returns one row per run as a pandas
DataFrame; ``sim sweep`` and ``sim sensitivity`` are the command-line faces.  Heavy libraries
(pandas, pyarrow, SALib, dask) are imported only inside the functions that use them.
"""

from sim.sweep.driver import Sweep, sweep
from sim.sweep.sensitivity import sobol_indices

__all__ = ["Sweep", "sobol_indices", "sweep"]
