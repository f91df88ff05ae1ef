"""Names the scenario language may use, declared once so the loader can check them.

The engine's behaviours (`sim.policies`) and institutions emit events of the kinds below and
read the policy knobs below; tests check that the two stay in step with this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVENANCES = ("seed", "external", "assumption")


@dataclass(frozen=True, slots=True)
class Knob:
    """A behaviour's knob: its default, the range a world or scenario value must lie in, and
    where the default comes from, in the world's provenance format: `"seed: Section | phrase"`
    (a short quote of the seed article), `"external: KEY"` (a key of FACTS.md or of the world's
    `sources:`) or `"assumption: the reason"`.  tests/test_world.py checks these like the
    world's own values; a run lists the assumed defaults it used in `summary.assumptions`."""

    default: float
    source: str
    lo: float = 0.0
    hi: float = 1.0
    note: str | None = None  # how the quoted source bears on the number, when it is not obvious

    def __post_init__(self) -> None:
        kind, sep, text = self.source.partition(": ")
        if kind not in PROVENANCES or not sep or not text.strip():
            raise ValueError(f"knob provenance {self.source!r} is not 'seed: Section | phrase',"
                             " 'external: KEY' or 'assumption: reason'")
        if kind == "seed" and " | " not in text:
            raise ValueError(f"seed provenance {text!r} is not 'Section | phrase'")
        if not self.lo <= self.default <= self.hi:
            raise ValueError(f"default {self.default} outside [{self.lo}, {self.hi}]")

    def provenance(self) -> dict[str, str]:
        """The provenance as a world value has it: {seed|external|assumption: text[, note]}."""
        kind, _, text = self.source.partition(": ")
        return {kind: text, **({"note": self.note} if self.note else {})}


A = "assumption: "
S = "seed: "
# policy kind -> knob -> its declaration (the world and scenarios may override the value; the
# loader refuses unknown knobs and values out of range; `Model.policy` falls back to the default)
POLICY_KNOB_SPECS: dict[str, dict[str, Knob]] = {
    "khazali": {
        "bridge_building": Knob(0.5, S + "Power instead of resistance | continues to build "
                                "bridges quietly", note="even odds of mending a tie each turn "
                                "is our reading of 'quietly'"),
        "post_seeking": Knob(0.5, A + "even odds of asking for a post on offer"),
        "dispute_aversion": Knob(0.8, S + "Introduction | so as not to begin a dispute with "
                                 "the prime minister", note="he backed down over the "
                                 "intelligence service; 0.8 (mostly backs down) is our reading"),
    },
    "sadr": {
        "return_hazard": Knob(0.02, A + "about one return in 50 turns without a trigger"),
        "mobilise_threshold": Knob(0.4, A + "grievance needed before calling supporters out"),
        "restraint": Knob(0.5, A + "neutral restraint of his armed wing"),
        "rest_days": Knob(20.0, A + "the middle of the record's gaps between the starts of "
                          "successive Sadrist waves", 1.0, 3650.0,
                          note="3 days (27 and 30 Jul 2022 [EFE-2022-07-31]), 20 (30 Apr and "
                          "20 May 2016 [STRAITSTIMES-2016-05-20]) and 43 (the sit-in of 18 Mar "
                          "2016 [REUTERS-2016-03-31] and the storming of 30 Apr "
                          "[DAILYSABAH-2016-04-30])"),
    },
    "maliki": {
        "law_push": Knob(0.0, A + "no push for the amendment unless a scenario sets one"),
        "outreach_to_sadr": Knob(0.0, A + "no outreach unless a scenario sets one"),
        "bloc_discipline": Knob(0.5, A + "even odds of managing the bloc each turn"),
    },
    "sudani": {
        "bloc_seeking": Knob(0.5, S + "Power instead of resistance | needs someone to support "
                             "him in Parliament", note="even odds of courting a base each "
                             "turn is our reading"),
        "patron_balance": Knob(0.5, A + "even odds of balancing Washington and Tehran"),
    },
    "framework_party": {"loyalty": Knob(0.5, A + "neutral loyalty to the Framework line")},
    "resistance": {"attack_propensity": Knob(0.05, A + "rare claimed strikes on US positions")},
    "us": {"sanction_propensity": Knob(0.3, A + "sanctions follow provocations about one time "
                                       "in three")},
    "iran": {"cohesion_push": Knob(0.03, A + "a small push for Framework unity each turn")},
    "broker": {
        "activity": Knob(0.5, A + "even odds of brokering each turn"),
        "inclusion_gain": Knob(0.02, A + "a small warming for those included"),
        "exclusion_cost": Knob(0.05, A + "exclusion hurts more than inclusion helps"),
    },
    "follower": {"conformity": Knob(0.2, A + "moves a fifth of the way to its partner's line")},
}
POLICY_KNOBS: dict[str, dict[str, float]] = {
    kind: {name: k.default for name, k in knobs.items()}
    for kind, knobs in POLICY_KNOB_SPECS.items()
}
POLICY_KNOB_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    kind: {name: (k.lo, k.hi) for name, k in knobs.items()}
    for kind, knobs in POLICY_KNOB_SPECS.items()
}


