"""`sim explain "why pm"` on real runs: formed governments and deadlocked ones."""

from pathlib import Path

import sim
from sim.catalogue import kinds_in
from sim.report.explain import explain
from sim.report.load import load_run

ROOT = Path(__file__).resolve().parents[2]


def _run_dir(tmp_path: Path, scenario: str, seed: int) -> Path:
    run = sim.run(sim.load_scenario(ROOT / "scenarios" / f"{scenario}.yaml"), seed=seed)
    sim.write_run(run, tmp_path / scenario)
    return tmp_path / scenario


def test_why_pm_walks_back_to_the_election(tmp_path: Path) -> None:
    run = load_run(_run_dir(tmp_path, "baseline", 0))
    answer = explain(run, "why pm")
    kinds = [step.event["kind"] for step in answer.chain]
    assert answer.target["kind"] == "government_formed"
    assert answer.target["changes"]["pm_person"] == run.summary["prime_minister"]
    assert "election_held" in kinds and "pm_nominated" in kinds and "confidence_vote" in kinds


def test_why_pm_in_a_deadlock_points_at_the_failed_formation(tmp_path: Path) -> None:
    # A deadlock made certain rather than waited for: most deputies defect on every confidence
    # vote, so no government wins one (the shipped scenarios deadlock only now and then).
    path = tmp_path / "deadlock.yaml"
    parent = (ROOT / "scenarios" / "sadr_returns.yaml").as_posix()
    path.write_text(f"name: deadlock\nextends: {parent}\n"
                    "parameters:\n  defection_rate: {default: 0.6, range: [0.0, 1.0]}\n",
                    encoding="utf-8")
    for seed in range(10):
        sim.write_run(sim.run(sim.load_scenario(path), seed=seed), tmp_path / str(seed))
        run = load_run(tmp_path / str(seed))
        if run.summary["formation"] is None and run.summary["elections"]:
            break
    else:
        raise AssertionError("expected a deadlocked formation among 10 seeds")
    answer = explain(run, "why pm")
    # the last step the stalled formation reached (the constitutional sequence has no
    # `formation_failed`: a deadlock lasts until something changes)
    assert answer.target["kind"] in kinds_in("formation")
    assert any(step.event["kind"] == "election_held" for step in answer.chain)
