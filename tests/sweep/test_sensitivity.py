"""Sobol indices through the sweep machinery, checked on the Ishigami function."""

import math

import pytest

from sim.artifacts import Sensitivity
from sim.errors import InputError
from sim.sweep import sobol_indices, sweep
from tests.sweep import fakes

# Closed form for a=7, b=0.1 with x_i ~ U(-pi, pi).
A, B = 7.0, 0.1
V = A**2 / 8 + B * math.pi**4 / 5 + B**2 * math.pi**8 / 18 + 0.5
V1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
V2 = A**2 / 8
V13 = 8 * B**2 * math.pi**8 / 225
S1 = {"x1": V1 / V, "x2": V2 / V, "x3": 0.0}
ST = {"x1": (V1 + V13) / V, "x2": V2 / V, "x3": V13 / V}


@pytest.fixture(scope="module")
def ishigami_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("sens") / "sobol"
    sweep(fakes.ISHIGAMI, None, sample="sobol", n=1024, out=out,
          runner=fakes.ishigami_run, hasher=fakes.toy_hash)
    return out


def test_ishigami_indices(ishigami_dir):
    result = sobol_indices(ishigami_dir)
    assert result["problem"]["names"] == ["x1", "x2", "x3"]
    y = result["outcomes"]["y"]
    for name in ("x1", "x2", "x3"):
        assert y[name]["S1"] == pytest.approx(S1[name], abs=0.05)
        assert y[name]["ST"] == pytest.approx(ST[name], abs=0.05)
        assert 0 < y[name]["S1_conf"] < 0.2 and 0 < y[name]["ST_conf"] < 0.2
    assert result["skipped"] == {"constant": "constant across the design"}
    assert "label" not in result["outcomes"]


def test_non_sobol_dir_is_refused(tmp_path):
    out = tmp_path / "grid"
    sweep(fakes.TOY, {"turnout": "0:1"}, n=2, out=out, runner=fakes.toy_run,
          hasher=fakes.toy_hash)
    with pytest.raises(InputError, match="grid sweep; Sobol indices need") as exc:
        sobol_indices(out)
    assert "\n" not in str(exc.value)


def test_unfinished_sweep_is_refused(ishigami_dir, tmp_path):
    import json
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(ishigami_dir, copy)
    record = json.loads((copy / "sweep.json").read_text())
    (copy / "sweep.json").write_text(json.dumps(dict(record, complete=False)))
    with pytest.raises(InputError, match="not finished; finish it with --resume"):
        sobol_indices(copy)


def test_indicator_outcomes_are_analysed_and_one_replication_is_warned(ishigami_dir):
    result = sobol_indices(ishigami_dir)
    assert "high" in result["outcomes"]  # a true/false outcome: the indices of a probability
    assert result["noise"]["y"] == {"noise_share": None, "noise_floor": None}
    assert any("one replication" in w for w in result["warnings"])
    Sensitivity.model_validate(result)  # the contract sensitivity.json and the report share
    assert set(result["outcomes"]["y"]) >= {"x2"}


@pytest.fixture(scope="module")
def noisy_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("noisy") / "sobol"
    sweep(fakes.ISHIGAMI, None, sample="sobol", n=256, replications=4, out=out,
          runner=fakes.noisy_run, hasher=fakes.toy_hash)
    return out


def test_noise_share_and_indices_that_do_not_stand_above_it(noisy_dir):
    result = sobol_indices(noisy_dir)
    level = result["noise"]["y"]
    # Var(x1) = pi^2 / 3 ~ 3.29 against a noise variance of 1: about 23% within points
    assert level["noise_share"] == pytest.approx(1 / (1 + math.pi**2 / 3), abs=0.05)
    # the noise left in means of 4 replications: (1 / 4) / (3.29 + 1 / 4) ~ 7%
    assert level["noise_floor"] == pytest.approx(0.25 / (math.pi**2 / 3 + 0.25), abs=0.03)
    y = result["outcomes"]["y"]
    assert y["x1"]["above_noise"] and y["x1"]["ST"] > 0.8
    assert not y["x2"]["above_noise"] and not y["x3"]["above_noise"]


def test_second_order_indices_on_ishigami(tmp_path):
    out = tmp_path / "s2"
    sweep(fakes.ISHIGAMI, None, sample="sobol", n=1024, second_order=True, out=out,
          runner=fakes.ishigami_run, hasher=fakes.toy_hash)
    result = sobol_indices(out)
    s2 = result["second_order"]["y"]
    assert s2["x1,x3"]["S2"] == pytest.approx(V13 / V, abs=0.1)
    assert s2["x1,x2"]["S2"] == pytest.approx(0.0, abs=0.1)


def test_morris_screening_ranks_known_effects(tmp_path):
    from sim.sweep.sensitivity import sensitivity

    out = tmp_path / "morris"
    sweep(fakes.ISHIGAMI, None, sample="morris", n=20, out=out, runner=fakes.linear_run,
          hasher=fakes.toy_hash)
    result = sensitivity(out)
    assert result["method"] == "morris"
    y = result["outcomes"]["y"]
    assert y["x1"]["mu_star"] > y["x2"]["mu_star"] > y["x3"]["mu_star"]
    assert y["x1"]["mu_star_norm"] == 1.0 and y["x3"]["mu_star"] == pytest.approx(0, abs=1e-9)
    assert y["x1"]["above_noise"] and not y["x3"]["above_noise"]
    # elementary effects: 10 per unit of x1 over a range of 2 pi, scaled to the unit step
    assert y["x1"]["mu_star"] / y["x2"]["mu_star"] == pytest.approx(10, rel=1e-6)


def test_analysis_warnings_become_one_line_per_outcome(tmp_path, recwarn, capfd):
    from sim.sweep.sensitivity import sensitivity

    out = tmp_path / "rare"
    sweep(fakes.ISHIGAMI, None, sample="sobol", n=16, replications=2, out=out,
          runner=fakes.rare_run, hasher=fakes.toy_hash)
    capfd.readouterr()
    result = sensitivity(out)
    assert "rare" in result["outcomes"] and "smooth" in result["outcomes"]
    lines = [w for w in result["warnings"] if "the analysis warned" in w]
    assert [w.split(":")[0] for w in lines] == ["rare"]  # one line, for the outcome that warned
    assert "Constant values" in lines[0]
    assert not [w for w in recwarn if "Constant" in str(w.message)]  # none escaped
    assert "Constant values" not in capfd.readouterr().err


def test_the_index_table_puts_each_index_beside_its_noise(noisy_dir):
    from sim.sweep.sensitivity import index_table, sensitivity

    result = sensitivity(noisy_dir)
    table = index_table(result, most=1)
    assert table["header"][:3] == ["outcome", "noise share", "parameter"]
    assert table["header"][-1] == "above noise"
    rows = {r[2]: r for r in table["rows"]}
    assert set(rows) == {"x1", "x2", "x3"} and table["rows"][0][0] == "y"
    share = result["noise"]["y"]["noise_share"]
    assert table["rows"][0][1] == f"{share:.0%}"
    assert [rows[p][-1] for p in ("x1", "x2", "x3")] == [
        "yes" if result["outcomes"]["y"][p]["above_noise"] else "no" for p in ("x1", "x2", "x3")]
    assert rows["x1"][-1] == "yes" and rows["x3"][-1] == "no"  # x1 matters, x3 does not
    assert index_table(None) is None
