"""Synthetic run and sweep directories that follow docs/CONTRACTS.md.

The report is built before (and independently of) the engine and the sweep runner, so its tests
need run and sweep folders of the contracted shape that do not depend on either.  The story here is
small but complete: a scheduled return of Sadr, an election under a changed law, a clash with
casualties, US sanctions and a government formed through coalition bargaining.
"""

from __future__ import annotations

import json
import math
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sim.state import APPLY

START = date(2024, 6, 1)

ACTORS: dict[str, dict[str, Any]] = {
    "aah": {"name": "Khazali / Asa'ib Ahl al-Haq", "colour": "#7b1fa2", "kind": "party"},
    "sadrists": {"name": "Sadr / Sadrist movement", "colour": "#2e7d32", "kind": "party"},
    "sol": {"name": "Maliki / State of Law", "colour": "#1565c0", "kind": "party"},
    "sudani": {"name": "Sudani / Furatayn", "colour": "#00838f", "kind": "party"},
    "badr": {"name": "Badr Organisation", "colour": "#ef6c00", "kind": "party"},
    "kh": {"name": "Kataib Hezbollah", "colour": "#4e342e", "kind": "armed_group"},
    "kdp": {"name": "Kurdistan Democratic Party", "colour": "#f9a825", "kind": "party"},
    "sovereignty": {"name": "Sunni Sovereignty Alliance", "colour": "#c62828", "kind": "party"},
    "taqaddum": {"name": "Taqaddum", "kind": "party"},  # no colour: palette fallback
    "us": {"name": "United States", "colour": "#37474f", "kind": "state"},
    "iran": {"name": "Iran", "colour": "#558b2f", "kind": "state"},
}
SEATS_INITIAL = {"aah": 16, "sadrists": 0, "sol": 38, "sudani": 8, "badr": 22, "kh": 1,
                 "kdp": 31, "sovereignty": 34, "taqaddum": 37, "puk": 18, "independents": 40,
                 "others": 84}
SEATS_FINAL = {"aah": 14, "sadrists": 70, "sol": 30, "sudani": 24, "badr": 18, "kh": 1,
               "kdp": 31, "sovereignty": 30, "taqaddum": 36, "puk": 17, "independents": 20,
               "others": 38}
assert sum(SEATS_INITIAL.values()) == 329 and sum(SEATS_FINAL.values()) == 329


def _date(day: float) -> str:
    return (START + timedelta(days=int(day))).isoformat()


def make_events() -> list[dict[str, Any]]:
    """A causally linked event log: every cause points to an earlier id."""
    events: list[dict[str, Any]] = []

    def add(t: float, kind: str, actor: str | None, text: str, cause: int | None,
            **fields: Any) -> int:
        event_id = len(events)
        changes = {k: v for k, v in fields.items() if k in APPLY}
        details = {k: v for k, v in fields.items() if k not in APPLY or k == "casualties"}
        events.append({"id": event_id, "t": float(t), "date": _date(t), "kind": kind,
                       "actor": actor, "cause": cause, "changes": changes, "details": details,
                       "text": text})
        return event_id

    start = add(0, "run_started", None, "The scenario starts from the June 2024 status quo.",
                None, scenario="sadr_returns")
    law = add(30, "election_law_changed", "sol",
              "State of Law's amendment passes: modified Sainte-Lague with first divisor 1.7.",
              start, scheduled=True, law="sainte_lague_1.7")
    add(45, "bridge_built", "aah",
        "Khazali quietly mends ties with Sudani's office.", start,
        decision="build_bridges", partner="sudani")
    ret = add(122, "boycott_ended", "sadrists",
              "Sadr ends his boycott and announces the movement will run.", start,
              scheduled=True)
    protest = add(140, "protest", "sadrists", "Sadrist supporters fill Tahrir Square.", ret,
                  size=120000, decision="mobilise")
    clash = add(150, "clash", "sadrists",
                "Armed clash between Saraya al-Salam and Kataib Hezbollah in Baghdad.", protest,
                casualties=23, against="kh")
    add(160, "sanctions_imposed", "us",
        "The US Treasury sanctions Kataib Hezbollah's leadership.", clash,
        target="kh", decision="sanction")
    add(170, "clash", "kh", "Retaliatory clash in Basra.", clash, casualties=9,
        against="sadrists")
    election = add(330, "election_held", None,
                   "Parliamentary election under the amended law: the Sadrists win 70 seats.",
                   law, scheduled=True, seats=SEATS_FINAL, turnout=0.41)
    for i in range(5):
        add(331 + i, "coalition_talks", ["sol", "aah", "badr", "sudani", "kdp"][i],
            f"Round {i + 1} of coalition talks.", election, decision="negotiate")
    nomination = add(345, "pm_nominated", "sudani",
                     "The Coordination Framework's largest bloc nominates Sudani.", election,
                     candidate="sudani", decision="nominate")
    ministry_cause = add(360, "confidence_vote", None,
                         "Sudani's cabinet wins confidence 181 to 148.", nomination,
                         votes_for=181, votes_against=148)
    gov = add(360, "government_formed", "sudani",
              "Sudani forms a government of SoL, AAH, Badr, KDP and Sovereignty.",
              ministry_cause, pm="sudani",
              government=["sudani", "sol", "aah", "badr", "kdp", "sovereignty"])
    for ministry, holder in [("Finance", "sol"), ("Interior", "badr"),
                             ("Higher Education", "aah"), ("Oil", "sudani")]:
        add(361, "ministry_assigned", holder, f"{ministry} goes to {holder}.", gov,
            ministry=ministry, holder=holder)
    add(362, "post_assigned", "aah", "An AAH figure takes the CMC board.", gov,
        post="media.cmc_board", holder="aah")
    add(400, "relationship_changed", "sadrists",
        "The Sadrists turn against the new government.", gov, other="sudani", weight=-0.6)
    add(540, "run_ended", None, "The horizon is reached.", start)
    return events


