"""Reading what `sim run --out` and `sim sweep --out` wrote, for reports and explanations.

Reports are made long after the run, often on another machine, so this module trusts nothing:
every file goes through its contract in `sim.artifacts`, and a folder that is neither a run nor
a sweep, a truncated events file, a summary edited by hand or a file from another program all
become one located `InputError` line (exit 2 from the CLI), never a traceback.  What the
readers get back has exactly the keys and types of the contract, so they index it directly
instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim import artifacts
from sim.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

RUN_FILES = ("events.jsonl", "summary.json", "manifest.json")
SWEEP_FILES = ("results.parquet", "sweep.json")
SENSITIVITY_FILE = "sensitivity.json"


@dataclass
class RunData:
    """One run as written to disk: its event log, summary and manifest (as their contracts)."""

    path: Path
    events: list[dict[str, Any]]
    summary: dict[str, Any]
    manifest: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id: dict[int, dict[str, Any]] = {int(e["id"]): e for e in self.events}

    @property
    def actors(self) -> dict[str, dict[str, Any]]:
        return dict(self.summary["actors"])

    def name(self, actor_id: str | None) -> str:
        """The display name of an actor (its id when the summary does not name it)."""
        if actor_id is None:
            return ""
        meta = self.actors.get(actor_id)
        return str(meta["name"]) if meta else actor_id


@dataclass
class SweepData:
    """A sweep as written to disk: one row per run, its record, and any Sobol indices."""

    path: Path
    results: pd.DataFrame
    meta: dict[str, Any]
    sensitivity: dict[str, Any] | None = None


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json")  # type: ignore[no-any-return]


def load_run(directory: str | Path, arg: str = "DIR") -> RunData:
    """A run directory; InputError when it is missing, incomplete or not what sim wrote."""
    path = _existing_dir(directory, arg)
    missing = [name for name in RUN_FILES if not (path / name).is_file()]
    if missing:
        raise InputError.cli(arg, f"{path}: not a run directory (no {', '.join(missing)}; "
                                  "make one with `sim run SCENARIO --out DIR`)")
    manifest = artifacts.read_json(artifacts.Manifest, path / "manifest.json")
    events = [_dump(e) for e in artifacts.read_events(path / "events.jsonl")]
    summary = artifacts.read_json(artifacts.Summary, path / "summary.json")
    return RunData(path, events, _dump(summary), _dump(manifest))


def load_sweep(directory: str | Path, arg: str = "DIR") -> SweepData:
    """A sweep directory; InputError when it is missing or its files cannot be read."""
    import pandas as pd

    path = _existing_dir(directory, arg)
    missing = [name for name in SWEEP_FILES if not (path / name).is_file()]
    if missing:
        raise InputError.cli(arg, f"{path}: not a finished sweep directory (no "
                                  f"{', '.join(missing)}; make one with `sim sweep SCENARIO "
                                  "... --out DIR`, or finish it with --resume)")
    meta = artifacts.read_json(artifacts.SweepRecord, path / "sweep.json")
    table = path / "results.parquet"
    try:
        results = pd.read_parquet(table)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types for a bad file
        raise InputError.cli(arg, f"{table}: not a readable parquet table ({exc})") from None
    if "status" not in results.columns or "run_id" not in results.columns:
        raise InputError.at(str(table), "status", "not a results table sim sweep wrote "
                            "(no run_id/status columns)")
    sens_path = path / SENSITIVITY_FILE
    sensitivity = (_dump(artifacts.read_json(artifacts.Sensitivity, sens_path))
                   if sens_path.is_file() else None)
    return SweepData(path, results, meta.model_dump(mode="json"), sensitivity)


def load(directory: str | Path, arg: str = "DIR") -> RunData | SweepData:
    """A run or a sweep directory, whichever ``directory`` is."""
    path = _existing_dir(directory, arg)
    if (path / "results.parquet").is_file():
        return load_sweep(path, arg)
    if any((path / name).is_file() for name in RUN_FILES):
        return load_run(path, arg)
    if (path / "sweep.json").is_file():
        return load_sweep(path, arg)
    raise InputError.cli(arg, f"{path}: neither a run directory (events.jsonl, summary.json, "
                              "manifest.json) nor a sweep directory (results.parquet, "
                              "sweep.json)")


def _existing_dir(directory: str | Path, arg: str) -> Path:
    path = Path(directory)
    if not path.exists():
        raise InputError.cli(arg, f"{path}: no such directory")
    if not path.is_dir():
        raise InputError.cli(arg, f"{path}: not a directory")
    return path
