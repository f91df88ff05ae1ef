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


def test_the_actions_table_is_rendered_from_the_action_declarations() -> None:
    from sim import docs

    text = (ROOT / "docs" / "scenario-language.md").read_text()
    assert docs.render(text) == text, (
        "docs/scenario-language.md's actions table differs from the @action declarations; "
        f"regenerate it with `{docs.COMMAND}`")


def test_a_new_action_gets_its_row_and_its_event_kinds_from_its_declaration() -> None:
    from typing import Literal

    from sim import catalogue, docs
    from sim.schema import scenario as schema

    @schema.action(emits={"drill_held": schema.Emits("street", "drill held")})
    class Drill(schema._Action):
        """Reservists drill in the streets for `days` days."""

        kind: Literal["drill"]
        actor: str
        days: schema.Within(1, 30) = 3.0

    try:
        row = docs.actions_table().splitlines()[-1]
        assert row == ("| `drill` | `actor`, `days` (1..30; default 3) | Reservists drill in the "
                       "streets for `days` days. | `drill_held` (drill held) |")
        catalogue._register_action_kinds()
        assert catalogue.KINDS["drill_held"].category == "street"
        assert catalogue.kind_label("drill_held") == "drill held"
    finally:
        schema.ACTION_MODELS.remove(Drill)
        schema.ACTION_EMITS.pop(Drill)
        catalogue.KINDS.pop("drill_held", None)


def test_the_docs_command_reports_a_stale_table(tmp_path: Path, monkeypatch, capsys) -> None:
    from sim import docs

    stale = tmp_path / "scenario-language.md"
    stale.write_text(f"intro\n{docs.BEGIN}\n| old |\n{docs.END}\nrest\n")
    monkeypatch.setattr(docs, "SCENARIO_LANGUAGE", stale)
    assert docs.main(["--check"]) == 1
    assert "python -m sim.docs" in capsys.readouterr().err
    assert docs.main([]) == 0 and docs.main(["--check"]) == 0
    assert stale.read_text().startswith("intro\n") and stale.read_text().endswith("rest\n")
