"""sim.safewrite: files whole or not at all, only over regular files; run folders swapped whole;
an output folder locked against a second writer."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sim import safewrite
from sim.errors import InputError
from sim.safewrite import (
    check_file_target,
    check_folder_target,
    locked_folder,
    replace_folder,
    write_file,
)

ROOT = Path(__file__).resolve().parents[1]


def _device(tmp_path: Path) -> Path:
    """A character device like /dev/null inside tmp_path (as root), else a FIFO: neither is a
    regular file, and neither may ever be replaced by a write."""
    path = tmp_path / "dev-null"
    if os.geteuid() == 0:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        os.mkfifo(path)
    return path


def _error(exc: pytest.ExceptionInfo[InputError]) -> str:
    (problem,) = exc.value.problems
    return str(problem)


def test_a_new_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "a.html"
    write_file(target, "hello", "--output")
    assert target.read_text() == "hello"
    write_file(target, "again", "--output")
    assert target.read_text() == "again"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html"]


def test_a_device_is_never_replaced(tmp_path: Path) -> None:
    device = _device(tmp_path)
    before = os.lstat(device)
    with pytest.raises(InputError) as exc:
        write_file(device, "x", "--output")
    assert "not a regular file" in _error(exc) and _error(exc).startswith("<command line>:1:1: ")
    after = os.lstat(device)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert after.st_ino == before.st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev-null"]


def test_a_symlink_to_a_device_is_refused_too(tmp_path: Path) -> None:
    link = tmp_path / "out.html"
    link.symlink_to(_device(tmp_path))
    with pytest.raises(InputError, match="not a regular file"):
        check_file_target(link, "--output")


@pytest.mark.parametrize("bad", ["", "   "])
def test_an_empty_path_is_refused(bad: str) -> None:
    with pytest.raises(InputError, match="empty path"):
        write_file(bad, "x", "--html")


def test_a_directory_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.html").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        write_file(tmp_path / "x.html", "x", "--html")
    assert (tmp_path / "x.html").is_dir()


def test_an_unwritable_place_is_one_located_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        write_file("/proc/report.html", "x", "--output")  # exists, but nobody may create here
    assert _error(exc).startswith("<command line>:1:1: --output: cannot write /proc/report.html")


def test_leftovers_of_killed_writes_are_removed_by_the_next_write(tmp_path: Path) -> None:
    dead = _dead_pid()
    host = socket.gethostname()
    stale = tmp_path / f".a.html.sim-{host}-{dead}-0123abcd.tmp"
    stale.write_text("half")
    alive = tmp_path / f".a.html.sim-{host}-{os.getpid()}-0123abcd.tmp"
    alive.write_text("a writer still at work")
    write_file(tmp_path / "a.html", "whole", "--output")
    assert not stale.exists() and alive.exists()


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


# --- run folders -----------------------------------------------------------------------------

RUN = {"events.jsonl": "{}\n", "summary.json": "{}\n"}


def _run_files(seed: int) -> dict[str, str]:
    return {**RUN, "manifest.json": json.dumps({"scenario": "s", "seed": seed,
                                                 "scenario_hash": "h"})}


def test_a_run_folder_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "run"
    replace_folder(out, _run_files(1), "--out", {"seed": 1})
    (out / "report.html").write_text("of run 1")
    replace_folder(out, _run_files(1), "--out", {"seed": 1})  # the same run again: fine
    assert sorted(p.name for p in out.iterdir()) == ["events.jsonl", "manifest.json",
                                                     "summary.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_different_run_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "run"
    replace_folder(out, _run_files(1), "--out", {"seed": 1})
    with pytest.raises(InputError, match=r"another run \(s, seed 1\); add --force"):
        replace_folder(out, _run_files(2), "--out", {"seed": 2})
    assert json.loads((out / "manifest.json").read_text())["seed"] == 1
    replace_folder(out, _run_files(2), "--out", {"seed": 2}, force=True)
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2


def test_a_folder_of_other_files_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "thesis.tex").write_text("years of work")
    for force in (False, True):
        with pytest.raises(InputError, match="holds other files"):
            replace_folder(tmp_path, _run_files(1), "--out", {"seed": 1}, force=force)
    assert (tmp_path / "thesis.tex").read_text() == "years of work"


def test_an_error_midway_leaves_the_old_run_untouched(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "run"
    replace_folder(out, _run_files(1), "--out", {"seed": 1})
    before = {p.name: p.read_text() for p in out.iterdir()}
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(safewrite.os, "fsync", fsync)
    with pytest.raises(InputError, match="No space left on device"):
        replace_folder(out, _run_files(2), "--out", {"seed": 2}, force=True)
    assert {p.name: p.read_text() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_the_fallback_swap_without_renameat2(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(safewrite, "_exchange", lambda a, b: False)
    out = tmp_path / "run"
    replace_folder(out, _run_files(1), "--out", {"seed": 1})
    replace_folder(out, _run_files(2), "--out", {"seed": 2}, force=True)
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "run").write_text("x")
    with pytest.raises(InputError, match="not a directory"):
        check_folder_target(tmp_path / "run", "--out")
    with pytest.raises(InputError, match="empty path"):
        check_folder_target("", "--out")


# --- the sweep folder lock -------------------------------------------------------------------

HOLDER = """
import sys
from sim.safewrite import locked_folder
with locked_folder(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.read()  # hold the lock until the test closes our stdin
"""


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "sweep"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        with pytest.raises(InputError) as exc:
            with locked_folder(folder):
                pass
        assert "in use by another sweep" in _error(exc)
    finally:
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
    with locked_folder(folder) as got:  # free again once the first has ended
        (got / "results.parquet").write_text("x")
    assert folder.is_dir()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    folder = tmp_path / "sweep"
    folder.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    holder.kill()
    holder.wait(timeout=60)
    with locked_folder(folder):
        pass


def test_a_folder_the_lock_made_is_removed_if_nothing_was_written(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "sweep"
    with pytest.raises(InputError):
        with locked_folder(folder):
            raise InputError.cli("--set", "a mistake found after the lock was taken")
    assert not folder.exists()


FORKING_HOLDER = """
import os, sys, time
from sim.safewrite import locked_folder
with locked_folder(sys.argv[1]):
    ready_r, ready_w = os.pipe()
    child = os.fork()
    if child == 0:  # a fork-started worker: outlives its parent for a while
        os.write(ready_w, b"1")  # the fork hooks (which close the lock) ran before fork returned
        time.sleep(60)
        os._exit(0)
    os.read(ready_r, 1)  # report the child only once it runs: no race with a loaded machine
    print(child, flush=True)
    sys.stdin.read()
"""


def test_a_forked_worker_does_not_keep_the_lock_of_a_killed_sweep(tmp_path: Path) -> None:
    folder = tmp_path / "sweep"
    holder = subprocess.Popen([sys.executable, "-c", FORKING_HOLDER, str(folder)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    child = int(holder.stdout.readline())
    try:
        holder.kill()
        holder.wait(timeout=60)
        with locked_folder(folder):  # the orphaned worker holds no lock
            pass
    finally:
        os.kill(child, 9)