ACTOR_IDS = ["aah", "sadrists", "sol", "sudani", "badr", "kh", "kdp", "sovereignty", "taqaddum",
             "us", "iran"]


def make_history() -> list[dict[str, Any]]:
    """Monthly influence and relationship snapshots that change visibly over the run."""
    history = []
    for month in range(19):
        day = month * 30
        raw = {a: 1.0 + 0.3 * math.sin(month / 3 + i) for i, a in enumerate(ACTOR_IDS)}
        raw["sadrists"] = 0.4 + (2.5 if day >= 122 else 0.0)
        raw["aah"] = 1.2 + month * 0.05
        raw["sudani"] = 1.5 + (0.8 if day >= 360 else 0.0)
        total = sum(raw.values())
        influence = {a: round(v / total, 4) for a, v in raw.items()}
        rival = -0.7 if day >= 122 else -0.3
        relationships = [
            ["aah", "sudani", round(0.2 + month * 0.03, 2)], ["aah", "badr", 0.6],
            ["sol", "badr", 0.5], ["sol", "aah", 0.3], ["sadrists", "aah", rival],
            ["sadrists", "kh", rival], ["sadrists", "sol", -0.8], ["us", "kh", -0.9],
            ["iran", "kh", 0.8], ["iran", "badr", 0.7], ["kdp", "sudani", 0.3],
            ["sovereignty", "sudani", 0.2], ["taqaddum", "sovereignty", -0.2],
        ]
        history.append({"day": day, "date": _date(day), "influence": influence,
                        "relationships": relationships})
    return history


def make_summary(seed: int = 1) -> dict[str, Any]:
    history = make_history()
    ministries_initial = {"Finance": "sol", "Interior": "badr", "Oil": "sudani",
                          "Higher Education": "aah", "Foreign Affairs": "kdp",
                          "Defence": "sovereignty", "Electricity": None}
    ministries = dict(ministries_initial, **{"Electricity": "sol", "Defence": "taqaddum"})
    posts_initial = {"governor.baghdad": "sol", "governor.basra": "others",
                     "media.cmc_board": "sol", "media.government_media_office": "sudani",
                     "media.imn": "badr", "security.pmf_commission": "badr"}
    posts = dict(posts_initial, **{"media.cmc_board": "aah", "governor.baghdad": "sadrists"})
    return {
        "scenario": "sadr_returns", "seed": seed,
        "parameters": {"sadr_return_day": 122.0, "first_divisor": 1.7, "khazali_caution": 0.8},
        "start_date": START.isoformat(), "end_day": 540, "end_date": _date(540),
        "seats": SEATS_FINAL, "seats_initial": SEATS_INITIAL,
        "prime_minister": "sudani",
        "government": ["sudani", "sol", "aah", "badr", "kdp", "sovereignty"],
        "government_formed_day": 360,
        "ministries": ministries, "ministries_initial": ministries_initial,
        "posts": posts, "posts_initial": posts_initial,
        "influence": history[-1]["influence"], "casualties": 32, "clashes": 2,
        "sanctioned": ["kh"], "state_sanctioned": False,
        "election_law": "sainte_lague_1.7",
        "elections": [{"day": 330, "date": _date(330), "law": "sainte_lague_1.7",
                       "seats_before": SEATS_INITIAL, "seats": SEATS_FINAL}],
        "boycotting": [],
        "history": history,
        "actors": ACTORS,
        "assumptions": [
            {"field": "actors.sadrists.mobilisation", "value": 0.9,
             "note": "Street capacity guessed from 2022 turnout <unverified>"},
            {"field": "parameters.khazali_caution", "value": 0.8,
             "note": "How strongly Khazali avoids open disputes"},
        ],
        "events": len(make_events()),
    }


