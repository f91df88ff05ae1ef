"""`sim report`, `sim compare` and `sim explain`: runs and sweeps made readable.

Thin commands over `sim.report`.  Every check that can fail on user input (the folder, the
event, the scenarios, the --html target) happens before anything is written, and files are
written whole or not at all, so a mistake leaves the folder as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from sim.cli import cli


@cli.command("report")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--output", "-o", default=None,
              help="Write the page here instead of DIR/report.html.")
def report_command(directory: Path, output: str | None) -> None:
    """Write DIR/report.html for a run (sim run --out) or a sweep (sim sweep --out).

    One self-contained page: it opens offline in any browser.
    """
    from sim.report.html import write_report

    click.echo(str(write_report(directory, output)))


@cli.command("compare")
@click.argument("scenarios", metavar="SCENARIO...", nargs=-1, required=True)
@click.option("--replications", "-r", default="10", show_default=True,
              help="Runs per scenario (at most 10000).")
@click.option("--seed", default="0", show_default=True,
              help="Replication r of every scenario uses seed N + r.")
@click.option("--html", "html_path", default=None,
              help="Also write a self-contained HTML page of the comparison.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON only.")
def compare_command(scenarios: tuple[str, ...], replications: str, seed: str,
                    html_path: str | None, as_json: bool) -> None:
    """Run each SCENARIO R times and show the outcome distributions side by side."""
    from rich.console import Console

    from sim.limits import check_replications, check_seed
    from sim.report.compare import compare, comparison_html, render

    first = check_seed(seed)
    count = check_replications(replications, first_seed=first)
    if html_path is not None:
        from sim.safewrite import check_file_target

        check_file_target(html_path, "--html")
    err = Console(stderr=True)
    total = len(scenarios) * count
    done = [0]

    def progress(label: str, replication: int) -> None:
        done[0] += 1
        if err.is_terminal:
            err.print(f"\r{label}: run {replication + 1}/{count} "
                      f"({done[0]}/{total})", end="")

    comparison = compare(list(scenarios), replications=count, seed=first,
                         progress=progress)
    if err.is_terminal:
        err.print()
    if html_path is not None:
        from sim.report.html import write_atomically

        write_atomically(html_path, comparison_html(comparison), "--html")
    if as_json:
        click.echo(json.dumps(comparison.summary(), indent=2, sort_keys=True))
        return
    Console().print(render(comparison))
    if html_path is not None:
        click.echo(f"wrote {html_path}")


@cli.command("explain")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.argument("query", metavar="EVENT_ID|QUESTION", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the chain as JSON.")
def explain_command(directory: Path, query: tuple[str, ...], as_json: bool) -> None:
    """Why did an event happen?  Its cause chain, back to scheduled events and decisions.

    QUESTION may be an event id (42), an event kind (clash) or a question such as
    "why is sudani prime minister" or "why pm".
    """
    from sim.report.explain import explain, format_explanation
    from sim.report.load import load_run

    run = load_run(directory)
    answer = explain(run, " ".join(query))
    if as_json:
        click.echo(json.dumps(answer.as_dict(), indent=2, sort_keys=True))
    else:
        click.echo(format_explanation(answer, run))
