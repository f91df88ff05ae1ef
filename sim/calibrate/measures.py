"""The arithmetic of calibration: what one run shows, and how R runs are set against history.

Two layers, both pure:

* *observations*: from one run's summary (and, for the hindcast, its events), the quantities
  history also has: days from the election to a government, the sitting prime minister's list
  share, whether the new prime minister leads the first list, whether the Sadrists attempted a
  majority government, met the blocking third, withdrew;
* *comparisons*: from many observations, the model's distribution (nearest-rank quantiles, so
  every figure is a value some run produced) and a verdict beside the historical values.

A run that ends with no government is *censored*: its formation took longer than the run
lasted.  It is kept (as "beyond the horizon", larger than any formed run) rather than dropped,
since dropping the slowest runs would make the model look faster than it is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Verdict = Literal["in range", "partly", "out of range", "no data"]

# Event kinds read by the hindcast (the formation stages and the ways a party leaves).
PRESIDENT_FAILED = frozenset({"president_vote_failed"})
NOMINATION_KINDS = frozenset({"pm_nominated", "pm_designated", "designate_named"})
FORMED = "government_formed"
ELECTION = "election_held"
RESIGNED = "deputies_resigned"
WITHDRAWAL_KINDS = frozenset({"boycott_started", "member_withdrew", "resigned", "resignation",
                              "seats_resigned", "bloc_resigned", "mps_resigned", RESIGNED})
CLASH = "clash"
STALLED = "stalled"  # the state change of a protest that keeps parliament from sitting
JOINED = "deputies_joined"  # grouping deputies drawn into a bloc (details.parties: who gains)
CONVENED = "parliament_convened"  # the new house's first session
SADRISTS = "sadrists"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- one run ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Observation:
    """What one run of the baseline shows about the quantities history has."""

    days_to_government: int | None  # election -> confidence, None if no government formed
    censored_after: int | None  # when None above: the days the run lasted after the election
    sitting_pm_party: str | None  # the prime minister's party when the election was held
    sitting_pm_seats: int | None  # that party's seats from the election
    size: int  # parliament's size
    pm_party: str | None  # the party of the prime minister formed after the election
    pm_leads_first_list: bool | None  # None when no government was formed


def _fields(event: Any) -> dict[str, Any]:
    """An event's payload, whether it is one dict or split into changes and details."""
    out: dict[str, Any] = {}
    for name in ("payload", "changes", "details"):
        part = getattr(event, name, None) if not isinstance(event, Mapping) else event.get(name)
        if isinstance(part, Mapping):
            out.update(part)
    return out


def _get(event: Any, name: str) -> Any:
    return event.get(name) if isinstance(event, Mapping) else getattr(event, name, None)


def first_lists(seats: Mapping[str, int]) -> list[str]:
    """The list(s) that came first (all of them when tied)."""
    if not seats:
        return []
    top = max(seats.values())
    return sorted(p for p, n in seats.items() if n == top)


def pm_at(summary: Mapping[str, Any], day: float, initial: str | None) -> str | None:
    """The prime minister just before `day`: the last monthly snapshot before it, else the
    world's (the snapshots are monthly, so a change in the last month is not seen)."""
    pm = initial
    for snap in summary.get("history") or []:
        if snap.get("day", math.inf) < day:
            pm = snap.get("pm", pm)
    return pm


def observe(summary: Mapping[str, Any], initial_pm: str | None,
            party_of: Callable[[str | None], str | None],
            leads: Callable[[str | None, str | None], bool]) -> Observation:
    """The baseline quantities of one run, from its summary.

    `party_of` maps a prime minister (a person id, or a party id in older worlds) to a party;
    `leads(pm, party)` says whether that prime minister leads that party's list.
    """
    elections = summary.get("elections") or []
    seats_size = sum((summary.get("seats") or {}).values())
    if not elections:
        return Observation(None, None, None, None, seats_size, None, None)
    last = elections[-1]
    day = float(last["day"])
    size = sum(last["seats"].values())
    sitting = party_of(pm_at(summary, day, initial_pm))
    sitting_seats = last["seats"].get(sitting) if sitting is not None else None
    days, formed = _days_to_government(summary, day)
    censored = None if formed else int(float(summary.get("end_day", day)) - day)
    pm_party, leads_first = None, None
    if formed:
        pm = summary.get("prime_minister")
        pm_party = summary["prime_minister_party"] if "prime_minister_party" in summary \
            else party_of(pm)
        first = first_lists(last["seats"])
        leads_first = pm_party in first and leads(pm, pm_party)
    return Observation(days, censored, sitting, sitting_seats, size, pm_party, leads_first)


def _days_to_government(summary: Mapping[str, Any], election_day: float) -> tuple[int | None,
                                                                                   bool]:
    """Days from the last election to the confidence vote (the contract key when present)."""
    if "days_to_government" in summary:
        days = summary["days_to_government"]
        formed = summary.get("government_formed", days is not None)
        return (int(round(float(days))) if days is not None else None), \
            bool(formed and days is not None)
    formed_day = summary.get("government_formed_day")
    if formed_day is None or float(formed_day) < election_day:
        return None, False
    return int(round(float(formed_day) - election_day)), True


