"""Sobol indices through the sweep machinery, checked on the Ishigami function."""

import math

import pytest

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
