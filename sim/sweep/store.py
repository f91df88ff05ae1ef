"""A sweep's output folder: the record, streamed result parts, and the final table.

Layout of ``DIR``::

    sweep.json        what the sweep is (spec, scenario hash, package version, SALib problem)
    parts/*.parquet   finished runs, one file per flushed batch, each written tmp + rename
    results.parquet   every run, sorted by run id (assembled at the end; parts are then removed)

Every file appears under its final name only once it is complete (``os.replace`` of a
fsynced temporary), so a sweep killed at any instant leaves either a whole part or none.
The parts *are* the resume bookkeeping: a run is done exactly when its row is in a part (or
in ``results.parquet``), so ``--resume`` reruns only what is missing, and runs are
deterministic, so a batch lost in flight is simply computed again, identically.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.sweep.flatten import column_order

SPEC_FILE = "sweep.json"
RESULTS_FILE = "results.parquet"
PARTS_DIR = "parts"
# Keys of sweep.json that must match for --resume (workers, executor etc. may change freely).
IDENTITY = ("scenario_hash", "sweep")


def _json_normal(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _fsync_replace(tmp: Path, final: Path) -> None:
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` so readers see the old file or the whole new one, never a torn one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    _fsync_replace(tmp, path)


class Store:
    """The on-disk state of one sweep."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self.spec_path = self.root / SPEC_FILE
        self.results_path = self.root / RESULTS_FILE
        self.parts_dir = self.root / PARTS_DIR

    # -- checks (write nothing) ----------------------------------------------------------
    def _is_empty(self) -> bool:
        return not self.root.exists() or not any(self.root.iterdir())

    def read_record(self) -> dict[str, Any]:
        try:
            return json.loads(self.spec_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError.cli("DIR", f"{self.root} holds no {SPEC_FILE}; not a sweep") from None
        except (OSError, ValueError) as exc:
            raise InputError.cli("DIR", f"{self.spec_path}: unreadable ({exc})") from None

    def check(self, record: Mapping[str, Any], resume: bool) -> None:
        """Refuse (InputError) unless this sweep may write here; never writes anything."""
        if self.root.exists() and not self.root.is_dir():
            raise InputError.cli("--out", f"{self.root} exists and is not a directory")
        if self._is_empty():
            return
        if not resume:
            raise InputError.cli(
                "--out",
                f"{self.root} is not empty; pass --resume to finish the sweep recorded there, "
                "or choose another directory",
            )
        if not self.spec_path.exists():
            raise InputError.cli(
                "--resume", f"{self.root} is not empty and holds no {SPEC_FILE}: not a sweep"
            )
        old = self.read_record()
        new = _json_normal(dict(record))
        diffs = []
        if old.get("scenario_hash") != new.get("scenario_hash"):
            diffs.append("the scenario changed")
        old_sweep, new_sweep = old.get("sweep", {}), new.get("sweep", {})
        for key in sorted(set(old_sweep) | set(new_sweep)):
            if old_sweep.get(key) != new_sweep.get(key):
                diffs.append(f"{key} {json.dumps(old_sweep.get(key))} -> "
                             f"{json.dumps(new_sweep.get(key))}")
        if diffs:
            raise InputError.cli(
                "--resume",
                f"{self.root} holds a different sweep ({'; '.join(diffs)}); "
                "rerun with the recorded arguments or choose another --out",
            )

    # -- writing -------------------------------------------------------------------------
    def open(self, record: Mapping[str, Any]) -> set[int]:
        """Create the folder (or take up a resumed one); return the ids of runs already done."""
        try:
            self.parts_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError.cli("--out", f"cannot create {self.root}: {exc.strerror}") from None
        for stale in [*self.root.glob(".*.tmp"), *self.parts_dir.glob(".*.tmp")]:
            stale.unlink(missing_ok=True)  # a write killed before its rename
        record = dict(record)
        if self.spec_path.exists():
            record["created"] = self.read_record().get("created", record.get("created"))
        record.setdefault("created", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        record["complete"] = False
        self.write_record(record)
        return self.done_ids()

    def write_record(self, record: Mapping[str, Any]) -> None:
        atomic_write_text(self.spec_path, json.dumps(record, indent=2, sort_keys=True) + "\n")

    def _files(self) -> list[Path]:
        files = sorted(self.parts_dir.glob("part-*.parquet")) if self.parts_dir.exists() else []
        return ([self.results_path] if self.results_path.exists() else []) + files

    def done_ids(self) -> set[int]:
        import pyarrow.parquet as pq

        done: set[int] = set()
        for f in self._files():
            done.update(pq.read_table(f, columns=["run_id"]).column(0).to_pylist())
        return done

    def write_part(self, rows: list[dict[str, Any]]) -> Path:
        """Write finished rows as one parquet part (atomically)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns = list(dict.fromkeys(k for row in rows for k in row))
        table = pa.table({c: pa.array([row.get(c) for row in rows]) for c in columns})
        first = min(row["run_id"] for row in rows)
        final = self.parts_dir / f"part-{first:010d}-{uuid.uuid4().hex[:8]}.parquet"
        tmp = self.parts_dir / f".{final.name}.tmp"
        pq.write_table(table, tmp)
        _fsync_replace(tmp, final)
        return final

    def assemble(self, parameters: list[str], n_runs: int, window: int = 50_000) -> Path:
        """Merge parts (and any earlier results) into ``results.parquet`` sorted by run id.

        Reads one window of run ids at a time (parquet statistics let it skip other files),
        so assembling costs memory per window, not per sweep.
        """
        import numpy as np
        import pyarrow as pa
        import pyarrow.dataset as pads
        import pyarrow.parquet as pq

        files = self._files()
        schemas = [pq.read_schema(f) for f in files]
        unified = pa.unify_schemas(schemas, promote_options="permissive")
        order = column_order(unified.names, parameters)
        fields = [unified.field(c) for c in order]
        # A column that was null in every part has no type of its own; `error` is text.
        fields = [f.with_type(pa.string()) if pa.types.is_null(f.type) and f.name == "error"
                  else f for f in fields]
        schema = pa.schema(fields)
        dataset = pads.dataset([str(f) for f in files], schema=schema, format="parquet")
        tmp = self.root / f".{RESULTS_FILE}.{os.getpid()}.tmp"
        run_id = pads.field("run_id")
        with pq.ParquetWriter(tmp, schema) as writer:
            for lo in range(0, max(n_runs, 1), window):
                table = dataset.to_table(filter=(run_id >= lo) & (run_id < lo + window))
                table = table.sort_by("run_id")
                ids = table.column("run_id").to_numpy()
                if len(ids) > 1 and (ids[1:] == ids[:-1]).any():  # kill between merge and tidy
                    table = table.filter(pa.array(np.r_[True, ids[1:] != ids[:-1]]))
                writer.write_table(table)
        _fsync_replace(tmp, self.results_path)
        for f in files:
            if f != self.results_path:
                f.unlink()
        return self.results_path

    def counts(self) -> dict[str, int]:
        """Runs in the assembled table, and how many of them failed."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        status = pq.read_table(self.results_path, columns=["status"]).column(0)
        failed = pc.sum(pc.not_equal(status, "ok")).as_py() or 0
        return {"runs": len(status), "failed": int(failed)}

    def finish(self, record: Mapping[str, Any]) -> dict[str, int]:
        """Mark the sweep complete in sweep.json (with its run counts); return the counts."""
        counts = self.counts()
        record = dict(self.read_record(), **record)
        record.update(complete=True, counts=counts)
        self.write_record(record)
        return counts

