"""`sim calibrate`: the model beside Iraq's record, in one table (or `--json`)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from sim.calibrate import calibrate, check_replications
from sim.cli import cli
from sim.errors import InputError

if TYPE_CHECKING:
    from rich.progress import TaskID

T = TypeVar("T")

_WHOLE = re.compile(r"[+-]?\d+")
VERDICT_STYLE = {"in range": "green", "partly": "yellow", "out of range": "red",
                 "no data": "dim"}


def _whole(option: str, text: str) -> int:
    if not _WHOLE.fullmatch(text.strip()):
        raise InputError.cli(option, f"must be a whole number, not {text!r}")
    return int(text)


@cli.command("calibrate")
@click.option("--replications", "-r", "replications", default="20", metavar="R",
              help="Runs of each scenario (default 20).")
@click.option("--seed", default="0", metavar="N", help="First seed; runs use N .. N+R-1.")
@click.option("--scenario", "what_ifs", multiple=True, metavar="SCENARIO",
              help="Also set this what-if (a name in scenarios/ or a path) beside history.")
@click.option("--json", "as_json", is_flag=True, help="Print the typed result as JSON only.")
def calibrate_command(replications: str, seed: str, what_ifs: tuple[str, ...],
                      as_json: bool) -> None:
    """The model against history (FACTS.md): formation time, a sitting PM's list, who
    becomes PM, and a hindcast from the October 2021 results."""
    r = check_replications(_whole("--replications", replications))
    first = _whole("--seed", seed)
    if first < 0:
        raise InputError.cli("--seed", f"must be a non-negative integer, not {first}")
    result = _with_progress(lambda progress: calibrate(replications=r, seed=first,
                                                       progress=progress,
                                                       what_ifs=what_ifs), r)
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    _print_table(result)


def _with_progress(work: Callable[[Callable[[str, int], None] | None], T], r: int) -> T:
    """A progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean)."""
    if not sys.stderr.isatty():
        return work(None)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(scenario: str, done: int) -> None:
            if scenario not in tasks:
                tasks[scenario] = bar.add_task(scenario, total=r)
            bar.update(tasks[scenario], completed=done)

        return work(progress)


def _print_table(result: object) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from sim.calibrate import Calibration

    assert isinstance(result, Calibration)
    lo, hi = round(50 * (1 - result.interval)), round(50 * (1 + result.interval))
    seeds = result.seeds
    title = (f"Calibration: history beside the model ({result.replications} runs each, "
             f"seeds {seeds[0]}-{seeds[-1]}; 'inside' = within the model's {lo}-{hi}% range)")
    table = Table(expand=True, title=title)
    table.add_column("Quantity", ratio=2)
    table.add_column("History", ratio=2)
    table.add_column("Model", ratio=3)
    table.add_column("Verdict", ratio=2)
    for row in result.rows:
        style = VERDICT_STYLE.get(row.verdict, "")
        verdict = f"{row.verdict}\n{row.detail}" if row.detail else row.verdict
        # Text, not markup: a scenario's name in brackets must print as written
        table.add_row(Text(row.quantity), Text(row.history), Text(row.model),
                      Text(verdict, style=style))
    console = Console()
    console.print(table)
    b = result.baseline
    parties = ", ".join(f"{p} {n}" for p, n in b.sitting_pm_party.items())
    pms = ", ".join(f"{p} {n}" for p, n in result.hindcast.prime_minister.items())
    after = result.hindcast.prime_minister_after_withdrawal
    if after:
        pms += (f"; of the {sum(after.values())} runs with a Sadrist withdrawal and a "
                "government: " + ", ".join(f"{p} {n}" for p, n in after.items()))
    notes = [f"Baseline '{b.scenario}' followed to day {b.horizon_days}; sitting PM's party "
             f"at the 2025 election: {parties}.",
             f"Hindcast '{result.hindcast.scenario}' ({result.hindcast.horizon_days} days from "
             f"10 Oct 2021); prime minister at the end: {pms}."]
    for note in notes:
        console.print(note, markup=False, highlight=False)
