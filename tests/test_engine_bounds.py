"""Every run is bounded: by its horizon and by its event cap."""

import re
from pathlib import Path

import sim

ROOT = Path(__file__).resolve().parents[1]


def _scenario(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "bounded.yaml"
    path.write_text(f"name: bounded\nextends: {ROOT / 'scenarios' / 'sadr_returns.yaml'}\n"
                    + extra)
    return path


def test_event_cap_stops_the_run_and_says_so(tmp_path: Path) -> None:
    run = sim.run(sim.load_scenario(_scenario(tmp_path, "event_cap: 25\n")), seed=4)
    assert len(run.events) == 25
    assert run.summary["event_cap_reached"] is True
    assert sum(run.summary["seats"].values()) == 329


def test_horizon_bounds_time(tmp_path: Path) -> None:
    run = sim.run(sim.load_scenario(_scenario(tmp_path, "")), seed=4, until=200)
    assert run.summary["event_cap_reached"] is False
    assert max(e.t for e in run.events) <= 200
    assert run.summary["elections"] == []  # the 2025 election lies beyond day 200


def test_a_shorter_horizon_must_still_hold_the_inherited_events(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(sim.InputError) as info:
        sim.load_scenario(_scenario(tmp_path, "horizon_days: 200\n"))
    assert "outside the scenario's window" in str(info.value)


# --- bounded work: loops, budgets, many triggers, long timelines (issue 11) ------------------

LOOP = """\
event_cap: {cap}
events:
  - day: 1
    do: {{kind: shift_support, actor: sol, delta: 0.001}}
triggers:
  - on: {{kind: support_changed}}
    once: false
    then: {{kind: set_relationship, actors: [sol, aah], weight: 0.5}}
  - on: {{kind: relationship_changed}}
    once: false
    then: {{kind: set_relationship, actors: [sol, aah], weight: -0.5}}
  - on: {{kind: relationship_changed}}
    once: false
    then: {{kind: set_relationship, actors: [sol, aah], weight: 0.5}}
"""


def test_a_zero_delay_trigger_loop_ends_at_the_event_cap(tmp_path: Path) -> None:
    run = sim.run(sim.load_scenario(_scenario(tmp_path, LOOP.format(cap=3000))), seed=1)
    assert len(run.events) == 3000 and run.summary["event_cap_reached"] is True
    assert max(e.t for e in run.events) < 2  # time stood still: only the cap stopped it


def test_a_long_timeline_is_summarised(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from sim.narrate import MAX_TIMELINE_ROWS, print_run

    run = sim.run(sim.load_scenario(_scenario(tmp_path, LOOP.format(cap=5000))), seed=1)
    buffer = io.StringIO()
    print_run(run, None, Console(file=buffer, width=200))
    text = buffer.getvalue()
    assert "more events not shown" in text  # counted by kind, in words
    assert re.search(r"\(\d+ relationship changed\)", text)
    assert "event cap (5000 events) was reached" in text
    assert text.count("\n") < MAX_TIMELINE_ROWS + 100  # not one line per event


def test_wall_clock_budget_stops_the_run_and_says_so(tmp_path: Path) -> None:
    # a budget of a nanosecond has run out by the first budget check (every 64 events)
    run = sim.run(sim.load_scenario(_scenario(tmp_path, "")), seed=4, max_seconds=1e-9)
    assert run.summary["time_budget_reached"] is True
    assert run.summary["event_cap_reached"] is False
    assert len(run.events) == 64
    full = sim.run(sim.load_scenario(_scenario(tmp_path, "")), seed=4)
    assert full.summary["time_budget_reached"] is False


def test_every_list_boycotting_cancels_the_election(tmp_path: Path) -> None:
    import yaml

    world = yaml.safe_load((ROOT / "seeds" / "world.yaml").read_text())
    lists = sorted({p for row in world["votes"]["shares"].values() for p in row})
    events = "".join(f"  - day: 1\n    do: {{kind: start_boycott, actor: {p}}}\n" for p in lists)
    run = sim.run(sim.load_scenario(_scenario(tmp_path, "events:\n" + events)), seed=2)
    kinds = [e.kind for e in run.events]
    assert "election_cancelled" in kinds and "election_held" not in kinds
    assert sum(run.summary["seats"].values()) == 329  # the old parliament sits on


def test_a_delay_parameter_below_the_floor_waits_the_floor(tmp_path: Path) -> None:
    from sim.schema.scenario import MIN_STEP_DAYS

    path = _scenario(tmp_path, "parameters:\n  d: {default: 0, range: [0, 1]}\ntriggers:\n"
                     "  - on: {kind: run_started}\n    delay: $d\n"
                     "    then: {kind: shift_support, actor: sol, delta: 0.01}\n")
    run = sim.run(sim.load_scenario(path), seed=1, parameters={"d": 1e-300})
    fired = next(e for e in run.events if e.kind == "trigger_fired")
    assert fired.t == MIN_STEP_DAYS


MANY = """\
triggers:
{items}
"""


def _many_triggers(n: int) -> str:
    """Conditions over every input the language has, each repeated; some fire, most not."""
    forms = ["seats(sol) > {k}", "support(sadrists) > 0.{k}", "relationship(sol, aah) < -0.{k}",
             "boycotting(sadrists) and day > {k}0", "in_government(aah) and clashes > {k}",
             "holds(sol, Oil) or casualties > {k}", "brigades(aah) > {k} and not in_session",
             "mobilisation(sadrists) > 0.{k} or elections_held > 0", "influence(sol) > 0.{k}",
             "pm == sudani and law == '2023_sl17' and day > {k}00", "state_sanctioned or "
             "sanctioned(aah) and day > {k}0"]
    items = []
    for i in range(n):
        cond = forms[i % len(forms)].format(k=1 + i % 9)
        items.append(f"  - when: \"{cond}\"\n    once: {'true' if i % 2 else 'false'}\n"
                     f"    delay: {i % 3}\n"
                     f"    then: {{kind: shift_support, actor: sol, delta: 0.000{1 + i % 9}}}")
    return MANY.format(items="\n".join(items))


def test_incremental_triggers_give_the_same_log(tmp_path: Path, monkeypatch) -> None:
    """Re-checking only conditions whose inputs changed is an optimisation, nothing more."""
    from sim.engine import Model

    sc = sim.load_scenario(_scenario(tmp_path, _many_triggers(66)))
    for seed in (1, 2):
        fast = sim.run(sc, seed=seed)
        monkeypatch.setattr(Model, "incremental_triggers", False)
        slow = sim.run(sc, seed=seed)
        monkeypatch.setattr(Model, "incremental_triggers", True)
        assert fast.events_jsonl() == slow.events_jsonl()
        assert any(e.kind == "trigger_fired" for e in fast.events)


def test_conditions_are_not_re_evaluated_after_unrelated_events(tmp_path: Path,
                                                                monkeypatch) -> None:
    from sim.conditions import Condition

    calls = [0]
    evaluate = Condition.evaluate

    def counted(self, ctx):  # type: ignore[no-untyped-def]
        calls[0] += self.text.startswith("seats(sol) > 1")  # ours, not the scenario's own
        return evaluate(self, ctx)

    monkeypatch.setattr(Condition, "evaluate", counted)
    n = 1000
    triggers = "".join(f"  - when: seats(sol) > {1000 + i}\n    then: {{kind: election}}\n"
                       for i in range(n))
    run = sim.run(sim.load_scenario(_scenario(tmp_path, "triggers:\n" + triggers)), seed=4)
    seat_changes = sum(1 for e in run.events if "seats" in e.changes)
    assert len(run.events) > 100
    # once at the start, then only after the events that changed seats
    assert calls[0] == n * (1 + seat_changes)
