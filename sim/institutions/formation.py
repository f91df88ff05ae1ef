"""Government formation as Iraq's constitutional sequence, in time.

After an election: the results are ratified; the new house meets and elects its speaker (a Sunni
by convention, an absolute majority of members); the largest bloc bargains over a *person* for
prime minister while outside players (Washington, Tehran, the Marjaiya in Najaf, and the Kurdish
and Sunni parties through the house's arithmetic) may block a name; the house elects a president
(a two-thirds quorum, 220, and two thirds of members in the first round, else a run-off between
the top two), which a blocking third can deny; the president designates the bloc's nominee, who
has 30 days to present a cabinet; each party decides whether to join it; the confidence vote
(165) may approve only part of the cabinet, the rest being filled later.  A designate who fails
is replaced by another, with no cap on attempts: deadlock lasts until something changes (a deal,
a withdrawal, a boycott's end, the horizon).  A deadlocked or vetoed name may hold the bloc in a
stalemate until an outside push ends it (2006, 2010, 2014), its backers standing by it the
likelier the nearer it is to the bloc's favourite.  The outgoing government stays on as
caretaker; the blocs court the small lists' deputies from the preliminary results on.

Every duration and weight comes from the world's `formation` and `candidates` sections (with
their provenance); this module holds no behavioural numbers of its own.  After a collapse the
house and the president are already in place, so the sequence starts at the nomination.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.institutions import recruitment
from sim.institutions.behaviour import DAYS_PER_MONTH, ISSUE_SCALE, NO_COMMON_ISSUE_FIT
from sim.institutions.knobs import knob
from sim.mechanics import bargaining, government, portfolios, vacancies
from sim.mechanics.power import shapley_shubik
from sim.memo import PerWorld
from sim.schema.world import plain

if TYPE_CHECKING:
    from sim.context import Context, Process
    from sim.events import Event
    from sim.schema.world import Candidate, Stage

GAINS_SHOWN = 4  # a resignation's text names the four largest gains, then '...'
MEMO_ENTRIES = 4096  # a per-world memo starts afresh beyond this (memory, not behaviour)

def _emit(m: Context, kind: str, actor: str | None, changes: dict[str, Any], cause: int | None,
          text: str, details: dict[str, Any] | None = None) -> Event:
    """`Model.emit` with the state changes and the description (`details`) kept apart."""
    return m.emit(kind, actor, changes, cause, text, details=details)


def days(stage: Stage, rng: np.random.Generator) -> float:
    """A stage's duration: a triangular draw over its declared [low, mode, high] days."""
    low, mode, high = stage.days.value
    if high <= low:
        return float(low)
    if not low <= mode <= high:  # numpy's own error
        return round(float(rng.triangular(low, mode, high)), 2)
    # `rng.triangular(low, mode, high)` as numpy's Generator computes it (one uniform draw
    # through the inverse distribution function, in doubles), without its argument handling
    left, right = float(low), float(high)
    base, leftbase = right - left, float(mode) - left
    u = rng.random()
    if u <= leftbase / base:
        return round(left + math.sqrt(u * (leftbase * base)), 2)
    return round(right - math.sqrt((1.0 - u) * ((right - float(mode)) * base)), 2)


# --- blocs and candidates -------------------------------------------------------------------
def _how_they_voted(m: Context, result: Any) -> str:
    """' Against: Sadrist movement 70, ...; absent: ...' -- the parties most of whose deputies
    voted no, and the boycotters who did not vote (for the timeline, which names who)."""
    against = sorted((p for p, n in result.seats_by_party.items()
                      if result.yes_by_party.get(p, 0) * 2 < n),
                     key=lambda p: (-result.seats_by_party[p], p))
    absent = sorted((p for p in m.state.boycotting if m.state.seats.get(p, 0) > 0),
                    key=lambda p: (-m.state.seats.get(p, 0), p))
    parts = []
    if against:
        parts.append("Against: " + ", ".join(
            f"{m.name(p)} {result.seats_by_party[p] - result.yes_by_party.get(p, 0)}"
            for p in against))
    if absent:
        parts.append("absent: " + ", ".join(f"{m.name(p)} {m.state.seats[p]}" for p in absent))
    return (" " + "; ".join(parts) + ".") if parts else ""


def _blocs(m: Context) -> dict[str, list[str]]:
    """The declared blocs (the Framework as one); the world's cross-camp builder (`roles`: the
    Sadrists) with the parties of other camps friendly to it, in a bloc of its own."""
    s, f = m.state, m.world.formation
    hostile, partner = f.hostile_below.value, f.partner_above.value
    # `State.relationship` inlined (28 calls a run, ~30 pairs each): the weight of two
    # different actors is stored under their sorted pair, 0 when none is
    weight, seats = s.relationships.get, s.seats
    blocs: dict[str, list[str]] = {}
    for a, members in _declared_blocs(m.world):
        head = members[0]
        blocs[a] = [x for x in members if x == head
                    or weight((x, head) if x < head else (head, x), 0.0) > hostile]
    roles = m.world.roles
    builder = roles.get("cross_camp_builder")
    if builder is not None and seats.get(builder, 0) > 0:
        rival = roles.get("builder_rival")
        name = roles.get("cross_camp_bloc") or f"{builder}_bloc"
        framework = set(blocs.get(rival, ())) if rival is not None else set()
        friends = sorted([p for p, n in seats.items() if n > 0 and p != builder
                          and p not in framework
                          and weight((builder, p) if builder < p else (p, builder),
                                     0.0) >= partner])
        if friends:  # friendly partners leave their old blocs (none left empty)
            gone = set(friends)
            blocs = {b: kept for b, ms in blocs.items()
                     if (kept := ms if b == rival else [p for p in ms if p not in gone])}
        blocs[name] = [builder, *friends]
        for b, ms in blocs.items():
            if b != name and builder in ms:
                ms.remove(builder)
    return blocs


# per world: the declared blocs with members, (id, members) sorted by id (asked at every round);
# `sim.memo.PerWorld` inlined (no call per read), read and replaced whole like it
_DECLARED: tuple[Any, tuple[tuple[str, list[str]], ...]] = (None, ())


def _declared_blocs(w: Any) -> tuple[tuple[str, list[str]], ...]:
    global _DECLARED
    owner, declared = _DECLARED
    if owner is not w:
        declared = tuple((a, spec.members) for a, spec in sorted(w.actors.items())
                         if spec.kind == "bloc" and spec.members)
        _DECLARED = (w, declared)
    return declared


def blocs(m: Context) -> dict[str, list[str]]:
    """The blocs as they stand (bloc id -> member parties), for other institutions."""
    return _blocs(m)


