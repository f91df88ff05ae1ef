"""Institutions as engine processes: elections, government formation, protests, clashes,
sanctions, posts, and the derived measures (support, influence).

Each function reads the state, calls the pure mechanics in `sim.mechanics` for the decision, and
records the outcome through `Model.emit`.  The engine-wide knobs below can be declared as
scenario parameters of the same name (e.g. ``vote_noise``) and then swept.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.mechanics import bargaining, conflict, government, portfolios, sanctions
from sim.mechanics.elections import ElectionLaw, VoteManagement, national_election
from sim.mechanics.influence import Holdings, influence_index
from sim.mechanics.power import shapley_shubik
from sim.state import pair

if TYPE_CHECKING:
    from sim.engine import Model, Process

KNOBS: dict[str, float] = {
    "vote_noise": 0.08,          # sd of a list's log vote share per governorate, per election
    "swing_noise": 0.10,         # sd of a list's national log swing, per election
    "consensus": 0.7,            # chance a friendly party joins an oversized government
    "defection_rate": 0.05,      # share of a member's deputies voting against its government
    "formation_attempts": 4,     # nominations before parliament gives up (caretaker)
    "protest_days": 30,          # mean length of a protest wave
    "clash_intensity": 1.0,      # scales casualty draws relative to August 2022
    "sanction_base": 0.02,       # baseline chance of sanctions on the state per check
    "coalition_temperature": 0.3,  # softmax temperature over candidate coalitions
    "pm_choice_exponent": 1.0,     # how decisively support turns into a PM pick (KTAB-style)
    "formateur_power_weight": 0.0,  # weight of the formateur's Shapley-Shubik share in a coalition
    "bargaining_rounds": 0,        # Bueno de Mesquita rounds before a law's content settles
}
SNAPSHOT_DAYS = 30.0


def knob(m: Model, name: str) -> float:
    return float(m.params.get(name, KNOBS[name]))


def start(m: Model) -> None:
    m.env.process(_snapshots(m))


def _snapshots(m: Model) -> Process:
    while True:
        m.history.append(snapshot(m))
        yield m.env.timeout(SNAPSHOT_DAYS)


def snapshot(m: Model) -> dict[str, Any]:
    s = m.state
    return {
        "day": m.now,
        "date": m.date().isoformat(),
        "influence": {a: round(v, 5) for a, v in sorted(m.influence().items())},
        "seats": dict(sorted(s.seats.items())),
        "relationships": sorted([a, b, w] for (a, b), w in s.relationships.items()),
        "pm": s.pm,
    }


# --- support and influence --------------------------------------------------------------

def contesting(m: Model) -> list[str]:
    """Lists that appear in the vote table (a boycotting list polls but does not run)."""
    return sorted({p for row in m.world.votes.shares.values() for p in row})


def national_support(m: Model, actor: str) -> float:
    total = 0.0
    seats = 0
    for gov, row in m.world.votes.shares.items():
        n = m.world.governorates[gov].seats.value
        seats += n
        if actor in row:
            total += n * max(0.0, row[actor] + m.state.support.get(actor, 0.0))
    return total / seats if seats else 0.0


def shift_support(m: Model, actor: str, delta: float, cause: int | None, kind: str,
                  text: str) -> None:
    new = round(m.state.support.get(actor, 0.0) + delta, 5)
    new = max(-0.5, min(0.5, new))
    m.emit(kind, actor, {"support": {actor: new}}, cause, text)


def holdings(m: Model) -> dict[str, Holdings]:
    s, w = m.state, m.world
    acc: dict[str, dict[str, float]] = {}
    for a, spec in w.actors.items():
        if spec.kind == "bloc":
            continue
        acc[a] = {"ministry_weight": 0.0, "security_posts": 0.0, "media_posts": 0.0,
                  "governorships": 0.0, "levers": 0.0}
    for name, holder in s.ministries.items():
        if holder in acc:
            acc[holder]["ministry_weight"] += w.ministries[name].weight
            if w.ministries[name].security:
                acc[holder]["security_posts"] += w.ministries[name].weight
    field = {"security": "security_posts", "media": "media_posts",
             "governorship": "governorships", "lever": "levers"}
    for name, holder in s.posts.items():
        if holder in acc:
            acc[holder][field[w.posts[name].kind]] += w.posts[name].weight
    return {a: Holdings(brigades=float(s.brigades.get(a, 0)),
                        mobilisation=0.0 if a in s.boycotting else s.mobilisation.get(a, 0.0),
                        sanctioned=a in s.sanctioned, **v) for a, v in sorted(acc.items())}


def influence_now(m: Model) -> dict[str, float]:
    seats = {p: n for p, n in m.state.seats.items() if n > 0}
    power = shapley_shubik(seats, m.world.parliament.confidence_quota.value) if seats else {}
    return influence_index(holdings(m), power)


# --- elections ---------------------------------------------------------------------------

def law_of(m: Model, name: str) -> ElectionLaw:
    spec = m.world.laws[name]
    fd = Fraction(str(spec.first_divisor)) if spec.first_divisor is not None else None
    return ElectionLaw(name, spec.method, fd, spec.districting, spec.districts)


def election_votes(m: Model, rng: np.random.Generator) -> dict[str, dict[str, int]]:
    """Integer votes per governorate and list: potential shares, shifts, boycotts and noise."""
    s, w = m.state, m.world
    turnout = w.votes.turnout.value
    per_seat = w.votes.voters_per_seat.value
    noise, swing_sd = knob(m, "vote_noise"), knob(m, "swing_noise")
    lists = contesting(m)
    swing = {p: float(np.exp(rng.normal(0.0, swing_sd))) for p in lists}
    votes: dict[str, dict[str, int]] = {}
    for gov in sorted(w.votes.shares):
        row = w.votes.shares[gov]
        electorate = w.governorates[gov].seats.value * per_seat
        potential = {p: max(0.0, x + s.support.get(p, 0.0)) for p, x in sorted(row.items())}
        draws = {p: float(np.exp(rng.normal(0.0, noise))) for p in potential}
        running = {p: x * swing[p] * draws[p] for p, x in potential.items()
                   if p not in s.boycotting}
        # boycotters' voters stay at home: turnout falls by their share
        present = sum(potential[p] for p in running) / max(sum(potential.values()), 1e-9)
        valid = electorate * turnout * present
        total = sum(running.values()) or 1.0
        votes[gov] = {p: int(round(valid * x / total)) for p, x in running.items()}
    return votes


def fragment(votes: dict[str, dict[str, int]], vm: dict[str, VoteManagement],
             fragments: dict[str, int]) -> tuple[dict[str, dict[str, int]],
                                                 dict[str, VoteManagement]]:
    """Split a fragmented list (independents) into k equal separate lists, `name#i`."""
    out: dict[str, dict[str, int]] = {}
    vm_out = dict(vm)
    for gov, row in votes.items():
        out[gov] = {}
        for p, v in row.items():
            k = fragments.get(p, 1)
            if k <= 1:
                out[gov][p] = v
                continue
            for i in range(k):
                out[gov][f"{p}#{i}"] = v // k + (1 if i < v % k else 0)
                if p in vm:
                    vm_out[f"{p}#{i}"] = vm[p]
    return out, vm_out


def hold_election(m: Model, law_name: str | None, cause: int | None) -> None:
    s, w = m.state, m.world
    name = law_name or s.law
    n = len(s.elections) + 1
    rng = m.rng(f"election:{n}")
    votes = election_votes(m, rng)
    magnitudes = {g: w.governorates[g].seats.value for g in votes}
    quota = {g: dict(w.governorates[g].quota) for g in votes if w.governorates[g].quota}
    vm = {p: VoteManagement(Fraction(str(v.nomination)), Fraction(str(v.evenness)))
          for p, v in w.vote_management.items()}
    split, vm = fragment(votes, vm, {p: v.fragments for p, v in w.vote_management.items()})
    result = national_election(split, magnitudes, law_of(m, name), quota, vm)
    seats = {p: 0 for p in s.seats}
    for p, n in result.seats.items():
        base = p.split("#", 1)[0]
        seats[base] = seats.get(base, 0) + n
    seats = dict(sorted(seats.items()))
    before = dict(sorted(s.seats.items()))
    gains = sorted(((seats[p] - before.get(p, 0), p) for p in seats), reverse=True)
    leaders = sorted(seats, key=lambda p: (-seats[p], p))[:4]
    top = ", ".join(f"{m.name(p)} {seats[p]}" for p in leaders)
    record = {"day": m.now, "date": m.date().isoformat(), "law": name,
              "seats_before": before, "seats": seats,
              "votes": {p: sum(v.get(p, 0) for v in votes.values()) for p in contesting(m)}}
    ev = m.emit("election_held", None, {
        "seats": seats, "election": record, "caretaker": True, "formation_open": True,
        "president_elected": False, "nominee": None,
    }, cause, f"Parliamentary election under the '{name}' law: {top}. Biggest gain: "
              f"{m.name(gains[0][1])} ({gains[0][0]:+d}).")
    m.env.process(formation(m, ev.id))


def stance(m: Model, actor: str, issue: str) -> tuple[float, float] | None:
    """An actor's (position, salience) on an issue: the world's, unless an event moved it."""
    moved = m.state.stances.get(actor, {}).get(issue)
    if moved is not None:
        return float(moved[0]), float(moved[1])
    spec = m.world.actors.get(actor)
    if spec is None or issue not in spec.issues:
        return None
    st = spec.issues[issue]
    return st.position, st.salience


def set_stance(m: Model, actor: str, issue: str, position: float, salience: float | None,
               cause: int | None) -> None:
    old = stance(m, actor, issue)
    sal = salience if salience is not None else (old[1] if old else 0.5)
    m.emit("stance_changed", actor, {"stances": {actor: {issue: [round(position, 3),
                                                               round(sal, 3)]}}}, cause,
           f"{m.name(actor)} moves to {position:.0f} on {issue.replace('_', ' ')}"
           + (f" (from {old[0]:.0f})." if old else "."))


def law_position(m: Model, law: str, default: float = 50.0) -> float:
    """Where a law sits on the election-law issue scale (0 = small districts, 100 = big lists)."""
    spec = m.world.laws.get(law)
    return float(spec.position) if spec is not None and spec.position is not None else default


def law_outlook(m: Model, actor: str, law: str, proposal: float
                ) -> tuple[float, float, float, dict[str, bargaining.IssueStance]]:
    """(bargaining forecast, status quo, draft position, seat-weighted stances) for a draft."""
    stances = {}
    for a, n in sorted(m.state.seats.items()):
        st = stance(m, a, "election_law")
        if n <= 0 or st is None:
            continue
        position = proposal if a == actor else st[0]
        stances[a] = bargaining.IssueStance(position, st[1], float(n))
    status_quo = law_position(m, m.state.law)
    draft = law_position(m, law, proposal)
    rounds = int(knob(m, "bargaining_rounds"))
    forecast = bargaining.bdm_forecast(stances, rounds=rounds) if stances else status_quo
    return forecast, status_quo, draft, stances


def law_viable(m: Model, actor: str, law: str, proposal: float) -> bool:
    """Would bargaining settle nearer the draft than the current law?"""
    forecast, status_quo, draft, _ = law_outlook(m, actor, law, proposal)
    return abs(forecast - draft) <= abs(forecast - status_quo)


def propose_law(m: Model, actor: str, law: str, proposal: float, cause: int | None) -> None:
    """An amendment goes through bargaining, then a vote.

    First the parties bargain over the content: the Bueno de Mesquita forecast on the
    election-law issue (capability = seats; with the default of 0 rounds this is the
    capability-and-salience-weighted median, the model's base forecast: its later rounds are
    known to be sensitive, so they are a knob, `bargaining_rounds`).  If the forecast settles
    nearer the status quo than the draft, the draft is shelved.  Otherwise parliament votes,
    and the chance that the draft passes is a probabilistic Condorcet contest between it and
    the status quo.
    """
    s = m.state
    if s.law == law:
        return
    if s.stalled:
        m.emit("law_vote_postponed", actor, {"draft": law}, cause,
               f"Parliament is stalled; the vote on '{law}' is postponed.")
        return
    forecast, status_quo, draft, stances = law_outlook(m, actor, law, proposal)
    if abs(forecast - status_quo) < abs(forecast - draft):
        m.emit("law_shelved", actor, {"draft": law, "forecast": round(forecast, 2)}, cause,
               f"Bargaining over '{law}' settles near {forecast:.0f} on the election-law "
               f"scale, closer to the current law ({status_quo:.0f}) than the draft "
               f"({draft:.0f}): the draft is shelved.")
        return
    p = bargaining.passage_probability(stances, draft, status_quo) if stances else 0.0
    ev = m.emit("law_proposed", actor, {"draft": law, "probability": round(p, 4),
                                        "forecast": round(forecast, 2)}, cause,
                f"{m.name(actor)} puts the '{law}' amendment to parliament (bargaining "
                f"forecast {forecast:.0f}; chance of passing {p:.0%}).")
    if float(m.rng("law").random()) < p:
        m.emit("law_changed", actor, {"law": law}, ev.id,
               f"Parliament passes the '{law}' amendment.")
    else:
        m.emit("law_rejected", actor, {"draft": law}, ev.id,
               f"Parliament rejects the '{law}' amendment.")


# --- government formation --------------------------------------------------------------

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
                ev = m.emit("president_vote_failed", None,
                            {"present": present, "absent": sorted(absent)}, last,
                            f"Only {present} members attend: the blocking third denies the "
                            f"{pres_quorum} quorum to elect a president.")
                last = ev.id
                attempts += 1
                yield m.env.timeout(30.0)
                continue
            ev = m.emit("president_elected", None, {"president_elected": True,
                                                    "present": present}, last,
                        f"With {present} members present, parliament elects a president.")
            last = ev.id
            yield m.env.timeout(15.0)
        if lead == "cf" or head != "sadrists":
            probs = _pm_candidates(m, [x for x in members if x not in tried]) or {head: 1.0}
        else:
            probs = {"sadrists": 1.0}
        nominee = _draw(rng, probs)
        tried.add(nominee)
        ev = m.emit("pm_nominated", nominee, {
            "nominee": nominee, "bloc": lead,
            "odds": {k: round(v, 4) for k, v in sorted(probs.items())}}, last,
            f"The largest bloc ({m.name(lead)}, {sum(s.seats.get(x, 0) for x in members)} "
            f"seats) nominates {m.name(nominee)} for prime minister "
            f"(odds {probs[nominee]:.0%}).")
        last = ev.id
        yield m.env.timeout(20.0)
        coalition = build_coalition(m, nominee, members, rng)
        result = government.confidence_vote(
            s.seats, coalition, s.relationships, rng, knob(m, "defection_rate"),
            quota=quota, absent=frozenset(s.boycotting))
        vote = m.emit("confidence_vote", nominee, {
            "yes": result.yes, "no": result.no, "passed": result.passed,
            "coalition": sorted(coalition)}, last,
            f"Confidence vote on {m.name(nominee)}'s cabinet: {result.yes} for, "
            f"{result.no} against ({'passed' if result.passed else 'failed'}; "
            f"{quota} needed).")
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
        "bloc": bloc,
        "posts": posts, "caretaker": False, "formation_open": False, "nominee": None}, cause,
        f"{m.name(pm)} forms a government of {len(members)} parties; ministries shared by "
        f"seats (muhasasa).")


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


# --- posts and sanctions -------------------------------------------------------------------

def assign_post(m: Model, post: str, holder: str | None, cause: int | None) -> None:
    s, w = m.state, m.world
    table = "ministries" if post in w.ministries else "posts"
    if getattr(s, table).get(post) == holder:
        return
    text = (f"{m.name(holder)} takes the {post.replace('_', ' ')}." if holder
            else f"The {post.replace('_', ' ')} falls vacant.")
    ev = m.emit("post_assigned", holder, {table: {post: holder}}, cause, text)
    security = (w.ministries[post].security if table == "ministries"
                else w.posts[post].kind == "security")
    if security and holder in s.sanctioned:
        check_state_sanctions(m, ev.id)


def sanction(m: Model, target: str, on: bool, cause: int | None) -> None:
    s = m.state
    if (target in s.sanctioned) == on:
        return
    ev = m.emit("sanctioned" if on else "sanction_lifted", "us", {"sanctioned": {target: on}},
                cause, f"The United States {'sanctions' if on else 'lifts sanctions on'} "
                       f"{m.name(target)}.")
    if on:
        check_state_sanctions(m, ev.id)


def check_state_sanctions(m: Model, cause: int) -> None:
    """A sanctioned party in a security post risks sanctions on Iraq as a whole."""
    s, w = m.state, m.world
    if s.state_sanctioned:
        return
    exposure = []
    for name, holder in s.ministries.items():
        if w.ministries[name].security:
            exposure.append((holder in s.sanctioned, w.ministries[name].weight / 3))
    for name, holder in s.posts.items():
        if w.posts[name].kind == "security":
            exposure.append((holder in s.sanctioned, w.posts[name].weight / 3))
    hostility = max(0.0, -min((s.relationship("us", p) for p in s.government), default=0.0))
    risk = sanctions.combined_state_sanction_risk(exposure, hostility,
                                                  knob(m, "sanction_base"))
    if float(m.rng("sanctions").random()) < risk:
        m.emit("state_sanctioned", "us", {"state_sanctioned": True}, cause,
               f"Washington extends sanctions to Iraqi state institutions (risk {risk:.0%}).")


# --- street and arms -----------------------------------------------------------------------

def grievance(m: Model, actor: str) -> float:
    """Exclusion from power and rivals' ascendancy feed an actor's grievance (0..1)."""
    s = m.state
    excluded = 0.0 if actor in s.government else 0.3
    rivals = sum(v for a, v in m.influence().items() if s.relationship(actor, a) < -0.3)
    return max(0.0, min(1.0, excluded + 0.5 * rivals))


def mobilise(m: Model, actor: str, strength: float, cause: int | None) -> None:
    s = m.state
    if s.protest is not None:
        return
    capacity = s.mobilisation.get(actor, 0.0)
    size = conflict.protest_size(capacity, grievance(m, actor), strength)
    effects = conflict.mobilisation_effects(size)
    support = round(max(-0.5, min(0.5, s.support.get(actor, 0.0) + effects.support_change)), 5)
    ev = m.emit("protest_started", actor, {
        "protest": {"actor": actor, "size": round(size, 4)}, "stalled": effects.stalled,
        "support": {actor: support}}, cause,
        f"{m.name(actor)} brings supporters onto the streets (size {size:.2f} of capacity)"
        + ("; parliament cannot sit." if effects.stalled else "."))
    m.env.process(_protest(m, actor, size, ev.id))


def _protest(m: Model, actor: str, size: float, cause: int) -> Process:
    s = m.state
    rng = m.rng(f"protest:{cause}")
    days = float(rng.exponential(knob(m, "protest_days"))) + 3.0
    armed = [p for p in sorted(s.brigades) if p != actor and s.brigades[p] > 0]
    if armed and s.brigades.get(actor, 0) > 0:
        foe = min(armed, key=lambda p: (s.relationship(actor, p), p))
        hostility = max(0.0, -s.relationship(actor, foe))
        restraint = (m.policy(actor, "restraint", 0.5) + m.policy(foe, "dispute_aversion", 0.5)) / 2
        p = conflict.clash_probability(s.brigades[actor], s.brigades[foe], hostility,
                                       restraint, intensity=size)
        when = float(rng.uniform(0, days))
        if float(rng.random()) < p:
            yield m.env.timeout(when)
            clash(m, actor, foe, cause)
            days -= when
    yield m.env.timeout(max(days, 0.0))
    m.emit("protest_ended", actor, {"protest": None, "stalled": False}, cause,
           f"{m.name(actor)}'s protests wind down; parliament resumes.")


def clash(m: Model, a: str, b: str, cause: int | None) -> None:
    s = m.state
    rng = m.rng(f"clash:{len(m.events)}")
    base = conflict.GREEN_ZONE_2022
    model = conflict.CasualtyModel(mean=base.mean * knob(m, "clash_intensity"),
                                   dispersion=base.dispersion)
    killed = conflict.draw_casualties(model, rng)
    effects = conflict.clash_effects(killed, (a, b))
    support = {p: round(max(-0.5, min(0.5, s.support.get(p, 0.0) + d)), 5)
               for p, d in sorted(effects.support_change.items())}
    w = round(max(-1.0, s.relationship(a, b) - effects.relationship_change), 4)
    m.emit("clash", a, {"actors": [a, b], "casualties": killed, "casualties_add": killed,
                        "clashes_add": 1, "support": support,
                        "relationships": [[*pair(a, b), w]]}, cause,
           f"Armed clashes between {m.name(a)} and {m.name(b)}: {killed} killed.")


