"""`sim run` and `sim validate`: the two commands a first-time user meets."""

from __future__ import annotations

import sys

import click

from sim.cli import cli
from sim.errors import InputError


@cli.command("validate")
@click.argument("paths", nargs=-1, required=True)
def validate(paths: tuple[str, ...]) -> None:
    """Check scenario files; one located line per problem, exit 2 if any."""
    from sim.api import load_scenario

    problems = []
    for path in paths:
        try:
            load_scenario(path)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    click.echo(f"{len(paths)} scenario(s) valid", err=True)


def _seed(value: str) -> int:
    from sim.limits import check_seed

    return check_seed(value)


def _seconds(value: str | None) -> float | None:
    from sim.limits import MAX_SECONDS

    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        raise InputError.cli("--max-seconds", f"not a number: {value!r}") from None
    if not 0 < seconds <= MAX_SECONDS:  # also refuses nan
        raise InputError.cli("--max-seconds", f"must be between 0 and {MAX_SECONDS:g} seconds")
    return seconds


def parse_sets(sets: tuple[str, ...]) -> dict[str, float]:
    """`--set NAME=VALUE` options as numbers; a name given twice is refused, not overwritten."""
    params: dict[str, float] = {}
    for item in sets:
        name, eq, value = item.partition("=")
        name = name.strip()
        if not eq or not name:
            raise InputError.cli("--set", f"expected NAME=VALUE, got {item!r}")
        if name in params:
            raise InputError.cli("--set", f"{name}: given twice")
        try:
            params[name] = float(value)
        except ValueError:
            raise InputError.cli("--set", f"{name}: not a number: {value!r}") from None
    return params


@cli.command("run")
@click.argument("scenario")
@click.option("--seed", default="0", help="Random seed (non-negative integer).")
@click.option("--until", default=None, help="Stop at this day number or YYYY-MM-DD date.")
@click.option("--out", default=None, help="Write events.jsonl, summary.json, manifest.json here.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON, nothing else.")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="Set a declared parameter for this run.")
@click.option("--force", is_flag=True,
              help="Replace a different run already in --out (a folder of other files is "
                   "never replaced).")
@click.option("--max-seconds", default=None, metavar="SECONDS",
              help="Wall-clock budget: stop the run after this long (reported in the summary "
                   "as time_budget_reached, like the event cap).")
def run_command(scenario: str, seed: str, until: str | None, out: str | None, as_json: bool,
                sets: tuple[str, ...], force: bool, max_seconds: str | None) -> None:
    """Run SCENARIO once: a readable timeline and the outcome."""
    from sim.api import load_scenario, run, write_run

    seed_value = _seed(seed)
    params = parse_sets(sets)
    budget = _seconds(max_seconds)
    sc = load_scenario(scenario)
    if out is not None:  # refuse a target we would refuse after the run, before running it
        from sim.api import scenario_hash
        from sim.safewrite import check_folder_target

        check_folder_target(out, "--out", {"scenario_hash": scenario_hash(sc),
                                           "seed": seed_value}, force)
    result = run(sc, seed=seed_value, until=until, parameters=params, max_seconds=budget)
    if out is not None:
        write_run(result, out, force=force)
    if as_json:
        from sim.artifacts import dumps

        sys.stdout.write(dumps(result.summary) + "\n")
        return
    from sim.narrate import print_run

    print_run(result, out)