def _head(m: Context, members: list[str]) -> str:
    return max(members, key=lambda p: (m.state.seats.get(p, 0), p))


def person_name(m: Context, person: str | None) -> str:
    if person is None:
        return "nobody"
    c = m.world.candidates.get(person)
    return c.name if c is not None else person


def outsider(m: Context, party: str | None, members: list[str]) -> bool:
    """A person with no party, or from a party in no bloc: a possible compromise figure."""
    if party is None:
        return True
    return party not in members and party not in _nominees(m.world)[1]


def eligible(m: Context, members: list[str], tried: set[str]) -> list[str]:
    """People the bloc may put forward: Shia by convention, from a member party, or outsiders
    (no party, or an unaligned party not hostile to the bloc's leader)."""
    s = m.state
    head = _head(m, members)
    hostile = m.world.formation.hostile_below.value
    listed, aligned = _nominees(m.world)
    out = []
    for cid, party in listed:
        if cid in tried or (party is not None and party in s.boycotting):
            continue
        if party is None or party in members or (  # (`outsider` inlined)
                party not in aligned and s.relationship(party, head) > hostile):
            out.append(cid)
    return out


# per world: the candidates of the premier's sect as (id, party) in id order, and the parties
# in any declared bloc (`eligible` asks at every round)
def _nominees_of(w: Any) -> tuple[tuple[tuple[str, str | None], ...], frozenset[str]]:
    sect = w.formation.premier_sect.value
    return (tuple((cid, c.party.value) for cid, c in sorted(w.candidates.items())
                  if c.sect == sect),
            frozenset(p for spec in w.actors.values() if spec.kind == "bloc"
                      for p in spec.members or ()))


_nominees = PerWorld(_nominees_of)


def fit(m: Context, actor: str, c: Candidate) -> float:
    """How close a candidate stands to an actor on the issues it cares about (0..1)."""
    # `queries.stance` inlined (pm_odds asks this of every member for every person): an issue
    # an event moved reads the state, any other the world; the same numbers in the same order
    moved = m.state.stances.get(actor)
    terms, still = _fit_terms(m.world, actor, c)
    if not moved:  # nothing moved by an event: the world's answer, summed once per world
        return still
    return _fit_sum(terms, moved)


def _fit_sum(terms: tuple[tuple[str, float, float, float], ...],
             moved: dict[str, list[float]]) -> float:
    num = den = 0.0
    for issue, pos, sal, where in terms:
        shifted = moved.get(issue)
        if shifted is not None:
            pos, sal = float(shifted[0]), float(shifted[1])
        num += sal * (1 - abs(pos - where) / ISSUE_SCALE)
        den += sal
    return num / den if den else NO_COMMON_ISSUE_FIT


# per world: for (actor, candidate), the issues both have, sorted, with the actor's position
# and salience in the world and the candidate's position (fixed by the world), and the fit
# they give when no event has moved the actor's stances
# (`sim.memo.PerWorld` inlined, read and replaced whole like it; the dict is its world's)
_FIT_TERMS: tuple[Any, dict[tuple[str, int], Any]] = (None, {})


def _fit_terms(w: Any, actor: str, c: Candidate
               ) -> tuple[tuple[tuple[str, float, float, float], ...], float]:
    global _FIT_TERMS
    owner, table = _FIT_TERMS
    if owner is not w:
        table = {}
        _FIT_TERMS = (w, table)
    key = (actor, id(c))
    hit = table.get(key)
    if hit is None or hit[0] is not c:  # (the entry keeps c alive, so its id stays c's)
        issues, positions = w.actors[actor].issues, plain(c.positions)
        terms = tuple((issue, issues[issue].position, issues[issue].salience, positions[issue])
                      for issue in sorted(issues) if issue in positions)
        hit = table[key] = (c, terms, _fit_sum(terms, {}))
    return hit[1], hit[2]


# per world: a member's `fit` to each person of a list of options (a call of `pm_odds`), for
# members whose stances no event has moved (those read the world only); a few lists a world
# (`sim.memo.PerWorld` inlined, read and replaced whole like it; the dict is its world's)
_CLOSENESS: tuple[Any, dict[tuple[str, tuple[str, ...]], list[float]]] = (None, {})


def _closeness(m: Context, actor: str, options: tuple[str, ...], people: list[Candidate]
               ) -> list[float]:
    """`fit(m, actor, c)` for each person `c` of `people` (the candidates `options` name)."""
    if m.state.stances.get(actor):
        return [fit(m, actor, c) for c in people]
    global _CLOSENESS
    owner, table = _CLOSENESS
    if owner is not m.world or len(table) > MEMO_ENTRIES:
        table = {}
        _CLOSENESS = (m.world, table)
    key = (actor, options)
    near = table.get(key)
    if near is None:
        near = table[key] = [fit(m, actor, c) for c in people]
    return near


def tie(m: Context, actor: str, c: Candidate) -> float:
    """How an actor gets on with a person (-1..1): the person's own tie with it where the world
    gives one (a former member, a leader's chosen man), else with their party (its own member
    fully); an independent with no tie is neutral."""
    own = c.ties.get(actor)
    if own is not None:
        return own.value
    party = c.party.value
    return m.state.relationship(actor, party) if party is not None else 0.0


def approval(m: Context, actor: str, c: Candidate, closeness: float | None = None) -> float:
    """How far a bloc member can live with a person as prime minister (0..1): its closeness to
    the person on the issues and its tie with them, weighted as in its ranking
    (`stance_weight`, `relationship_weight`); standing is not the member's to approve."""
    f = m.world.formation
    ws, wr = f.stance_weight.value, f.relationship_weight.value
    if ws + wr <= 0:
        return 1.0  # neither issues nor ties count: nobody has grounds to object
    near = fit(m, actor, c) if closeness is None else closeness
    return (ws * near + wr * (tie(m, actor, c) + 1) / 2) / (ws + wr)


def compromise_acceptability(m: Context, members: list[str], person: str) -> float | None:
    """A person's acceptability across the bloc's seated parties (`bargaining.acceptability`
    of their `approval`s), or None for one of those parties' own people: what draws a blocked
    bloc to a compromise figure (`pm_odds`)."""
    c = m.world.candidates[person]
    seated = sorted(a for a in members if m.state.seats.get(a, 0) > 0)
    if c.party.value in seated:
        return None
    return bargaining.acceptability({a: approval(m, a, c) for a in seated})


