"""Bargaining over a single issue: where does a dispute settle, and does a proposal pass?

Two families of models, both driven by each actor's stance on a 0..100 issue scale:

* **Expected-utility bargaining** in the tradition of Bueno de Mesquita (1994; reconstructed in
  the open literature by Scholz, Calbert & Smith 2011).  Actors weigh whether challenging another
  actor's position pays, given how third parties would side in the contest; credible threats turn
  into offers, and actors shift toward the least costly offer they receive.  The forecast is the
  influence-weighted median of positions, so the rounds say how the median is expected to drift.
* **Probabilistic Condorcet elections** in the style of KTAB (the King Abdullah Petroleum Studies
  and Research Center's agent-based toolkit).  Every pair of options meets in a contest won with
  probability rising in the influence-weighted support for each side; a Markov chain in which the
  current choice is repeatedly challenged by another option then settles into a stationary
  distribution: the probability each option ends up chosen.  This is what the engine asks when a
  bill (an election-law amendment, say) faces the status quo.

Shared conventions.  An actor's utility for an outcome ``x`` is ``1 - |x - position| / 100``:
linear loss, 1 at its own position and 0 at the far end of the scale.  Its *influence* is
``capability * salience``: strength it is willing to spend on this issue.  Salience enters once,
through influence, so a strong actor who does not care weighs little.  A vote of actor k between
outcomes a and b is ``influence_k * (u_k(a) - u_k(b))``, as in both models above.

Everything here is pure: functions of plain data, no randomness, no state.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

__all__ = [
    "SCALE",
    "BargainingError",
    "IssueStance",
    "acceptability",
    "bdm_forecast",
    "bdm_rounds",
    "challenge_utility",
    "condorcet_probabilities",
    "condorcet_rows",
    "decision_probabilities",
    "passage_probability",
    "success_probability",
    "utility",
    "weighted_median",
]

#: Width of the issue scale; positions live in [0, SCALE].
SCALE = 100.0

#: How much a position has to differ before the model treats two actors as apart.
_EPS = 1e-12

A = TypeVar("A", bound=Hashable)
Opt = TypeVar("Opt", bound=Hashable)


class BargainingError(ValueError):
    """Malformed bargaining input: out-of-range stance, negative weight, inconsistent options."""


@dataclass(frozen=True, slots=True)
class IssueStance:
    """Where an actor stands on one issue, how much it cares, and how strong it is."""

    position: float  # 0..100 on the issue scale
    salience: float  # 0..1: share of its attention and resources the issue gets
    capability: float  # >= 0: raw strength (seats, guns, money) in any common unit

    def __post_init__(self) -> None:
        if not (math.isfinite(self.position) and 0.0 <= self.position <= SCALE):
            raise BargainingError(f"position must be in [0, {SCALE:g}], got {self.position!r}")
        if not (math.isfinite(self.salience) and 0.0 <= self.salience <= 1.0):
            raise BargainingError(f"salience must be in [0, 1], got {self.salience!r}")
        if not (math.isfinite(self.capability) and self.capability >= 0.0):
            raise BargainingError(f"capability must be finite and >= 0, got {self.capability!r}")

    @property
    def influence(self) -> float:
        """Strength actually brought to bear on this issue."""
        return self.capability * self.salience


def utility(position: float, outcome: float) -> float:
    """Linear utility of ``outcome`` for an actor at ``position``: 1 at home, 0 a scale away."""
    return 1.0 - abs(outcome - position) / SCALE


# --- weighted median -----------------------------------------------------------------------


def weighted_median(positions: Sequence[float], weights: Sequence[float]) -> float:
    """The position no weighted majority wants to move away from (the median voter's).

    With single-peaked preferences on a line, an outcome that beats every other in a weighted
    vote sits where at least half the weight lies on each side.  When the weight splits exactly
    in half between two adjacent positions every point between them qualifies; we return the
    midpoint, as the ordinary median does for an even count, so mirror-image inputs give
    mirror-image answers.  Zero weights are ignored.
    """
    if len(positions) != len(weights):
        raise BargainingError("positions and weights differ in length")
    pairs = []
    for x, w in zip(positions, weights, strict=True):
        if not (math.isfinite(w) and w >= 0.0):
            raise BargainingError(f"weights must be finite and >= 0, got {w!r}")
        if not math.isfinite(x):
            raise BargainingError(f"positions must be finite, got {x!r}")
        if w > 0.0:
            pairs.append((float(x), float(w)))
    if not pairs:
        raise BargainingError("weighted median needs at least one positive weight")
    pairs.sort()
    half = math.fsum(w for _, w in pairs) / 2.0
    cumulative = 0.0
    for idx, (x, w) in enumerate(pairs):
        cumulative += w
        if math.isclose(cumulative, half, rel_tol=1e-12, abs_tol=0.0):
            return (x + pairs[idx + 1][0]) / 2.0 if idx + 1 < len(pairs) else x
        if cumulative > half:
            return x
    return pairs[-1][0]  # unreachable: cumulative reaches 2 * half


# --- expected-utility bargaining (Bueno de Mesquita) ----------------------------------------


@dataclass(frozen=True, slots=True)
class _Contest:
    """Matrices over ordered pairs (i challenges j) for one configuration of positions."""

    success: np.ndarray  # P[i, j]: probability i prevails over j if it challenges
    utility: np.ndarray  # EU[i, j]: i's expected gain from challenging j, relative to not
    median: float


def _risk_utility(gain: np.ndarray | float, risk: float) -> np.ndarray:
    """Utility of moving the disputed position by ``gain`` (a share of the scale, in [-1, 1]).

    ``2 - 4 (0.5 - 0.5 g) ** r``: 0 for no change, +-2 for a full-scale win or loss when
    ``r = 1`` (risk-neutral, linear); ``r > 1`` makes gains loom larger than losses (risk
    acceptant), ``r < 1`` the reverse.  This is the curvature device of Bueno de Mesquita (1985).
    """
    base = np.clip(0.5 - 0.5 * np.asarray(gain, dtype=float), 0.0, 1.0)
    return 2.0 - 4.0 * base**risk


def _contest(
    positions: np.ndarray,
    salience: np.ndarray,
    influence: np.ndarray,
    *,
    persistence: float,
    risk: float,
) -> _Contest:
    """Success probabilities and expected utilities of every challenge, all at once.

    For i challenging j (distances as shares of the scale):

    * Third parties vote: actor k lends ``influence_k * (|x_k - x_j| - |x_k - x_i|)`` to i
      (negative: to j).  ``P[i, j]`` is the support i gets over the total support cast; with no
      one caring either way it is a coin flip.
    * If j cares (salience ``s_j``) the contest is fought: i wins (j moves to x_i, gain
      ``d_ij``) with ``P[i, j]`` or loses (i moves to x_j, gain ``-d_ij``).  If j does not care
      it yields without a fight.
    * Not challenging is the benchmark: with probability ``persistence`` nothing changes; else
      j drifts to the forecast median, which helps i by ``d_ij - d_i,median`` (negative if the
      median lies further from i than j does).  The literature splits this into a 'better' and a
      'worse' branch; the signed drift is the same idea without a jump when j sits at the median.
    """
    n = len(positions)
    # With no influence anywhere there is no median to drift to; the scale's centre stands in.
    median = weighted_median(positions.tolist(), influence.tolist()) if influence.sum() else 50.0
    distance = np.abs(positions[:, None] - positions[None, :]) / SCALE  # [a, b] = d(a, b)
    # votes[k, i, j]: what k lends to i over j
    votes = influence[:, None, None] * (distance[:, None, :] - distance[:, :, None])
    cast = np.abs(votes).sum(axis=0)
    for_i = np.clip(votes, 0.0, None).sum(axis=0)
    success = np.divide(for_i, cast, out=np.full((n, n), 0.5), where=cast > _EPS)

    to_median = np.abs(positions - median) / SCALE
    win = _risk_utility(distance, risk)
    lose = _risk_utility(-distance, risk)
    drift = _risk_utility(distance - to_median[:, None], risk)
    still = _risk_utility(0.0, risk)
    s_j = salience[None, :]
    challenge = s_j * (success * win + (1.0 - success) * lose) + (1.0 - s_j) * win
    abstain = persistence * still + (1.0 - persistence) * drift
    expected = challenge - abstain
    np.fill_diagonal(expected, 0.0)
    return _Contest(success=success, utility=expected, median=median)


def _arrays(actors: Mapping[A, IssueStance]) -> tuple[list[A], np.ndarray, np.ndarray, np.ndarray]:
    names = list(actors)
    if not names:
        raise BargainingError("bargaining needs at least one actor")
    positions = np.array([actors[a].position for a in names], dtype=float)
    salience = np.array([actors[a].salience for a in names], dtype=float)
    influence = np.array([actors[a].influence for a in names], dtype=float)
    return names, positions, salience, influence


def _check_model(persistence: float, risk: float) -> None:
    if not 0.0 <= persistence <= 1.0:
        raise BargainingError(f"persistence must be in [0, 1], got {persistence!r}")
    if not (math.isfinite(risk) and risk > 0.0):
        raise BargainingError(f"risk exponent must be positive, got {risk!r}")


def success_probability(actors: Mapping[A, IssueStance], challenger: A, target: A) -> float:
    """Probability that ``challenger`` prevails over ``target``, from everyone's votes."""
    names, positions, salience, influence = _arrays(actors)
    result = _contest(positions, salience, influence, persistence=0.5, risk=1.0)
    return float(result.success[names.index(challenger), names.index(target)])


def challenge_utility(
    actors: Mapping[A, IssueStance],
    challenger: A,
    target: A,
    *,
    persistence: float = 0.5,
    risk: float = 1.0,
) -> float:
    """Expected utility to ``challenger`` of challenging ``target`` rather than waiting.

    ``persistence`` is the chance the status quo holds if nobody challenges (Bueno de Mesquita's
    Q; 0.5 by default); ``risk`` is the utility curvature exponent (1 = risk-neutral).
    """
    _check_model(persistence, risk)
    names, positions, salience, influence = _arrays(actors)
    result = _contest(positions, salience, influence, persistence=persistence, risk=risk)
    return float(result.utility[names.index(challenger), names.index(target)])


def _respond(target: int, positions: np.ndarray, eu: np.ndarray, names: list[A]) -> float:
    """The position ``target`` adopts: the least costly of the credible offers it receives.

    i's demand on j is credible when i gains by challenging (``EU[i, j] > 0``) and gains more
    than j would by challenging i.  What j concedes depends on j's own calculation:
    * j would also gain by fighting but less than i (conflict it expects to lose), or j stands
      to lose more than i gains (capitulation): j moves all the way to x_i;
    * j loses by fighting, but less than i gains (compromise): j moves the share
      ``|EU[j, i]| / EU[i, j]`` of the way, so concessions grow smoothly into capitulation.
    Among offers, j takes the one that moves it least (ties: the offerer whose name sorts first).
    """
    x_j = positions[target]
    best: tuple[float, str, float] | None = None
    for i in range(len(positions)):
        gain, counter = eu[i, target], eu[target, i]
        if i == target or gain <= _EPS or gain <= counter or abs(positions[i] - x_j) <= _EPS:
            continue
        share = 1.0 if counter > 0.0 or -counter >= gain else -counter / gain
        proposal = x_j + share * (positions[i] - x_j)
        key = (abs(proposal - x_j), str(names[i]), proposal)
        if best is None or key[:2] < best[:2]:
            best = key
    return x_j if best is None else best[2]


def bdm_rounds(
    actors: Mapping[A, IssueStance],
    rounds: int = 3,
    *,
    persistence: float = 0.5,
    risk: float = 1.0,
) -> list[dict[A, float]]:
    """Positions before bargaining and after each of ``rounds`` rounds of offers.

    Returns ``rounds + 1`` dicts (the first is the starting positions).  In every round all
    actors evaluate all challenges against the current positions, then move simultaneously to
    the offer they accept; salience and capability stay fixed.  Positions never leave the range
    spanned by the starting positions, since every offer lies between two actors.
    """
    if rounds < 0:
        raise BargainingError(f"rounds must be >= 0, got {rounds!r}")
    _check_model(persistence, risk)
    names, positions, salience, influence = _arrays(actors)
    history = [dict(zip(names, positions.tolist(), strict=True))]
    for _ in range(rounds):
        eu = _contest(positions, salience, influence, persistence=persistence, risk=risk).utility
        positions = np.array([_respond(j, positions, eu, names) for j in range(len(names))])
        history.append(dict(zip(names, positions.tolist(), strict=True)))
    return history


def bdm_forecast(
    actors: Mapping[A, IssueStance],
    rounds: int = 3,
    *,
    persistence: float = 0.5,
    risk: float = 1.0,
) -> float:
    """The forecast outcome: the influence-weighted median of positions after ``rounds``.

    With ``rounds=0`` this is the plain weighted-median forecast.  If no actor has influence
    (all salience or capability zero) nothing pins the outcome down and we return the mean.
    """
    final = bdm_rounds(actors, rounds, persistence=persistence, risk=risk)[-1]
    weights = [actors[a].influence for a in final]
    if not any(w > 0.0 for w in weights):
        return float(np.mean(list(final.values())))
    return weighted_median(list(final.values()), weights)


# --- probabilistic Condorcet elections (KTAB-style) -----------------------------------------


def _head_to_head(support_for: float, support_against: float, exponent: float) -> float:
    """Chance an option wins a head-to-head: ``S**e / (S**e + S'**e)``, computed overflow-free.

    ``exponent`` sharpens contests: 1 is proportional to support, large values approach a
    deterministic majority vote.  No support on either side is a coin flip.
    """
    if support_for <= _EPS and support_against <= _EPS:
        return 0.5
    if support_against <= _EPS:
        return 1.0
    if support_for <= _EPS:
        return 0.0
    log_odds = exponent * (math.log(support_against) - math.log(support_for))
    if log_odds > 700.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(log_odds))


