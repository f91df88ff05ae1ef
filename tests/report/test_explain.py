from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import InputError
from sim.report.explain import explain, format_explanation, role_of
from sim.report.load import load_run


def test_chain_goes_back_to_the_start(run_dir: Path) -> None:
    run = load_run(run_dir)
    answer = explain(run, "18")
    ids = [s.event["id"] for s in answer.chain]
    assert ids[0] == 0 and ids[-1] == 18
    assert all(run.by_id[b]["cause"] == a for a, b in zip(ids, ids[1:], strict=False))
    roles = [s.role for s in answer.chain]
    assert roles[0] == "start" and "scheduled" in roles and "decision" in roles


@pytest.mark.parametrize("question, kind", [
    ("why pm", "government_formed"),
    ("why is Sudani prime minister", "government_formed"),
    ("clash", "clash"),
    ("why was kh sanctioned", "sanctions_imposed"),
    ("why did khazali build bridges", "bridge_built"),
    ("#4", "protest"),
])
def test_questions_find_their_event(run_dir: Path, question: str, kind: str) -> None:
    assert explain(load_run(run_dir), question).target["kind"] == kind


def test_text_reads_oldest_first(run_dir: Path) -> None:
    run = load_run(run_dir)
    text = format_explanation(explain(run, "why pm"), run)
    assert text.startswith("Why: Sudani forms a government")
    chain = text[text.index("Cause chain"):]
    assert chain.index("#0 ") < chain.index("#8 ") < chain.index("#16 ")
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