def pm_odds(m: Context, members: list[str], options: list[str],
            failures: int = 0) -> dict[str, float]:
    """Within the nominating bloc, a probabilistic Condorcet election over people.

    A member ranks a person by how close they stand on its issues, how it gets on with them
    (`tie`: its own leader first; an independent is neutral) and their standing, less
    `strong_pm_aversion` times the share of the bloc's seats held by another party's candidate
    (partners want a manager, not a strong leader: "the Prime Minister is Director General").
    Each round the bloc has already failed (a name deadlocked, vetoed or voted down: its
    leaders could not agree on one of themselves) adds `compromise_step` times the person's
    acceptability across the bloc's seated components (`bargaining.acceptability` of their
    `approval`s), so a deadlock turns the bloc to figures all its parts can live with (Abadi
    2014, Abdul-Mahdi 2018, Kadhimi 2020, Sudani 2022).  A member's weight is its voting power
    inside the bloc (Shapley-Shubik, majority rule) times its capability."""
    s, f = m.state, m.world.formation
    if not options:
        return {}
    seats = s.seats
    inner = {a: seats.get(a, 0) for a in members if seats.get(a, 0) > 0}
    if not inner:
        return {o: 1 / len(options) for o in options}
    power = shapley_shubik(inner, sum(inner.values()) // 2 + 1)
    bloc_seats = sum(inner.values()) or 1
    ws, wr, wst = f.stance_weight.value, f.relationship_weight.value, f.standing_weight.value
    aversion = f.strong_pm_aversion.value
    people = [m.world.candidates[cid] for cid in options]
    voters = sorted(inner)
    # each member's closeness to each person, asked once (the pull and the ranking share it)
    listed = tuple(options)
    closeness = {a: _closeness(m, a, listed, people) for a in voters}
    pull = [0.0] * len(people)
    if failures:
        step = f.compromise_step.value * failures
        for j, c in enumerate(people):
            if c.party.value not in inner:  # not one of the leaders who failed to agree
                pull[j] = step * bargaining.acceptability(
                    {a: approval(m, a, c, near[j]) for a, near in closeness.items()})
    # what does not depend on the member, per person: (party, ties, standing's term, the
    # strong-leader aversion's term), the same products in the same order as the sum below
    terms = [(party, c.ties, wst * c.standing.value,
              0.0 if party is None else aversion * seats.get(party, 0) / bloc_seats)
             for c in people for party in (c.party.value,)]
    relationship = s.relationship
    rows: list[list[float]] = []
    influence: list[float] = []
    for a in voters:
        near = closeness[a]
        row = []
        for j, (party, ties, standing, strong) in enumerate(terms):
            own = ties.get(a)  # `tie` inlined
            bond = own.value if own is not None else (
                relationship(a, party) if party is not None else 0.0)
            row.append(ws * near[j] + wr * (bond + 1) / 2 + standing + pull[j]
                       - (strong if party not in (None, a) else 0.0))
        rows.append(row)
        spec = m.world.actors[a]
        cap = spec.capability.value if spec.capability else 0.0  # no declared capability: none
        influence.append(power.get(a, 0.0) * (1 + cap) + 1e-9)
    return dict(zip(options, bargaining.condorcet_rows(
        rows, influence, knob(m, "pm_choice_exponent")), strict=True))


def _draw(rng: np.random.Generator, probs: dict[str, float]) -> str:
    keys = sorted(probs)
    p = np.array([max(0.0, probs[k]) for k in keys], dtype=float)
    total = p.sum()
    p = p / total
    if not 0.0 < total < math.inf:  # nothing to draw from: numpy's own error
        return keys[int(rng.choice(len(keys), p=p))]
    # `rng.choice(len(keys), p=p)` as numpy's Generator computes it (the cumulative sum scaled
    # to end at 1, one uniform draw, the right-sided search), without its checks of p (10 us)
    cdf = p.cumsum()
    cdf /= cdf[-1]
    return keys[int(cdf.searchsorted(rng.random(), side="right"))]


def veto(m: Context, person: str, members: list[str], rng: np.random.Generator) -> str | None:
    """The first veto player (sorted) that blocks `person`, or None.

    Every objection is drawn (fixed draws per name keep seeds stable); an outside power blocks
    with its declared chance, but only through a client: a seated party of the bloc that is
    its partner (`partner_above`): Tehran's objections reach the Framework through Badr or
    State of Law, not a Sadrist-led bloc, whose rivals deny it the quorum instead (2022).
    Washington blocks a sanctioned party's candidate at least with `armed_faction_objection`,
    client or none (its sanctions reach the state).  A community's parties block only when
    their seats count: the bloc needs them for a majority, or they hold a blocking third."""
    s, w = m.state, m.world
    f = w.formation
    c = w.candidates[person]
    quota = w.parliament.confidence_quota.value
    blocking = w.parliament.size.value - w.parliament.president_quorum.value + 1
    bloc_seats = sum(s.seats.get(p, 0) for p in members)
    for vid in sorted(f.veto_players):
        player = f.veto_players[vid]
        chance = c.objections[vid].value if vid in c.objections else 0.0
        sanctioning = w.roles.get("sanctioning_power")
        armed = sanctioning is not None and player.actor == sanctioning \
            and c.party.value in s.sanctioned
        if armed:
            chance = max(chance, f.armed_faction_objection.value)
        draw = float(rng.random())
        if draw >= chance:
            continue
        if player.actor is not None and not armed and not any(
                s.relationship(p, player.actor) >= f.partner_above.value
                for p in members if s.seats.get(p, 0) > 0):
            continue  # no client in the bloc to carry the objection (Tehran and Sadr's bloc)
        if player.sect is not None:
            theirs = [p for p, n in s.seats.items() if n > 0 and p not in s.boycotting
                      and p in w.actors and w.actors[p].sect == player.sect]
            own = sum(s.seats[p] for p in theirs)
            without = bloc_seats - sum(s.seats[p] for p in theirs if p in members)
            if without >= quota and own < blocking:
                continue  # the bloc can do without them and they cannot block the quorum
        return vid
    return None


# --- the sequence ---------------------------------------------------------------------------
def formation(m: Context, cause: int) -> Process:
    """From an election (or a collapse) to a government that wins confidence."""
    s, w = m.state, m.world
    f = w.formation
    rng = m.rng(f"formation:{cause}")
    last = cause
    began, first_round = m.clock, True
    if not s.president_elected:  # after an election: ratification, first session, speaker
        certified = days(f.certification, rng)
        if f.preliminary_results is not None:  # the count is out long before the ratification
            early = min(days(f.preliminary_results, m.rng(f"results:{cause}")), certified)
            yield m.timeout(early)
            last = _emit(m, "results_announced", None, {}, last,
                         "The electoral commission announces the preliminary results; the "
                         "blocs start courting the winners of the small lists.").id
            recruitment.start(m, last, _blocs)  # grouping deputies are courted from now on
            certified -= early
        yield m.timeout(certified)
        last = _emit(m, "results_certified", None, {}, last,
                     "The Federal Supreme Court ratifies the election results.").id
        if f.preliminary_results is None:
            recruitment.start(m, last, _blocs)  # grouping deputies are courted from now on
        yield m.timeout(days(f.first_session, rng))
        last = _emit(m, "parliament_convened", None, {}, last,
                     "The new Council of Representatives holds its first session.").id
        last = yield from _speaker(m, rng, last)
    tried: set[str] = set()
    failures = 0  # failed rounds so far: each makes a compromise figure likelier
    kdp_runs = bool(rng.random() < f.kdp_contest.value)
    while True:
        while s.stalled:
            yield m.timeout(days(f.session_retry, rng))
        blocs = _blocs(m)
        lead = government.largest_bloc(s.seats, blocs)
        members = blocs.get(lead, [lead])
        options = eligible(m, members, tried)
        if not options:  # every name is spent: talks start over when something has changed
            tried.clear()
            last = _emit(m, "nomination_reopened", None, {}, last,
                         f"{m.name(lead)} has run out of acceptable names; talks start over.",
                         {"bloc": lead}).id
            yield m.timeout(days(f.nomination, rng))
            continue
        probs = pm_odds(m, members, options, failures)
        person = _draw(rng, probs)
        took = days(f.nomination, rng)
        if first_round:  # the bloc's talks began on election night, alongside certification
            took = max(0.0, began + took - m.clock)
            first_round = False
        yield m.timeout(took)
        if rng.random() < f.holdout.value * (1 - probs[person]):
            failures += 1
            last = _emit(m, "bloc_deadlocked", None, {}, last,
                         f"{m.name(lead)} cannot agree on {person_name(m, person)}: members "
                         f"who back other names hold out (support {probs[person]:.0%}).",
                         {"person": person, "bloc": lead,
                          "bloc_support": round(probs[person], 4)}).id
            stalled_from = m.clock
            last = yield from _stalemate(m, cause, last, lead, person,
                                         probs[person] / max(probs.values()))
            began, first_round = stalled_from, True  # talks on a new name ran meanwhile
            continue
        blocker = veto(m, person, members, rng)
        if blocker is not None:
            failures += 1
            tried.add(person)
            player = f.veto_players[blocker]
            last = _emit(m, "pm_candidate_vetoed", player.actor, {}, last,
                         f"{person_name(m, person)} is vetoed by {player.name}; the "
                         f"{m.name(lead)} looks for another name.",
                         {"person": person, "veto_player": blocker, "bloc": lead}).id
            stalled_from = m.clock
            last = yield from _stalemate(m, cause, last, lead, person,
                                         probs[person] / max(probs.values()))
            began, first_round = stalled_from, True  # talks on a new name ran meanwhile
            continue
        party = w.candidates[person].party.value
        accept = compromise_acceptability(m, members, person) if failures else None
        turn = "" if accept is None else (
            f" After {failures} failed round{'s' if failures > 1 else ''} it turns to a figure "
            f"from outside its parties' leaderships whom they can all accept (acceptability "
            f"{accept:.2f}).")
        last = _emit(m, "pm_nominated", party, {}, last,
                     f"The largest bloc ({m.name(lead)}, "
                     f"{sum(s.seats.get(x, 0) for x in members)} seats) nominates "
                     f"{person_name(m, person)} for prime minister (odds {probs[person]:.0%})."
                     + turn,
                     {"person": person, "party": party, "bloc": lead,
                      "odds": {k: round(v, 4) for k, v in sorted(probs.items())},
                      **({} if accept is None else {"acceptability": round(accept, 4)})}).id
        if not s.president_elected:
            last = yield from _president(m, rng, last, lead, members, kdp_runs)
            if not s.president_elected:  # a party of the bloc withdrew its deputies
                continue
        yield m.timeout(days(f.designation, rng))
        last = _emit(m, "pm_designated", party, {"nominee": person}, last,
                     f"The president designates {person_name(m, person)}, who has "
                     f"{f.cabinet_deadline.value} days to present a cabinet.",
                     {"person": person, "bloc": lead}).id
        took = min(days(f.cabinet, rng), float(f.cabinet_deadline.value))
        yield m.timeout(took)
        members_now = _blocs(m).get(lead, members)
        joined, backers, decisions = build_cabinet(m, person, members_now, rng)
        quota = w.parliament.confidence_quota.value
        turnout = 1.0 if f.attendance is None else f.attendance.value
        expected = government.confidence_vote(
            s.seats, [*joined, *backers], s.relationships, None, knob(m, "defection_rate"),
            quota=quota, absent=frozenset(s.boycotting), attendance=turnout,
            weight=s.relationship)
        if not expected.passed:
            yield m.timeout(max(0.0, f.cabinet_deadline.value - took))
            tried.add(person)
            failures += 1
            last = _emit(m, "designate_withdrew", party, {"nominee": None}, last,
                         f"{person_name(m, person)} cannot assemble a majority "
                         f"({sum(s.seats.get(p, 0) for p in joined)} seats agree to join) "
                         f"within {f.cabinet_deadline.value} days and steps aside.",
                         {"person": person, "joined": joined, "decisions": decisions}).id
            continue
        while s.stalled:  # the vote needs a sitting house (a sit-in in it: summer 2022)
            yield m.timeout(days(f.session_retry, rng))
        result = government.confidence_vote(
            s.seats, [*joined, *backers], s.relationships, rng, knob(m, "defection_rate"),
            quota=quota, absent=frozenset(s.boycotting), attendance=turnout,
            weight=s.relationship)
        away = sum(n for n in s.seats.values() if n > 0) - result.yes - result.no
        vote = _emit(m, "confidence_vote", party, {}, last,
                     f"Confidence vote on {person_name(m, person)}'s cabinet: {result.yes} for, "
                     f"{result.no} against, {away} absent "
                     f"({'passed' if result.passed else 'failed'}; "
                     f"{quota} needed)." + _how_they_voted(m, result),
                     {"person": person, "yes": result.yes, "no": result.no, "absent": away,
                      "passed": result.passed, "coalition": joined, "backers": backers,
                      "decisions": decisions})
        last = vote.id
        if result.passed:
            install_government(m, person, joined, last, bloc=lead, rng=rng)
            return
        tried.add(person)
        failures += 1
        last = _emit(m, "designate_withdrew", party, {"nominee": None}, last,
                     f"{person_name(m, person)} loses the vote; the bloc must find another "
                     f"name.", {"person": person}).id


def _stalemate(m: Context, cause: int, last: int, lead: str, person: str,
               support: float) -> Process:
    """After a deadlocked round or a vetoed name the bloc may not simply try again: with the
    chance of the name's `support` inside the bloc, its backers stand their ground (a split
    bloc, or a bloc standing by its vetoed man) until an outside broker moves one side, after a
    `formation.stalemate` draw of days: Jaafari, the Shia alliance's choice by one vote, held on
    against the Kurds', the Sunnis' and Washington's veto in 2006; the Sadrists would not have
    Maliki until Tehran brought them round in 2010; Maliki would not make way until the
    Marjaiya, Tehran and Washington had all turned against him in 2014.  A name with little
    backing is dropped at once.  Draws from its own stream.  Returns the id of the event that
    ends it (or `last`)."""
    spec = m.world.formation.stalemate
    if spec is None:
        return last
    draws = m.rng(f"stalemate:{cause}")
    if float(draws.random()) >= support:
        return last
    wait = days(spec, draws)
    yield m.timeout(wait)
    return _emit(m, "talks_brokered", None, {}, last,
                 f"After {wait:.0f} days of stalemate over {person_name(m, person)} an "
                 f"outside push gets the {m.name(lead)}'s talks moving again.",
                 {"bloc": lead, "person": person, "days": wait,
                  "support": round(support, 4)}).id


def _speaker(m: Context, rng: np.random.Generator, last: int) -> Process:
    """Sessions until a speaker wins an absolute majority of members (a Sunni by convention)."""
    s, w = m.state, m.world
    f = w.formation
    quota = w.parliament.confidence_quota.value
    while True:
        while s.stalled:
            yield m.timeout(days(f.session_retry, rng))
        speakers = sorted((p for p, n in s.seats.items() if n > 0 and p not in s.boycotting
                        and p in w.actors and w.actors[p].sect == f.speaker_sect.value),
                       key=lambda p: (-s.seats[p], p))
        nominee = speakers[0] if speakers else None
        yes = 0
        for p in sorted(s.seats):
            n = s.seats[p]
            if n <= 0 or p in s.boycotting:
                continue
            like = 1.0 if nominee is None else s.relationship(p, nominee)
            # (min/max: np.clip's value, without its microseconds per scalar)
            yes += int(rng.binomial(n, min(1.0, max(0.0, f.speaker_support.value + like))))
        if yes >= quota:
            return _emit(m, "speaker_elected", nominee, {"speaker_elected": True}, last,
                         f"Parliament elects a speaker from {m.name(nominee)} with {yes} "
                         f"votes ({quota} needed).", {"votes": yes, "party": nominee}).id
        last = _emit(m, "speaker_vote_failed", nominee, {}, last,
                     f"The speaker's candidate gets {yes} votes, short of {quota}; the session "
                     f"stays open.", {"votes": yes, "party": nominee}).id
        yield m.timeout(days(f.session_retry, rng))


def absentees(m: Context, lead: str, members: list[str], rng: np.random.Generator,
              sides: dict[str, int] | None = None,
              blocs: dict[str, list[str]] | None = None) -> tuple[set[str], int]:
    """Who stays away from the president's session: (parties, deputies of groupings).

    Parties hostile to the nominating bloc's leader stay away, a hostile bloc as one; their
    partners outside the nominating bloc follow them (PUK with the Framework in 2022); and while
    a boycott is on, each deputy of a grouping that is not a party (independents, small lists)
    stays away with `grouping_absence`.  Deputies pick their side once: `sides` (grouping ->
    deputies with the boycott) keeps the draw for the formation, so a blocking third does not
    dissolve by chance from one session to the next.  `blocs`: the blocs as they stand
    (`_blocs(m)`, when the caller has just asked)."""
    s, f = m.state, m.world.formation
    hostile, partner = f.hostile_below.value, f.partner_above.value
    head = _head(m, members)
    absent = {p for p, n in s.seats.items() if n > 0 and p not in members
              and s.relationship(p, head) <= hostile}
    # a hostile bloc stays away as one
    for bloc, rivals in (_blocs(m) if blocs is None else blocs).items():
        if bloc != lead and s.relationship(_head(m, rivals), head) <= hostile:
            absent |= {p for p in rivals if s.seats.get(p, 0) > 0}
    groupings = set(f.not_parties.value)
    boycott = sorted(absent)
    if boycott:
        absent |= {p for p, n in s.seats.items() if n > 0 and p not in members
                   and p not in groupings and p not in absent
                   and s.relationship(p, head) < partner
                   and any(s.relationship(p, b) >= partner for b in boycott)}
    absent |= s.boycotting
    sides = {} if sides is None else sides
    strays = 0
    for g in sorted(groupings):
        n = s.seats.get(g, 0)
        if n > 0 and g not in absent:
            if g not in sides:
                sides[g] = int(rng.binomial(n, f.grouping_absence.value))
            strays += min(n, sides[g]) if boycott else 0
    return absent, strays


def _president(m: Context, rng: np.random.Generator, last: int, lead: str, members: list[str],
               kdp_runs: bool) -> Process:
    """Sessions until a president is elected: a 220 quorum, two thirds of members in the first
    round, else a run-off between the top two.  A hostile third that stays away denies the
    quorum until a deal (an outside push, a bargain) brings it back."""
    s, w = m.state, m.world
    f = w.formation
    quorum = w.parliament.president_quorum.value
    hostile = f.hostile_below.value
    sides: dict[str, int] = {}  # grouping deputies who side with a boycott, drawn once
    failed = 0  # failed sessions: with the days of deadlock, they wear down a blocked bloc
    yield m.timeout(days(f.president_deadline, rng))
    while True:
        while s.stalled:
            yield m.timeout(days(f.session_retry, rng))
        standing = _blocs(m)
        members = standing.get(lead, members)
        head = _head(m, members)
        absent, strays = absentees(m, lead, members, rng, sides, standing)
        showdown = any(s.seats.get(p, 0) > 0 for p in absent - s.boycotting)
        # a whipped session (or a world without attendance) draws nothing: no stream to open
        whole = showdown or f.attendance is None
        here = attending(m, absent, sides if strays else {},
                         None if whole else m.rng(f"attendance:{last}"), whipped=showdown)
        present = sum(here.values())
        if present < quorum:
            away = sorted(p for p in absent if s.seats.get(p, 0) > 0 and p not in s.boycotting)
            stayed = [f"{m.name(p)} {s.seats[p]}" for p in
                      sorted(absent, key=lambda p: (-s.seats.get(p, 0), p))
                      if s.seats.get(p, 0) > 0]
            if strays:
                stayed.append(f"{strays} other deputies")
            who = (", ".join(stayed[:-1]) + " and " + stayed[-1] if len(stayed) > 1
                   else "".join(stayed))
            last = _emit(m, "president_vote_failed", None, {}, last,
                         f"Only {present} members attend"
                         + (f" ({who} stay away)" if who else "")
                         + f": the blocking third denies the {quorum} quorum to elect a "
                         "president.",
                         {"present": present, "absent": sorted(absent),
                          "absent_individuals": strays}).id
            failed += 1
            quitter = withdrawal(m, members, failed, last)
            if quitter is not None:
                return quitter
            wait = days(f.session_retry, rng)
            if away and rng.random() < deal_chance(f.deal_hazard.value, wait):
                rels = [[*sorted((p, head)), round(hostile + f.deal_gain.value, 4)]
                        for p in away if s.relationship(p, head) <= hostile]
                last = _emit(m, "boycott_deal", None, {"relationships": rels}, last,
                             "A deal (an outside push, a share of posts) brings "
                             + ", ".join(m.name(p) for p in away) + " back to the chamber.",
                             {"parties": away, "with": head}).id
            yield m.timeout(wait)
            continue
        contenders = f.president_parties.value
        candidates = contenders[:2] if kdp_runs else contenders[:1]
        candidates = [c for c in candidates if c in s.seats]
        ballot = m.rng(f"ballot:{last}")
        backing, blank = president_ballot(here, candidates, s.relationship, hostile, ballot)
        scatter = 0.0 if f.minor_ballots is None else f.minor_ballots.value
        votes, minor = first_round(backing, scatter, ballot)
        winner, round_, final = president_rounds(votes, quorum, backing)
        others = blank + minor
        first = ", ".join(f"{m.name(c)}'s candidate {v}"
                          for c, v in sorted(votes.items(), key=lambda cv: -cv[1]))
        if others:
            first += f"; {others} for minor candidates or blank"
        if round_ == 1:
            how = f"in the first round ({first}; {quorum} needed)"
        elif len(final) > 1:
            runoff = " to ".join(str(v) for _, v in sorted(final.items(), key=lambda cv: -cv[1]))
            how = (f"in a run-off, {runoff}, after no candidate reached {quorum} in the first "
                   f"round ({first})")
        else:
            how = (f"with {sum(final.values())} votes in a run-off against a minor candidate, "
                   f"after falling short of {quorum} in the first round ({first})")
        return _emit(m, "president_elected", winner, {"president_elected": True}, last,
                     f"With {present} members present, parliament elects "
                     f"{m.name(winner) + chr(39) + 's candidate' if winner else 'a candidate'} "
                     f"president {how}.",
                     {"present": present, "round": round_, "votes": final,
                      "first_round": votes, "blank": others, "party": winner}).id


def attending(m: Context, absent: set[str], strays: dict[str, int],
              rng: np.random.Generator | None, whipped: bool = False) -> dict[str, int]:
    """The deputies of each party present at a session: none of a boycotting party, a
    grouping's seats less its deputies who side with a boycott (`strays`, grouping -> deputies),
    and of the rest each deputy turns up with the world's `formation.attendance` (269 of 329 at
    the 2022 president's session, 253 at Sudani's confidence vote) -- unless the session is a
    trial of strength against a boycott (`whipped`), when the other side comes in full: on 26
    Mar 2022 the 202 present were the Sadrist bloc, Siyada, the KDP, Imtidad, New Generation
    and 17 independents, all of them.  Draws in sorted party order; with no attendance declared
    (or a whipped session) everyone comes and nothing is drawn: `rng` may then be None."""
    s, f = m.state, m.world.formation
    rate = 1.0 if f.attendance is None or whipped else f.attendance.value
    if rng is None and rate < 1.0:
        raise ValueError("attending: deputies are drawn at this session, so a stream is needed")
    here: dict[str, int] = {}
    for p in sorted(s.seats):
        n = s.seats[p]
        if n <= 0 or p in absent:
            continue
        n -= min(n, strays.get(p, 0))
        here[p] = int(rng.binomial(n, rate)) if rng is not None and rate < 1.0 and n > 0 \
            else n
    return here


def president_ballot(here: dict[str, int], candidates: list[str], relationship: Any,
                     hostile: float, rng: np.random.Generator) -> tuple[dict[str, int], int]:
    """First-round votes for the Kurdish parties' candidates, and the blank or other ballots.

    A candidate's own party votes for it; every other party present backs the candidate whose
    party it gets on with best (`relationship(party, candidate)`), its deputies split evenly
    (binomial halves) between two it likes equally (2018: the KDP's man got 90 while the PUK's
    got 165), and casts blank or other ballots when it is hostile (at or below `hostile`) to
    every candidate.  With one candidate only the hostile stay out of his tally."""
    votes = {c: 0 for c in candidates}
    blank = 0
    for p in sorted(here):
        k = here[p]
        if k <= 0:
            continue
        if not candidates:
            blank += k
            continue
        if p in votes:
            votes[p] += k
            continue
        rel = {c: relationship(p, c) for c in candidates}
        best = max(rel.values())
        if best <= hostile:
            blank += k
            continue
        liked = [c for c in candidates if rel[c] == best]
        if len(liked) == 1:
            votes[liked[0]] += k
        else:
            half = int(rng.binomial(k, 1 / len(liked)))  # an even split between the two
            votes[liked[0]] += half
            votes[liked[1]] += k - half
    return votes, blank


def first_round(backing: dict[str, int], scatter: float, rng: np.random.Generator
                ) -> tuple[dict[str, int], int]:
    """(first-round votes, ballots lost to minor candidates or blank): dozens of names stand in
    the first round (19 in 2018, 39 in 2022), and each backer of a Kurdish party's candidate
    casts his first ballot elsewhere with `scatter` (the world's formation.minor_ballots)."""
    if scatter <= 0.0:
        return dict(backing), 0
    votes = {c: int(rng.binomial(v, 1 - scatter)) if v > 0 else 0 for c, v in backing.items()}
    return votes, sum(backing.values()) - sum(votes.values())


def president_rounds(votes: dict[str, int], two_thirds: int,
                     backing: dict[str, int] | None = None
                     ) -> tuple[str | None, int, dict[str, int]]:
    """(winner, round, the deciding round's votes): a candidate with two thirds of the house in
    the first round wins it; otherwise the top two meet in a run-off, which the one with more
    votes wins (the first-listed candidate on a tie: the post's holder by convention), with all
    his `backing` (the first round's votes when none is given): the minor candidates' voters
    come back (2014: Masum 175 then 211; 2022: Rashid 157 then 162, Salih 99 both times).  A
    lone candidate meets a minor one in the run-off and wins it (2014: 211 to 17)."""
    if not votes:
        return None, 1, {}
    backing = votes if backing is None else backing
    order = sorted(votes, key=lambda c: -votes[c])  # stable: the holder first on a tie
    if votes[order[0]] >= two_thirds:
        return order[0], 1, dict(votes)
    final = {c: backing[c] for c in order[:2]}
    winner = max(final, key=lambda c: final[c])  # the first-round leader on a tie
    return winner, 2, final


def deal_chance(per_month: float, days_: float) -> float:
    """The chance that a boycott ends in a deal over the `days_` until the next session, at
    `per_month` per 30 days of deadlock: bargaining takes time, however often the house is
    called (in 2022 the Sadrists' camp called two sessions in March, then none for months)."""
    if per_month >= 1.0:
        return 1.0
    return float(1.0 - (1.0 - per_month) ** (max(0.0, days_) / DAYS_PER_MONTH))


def withdrawal_chance(m: Context, failed: int, deadlocked_days: float) -> float:
    """The chance that a blocked bloc's leader withdraws his deputies after its `failed`-th
    failed session, `deadlocked_days` after the election: zero without a failed session or
    before the world's `patience`, rising with both (`formation.withdrawal`)."""
    spec = m.world.formation.withdrawal
    if spec is None or failed <= 0:
        return 0.0
    months = max(0.0, deadlocked_days - spec.patience.value) / DAYS_PER_MONTH
    return float(1.0 - np.exp(-spec.hazard.value * failed * months))


def withdrawal(m: Context, members: list[str], failed: int, cause: int) -> int | None:
    """After a failed president's session: may a party of the blocked bloc that can
    (`withdraws_deputies` in the world) order its deputies to resign?  Their seats pass to the
    runners-up (`sim.mechanics.vacancies`), the party boycotts, and formation goes on without
    it.  Draws from its own stream, so a run without a withdrawal is unchanged."""
    s, w = m.state, m.world
    if w.formation.withdrawal is None:
        return None
    since = s.elections[-1]["day"] if s.elections else 0.0
    chance = withdrawal_chance(m, failed, m.now - since)
    able = [p for p in sorted(members) if s.seats.get(p, 0) > 0 and p not in s.boycotting
            and p in w.actors and (power := w.actors[p].withdraws_deputies) is not None
            and power.value]
    for party in able:
        if float(m.rng(f"withdrawal:{party}").random()) >= chance:
            continue
        # deputies of groupings who joined its bloc after the vote are not its members: they
        # stay in the house, back with their grouping (2022: only the Sadrists' 73 resigned)
        back = recruitment.joined_party(m, party)
        house = dict(s.seats)
        for g, n in back.items():
            house[party] -= n
            house[g] = house.get(g, 0) + n
        gone = house[party]
        seats = refilled(m, party, house)
        gains = sorted(((n - house.get(p, 0), p) for p, n in seats.items()
                        if n > house.get(p, 0)), key=lambda x: (-x[0], x[1]))
        stay = sum(back.values())
        return _emit(m, "deputies_resigned", party,
                     {"seats": dict(sorted(seats.items())), "boycotting": {party: True}},
                     cause,
                     f"After {failed} failed session{'' if failed == 1 else 's'}, "
                     f"{m.name(party)} orders its {gone} deputies to resign; their seats pass "
                     "to the runners-up ("
                     + ", ".join(f"{m.name(p)} +{n}" for n, p in gains[:GAINS_SHOWN])
                     + ("" if len(gains) <= GAINS_SHOWN else ", ...") + ")"
                     + (f"; the {stay} who had joined its bloc stay on" if stay else "") + ".",
                     {"seats_vacated": gone, "gains": {p: n for n, p in gains},
                      "failed_sessions": failed, "chance": round(chance, 4)}
                     | ({"returned": back} if back else {})).id
    return None


def refilled(m: Context, party: str, house: dict[str, int] | None = None) -> dict[str, int]:
    """The house (`house`, default the state's seats) once `party`'s deputies resign, their
    seats refilled from the election that produced them: the certified runners-up when the
    record declares them (a hindcast), else that election's own votes and seats by governorate,
    else (a parliament no election of the run produced, with nothing declared) the world's vote
    shares."""
    s, w = m.state, m.world
    seats = s.seats if house is None else house
    excluded = frozenset(s.boycotting)
    record = s.elections[-1] if s.elections else {}
    declared = (record.get("runners_up") or {}).get(party)
    if declared:
        return vacancies.declared(seats, party, declared, excluded)
    general = {g: gv.seats.value - gv.quota_total() for g, gv in w.governorates.items()}
    by_gov = record.get("governorates")
    if by_gov:
        return vacancies.runners_up(
            seats, party, {g: row["votes"] for g, row in by_gov.items()}, general, excluded,
            won={g: row["seats"].get(party, 0) for g, row in by_gov.items()})
    return vacancies.runners_up(seats, party, w.votes.shares, general, excluded)


# --- the cabinet ----------------------------------------------------------------------------
def join_utility(m: Context, party: str, person: str, core: list[str]) -> float:
    """What joining the designate's cabinet is worth to `party`, before its private noise:
    portfolios (scaled by the `consensus` knob), its relationship with the government's core,
    its distance from the prime minister on the issues it cares about, and, for a declared
    opposition party, what its voters would make of it."""
    s, f = m.state, m.world.formation
    aff = government.affinity(party, core, s.seats, s.relationships,
                              s.relationship) if core else 0.0
    distance = 1 - fit(m, party, m.world.candidates[person]) if party in m.world.actors else 0.0
    u = (knob(m, "consensus") * f.portfolio_value.value
         + f.join_relationship_weight.value * aff
         - f.join_stance_weight.value * distance)
    if party in f.declared_opposition.value:
        u -= f.opposition_cost.value
    return u


def build_cabinet(m: Context, person: str, bloc: list[str], rng: np.random.Generator
                  ) -> tuple[list[str], list[str], dict[str, float]]:
    """Each party decides whether to join: (members, backers, each party's utility).

    The designate offers a share to every party that is not an open rival of the prime
    minister's party or of the nominating bloc's leader (muhasasa, but no seat at the table for
    the other side of a feud: Sadr's 2022 'majority government' left out the Framework);
    groupings that are not parties (independents, small lists, quota seats) never join as
    units, but their deputies may back the government in the confidence vote, as friendly
    non-members do."""
    s, w = m.state, m.world
    f = w.formation
    party = w.candidates[person].party.value
    excluded = set(f.not_parties.value) | s.boycotting
    core = sorted({p for p in bloc if s.seats.get(p, 0) > 0 and p not in excluded}
                  | ({party} if party is not None and s.seats.get(party, 0) > 0 else set()))
    joined: list[str] = []
    decisions: dict[str, float] = {}
    hosts = [x for x in (party, _head(m, core) if core else None) if x is not None]
    hostile = f.hostile_below.value
    for p in sorted(s.seats):
        if s.seats[p] <= 0 or p in excluded:
            continue
        if p == party:
            joined.append(p)
            continue
        if any(s.relationship(p, h) <= hostile for h in hosts):
            continue  # the designate's camp does not offer a share to its open rivals
        u = join_utility(m, p, person, core) + float(rng.normal(0.0, f.join_noise.value))
        decisions[p] = round(u, 4)
        if u > 0:
            joined.append(p)
    backers = sorted(p for p in f.not_parties.value if s.seats.get(p, 0) > 0
                     and p not in s.boycotting)
    return joined, backers, decisions


def build_coalition(m: Context, nominee: str, bloc: list[str],
                    rng: np.random.Generator) -> list[str]:
    """The parties that would join `nominee`'s cabinet (a person, or a party's leader)."""
    person = nominee if nominee in m.world.candidates else _leader(m, nominee)
    return build_cabinet(m, person, bloc, rng)[0]


def _leader(m: Context, party: str) -> str:
    """The best-standing person of a party (for callers that still name parties)."""
    own = [c for c, x in sorted(m.world.candidates.items()) if x.party.value == party]
    if not own:
        raise KeyError(f"no candidate of party {party!r}")
    return max(own, key=lambda c: m.world.candidates[c].standing.value)


def install_government(m: Context, pm: str, coalition: list[str], cause: int,
                       bloc: str | None = None, rng: np.random.Generator | None = None) -> None:
    """The confidence vote passed: ministries shared by seats (muhasasa), some rejected and left
    vacant to be filled later; no sanctioned armed party in a security ministry (Washington's
    line); the prime minister keeps the intelligence service."""
    s, w = m.state, m.world
    f = w.formation
    person = pm if pm in w.candidates else _leader(m, pm)
    party = w.candidates[person].party.value
    seats = {p: s.seats.get(p, 0) for p in coalition if s.seats.get(p, 0) > 0}
    sect, ministries, security, weights = _cabinet(w)
    fixed: dict[str, str] = {}
    for name, convention in security:
        clean = [p for p in seats if p not in s.sanctioned]
        same = [p for p in clean if sect.get(p) == convention] or clean
        if same:
            fixed[name] = max(same, key=lambda p: (seats[p], p))
    allocation = portfolios.allocate_portfolios(seats, sect, ministries, fixed) if seats else {}
    rejected: dict[str, str] = {}
    if rng is not None:
        for name in sorted(allocation):
            p = f.security_rejection.value if w.ministries[name].security \
                else f.minister_rejection.value
            if rng.random() < p:
                rejected[name] = allocation[name]
    approved: dict[str, str | None] = {k: (None if k in rejected else v)
                                       for k, v in sorted(allocation.items())}
    posts: dict[str, str | None] = {}
    weight_of: dict[str, float] = {}
    for mname, holder in allocation.items():
        weight_of[holder] = weight_of.get(holder, 0.0) + weights[mname]
    strongest = max(sorted(weight_of), key=lambda p: weight_of[p]) if weight_of else party
    for post, holder in sorted(s.posts.items()):
        kind = w.posts[post].kind
        if kind == "security" and post == w.roles.get("premier_security_post") \
                and party not in s.sanctioned:  # Washington's line holds for the PM's party too
            posts[post] = party  # the PM keeps the intelligence service in his own hands
        elif kind == "lever" and holder not in coalition:
            posts[post] = strongest
    members = sorted(set(coalition) | ({party} if party is not None else set()))
    partial = (f" Parliament approves {len(allocation) - len(rejected)} of {len(allocation)} "
               f"ministers; {', '.join(sorted(rejected))} wait for a later vote."
               if rejected else "")
    ev = _emit(m, "government_formed", party, {
        "pm": party, "pm_person": person, "government": members, "ministries": approved,
        "posts": posts, "caretaker": False, "formation_open": False, "nominee": None}, cause,
        f"{person_name(m, person)} forms a government of {len(members)} parties; ministries "
        f"shared by seats (muhasasa).{partial}",
        {"person": person, "bloc": bloc, "rejected": sorted(rejected)})
    if rejected and rng is not None:
        m.process(_fill(m, rejected, ev.id, float(days(f.vacancy_fill, rng))))


# per world: the actors' sects, the cabinet as portfolios.Ministry (by name), its security
# ministries (name, sect convention) by name, and each ministry's weight: what
# install_government reads of the world at every government (none of it is mutated)
def _cabinet_of(w: Any) -> tuple[dict[str, str], tuple[portfolios.Ministry, ...],
                                 tuple[tuple[str, str | None], ...], dict[str, float]]:
    listed = sorted(w.ministries.items())
    return ({a: w.actors[a].sect for a in w.actors},
            tuple(portfolios.Ministry(name, plain(spec.weight), spec.sovereign, spec.sect)
                  for name, spec in listed),
            tuple((name, spec.sect) for name, spec in listed if spec.security),
            {name: plain(spec.weight) for name, spec in listed})


_cabinet = PerWorld(_cabinet_of)


def _fill(m: Context, rejected: dict[str, str], cause: int, after: float) -> Process:
    """The ministries left open at the confidence vote are filled by a later vote."""
    yield m.timeout(after)
    s = m.state
    open_ = {k: v for k, v in sorted(rejected.items())
             if s.ministries.get(k) is None and v in s.government and not s.caretaker}
    if open_:
        _emit(m, "ministers_approved", s.pm, {"ministries": open_}, cause,
              f"Parliament approves the remaining ministers: {', '.join(open_)}.",
              {"filled": sorted(open_)})


def withdraw(m: Context, actor: str, cause: int | None) -> None:
    s = m.state
    if actor not in s.government or actor == s.pm:
        return
    members = [p for p in s.government if p != actor]
    vacated = {mn: None for mn, h in s.ministries.items() if h == actor}
    ev = _emit(m, "member_withdrew", actor, {"government": members, "ministries": vacated},
               cause, f"{m.name(actor)} leaves the government; its ministries fall vacant.")
    quota = m.world.parliament.confidence_quota.value
    if not s.caretaker and not government.government_survives(s.seats, members, quota=quota):
        col = _emit(m, "government_collapsed", None, {"caretaker": True, "formation_open": True,
                                                      "president_elected": True}, ev.id,
                    f"The government loses its majority and falls; "
                    f"{person_name(m, s.pm_person)} continues as caretaker.")
        m.process(formation(m, col.id))
