"""The calibration targets: Iraq's record before the seed, as cited data (`seeds/calibration.yaml`).

The figures live in a seeds file, not in code, so that a reader can check each against its
source (every value is `Cited`, like the world's) and so that a new formation or election is a
line of YAML.  The file is loaded with the project's safe, located YAML loader: a mistake in it
is one `PATH:LINE:COL: field: message` line like any scenario's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.errors import InputError
from sim.schema.world import Cited

TARGETS_FILE = Path("seeds") / "calibration.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Formation(_Strict):
    """One government formation: election day, confidence vote, and the days between."""

    election: dt.date
    confidence: dt.date
    prime_minister: str
    days: Cited[int]

    @model_validator(mode="after")
    def _days_match_dates(self) -> Formation:
        if (self.confidence - self.election).days != self.days.value:
            raise ValueError(f"days {self.days.value} do not match the dates "
                             f"({(self.confidence - self.election).days})")
        return self


class SittingPmList(_Strict):
    """A sitting prime minister's list at the next election.

    A new list (Nasr 2018) is set beside the baseline's sitting PM, whose list is new too
    (Sudani's); an established list (State of Law 2010, 2014) beside the `hindcast` scenario
    that starts before that election with that PM in office, when there is one."""

    year: int
    list: str
    prime_minister: str
    new_list: bool
    seats: Cited[int]
    size: Cited[int]
    hindcast: str | None = None  # a scenario ending just after this election

    @property
    def share(self) -> float:
        return self.seats.value / self.size.value


class PrimeMinister(_Strict):
    """Whether a prime minister led the list that came first."""

    year: int
    prime_minister: str
    led_first_list: Cited[bool]


class ModelRuns(_Strict):
    """How the model is run for the targets: which scenario, followed for how long."""

    scenario: str
    horizon_days: Cited[int]
    interval: Cited[float]

    @model_validator(mode="after")
    def _ranges(self) -> ModelRuns:
        if not 0 < self.horizon_days.value <= 3650:
            raise ValueError("horizon_days must be between 1 and 3650")
        if not 0 < self.interval.value < 1:
            raise ValueError("interval must be between 0 and 1")
        return self


class HindcastObserved(_Strict):
    """What happened after the October 2021 election."""

    majority_attempt: Cited[bool]
    blocking_third: Cited[bool]
    sadrist_withdrawal: Cited[bool]
    clash: Cited[bool]
    days_to_government: Cited[int]
    withdrawal_day: Cited[int]
    prime_minister: Cited[str]  # a person id of the world's candidates
    # the resigning Sadrists' seats that passed to Framework lists, of `seats_vacated`
    framework_gain: Cited[int]
    seats_vacated: Cited[int]
    # days parliament could not sit for a sit-in after the withdrawal (2022: 30 Jul - 30 Aug)
    sit_in_days: Cited[int] | None = None
    # of the grouping deputies who joined the Framework's bloc, the share (%) in by the first
    # session (2022: 33 of 39)
    framework_joined_early: Cited[int] | None = None


class Hindcast(_Strict):
    scenario: str
    election: dt.date
    observed: HindcastObserved


class Targets(_Strict):
    """The whole of `seeds/calibration.yaml`."""

    formations: list[Formation] = Field(min_length=1)
    sitting_pm_lists: list[SittingPmList] = Field(min_length=1)
    prime_ministers: list[PrimeMinister] = Field(min_length=1)
    model: ModelRuns
    hindcast: Hindcast


def find_targets_file() -> Path:
    """`seeds/calibration.yaml` beside the package (a checkout), else under the working folder."""
    beside = Path(__file__).resolve().parents[2] / TARGETS_FILE
    return beside if beside.is_file() else Path.cwd() / TARGETS_FILE


def load_targets(path: str | Path | None = None) -> Targets:
    """Load and validate the targets; every problem is a located `InputError`."""
    from sim.yamlsrc import load_file

    p = Path(path) if path is not None else find_targets_file()
    if not p.is_file():
        raise InputError.at(str(p), "", "calibration targets not found")
    doc = load_file(p)
    try:
        return Targets.model_validate(doc.data)
    except ValidationError as exc:
        problems = [doc.problem(tuple(e["loc"]), e["msg"]) for e in exc.errors()]
        raise InputError(problems) from None
