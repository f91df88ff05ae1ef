"""Street mobilisation and armed clashes, as pure functions.

Two kinds of force shape Iraqi coalition politics outside the chamber: crowds (the Sadrists'
strength: in 2022 their supporters occupied parliament and entered the Green Zone) and armed
groups (on 29-30 August 2022 the Sadrists and Asa'ib Ahl al-Haq fought inside the Green Zone and
at least 30 people were killed; seed, section "Suicide mission").  These functions turn declared
capacities and attitudes into protest sizes, clash probabilities, casualty draws and effects;
the engine decides when to call them and supplies the random generator.

Scales: capacities, grievances, hostility, restraint and sizes are in [0, 1]; brigades are
counts (PMF brigades or equivalent units).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


def _unit(name: str, x: float) -> float:
    x = float(x)
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {x}")
    return x


# --- Mobilisation -------------------------------------------------------------------------------
def protest_size(
    capacity: float,
    grievance: float,
    call_strength: float,
    *,
    loyalty: float = 0.5,
    spontaneity: float = 0.1,
) -> float:
    """Size of a protest as a share (0..1) of the largest conceivable mobilisation.

    ``capacity`` is the movement's street capacity on that scale (the Sadrists near 1; the
    seed says the Framework's counter-protests looked insignificant beside them).  Followers
    turn out on the leader's call (``call_strength``); a ``loyalty`` share would come on the
    call alone and the rest only as far as they are aggrieved; a small ``spontaneity`` share
    comes out of grievance with no call at all.  Both default shares are assumptions.  The
    result rises with each input and never exceeds ``capacity``.
    """
    capacity = _unit("capacity", capacity)
    grievance = _unit("grievance", grievance)
    call = _unit("call_strength", call_strength)
    loyalty = _unit("loyalty", loyalty)
    spontaneity = _unit("spontaneity", spontaneity)
    called = call * (loyalty + (1.0 - loyalty) * grievance)
    spontaneous = spontaneity * grievance
    return capacity * (1.0 - (1.0 - called) * (1.0 - spontaneous))


def parliament_stalled(protest_size: float, threshold: float = 0.5) -> bool:
    """Whether a protest is big enough to stop parliament sitting (as in summer 2022)."""
    return _unit("protest_size", protest_size) >= _unit("threshold", threshold)


@dataclass(frozen=True, slots=True)
class MobilisationEffects:
    """What a protest does: the mobiliser's support, its relationship to its target, a stall."""

    support_change: float
    relationship_change: float
    stalled: bool


def mobilisation_effects(
    size: float,
    *,
    threshold: float = 0.5,
    support_gain: float = 0.02,
    strain: float = 0.2,
) -> MobilisationEffects:
    """Effects of a protest of ``size`` (share of the largest mobilisation).

    A show of strength raises the mobiliser's standing a little (``support_gain`` at full size,
    in vote share) and sours its relationship with the target (``strain`` at full size, on the
    -1..1 relationship scale); a protest past ``threshold`` stalls parliament.  The defaults are
    assumptions for the engine's parameters to override.
    """
    size = _unit("size", size)
    return MobilisationEffects(
        support_change=support_gain * size,
        relationship_change=-strain * size,
        stalled=parliament_stalled(size, threshold),
    )


def protest_days(rng: np.random.Generator, shortest: float, longest: float) -> float:
    """How long a protest wave lasts (days): log-uniform between the ``shortest`` and the
    ``longest`` on record.

    Why log-uniform: the record of Sadrist occupations spans two orders of magnitude with no
    typical length (the parliament stormings of April 2016 and July 2022 were over within hours,
    the 2016 sit-in at the Green Zone gates lasted about two weeks, the 2022 sit-in in
    parliament about a month), so every scale in between is about as likely: the median is the
    geometric mean of the two ends and nothing lasts beyond the longest.  Draws one uniform
    number from ``rng``."""
    if not 0.0 < shortest <= longest:
        raise ValueError(f"need 0 < shortest <= longest, got {shortest}, {longest}")
    return float(shortest * (longest / shortest) ** float(rng.random()))


