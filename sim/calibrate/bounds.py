"""How many replications `sim calibrate` accepts (its own module, so the package and its
runner both import it without importing each other)."""

from __future__ import annotations

from sim.errors import InputError

MAX_REPLICATIONS = 2000  # two runs a replication; beyond this a laptop waits for an hour


def check_replications(replications: object) -> int:
    if isinstance(replications, bool) or not isinstance(replications, int):
        raise InputError.cli("--replications", f"must be a whole number, not {replications!r}")
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise InputError.cli("--replications",
                             f"must be between 1 and {MAX_REPLICATIONS}, not {replications}")
    return replications
