"""The world: actors, what they hold, and where every figure comes from.

Every number or post in `seeds/` is a `Cited` value: the value plus exactly one provenance,
`seed` ("Section | key phrase" in the source article), `external` (a key of shared/FACTS.md or of
the world's own `sources` registry) or
`assumption` (an analyst's guess, listed in every report).  Cross-references (an actor named as
a holder, a bloc member, a relationship end) are checked once, here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection
from typing import Annotated, Any, Generic, Literal, TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sim.catalogue import BEHAVIOUR_RANGES, POLICY_ROLES, WORLD_ROLES, knob_range
from sim.catalogue import POLICY_KNOBS as POLICIES
from sim.mechanics.elections import MAX_FIRST_DIVISOR
from sim.schema.provenance import Sourced as Provenance
from sim.schema.scenario import LawName

T = TypeVar("T")

Sect = Literal["shia", "sunni", "kurd", "minority", "mixed", "none"]
ActorKind = Literal["party", "bloc", "armed_group", "person", "state", "list"]
PostKind = Literal["governorship", "media", "security", "lever"]
ISSUES = ("election_law", "pmf_law", "us_presence", "premiership")

# Bounds on the world's sizes: each keeps the work of one election or power index bounded
# (arrays and loops grow with seats), far above any real parliament (Iraq: 329 seats; the
# largest governorate, Baghdad: 71).
MAX_PARLIAMENT = 1_000
MAX_GOVERNORATE_SEATS = 1_000
# parties that can hold seats: the power index's exact tables grow with parties x seats, and
# stay in fast int64 arithmetic up to 62 players (sim.mechanics.power)
MAX_PARTIES = 60
MAX_VOTERS_PER_SEAT = 10_000_000
MIN_CADENCE_DAYS = 1.0  # a policy acts at most daily: time must advance between its turns


# Ranges, declared once here as annotated types (pydantic checks them; mypy reads them as the
# plain number type).
Unit: TypeAlias = Annotated[float, Field(ge=0, le=1)]
Seats: TypeAlias = Annotated[int, Field(ge=0, le=MAX_PARLIAMENT)]
HouseSeats: TypeAlias = Annotated[int, Field(ge=1, le=MAX_PARLIAMENT)]
GovernorateSeats: TypeAlias = Annotated[int, Field(ge=1, le=MAX_GOVERNORATE_SEATS)]
QuotaSeats: TypeAlias = Annotated[int, Field(ge=0, le=MAX_GOVERNORATE_SEATS)]
Brigades: TypeAlias = Annotated[int, Field(ge=0, le=1000)]
CadenceDays: TypeAlias = Annotated[float, Field(ge=MIN_CADENCE_DAYS, le=3650)]
Weight: TypeAlias = Annotated[float, Field(gt=0, le=10)]  # a ministry's or post's weight
IssuePosition: TypeAlias = Annotated[float, Field(ge=0, le=100)]
Turnout: TypeAlias = Annotated[float, Field(gt=0, le=1)]  # a share of the electorate, in (0, 1]
VotersPerSeat: TypeAlias = Annotated[int, Field(ge=1, le=MAX_VOTERS_PER_SEAT)]
FirstDivisor: TypeAlias = Annotated[float, Field(gt=0, le=MAX_FIRST_DIVISOR)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Cited(Strict, Generic[T]):
    """A value with its provenance; exactly one of seed / external / assumption."""

    value: T
    seed: str | None = None
    external: str | None = None
    assumption: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Cited[T]:
        given = [k for k in ("seed", "external", "assumption") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("give exactly one provenance: seed, external or assumption")
        if self.seed is not None and "|" not in self.seed:
            raise ValueError("seed provenance is 'Section | key phrase'")
        return self

    @property
    def provenance(self) -> str:
        if self.seed:
            return "seed"
        return "external" if self.external else "assumption"


def plain(x: Any) -> Any:
    """A world number as a plain value: a Cited one's `value`, a bare one as it is.  Readers
    of the fields that accept both (a scenario's `world:` override may stay terse) call this at
    the edge, once per world where a hot path reads them."""
    return x.value if isinstance(x, Cited) else x


# A number the shipped world cites (`{value: v, seed|external|assumption: ...}`), also read bare
# (a scenario's override stays terse): spelled `Cited[X] | X`, the range X checked on either form.


class Sourced(Provenance):
    """A world record whose numbers share one provenance, given beside them: `{position: 45,
    salience: 0.6, assumption: "why"}` (sim.schema.provenance); `note` adds a remark to it.
    The shipped world gives every such record one (tests/test_world.py)."""

    note: str | None = None

    @model_validator(mode="after")
    def _note_needs_a_source(self) -> Sourced:
        if self.note is not None and self.provenance is None:
            raise ValueError("a note goes with a provenance (seed, external or assumption)")
        return self


class Stance(Sourced):
    """Position on an issue scale 0..100 and how much the actor cares (0..1), cited together."""

    position: float = Field(ge=0, le=100)
    salience: float = Field(ge=0, le=1)


class PolicySpec(Strict):
    """Which behaviour an actor follows and its knobs; see sim.policies.

    A knob left out takes its behaviour's declared default (`sim.catalogue.POLICY_KNOB_SPECS`,
    with its own provenance); a knob set here is a world value, cited like any other (a bare
    number is still read, e.g. in a scenario's `world:` override).  `roles` casts the parts the
    behaviour gives others (`sim.catalogue.POLICY_ROLES`: the partner it courts, the bloc it
    holds together); a part left uncast switches off the moves that need it."""

    kind: str
    cadence: Cited[CadenceDays] | CadenceDays = 30.0  # days between turns
    params: dict[str, Cited[float] | float] = Field(default_factory=dict)
    # who plays each part the behaviour gives others (`sim.catalogue.POLICY_ROLES`): an actor,
    # a list of actors, a law or a post of this world, by id
    roles: dict[str, str | list[str]] = Field(default_factory=dict)

    def values(self) -> dict[str, float]:
        """The knobs set here, as plain numbers."""
        return {k: float(v.value if isinstance(v, Cited) else v) for k, v in self.params.items()}

    def days(self) -> float:
        """The cadence as a plain number of days."""
        return float(plain(self.cadence))


class Actor(Strict):
    name: str
    leader: str | None = None
    kind: ActorKind
    sect: Sect = "none"
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    bloc: str | None = None
    members: list[str] = Field(default_factory=list)
    armed: bool = False
    brigades: Cited[Brigades] | None = None
    mobilisation: Cited[Unit] | None = None  # a capacity between 0 and 1
    sanctioned: Cited[bool] | None = None
    boycotting: Cited[bool] | None = None
    # a leader who can order the party's deputies to resign (Sadr, June 2022): see
    # `formation.withdrawal` for when he does
    withdraws_deputies: Cited[bool] | None = None
    capability: Cited[Unit] | None = None  # relative strength, 0..1
    provincial_seats: Cited[Seats] | None = None
    issues: dict[str, Stance] = Field(default_factory=dict)
    policy: PolicySpec | None = None

    @model_validator(mode="after")
    def _ranges(self) -> Actor:
        for issue in self.issues:
            if issue not in ISSUES:
                raise ValueError(f"unknown issue {issue!r}; known: {', '.join(ISSUES)}")
        return self




class Ministry(Strict):
    weight: Cited[Weight] | Weight
    sovereign: bool = False
    security: bool = False
    sect: Sect | None = None
    holder: Cited[str | None]


class Post(Strict):
    kind: PostKind
    weight: Cited[Weight] | Weight = 1.0
    holder: Cited[str | None]
    governorate: str | None = None


class Relationship(Strict):
    a: str
    b: str
    weight: Cited[float]

    @model_validator(mode="after")
    def _range(self) -> Relationship:
        if not -1 <= self.weight.value <= 1:
            raise ValueError("relationship weight must be between -1 (rivalry) and 1 (alliance)")
        if self.a == self.b:
            raise ValueError("a relationship needs two different actors")
        return self


class Governorate(Strict):
    seats: Cited[GovernorateSeats]
    quota: dict[str, Cited[QuotaSeats] | QuotaSeats] = Field(
        default_factory=dict)  # holder -> minority quota seats
    region: str

    def quota_seats(self) -> dict[str, int]:
        """The quota seats as plain numbers, holder -> seats."""
        return {k: plain(v) for k, v in self.quota.items()}

    def quota_total(self) -> int:
        """All the governorate's quota seats."""
        return sum(plain(v) for v in self.quota.values())


class ProvincialRecord(Strict):
    """One governorate's published result in the December 2023 provincial elections: seats by
    list (all winners), votes where a source gives them, ballots cast where published, and
    which actor of this world each list stands for.  The vote shares are rebuilt from these."""

    seats: dict[str, int]
    votes: dict[str, int] = Field(default_factory=dict)
    cast: int | None = Field(default=None, gt=0)
    actors: dict[str, str] = Field(default_factory=dict)  # list name -> actor id
    source: Cited[str]
    votes_source: Cited[str] | None = None
    cast_source: Cited[str] | None = None


class BoycottTransfer(Strict):
    """Where a boycotting list's potential voters go: most stay at home; `share` of them vote,
    split over other lists by `to` (weights, normalised)."""

    share: Cited[float]
    to: Cited[dict[str, float]]


class VoteShares(Strict):
    """Each list's potential share of the valid vote by governorate (one provenance for all)."""

    source: Cited[str]
    turnout: Cited[Turnout]  # a share of the electorate, in (0, 1]
    voters_per_seat: Cited[VotersPerSeat]
    shares: dict[str, dict[str, Unit]]
    record_2023: dict[str, ProvincialRecord] = Field(default_factory=dict)
    boycott_transfer: BoycottTransfer | None = None


class LawSpec(Strict):
    method: Literal["dhondt", "sainte-lague", "hare", "sntv"]
    position: Cited[IssuePosition] | IssuePosition | None = None  # on the election_law issue
    first_divisor: FirstDivisor | None = None
    districting: Literal["governorate", "districts"] = "governorate"
    districts: HouseSeats | None = None
    source: Cited[str]
    # A rule that sitting executive officials (the PM, governors) must leave office to stand:
    # the share of an official-led list's vote that follows the official and is lost.
    officials_barred: Cited[float] | None = None

    @model_validator(mode="after")
    def _barred_share(self) -> LawSpec:
        if self.officials_barred is not None and not 0 <= self.officials_barred.value <= 1:
            raise ValueError("officials_barred is a share of the vote between 0 and 1")
        return self


class VoteManagementSpec(Sourced):
    """How a list runs: candidates per seat and vote evenness (SNTV), and how many separate
    lists it really is (`fragments`: independents are many one-person lists, not one list);
    cited together (`fragment_skew` has its own)."""

    nomination: float = Field(gt=0, le=5)
    evenness: float = Field(gt=0, le=1)
    fragments: int = Field(default=1, ge=1, le=50)
    # sizes of the fragments: the i-th (from 1) gets weight i**-skew (0 = equal lists)
    fragment_skew: Cited[float] | None = None


class Parliament(Strict):
    size: Cited[HouseSeats]
    confidence_quota: Cited[HouseSeats]  # at most the size (World checks)
    president_quorum: Cited[HouseSeats]
    seats: dict[str, Cited[Seats]]
    # Certified runners-up (a hindcast's declared results): for a list, the seats its deputies'
    # runners-up would take, by list, should it resign.  Sums to that list's seats.
    runners_up: dict[str, dict[str, Cited[int]]] = {}


class Government(Strict):
    prime_minister: Cited[str]
    members: Cited[list[str]]
    formed: dt.date


class Candidate(Strict):
    """A person who could be prime minister: the largest bloc bargains over people, not parties.

    `party` is the actor whose list the person leads or belongs to (null for an independent or
    compromise figure); `positions` place the person on the actors' issue scales (0..100);
    `standing` (0..1) is how credible a premier the person is seen to be; `objections` give, per
    veto player (a key of `formation.veto_players`), the chance that it blocks the name when the
    bloc puts it forward (Washington, Tehran, the Marjaiya; Kurdish and Sunni parties block
    through the quorum).  `ties` give the person's own relationship (-1..1) with an actor where
    it differs from their party's: a former member of a party, a leader's chosen man, a figure
    a party put forward (an independent's ties are otherwise neutral).
    """

    name: str
    party: Cited[str | None]
    sect: Sect = "shia"
    positions: Cited[dict[str, float]] | dict[str, float] = Field(default_factory=dict)
    standing: Cited[float]
    objections: dict[str, Cited[float]] = Field(default_factory=dict)
    ties: dict[str, Cited[float]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ranges(self) -> Candidate:
        for issue, x in plain(self.positions).items():
            if issue not in ISSUES:
                raise ValueError(f"unknown issue {issue!r}; known: {', '.join(ISSUES)}")
            if not 0 <= x <= 100:
                raise ValueError(f"position on {issue} must be between 0 and 100")
        if not 0 <= self.standing.value <= 1:
            raise ValueError("standing must be between 0 and 1")
        for who, c in self.objections.items():
            if not 0 <= c.value <= 1:
                raise ValueError(f"objection of {who!r} is a probability between 0 and 1")
        for who, t in self.ties.items():
            if not -1 <= t.value <= 1:
                raise ValueError(f"tie with {who!r} must be between -1 (rivalry) and 1 (alliance)")
        return self


class Stage(Strict):
    """How long a stage of government formation takes: a triangular distribution of days
    (`low`, `mode`, `high`) with its provenance (calibrated against FACTS.md's formations)."""

    days: Cited[list[float]]

    @model_validator(mode="after")
    def _shape(self) -> Stage:
        d = self.days.value
        if len(d) != 3 or not 0 <= d[0] <= d[1] <= d[2] or d[2] > 3650:
            raise ValueError("days is [low, mode, high] with 0 <= low <= mode <= high <= 3650")
        return self


class VetoPlayer(Strict):
    """A player that can block a prime-minister candidate: an outside power (`actor`; null for
    one that is not an actor of the model, such as the Marjaiya in Najaf), or the parties of a
    community (`sect`), whose block bites only through the house's arithmetic: when the
    nominating bloc needs their seats for a majority, or they hold a blocking third."""

    name: str
    actor: str | None = None
    sect: Sect | None = None


class WithdrawalSpec(Strict):
    """When a party that can (`Actor.withdraws_deputies`) orders its deputies to resign while
    its bloc's government is blocked: at each failed president's session the chance is
    1 - exp(-hazard * failed_sessions * months), `months` the 30-day spans of deadlock past
    `patience` days since the election.  With no failed session (no deadlock) it is zero."""

    patience: Cited[float]   # days after the election before a withdrawal is considered
    hazard: Cited[float]     # per failed session and per 30 days of deadlock past `patience`
    runners_up: Cited[str]   # provenance of how the vacated seats are refilled (see formation)

    @field_validator("patience")
    @classmethod
    def _days(cls, v: Cited[float]) -> Cited[float]:
        if not (math.isfinite(v.value) and 0 <= v.value <= 3650):
            raise ValueError("days between 0 and 3650")
        return v

    @field_validator("hazard")
    @classmethod
    def _hazard(cls, v: Cited[float]) -> Cited[float]:
        if not (math.isfinite(v.value) and 0 <= v.value <= 10):
            raise ValueError("a hazard between 0 and 10")
        return v


class FormationSpec(Strict):
    """The constitutional road from an election to a government, with every duration and
    behavioural weight declared here (`sim.institutions.formation` reads nothing else)."""

    certification: Stage          # election -> results ratified
    # election -> preliminary results announced (the blocs start courting deputies then); none:
    # courting starts at the ratification
    preliminary_results: Stage | None = None
    first_session: Stage          # ratification -> first session of the new house
    session_retry: Stage          # a failed session (no quorum, no majority) -> the next one
    president_deadline: Stage     # first session -> the president's election is put to a vote
    nomination: Stage             # the largest bloc's bargaining over a name (each round)
    designation: Stage            # president elected (or a designate failed) -> designation
    cabinet: Stage                # designation -> cabinet presented (capped by the deadline)
    vacancy_fill: Stage           # rejected ministries -> filled by a later vote
    cabinet_deadline: Cited[int]  # the designate's days to present a cabinet (art. 76)
    deal_hazard: Cited[float]     # chance per 30 days of deadlock that a boycott ends in a deal
    deal_gain: Cited[float]       # how far a deal lifts a boycotter's relationship above hostility
    hostile_below: Cited[float]   # a relationship this low keeps a party from the president's
                                  # session and out of its bloc
    partner_above: Cited[float]   # a relationship this warm draws a party to the Sadrists' bloc
                                  # and to its partners' boycott of the president's session
    grouping_absence: Cited[float]  # while a boycott is on, a grouping's deputy stays away
    attendance: Cited[float] | None = None  # a deputy outside a boycott attends a vote (None:
                                            # all do)
    minor_ballots: Cited[float] | None = None  # a president's first round: a backer's ballot
                                               # goes to a minor candidate or is blank
    speaker_support: Cited[float]  # a deputy's chance to back the speaker's candidate, plus
                                   # the relationship of the deputy's party with the nominee's
    kdp_contest: Cited[float]     # chance that the second of president_parties fields its own
                                  # presidential candidate (in Iraq the KDP against the PUK's)
    # the offices' conventions: the community the speaker and the prime minister come from,
    # and the parties whose candidates contest the presidency (the first holds it by convention)
    speaker_sect: Cited[str]
    premier_sect: Cited[str]
    president_parties: Cited[list[str]]
    minister_rejection: Cited[float]   # chance parliament rejects one ordinary minister
    security_rejection: Cited[float]   # ... a security minister (Defence, Interior)
    armed_faction_objection: Cited[float]  # US objection to a PM from a sanctioned armed party
    holdout: Cited[float]         # chance a round fails, times the share against the name
    compromise_step: Cited[float]  # per failed round, times acceptability: a non-leader's gain
    strong_pm_aversion: Cited[float]  # partners' dislike of a PM whose party is big in the bloc
    stance_weight: Cited[float]        # a member's taste for a candidate's positions
    relationship_weight: Cited[float]  # ... for a candidate from a party it likes
    standing_weight: Cited[float]      # ... for a candidate's standing
    portfolio_value: Cited[float]      # what a share of the cabinet is worth to a party
    join_relationship_weight: Cited[float]  # relationship to the PM's camp, when joining
    join_stance_weight: Cited[float]   # distance to the PM on the issues it cares about
    opposition_cost: Cited[float]      # a declared opposition party's cost of joining (voters)
    join_noise: Cited[float]           # sd of the noise in a party's join decision
    veto_players: dict[str, VetoPlayer] = Field(default_factory=dict)
    declared_opposition: Cited[list[str]]
    not_parties: Cited[list[str]]      # groupings that never join a cabinet as units
    withdrawal: WithdrawalSpec | None = None  # a blocked bloc's leader withdraws his deputies
    # a deadlocked round or a vetoed name -> an outside broker ends the stalemate that may
    # follow it (none: the bloc moves on to its next round at once)
    stalemate: Stage | None = None

    @field_validator("deal_hazard", "kdp_contest", "minister_rejection", "security_rejection",
                     "armed_faction_objection", "holdout", "grouping_absence",
                     "speaker_support")
    @classmethod
    def _probability(cls, v: Cited[float]) -> Cited[float]:
        if not 0 <= v.value <= 1:
            raise ValueError("a probability between 0 and 1")
        return v

    @field_validator("attendance")
    @classmethod
    def _attendance(cls, v: Cited[float] | None) -> Cited[float] | None:
        if v is not None and not 0 < v.value <= 1:
            raise ValueError("a probability above 0, at most 1")
        return v

    @field_validator("minor_ballots")
    @classmethod
    def _minor_ballots(cls, v: Cited[float] | None) -> Cited[float] | None:
        if v is not None and not 0 <= v.value < 1:
            raise ValueError("a probability of at least 0, below 1")
        return v

    @field_validator("hostile_below", "partner_above", "deal_gain")
    @classmethod
    def _relationship(cls, v: Cited[float]) -> Cited[float]:
        if not -1 <= v.value <= 1:
            raise ValueError("on the relationship scale, between -1 and 1")
        return v

    @field_validator("compromise_step", "strong_pm_aversion", "stance_weight",
                     "relationship_weight", "standing_weight", "portfolio_value",
                     "join_relationship_weight", "join_stance_weight", "opposition_cost",
                     "join_noise")
    @classmethod
    def _weight(cls, v: Cited[float]) -> Cited[float]:
        if not (math.isfinite(v.value) and 0 <= v.value <= 100):
            raise ValueError("a weight between 0 and 100")
        return v

    @field_validator("cabinet_deadline")
    @classmethod
    def _deadline(cls, v: Cited[int]) -> Cited[int]:
        if not 1 <= v.value <= 3650:
            raise ValueError("days between 1 and 3650")
        return v


class PastEvent(Strict):
    date: dt.date
    kind: str
    actors: list[str] = Field(default_factory=list)
    summary: str
    figures: dict[str, Any] = Field(default_factory=dict)
    source: Cited[str]


class Source(Strict):
    """One outside source that `external:` keys may name besides shared/FACTS.md: the registry
    lets a figure looked up later (e.g. a governorate's 2023 results) carry its own citation."""

    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    date: dt.date | None = None  # publication date, when the source gives one
    url: str = Field(pattern=r"^https?://\S+$")
    note: str | None = None


SOURCE_KEY_PATTERN = r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$"  # SHAFAQ-2023-12-28, WIKI-GOV-2023, ...


MapX = Annotated[float, Field(ge=-2.0, le=2.0)]  # the alliance maps' chart units
MapY = Annotated[float, Field(ge=-1.25, le=1.15)]


class Display(Strict):
    """How reports draw this world.  Nothing here drives behaviour, so none of it needs
    provenance; it reaches the reports through summary.json (`sim.summary.display`), so that
    no report module knows any world's actors."""

    # actor -> a short chart label, used when the actor's name is too long for a chart
    short: dict[str, str] = Field(default_factory=dict)
    # actor -> its place on the alliance maps, in chart units (x -2..2, y -1.25..1.15): allies
    # close together, so most alliance lines are short; actors without one go on a spare row
    map: dict[str, tuple[MapX, MapY]] = Field(default_factory=dict)
    # the sects (camps) left to right across a parliament chart; others follow in id order
    camps: list[Sect] = Field(default_factory=list)
    # groupings that close a parliament chart's row (independents, small lists), in this order
    seated_last: list[str] = Field(default_factory=list)


class World(Strict):
    """The whole initial world; `seeds/world.yaml` validates against this."""

    seed_document: str
    start_date: dt.date
    parliament: Parliament
    actors: dict[str, Actor]
    ministries: dict[str, Ministry]
    posts: dict[str, Post]
    relationships: list[Relationship]
    governorates: dict[str, Governorate]
    votes: VoteShares
    laws: dict[str, LawSpec]
    election_law: LawName()  # `election_law: 2013` unquoted names the law '2013'
    vote_management: dict[str, VoteManagementSpec] = Field(default_factory=dict)
    government: Government
    candidates: dict[str, Candidate]
    formation: FormationSpec
    history: list[PastEvent] = Field(default_factory=list)
    sources: dict[str, Source] = Field(default_factory=dict)
    # Numbers that drive behaviour (policies, the street, posts, incumbency), by dotted name
    # ("clash.dispersion"), each with its provenance: see sim.institutions.behaviour.
    behaviour: dict[str, Cited[float]] = Field(default_factory=dict)
    # who plays the parts the institutions give (`sim.catalogue.WORLD_ROLES`), by id
    roles: dict[str, str] = Field(default_factory=dict)
    display: Display = Field(default_factory=Display)

    def _role_problems(self, cast: dict[str, Any], declared: dict[str, Any],
                       where: tuple[str | int, ...], whose: str
                       ) -> list[tuple[tuple[str | int, ...], str]]:
        """A cast of roles (an actor's behaviour's, or the world's institutions'): each role
        declared, each name one of this world's actors, laws or posts as the role requires (a
        new id: none of its actors)."""
        known: dict[str, Collection[str]] = {
            "actor": self.actors.keys(), "law": self.laws.keys(),
            "post": self.ministries.keys() | self.posts.keys()}
        problems: list[tuple[tuple[str | int, ...], str]] = []
        for role, names in cast.items():
            at = (*where, role)
            spec = declared.get(role)
            if spec is None:
                problems.append((at, f"unknown role {role!r} for {whose}; known: "
                                 + (", ".join(sorted(declared)) or "none")))
                continue
            many = spec.refers == "actors"
            if many != isinstance(names, list):
                problems.append((at, f"role {role!r} takes "
                                 + ("a list of actors" if many else f"one {spec.refers}")))
                continue
            if spec.refers == "new":
                if names in self.actors:
                    problems.append((at, f"{names!r} is an actor's id; this role names a new "
                                     "one"))
                continue
            pool = known["actor" if many else spec.refers]
            for i, name in enumerate(names if isinstance(names, list) else [names]):
                if name not in pool:
                    problems.append(((*at, i) if many else at,
                                     f"unknown {'actor' if many else spec.refers} {name!r}"))
        return problems

    def reference_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Cross-references that pydantic cannot check field by field, as (path, message)."""
        actors = self.actors
        problems: list[tuple[tuple[str | int, ...], str]] = []

        def need(name: str | None, *where: str | int) -> None:
            if name is not None and name not in actors:
                problems.append((where, f"unknown actor {name!r}"))

        for aid, actor in actors.items():
            need(actor.bloc, "actors", aid, "bloc")
            for i, m in enumerate(actor.members):
                need(m, "actors", aid, "members", i)
            if actor.policy is not None:
                if actor.policy.kind not in POLICIES:
                    problems.append((("actors", aid, "policy", "kind"),
                                     f"unknown policy {actor.policy.kind!r}; known: "
                                     + ", ".join(sorted(POLICIES))))
                else:
                    for knob in actor.policy.params:
                        if knob not in POLICIES[actor.policy.kind]:
                            problems.append((("actors", aid, "policy", "params", knob),
                                             f"unknown knob {knob!r} for policy "
                                             f"{actor.policy.kind!r}; known: "
                                             + ", ".join(sorted(POLICIES[actor.policy.kind]))))
                            continue
                        span = knob_range(actor.policy.kind, knob)
                        got = actor.policy.values()[knob]
                        if span is not None and not span[0] <= got <= span[1]:
                            problems.append((("actors", aid, "policy", "params", knob),
                                             f"policy knob {knob!r} must be between "
                                             f"{span[0]:g} and {span[1]:g} (got {got:g})"))
                    problems.extend(self._role_problems(
                        actor.policy.roles, POLICY_ROLES.get(actor.policy.kind, {}),
                        ("actors", aid, "policy", "roles"), f"policy {actor.policy.kind!r}"))
        problems.extend(self._role_problems(self.roles, WORLD_ROLES, ("roles",),
                                            "the world's institutions"))
        for party, c in self.parliament.seats.items():
            need(party, "parliament", "seats", party)
            if c.value < 0:
                problems.append((("parliament", "seats", party), "seats cannot be negative"))
        for party, gains in self.parliament.runners_up.items():
            need(party, "parliament", "runners_up", party)
            for gainer, n in gains.items():
                need(gainer, "parliament", "runners_up", party, gainer)
                if n.value < 0:
                    problems.append((("parliament", "runners_up", party, gainer),
                                     "seats cannot be negative"))
            held = self.parliament.seats[party].value if party in self.parliament.seats else 0
            handed = sum(c.value for c in gains.values())
            if handed != held:
                problems.append((("parliament", "runners_up", party),
                                 f"runners-up take {handed} seats, but {party!r} holds {held}"))
        total = sum(c.value for c in self.parliament.seats.values())
        if total != self.parliament.size.value:
            problems.append((("parliament", "seats"),
                             f"seats sum to {total}, not {self.parliament.size.value}"))
        for name, ministry in self.ministries.items():
            need(ministry.holder.value, "ministries", name, "holder")
        for name, post in self.posts.items():
            need(post.holder.value, "posts", name, "holder")
            if post.governorate is not None and post.governorate not in self.governorates:
                problems.append((("posts", name, "governorate"), "unknown governorate"))
        for i, r in enumerate(self.relationships):
            need(r.a, "relationships", i, "a")
            need(r.b, "relationships", i, "b")
        for gov, row in self.votes.shares.items():
            if gov not in self.governorates:
                problems.append((("votes", "shares", gov), "unknown governorate"))
            for party, share in row.items():
                need(party, "votes", "shares", gov, party)
                if share < 0:
                    problems.append((("votes", "shares", gov, party), "negative share"))
        for g, gv in self.governorates.items():
            for holder, held_seats in gv.quota_seats().items():
                need(holder, "governorates", g, "quota", holder)
                if held_seats < 0 or held_seats > gv.seats.value:
                    problems.append((("governorates", g, "quota", holder),
                                     "quota seats must be between 0 and the governorate's seats"))
        problems += self._consistency_problems()
        if self.election_law not in self.laws:
            problems.append((("election_law",), f"unknown law {self.election_law!r}"))
        pm = self.government.prime_minister.value
        if pm not in self.candidates:
            problems.append((("government", "prime_minister"),
                             f"unknown candidate {pm!r} (the prime minister is a person of "
                             f"`candidates`)"))
        for cid, person in self.candidates.items():
            need(person.party.value, "candidates", cid, "party")
            for who in person.ties:
                need(who, "candidates", cid, "ties", who)
            vetoes = self.formation.veto_players
            for who in person.objections:
                if who not in vetoes:
                    problems.append((("candidates", cid, "objections", who),
                                     f"unknown veto player {who!r}; declared: "
                                     + (", ".join(sorted(vetoes)) or "none")))
        for vid, v in self.formation.veto_players.items():
            need(v.actor, "formation", "veto_players", vid, "actor")
        for i, a in enumerate(self.formation.declared_opposition.value):
            need(a, "formation", "declared_opposition", i)
        for i, a in enumerate(self.formation.not_parties.value):
            need(a, "formation", "not_parties", i)
        for i, a in enumerate(self.formation.president_parties.value):
            need(a, "formation", "president_parties", i)
        for i, member in enumerate(self.government.members.value):
            need(member, "government", "members", i)
        for party in self.vote_management:
            need(party, "vote_management", party)
        for gov, rec in self.votes.record_2023.items():
            if gov not in self.governorates:
                problems.append((("votes", "record_2023", gov), "unknown governorate"))
            for lst, list_actor in rec.actors.items():
                need(list_actor, "votes", "record_2023", gov, "actors", lst)
            for lst in rec.votes:
                if lst not in rec.seats:
                    problems.append((("votes", "record_2023", gov, "votes", lst),
                                     "votes for a list with no seats entry"))
        if self.votes.boycott_transfer is not None:
            for party in self.votes.boycott_transfer.to.value:
                need(party, "votes", "boycott_transfer", "to", party)
        for field in ("short", "map"):
            for actor in getattr(self.display, field):
                need(actor, "display", field, actor)
        for i, a in enumerate(self.display.seated_last):
            need(a, "display", "seated_last", i)
        for key in self.sources:
            if not re.match(SOURCE_KEY_PATTERN, key):
                problems.append((("sources", key),
                                 "a source key is upper case words joined by '-', "
                                 "e.g. SHAFAQ-2023-12-28"))
        return problems

    def _consistency_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Whole-world facts that hold between fields: what an election, a confidence vote or
        a bloc needs in order to run at all (each a located problem, never a crash mid-run)."""
        problems: list[tuple[tuple[str | int, ...], str]] = []
        size = self.parliament.size.value
        for quota_field in ("confidence_quota", "president_quorum"):
            value = getattr(self.parliament, quota_field).value
            if value > size:
                problems.append((("parliament", quota_field),
                                 f"{value} is more than the parliament's {size} seats"))
        lists = {p for row in self.votes.shares.values() for p in row}
        seated = set(self.parliament.seats) | lists
        if len(seated) > MAX_PARTIES:
            problems.append((("parliament", "seats"),
                             f"{len(seated)} parties hold or contest seats; at most "
                             f"{MAX_PARTIES} (the power index grows with each one)"))
        total = sum(g.seats.value for g in self.governorates.values())
        if self.governorates and total != size:
            problems.append((("governorates",), f"governorates' seats sum to {total}, not the "
                                                f"parliament's size {size}"))
        for g, gv in self.governorates.items():
            quota = gv.quota_seats()
            quota_total = sum(quota.values())
            if quota_total > gv.seats.value >= max(quota.values(), default=0):
                problems.append((("governorates", g, "quota"),
                                 f"quota seats sum to {quota_total}, more than the "
                                 f"governorate's {gv.seats.value} seats"))
            row = self.votes.shares.get(g)
            if quota_total < gv.seats.value and (row is None or not any(row.values())):
                problems.append((("votes", "shares", g) if row is not None else
                                 ("votes", "shares"),
                                 f"no vote shares for governorate {g!r}: its "
                                 f"{gv.seats.value - quota_total} general seats could not be "
                                 "filled"))
        for aid, actor in self.actors.items():
            problems += _duplicates(actor.members, ("actors", aid, "members"), "member")
            if aid in actor.members:
                problems.append((("actors", aid, "members", actor.members.index(aid)),
                                 "an actor cannot be its own member"))
        problems += _duplicates(self.government.members.value, ("government", "members"),
                                "member")
        for name, cited_value in self.behaviour.items():
            span = BEHAVIOUR_RANGES.get(name)
            if span is not None and not span[0] <= cited_value.value <= span[1]:
                problems.append((("behaviour", name, "value"),
                                 f"must be between {span[0]:g} and {span[1]:g} "
                                 f"(got {cited_value.value:g})"))
        shortest, longest = self.behaviour.get("protest.min_days"), \
            self.behaviour.get("protest.max_days")
        if shortest is not None and longest is not None and shortest.value > longest.value:
            problems.append((("behaviour", "protest.max_days", "value"),
                             f"must be at least protest.min_days ({shortest.value:g})"))
        general = total - sum(g.quota_total() for g in self.governorates.values())
        for name, law in self.laws.items():
            if law.first_divisor is not None and law.method != "sainte-lague":
                problems.append((("laws", name, "first_divisor"),
                                 f"a first divisor applies only to sainte-lague, not "
                                 f"{law.method}"))
            if law.districting == "districts":
                if law.districts is None:
                    problems.append((("laws", name, "districting"),
                                     "districting 'districts' needs a district count "
                                     "(districts: N)"))
                elif not len(self.governorates) <= law.districts <= max(general, 1):
                    problems.append((("laws", name, "districts"),
                                     f"{law.districts} districts: need at least one per "
                                     f"governorate ({len(self.governorates)}) and at most one "
                                     f"per general seat ({general})"))
            elif law.districts is not None:
                problems.append((("laws", name, "districts"),
                                 "a district count applies only to districting 'districts'"))
        return problems


def _duplicates(items: list[str], where: tuple[str | int, ...],
                what: str) -> list[tuple[tuple[str | int, ...], str]]:
    seen: set[str] = set()
    out: list[tuple[tuple[str | int, ...], str]] = []
    for i, item in enumerate(items):
        if item in seen:
            out.append(((*where, i), f"{what} {item!r} is listed twice"))
        seen.add(item)
    return out
