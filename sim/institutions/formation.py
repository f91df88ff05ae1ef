"""Government formation after an election or a collapse: the President's quorum (the blocking
third), largest-bloc nomination, coalition bargaining, the confidence vote, muhasasa portfolios."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.institutions.knobs import knob
from sim.institutions.measures import stance
from sim.mechanics import bargaining, government, portfolios
from sim.mechanics.power import shapley_shubik

if TYPE_CHECKING:
    from sim.engine import Model, Process


def _blocs(m: Model) -> dict[str, list[str]]:
    """The Framework as one bloc; the Sadrists with the parties friendly to them."""
    s = m.state
    blocs: dict[str, list[str]] = {}
    for a, spec in sorted(m.world.actors.items()):
        if spec.kind == "bloc" and spec.members:
            blocs[a] = [x for x in spec.members if s.relationship(x, spec.members[0]) > -0.5
                        or x == spec.members[0]]
    if s.seats.get("sadrists", 0) > 0:
        framework = set(blocs.get("cf", []))
        friends = [p for p in sorted(s.seats) if p != "sadrists" and s.seats[p] > 0
                   and p not in framework and s.relationship("sadrists", p) >= 0.25]
        for bloc, members in list(blocs.items()):  # friendly partners leave their old blocs
            if bloc != "cf":
                blocs[bloc] = [p for p in members if p not in friends]
        blocs = {b: ms for b, ms in blocs.items() if ms}
        blocs["sadrist_bloc"] = ["sadrists", *friends]
        for b, ms in blocs.items():
            if b != "sadrist_bloc" and "sadrists" in ms:
                ms.remove("sadrists")
    return blocs


def _pm_candidates(m: Model, members: list[str]) -> dict[str, float]:
    """Within the nominating bloc, a probabilistic Condorcet election over PM candidates."""
    s = m.state
    options = {"sudani": 100.0, "sol": 0.0, "badr": 50.0}  # Sudani, Maliki, Amiri
    options = {o: x for o, x in options.items() if o in members}
    if not options:
        return {}
    utilities: dict[str, dict[str, float]] = {}
    influence: dict[str, float] = {}
    # a member's weight in the bloc's choice is its voting power inside the bloc (majority rule)
    inner = {a: s.seats.get(a, 0) for a in members if s.seats.get(a, 0) > 0}
    power = shapley_shubik(inner, sum(inner.values()) // 2 + 1) if inner else {}
    for a in members:
        n = s.seats.get(a, 0)
        spec = m.world.actors[a]
        if n <= 0:
            continue
        view = stance(m, a, "premiership")
        utilities[a] = {}
        for o, x in options.items():
            rel = s.relationship(a, o)
            policy = view[1] * (1 - abs(view[0] - x) / 100) if view else 0.5
            utilities[a][o] = 0.5 * (rel + 1) / 2 + 0.5 * policy
        cap = spec.capability.value if spec.capability else 0.2
        influence[a] = power.get(a, 0.0) * (1 + cap) + 1e-9
    if not utilities:
        return {o: 1 / len(options) for o in options}
    return bargaining.condorcet_probabilities(utilities, influence,
                                              exponent=knob(m, "pm_choice_exponent"))


def _draw(rng: np.random.Generator, probs: dict[str, float]) -> str:
    keys = sorted(probs)
    p = np.array([max(0.0, probs[k]) for k in keys], dtype=float)
    p = p / p.sum()
    return keys[int(rng.choice(len(keys), p=p))]


def formation(m: Model, cause: int) -> Process:
    """After an election (or a collapse): president, PM nomination, coalition, confidence."""
    s, w = m.state, m.world
    rng = m.rng(f"formation:{cause}")
    quota = w.parliament.confidence_quota.value
    pres_quorum = w.parliament.president_quorum.value
    yield m.env.timeout(15.0)
    attempts, tried = 0, set()
    max_attempts = int(knob(m, "formation_attempts"))
    last = cause
    while attempts < max_attempts:
        while s.stalled:
            yield m.env.timeout(7.0)
        blocs = _blocs(m)
        lead = government.largest_bloc(s.seats, blocs)
        members = blocs.get(lead, [lead])
        head = max(members, key=lambda p: (s.seats.get(p, 0), p))
        if not s.president_elected:
            absent = {p for p, n in s.seats.items() if n > 0 and p not in members
                      and s.relationship(p, head) <= -0.5}
            for bloc, rivals in blocs.items():  # a hostile bloc stays away as one
                rival_head = max(rivals, key=lambda p: (s.seats.get(p, 0), p))
                if bloc != lead and s.relationship(rival_head, head) <= -0.5:
                    absent |= {p for p in rivals if s.seats.get(p, 0) > 0}
            absent |= s.boycotting
            present = sum(n for p, n in s.seats.items() if p not in absent)
            if not government.president_quorum_met(s.seats, absent, quorum=pres_quorum):
                ev = m.emit("president_vote_failed", None, {}, last,
                            f"Only {present} members attend: the blocking third denies the "
                            f"{pres_quorum} quorum to elect a president.",
                            details={"present": present, "absent": sorted(absent)})
                last = ev.id
                attempts += 1
                yield m.env.timeout(30.0)
                continue
            ev = m.emit("president_elected", None, {"president_elected": True}, last,
                        f"With {present} members present, parliament elects a president.",
                        details={"present": present})
            last = ev.id
            yield m.env.timeout(15.0)
        if lead == "cf" or head != "sadrists":
            probs = _pm_candidates(m, [x for x in members if x not in tried]) or {head: 1.0}
        else:
            probs = {"sadrists": 1.0}
        nominee = _draw(rng, probs)
        tried.add(nominee)
        ev = m.emit("pm_nominated", nominee, {"nominee": nominee}, last,
            f"The largest bloc ({m.name(lead)}, {sum(s.seats.get(x, 0) for x in members)} "
            f"seats) nominates {m.name(nominee)} for prime minister "
            f"(odds {probs[nominee]:.0%}).",
            details={"bloc": lead, "odds": {k: round(v, 4) for k, v in sorted(probs.items())}})
        last = ev.id
        yield m.env.timeout(20.0)
        coalition = build_coalition(m, nominee, members, rng)
        result = government.confidence_vote(
            s.seats, coalition, s.relationships, rng, knob(m, "defection_rate"),
            quota=quota, absent=frozenset(s.boycotting))
        vote = m.emit("confidence_vote", nominee, {}, last,
            f"Confidence vote on {m.name(nominee)}'s cabinet: {result.yes} for, "
            f"{result.no} against ({'passed' if result.passed else 'failed'}; "
            f"{quota} needed).",
            details={"yes": result.yes, "no": result.no, "passed": result.passed,
                     "coalition": sorted(coalition)})
        last = vote.id
        if result.passed:
            install_government(m, nominee, coalition, last, bloc=lead)
            return
        attempts += 1
        yield m.env.timeout(30.0)
    m.emit("formation_failed", None, {"formation_open": False}, last,
           f"No government after {attempts} attempts; {m.name(s.pm)} stays on as caretaker.")


def build_coalition(m: Model, nominee: str, bloc: list[str],
                    rng: np.random.Generator) -> list[str]:
    """A minimal winning core chosen by utility, then friendly parties join (muhasasa)."""
    s, w = m.state, m.world
    quota = w.parliament.confidence_quota.value
    players = {p: n for p, n in s.seats.items() if n >= 3 and p not in s.boycotting}
    formateur = nominee if players.get(nominee) else max(
        (p for p in bloc if p in players), key=lambda p: (players[p], p), default=None)
    if formateur is None:
        return sorted({nominee, *[p for p in bloc if p in players]})
    positions = {p: {i: stance(m, p, i)[0] for i in w.actors[p].issues}  # type: ignore[index]
                 for p in players if p in w.actors}
    candidates = government.winning_coalitions(players, quota, formateur, max_size=6)
    if candidates:
        weights = government.UtilityWeights(power=knob(m, "formateur_power_weight"))
        utils = [government.coalition_utility(c, players, s.relationships, positions,
                                              quota=quota, formateur=formateur,
                                              weights=weights)
                 for c in candidates]
        probs = government.coalition_choice_probabilities(
            candidates, utils, knob(m, "coalition_temperature"))
        odds = np.array([p for _, p in probs], dtype=float)
        core = set(probs[int(rng.choice(len(probs), p=odds / odds.sum()))][0])
    else:
        core = {p for p in bloc if p in players}
    core.add(nominee)
    for p in sorted(players):
        if p in core:
            continue
        friendly = government.cohesion([*core, p], s.relationships) > 0 and \
            s.relationship(p, nominee) > -0.3
        if friendly and float(rng.random()) < knob(m, "consensus"):
            core.add(p)
    return sorted(core)


def install_government(m: Model, pm: str, coalition: list[str], cause: int,
                       bloc: str | None = None) -> None:
    s, w = m.state, m.world
    seats = {p: s.seats.get(p, 0) for p in coalition if s.seats.get(p, 0) > 0}
    sect = {a: w.actors[a].sect for a in w.actors}
    ministries = [portfolios.Ministry(name, spec.weight, spec.sovereign, spec.sect)
                  for name, spec in sorted(w.ministries.items())]
    allocation = portfolios.allocate_portfolios(seats, sect, ministries) if seats else {}
    posts: dict[str, str | None] = {}
    weight_of: dict[str, float] = {}
    for mname, holder in allocation.items():
        weight_of[holder] = weight_of.get(holder, 0.0) + w.ministries[mname].weight
    strongest = max(sorted(weight_of), key=lambda p: weight_of[p]) if weight_of else pm
    for post, holder in sorted(s.posts.items()):
        kind = w.posts[post].kind
        if kind == "security" and post == "intelligence_service":
            posts[post] = pm  # the PM keeps the intelligence service in his own hands
        elif kind == "lever" and holder not in coalition:
            posts[post] = strongest
    members = sorted(set(coalition) | {pm})
    m.emit("government_formed", pm, {
        "pm": pm, "government": members, "ministries": dict(sorted(allocation.items())),
        "posts": posts, "caretaker": False, "formation_open": False, "nominee": None}, cause,
        f"{m.name(pm)} forms a government of {len(members)} parties; ministries shared by "
        f"seats (muhasasa).", details={"bloc": bloc})


def withdraw(m: Model, actor: str, cause: int | None) -> None:
    s = m.state
    if actor not in s.government or actor == s.pm:
        return
    members = [p for p in s.government if p != actor]
    vacated = {mn: None for mn, h in s.ministries.items() if h == actor}
    ev = m.emit("member_withdrew", actor, {"government": members, "ministries": vacated},
                cause, f"{m.name(actor)} leaves the government; its ministries fall vacant.")
    if not s.caretaker and not government.government_survives(s.seats, members):
        col = m.emit("government_collapsed", None, {"caretaker": True, "formation_open": True,
                                                    "president_elected": True}, ev.id,
                     f"The government loses its majority and falls; {m.name(s.pm)} "
                     f"continues as caretaker.")
        m.env.process(formation(m, col.id))
