"""US sanctions: on an actor, and the risk that they spread to the Iraqi state.

The seed's December 2022 episode (section "The Posts Khazali Controls" and its opening): Khazali
wanted the intelligence service, and Sudani was warned that handing it to a party under US
sanctions might bring more sanctions on Iraq as a whole; Khazali withdrew the request.  So the
risk to the state depends on *who* holds *which* security post and on how hostile Washington is.
These functions are pure; the engine draws whether a risk materialises with its own generator.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


def _unit(name: str, x: float) -> float:
    x = float(x)
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {x}")
    return x


def state_sanction_risk(
    holder_sanctioned: bool,
    post_security_weight: float,
    us_hostility: float,
    base: float = 0.0,
    *,
    sensitivity: float = 1.5,
) -> float:
    """Probability (per decision period) that the US sanctions the Iraqi state.

    ``base`` is the risk with no sanctioned party in a security post.  A sanctioned holder of a
    post with security weight ``w`` (1 = the intelligence service, 0 = no security role) under
    US hostility ``h`` adds a hazard ``sensitivity * w * h``:
    ``risk = 1 - (1 - base) * exp(-sensitivity * w * h)``.  So the risk equals ``base`` unless a
    sanctioned party holds a security post, rises with both the post and the hostility, and
    stays in [0, 1].  ``sensitivity`` 1.5 (risk about 0.78 for the intelligence service under
    full hostility) is an assumption.
    """
    w = _unit("post_security_weight", post_security_weight)
    h = _unit("us_hostility", us_hostility)
    base = _unit("base", base)
    if sensitivity < 0:
        raise ValueError("sensitivity must be non-negative")
    if not holder_sanctioned:
        return base
    return 1.0 - (1.0 - base) * math.exp(-sensitivity * w * h)


def combined_state_sanction_risk(
    posts: Iterable[tuple[bool, float]],
    us_hostility: float,
    base: float = 0.0,
    *,
    sensitivity: float = 1.5,
) -> float:
    """State sanction risk from several posts, each a ``(holder_sanctioned, weight)`` pair.

    Hazards add up, so two sensitive posts in sanctioned hands are riskier than one; with a
    single post this equals `state_sanction_risk`.
    """
    h = _unit("us_hostility", us_hostility)
    base = _unit("base", base)
    if sensitivity < 0:
        raise ValueError("sensitivity must be non-negative")
    hazard = sum(_unit("post weight", w) for sanctioned, w in posts if sanctioned)
    return 1.0 - (1.0 - base) * math.exp(-sensitivity * hazard * h)


@dataclass(frozen=True, slots=True)
class SanctionEffects:
    """Consequences of a sanction: multiply the target's influence, shift the economy.

    ``influence_factor`` in [0, 1] multiplies the target's influence score; ``economy_change``
    (<= 0) is the change in an economy index, a proportion of its value.
    """

    influence_factor: float
    economy_change: float


def sanction_effects(
    on_state: bool,
    severity: float,
    exposure: float = 1.0,
    *,
    actor_influence_cost: float = 0.25,
    state_influence_cost: float = 0.1,
    state_economy_cost: float = 0.3,
) -> SanctionEffects:
    """Effects of a sanction of ``severity`` (0..1) on an actor or on the state.

    An actor's sanction mostly costs it influence (partners keep their distance, posts become
    liabilities, as in the intelligence-service dispute) and barely touches the economy.  A
    state sanction hits the economy in proportion to its ``exposure`` to the dollar system and
    costs every actor in government a little influence.  The cost rates are assumptions.
    """
    s = _unit("severity", severity)
    e = _unit("exposure", exposure)
    for name, v in (
        ("actor_influence_cost", actor_influence_cost),
        ("state_influence_cost", state_influence_cost),
        ("state_economy_cost", state_economy_cost),
    ):
        _unit(name, v)
    if on_state:
        return SanctionEffects(1.0 - state_influence_cost * s, -state_economy_cost * s * e)
    return SanctionEffects(1.0 - actor_influence_cost * s, 0.0)