def waiting_days(rng: np.random.Generator, per_day: float) -> float:
    """Days until the next event of a constant hazard ``per_day`` (exponential; infinite when
    the hazard is zero).  Draws one number from ``rng`` when the hazard is positive."""
    if per_day < 0:
        raise ValueError("a hazard must be non-negative")
    if per_day == 0:
        return math.inf
    return float(rng.exponential(1.0 / per_day))


# --- Clashes ------------------------------------------------------------------------------------
def clash_probability(
    a_brigades: float,
    b_brigades: float,
    hostility: float,
    restraint: float,
    *,
    intensity: float = 1.0,
    reference_brigades: float = 3.0,
) -> float:
    """Probability that two armed actors clash in one decision period.

    A clash needs both sides armed: the armed mass is the harmonic mean of the brigade counts
    (zero if either side has none), saturating as ``m / (m + reference_brigades)`` because a
    few brigades on each side already make fighting possible (the seed credits AAH with at
    least three).  The hazard ``intensity * hostility * (1 - restraint) * saturation`` becomes a
    probability as ``1 - exp(-hazard)``: rising in hostility and brigades, falling in restraint,
    always in [0, 1).  ``intensity`` is the per-period scale the engine calibrates.
    """
    if a_brigades < 0 or b_brigades < 0:
        raise ValueError("brigade counts must be non-negative")
    if intensity < 0 or reference_brigades <= 0:
        raise ValueError("intensity must be >= 0 and reference_brigades > 0")
    hostility = _unit("hostility", hostility)
    restraint = _unit("restraint", restraint)
    if a_brigades == 0 or b_brigades == 0:
        return 0.0
    mass = 2.0 * a_brigades * b_brigades / (a_brigades + b_brigades)
    saturation = mass / (mass + reference_brigades)
    hazard = intensity * hostility * (1.0 - restraint) * saturation
    return 1.0 - math.exp(-hazard)


@dataclass(frozen=True, slots=True)
class CasualtyModel:
    """Deaths in one clash: negative binomial with ``mean`` and ``dispersion`` k.

    Variance is ``mean + mean**2 / k``: counts of the dead are over-dispersed (most clashes are
    small, a few are massacres), which a Poisson cannot express.  ``scaled`` gives a model of
    a lesser or greater clash with the same shape.
    """

    mean: float
    dispersion: float

    def __post_init__(self) -> None:
        if not self.mean >= 0 or not self.dispersion > 0:
            raise ValueError("need mean >= 0 and dispersion > 0")

    @property
    def p(self) -> float:
        """Success probability in numpy's ``negative_binomial(n=dispersion, p)``."""
        return self.dispersion / (self.dispersion + self.mean)

    def scaled(self, factor: float) -> CasualtyModel:
        """Same dispersion, mean multiplied by ``factor`` (e.g. 0.1 for a skirmish)."""
        if factor < 0:
            raise ValueError("factor must be non-negative")
        return CasualtyModel(self.mean * factor, self.dispersion)


def casualty_pmf(model: CasualtyModel, k: int) -> float:
    """P(exactly ``k`` deaths) under ``model`` (closed form, no scipy needed)."""
    if k < 0:
        return 0.0
    if model.mean == 0:
        return 1.0 if k == 0 else 0.0
    r, p = model.dispersion, model.p
    log = (
        math.lgamma(k + r)
        - math.lgamma(r)
        - math.lgamma(k + 1)
        + r * math.log(p)
        + k * math.log1p(-p)
    )
    return math.exp(log)


def casualty_sf(model: CasualtyModel, k: int) -> float:
    """P(at least ``k`` deaths) under ``model``."""
    return max(0.0, 1.0 - sum(casualty_pmf(model, j) for j in range(max(k, 0))))


