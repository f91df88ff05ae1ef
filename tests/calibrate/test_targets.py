"""The calibration targets (`seeds/calibration.yaml`): they load, add up, and are cited."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from sim.calibrate.targets import Targets, load_targets
from sim.errors import InputError
from tests.test_world import FACTS, SOURCE_KEY, _external_ok, cited_values

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def targets() -> Targets:
    return load_targets(ROOT / "seeds" / "calibration.yaml")


def test_the_five_formations_of_facts_md(targets: Targets) -> None:
    assert [f.days.value for f in targets.formations] == [156, 289, 131, 165, 382]
    for f in targets.formations:  # the validator checks days against dates; so does this
        assert (f.confidence - f.election).days == f.days.value


def test_sitting_pm_lists_and_prime_ministers(targets: Targets) -> None:
    assert [(x.seats.value, x.size.value) for x in targets.sitting_pm_lists] == [
        (89, 325), (92, 328), (42, 329)]
    # a new list is set beside the baseline, an established one beside its own hindcast
    assert [(x.new_list, x.hindcast) for x in targets.sitting_pm_lists] == [
        (False, None), (False, "hindcast_2014"), (True, None)]
    assert len(targets.prime_ministers) == 6
    assert not any(p.led_first_list.value for p in targets.prime_ministers)


def test_hindcast_targets(targets: Targets) -> None:
    seen = targets.hindcast.observed
    assert targets.hindcast.election == dt.date(2021, 10, 10)
    assert seen.days_to_government.value == 382
    assert (dt.date(2022, 6, 12) - targets.hindcast.election).days == seen.withdrawal_day.value
    assert (dt.date(2022, 10, 27) - targets.hindcast.election).days == 382


def _registry() -> set[str]:
    import yaml

    world = yaml.safe_load((ROOT / "seeds" / "world.yaml").read_text(encoding="utf-8"))
    return set(world.get("sources") or {})


def test_every_external_citation_is_a_facts_md_source(targets: Targets) -> None:
    externals = [(path, c.external) for path, c in cited_values(targets) if c.external]
    assert len(externals) >= 20
    for path, key in externals:
        assert SOURCE_KEY.match(key) or key.startswith("FACTS:"), (path, key)
    if not FACTS.is_file():  # CI always has shared/ beside the clone: there a gap is a failure
        if os.environ.get("CI"):
            pytest.fail("shared/FACTS.md is not beside this checkout")
        pytest.skip("shared/FACTS.md is not beside this checkout")
    facts = FACTS.read_text(encoding="utf-8")
    registry = _registry()
    for path, key in externals:
        assert key in registry or _external_ok(key, facts), (
            f"{path}: {key!r} is neither in FACTS.md nor in the world's sources")


def test_a_day_count_that_does_not_match_its_dates_is_a_located_error(tmp_path: Path) -> None:
    text = (ROOT / "seeds" / "calibration.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "calibration.yaml"
    bad.write_text(text.replace("value: 289", "value: 290"), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_targets(bad)
    (problem,) = exc.value.problems
    assert problem.path == str(bad) and problem.field == "formations.1"
    assert "do not match the dates" in problem.message and problem.line > 1


def test_a_missing_targets_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_targets(tmp_path / "nope.yaml")
