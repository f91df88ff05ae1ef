"""`sim run` and `sim validate` end to end, in a real subprocess run from the repository root.

Good input: a readable timeline and outcome, JSON only with `--json`, exactly three files with
`--out`, byte-identical logs for one seed.  Bad input: exit 2, one `PATH:LINE:COL: field:
message` line per problem on stderr, no traceback, and nothing written.

Starting Python costs about a second, so every command is started once, all together (a few at a
time), by the module's `results` fixture; the tests then read its outcome by name.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SADR = "scenarios/sadr_returns.yaml"
COMPOUND = "scenarios/law_change_then_sadr_returns.yaml"
OUT = "{out}"  # replaced by the case's own (not yet existing) output folder
PROBLEM = re.compile(r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<field>[^\s:][^:]*): "
                     r"(?P<message>\S.*)$")
SUMMARY_KEYS = {"scenario", "seed", "parameters", "start_date", "end_day", "end_date", "seats",
                "seats_initial", "prime_minister", "government", "ministries", "influence",
                "casualties", "elections", "election_law", "events"}


def sim(*args: str, hash_seed: str = "0") -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = os.environ | {"PYTHONPATH": path, "COLUMNS": "160", "PYTHONHASHSEED": hash_seed}
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


# name -> (arguments, PYTHONHASHSEED)
GOOD = {
    "timeline": (["run", SADR, "--seed", "3"], "0"),
    # "out" and "out_again": the same seed under different hash seeds, so the log must not
    # follow the order of any set or dict of names
    "out": (["run", SADR, "--seed", "3", "--out", OUT, "--json"], "1"),
    "out_again": (["run", SADR, "--seed", "3", "--out", OUT, "--json"], "2"),
    "compound": (["run", COMPOUND, "--seed", "0", "--out", OUT], "1"),
    "compound_again": (["run", COMPOUND, "--seed", "0", "--out", OUT], "2"),
    "until_date": (["run", SADR, "--seed", "3", "--until", "2025-01-01", "--set",
                    "sadr_return_day=60", "--json"], "0"),
    "until_day": (["run", SADR, "--seed", "3", "--until", "100", "--json"], "0"),
    "validate": (["validate", *sorted(f"scenarios/{p.name}"
                                      for p in (ROOT / "scenarios").glob("*.yaml"))], "0"),
}
BAD = {  # name -> (extra `sim run` arguments, the field the one-line problem names)
    "negative seed": (["--seed", "-1"], "--seed"),
    "word seed": (["--seed", "abc"], "--seed"),
    "until date after the window": (["--until", "2031-01-01"], "--until"),
    "until garbage": (["--until", "next tuesday"], "--until"),
    "unknown parameter": (["--set", "no_such_knob=1"], "parameters.no_such_knob"),
    "set without =": (["--set", "x"], "--set"),
}
# More bad values, through the same `sim.cli.main` in this process (no interpreter start-up).
BAD_IN_PROCESS = {
    "seed too big": (["--seed", str(2**63)], "--seed"),
    "seed float": (["--seed", "1.5"], "--seed"),
    "until date before the start": (["--until", "2024-05-31"], "--until"),
    "until day beyond the horizon": (["--until", "1101"], "--until"),
    "until day zero": (["--until", "0"], "--until"),
    "until nan": (["--until", "nan"], "--until"),
    "set not a number": (["--set", "sadr_restraint=high"], "--set"),
    "set without a name": (["--set", "=3"], "--set"),
    "set infinite": (["--set", "sadr_restraint=inf"], "parameters.sadr_restraint"),
    "set above its range": (["--set", "sadr_restraint=5"], "parameters.sadr_restraint"),
    "set below its range": (["--set", "sadr_return_day=-50"], "parameters.sadr_return_day"),
    "unknown option": (["--colour", "red"], "sim run"),
}
MISSING = (["run", "scenarios/no_such_scenario.yaml", "--seed", "1", "--out", OUT], "0")


@dataclass
class Outcome:
    result: subprocess.CompletedProcess[str]
    folder: Path  # the case's own folder; OUT is folder / "out"

    @property
    def out(self) -> Path:
        return self.folder / "out"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    base = tmp_path_factory.mktemp("run_cli")
    cases = dict(GOOD)
    cases |= {f"bad:{n}": (["run", SADR, *args, "--out", OUT], "0")
              for n, (args, _) in BAD.items()}
    cases["missing"] = MISSING
    folders = {}
    for i, name in enumerate(cases):
        folders[name] = base / f"case{i}"
        folders[name].mkdir()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            name: pool.submit(sim, *[a.replace(OUT, str(folders[name] / "out")) for a in args],
                              hash_seed=hash_seed)
            for name, (args, hash_seed) in cases.items()}
        return {name: Outcome(f.result(), folders[name]) for name, f in futures.items()}


def assert_input_error(result: subprocess.CompletedProcess[str], field: str) -> None:
    """Exit 2, only located one-line problems on stderr, nothing on stdout, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines, "no error message"
    for line in lines:
        assert PROBLEM.match(line), f"not PATH:LINE:COL: field: message: {line!r}"
    assert any(PROBLEM.match(line)["field"] == field for line in lines), (field, lines)


def ok(outcome: Outcome) -> subprocess.CompletedProcess[str]:
    assert outcome.result.returncode == 0, outcome.result.stderr
    assert "Traceback" not in outcome.result.stderr
    return outcome.result


# --- good input -------------------------------------------------------------------------

