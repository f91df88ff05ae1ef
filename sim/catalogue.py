"""Names the scenario language may use, declared once so the loader can check them.

The engine's behaviours (`sim.policies`) and institutions emit events of the kinds below and
read the policy knobs below; tests check that the two stay in step with this catalogue.
"""

from __future__ import annotations

# policy kind -> its knobs and their defaults (the world and scenarios may override them)
POLICY_KNOBS: dict[str, dict[str, float]] = {
    "khazali": {"bridge_building": 0.5, "post_seeking": 0.5, "dispute_aversion": 0.8},
    "sadr": {"return_hazard": 0.02, "mobilise_threshold": 0.4, "restraint": 0.5,
             "rest_days": 90.0},
    "maliki": {"law_push": 0.0, "outreach_to_sadr": 0.0, "bloc_discipline": 0.5},
    "sudani": {"bloc_seeking": 0.5, "patron_balance": 0.5},
    "framework_party": {"loyalty": 0.5},
    "resistance": {"attack_propensity": 0.05},
    "us": {"sanction_propensity": 0.3},
    "iran": {"cohesion_push": 0.03},
    "broker": {"activity": 0.5, "inclusion_gain": 0.02, "exclusion_cost": 0.05},
    "follower": {"conformity": 0.2},
}

# policy kind -> knob -> the range [lo, hi] its value must lie in (checked when a scenario
# loads, for literal values and for the declared range of a `$parameter` used as the value).
# Propensities, thresholds and shares are probabilities or fractions; `rest_days` is a
# duration, floored at a day so that a policy cannot re-act with no time passing.
_UNIT = (0.0, 1.0)
POLICY_KNOB_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    kind: {knob: _UNIT for knob in knobs} for kind, knobs in POLICY_KNOBS.items()
}
POLICY_KNOB_RANGES["sadr"]["rest_days"] = (1.0, 3650.0)


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
    "incumbency.cadence_days": (1.0, 3650.0),  # a floor: time must pass between turns
    "incumbency.governor_merger_fraction": (0.0, 1.0),
    "incumbency.governor_merger_probability": (0.0, 1.0),
    "incumbency.min_relationship": (-1.0, 1.0),
    "incumbency.pm_merger_fraction": (0.0, 1.0),
    "incumbency.pm_merger_probability": (0.0, 1.0),
    "incumbency.window_days": (0.0, 3650.0),
    "maliki.deal_step": (0.0, 100.0),  # points on the 0..100 election-law scale
    "maliki.whip_step": (0.0, 100.0),
}


def knob_range(kind: str, knob: str) -> tuple[float, float] | None:
    """The declared range of a policy knob, or None for an unknown kind or knob."""
    return POLICY_KNOB_RANGES.get(kind, {}).get(knob)


# every event kind the engine can emit (what a trigger's `on: {kind: ...}` may name)
EVENT_KINDS: frozenset[str] = frozenset({
    "run_started", "scheduled", "trigger_fired", "election_held", "election_cancelled",
    "law_changed",
    "law_proposed", "law_rejected", "law_shelved", "law_vote_postponed", "boycott_started",
    "boycott_ended",
    "alliance_formed", "alliance_broken", "relationship_changed", "support_changed",
    "protest_started", "protest_ended", "mobilisation_called", "clash", "sanctioned",
    "sanction_lifted", "state_sanctioned", "post_assigned", "post_demanded", "post_refused",
    "demand_withdrawn", "dispute", "member_withdrew", "government_collapsed",
    "government_formed", "president_elected", "president_vote_failed", "pm_nominated",
    "confidence_vote", "formation_failed", "policy_changed", "stance_changed", "bridge_built",
    "outreach",
    "bloc_managed", "bloc_courted", "incumbency", "list_merged", "alliance_declined",
    "patron_balanced", "ranks_closed",
    "attack_on_us", "us_pressure", "mediation", "deal_kept", "left_out", "follows_lead",
    # the constitutional sequence of government formation (sim.institutions.formation)
    "results_certified", "parliament_convened", "speaker_elected", "speaker_vote_failed",
    "boycott_deal", "pm_candidate_vetoed", "nomination_reopened", "pm_designated",
    "designate_withdrew", "ministers_approved", "bloc_deadlocked",
    "intervention",  # a teacher's or student's action injected into a live run (sim serve)
    "decision",  # a student's decision for the actor they play in a live run (sim serve)
})
