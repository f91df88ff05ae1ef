"""A sweep's output folder: the record, streamed result parts, and the final table.

Layout of ``DIR``::

    sweep.json        what the sweep is (spec, scenario hash, package version, SALib problem)
    parts/*.parquet   finished runs, one file per flushed batch, each written tmp + rename
    results.parquet   every run, sorted by run id (assembled at the end; parts are then removed)
    history.parquet   every run's monthly snapshots, long: run_id, date, variable, value

A flush writes the batch's history part first and its results part second, under paired
names; a history part whose results part is missing (a kill between the two) is ignored.

Every file appears under its final name only once it is complete (``os.replace`` of a
fsynced temporary), so a sweep killed at any instant leaves either a whole part or none.
The parts *are* the resume bookkeeping: a run is done exactly when its row is in a part (or
in ``results.parquet``), so ``--resume`` reruns only what is missing, and runs are
deterministic, so a batch lost in flight is simply computed again, identically.
"""

from __future__ import annotations

import datetime as _dt
import datetime as dt
import json
import os
import uuid
from array import array
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim import artifacts
from sim.errors import InputError
from sim.sweep.flatten import HISTORY_KEY, INDICATORS, column_order

SPEC_FILE = "sweep.json"
RESULTS_FILE = "results.parquet"
HISTORY_FILE = "history.parquet"
METADATA_KEY = b"sim.sweep"  # the sweep record, in the Parquet files' metadata
PARTS_DIR = "parts"
# Keys of sweep.json that must match for --resume (workers, executor etc. may change freely).
IDENTITY = ("scenario_hash", "sweep")