def test_run_prints_a_timeline_and_the_outcome(results: dict[str, Outcome]) -> None:
    out = ok(results["timeline"]).stdout
    assert "Prime minister" in out
    assert "sadr_returns" in out and "seed 3" in out
    assert "Outcome" in out
    assert re.search(r"^\s*2024-\d\d-\d\d\b", out, re.M), "no dated timeline rows"
    assert "ends the boycott" in out  # the scenario's own event is in the story
    assert not results["timeline"].out.exists()


def test_json_prints_only_the_summary(results: dict[str, Outcome]) -> None:
    stdout = ok(results["out"]).stdout
    data = json.loads(stdout)  # the whole of stdout is one JSON document
    assert SUMMARY_KEYS <= set(data)
    assert data["seed"] == 3 and data["scenario"] == "sadr_returns"
    assert sum(data["seats"].values()) == 329
    assert stdout.count("\n") == 1
    with pytest.raises(json.JSONDecodeError):  # without --json the output is for people
        json.loads(ok(results["timeline"]).stdout)


def test_out_writes_exactly_the_three_files(results: dict[str, Outcome]) -> None:
    outcome = results["out"]
    stdout = ok(outcome).stdout
    out = outcome.out
    assert sorted(p.name for p in out.iterdir()) == ["events.jsonl", "manifest.json",
                                                     "summary.json"]
    assert [p.name for p in outcome.folder.iterdir()] == ["out"]  # no temporary leftovers
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"scenario_hash", "seed", "package_version"} <= set(manifest)
    assert manifest["seed"] == 3
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["scenario_hash"])
    assert manifest["package_version"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary == json.loads(stdout)
    lines = (out / "events.jsonl").read_text().splitlines()
    assert len(lines) == summary["events"]
    first = json.loads(lines[0])
    assert first["id"] == 0 and first["cause"] is None and first["kind"] == "run_started"
    assert list(first) == sorted(first)
    assert all(json.loads(line)["id"] == i for i, line in enumerate(lines))


@pytest.mark.parametrize("name", ["out", "compound"])
def test_same_seed_gives_byte_identical_files(results: dict[str, Outcome], name: str) -> None:
    a, b = results[name], results[f"{name}_again"]
    assert ok(a).stdout.replace(str(a.out), "OUT") == ok(b).stdout.replace(str(b.out), "OUT")
    events = (a.out / "events.jsonl").read_bytes()
    assert events and events == (b.out / "events.jsonl").read_bytes()
    for file in ("summary.json", "manifest.json"):
        assert (a.out / file).read_bytes() == (b.out / file).read_bytes(), file


@pytest.mark.parametrize(("name", "day"), [("until_date", 214.0), ("until_day", 100.0)])
def test_until_stops_early(results: dict[str, Outcome], name: str, day: float) -> None:
    data = json.loads(ok(results[name]).stdout)
    full = json.loads(ok(results["out"]).stdout)
    assert data["end_day"] <= day < full["end_day"]
    assert data["elections"] == [] and full["elections"] != []
    assert data["events"] < full["events"]
    if name == "until_date":
        assert data["end_date"] <= "2025-01-01"
        assert data["parameters"]["sadr_return_day"] == 60.0  # --set took effect
        assert "sadrists" not in data["boycotting"]
    else:
        assert data["parameters"]["sadr_return_day"] == 120.0  # the declared default
        assert "sadrists" in data["boycotting"]


def test_validate_accepts_every_shipped_scenario(results: dict[str, Outcome]) -> None:
    result = ok(results["validate"])
    n = len(GOOD["validate"][0]) - 1
    assert n >= 5
    assert f"{n} scenario(s) valid" in result.stderr


# --- bad input --------------------------------------------------------------------------

@pytest.mark.parametrize("name", BAD)
def test_bad_option_is_one_located_line_and_writes_nothing(results: dict[str, Outcome],
                                                          name: str) -> None:
    outcome = results[f"bad:{name}"]
    assert_input_error(outcome.result, BAD[name][1])
    assert not outcome.out.exists()
    assert list(outcome.folder.iterdir()) == []  # no half-written temporary folder either


def test_missing_scenario_file_is_located_at_the_path(results: dict[str, Outcome]) -> None:
    outcome = results["missing"]
    assert_input_error(outcome.result, "<root>")
    assert outcome.result.stderr.startswith("scenarios/no_such_scenario.yaml:1:1: ")
    assert "not found" in outcome.result.stderr
    assert not outcome.out.exists()
    assert list(outcome.folder.iterdir()) == []


# --- the same contract in-process, for the cheaper cases -----------------------------------

def cli_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from sim.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.mark.parametrize("name", BAD_IN_PROCESS)
def test_bad_option_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               name: str) -> None:
    args, field = BAD_IN_PROCESS[name]
    out = tmp_path / "out"
    code, stdout, stderr = cli_main(["run", str(ROOT / SADR), *args, "--out", str(out)],
                                    capsys)
    assert_input_error(subprocess.CompletedProcess([], code, stdout, stderr), field)
    assert list(tmp_path.iterdir()) == []


def test_validate_reports_a_broken_scenario_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: broken\nhorizon_days: -3\n")
    code, stdout, stderr = cli_main(["validate", str(ROOT / SADR), str(broken)], capsys)
    assert_input_error(subprocess.CompletedProcess([], code, stdout, stderr), "horizon_days")
    assert len(stderr.splitlines()) == 1  # the good file adds nothing
    problem = PROBLEM.match(stderr.splitlines()[0])
    assert problem["path"] == str(broken) and problem["line"] == "2"