def make_run_dir(path: Path, seed: int = 1) -> Path:
    """Write events.jsonl, summary.json and manifest.json into ``path``."""
    path.mkdir(parents=True, exist_ok=True)
    events = make_events()
    (path / "events.jsonl").write_text(
        "".join(json.dumps(e, sort_keys=True) + "\n" for e in events), encoding="utf-8")
    (path / "summary.json").write_text(json.dumps(make_summary(seed), indent=2), encoding="utf-8")
    (path / "manifest.json").write_text(json.dumps({
        "scenario": "sadr_returns", "scenario_path": "scenarios/sadr_returns.yaml",
        "scenario_hash": "ab" * 32, "seed": seed, "until": None,
        "parameters": make_summary(seed)["parameters"], "package_version": "0.1.0"}),
        encoding="utf-8")
    return path


PARTIES = ["aah", "sadrists", "sol", "sudani", "badr", "kdp", "sovereignty", "taqaddum",
           "others"]


def make_results(n: int = 80, seed: int = 3):
    """A results table shaped like sim/sweep's: parameters drive the outcomes visibly."""
    import pandas as pd

    rng = random.Random(seed)
    rows = []
    for i in range(n):
        ret = rng.uniform(0, 1)
        divisor = rng.uniform(1.0, 1.9)
        caution = rng.uniform(0, 1)
        sadr = int(round(ret * 80 * (2.0 - divisor / 1.9) / 1.5))
        aah = int(round(10 + 8 * caution - 0.05 * sadr))
        sol = int(round(30 + 10 * (divisor - 1.0)))
        sudani = rng.randint(8, 30)
        badr = rng.randint(12, 22)
        kdp, sov, taq = 31, rng.randint(25, 35), rng.randint(30, 38)
        others = 329 - (sadr + aah + sol + sudani + badr + kdp + sov + taq)
        seats = dict(zip(PARTIES, [aah, sadr, sol, sudani, badr, kdp, sov, taq, others],
                         strict=True))
        if sadr > 55:
            pm, gov = "sadrists", "sadrists+kdp+sovereignty"
        elif sudani > 20 or caution > 0.7:
            pm, gov = "sudani", "aah+badr+kdp+sol+sovereignty+sudani"
        else:
            pm, gov = "sol", "aah+badr+kdp+sol"
        if i == n - 1:
            pm, gov = None, ""
        influence = {a: rng.uniform(0.02, 0.2) for a in ["aah", "sadrists", "sol", "sudani"]}
        total = sum(influence.values())
        row = {"run_id": i, "seed": 1000 + i, "sadr_return_prob": ret, "first_divisor": divisor,
               "khazali_caution": caution, "prime_minister": pm, "government": gov,
               "casualties": int(max(0, rng.gauss(10 + 60 * ret * (1 - caution), 8))),
               "status": "ok" if i != n - 1 else "no_government"}
        row.update({f"seats.{p}": v for p, v in seats.items()})
        row.update({f"influence.{a}": v / total for a, v in influence.items()})
        rows.append(row)
    return pd.DataFrame(rows)


def make_sweep_dir(path: Path, n: int = 80, sobol: bool = True) -> Path:
    """Write results.parquet and sweep.json into ``path``."""
    path.mkdir(parents=True, exist_ok=True)
    make_results(n).to_parquet(path / "results.parquet", index=False)
    meta: dict[str, Any] = {
        "scenario": "sadr_returns", "scenario_path": "scenarios/sadr_returns.yaml",
        "scenario_hash": "cd" * 32, "sample": "sobol" if sobol else "lhs", "n": n,
        "replications": 1, "seed": 0,
        "parameters": {"sadr_return_prob": {"range": [0, 1]},
                       "first_divisor": {"range": [1.0, 1.9]},
                       "khazali_caution": {"range": [0, 1]}},
        "actors": ACTORS,
        "assumptions": make_summary()["assumptions"],
    }
    if sobol:
        meta["sobol"] = {
            "casualties": {"S1": {"sadr_return_prob": 0.55, "first_divisor": 0.02,
                                  "khazali_caution": 0.25},
                           "ST": {"sadr_return_prob": 0.7, "first_divisor": 0.05,
                                  "khazali_caution": 0.4},
                           "S1_conf": {"sadr_return_prob": 0.05, "first_divisor": 0.03,
                                       "khazali_caution": 0.04}},
            "seats.sadrists": {"S1": {"sadr_return_prob": 0.8, "first_divisor": 0.15,
                                      "khazali_caution": 0.0},
                               "ST": {"sadr_return_prob": 0.85, "first_divisor": 0.2,
                                      "khazali_caution": 0.01}},
        }
    (path / "sweep.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return path
