"""`sim allocate`: the real command line (subprocess) for exit codes and stderr, and click's
runner for the quicker output checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import sim.cli.allocate  # noqa: F401  (registers the command on the group)
from sim.cli import cli

ROOT = Path(__file__).resolve().parents[2]
TEXTBOOK = ["A=100000", "B=80000", "C=30000", "D=20000"]


def run_sim(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m sim allocate ...` from the repository root, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "sim", "allocate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def invoke(*args: str):
    return CliRunner().invoke(cli, ["allocate", *args], catch_exceptions=False)


# --------------------------------------------------------------------------------------------
# The real CLI
# --------------------------------------------------------------------------------------------


def test_subprocess_json_dhondt() -> None:
    done = run_sim("--method", "dhondt", "--seats", "8", *TEXTBOOK, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"seats": {"A": 4, "B": 3, "C": 1, "D": 0}}


def test_subprocess_table() -> None:
    done = run_sim("--method", "sainte-lague", "--first-divisor", "1.7", "--seats", "8", *TEXTBOOK)
    assert done.returncode == 0, done.stderr
    for header in ("party", "votes", "vote %", "seats", "seat %"):
        assert header in done.stdout
    assert "100,000" in done.stdout and "43.5%" in done.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--method", "dhondt", "--seats", "3", "A=-5", "B=4"], "NAME=VOTES"),
        (["--method", "dhondt", "--seats", "3", "A=1.5", "B=4"], "NAME=VOTES"),
        (["--method", "dhondt", "--seats", "3", "A=lots"], "NAME=VOTES"),
        (["--method", "dhondt", "--seats", "3", "A"], "NAME=VOTES"),
        (["--method", "dhondt", "--seats", "3", "=5"], "NAME=VOTES"),
        (["--method", "dhondt", "--seats", "3", "A=1", "A=2"], "NAME=VOTES"),
        (["--method", "dhondt", "--seats", "3", "A=0", "B=0"], "NAME=VOTES"),
        (["--method", "dhondt", "--seats", "3"], "NAME=VOTES"),
        (["--method", "dhondt", "--seats", "0", "A=1"], "--seats"),
        (["--method", "dhondt", "--seats", "-3", "A=1"], "--seats"),
        (["--method", "dhondt", "--seats", "2.5", "A=1"], "--seats"),
        (["--method", "dhondt", "--seats", "10001", "A=1"], "--seats"),
        (["--method", "dhondt", "A=1"], "--seats"),
        (["--method", "hare", "--seats", "3", "--first-divisor", "1.7", "A=1"], "--first-divisor"),
        (["--method", "sainte-lague", "--seats", "3", "--first-divisor", "0", "A=1"],
         "--first-divisor"),
        (["--method", "sainte-lague", "--seats", "3", "--first-divisor", "x", "A=1"],
         "--first-divisor"),
        (["--method", "borda", "--seats", "3", "A=1"], "--method"),
        (["--seats", "3", "A=1"], "--method"),
        (["--method", "sntv", "--seats", "1", "A=5"], "PARTY/CANDIDATE=VOTES"),
        (["--method", "sntv", "--seats", "1", "A/=5"], "PARTY/CANDIDATE=VOTES"),
        (["--method", "sntv", "--seats", "1", "A/x=5", "A/x=6"], "PARTY/CANDIDATE=VOTES"),
        (["--method", "sntv", "--seats", "3", "A/x=5", "B/y=6"], "--seats"),
    ],
)  # fmt: skip
def test_subprocess_bad_input_one_line_exit_2(args: list[str], field: str) -> None:
    done = run_sim(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"<command line>:1:1: {field}: ")
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_subprocess_sntv_json() -> None:
    done = run_sim(
        "--method", "sntv", "--seats", "3", "--json",
        "A/a1=18334", "A/a2=18333", "A/a3=18333", "B/b1=22500", "B/b2=22500",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "seats": {"A": 1, "B": 2},
        "elected": [["B", "b1"], ["B", "b2"], ["A", "a1"]],
    }


# --------------------------------------------------------------------------------------------
# Output, through click's runner
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "extra", "expected"),
    [
        ("dhondt", [], {"A": 4, "B": 3, "C": 1, "D": 0}),
        ("sainte-lague", [], {"A": 3, "B": 3, "C": 1, "D": 1}),
        ("sainte-lague", ["--first-divisor", "1.7"], {"A": 4, "B": 3, "C": 1, "D": 0}),
        ("sainte-lague", ["--first-divisor", "17/10"], {"A": 4, "B": 3, "C": 1, "D": 0}),
        ("hare", [], {"A": 3, "B": 3, "C": 1, "D": 1}),
    ],
)
def test_json_is_exactly_seats(method: str, extra: list[str], expected: dict) -> None:
    result = invoke("--method", method, "--seats", "8", *extra, *TEXTBOOK, "--json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"seats": expected}
    assert list(json.loads(result.output)["seats"]) == ["A", "B", "C", "D"]  # input order


def test_zero_vote_party_listed() -> None:
    result = invoke("--method", "hare", "--seats", "2", "big=10", "none=0", "--json")
    assert json.loads(result.output) == {"seats": {"big": 2, "none": 0}}


def test_sntv_table_lists_elected() -> None:
    result = invoke("--method", "sntv", "--seats", "2", "A/x=10", "A/y=9", "B/z=5")
    assert result.exit_code == 0
    assert "elected, in order: A/x, A/y" in result.output
    assert "19" in result.output  # party A's summed vote


def test_names_may_contain_equals_and_spaces() -> None:
    result = invoke("--method", "dhondt", "--seats", "1", "State of Law=5", "x=y=3", "--json")
    assert json.loads(result.output) == {"seats": {"State of Law": 1, "x=y": 0}}


# --------------------------------------------------------------------------------------------
# Several methods, --explain, bounds and escaping
# --------------------------------------------------------------------------------------------


def test_several_methods_side_by_side_json() -> None:
    result = invoke("--method", "dhondt,sainte-lague", "--method", "sainte-lague:1.7",
                    "--seats", "8", *TEXTBOOK, "--json")
    methods = json.loads(result.output)["methods"]
    assert list(methods) == ["dhondt", "sainte-lague", "sainte-lague 1.7"]
    assert methods["sainte-lague"]["seats"]["D"] == 1
    assert methods["sainte-lague 1.7"]["seats"]["D"] == 0


def test_explain_prints_the_winning_quotients_and_the_tie() -> None:
    result = invoke("--method", "sainte-lague", "--seats", "8", *TEXTBOOK, "--explain")
    assert "100,000 (#1)" in result.output
    assert "A wins it by more votes" in result.output


def test_sntv_candidate_votes_compare_with_list_methods() -> None:
    result = invoke("--method", "sntv,dhondt", "--seats", "2", "A/x=3", "A/y=4", "B/z=5",
                    "--json")
    methods = json.loads(result.output)["methods"]
    assert methods["dhondt"]["seats"] == {"A": 1, "B": 1}
    assert methods["sntv"]["elected"] == [["B", "z"], ["A", "y"]]


@pytest.mark.parametrize(
    "args,field",
    [
        (["--method", "sainte-lague", "--first-divisor", "1e999999999", "--seats", "3", "A=1"],
         "--first-divisor"),
        (["--method", "sainte-lague:1e999999999", "--seats", "3", "A=1"], "--method"),
        (["--method", "sainte-lague", "--first-divisor", "1000", "--seats", "3", "A=1"],
         "--first-divisor"),
        (["--method", "dhondt:2", "--seats", "3", "A=1"], "--method"),
        (["--method", "dhondt,dhondt", "--seats", "3", "A=1"], "--method"),
        (["--method", "dhondt", "--seats", "3", "A=" + "9" * 5000], "NAME=VOTES"),
        (["--method", "dhondt", "--seats", "9" * 5000, "A=1"], "--seats"),
        (["--method", "dhondt", "--seats", "600", "A=1", "--explain"], "--explain"),
    ],
)
def test_unbounded_values_are_refused_at_once(args: list[str], field: str) -> None:
    done = run_sim(*args)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"<command line>:1:1: {field}: ")


def test_names_are_printed_as_text_never_markup_or_control_codes() -> None:
    done = run_sim("--method", "dhondt", "--seats", "2", "[/bold]=1", "\x1b]0;x\x07=5",
                   "[link=file:///etc/passwd]L=3", "--explain")
    assert done.returncode == 0, done.stderr
    assert "[/bold]" in done.stdout and "[link=file:///etc/passwd]L" in done.stdout
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "\\x1b]0;x\\x07" in done.stdout