@dataclass(frozen=True, slots=True)
class Role:
    """A part a behaviour gives an actor, law or post of the world: the partner a prime
    minister courts, the bloc a leader holds together, the law he pushes.  The world names who
    plays it, actor by actor (`actors.X.policy.roles`), so no behaviour names a party of one
    world and a new world casts its own; a role the world leaves out switches off the moves
    that need it.  `refers` is what the name must be in the world: an actor, a list of actors,
    a law or a post (ministries included), or a new id no actor has (a bloc the role forms)."""

    refers: str
    what: str

    def __post_init__(self) -> None:
        if self.refers not in ROLE_REFERENCES:
            raise ValueError(f"role refers to {self.refers!r}, not one of {ROLE_REFERENCES}")


ROLE_REFERENCES = ("actor", "actors", "law", "post", "new")
# policy kind -> role -> its declaration (the world casts each actor's roles; the loader
# refuses unknown roles and names that are not the world's)
POLICY_ROLES: dict[str, dict[str, Role]] = {
    "khazali": {
        "coveted_post": Role("post", "the post it asks each new prime minister for"),
        "sanctioning_power": Role("actor", "whose sanctions line a prime minister without a "
                                  "party of his own follows in refusing it that post"),
    },
    "sadr": {"rival_leader": Role("actor", "the rival camp's leading party: warmth towards it "
                                  "makes a return to politics likelier")},
    "maliki": {
        "bloc": Role("actor", "the bloc he holds together (and whose members' alliance with "
                     "the prime minister alarms him)"),
        "amendment": Role("law", "the election-law amendment he pushes"),
        "boycotter": Role("actor", "the boycotting movement he keeps a line open to"),
    },
    "sudani": {
        "partner": Role("actor", "the party he courts for a base in parliament"),
        "patrons": Role("actors", "the outside powers he balances, reassuring the cooler one"),
        "bloc_leader": Role("actor", "the bloc leader whose hostility the partner weighs "
                            "before an open alliance"),
    },
    "framework_party": {
        "rival": Role("actor", "the movement whose return makes it close ranks"),
        "leader": Role("actor", "the party it closes ranks with"),
    },
    "resistance": {
        "target": Role("actor", "the power it strikes"),
        "government": Role("actor", "whom that power presses when no party holds the "
                           "premiership"),
    },
    "us": {},
    "iran": {"bloc": Role("actor", "the bloc it keeps together, mediating between members")},
    "broker": {},
    "follower": {},
}


# world role -> its declaration: the parts the institutions give actors or posts of the world
# (`roles:` in the world; a part left uncast switches off the mechanism that needs it)
WORLD_ROLES: dict[str, Role] = {
    "sanctioning_power": Role("actor", "the power whose sanctions reach armed parties, their "
                              "candidates and, through security posts, the state"),
    "cross_camp_builder": Role("actor", "the movement that, holding seats, draws friendly "
                               "parties of other camps into a majority bloc of its own "
                               "(the Sadrists' 'Save the Homeland' of 2022)"),
    "cross_camp_bloc": Role("new", "the id that bloc goes by in the log (no actor's)"),
    "builder_rival": Role("actor", "the declared bloc whose members stay with it even when "
                          "friendly to that movement"),
    "premier_security_post": Role("post", "the security post a prime minister keeps in his own "
                                  "hands, unless his party is sanctioned"),
}


def knob_range(kind: str, knob: str) -> tuple[float, float] | None:
    """The declared range of a policy knob, or None for an unknown kind or knob."""
    return POLICY_KNOB_RANGES.get(kind, {}).get(knob)


