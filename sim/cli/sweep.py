"""`sim sweep` and `sim sensitivity`: many seeded runs, and what drives their outcomes.

Thin over `sim.sweep`: options are parsed and checked (all before the output folder is
touched), a rich progress bar goes to stderr when it is a terminal, and the end of a sweep
prints outcome distributions per parameter point.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from sim.cli import cli

MAX_POINTS_SHOWN = 20


def _stdout_console() -> Any:
    """Tables on stdout; piped output gets a wide page rather than rich's 80 columns."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=200)


def _progress_bar(console: Any) -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:,.1f} runs/s", style="cyan")

    return Progress(
        TextColumn("[bold]sweep"), BarColumn(), MofNCompleteColumn(), RateColumn(),
        TimeElapsedColumn(), TextColumn("•"), TimeRemainingColumn(), TextColumn("left"),
        console=console, disable=not console.is_terminal, transient=False,
    )


class _PlainProgress:
    """Progress as plain lines (every `every` seconds) when stderr is not a terminal: logs
    of batch jobs get a readable trace instead of nothing or a flood of control codes."""

    def __init__(self, every: float = 5.0):
        import time

        self.every = every
        self.clock = time.monotonic
        self.start = self.clock()
        self.last = self.start
        self.first: int | None = None

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if self.first is None:
            self.first = done
        if done < total and now - self.last < self.every:
            return
        if done == self.first and done < total:
            return
        self.last = now
        rate = (done - self.first) / max(now - self.start, 1e-9)
        left = f", about {(total - done) / rate:.0f} s left" if rate > 0 and done < total else ""
        print(f"sweep: {done:,}/{total:,} runs ({done / max(total, 1):.0%}), "
              f"{rate:,.1f} runs/s{left}", file=sys.stderr, flush=True)


def _print_points(results: Path, swept: list[str], console: Any) -> None:
    from rich.table import Table

    from sim.sweep.aggregate import point_table
    from sim.teaching.text import markup, rich_text

    table = point_table(results, swept)
    shown = table.head(MAX_POINTS_SHOWN)
    out = Table(title="Outcomes per parameter point", title_justify="left")
    for col in shown.columns:
        out.add_column(rich_text(col), justify="left" if col == "prime_minister" else "right")
    for row in shown.itertuples(index=False):  # cells are data (ids, names): never markup
        out.add_row(*(rich_text(f"{v:.4g}" if isinstance(v, float) else v) for v in row))
    console.print(out)
    if len(table) > len(shown):
        console.print(f"... and {len(table) - len(shown)} more points (see {markup(results)})")