def condorcet_probabilities(
    utilities: Mapping[A, Mapping[Opt, float]],
    influence: Mapping[A, float],
    *,
    exponent: float = 1.0,
) -> dict[Opt, float]:
    """Probability that each option is the group's eventual choice.

    Support for a over b is ``sum_k influence_k * max(0, u_k(a) - u_k(b))``, and a beats b with
    probability ``support(a, b)**e / (support(a, b)**e + support(b, a)**e)``.  The current choice
    is challenged by another option picked uniformly at random and replaced if the challenger
    wins; the stationary distribution of that Markov chain is returned (options in the order of
    the first actor's mapping).  Every pair of options has a positive transition in at least one
    direction, so there is exactly one closed class and the distribution is unique.  With two
    options it is just the head-to-head probability.
    """
    if not utilities:
        raise BargainingError("a Condorcet election needs at least one actor")
    if not (math.isfinite(exponent) and exponent > 0.0):
        raise BargainingError(f"exponent must be positive and finite, got {exponent!r}")
    actors = list(utilities)
    options = list(utilities[actors[0]])
    if not options:
        raise BargainingError("a Condorcet election needs at least one option")
    for actor in actors:
        if set(utilities[actor]) != set(options):
            raise BargainingError(f"actor {actor!r} does not rate exactly the options {options}")
        if actor not in influence:
            raise BargainingError(f"no influence given for actor {actor!r}")
        w = influence[actor]
        if not (math.isfinite(w) and w >= 0.0):
            raise BargainingError(f"influence of {actor!r} must be finite and >= 0, got {w!r}")
    if len(options) == 1:
        return {options[0]: 1.0}
    rows = [[float(utilities[a][o]) for o in options] for a in actors]
    return dict(zip(options, condorcet_rows(rows, [float(influence[a]) for a in actors],
                                            exponent), strict=True))