@dataclass(frozen=True, slots=True)
class HindcastObservation:
    """What one hindcast run shows about 2021-22."""

    majority_attempt: bool
    blocking_third: bool
    sadrist_withdrawal: bool
    withdrawal_day: int | None
    clash: bool
    days_to_government: int | None
    censored_after: int | None
    prime_minister: str | None
    framework_gain: int | None = None  # the resigning Sadrists' seats that went to `framework`
    # days parliament could not sit for a protest after the Sadrists withdrew (None: no
    # withdrawal); a sit-in still on at the end counts to the end of the run
    sit_in_days: int | None = None
    # of the grouping deputies who joined the `framework` lists' bloc after the election, the
    # share (%) in by the first session (None: nobody joined)
    framework_joined_early: int | None = None


def observe_hindcast(summary: Mapping[str, Any], events: Iterable[Any],
                     party_of: Callable[[str | None], str | None],
                     framework: frozenset[str] = frozenset()) -> HindcastObservation:
    """The 2021-22 quantities of one hindcast run, from its events.

    * a *majority attempt*: the Sadrists lead a formation step: a nomination by their bloc or
      of one of theirs, or a session to elect the president that they attend and others deny;
    * the *blocking third*: a session to elect the president fails for want of the quorum;
    * a *withdrawal*: the Sadrists leave (boycott, resignation, leaving a government) or their
      seats fall to zero;
    * the *Framework's gain*: at the Sadrists' first resignation (`deputies_resigned`), the
      seats that passed to the `framework` lists;
    * the *sit-in days*: after the withdrawal, the days parliament could not sit for a protest
      (the events' `stalled` changes; 2022: the sit-in of 30 July to 30 August);
    * the *Framework's early joiners*: of the grouping deputies who joined the `framework`
      lists (`deputies_joined`), the share in by the first session (2022: 33 of 39).
    """
    attempt = blocked = withdrew = clash = False
    framework_gain: int | None = None
    withdrawal_day: int | None = None
    election_day: float | None = None
    formed_day: float | None = None
    seats_now: int | None = None
    shut_days = 0.0
    stalled_since: float | None = None
    convened, joined_early, joined_late = False, 0, 0
    for e in events:
        kind, actor, f, t = _get(e, "kind"), _get(e, "actor"), _fields(e), float(_get(e, "t"))
        if kind == ELECTION:
            election_day, formed_day = t, None
            convened, joined_early, joined_late = False, 0, 0
        if kind == CONVENED:
            convened = True
        if kind == JOINED:
            n = sum(int(v) for p, v in (f.get("parties") or {}).items() if p in framework)
            if convened:
                joined_late += n
            else:
                joined_early += n
        elif kind == FORMED and election_day is not None and formed_day is None:
            formed_day = t
        if kind in PRESIDENT_FAILED:
            blocked = True
            if SADRISTS not in (f.get("absent") or []) and seats_now:
                attempt = True
        if kind in NOMINATION_KINDS:
            nominee = f.get("nominee", f.get("person", actor))
            bloc = str(f.get("bloc") or "")
            if SADRISTS in (nominee, actor, f.get("party"), party_of(nominee)) \
                    or bloc.startswith("sadr"):
                attempt = True
        if kind == CLASH:
            clash = True
        if kind == RESIGNED and actor == SADRISTS and framework_gain is None:
            gains = f.get("gains") or {}
            framework_gain = sum(int(n) for p, n in gains.items() if p in framework)
        left = actor == SADRISTS and kind in WITHDRAWAL_KINDS
        seats = f.get("seats")
        if isinstance(seats, Mapping) and SADRISTS in seats:
            if seats_now and not seats[SADRISTS]:
                left = True
            seats_now = seats[SADRISTS]
        if left and not withdrew:
            withdrew, withdrawal_day = True, int(round(t - (election_day or 0.0)))
        stall = f.get(STALLED)
        if withdrew and stall is not None:
            if stall and stalled_since is None:
                stalled_since = t
            elif not stall and stalled_since is not None:
                shut_days, stalled_since = shut_days + t - stalled_since, None
    end = float(summary.get("end_day", 0.0))
    if stalled_since is not None:
        shut_days += max(0.0, end - stalled_since)
    if "days_to_government" in summary and summary["days_to_government"] is not None:
        days: int | None = int(round(float(summary["days_to_government"])))
    elif formed_day is not None and election_day is not None:
        days = int(round(formed_day - election_day))
    else:
        days = None
    censored = None if days is not None else int(end - (election_day or 0.0))
    return HindcastObservation(attempt, blocked, withdrew, withdrawal_day,
                               clash or bool(summary.get("clashes")), days, censored,
                               summary.get("prime_minister"), framework_gain,
                               int(round(shut_days)) if withdrew else None,
                               round(100 * joined_early / (joined_early + joined_late))
                               if joined_early + joined_late else None)