def calibrate_casualty_model(
    at_least: int, probability: float = 0.5, dispersion: float = 4.0
) -> CasualtyModel:
    """The model whose P(deaths >= ``at_least``) equals ``probability``, for a fixed dispersion.

    Solved by bisection on the mean (the tail probability rises with the mean).  This is how
    `GREEN_ZONE_2022` was set, so the calibration can be re-run or moved by an analyst.
    """
    _unit("probability", probability)
    lo, hi = 0.0, max(1.0, 10.0 * at_least)
    for _ in range(100):
        mid = (lo + hi) / 2
        if casualty_sf(CasualtyModel(mid, dispersion), at_least) < probability:
            lo = mid
        else:
            hi = mid
    return CasualtyModel(round((lo + hi) / 2, 2), dispersion)


# A *major* clash calibrated on the Green Zone fighting of 29-30 August 2022 ("at least 30
# people were killed", seed, section "Suicide mission"): with dispersion k = 4 the mean is chosen
# so that P(deaths >= 30) = 0.5.  This is the size of a battle, not of a typical clash: the
# engine draws clashes from the heavy-tailed model the world declares (`clash_model`), in which
# most clashes are skirmishes and a battle this size is rare.
GREEN_ZONE_2022 = CasualtyModel(mean=32.31, dispersion=4.0)


def clash_model(battle_deaths: int, battle_probability: float,
                dispersion: float) -> CasualtyModel:
    """The heavy-tailed deaths-per-clash model in which a clash kills at least
    ``battle_deaths`` with probability ``battle_probability``: a small dispersion (k < 1)
    puts most mass at zero and a few deaths and keeps a long tail (a battle like August 2022)."""
    return calibrate_casualty_model(battle_deaths, battle_probability, dispersion)


def draw_casualties(model: CasualtyModel, rng: np.random.Generator) -> int:
    """Deaths in one clash, drawn with the engine's seeded generator (never negative)."""
    if model.mean == 0:
        return 0
    return int(rng.negative_binomial(model.dispersion, model.p))


@dataclass(frozen=True, slots=True)
class ClashEffects:
    """Aftermath of a clash: support change per side (vote-share points) and relationship
    change."""

    support_change: dict[str, float]
    relationship_change: float


def clash_effects(
    casualties: int,
    sides: tuple[str, str],
    shares: Mapping[str, float],
    *,
    blame: Mapping[str, float] | None = None,
    cost_per_death: float = 0.005,
    max_cost: float = 0.25,
    hardening_per_death: float = 0.02,
    max_hardening: float = 1.0,
) -> ClashEffects:
    """Both sides lose support in proportion to the dead and to what they have; their rivalry
    hardens.

    Why both: bloodshed among Shia factions discredits everyone involved (after August 2022 Sadr
    withdrew further from politics).  Each side loses the fraction
    ``min(max_cost, 2 * blame_share * cost_per_death * casualties)`` of its vote share
    (``shares[side]``), so a small party loses little in points and can never be wiped out by one
    clash; ``blame`` shares (default equal, normalised) tilt the cost towards the side held
    responsible.  The relationship falls by ``min(max_hardening, hardening_per_death *
    casualties)`` on the -1..1 scale.  The rates come from the world (`behaviour`).
    """
    if casualties < 0:
        raise ValueError("casualties must be non-negative")
    a, b = sides
    if a == b:
        raise ValueError("a clash needs two different sides")
    if any(shares.get(x, 0.0) < 0 for x in sides):
        raise ValueError("vote shares must be non-negative")
    raw = {a: 1.0, b: 1.0} if blame is None else {x: float(blame.get(x, 0.0)) for x in sides}
    if any(v < 0 for v in raw.values()) or sum(raw.values()) <= 0:
        raise ValueError("blame shares must be non-negative and not all zero")
    total = sum(raw.values())
    support = {
        x: -shares.get(x, 0.0) * min(max_cost, 2.0 * raw[x] / total * cost_per_death * casualties)
        for x in sides
    }
    hardening = -min(max_hardening, hardening_per_death * casualties)
    return ClashEffects(support_change=support, relationship_change=hardening)