def condorcet_rows(utilities: list[list[float]], influence: list[float],
                   exponent: float = 1.0) -> list[float]:
    """`condorcet_probabilities` on plain rows: ``utilities[k][o]`` is actor k's utility for
    option o, ``influence[k]`` its weight; the probabilities come in the options' order.

    For callers that build the rows themselves (`formation.pm_odds`, a few times a run with a
    dozen people): the same numbers without the mappings' checks, which the rows' shape makes
    moot.  Numbers are still checked (finite utilities and influence, a positive exponent)."""
    if not (math.isfinite(exponent) and exponent > 0.0):
        raise BargainingError(f"exponent must be positive and finite, got {exponent!r}")
    for k, w_k in enumerate(influence):
        if not (math.isfinite(w_k) and w_k >= 0.0):
            raise BargainingError(f"influence of actor {k} must be finite and >= 0, got {w_k!r}")
    m = len(utilities[0])
    if m == 1:
        return [1.0]
    u = np.array(utilities, dtype=float)
    if not np.isfinite(u).all():
        raise BargainingError("utilities must be finite")
    w = np.array(influence, dtype=float)
    # support[a, b] = influence behind option a against option b
    # (np.maximum is what np.clip with no upper bound runs, without clip's Python layers)
    support = np.einsum("k,kab->ab", w, np.maximum(u[:, :, None] - u[:, None, :], 0.0))
    pairs = support.tolist()  # Python floats: the same doubles, without numpy's item access
    # head-to-head chances, one log-odds per pair of options: the reverse contest's is its
    # exact negative (-(e (x - y)) == e (y - x) in floating point), so both are the values
    # `_head_to_head` gives; the diagonal (no support either way) is its coin flip
    rows = [[0.5] * m for _ in range(m)]
    log, exp = math.log, math.exp
    for a in range(m):
        row_a, out_a = pairs[a], rows[a]
        for b in range(a + 1, m):
            s_ab, s_ba = row_a[b], pairs[b][a]
            if s_ab <= _EPS or s_ba <= _EPS:
                out_a[b] = _head_to_head(s_ab, s_ba, exponent)
                rows[b][a] = _head_to_head(s_ba, s_ab, exponent)
                continue
            log_odds = exponent * (log(s_ba) - log(s_ab))
            out_a[b] = 0.0 if log_odds > 700.0 else 1.0 / (1.0 + exp(log_odds))
            rows[b][a] = 0.0 if -log_odds > 700.0 else 1.0 / (1.0 + exp(-log_odds))
    if m == 2:  # the chain's balance equation reduces to the head-to-head; skip the solver
        return [rows[0][1], rows[1][0]]
    beats = np.array(rows)
    # From a, challenger b (chosen with chance 1/(m-1)) takes over with chance beats[b, a].
    transition = beats.T / (m - 1)
    diagonal = np.arange(m)  # (what np.fill_diagonal writes, indexed directly)
    transition[diagonal, diagonal] = 0.0
    transition[diagonal, diagonal] = 1.0 - transition.sum(axis=1)
    stationary: list[float] = _stationary(transition).tolist()
    return stationary


