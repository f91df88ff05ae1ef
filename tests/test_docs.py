"""The examples in the documentation work as written."""

import re
import shutil
from pathlib import Path

import sim

ROOT = Path(__file__).resolve().parents[1]


def test_the_scenario_language_example_validates_and_runs(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "scenario-language.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    shutil.copy(ROOT / "scenarios" / "baseline.yaml", tmp_path / "baseline.yaml")
    (tmp_path / "my_what_if.yaml").write_text(example)
    run = sim.run(sim.load_scenario(tmp_path / "my_what_if.yaml"), seed=1)
    assert run.summary["scenario"] == "my_what_if"
    assert any(e.kind == "boycott_ended" for e in run.events)


def test_every_action_kind_is_documented() -> None:
    from sim.schema.scenario import ACTION_KINDS

    text = (ROOT / "docs" / "scenario-language.md").read_text()
    for kind in ACTION_KINDS:
        assert f"`{kind}`" in text, kind
