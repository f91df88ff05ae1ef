"""Scenario discovery against a known answer, and the --where language."""

import json
import re

import pandas as pd
import pytest

from sim.errors import InputError
from sim.sweep import sweep
from sim.sweep.discover import discover
from sim.sweep.where import evaluate
from tests.sweep import fakes


@pytest.fixture(scope="module")
def toy_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("disc") / "sw"
    sweep(fakes.TOY, {"turnout": "0:1", "sadr_strength": "0.5:2", "delay": "0:90"},
          sample="lhs", n=400, out=out, runner=fakes.toy_run, hasher=fakes.toy_hash)
    return out


def test_prim_cart_and_scores_find_the_known_box(toy_dir):
    # toy_run: the Sadrists' pick is PM when 70 * sadr_strength + U{0..19} > 120, so the
    # cases lie above sadr_strength 1.46 (certain above 1.73); turnout and delay do nothing
    result = discover(toy_dir, "prime_minister == 'sadr_pick'")
    prim = result["prim"]
    assert set(prim["box"]) == {"sadr_strength"}
    assert 1.40 < prim["box"]["sadr_strength"]["low"] < 1.60
    assert prim["coverage"] > 0.9 and prim["density"] >= 0.8 and prim["meets_threshold"]
    traj = prim["trajectory"]
    assert traj[0]["coverage"] == 1.0 and traj[0]["density"] == pytest.approx(result["share"])
    assert traj[-1]["density"] > traj[0]["density"]
    assert next(iter(result["scores"])) == "sadr_strength"
    best = result["cart"]["leaves"][0]
    assert best["density"] > 0.95 and all(r.startswith("sadr_strength") for r in best["rules"])
    assert json.loads((toy_dir / "discover.json").read_text())["where"] == result["where"]


def test_nothing_to_tell_apart_is_one_line(toy_dir):
    with pytest.raises(InputError) as exc:
        discover(toy_dir, "casualties >= 0")
    assert exc.value.problems[0].field == "--where" and "all of the" in str(exc.value)


def test_where_language():
    frame = pd.DataFrame({
        "casualties": pd.array([0, 30, None], dtype="Int64"),
        "in_government.sadrists": pd.array([True, False, None], dtype="boolean"),
        "prime_minister": ["sudani", "sadr_pick", None],
        "param.delay": [10.0, 50.0, 90.0],
        "pm.al-maliki": [False, True, False],
    })
    assert list(evaluate("casualties > 20", frame)) == [False, True, False]
    assert list(evaluate("not in_government.sadrists", frame)) == [False, True, True]
    assert list(evaluate("prime_minister == 'sudani' or delay >= 90", frame)) == [
        True, False, True]
    assert list(evaluate("10 < delay + 1 <= 51 and `pm.al-maliki`", frame)) == [
        False, True, False]
    assert list(evaluate("casualties * 2 - 1 >= 59", frame)) == [False, True, False]
    for bad, message in [("casulaties > 3", "did you mean casualties"),
                         ("casualties >", "expected a value"), ("casualties + 1", "a number"),
                         ("(casualties > 1", "expected ')'"), ("3 > 2", "any column"),
                         ("casualties # 2", "unexpected '#'")]:
        with pytest.raises(InputError, match=re.escape(message)) as exc:
            evaluate(bad, frame)
        assert exc.value.problems[0].field == "--where"


def test_a_sweep_without_varied_parameters_is_refused(tmp_path):
    out = tmp_path / "sw"
    sweep(fakes.TOY, {}, replications=6, out=out, runner=fakes.toy_run,
          hasher=fakes.toy_hash)
    with pytest.raises(InputError, match="no parameter varies"):
        discover(out, "casualties > 3")


def test_the_sweep_report_shows_the_discovery(toy_dir):
    from sim.report.html import sweep_html
    from sim.report.load import load_sweep

    discover(toy_dir, "prime_minister == 'sadr_pick' and casualties < 1000")
    page = sweep_html(load_sweep(toy_dir))
    assert 'id="discovery"' in page and "Scenario discovery" in page
    assert "sadr_strength" in page.split('id="discovery"')[1]
    assert "casualties &lt; 1000" in page  # the expression is text, escaped
    assert page.count('aria-label="PRIM peeling') == 1
