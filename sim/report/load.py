"""Reading what `sim run --out` and `sim sweep --out` wrote, for reports and explanations.

Reports are made long after the run, often on another machine, so this module trusts nothing: a
folder that is neither a run nor a sweep, a truncated events file or a summary that is not JSON
all become one-line `InputError`s naming the argument, never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

RUN_FILES = ("events.jsonl", "summary.json")
SWEEP_FILES = ("results.parquet",)


@dataclass
class RunData:
    """One run as written to disk: its event log, summary and manifest."""

    path: Path
    events: list[dict[str, Any]]
    summary: dict[str, Any]
    manifest: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id: dict[int, dict[str, Any]] = {int(e["id"]): e for e in self.events}

    @property
    def actors(self) -> dict[str, dict[str, Any]]:
        return dict(self.summary.get("actors") or {})

    def name(self, actor_id: str | None) -> str:
        """The display name of an actor (its id when the summary does not name it)."""
        if actor_id is None:
            return ""
        meta = self.actors.get(actor_id) or {}
        return str(meta.get("name") or actor_id)


@dataclass
class SweepData:
    """A sweep as written to disk: one row per run, plus the sweep's own description."""

    path: Path
    results: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)


def _read_json(path: Path, arg: str) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError.cli(arg, f"{path}: not a readable JSON file ({exc})") from None
    if not isinstance(value, dict):
        raise InputError.cli(arg, f"{path}: expected a JSON object")
    return value


def read_events(path: Path, arg: str = "DIR") -> list[dict[str, Any]]:
    """The events of an events.jsonl file, checked for the keys every consumer relies on."""
    events: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.cli(arg, f"{path}: cannot read ({exc})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError.cli(arg, f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(event, dict) or "id" not in event or "kind" not in event:
            raise InputError.cli(arg, f"{path}:{number}: an event needs at least 'id' and 'kind'")
        events.append(event)
    return events


def load_run(directory: str | Path, arg: str = "DIR") -> RunData:
    """A run directory; InputError when it is missing or incomplete."""
    path = _existing_dir(directory, arg)
    missing = [name for name in RUN_FILES if not (path / name).is_file()]
    if missing:
        raise InputError.cli(arg, f"{path}: not a run directory (no {', '.join(missing)}; "
                                  "make one with `sim run SCENARIO --out DIR`)")
    manifest_path = path / "manifest.json"
    manifest = _read_json(manifest_path, arg) if manifest_path.is_file() else {}
    return RunData(path, read_events(path / "events.jsonl", arg),
                   _read_json(path / "summary.json", arg), manifest)


def load_sweep(directory: str | Path, arg: str = "DIR") -> SweepData:
    """A sweep directory; InputError when it is missing or its table cannot be read."""
    import pandas as pd

    path = _existing_dir(directory, arg)
    table = path / "results.parquet"
    if not table.is_file():
        raise InputError.cli(arg, f"{path}: not a sweep directory (no results.parquet; "
                                  "make one with `sim sweep SCENARIO ... --out DIR`)")
    try:
        results = pd.read_parquet(table)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types for a bad file
        raise InputError.cli(arg, f"{table}: not a readable parquet table ({exc})") from None
    meta_path = path / "sweep.json"
    meta = _read_json(meta_path, arg) if meta_path.is_file() else {}
    return SweepData(path, results, meta)


def load(directory: str | Path, arg: str = "DIR") -> RunData | SweepData:
    """A run or a sweep directory, whichever ``directory`` is."""
    path = _existing_dir(directory, arg)
    if (path / "results.parquet").is_file():
        return load_sweep(path, arg)
    if any((path / name).is_file() for name in RUN_FILES):
        return load_run(path, arg)
    raise InputError.cli(arg, f"{path}: neither a run directory (events.jsonl, summary.json) "
                              "nor a sweep directory (results.parquet)")


def _existing_dir(directory: str | Path, arg: str) -> Path:
    path = Path(directory)
    if not path.exists():
        raise InputError.cli(arg, f"{path}: no such directory")
    if not path.is_dir():
        raise InputError.cli(arg, f"{path}: not a directory")
    return path
