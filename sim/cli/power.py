"""`sim power`: Shapley-Shubik and Banzhaf indices of a weighted vote, for teaching.

Kept apart from the simulation so a class can ask "how much does the 3-seat party really
matter at quota 165?" with nothing but the command line.
"""

from __future__ import annotations

import json
import re

import click

from sim.cli import cli
from sim.errors import InputError

_ARGUMENT = "NAME=WEIGHT"
_INTEGER = re.compile(r"[+-]?\d+")


def parse_quota(text: str) -> int:
    """The quota as a whole number of votes (range is checked against the weights later)."""
    if not _INTEGER.fullmatch(text.strip()):
        raise InputError.cli("--quota", f"quota must be a whole number, got {text!r}")
    return int(text)


def parse_weights(items: tuple[str, ...]) -> dict[str, int]:
    """``NAME=WEIGHT`` pairs to an ordered mapping; every mistake is a one-line InputError."""
    weights: dict[str, int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise InputError.cli(_ARGUMENT, f"expected NAME=WEIGHT, got {item!r}")
        if name in weights:
            raise InputError.cli(_ARGUMENT, f"duplicate name {name!r}")
        what = f"weight of {name!r}"
        if not _INTEGER.fullmatch(value):
            raise InputError.cli(_ARGUMENT, f"{what} must be a whole number, got {value!r}")
        weight = int(value)
        if weight < 0:
            raise InputError.cli(_ARGUMENT, f"{what} must not be negative, got {weight}")
        weights[name] = weight
    return weights


@cli.command("power")
@click.option("--quota", "quota_text", metavar="Q", help="Votes needed to win (required).")
@click.option("--json", "as_json", is_flag=True, help="Print the indices as JSON only.")
@click.argument("pairs", nargs=-1, metavar="NAME=WEIGHT...")
def power_command(quota_text: str | None, as_json: bool, pairs: tuple[str, ...]) -> None:
    """Voting power of each NAME=WEIGHT at quota Q (Shapley-Shubik and normalised Banzhaf)."""
    from sim.mechanics.power import power_indices

    # Missing values are checked here, not by click, so they read like every other mistake.
    if not pairs:
        raise InputError.cli(_ARGUMENT, "give at least one NAME=WEIGHT")
    if quota_text is None:
        raise InputError.cli("--quota", "the quota is required, e.g. --quota 165")
    weights = parse_weights(pairs)
    quota = parse_quota(quota_text)
    total = sum(weights.values())
    if not 1 <= quota <= total:
        raise InputError.cli("--quota", f"quota must be between 1 and the total weight {total}")
    indices = power_indices(weights, quota)
    if as_json:
        payload = {"shapley_shubik": indices.shapley_shubik, "banzhaf": indices.banzhaf}
        click.echo(json.dumps(payload))
        return
    _print_table(weights, quota, indices.shapley_shubik, indices.banzhaf)


def _print_table(
    weights: dict[str, int], quota: int, ss: dict[str, float], bz: dict[str, float]
) -> None:
    """A rich table, heaviest first, with seat share beside power so the gap is visible."""
    from rich.console import Console
    from rich.table import Table

    total = sum(weights.values())
    table = Table(title=f"Voting power at quota {quota} of {total}")
    table.add_column("Name")
    for heading in ("Weight", "Share", "Shapley-Shubik", "Banzhaf"):
        table.add_column(heading, justify="right")
    for name in sorted(weights, key=lambda n: (-weights[n], n)):
        table.add_row(
            name,
            str(weights[name]),
            f"{weights[name] / total:.4f}",
            f"{ss[name]:.4f}",
            f"{bz[name]:.4f}",
        )
    Console().print(table)