def acceptability(approvals: Mapping[A, float]) -> float:
    """How acceptable one option is to a group that must agree on it: the geometric mean of
    its members' approvals (each 0..1).

    It is the group's product of approvals put on a per-member scale, so that groups of
    different sizes compare: one member's outright rejection (0) sinks the option, as a
    minimum would, but, unlike the minimum, an option liked by most members counts for more
    than one that all merely tolerate.  An empty group has nothing against any option (1).
    """
    values = list(approvals.values())
    for who, x in approvals.items():
        if not (math.isfinite(x) and 0.0 <= x <= 1.0):
            raise BargainingError(f"approval of {who!r} must lie in [0, 1], got {x!r}")
    if not values:
        return 1.0
    if min(values) <= 0.0:
        return 0.0
    return math.exp(math.fsum(math.log(x) for x in values) / len(values))


def _stationary(transition: np.ndarray) -> np.ndarray:
    """The unique stationary distribution of a row-stochastic matrix (pi P = pi, sum pi = 1).

    The balance equations ``(P^T - I) pi = 0`` have rank m - 1 when the chain has one closed
    class (`condorcet_probabilities` guarantees it), so any one of them may give way to the
    normalisation ``sum pi = 1``: the last does, and the square system is solved by LU
    (``np.linalg.solve``).  A least-squares solve of all m + 1 equations (SVD) gives the same
    distribution to within a few 1e-15 at a quarter of the speed, with a far larger footprint.
    """
    m = transition.shape[0]
    system = transition.T - np.eye(m)
    system[-1] = 1.0
    rhs = np.zeros(m)
    rhs[-1] = 1.0
    pi = np.linalg.solve(system, rhs)
    pi = np.maximum(pi, 0.0)  # round-off can leave -1e-17 on options that are never chosen
    return pi / pi.sum()


