from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import InputError
from sim.report.explain import explain, format_explanation, role_of
from sim.report.load import load_run


def _last(run, kind: str) -> dict:
    return [e for e in run.events if e["kind"] == kind][-1]


def test_chain_goes_back_to_the_start(run_dir: Path) -> None:
    run = load_run(run_dir)
    target = _last(run, "clash")
    answer = explain(run, str(target["id"]))
    ids = [s.event["id"] for s in answer.chain]
    assert ids[0] == 0 and ids[-1] == target["id"]
    assert all(run.by_id[b]["cause"] == a for a, b in zip(ids, ids[1:], strict=False))
    assert [s.role for s in answer.chain][0] == "start"
    law = _last(run, "law_changed")
    roles = [s.role for s in explain(run, str(law["id"])).chain]
    assert roles[0] == "start" and "decision" in roles


@pytest.mark.parametrize("question, kind", [
    ("why pm", "government_formed"),
    ("clash", "clash"),
    ("why did sadr end the boycott", "boycott_ended"),
    ("law_changed", "law_changed"),
])
def test_questions_find_their_event(run_dir: Path, question: str, kind: str) -> None:
    assert explain(load_run(run_dir), question).target["kind"] == kind


def test_why_is_the_prime_minister_named_finds_his_government(run_dir: Path) -> None:
    run = load_run(run_dir)
    name = run.name(run.summary["prime_minister"]).split()[0]
    assert explain(run, f"why is {name} prime minister").target["kind"] == "government_formed"


def test_text_reads_oldest_first(run_dir: Path) -> None:
    run = load_run(run_dir)
    formed = _last(run, "government_formed")
    text = format_explanation(explain(run, "why pm"), run)
    assert text.startswith(f"Why: {formed['text']}")
    chain = text[text.index("Cause chain"):]
    ids = [s.event["id"] for s in explain(run, "why pm").chain]
    positions = [chain.index(f"#{i} ") for i in ids]
    assert positions == sorted(positions) and ids[0] == 0
    assert "Set in motion by" in text and "scheduled" in text


@pytest.mark.parametrize("question", ["999", "frobnicate the widgets"])
def test_unknown_event_is_an_input_error(run_dir: Path, question: str) -> None:
    with pytest.raises(InputError) as info:
        explain(load_run(run_dir), question)
    assert info.value.problems[0].field == "EVENT_ID"


def test_roles() -> None:
    assert role_of({"cause": None}) == "start"
    assert role_of({"cause": 0, "kind": "scheduled"}) == "scheduled"
    assert role_of({"cause": 0, "kind": "trigger_fired"}) == "trigger"
    assert role_of({"cause": 0, "kind": "x", "actor": "aah"}) == "decision"
    assert role_of({"cause": 0, "kind": "election_held", "actor": None}) == "consequence"