def _grows(key: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """True when `key` differs only by growing the sweep in a way that keeps every run:
    more replications (any design), or more base points of a Sobol design (its sequence
    extends: the first points stay)."""
    if key == "replications":
        return int(new.get(key, 1)) >= int(old.get(key, 1))
    if key == "n" and new.get("sample") == old.get("sample") == "sobol":
        return int(new.get(key) or 0) >= int(old.get(key) or 0)
    return False


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


# Read parts one at a time: pyarrow's default read-ahead of many fragments on many threads
# multiplies peak memory at assembly for no gain on files this small.
_LEAN = {"use_threads": False, "batch_readahead": 1, "fragment_readahead": 1}


def _history_schema() -> Any:
    import pyarrow as pa

    return pa.schema([("run_id", pa.int64()), ("point", pa.int64()),
                      ("replication", pa.int64()), ("date", pa.date32()),
                      ("variable", pa.string()), ("value", pa.float64())])


def _history_table(histories: list[tuple[int, int, Any]]) -> Any:
    """The long history rows of a batch of runs, from their compact histories
    (`sim.sweep.flatten.History`), built with array operations: a variable is stored once
    per distinct tuple of variables and indexed, dates once per distinct date."""
    import numpy as np
    import pyarrow as pa

    names: dict[str, int] = {}
    label_ids: dict[tuple[str, ...], Any] = {}
    date_ids: dict[str, int] = {}
    ids: list[Any] = []
    snap_dates: list[int] = []
    snap_sizes: list[int] = []
    run_keys: list[tuple[int, int]] = []
    run_sizes: list[int] = []
    values: list[Any] = []
    for point, rep, h in histories:
        if not h:
            continue
        dates, labels, x = h
        for date, label in zip(dates, labels, strict=True):
            index = label_ids.get(label)
            if index is None:
                index = label_ids[label] = np.array(
                    [names.setdefault(v, len(names)) for v in label], np.int32)
            ids.append(index)
            snap_dates.append(date_ids.setdefault(date, len(date_ids)))
            snap_sizes.append(len(label))
        run_keys.append((point, rep))
        run_sizes.append(len(x))
        values.append(np.frombuffer(x, np.float64) if isinstance(x, array) else
                      np.asarray(x, np.float64))
    calendar = [_dt.date.fromisoformat(t) if len(t) == 10 else None for t in date_ids]
    keys = np.array(run_keys, np.int64).reshape(-1, 2)
    variable = pa.DictionaryArray.from_arrays(
        pa.array(np.concatenate(ids) if ids else np.zeros(0, np.int32)),
        pa.array(list(names), pa.string())).dictionary_decode()
    total = sum(run_sizes)
    return pa.table({"run_id": pa.array(np.zeros(total, np.int64)),  # set when assembled
                     "point": pa.array(np.repeat(keys[:, 0], run_sizes)),
                     "replication": pa.array(np.repeat(keys[:, 1], run_sizes)),
                     "date": pa.array(calendar, pa.date32()).take(
                         pa.array(np.repeat(np.array(snap_dates, np.int64), snap_sizes))),
                     "variable": variable,
                     "value": pa.array(np.concatenate(values) if values else
                                       np.zeros(0, np.float64))})


def _renumber(table: Any, replications: int, kind: Any) -> Any:
    """run_id = point * replications + replication (point-major, as the design numbers runs)."""
    import pyarrow.compute as pc

    ids = pc.add(pc.multiply(table.column("point"), replications), table.column("replication"))
    i = table.schema.get_field_index("run_id")
    return table.set_column(i, table.schema.field(i), ids.cast(kind))


def _settled(f: Any) -> Any:
    """A column type for the final table where the parts could not tell one."""
    import pyarrow as pa

    if pa.types.is_null(f.type):  # null in every run
        if f.name.startswith(INDICATORS):
            return f.with_type(pa.bool_())
        return f.with_type(pa.string()) if f.name == "error" else f
    if pa.types.is_list(f.type) and pa.types.is_null(f.type.value_type):  # always empty
        return f.with_type(pa.list_(pa.string()))
    return f


def _pandas_metadata(schema: Any) -> dict[bytes, bytes]:
    """pandas metadata naming nullable dtypes (Int64, boolean), so `pd.read_parquet` gives
    integers and booleans back as such even where failed runs left them empty."""
    import pyarrow as pa

    frame = schema.empty_table().to_pandas()
    for f in schema:
        if pa.types.is_integer(f.type):
            frame[f.name] = frame[f.name].astype("Int64")
        elif pa.types.is_boolean(f.type):
            frame[f.name] = frame[f.name].astype("boolean")
    meta = pa.Schema.from_pandas(frame, preserve_index=False).metadata or {}
    return {b"pandas": meta[b"pandas"]} if b"pandas" in meta else {}


def _provenance(record: Mapping[str, Any] | None) -> bytes:
    keep = {k: v for k, v in (record or {}).items() if k not in ("assumptions", "actors")}
    return json.dumps(keep, sort_keys=True, default=str).encode()


class Store:
    """The on-disk state of one sweep."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self.spec_path = self.root / SPEC_FILE
        self.results_path = self.root / RESULTS_FILE
        self.history_path = self.root / HISTORY_FILE
        self.parts_dir = self.root / PARTS_DIR

    # -- checks (write nothing) ----------------------------------------------------------
    def _is_empty(self) -> bool:
        return not self.root.exists() or not any(self.root.iterdir())

    def read_record(self) -> dict[str, Any]:
        """sweep.json, checked against `sim.artifacts.SweepRecord` (one located line if not)."""
        if not self.spec_path.is_file():
            raise InputError.cli("DIR", f"{self.root} holds no {SPEC_FILE}; not a sweep")
        record = artifacts.read_json(artifacts.SweepRecord, self.spec_path)
        return record.model_dump(mode="json", exclude_unset=True)

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
            if _grows(key, old_sweep, new_sweep):
                continue
            if old_sweep.get(key) != new_sweep.get(key):
                diffs.append(f"{key} {json.dumps(old_sweep.get(key))} -> "
                             f"{json.dumps(new_sweep.get(key))}")
        if diffs:
            raise InputError.cli(
                "--resume",
                f"{self.root} holds a different sweep ({'; '.join(diffs)}); "
                "rerun with the recorded arguments or choose another --out (a sweep grows "
                "only by more --replications, or a larger --n for sobol designs)",
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
        return self.done_keys()

    def write_record(self, record: Mapping[str, Any]) -> None:
        artifacts.SweepRecord.model_validate(record)
        atomic_write_text(self.spec_path, json.dumps(record, indent=2, sort_keys=True) + "\n")

    def _files(self) -> list[Path]:
        files = sorted(self.parts_dir.glob("part-*.parquet")) if self.parts_dir.exists() else []
        return ([self.results_path] if self.results_path.exists() else []) + files

    def done_keys(self) -> set[tuple[int, int]]:
        """(point, replication) of every run on disk: stable when a sweep grows, where run
        ids (point-major) shift as replications are added."""
        import pyarrow.parquet as pq

        done: set[tuple[int, int]] = set()
        for f in self._files():
            t = pq.read_table(f, columns=["point", "replication"])
            done.update(zip(t.column(0).to_pylist(), t.column(1).to_pylist(), strict=True))
        return done

    def write_part(self, rows: list[dict[str, Any]]) -> Path:
        """Write finished rows as one parquet part (atomically), their history beside it."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        histories = [(row["point"], row["replication"], row.pop(HISTORY_KEY, None))
                     for row in rows]
        columns = list(dict.fromkeys(k for row in rows for k in row))
        table = pa.table({c: pa.array([row.get(c) for row in rows]) for c in columns})
        first = min(row["run_id"] for row in rows)
        tag = f"{first:010d}-{uuid.uuid4().hex[:8]}"
        if any(h for _, _, h in histories):
            history = _history_table(histories)
            final = self.parts_dir / f"history-{tag}.parquet"
            tmp = self.parts_dir / f".{final.name}.tmp"
            pq.write_table(history, tmp)
            _fsync_replace(tmp, final)
        final = self.parts_dir / f"part-{tag}.parquet"
        tmp = self.parts_dir / f".{final.name}.tmp"
        pq.write_table(table, tmp)
        _fsync_replace(tmp, final)
        return final

    def _history_files(self) -> list[Path]:
        if not self.parts_dir.exists():
            return [self.history_path] if self.history_path.exists() else []
        parts = {p.name.removeprefix("part-") for p in self.parts_dir.glob("part-*.parquet")}
        paired = sorted(h for h in self.parts_dir.glob("history-*.parquet")
                        if h.name.removeprefix("history-") in parts)
        return ([self.history_path] if self.history_path.exists() else []) + paired

    def assemble(self, parameters: list[str], n_points: int, replications: int,
                 window: int = 50_000, record: Mapping[str, Any] | None = None) -> Path:
        """Merge parts (and any earlier results) into ``results.parquet`` sorted by run id.

        Reads one window of points at a time (parquet statistics let it skip other files),
        so assembling costs memory per window, not per sweep.  Run ids are recomputed from
        (point, replication), so runs of a sweep that grew take their new ids.
        """
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.dataset as pads
        import pyarrow.parquet as pq

        files = self._files()
        schemas = [pq.read_schema(f) for f in files]
        unified = pa.unify_schemas([sc.remove_metadata() for sc in schemas],
                                   promote_options="permissive")
        order = column_order(unified.names, parameters)
        schema = pa.schema([_settled(unified.field(c)) for c in order])
        schema = schema.with_metadata({**_pandas_metadata(schema),
                                       METADATA_KEY: _provenance(record)})
        dataset = pads.dataset([str(f) for f in files], schema=schema, format="parquet")
        indicators = [c for c in schema.names if c.startswith(INDICATORS)]
        tmp = self.root / f".{RESULTS_FILE}.{os.getpid()}.tmp"
        point = pads.field("point")
        step = max(1, window // max(replications, 1))
        with pq.ParquetWriter(tmp, schema) as writer:
            for lo in range(0, max(n_points, 1), step):
                table = dataset.to_table(filter=(point >= lo) & (point < lo + step), **_LEAN)
                table = _renumber(table, replications, schema.field("run_id").type)
                table = table.sort_by("run_id")
                ids = table.column("run_id").to_numpy()
                if len(ids) > 1 and (ids[1:] == ids[:-1]).any():  # kill between merge and tidy
                    table = table.filter(pa.array(np.r_[True, ids[1:] != ids[:-1]]))
                if indicators and len(table):
                    ok = pc.equal(table.column("status"), "ok")
                    for c in indicators:
                        i = table.schema.get_field_index(c)
                        col = table.column(c)
                        table = table.set_column(i, schema.field(c), pc.if_else(
                            pc.and_(pc.is_null(col), ok), False, col))
                writer.write_table(table.replace_schema_metadata(schema.metadata))
        history = self._history_files()
        if history:
            self._assemble_history(history, n_points, replications, window, record)
        _fsync_replace(tmp, self.results_path)
        for f in [*files, *history]:
            if f not in (self.results_path, self.history_path):
                f.unlink()
        for orphan in self.parts_dir.glob("history-*.parquet"):
            orphan.unlink()  # its results part never landed: those runs were done again
        return self.results_path

    def _assemble_history(self, files: list[Path], n_points: int, replications: int,
                          window: int, record: Mapping[str, Any] | None) -> None:
        import pyarrow as pa
        import pyarrow.dataset as pads
        import pyarrow.parquet as pq

        plain = _history_schema()
        schema = plain.with_metadata({METADATA_KEY: _provenance(record)})
        dataset = pads.dataset([str(f) for f in files], schema=plain, format="parquet")
        tmp = self.root / f".{HISTORY_FILE}.{os.getpid()}.tmp"
        point = pads.field("point")
        step = max(1, window // max(replications, 1) // 200)  # ~1,500 history rows a run
        keys = ["point", "replication", "date", "variable"]
        again = self.history_path in files  # only then can a run's rows be there twice
        with pq.ParquetWriter(tmp, schema) as writer:
            for lo in range(0, max(n_points, 1), step):
                table = dataset.to_table(filter=(point >= lo) & (point < lo + step), **_LEAN)
                if again:
                    # a kill between this file's rename and the parts' removal repeats rows:
                    # runs are deterministic, so duplicates are equal and one of each is kept
                    table = table.group_by(keys, use_threads=False).aggregate(
                        [("value", "max")]).rename_columns([*keys, "value"])
                    table = table.append_column("run_id", pa.array([0] * len(table),
                                                                   pa.int64()))
                table = _renumber(table, replications, pa.int64())
                table = table.select(plain.names).sort_by(
                    [("run_id", "ascending"), ("date", "ascending"), ("variable", "ascending")])
                table = table.cast(plain)
                writer.write_table(table.replace_schema_metadata(schema.metadata))
        _fsync_replace(tmp, self.history_path)

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

