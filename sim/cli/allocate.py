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
from sim.teaching.allocation import MAX_EXPLAINED_SEATS, Explanation, Method
from sim.teaching.allocation import explain as explain_allocation
from sim.teaching.text import clean, rich_text

MAX_SEATS = 10_000
_COUNT = re.compile(r"[0-9]+")
_SIGNED_NUMBER = re.compile(r"[+-]?[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?")


MAX_DIVISOR = Fraction(100)
_DIVISOR_TEXT = re.compile(r"[0-9]{1,6}(\.[0-9]{1,6})?|\.[0-9]{1,6}|[0-9]{1,6}/0*[1-9][0-9]{0,5}")


def parse_methods(texts: Sequence[str]) -> list[Method]:
    """One or more methods: ``--method dhondt --method hare`` or ``--method dhondt,hare``.

    ``sainte-lague:1.7`` names Sainte-Lague with its first divisor, so pure and modified
    Sainte-Lague can stand side by side.  Checked here rather than by click so every mistake
    takes the same `InputError` path.
    """
    known = ", ".join(elections.METHODS)
    if not texts:
        raise InputError.cli("--method", f"required: one or more of {known}")
    methods: list[Method] = []
    for text in texts:
        for part in text.split(","):
            name, sep, divisor = part.strip().partition(":")
            if name not in elections.METHODS:
                raise InputError.cli("--method", f"unknown method {clean(name)!r}; expected one "
                                     f"of {known} (sainte-lague:F for a first divisor F)")
            first = None
            if sep:
                if name != "sainte-lague":
                    raise InputError.cli("--method", f"a first divisor applies only to "
                                         f"sainte-lague, not {name}")
                first = parse_divisor(divisor, "--method")
            method = Method(name, first)
            if any(m.label == method.label for m in methods):
                raise InputError.cli("--method", f"{method.label} is given more than once")
            methods.append(method)
    return methods


def parse_method(text: str | None) -> str:
    """One of the known methods (kept for callers that need exactly one)."""
    return parse_methods([text] if text else [])[0].name


def parse_seats(text: str | None) -> int:
    """A whole number of seats in 1..MAX_SEATS (the cap keeps a typo from hanging the command)."""
    if text is None:
        raise InputError.cli("--seats", "required: the number of seats to fill")
    if not _COUNT.fullmatch(text.strip()) or len(text.strip()) > 9:
        if _COUNT.fullmatch(text.strip()):
            raise InputError.cli("--seats", f"seats must be between 1 and {MAX_SEATS}")
        raise InputError.cli("--seats", f"seats must be a whole number, got {clean(text)!r}")
    seats = int(text)
    if not 1 <= seats <= MAX_SEATS:
        raise InputError.cli("--seats", f"seats must be between 1 and {MAX_SEATS}, got {seats}")
    return seats


def parse_divisor(text: str, option: str) -> Fraction:
    """An exact first divisor in (0, MAX_DIVISOR], written as a plain decimal like 1.7.

    Parsed by a bounded pattern before any exact arithmetic: ``Fraction("1e999999999")`` would
    build a billion-digit integer and hang the command.
    """
    t = text.strip()
    if not _DIVISOR_TEXT.fullmatch(t):
        raise InputError.cli(option, f"first divisor must be a decimal number such as 1.7 or 17/10 "
                             f"(at most 6 digits each side of the point), got {clean(text)!r}")
    value = Fraction(t)
    if not 0 < value <= MAX_DIVISOR:
        raise InputError.cli(option, f"first divisor must be above 0 and at most "
                             f"{MAX_DIVISOR}, got {t}")
    return value


def parse_first_divisor(text: str | None, methods: Sequence[Method] | str) -> Fraction | None:
    """`--first-divisor`: applies to every plain sainte-lague method given."""
    if text is None:
        return None
    names = [methods] if isinstance(methods, str) else [m.name for m in methods]
    if "sainte-lague" not in names:
        raise InputError.cli(
            "--first-divisor", f"applies only to --method sainte-lague, not {', '.join(names)}"
        )
    return parse_divisor(text, "--first-divisor")


