"""`sim allocate`: one constituency's seat allocation on its own, for teaching.

A class can type the votes of a governorate and watch how D'Hondt, Sainte-Lague (any first
divisor), largest remainder or SNTV turn them into seats.  Every bad value becomes an
`InputError` naming the option or argument, so `sim.cli.main` prints one line and exits 2.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction

import click

from sim.cli import cli
from sim.errors import InputError
from sim.mechanics import elections

MAX_SEATS = 10_000
_COUNT = re.compile(r"[0-9]+")
_SIGNED_NUMBER = re.compile(r"[+-]?[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?")


def parse_method(text: str | None) -> str:
    """One of the known methods.

    Checked here rather than by click so every mistake takes the same `InputError` path.
    """
    if text is None:
        raise InputError.cli("--method", f"required: one of {', '.join(elections.METHODS)}")
    if text not in elections.METHODS:
        raise InputError.cli(
            "--method", f"unknown method {text!r}; expected one of {', '.join(elections.METHODS)}"
        )
    return text


def parse_seats(text: str | None) -> int:
    """A whole number of seats in 1..MAX_SEATS (the cap keeps a typo from hanging the command)."""
    if text is None:
        raise InputError.cli("--seats", "required: the number of seats to fill")
    if not _COUNT.fullmatch(text.strip()):
        raise InputError.cli("--seats", f"seats must be a whole number, got {text!r}")
    seats = int(text)
    if not 1 <= seats <= MAX_SEATS:
        raise InputError.cli("--seats", f"seats must be between 1 and {MAX_SEATS}, got {seats}")
    return seats


def parse_first_divisor(text: str | None, method: str) -> Fraction | None:
    """An exact positive first divisor, only meaningful for sainte-lague."""
    if text is None:
        return None
    if method != "sainte-lague":
        raise InputError.cli(
            "--first-divisor", f"applies only to --method sainte-lague, not {method}"
        )
    try:
        return elections.as_fraction(text)
    except elections.AllocationError:
        raise InputError.cli(
            "--first-divisor", f"must be a positive number such as 1.7, got {text!r}"
        ) from None


def parse_pair(text: str, argument: str) -> tuple[str, int]:
    """Split ``NAME=VOTES`` at the last '=' and check the count is a non-negative integer."""
    name, sep, value = text.rpartition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name:
        raise InputError.cli(argument, f"expected {argument}, got {text!r}")
    if not _COUNT.fullmatch(value):
        if _SIGNED_NUMBER.fullmatch(value) and value.startswith("-"):
            problem = "votes cannot be negative"
        else:
            problem = "votes must be a whole number"
        raise InputError.cli(argument, f"{problem}: {text!r}")
    return name, int(value)


def parse_votes(pairs: Sequence[str], sntv: bool) -> dict[str, int] | dict[tuple[str, str], int]:
    """All NAME=VOTES (or PARTY/CANDIDATE=VOTES) arguments, refusing duplicates."""
    argument = "PARTY/CANDIDATE=VOTES" if sntv else "NAME=VOTES"
    if not pairs:
        raise InputError.cli(argument, f"give at least one {argument}")
    votes: dict = {}
    for text in pairs:
        name, count = parse_pair(text, argument)
        key: str | tuple[str, str] = name
        if sntv:
            party, sep, candidate = name.partition("/")
            party, candidate = party.strip(), candidate.strip()
            if not sep or not party or not candidate:
                raise InputError.cli(argument, f"expected {argument}, got {text!r}")
            key = (party, candidate)
        if key in votes:
            raise InputError.cli(argument, f"{name!r} is given more than once")
        votes[key] = count
    return votes


def party_votes(votes: Mapping) -> dict[str, int]:
    """Votes per party (for SNTV, the sum over its candidates)."""
    totals: dict[str, int] = {}
    for key, count in votes.items():
        party = key[0] if isinstance(key, tuple) else key
        totals[party] = totals.get(party, 0) + count
    return totals


def run_allocation(
    method: str, seats: int, first_divisor: Fraction | None, votes: Mapping
) -> dict[str, object]:
    """The JSON-able result: ``{"seats": {...}}`` plus ``"elected"`` for SNTV."""
    argument = "PARTY/CANDIDATE=VOTES" if method == "sntv" else "NAME=VOTES"
    try:
        if method == "sntv":
            if seats > len(votes):
                raise InputError.cli("--seats", f"{seats} seats but only {len(votes)} candidates")
            result = elections.sntv(votes, seats)
            return {"seats": result.seats, "elected": [list(pair) for pair in result.elected]}
        return {"seats": elections.allocate(votes, seats, method, first_divisor)}
    except elections.AllocationError as exc:
        raise InputError.cli(argument, str(exc)) from None


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def render(votes: Mapping[str, int], result: Mapping[str, object], title: str) -> None:
    """A rich table of votes and seats (and the elected candidates for SNTV)."""
    from rich.console import Console
    from rich.table import Table

    seats: dict[str, int] = result["seats"]  # type: ignore[assignment]
    total_votes, total_seats = sum(votes.values()), sum(seats.values())
    table = Table(title=title)
    for header in ("party", "votes", "vote %", "seats", "seat %"):
        table.add_column(header, justify="left" if header == "party" else "right")
    for party, count in votes.items():
        won = seats.get(party, 0)
        table.add_row(
            party, f"{count:,}", _percent(count, total_votes), str(won), _percent(won, total_seats)
        )
    table.add_row("total", f"{total_votes:,}", "", str(total_seats), "", style="bold")
    console = Console()
    console.print(table)
    if "elected" in result:
        elected = ", ".join(f"{p}/{c}" for p, c in result["elected"])  # type: ignore[union-attr]
        console.print(f"elected, in order: {elected}", markup=False, highlight=False)


@cli.command("allocate")
@click.option(
    "--method",
    "method_text",
    metavar="|".join(elections.METHODS),
    help="Allocation rule (required).",
)
@click.option("--seats", "seats_text", metavar="N", help="Seats to fill (required).")
@click.option(
    "--first-divisor",
    "first_divisor_text",
    metavar="F",
    help="Sainte-Lague's first divisor (1 = pure; Iraq 2023: 1.7).",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"seats": {...}} only.')
@click.argument("pairs", nargs=-1, metavar="NAME=VOTES...")
def allocate_command(
    method_text: str | None,
    seats_text: str | None,
    first_divisor_text: str | None,
    as_json: bool,
    pairs: tuple[str, ...],
) -> None:
    """Allocate seats from votes: NAME=VOTES each (PARTY/CANDIDATE=VOTES for sntv)."""
    method = parse_method(method_text)
    seats = parse_seats(seats_text)
    first_divisor = parse_first_divisor(first_divisor_text, method)
    votes = parse_votes(pairs, sntv=method == "sntv")
    result = run_allocation(method, seats, first_divisor, votes)
    if as_json:
        click.echo(json.dumps(result))
        return
    label = (
        method if first_divisor_text is None else f"{method}, first divisor {first_divisor_text}"
    )
    render(party_votes(votes), result, f"{seats} seats by {label}")
