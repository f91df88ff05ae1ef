"""The typed result of `sim calibrate` and its side-by-side table.

`Calibration` is what `--json` prints and `sim.calibrate(...)` returns; `rows` turns it into
the lines of the table (history | model | verdict), worded once here for the terminal, the
JSON and the README alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from sim.calibrate.measures import Against, Rate, Spread, Verdict
from sim.calibrate.targets import SittingPmList, Targets


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Row(_Model):
    """One line of the side-by-side table."""

    quantity: str
    history: str
    model: str
    verdict: Verdict
    detail: str  # the evidence for the verdict: values inside the range, or history's chance


class Baseline(_Model):
    scenario: str
    horizon_days: int
    days_to_government: Against
    sitting_pm_share: Against
    sitting_pm_party: dict[str, int]  # whose list was the sitting PM's at the election, by runs
    pm_not_first_list: Rate


class PmListHindcast(_Model):
    """An established sitting PM's list: a hindcast scenario's runs beside its election."""

    scenario: str
    year: int
    list: str
    share: Against
    sitting_pm_party: dict[str, int]  # the sitting PM's party at the election, by runs


class HindcastOutcome(_Model):
    name: str
    history: bool
    model: Rate


class Hindcast(_Model):
    scenario: str
    horizon_days: int
    outcomes: list[HindcastOutcome]
    days_to_government: Against
    withdrawal_day: Against
    prime_minister: dict[str, int]  # the prime minister at the end of the runs, by runs
    # the same over the runs in which the Sadrists withdrew and a government was formed (2022's
    # path: the Framework chose after the resignation)
    prime_minister_after_withdrawal: dict[str, int] = {}
    history_pm: str  # who history's prime minister was (a person id)
    history_pm_name: str
    pm_as_history: Rate  # runs that end with history's prime minister
    framework_gain: Against  # seats the Framework gained from the resignation, by resigning run
    seats_vacated: int
    sit_in_days: Against | None = None  # days parliament could not sit after the withdrawal
    framework_joined_early: Against | None = None  # % of the Framework's joiners in by session 1


class Calibration(_Model):
    """The typed result of `sim calibrate` (what `--json` prints)."""

    replications: int
    seeds: list[int]
    interval: float
    baseline: Baseline
    what_ifs: list[Baseline]  # the same quantities for scenarios asked for with --scenario
    hindcast: Hindcast
    pm_lists: list[PmListHindcast] = []  # established lists, each from its own hindcast
    rows: list[Row]


# --- the table ----------------------------------------------------------------------------

LABELS = {
    "majority_attempt": "2021: Sadrist majority attempt",
    "blocking_third": "2021: blocking third denies the quorum",
    "sadrist_withdrawal": "2021: Sadrist withdrawal",
    "clash": "2021: armed clash",
}


def _days(x: float | None, s: Spread) -> str:
    if x is None:
        return f">{s.censored_after}" if s.censored_after is not None else "-"
    return f"{x:g}"


def _pct(x: float | None, s: Spread | None = None) -> str:
    if x is None:
        return ">horizon" if s is not None and s.censored_after is not None else "-"
    return f"{100 * x:.1f}%"


def describe_days(a: Against) -> str:
    s = a.model
    if s.runs == 0 or (s.observed == 0 and s.censored_after is None):
        return "no runs"
    text = (f"{_days(s.min, s)} / {_days(s.q1, s)} / {_days(s.median, s)} / "
            f"{_days(s.q3, s)} / {_days(s.max, s)} (min/q1/median/q3/max); "
            f"5-95%: {_days(s.p5, s)}-{_days(s.p95, s)}")
    if s.observed < s.runs:
        text += f"; {s.runs - s.observed} of {s.runs} runs no government"
    return text


def describe_share(a: Against) -> str:
    s = a.model
    if s.observed == 0:
        return "no runs"
    return f"median {_pct(s.median)}; 5-95%: {_pct(s.p5)}-{_pct(s.p95)}"


def describe_rate(r: Rate, what: str = "runs") -> str:
    if r.rate is None:
        return "no runs"
    return f"{r.count} of {r.runs} {what} ({100 * r.rate:.0f}%)"


def _inside(a: Against) -> str:
    text = f"{a.inside} of {a.of} inside"
    if a.all_ended_chance is not None:
        text += f"; P(all {a.of} end by day {a.model.censored_after}) " \
                f"{100 * a.all_ended_chance:.1f}%"
    return text


def _chance(r: Rate) -> str:
    if r.chance_of_history is None:
        return ""
    return f"P(history) {100 * r.chance_of_history:.1f}%"


def _spread_row(quantity: str, history: str, a: Against, none: str, counted: str = "",
                unit: str = "") -> Row:
    """A row for a quantity the model gives as a distribution over the runs where it arises:
    `none` when it never arose, else its median and 5-95% range (in `unit`), with how many
    runs it arose in (`counted`) when that is not every run."""
    m = a.model
    if m.observed == 0:
        return Row(quantity=quantity, history=history, model=none, verdict=a.verdict, detail="")

    def show(x: float | None) -> str:
        return f"{x:g}{unit}" if unit and x is not None else _days(x, m)

    model = f"median {show(m.median)}; 5-95%: {show(m.p5)}-{show(m.p95)}"
    if counted:
        model += f" ({m.observed} {counted})"
    return Row(quantity=quantity, history=history, model=model, verdict=a.verdict,
               detail=_inside(a))


def rows(t: Targets, b: Baseline, h: Hindcast, what_ifs: Sequence[Baseline] = (),
         pm_lists: Sequence[PmListHindcast] = ()) -> list[Row]:
    out = _scenario_rows(t, b, "")
    for w in what_ifs:
        out += _scenario_rows(t, w, f" ({w.scenario})")
    out += _pm_list_rows(t, pm_lists)
    out += _hindcast_rows(h)
    return out


def _share_text(x: SittingPmList) -> str:
    return f"{x.seats.value}/{x.size.value} = {100 * x.share:.1f}% ({x.year}, {x.list})"


def _pm_list_rows(t: Targets, pm_lists: Sequence[PmListHindcast]) -> list[Row]:
    """Each established list beside its own hindcast; established lists without one are named
    in the history cell so the reader sees what is not modelled."""
    unmodelled = [x for x in t.sitting_pm_lists
                  if not x.new_list and x.hindcast not in {p.scenario for p in pm_lists}]
    out = []
    for p in pm_lists:
        x = next(x for x in t.sitting_pm_lists if x.hindcast == p.scenario)
        history = _share_text(x)
        if unmodelled:
            history += "; not modelled: " + ", ".join(_share_text(u) for u in unmodelled)
        out.append(Row(quantity=f"{p.year}: sitting PM's established list, seats "
                                f"(hindcast)",
                       history=history, model=describe_share(p.share),
                       verdict=p.share.verdict, detail=_inside(p.share)))
    return out


def _scenario_rows(t: Targets, b: Baseline, label: str) -> list[Row]:
    formations = ", ".join(f"{f.days.value}" for f in t.formations)
    lists = ", ".join(_share_text(x) for x in t.sitting_pm_lists if x.new_list)
    led = b.pm_not_first_list
    out = [
        Row(quantity="Days from election to government", history=formations,
            model=describe_days(b.days_to_government), verdict=b.days_to_government.verdict,
            detail=_inside(b.days_to_government)),
        Row(quantity="Sitting PM's new list, seats", history=lists,
            model=describe_share(b.sitting_pm_share), verdict=b.sitting_pm_share.verdict,
            detail=_inside(b.sitting_pm_share)),
        Row(quantity="PM does not lead the first list",
            history=f"{led.history_count} of {led.history_of} since 2006",
            model=describe_rate(led, "governments"), verdict=led.verdict, detail=_chance(led)),
    ]
    return [r.model_copy(update={"quantity": r.quantity + label}) for r in out]


def _hindcast_rows(h: Hindcast) -> list[Row]:
    out = []
    for o in h.outcomes:
        out.append(Row(quantity=LABELS.get(o.name, o.name), history="yes" if o.history else "no",
                       model=describe_rate(o.model), verdict=o.model.verdict,
                       detail=_chance(o.model)))
    out.append(Row(quantity="2021: days to government",
                   history=f"{h.days_to_government.history[0]:g}",
                   model=describe_days(h.days_to_government),
                   verdict=h.days_to_government.verdict, detail=_inside(h.days_to_government)))
    out.append(_spread_row("2021: day of the Sadrist withdrawal",
                           f"{h.withdrawal_day.history[0]:g} (June 2022)", h.withdrawal_day,
                           "never withdrew"))
    out.append(Row(quantity="2021: prime minister", history=h.history_pm_name,
                   model=describe_rate(h.pm_as_history), verdict=h.pm_as_history.verdict,
                   detail=_chance(h.pm_as_history)))
    out.append(_spread_row("2021: the Sadrists' seats won by Framework lists",
                           f"{h.framework_gain.history[0]:g} of {h.seats_vacated} (June 2022)",
                           h.framework_gain, "no resignation", "resignations"))
    if h.sit_in_days is not None:
        out.append(_spread_row("2021: days a sit-in shut parliament (after the withdrawal)",
                               f"{h.sit_in_days.history[0]:g} (30 Jul-30 Aug 2022)",
                               h.sit_in_days, "no withdrawal", "withdrawals"))
    if h.framework_joined_early is not None:
        out.append(_spread_row("2021: the Framework's joiners in by the first session",
                               f"{h.framework_joined_early.history[0]:g}% (33 of 39, 9 Jan 2022)",
                               h.framework_joined_early, "nobody joined", "runs with joiners",
                               unit="%"))
    return out
