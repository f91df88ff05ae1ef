"""A run played in pieces is the same run: stepping, interventions, replay and fork."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.errors import InputError
from sim.serve.live import LiveRun, interventions_in, replay, validate_action

ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_stepping_logs_the_same_bytes_as_one_run(name: str) -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    whole = sim.run(scenario, seed=4)
    live = LiveRun(scenario, 4)
    while not live.finished:
        live.step()
    assert live.jsonl() == whole.events_jsonl()
    assert live.to_run().summary == whole.summary


def test_every_step_stops_right_after_a_logged_event() -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    live = LiveRun(scenario, 2)
    counts = [len(live.events)]
    while not live.finished:
        live.step()
        counts.append(len(live.events))
    assert all(b > a for a, b in zip(counts[:-2], counts[1:-1], strict=True))


def test_interventions_replay_byte_for_byte_and_forks_match() -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    live = LiveRun(scenario, 9, {"sadr_return_day": 200})
    live.inject("kind: form_alliance\nactors: [sol, sadrists]")  # at the very start
    live.step(25)
    live.inject("kind: sanction\ntarget: badr")
    live.step(10)
    fork = replay(scenario, 9, {"sadr_return_day": 200}, live.interventions(),
                  upto=len(live.events))
    assert fork.jsonl() == live.jsonl()
    live.inject("kind: election")
    while not live.finished:
        live.step(7)
    again = replay(scenario, 9, {"sadr_return_day": 200}, interventions_in(live.events))
    assert again.jsonl() == live.jsonl()
    kinds = [e.kind for e in live.events]
    assert kinds.count("intervention") == 3
    first = next(e for e in live.events if e.kind == "intervention")
    assert first.details["after"] == 1 and first.cause is None


@pytest.mark.parametrize("text,line", [
    ("kind: election\nfoo: 1", "<intervention>:2:1: foo: unknown field 'foo'"),
    ("kind: end_boycott", "<intervention>:1:1: actor: missing required field 'actor'"),
    ("kind: change_law\nlaw: '1999'", "<intervention>:2:1: law: unknown law '1999'"),
    ("kind: [", "<intervention>:1:"),
    ("", "<intervention>:1:1: <root>: empty"),
    ("x" * 5000, "<intervention>:1:1: <root>: too long"),
])
def test_actions_are_validated_as_sim_validate_does(text: str, line: str, tmp_path) -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    with pytest.raises(InputError) as caught:
        validate_action(scenario, text)
    first = str(caught.value.problems[0])
    assert first.startswith(line), first
    assert "\n" not in first


def test_the_same_action_in_a_scenario_file_gives_the_same_message(tmp_path) -> None:
    """`sim validate` on a file holding the action says the same thing about the same field."""
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: {ROOT / 'scenarios' / 'sadr_returns.yaml'}\nname: s\n"
                    "events:\n  - day: 3\n    do: {kind: sanction, target: nobody}\n")
    with pytest.raises(InputError) as in_file:
        sim.load_scenario(path)
    with pytest.raises(InputError) as in_form:
        validate_action(scenario, "{kind: sanction, target: nobody}")
    assert in_file.value.problems[0].message == in_form.value.problems[0].message
    assert in_form.value.problems[0].field == "target"


def test_students_decide_for_their_actors_and_the_session_replays() -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    live = LiveRun(scenario, 5)
    live.enable_students({"sadrists": "Ali", "sol": "Mina"})
    answered = 0
    while not live.finished:
        live.step(3)
        pending = live.pending
        if pending is not None:
            assert pending.actor in ("sadrists", "sol") and pending.options
            choice = pending.options[0]["action"] if answered % 3 else None  # some time-outs
            live.classroom.answer(live.model, choice)
            answered += 1
    decisions = [e for e in live.events if e.kind == "decision"]
    assert len(decisions) == answered > 2
    assert {e.actor for e in decisions} <= {"sadrists", "sol"}
    chosen = [e for e in decisions if e.details["action"] is not None]
    assert chosen and all(e.details["by"] in ("Ali", "Mina") for e in chosen)
    follow = {e.cause for e in live.events if e.cause is not None}
    assert all(e.id in follow for e in chosen if "alliance" in e.details["action"])
    from sim.serve.live import decisions_in

    again = replay(scenario, 5, None, interventions_in(live.events),
                   decisions=decisions_in(live.events))
    assert again.jsonl() == live.jsonl()


def test_students_are_assigned_before_the_run_starts() -> None:
    scenario = sim.load_scenario(ROOT / "scenarios" / "sadr_returns.yaml")
    live = LiveRun(scenario, 5)
    with pytest.raises(InputError, match="not actors with a policy"):
        live.enable_students({"nobody": "Ali"})
    live.step()
    with pytest.raises(InputError, match="before the run starts"):
        live.enable_students({"sadrists": "Ali"})
