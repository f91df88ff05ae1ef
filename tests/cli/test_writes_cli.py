"""Safe writes from the command line (issue 11, item 3), as a user meets them: `sim run --out`,
`sim report --output`, `sim compare --html`, and a full stdout."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from tests.report import fixtures

ROOT = Path(__file__).resolve().parents[2]
BASELINE = str(ROOT / "scenarios" / "baseline.yaml")


def sim(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    out, err = capsys.readouterr()
    return info.value.code, out, err


def _one_line(code: int, err: str, *needles: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _device(tmp_path: Path) -> Path:
    """Like /dev/null (a character device when we are root, as in the issue), else a FIFO."""
    path = tmp_path / "null"
    if os.geteuid() == 0:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        os.mkfifo(path)
    return path


def test_report_output_to_a_device_leaves_the_device(capsys, tmp_path: Path) -> None:
    run_dir = fixtures.make_run_dir(tmp_path / "run")
    device = _device(tmp_path)
    inode = os.lstat(device).st_ino
    code, out, err = sim(capsys, "report", str(run_dir), "--output", str(device))
    _one_line(code, err, "--output", "not a regular file")
    assert not stat.S_ISREG(os.lstat(device).st_mode) and os.lstat(device).st_ino == inode
    assert not (run_dir / "report.html").exists()


def test_compare_html_to_a_device_is_refused_before_running(capsys, tmp_path: Path) -> None:
    device = _device(tmp_path)
    code, out, err = sim(capsys, "compare", BASELINE, "-r", "1", "--html", str(device))
    _one_line(code, err, "--html", "not a regular file")
    assert out == "" and not stat.S_ISREG(os.lstat(device).st_mode)


@pytest.mark.parametrize("option", ["--html", "--output"])
def test_an_empty_target_is_refused(capsys, tmp_path: Path, option: str) -> None:
    run_dir = fixtures.make_run_dir(tmp_path / "run")
    argv = (["compare", BASELINE, "-r", "1"] if option == "--html" else ["report", str(run_dir)])
    code, out, err = sim(capsys, *argv, option, "")
    _one_line(code, err, option, "empty path")


def test_compare_html_unwritable_after_its_runs_is_one_line(capsys) -> None:
    code, out, err = sim(capsys, "compare", BASELINE, "-r", "1", "--html", "/proc/cmp.html")
    _one_line(code, err, "--html", "cannot write /proc/cmp.html")


def test_report_into_an_unwritable_place_is_one_line(capsys, tmp_path: Path) -> None:
    run_dir = fixtures.make_run_dir(tmp_path / "run")
    code, out, err = sim(capsys, "report", str(run_dir), "--output", "/proc/report.html")
    _one_line(code, err, "--output", "cannot write /proc/report.html")


def test_run_out_empty_writes_nothing(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = sim(capsys, "run", BASELINE, "--out", "")
    _one_line(code, err, "--out", "empty path")
    assert list(tmp_path.iterdir()) == []


def test_run_out_over_another_run_needs_force(capsys, tmp_path: Path) -> None:
    out_dir = tmp_path / "run"
    assert sim(capsys, "run", BASELINE, "--seed", "1", "--out", str(out_dir), "--json")[0] == 0
    first = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    # the same run again rewrites it quietly
    assert sim(capsys, "run", BASELINE, "--seed", "1", "--out", str(out_dir), "--json")[0] == 0
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == first
    # a different run is refused, before running, and the folder is as it was
    code, out, err = sim(capsys, "run", BASELINE, "--seed", "2", "--out", str(out_dir))
    _one_line(code, err, "--out", "already holds another run (baseline, seed 1)", "--force")
    assert out == "" and {p.name: p.read_bytes() for p in out_dir.iterdir()} == first
    code, out, err = sim(capsys, "run", BASELINE, "--seed", "2", "--out", str(out_dir), "--force",
                         "--json")
    assert code == 0
    assert json.loads((out_dir / "manifest.json").read_text())["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no hidden leftovers


def test_run_out_into_a_folder_of_other_files_is_refused(capsys, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, out, err = sim(capsys, "run", BASELINE, "--out", str(tmp_path), "--force")
    _one_line(code, err, "--out", "holds other files (notes.txt)")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


KILLED_WRITE = """
import os, signal, sys
from sim import safewrite
real = safewrite.os.fsync
def fsync(fd):
    real(fd)
    if fd and sys.argv[2] in os.readlink(f"/proc/self/fd/{fd}"):
        os.kill(os.getpid(), signal.SIGKILL)  # killed in the middle of writing the run
safewrite.os.fsync = fsync
from sim.cli import main
main(["run", sys.argv[1], "--seed", "2", "--out", sys.argv[3], "--force", "--json"])
"""


def test_a_run_killed_while_writing_leaves_the_old_run_and_no_leftovers(tmp_path: Path) -> None:
    out_dir = tmp_path / "run"
    subprocess.run([sys.executable, "-m", "sim", "run", BASELINE, "--seed", "1", "--out",
                    str(out_dir), "--json"], cwd=ROOT, check=True, capture_output=True)
    first = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITE, BASELINE, "summary.json",
                             str(out_dir)], cwd=ROOT, capture_output=True)
    assert killed.returncode == -9
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == first
    assert len(list(tmp_path.iterdir())) == 2  # the run and the killed write's hidden folder
    subprocess.run([sys.executable, "-m", "sim", "run", BASELINE, "--seed", "3", "--out",
                    str(out_dir), "--json", "--force"], cwd=ROOT, check=True, capture_output=True)
    assert json.loads((out_dir / "manifest.json").read_text())["seed"] == 3
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # the next write cleaned up


@pytest.mark.parametrize("argv", [["run", BASELINE], ["run", BASELINE, "--json"], ["--help"]])
def test_a_full_stdout_is_one_line_not_a_traceback(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "sim", *argv], cwd=ROOT, stdout=full,
                              stderr=subprocess.PIPE, text=True)
    _one_line(proc.returncode, proc.stderr, "<stdout>", "No space left on device")


def test_sensitivity_into_a_directory_in_the_way_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "sob"
    swept = subprocess.run([sys.executable, "-m", "sim", "sweep", BASELINE, "--sample", "sobol",
                            "--n", "2", "--set", "vote_noise=0.05:0.1", "--set",
                            "swing_noise=0.05:0.1", "--out", str(out)], cwd=ROOT,
                           capture_output=True, text=True)
    assert swept.returncode == 0, swept.stderr
    (out / "sensitivity.json").mkdir()
    proc = subprocess.run([sys.executable, "-W", "ignore", "-m", "sim", "sensitivity", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    _one_line(proc.returncode, proc.stderr, "DIR", "sensitivity.json is a directory")
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
