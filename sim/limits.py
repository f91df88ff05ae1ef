"""Bounds on the work a user can ask for, declared once and checked at the edge.

Every command that takes a seed or a number of runs checks it here, so `run`, `compare` and
`sweep` accept exactly the same values and refuse the rest with the same one-line message
(before any work starts, never by running out of memory).
"""

from __future__ import annotations

from sim.errors import InputError

MAX_SEED = 2**63 - 1  # seeds are stored as int64 (parquet, JSON readers)
MAX_REPLICATIONS = 10_000  # per scenario: a comparison's spread is settled long before this
MAX_SECONDS = 7 * 24 * 3600.0  # the largest wall-clock budget `--max-seconds` takes


def check_seed(value: object, option: str = "--seed") -> int:
    """A seed: an integer 0 .. 2**63-1 (text or int); anything else is one located line."""
    if isinstance(value, bool):
        raise InputError.cli(option, f"not an integer: {value!r}")
    if isinstance(value, int):
        seed = value
    else:
        text = str(value).strip()
        if len(text) > 40:
            raise InputError.cli(option, f"must be between 0 and {MAX_SEED} (2**63-1)")
        try:
            seed = int(text)
        except ValueError:
            raise InputError.cli(option, f"not an integer: {text!r}") from None
    if not 0 <= seed <= MAX_SEED:
        raise InputError.cli(option, f"must be between 0 and {MAX_SEED} (2**63-1), got {seed}")
    return seed


def check_replications(value: object, option: str = "--replications",
                       first_seed: int = 0) -> int:
    """A number of replications 1 .. MAX_REPLICATIONS whose seeds (first_seed + r) stay valid."""
    count = check_count(value, option, MAX_REPLICATIONS)
    if first_seed + count - 1 > MAX_SEED:
        raise InputError.cli(option, f"seeds {first_seed} .. {first_seed + count - 1} would "
                                     f"pass the largest seed {MAX_SEED}")
    return count


def check_count(value: object, option: str, limit: int) -> int:
    """A whole number 1 .. limit."""
    if isinstance(value, bool):
        raise InputError.cli(option, f"not an integer: {value!r}")
    if isinstance(value, int):
        count = value
    else:
        text = str(value).strip()
        if len(text) > 40:
            raise InputError.cli(option, f"must be between 1 and {limit}")
        try:
            count = int(text)
        except ValueError:
            raise InputError.cli(option, f"not an integer: {text!r}") from None
    if not 1 <= count <= limit:
        raise InputError.cli(option, f"must be between 1 and {limit}, got {count}")
    return count