# --- many runs ----------------------------------------------------------------------------

class Spread(_Model):
    """Nearest-rank order statistics of the model's values; `None` means beyond the horizon
    (a censored run: no government by the end of the run)."""

    runs: int
    observed: int  # runs with a value (not censored)
    censored_after: int | None  # shortest follow-up of a censored run, if any
    min: float | None
    p5: float | None
    q1: float | None
    median: float | None
    q3: float | None
    p95: float | None
    max: float | None


def rank_quantile(ordered: Sequence[float], q: float) -> float:
    """Nearest rank: the smallest value with at least a share `q` of the values at or below it.
    Always a value some run produced (no interpolation between runs)."""
    if not ordered:
        raise ValueError("no values")
    if q <= 0:
        return ordered[0]
    return ordered[min(len(ordered), math.ceil(q * len(ordered) - 1e-9)) - 1]


def spread(values: Sequence[float | None], censored_after: Sequence[int | None] = (),
           interval: float = 0.9) -> Spread:
    """Order statistics over all runs, censored (None) runs ranked above every observed one."""
    observed = sorted(float(v) for v in values if v is not None)
    ordered = observed + [math.inf] * (len(values) - len(observed))
    tail = (1 - interval) / 2
    cuts = [c for c in censored_after if c is not None]

    def q(x: float) -> float | None:
        if not ordered:
            return None
        v = rank_quantile(ordered, x)
        return None if math.isinf(v) else v

    return Spread(runs=len(values), observed=len(observed),
                  censored_after=min(cuts) if cuts else None,
                  min=q(0.0), p5=q(tail), q1=q(0.25), median=q(0.5), q3=q(0.75),
                  p95=q(1 - tail), max=q(1.0))


def inside(value: float, s: Spread) -> bool | None:
    """Whether a historical value falls in the model's central range [p5, p95].  A censored
    p95 lies beyond the horizon, so any value up to the horizon is below it; None if the
    model has no runs."""
    if s.runs == 0 or s.observed == 0 and s.censored_after is None:
        return None
    if s.p5 is None:  # even the 5th percentile is censored: only values past the horizon fit
        return s.censored_after is not None and value > s.censored_after
    if value < s.p5:
        return False
    if s.p95 is None:
        return s.censored_after is None or value <= s.censored_after
    return value <= s.p95


def verdict_of(hits: Sequence[bool | None]) -> Verdict:
    """All historical values in the model's range, some, none (or no data)."""
    known = [h for h in hits if h is not None]
    if not known:
        return "no data"
    k = sum(known)
    return "in range" if k == len(hits) else ("partly" if k else "out of range")


class Against(_Model):
    """Historical values set against the model's spread.

    `all_ended_chance`: when some runs never ended (no government by the run's end), the
    model's chance that every historical case would have ended within the shortest
    follow-up, as all of history's did: (1 - share never ended) ** cases.  A model that
    leaves most runs without a government has a range wide enough to hold any history, so
    history counts as out of range when this chance is below the tail."""

    history: list[float]
    model: Spread
    inside: int  # historical values inside the model's [p5, p95]
    of: int
    all_ended_chance: float | None = None
    verdict: Verdict


def against(history: Sequence[float], model: Spread, interval: float = 0.9) -> Against:
    hits = [inside(h, model) for h in history]
    verdict = verdict_of(hits)
    chance = None
    cut = model.censored_after
    if model.runs and model.observed < model.runs and cut is not None \
            and all(h <= cut for h in history):
        chance = (model.observed / model.runs) ** len(history)
        if chance < (1 - interval) / 2:
            verdict = "out of range"
    return Against(history=list(history), model=model, inside=sum(bool(h) for h in hits),
                   of=len(history), all_ended_chance=chance, verdict=verdict)


class Rate(_Model):
    """How often the model produces what history shows, and whether history is plausible
    under it: the chance of the model producing history's count is at least the tail."""

    history_count: int
    history_of: int
    runs: int  # runs where the question applies
    count: int
    rate: float | None
    chance_of_history: float | None  # binomial: the model's chance of history's exact count
    verdict: Verdict


def binomial_pmf(k: int, n: int, p: float) -> float:
    return math.comb(n, k) * p ** k * (1 - p) ** (n - k)


def rate(history_count: int, history_of: int, outcomes: Sequence[bool | None],
         interval: float = 0.9) -> Rate:
    """The model's rate over the runs where the outcome is defined, against history's count."""
    known = [o for o in outcomes if o is not None]
    if not known:
        return Rate(history_count=history_count, history_of=history_of, runs=0, count=0,
                    rate=None, chance_of_history=None, verdict="no data")
    count = sum(known)
    p = count / len(known)
    chance = binomial_pmf(history_count, history_of, p)
    tail = (1 - interval) / 2
    return Rate(history_count=history_count, history_of=history_of, runs=len(known),
                count=count, rate=p, chance_of_history=chance,
                verdict="in range" if chance >= tail else "out of range")
