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
from sim.teaching.power import TooLarge, check_size
from sim.teaching.power import explain as explain_power
from sim.teaching.text import clean, rich_text

_ARGUMENT = "NAME=WEIGHT"
_INTEGER = re.compile(r"[+-]?\d+")


def parse_quota(text: str) -> int:
    """The quota as a whole number of votes (range is checked against the weights later)."""
    if not _INTEGER.fullmatch(text.strip()) or len(text.strip()) > 15:
        if _INTEGER.fullmatch(text.strip()):
            raise InputError.cli("--quota", "quota must be at most 15 digits")
        raise InputError.cli("--quota", f"quota must be a whole number, got {clean(text)!r}")
    return int(text)


def parse_weights(items: tuple[str, ...]) -> dict[str, int]:
    """``NAME=WEIGHT`` pairs to an ordered mapping; every mistake is a one-line InputError."""
    weights: dict[str, int] = {}
    for item in items:
        name, sep, value = item.rpartition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise InputError.cli(_ARGUMENT, f"expected NAME=WEIGHT, got {clean(item)!r}")
        if name in weights:
            raise InputError.cli(_ARGUMENT, f"duplicate name {name!r}")
        what = f"weight of {name!r}"
        if _INTEGER.fullmatch(value) and len(value) > 15:
            raise InputError.cli(_ARGUMENT, f"{what} must be at most 15 digits")
        if not _INTEGER.fullmatch(value):
            raise InputError.cli(_ARGUMENT, f"{what} must be a whole number, got {value!r}")
        weight = int(value)
        if weight < 0:
            raise InputError.cli(_ARGUMENT, f"{what} must not be negative, got {weight}")
        weights[name] = weight
    return weights


def parse_quotas(texts: tuple[str, ...]) -> list[int]:
    """One or more quotas (repeat ``--quota`` or separate with commas), e.g. 165,220."""
    quotas: list[int] = []
    for text in texts:
        for part in text.split(","):
            quota = parse_quota(part)
            if quota not in quotas:
                quotas.append(quota)
    return quotas


@cli.command("power")
@click.option("--quota", "quota_texts", metavar="Q", multiple=True,
              help="Votes needed to win (required); repeat or separate with commas, e.g. 165,220.")
@click.option("--explain", is_flag=True,
              help="Explain each party's power by the coalitions that need it.")
@click.option("--json", "as_json", is_flag=True, help="Print the indices as JSON only.")
@click.argument("pairs", nargs=-1, metavar="NAME=WEIGHT...")
def power_command(quota_texts: tuple[str, ...], explain: bool, as_json: bool,
                  pairs: tuple[str, ...]) -> None:
    """Voting power of each NAME=WEIGHT at quota Q (Shapley-Shubik and normalised Banzhaf)."""
    from sim.mechanics.power import power_indices

    # Missing values are checked here, not by click, so they read like every other mistake.
    if not pairs:
        raise InputError.cli(_ARGUMENT, "give at least one NAME=WEIGHT")
    if not quota_texts:
        raise InputError.cli("--quota", "the quota is required, e.g. --quota 165")
    weights = parse_weights(pairs)
    quotas = parse_quotas(quota_texts)
    total = sum(weights.values())
    results = {}
    for quota in quotas:
        if not 1 <= quota <= total:
            raise InputError.cli("--quota", f"quota must be between 1 and the total weight "
                                 f"{total}, got {quota}")
        try:
            check_size(weights, quota)
        except TooLarge as exc:
            raise InputError.cli("--quota", str(exc)) from None
        results[quota] = power_indices(weights, quota)
    if as_json:
        if len(results) == 1:
            indices = next(iter(results.values()))
            payload = {"shapley_shubik": indices.shapley_shubik, "banzhaf": indices.banzhaf}
        else:
            payload = {str(q): {"shapley_shubik": i.shapley_shubik, "banzhaf": i.banzhaf}
                       for q, i in results.items()}
        click.echo(json.dumps(payload))
        return
    for quota, indices in results.items():
        _print_table(weights, quota, indices.shapley_shubik, indices.banzhaf)
        if explain:
            _print_explanation(explain_power(weights, quota), quota)


def _print_explanation(stories: list, quota: int) -> None:
    """Each party's power in plain words (names printed as text, never as markup)."""
    from rich.console import Console

    console = Console(highlight=False)
    console.print(rich_text(
        "Shapley-Shubik: the share of the orders in which parties could join a coalition where "
        "this party's arrival makes it win. Banzhaf: its share of all the 'swings', coalitions "
        "that win with it and lose without it."))
    for story in stories:
        console.print(rich_text(f"- {story.sentence(quota)}"))


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
            rich_text(name),
            str(weights[name]),
            f"{weights[name] / total:.4f}",
            f"{ss[name]:.4f}",
            f"{bz[name]:.4f}",
        )
    Console(highlight=False).print(table)