def parse_pair(text: str, argument: str) -> tuple[str, int]:
    """Split ``NAME=VOTES`` at the last '=' and check the count is a non-negative integer."""
    name, sep, value = text.rpartition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name:
        raise InputError.cli(argument, f"expected {argument}, got {text!r}")
    if not _COUNT.fullmatch(value) or len(value) > 15:
        if _COUNT.fullmatch(value):
            raise InputError.cli(argument, f"votes must be at most 15 digits: {clean(text)!r}")
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
    """The JSON-able result: ``{"seats": {...}}`` plus ``"elected"`` for SNTV.

    For SNTV the votes are per candidate; for a list method given candidate votes, the party
    totals are used (so one set of votes can be compared under every rule).
    """
    argument = "PARTY/CANDIDATE=VOTES" if any(isinstance(k, tuple) for k in votes) \
        else "NAME=VOTES"
    try:
        if method == "sntv":
            if seats > len(votes):
                raise InputError.cli("--seats", f"{seats} seats but only {len(votes)} candidates")
            result = elections.sntv(votes, seats)
            return {"seats": result.seats, "elected": [list(pair) for pair in result.elected]}
        return {"seats": elections.allocate(party_votes(votes), seats, method, first_divisor)}
    except elections.AllocationError as exc:
        raise InputError.cli(argument, str(exc)) from None


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def render(votes: Mapping[str, int], results: Mapping[str, Mapping[str, object]],
           title: str) -> None:
    """A rich table of votes and seats, one seats column per method (names never markup)."""
    from rich.console import Console
    from rich.table import Table

    total_votes = sum(votes.values())
    table = Table(title=rich_text(title))
    table.add_column("party")
    for header in ("votes", "vote %"):
        table.add_column(header, justify="right")
    several = len(results) > 1
    for label in results:
        table.add_column(rich_text(f"seats {label}" if several else "seats"), justify="right")
        if not several:
            table.add_column("seat %", justify="right")
    for party, count in votes.items():
        row = [rich_text(party), f"{count:,}", _percent(count, total_votes)]
        for result in results.values():
            seats: Mapping[str, int] = result["seats"]  # type: ignore[assignment]
            won = seats.get(party, 0)
            row.append(str(won))
            if not several:
                row.append(_percent(won, sum(seats.values())))
        table.add_row(*row)
    total_row = ["total", f"{total_votes:,}", ""]
    for result in results.values():
        total_row.append(str(sum(result["seats"].values())))  # type: ignore[union-attr]
        if not several:
            total_row.append("")
    table.add_row(*total_row, style="bold")
    console = Console(highlight=False)
    console.print(table)
    for label, result in results.items():
        if "elected" in result:
            elected = ", ".join(f"{p}/{c}" for p, c in result["elected"])  # type: ignore
            prefix = f"{label}: " if several else ""
            console.print(rich_text(f"{prefix}elected, in order: {elected}"))


