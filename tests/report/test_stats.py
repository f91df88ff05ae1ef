from __future__ import annotations

import math

import pandas as pd

from sim.report import stats
from tests.report import fixtures


def test_interval_mean_and_90_percent() -> None:
    block = stats.interval(list(range(101)))
    assert block["mean"] == 50 and block["n"] == 101
    assert math.isclose(block["lo"], 5) and math.isclose(block["hi"], 95)
    assert math.isnan(stats.interval([])["mean"])


def test_government_key_is_canonical() -> None:
    assert stats.government_key("sol,aah") == stats.government_key(["aah", "sol"]) == "aah, sol"
    assert stats.government_key("") == stats.government_key(None) == stats.NO_GOVERNMENT


def test_probabilities_sum_to_one_and_sort() -> None:
    probs = stats.probabilities(["a", "b", "a", None])
    assert list(probs) == ["a", "b", "none"] and math.isclose(sum(probs.values()), 1)


def test_failed_runs_are_left_out() -> None:
    frame = fixtures.make_results(10)
    assert len(stats.ok_rows(frame)) == 9


def test_parameter_columns_are_the_varied_param_columns() -> None:
    frame = pd.DataFrame({"param.x": [1.0, 2.0], "param.const": [1.0, 1.0], "seats.a": [1, 2]})
    assert stats.parameter_columns(frame) == {"x": "param.x"}


def test_parameter_effects_find_the_built_in_relation() -> None:
    frame = fixtures.make_results(80)
    effects = stats.parameter_effects(frame, {"divisor": "first_divisor"})
    assert effects["divisor"]["seats sol"] > 0.9


def test_flatten_summary_matches_sweep_shape() -> None:
    summary = fixtures.make_summary()
    row = stats.flatten_summary(summary)
    assert row["seats.sadrists"] == summary["seats"]["sadrists"]
    assert row["prime_minister"] == summary["prime_minister"]
    assert row["government"].split(",") == summary["government"]
    assert "influence.aah" in row and row["status"] == "ok"


def test_membership_probabilities_count_each_party_per_run() -> None:
    import pandas as pd

    from sim.report.stats import membership_probabilities

    frame = pd.DataFrame({"government": ["a,b", "b,c", None, "b"]})
    assert membership_probabilities(frame) == {"b": 0.75, "a": 0.25, "c": 0.25}