def decision_probabilities(
    actors: Mapping[A, IssueStance],
    options: Mapping[Opt, float],
    *,
    exponent: float = 1.0,
) -> dict[Opt, float]:
    """Probability each option (a point on the issue scale) is chosen by the actors.

    Utilities are ``utility(stance.position, option)`` and influence is ``capability *
    salience``; see the module docstring.  Options outside [0, 100] are refused.
    """
    for label, x in options.items():
        if not (math.isfinite(x) and 0.0 <= x <= SCALE):
            raise BargainingError(f"option {label!r} must lie in [0, {SCALE:g}], got {x!r}")
    if not actors:
        raise BargainingError("a decision needs at least one actor")
    utilities = {
        a: {o: utility(stance.position, x) for o, x in options.items()}
        for a, stance in actors.items()
    }
    weights = {a: s.influence for a, s in actors.items()}
    return condorcet_probabilities(utilities, weights, exponent=exponent)


def passage_probability(
    actors: Mapping[str, IssueStance],
    proposal: float,
    status_quo: float,
    *,
    exponent: float = 1.0,
) -> float:
    """Probability that ``proposal`` beats ``status_quo`` (e.g. an election-law amendment).

    With two options this is the head-to-head chance: the influence-weighted utility gain of
    those who prefer the proposal, over the total gain claimed by both camps (each raised to
    ``exponent``).  A proposal identical to the status quo is a coin flip (0.5), and so is one
    that nobody with influence cares about.
    """
    result = decision_probabilities(
        actors, {"proposal": proposal, "status_quo": status_quo}, exponent=exponent
    )
    return result["proposal"]