def render_explanation(explanation: Explanation) -> None:
    """The quotient table (winning quotients marked with their seat number) and the notes."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    e = explanation
    label = e.method.label
    if e.method.name == "sntv":
        table = Table(title=rich_text(f"{label}: candidates in the order they placed"))
        for header in ("seat", "party/candidate", "votes"):
            table.add_column(header, justify="left" if header != "votes" else "right")
        for a in e.awards:
            table.add_row(str(a.seat), rich_text(f"{a.party}/{a.candidate}"),
                          _num(a.claim))
        if e.next_claim is not None:
            n = e.next_claim
            table.add_row("-", rich_text(f"{n.party}/{n.candidate}"), _num(n.claim),
                          style="dim")
    elif e.method.name == "hare":
        table = Table(title=rich_text(f"{label}: quota {_num(e.quota)} votes a seat "
                                      "(total votes / seats)"))
        for header in ("party", "votes", "quotas", "whole seats", "remainder", "remainder seat"):
            table.add_column(header, justify="left" if header == "party" else "right")
        remainder_seat = {a.party: a.seat for a in e.awards if not a.automatic}
        for party, v in e.votes.items():
            quotas, rest = e.quotients[party]
            whole = e.seats[party] - (1 if party in remainder_seat else 0)
            mark = f"seat {remainder_seat[party]}" if party in remainder_seat else ""
            table.add_row(rich_text(party), f"{v:,}", f"{float(quotas):.3f}", str(whole),
                          _num(rest), mark)
    else:
        table = Table(title=rich_text(f"{label}: votes / divisor (seat number of each "
                                      "winning quotient)"))
        table.add_column("party")
        table.add_column("votes", justify="right")
        shown = e.divisors[:_MAX_COLUMNS]
        for d in shown:
            table.add_column(f"/ {_num(d)}", justify="right")
        won = e.won_by()
        for party, v in e.votes.items():
            cells = []
            for k, q in enumerate(e.quotients[party][:_MAX_COLUMNS]):
                seat = won.get((party, k))
                cells.append(f"{_num(q)} (#{seat})" if seat else _num(q))
            table.add_row(rich_text(party), f"{v:,}", *cells)
        if len(e.divisors) > _MAX_COLUMNS:
            table.caption = f"first {_MAX_COLUMNS} divisors of {len(e.divisors)} shown"
    console.print(table)
    for line in e.notes():
        console.print(rich_text(line))


_MAX_COLUMNS = 12


def _num(x: Fraction | None) -> str:
    if x is None:
        return "-"
    if x.denominator == 1:
        return f"{x.numerator:,}"
    return f"{float(x):,.1f}"


@cli.command("allocate")
@click.option(
    "--method",
    "method_texts",
    multiple=True,
    metavar="|".join(elections.METHODS),
    help="Allocation rule (required); repeat it or separate with commas to compare several, "
    "e.g. dhondt,sainte-lague,sainte-lague:1.7,hare.",
)
@click.option("--seats", "seats_text", metavar="N", help="Seats to fill (required).")
@click.option(
    "--first-divisor",
    "first_divisor_text",
    metavar="F",
    help="Sainte-Lague's first divisor (1 = pure; Iraq 2023: 1.7).",
)
@click.option("--explain", is_flag=True,
              help="Show the quotient table: which quotient won each seat, how ties broke.")
@click.option("--json", "as_json", is_flag=True, help='Print {"seats": {...}} only.')
@click.argument("pairs", nargs=-1, metavar="NAME=VOTES...")
def allocate_command(
    method_texts: tuple[str, ...],
    seats_text: str | None,
    first_divisor_text: str | None,
    explain: bool,
    as_json: bool,
    pairs: tuple[str, ...],
) -> None:
    """Allocate seats from votes: NAME=VOTES each (PARTY/CANDIDATE=VOTES for sntv)."""
    methods = parse_methods(method_texts)
    seats = parse_seats(seats_text)
    first_divisor = parse_first_divisor(first_divisor_text, methods)
    if first_divisor is not None:
        methods = [Method(m.name, first_divisor) if m.name == "sainte-lague"
                   and m.first_divisor is None else m for m in methods]
    sntv = any(m.name == "sntv" for m in methods)
    votes = parse_votes(pairs, sntv=sntv)
    if explain and seats > MAX_EXPLAINED_SEATS:
        raise InputError.cli("--explain", f"lists every seat: at most {MAX_EXPLAINED_SEATS} "
                             f"seats, got {seats}")
    results = {m.label: run_allocation(m.name, seats, m.first_divisor, votes) for m in methods}
    if as_json:
        if len(results) == 1:
            click.echo(json.dumps(next(iter(results.values()))))
        else:
            click.echo(json.dumps({"methods": results}))
        return
    if len(methods) == 1:
        title = f"{seats} seats by {methods[0].label}"
        if first_divisor_text is not None:
            title = f"{seats} seats by sainte-lague, first divisor {first_divisor_text.strip()}"
    else:
        title = f"{seats} seats: the same votes under {len(methods)} rules"
    render(party_votes(votes), results, title)
    if explain:
        for m in methods:
            try:
                render_explanation(explain_allocation(m, votes if m.name == "sntv"
                                                      else party_votes(votes), seats))
            except elections.AllocationError as exc:
                raise InputError.cli("NAME=VOTES", str(exc)) from None