# world `behaviour:` constant -> the range [lo, hi] its value must lie in (checked when the world
# loads, after a scenario's overrides).  A constant missing here is only required to be finite:
# declare the range of a new one here, beside its first use.
BEHAVIOUR_RANGES: dict[str, tuple[float, float]] = {
    "alliance.acceptance": (0.0, 1.0),
    "alliance.courting_step": (0.0, 1.0),
    "alliance.framework_weight": (0.0, 1.0),
    "alliance.refusal_cooling": (0.0, 2.0),
    "alliance.threshold": (-1.0, 1.0),
    "clash.battle_deaths": (1.0, 1000.0),  # the calibration sums this many probabilities
    "clash.battle_probability": (0.0001, 0.9999),
    "clash.dispersion": (0.001, 100.0),
    "clash.hardening_per_death": (0.0, 1.0),
    "clash.max_support_cost": (0.0, 1.0),
    "clash.support_cost_per_death": (0.0, 1.0),
    "clash.reference_brigades": (0.001, 1000.0),  # a saturation scale: positive
    "clash.max_hardening": (0.0, 2.0),  # the relationship scale is 2 wide
    "incumbency.cadence_days": (1.0, 3650.0),  # a floor: time must pass between turns
    "incumbency.governor_merger_fraction": (0.0, 1.0),
    "incumbency.governor_merger_probability": (0.0, 1.0),
    "incumbency.min_relationship": (-1.0, 1.0),
    "incumbency.pm_list_ceiling": (0.0, 1.0),
    "incumbency.pm_merger_fraction": (0.0, 1.0),
    "incumbency.pm_merger_probability": (0.0, 1.0),
    "incumbency.window_days": (0.0, 3650.0),
    "maliki.deal_step": (0.0, 100.0),  # points on the 0..100 election-law scale
    "maliki.whip_step": (0.0, 100.0),
    "maliki.max_pushes": (0.0, 100.0),
    "policy.wake_jitter": (0.0, 0.99),  # a wake never comes at once or never
    "khazali.courtable_above": (-1.0, 1.0),
    "khazali.courtable_below": (-1.0, 1.0),
    "khazali.bridge_step": (0.0, 2.0),
    "khazali.rival_below": (-1.0, 1.0),
    "khazali.counter_call": (0.0, 1.0),
    "khazali.withdrawal_cost": (0.0, 2.0),
    "khazali.dispute_cost": (0.0, 2.0),
    "sadr.outreach_hazard": (0.0, 1.0),
    "sadr.call_boost": (0.0, 1.0),
    "maliki.outreach_step": (0.0, 2.0),
    "maliki.discipline_below": (-1.0, 1.0),
    "maliki.discipline_step": (0.0, 2.0),
    "sudani.patron_step": (0.0, 2.0),
    "framework.close_ranks_below": (-1.0, 1.0),
    "framework.close_ranks_step": (0.0, 2.0),
    "resistance.attack_strain": (0.0, 2.0),
    "resistance.us_pressure": (0.0, 2.0),
    "us.sanction_hostility": (-1.0, 1.0),
    "iran.mediate_below": (-1.0, 1.0),
    "follower.follow_above": (-1.0, 1.0),
    "follower.min_step": (0.0, 2.0),
    "grievance.exclusion": (0.0, 1.0),
    "grievance.rival_below": (-1.0, 1.0),
    "grievance.rival_weight": (0.0, 10.0),
    "grievance.rival_nominee": (0.0, 1.0),
    "protest.min_days": (0.001, 3650.0),  # a log-uniform draw needs a positive shortest
    "protest.loyalty": (0.0, 1.0),
    "protest.spontaneity": (0.0, 1.0),
    "protest.stall_threshold": (0.0, 1.0),
    "protest.support_gain": (0.0, 1.0),
    "protest.max_days": (0.001, 3650.0),
    "escalation.per_month": (0.0, 100.0),
    "escalation.clash_intensity": (0.0, 100.0),
    "escalation.stand_down_days": (0.0, 365.0),
    "sanctions.exposure_weight": (0.001, 100.0),
    "sanctions.sensitivity": (0.0, 100.0),
    # grouping deputies drawn into blocs after an election (sim.institutions.recruitment)
    "recruitment.available_share": (0.0, 1.0),
    "recruitment.cadence_days": (1.0, 365.0),  # a floor: time must pass between rounds
    "recruitment.half_life_days": (1.0, 3650.0),
    "recruitment.size_weight": (0.0, 10.0),
    "recruitment.prospect_weight": (0.0, 10.0),
    "recruitment.portfolio_weight": (0.0, 10.0),
    "recruitment.affinity_weight": (0.0, 10.0),
    "recruitment.sect_weight": (0.0, 10.0),
}


@dataclass(frozen=True, slots=True)
class EventKind:
    """What readers need to know about a kind of event, declared once.

    `category` groups kinds for readers (the report's violence chart, `sim explain`'s "why pm",
    the timeline's filters); `routine` kinds are background manoeuvring that the terminal and
    HTML timelines hide by default; `label` is the kind in words, for readers who should not
    see an id.  The engine refuses to emit a kind not declared here.
    """

    category: str
    routine: bool = False
    label: str = ""


CATEGORIES = ("run", "election", "law", "formation", "government", "street", "violence",
              "sanctions", "posts", "relations", "support", "policy")


