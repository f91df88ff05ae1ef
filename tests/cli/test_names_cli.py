"""Names are data, never markup or control codes (issue 11, item 4).

A scenario anyone can write names an actor, a note and a description with a terminal escape that
retitles the window and clears the screen, a rich hyperlink tag and a stray closing tag.  Every
command that prints them shows them as text: no escape sequence reaches the terminal, no tag
becomes markup or crashes rich.  Rich is forced to behave as on a colour terminal
(FORCE_COLOR), where a parsed ``[link=...]`` would become an OSC 8 hyperlink.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVIL = "\x1b]0;pwned\x07\x1b[2J[link=file:///etc/passwd]Badr[/link] [/bold]"
NOTE = "[/bold] \x1b[31mred\x9b2J " + EVIL


def _scenario(folder: Path) -> Path:
    path = folder / "hostile.yaml"
    path.write_text(
        "name: hostile\n"
        f"extends: {json.dumps(str(ROOT / 'scenarios' / 'sadr_returns.yaml'))}\n"
        f"description: {json.dumps(EVIL)}\n"
        f"world: {{actors: {{badr: {{name: {json.dumps(EVIL)}}}}}}}\n"
        "events:\n"
        f"  - day: 20\n    do: {{kind: mobilise, actor: badr, strength: 0.5, name: evil_rally,"
        f" note: {json.dumps(NOTE)}}}\n", encoding="utf-8")
    return path


def _sim(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "160", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "sim", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def _safe(output: str) -> None:
    assert "\x1b]" not in output  # no OSC: window title, hyperlink
    assert "\x07" not in output and "\x9b" not in output
    assert "\x1b[2J" not in output and "\x1b[31mred" not in output  # the scenario's own codes
    assert "Traceback" not in output and "MarkupError" not in output


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("names")
    _scenario(folder)
    return folder


def test_run_prints_names_as_text(folder: Path) -> None:
    proc = _sim("run", "hostile.yaml", "--seed", "1", "--out", "run", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    _safe(proc.stdout + proc.stderr)
    assert "[link=file:///etc/passwd]Badr[/link] [/bold]" in proc.stdout  # shown, not obeyed


def test_compare_prints_names_as_text(folder: Path) -> None:
    proc = _sim("compare", "hostile.yaml", str(ROOT / "scenarios" / "baseline.yaml"), "-r", "1",
                cwd=folder)
    assert proc.returncode == 0, proc.stderr
    _safe(proc.stdout + proc.stderr)
    assert "[link=file:///etc/passwd]Badr" in proc.stdout


def test_explain_prints_event_texts_as_text(folder: Path) -> None:
    if not (folder / "run").exists():
        assert _sim("run", "hostile.yaml", "--seed", "1", "--out", "run",
                    cwd=folder).returncode == 0
    events = [json.loads(line) for line in (folder / "run" / "events.jsonl").open()]
    evil = next(e["id"] for e in events if e.get("actor") == "badr" and "[/bold]" in e["text"])
    proc = _sim("explain", "run", str(evil), cwd=folder)
    assert proc.returncode == 0, proc.stderr
    _safe(proc.stdout + proc.stderr)
    assert "[/bold]" in proc.stdout


def test_validate_messages_carry_no_control_codes(folder: Path) -> None:
    bad = folder / "bad.yaml"
    bad.write_text("name: bad\nextends: baseline\nevents:\n"
                   f"  - day: 5\n    do: {{kind: mobilise, actor: {json.dumps(EVIL)}, "
                   "strength: 0.5}\n", encoding="utf-8")
    (folder / "baseline.yaml").write_text((ROOT / "scenarios" / "baseline.yaml").read_text())
    proc = _sim("validate", "bad.yaml", cwd=folder)
    assert proc.returncode == 2
    _safe(proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1


def test_the_report_draws_a_name_that_looks_like_tex(tmp_path: Path) -> None:
    name = "Badr $\\frac{$ \x1b[2J"
    (tmp_path / "tex.yaml").write_text(
        "name: tex\n"
        f"extends: {json.dumps(str(ROOT / 'scenarios' / 'sadr_returns.yaml'))}\n"
        f"world: {{actors: {{badr: {{name: {json.dumps(name)}}}}}}}\n", encoding="utf-8")
    assert _sim("run", "tex.yaml", "--seed", "1", "--out", "run", cwd=tmp_path).returncode == 0
    proc = _sim("report", "run", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no traceback, no missing-glyph warning
    page = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert "Badr $\\frac{$" in page  # shown as written (Jinja escapes the HTML)
