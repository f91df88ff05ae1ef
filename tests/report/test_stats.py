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
    assert stats.government_key("b+a") == "a, b"
    assert stats.government_key("") == stats.government_key(None) == stats.NO_GOVERNMENT


def test_probabilities_sum_to_one_and_sort() -> None:
    probs = stats.probabilities(["a", "b", "a", None])
    assert list(probs) == ["a", "b", "none"] and math.isclose(sum(probs.values()), 1)


def test_failed_runs_are_left_out() -> None:
    frame = fixtures.make_results(10)
    assert len(stats.ok_rows(frame)) == 9


def test_parameter_columns_prefers_param_prefix() -> None:
    frame = pd.DataFrame({"param.x": [1.0, 2.0], "param.const": [1.0, 1.0], "seats.a": [1, 2]})
    assert stats.parameter_columns(frame) == {"x": "param.x"}
    plain = fixtures.make_results(20)
    meta = {"parameters": {"first_divisor": {}, "khazali_caution": {}}}
    assert set(stats.parameter_columns(plain, meta)) == {"first_divisor", "khazali_caution"}


def test_parameter_effects_find_the_built_in_relation() -> None:
    frame = fixtures.make_results(80)
    effects = stats.parameter_effects(frame, {"divisor": "first_divisor"})
    assert effects["divisor"]["seats sol"] > 0.9


def test_flatten_summary_matches_sweep_shape() -> None:
    row = stats.flatten_summary(fixtures.make_summary())
    assert row["seats.sadrists"] == 70 and row["prime_minister"] == "sudani"
    assert row["government"].split(",")[0] == "sudani"
    assert "influence.aah" in row


def test_sobol_shapes() -> None:
    as_dicts = {"sobol": {"y": {"S1": {"a": 0.1}, "ST": {"a": 0.2}}}}
    assert stats.sobol_indices(as_dicts)["y"]["ST"] == {"a": 0.2}
    as_lists = {"problem": {"names": ["a", "b"]}, "sensitivity": {"y": {"S1": [0.1, 0.2]}}}
    assert stats.sobol_indices(as_lists)["y"]["S1"] == {"a": 0.1, "b": 0.2}
    records = {"indices": [{"outcome": "y", "parameter": "a", "S1": 0.3, "ST": 0.4}]}
    assert stats.sobol_indices(records)["y"]["S1"] == {"a": 0.3}
    assert stats.sobol_indices({}) == {}


def test_membership_probabilities_count_each_party_per_run() -> None:
    import pandas as pd

    from sim.report.stats import membership_probabilities

    frame = pd.DataFrame({"government": ["a,b", "b,c", None, "b"]})
    assert membership_probabilities(frame) == {"b": 0.75, "a": 0.25, "c": 0.25}