def _kinds(category: str, routine: bool = False, **labels: str) -> dict[str, EventKind]:
    """Kinds of one category, each given with its label: `_kinds("law", law_changed="...")`."""
    return {name: EventKind(category, routine, label) for name, label in labels.items()}


# every event kind the engine can emit (what a trigger's `on: {kind: ...}` may name); an
# action's own kinds are declared with the action (`emits=` of `@action`, sim.schema.scenario)
KINDS: dict[str, EventKind] = {
    **_kinds("run", routine=True, run_started="run started", scheduled="scheduled event",
             trigger_fired="trigger fired"),
    **_kinds("election", election_held="election held",
             election_cancelled="election cancelled", results_announced="results announced",
             results_certified="results certified"),
    **_kinds("law", law_proposed="law proposed", law_rejected="law rejected",
             law_shelved="law shelved", law_vote_postponed="law vote postponed",
             stance_changed="stance changed"),
    # the constitutional sequence of government formation (sim.institutions.formation)
    **_kinds("formation", parliament_convened="parliament convened",
             speaker_elected="speaker elected", speaker_vote_failed="speaker vote failed",
             president_elected="president elected",
             president_vote_failed="president vote failed", boycott_deal="boycott deal",
             pm_nominated="prime minister nominated",
             pm_candidate_vetoed="candidate for prime minister vetoed",
             nomination_reopened="nomination reopened",
             pm_designated="prime minister designated",
             designate_withdrew="designate withdrew", confidence_vote="confidence vote",
             bloc_deadlocked="bloc deadlocked", talks_brokered="talks brokered",
             formation_failed="formation failed",
             deputies_resigned="deputies resigned", deputies_joined="deputies joined a bloc"),
    **_kinds("government", government_formed="government formed",
             ministers_approved="ministers approved", member_withdrew="member withdrew",
             government_collapsed="government collapsed"),
    **_kinds("street", protest_started="protest started", protest_ended="protest ended",
             escalation="leader escalates"),
    **_kinds("street", routine=True, mobilisation_called="supporters called out"),
    **_kinds("violence", clash="armed clash", attack_on_us="attack on US forces"),
    **_kinds("sanctions", sanctioned="sanctions imposed", sanction_lifted="sanctions lifted",
             state_sanctioned="state sanctioned"),
    **_kinds("posts", post_assigned="post assigned", post_demanded="post demanded",
             post_refused="post refused"),
    **_kinds("posts", routine=True, demand_withdrawn="demand withdrawn"),
    **_kinds("relations", dispute="dispute",
             left_out="left out", list_merged="lists merged",
             alliance_declined="alliance declined"),
    **_kinds("relations", routine=True, bridge_built="bridge built", outreach="outreach",
             bloc_managed="bloc managed", bloc_courted="bloc courted",
             patron_balanced="patrons balanced", ranks_closed="ranks closed",
             us_pressure="US pressure", mediation="mediation", deal_kept="deal kept",
             follows_lead="follows a partner's lead"),
    **_kinds("support", routine=True, incumbency="incumbency"),
    # a teacher's action injected into a live run, and a student's decision for the actor
    # they play (sim serve)
    **_kinds("run", intervention="intervention", decision="student's decision"),
}


def register_kinds(kinds: dict[str, EventKind], owner: str) -> None:
    """Add kinds declared elsewhere (an action's `emits=`) to the registry, once each."""
    for name, kind in kinds.items():
        if name in KINDS and KINDS[name] != kind:
            raise ValueError(f"event kind {name!r} of {owner} is already declared differently")
        if kind.category not in CATEGORIES:
            raise ValueError(f"event kind {name!r} of {owner}: unknown category "
                             f"{kind.category!r}; known: {', '.join(CATEGORIES)}")
        KINDS[name] = kind


def kind_label(kind: str) -> str:
    """The kind in words ('pm_nominated' -> 'prime minister nominated'); an undeclared kind
    (a foreign log) reads as its id with spaces."""
    found = KINDS.get(kind)
    return found.label if found is not None and found.label else kind.replace("_", " ")


def _register_action_kinds() -> None:
    """The kinds each action declares it emits (`@action(emits=...)`): one declaration per
    action, read here so that KINDS holds every kind before anything reads it."""
    from sim.schema.scenario import ACTION_EMITS

    for model, emits in ACTION_EMITS.items():
        register_kinds({k: EventKind(e.category, e.routine, e.label) for k, e in emits.items()},
                       f"action {model.__name__}")


_register_action_kinds()
EVENT_KINDS: frozenset[str] = frozenset(KINDS)
ROUTINE_KINDS: frozenset[str] = frozenset(k for k, v in KINDS.items() if v.routine)


def kinds_in(*categories: str) -> frozenset[str]:
    """The event kinds of the given categories."""
    return frozenset(k for k, v in KINDS.items() if v.category in categories)