def _print_sensitivity(result: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    def fmt(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    morris = result.get("method") == "morris"
    title = ("Morris screening" if morris else "Sobol indices") + \
        f" ({result['conf_level']:.0%} confidence; * = not above replication noise)"
    out = Table(title=title, title_justify="left")
    cols = (("outcome", "noise", "parameter", "mu*", "± mu*", "sigma", "mu* norm") if morris
            else ("outcome", "noise", "parameter", "S1", "± S1", "ST", "± ST"))
    for col in cols:
        out.add_column(col, justify="left" if col in ("outcome", "parameter") else "right")
    for outcome, by_param in result["outcomes"].items():
        level = result.get("noise", {}).get(outcome, {}).get("noise_share")
        noise_text = "n/a" if level is None else f"{level:.0%}"
        for i, (param, s) in enumerate(by_param.items()):
            flag = "" if s.get("above_noise", True) else " *"
            if morris:
                values = (fmt(s["mu_star"]) + flag, fmt(s["mu_star_conf"]), fmt(s["sigma"]),
                          fmt(s["mu_star_norm"]))
            else:
                values = (fmt(s["S1"]), fmt(s["S1_conf"]), fmt(s["ST"]) + flag,
                          fmt(s["ST_conf"]))
            out.add_row(outcome if i == 0 else "", noise_text if i == 0 else "", param,
                        *values)
    console.print(out)
    console.print("noise: share of the outcome's variance within parameter points "
                  "(between replications)", markup=False)
    for outcome, by_pair in (result.get("second_order") or {}).items():
        shown = ", ".join(f"{pair}: {fmt(v['S2'])} ± {fmt(v['S2_conf'])}"
                          for pair, v in by_pair.items())
        console.print(f"S2 {outcome}: {shown}", markup=False)
    for warning in result.get("warnings", []):
        console.print(f"warning: {warning}", markup=False)
    if result["skipped"]:
        console.print(f"not analysed: {', '.join(sorted(result['skipped']))} "
                      "(constant or with failed runs)", markup=False)


@cli.command("sweep")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--set", "sets", multiple=True, metavar="NAME=SPEC",
              help="LOW:HIGH (sampled range), a,b,c (gridded list) or a value (fixed). "
                   "Repeat per parameter; without any, the scenario's declared ranges.")
@click.option("--outcome", "outcomes", multiple=True, metavar="NAME=EXPR",
              help="Add a true/false column NAME: EXPR in the scenario condition language "
                   "(e.g. 'in_government(sadrists) and casualties > 20'), evaluated on each "
                   "run's final state. Repeatable.")
@click.option("--sample", type=click.Choice(["grid", "lhs", "sobol", "morris"]),
              default="grid", show_default=True, help="How ranges are sampled.")
@click.option("--n", "n", type=int, default=None,
              help="Levels per range (grid, default 5), points (lhs, 100), base points "
                   "(sobol, a power of 2, default 64) or trajectories (morris, 10).")
@click.option("--replications", type=int, default=1, show_default=True,
              help="Seeded runs per parameter point.")
@click.option("--workers", type=int, default=1, show_default=True, help="Parallel workers.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default=None,
              help="local (in-process / process pool) or dask [default: local, or dask with "
                   "--scheduler].")
@click.option("--scheduler", default=None, metavar="ADDR",
              help="Existing dask scheduler, e.g. tcp://host:8786 (else a LocalCluster).")
@click.option("--seed", default="0", show_default=True,
              help="Root seed (0 .. 2**63-1); every run's seed is spawned from it.")
@click.option("--out", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Output folder: results.parquet, sweep.json.")
@click.option("--resume", is_flag=True, help="Finish the interrupted sweep recorded in DIR.")
@click.option("--analyse", is_flag=True,
              help="Print sensitivity indices after a sobol or morris sweep.")
@click.option("--second-order", is_flag=True,
              help="Sobol designs: also estimate second-order (pairwise) indices.")
@click.option("--crn", is_flag=True,
              help="Common random numbers: every point uses the same seed per replication.")
@click.option("--max-runs", type=int, default=100_000, show_default=True,
              help="Refuse designs of more runs than this.")
@click.option("--wait", "wait", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds to wait for workers of a dask --scheduler that has none.")
@click.option("--flush-seconds", type=click.FloatRange(min=0), default=5.0, hidden=True,
              help="Write finished runs to DIR/parts at least this often.")
@click.option("--halt-after-parts", type=click.IntRange(min=1), default=None, hidden=True,
              help="Crash-recovery tests: freeze (SIGSTOP) once this many parts are written.")
def sweep_command(
    scenario: str, sets: tuple[str, ...], outcomes: tuple[str, ...], sample: str,
    n: int | None, replications: int,
    workers: int, executor: str | None, scheduler: str | None, seed: str, out: str,
    resume: bool, analyse: bool, second_order: bool, crn: bool, max_runs: int, wait: float,
    flush_seconds: float, halt_after_parts: int | None,
) -> None:
    """Run SCENARIO many times over a parameter design; write DIR/results.parquet."""
    from rich.console import Console

    from sim.limits import check_seed
    from sim.safewrite import locked_folder
    from sim.sweep.driver import Sweep
    from sim.sweep.executors import make_executor
    from sim.sweep.spec import parse_sets

    root_seed = check_seed(seed)  # the same rule as run and compare
    parameters = parse_sets(sets) if sets else None
    if analyse and sample not in ("sobol", "morris"):
        from sim.errors import InputError

        raise InputError.cli("--analyse", "sensitivity indices need --sample sobol or morris")
    # One writer per output folder, for the whole sweep, taken before the folder is checked:
    # a second sweep or a --resume into it is refused (sim.safewrite.locked_folder).
    click.get_current_context().with_resource(locked_folder(out, "--out"))
    plan = Sweep(scenario, parameters, sample=sample, n=n, replications=replications,
                 seed=root_seed, out=out, resume=resume, max_runs=max_runs, crn=crn,
                 second_order=second_order, outcomes=outcomes or None)
    err = Console(stderr=True)
    ex = make_executor(executor, workers, scheduler, wait=wait,
                       notify=lambda text: print(text, file=sys.stderr, flush=True))
    with ex:  # connecting can fail on user input (a scheduler address): one line, exit 2
        left = plan.runs_left() if resume else plan.n_runs
        print(plan.estimate_text(ex.slots, plan.measure() if left else 0.0, left),
              file=sys.stderr, flush=True)
        if err.is_terminal:
            with _progress_bar(err) as bar:
                task = bar.add_task("sweep", total=plan.n_runs)
                results = plan.execute(ex, lambda done, total: bar.update(task, completed=done),
                                       flush_seconds=flush_seconds,
                                       halt_after_parts=halt_after_parts)
        else:
            results = plan.execute(ex, _PlainProgress(), flush_seconds=flush_seconds,
                                   halt_after_parts=halt_after_parts)
    if plan.lost_chunks:
        print(f"sweep: {plan.lost_chunks} chunk(s) lost with their worker were retried",
              file=sys.stderr)

    console = _stdout_console()
    _print_points(results, plan.design.sampled + _listed(plan), console)
    from sim.teaching.text import markup

    console.print(f"{plan.counts['runs']} runs, {plan.counts['failed']} failed -> "
                  f"{markup(results)}")
    if analyse:
        from sim.sweep.sensitivity import sensitivity

        _print_sensitivity(_save_sensitivity(out, sensitivity(out)), console)


def _listed(plan: Any) -> list[str]:
    from sim.sweep.spec import Choices

    return [k for k, s in plan.spec.parameters.items() if isinstance(s, Choices)]


def _save_sensitivity(directory: str, result: Any) -> Any:
    """Keep the indices beside the results (DIR/sensitivity.json) for `sim report`."""
    from sim import artifacts
    from sim.safewrite import write_file

    artifacts.Sensitivity.model_validate(result)
    # whole or not at all, only over a regular file; an OSError is one located line
    write_file(Path(directory) / "sensitivity.json",
               json.dumps(result, indent=2, sort_keys=True) + "\n", "DIR")
    return result


@cli.command("sensitivity")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the indices as JSON only.")
def sensitivity_command(directory: str, as_json: bool) -> None:
    """Sobol indices (S1, ST; S2 with --second-order sweeps) or Morris screening (mu*) of each
    numeric or true/false outcome of a `sim sweep --sample sobol|morris` DIR, beside the share
    of its variance that is replication noise."""
    from sim.sweep.sensitivity import sensitivity

    result = _save_sensitivity(directory, sensitivity(directory))
    if as_json:
        json.dump(result, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
        return
    _print_sensitivity(result, _stdout_console())


def _print_discovery(result: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    console.print(f"{result['where']}: {result['cases']} of {result['finished']} finished runs "
                  f"({result['share']:.0%})", markup=False)
    prim = result["prim"]
    verdict = "" if prim["meets_threshold"] else \
        f" (no box reaches density {prim['threshold']:.0%}: the densest is shown)"
    console.print(f"PRIM box: coverage {prim['coverage']:.0%}, density {prim['density']:.0%}, "
                  f"mass {prim['mass']:.0%}{verdict}", markup=False)
    box = Table()
    for col in ("parameter", "low", "high", "of range"):
        box.add_column(col, justify="left" if col == "parameter" else "right")
    for name, lim in prim["box"].items():
        box.add_row(name, f"{lim['low']:.4g}", f"{lim['high']:.4g}",
                    f"{lim['range'][0]:.4g} .. {lim['range'][1]:.4g}")
    if not prim["box"]:
        box.add_row("(no restriction)", "", "", "")
    console.print(box)
    traj = prim["trajectory"]
    picks = sorted({0, prim["chosen"], len(traj) - 1,
                    *range(0, len(traj), max(1, len(traj) // 6))})
    console.print("peeling trade-off (step: coverage / density / restricted dimensions): "
                  + "; ".join(f"{traj[i]['step']}: {traj[i]['coverage']:.0%} / "
                              f"{traj[i]['density']:.0%} / {traj[i]['restricted']}"
                              for i in picks), markup=False)
    cart = result["cart"]
    console.print(f"CART (depth {cart['max_depth']}, accuracy {cart['accuracy']:.0%}); "
                  "densest leaves:", markup=False)
    for leaf in cart["leaves"][:3]:
        console.print(f"  {leaf['density']:.0%} of {leaf['runs']} runs: "
                      f"{' and '.join(leaf['rules']) or 'all runs'}", markup=False)
    console.print("feature scores: " + ", ".join(f"{k} {v:.2f}"
                                                 for k, v in result["scores"].items()),
                  markup=False)


@cli.command("discover")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--where", "where", required=True, metavar="EXPR",
              help="The runs to explain, over result columns: e.g. 'caretaker', "
                   "'in_government.sadrists and casualties > 20'.")
@click.option("--threshold", type=float, default=0.8, show_default=True,
              help="PRIM: the density a box must reach.")
@click.option("--depth", type=click.IntRange(1, 8), default=3, show_default=True,
              help="CART: tree depth.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON only.")
def discover_command(directory: str, where: str, threshold: float, depth: int,
                     as_json: bool) -> None:
    """Scenario discovery on a sweep DIR: PRIM boxes, a CART tree and feature scores for the
    parameter values under which EXPR holds (also saved as DIR/discover.json)."""
    from sim.sweep.discover import discover

    result = discover(directory, where, threshold=threshold, max_depth=depth)
    if as_json:
        json.dump(result, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
        return
    _print_discovery(result, _stdout_console())
