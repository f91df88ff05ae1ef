"""Parliamentary elections: votes from potential shares, boycotts and noise; seats by the law in
force (`sim.mechanics.elections`); then government formation starts."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from sim.institutions.formation import formation
from sim.institutions.knobs import knob
from sim.institutions.measures import contesting, shifted_support
from sim.mechanics.elections import ElectionLaw, VoteManagement, national_election

if TYPE_CHECKING:
    from sim.engine import Model


def shift_support(m: Model, actor: str, delta: float, cause: int | None, kind: str,
                  text: str) -> None:
    m.emit(kind, actor, {"support": {actor: shifted_support(m, actor, delta)}}, cause, text)


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


def hold_election(m: Model, law_name: str | None, cause: int | None,
                  declared: bool = False) -> None:
    s, w = m.state, m.world
    name = law_name or s.law
    if declared:
        certified_election(m, name, cause)
        return
    rng = m.rng(f"election:{len(s.elections) + 1}")
    votes = election_votes(m, rng)
    magnitudes = {g: w.governorates[g].seats.value for g in votes}
    quota = {g: dict(w.governorates[g].quota) for g in votes if w.governorates[g].quota}
    vm = {p: VoteManagement(Fraction(str(v.nomination)), Fraction(str(v.evenness)))
          for p, v in w.vote_management.items()}
    split, vm = fragment(votes, vm, {p: v.fragments for p, v in w.vote_management.items()})
    result = national_election(split, magnitudes, law_of(m, name), quota, vm)
    seats = {p: 0 for p in s.seats}
    for p, won in result.seats.items():  # fragments `name#i` fold back into their list
        base = p.split("#", 1)[0]
        seats[base] = seats.get(base, 0) + won
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


def certified_election(m: Model, law_name: str, cause: int | None) -> None:
    """An election whose result is the parliament as it stands (`results: declared`): a
    hindcast starts from certified results, so no votes are drawn; formation follows as usual."""
    seats = dict(sorted(m.state.seats.items()))
    leaders = sorted(seats, key=lambda p: (-seats[p], p))[:4]
    record = {"day": m.now, "date": m.date().isoformat(), "law": law_name,
              "seats_before": seats, "seats": seats, "votes": {}}
    ev = m.emit("election_held", None, {
        "seats": seats, "election": record, "caretaker": True, "formation_open": True,
        "president_elected": False, "nominee": None,
    }, cause, "Election results as certified (declared by the scenario, no votes drawn): "
              + ", ".join(f"{m.name(p)} {seats[p]}" for p in leaders) + ".")
    m.env.process(formation(m, ev.id))
