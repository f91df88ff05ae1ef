"""The reports work for any world: they take what they show of a world from its summary.

A small world that is not Iraq (other actors and camps, 101 seats, other posts) is run, and its
run report, comparison and explanations are built from the output; and no module of
sim/report names an actor, post, ministry or person of the seed world, or reads a world file.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

import sim
from sim.report import charts
from sim.report.compare import compare, comparison_html
from sim.report.explain import explain, format_explanation
from sim.report.html import POST_GROUPS, run_context, write_report
from sim.report.load import load_run
from tests.report import other_world

REPORT = Path(sim.__file__).resolve().parent / "report"


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The other world's scenario and a written run of it."""
    folder = tmp_path_factory.mktemp("other_world")
    scenario = other_world.write(folder)
    run_dir = folder / "run"
    sim.write_run(sim.run(sim.load_scenario(scenario), seed=1), run_dir)
    return scenario, run_dir


def test_the_run_report_draws_the_other_world_from_its_summary(other) -> None:
    _, run_dir = other
    context = run_context(load_run(run_dir))
    assert context["majority"] == 51 and context["chamber_size"] == 101
    # camps in the world's order (kurd, sunni, mixed), the bloc's members together, the
    # world's seated_last closing the row
    assert [r["party"] for r in context["seat_rows"]] == ["highland", "harbour", "valley",
                                                          "townsfolk"]
    groups = {g["title"]: [r["label"] for r in g["rows"]] for g in context["posts"]}
    for post, spec in other_world.POSTS.items():
        title = POST_GROUPS[spec["kind"]][0]
        label = spec.get("governorate") or sim.report.html.pretty(post)
        assert label in groups[title], (post, groups)
    assert "Other posts" not in groups
    names = context["names"]
    assert charts.chart_name(names, "valley") == "Valley"  # the world's short label
    assert names["harbour"] == "Harbour League"
    html = write_report(run_dir).read_text(encoding="utf-8")
    assert "101 in all; 51 make a majority" in html
    # the world's own conventions elect a president and seat a government, so the report's
    # government sections are drawn from this world too
    summary = load_run(run_dir).summary
    assert summary["government_formed"] and summary["prime_minister"] == "ada"
    assert "Ada Brightwater" in html
    # (the assumptions section quotes the borrowed behaviour constants' notes: world data)
    shown = re.sub(r"<svg.*?</svg>", "", html[:html.index('id="assumptions"')], flags=re.S)
    for word in ("Iraq", "Sadr", "Framework", "329", "165 make"):
        assert word not in shown, word


def test_the_alliance_maps_place_actors_where_the_world_says(other) -> None:
    _, run_dir = other
    run = load_run(run_dir)
    places = {a: m["map"] for a, m in run.actors.items() if m.get("map")}
    assert places == {a: list(p) for a, p in other_world.PLACES.items()}
    snapshots = [h["relationships"] for h in run.summary["history"]]
    positions = charts.network_layout(snapshots, extra=list(other_world.SEATS), places=places)
    for actor in other_world.SEATS:
        assert list(positions[actor]) == other_world.PLACES[actor]


def test_compare_and_explain_work_on_the_other_world(other, tmp_path: Path) -> None:
    scenario, run_dir = other
    variant = scenario.with_name("other_world_calm.yaml")
    variant.write_text(yaml.safe_dump({
        "name": "other_world_calm", "extends": scenario.name,
        "description": "the other world without its clash",
        "events": [{"day": 20, "do": {"kind": "set_relationship",
                                      "actors": ["harbour", "highland"], "weight": 0.2,
                                      "name": "fight"}}]}))
    comparison = compare([scenario, variant], replications=2, seed=1)
    assert comparison.parliament["majority"] == 51
    page = comparison_html(comparison)
    assert "Harbour League" in page and "Iraq" not in page
    run = load_run(run_dir)
    for question in ("why harbour", "why pm", str(len(run.events) - 1)):
        text = format_explanation(explain(run, question), run)
        assert text and "Traceback" not in text


# --- no world of its own in sim/report ------------------------------------------------------

def _seed_ids() -> set[str]:
    world = yaml.safe_load((other_world.ROOT / "seeds" / "world.yaml").read_text())
    ids = {*world["actors"], *world["posts"], *world["ministries"], *world["candidates"],
           *world["governorates"]}
    return {i for i in ids if len(i) > 1}


def _code_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String literals of the module that are not docstrings, with their line."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value,
                                                                     ast.Constant):
                docstrings.add(id(body[0].value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


# seed-world ids that are also plain English words: found only as whole literals in code
ENGLISH = {"others", "independents", "minorities", "land", "ports", "us", "governors"}


def test_no_report_module_names_an_id_of_the_seed_world_or_reads_a_world_file() -> None:
    ids = _seed_ids()
    assert {"sadrists", "aah", "kdp", "imn", "Baghdad"} <= ids  # the scan looks for these
    found = []
    for path in sorted(REPORT.rglob("*.py")) + sorted(REPORT.rglob("*.j2")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            tree = ast.parse(text)
            strings = _code_strings(tree)
            for node in ast.walk(tree):
                module = (node.module if isinstance(node, ast.ImportFrom) else
                          " ".join(a.name for a in node.names) if isinstance(node, ast.Import)
                          else "") or ""
                assert "sim.schema" not in module and module != "sim.scenario", (path, module)
        else:
            strings = [(n, line) for n, line in enumerate(text.splitlines(), start=1)]
        for line, value in strings:
            words = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", value))
            hits = {value} & ids | {w for w in words & ids if w not in ENGLISH}
            hits |= {w for w in words if w.lower().startswith("iraq")}
            if hits:
                found.append(f"{path.name}:{line}: {sorted(hits)}")
        assert "world.yaml" not in text and "seeds/" not in text, path
    assert not found, "\n".join(found)
