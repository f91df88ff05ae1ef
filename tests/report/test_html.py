from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import pytest

from sim.errors import InputError
from sim.report.html import pretty, run_context, write_report
from sim.report.load import load, load_run
from tests.report import fixtures
from tests.report.offline import any_url, external_references


def test_run_report_has_every_part(run_dir: Path) -> None:
    path = write_report(run_dir)
    assert path == run_dir / "report.html"
    html = path.read_text(encoding="utf-8")
    for section in ("outcome", "scenario", "parliament", "posts", "influence", "alliances",
                    "violence", "timeline", "assumptions"):
        assert f'id="{section}"' in html
    run = load_run(run_dir)
    clashes = [e for e in run.events if e["kind"] == "clash"]
    assert clashes, "the fixture's run is meant to have a clash"
    assert html.count("<svg") >= 2 + 1 + 3 + 1  # hemicycles, influence, networks, casualties
    for event in run.events:
        assert f'id="ev-{event["id"]}"' in html
        if event["cause"] is not None:
            assert f'href="#ev-{event["cause"]}"' in html
    # the scenario's parameters and every assumption, flagged as such
    for name in run.summary["parameters"]:
        assert name in html
    assert html.count('class="tag assumption">assumption') >= len(run.summary["assumptions"])
    for assumption in run.summary["assumptions"]:
        assert escape(assumption["field"]) in html
    # a record cited as a whole (a stance) reads as words, not as a Python dict
    stance = next(a for a in run.summary["assumptions"] if isinstance(a["value"], dict)
                  and set(a["value"]) == {"position", "salience"})
    assert (f'<td>position {stance["value"]["position"]:g}, '
            f'salience {stance["value"]["salience"]:g}</td>') in html
    assert "{&#39;position&#39;" not in html
    # who holds what, and who governs
    for ministry in run.summary["ministries"]:
        assert escape(ministry) in html
    assert escape(run.name(run.summary["prime_minister"])) in html


def test_run_report_is_self_contained(run_dir: Path) -> None:
    html = write_report(run_dir).read_text(encoding="utf-8")
    assert external_references(html) == []
    assert any_url(html) == []
    assert "<link" not in html and "@font-face" not in html


def test_values_from_the_run_are_escaped(run_dir: Path) -> None:
    lines = (run_dir / "events.jsonl").read_text().splitlines()
    event = json.loads(lines[2])
    event["text"] = '<script>alert("x")</script><img src="http://evil.example/x.png">'
    lines[2] = json.dumps(event, sort_keys=True)
    (run_dir / "events.jsonl").write_text("\n".join(lines) + "\n")
    html = write_report(run_dir).read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert external_references(html) == []


def test_report_is_reproducible(run_dir: Path) -> None:
    first = write_report(run_dir).read_text(encoding="utf-8")
    second = write_report(run_dir).read_text(encoding="utf-8")
    assert first == second
    assert sorted(p.name for p in run_dir.iterdir()) == [
        "events.jsonl", "manifest.json", "report.html", "summary.json"]


def test_run_without_history_or_elections_still_renders(run_dir: Path) -> None:
    summary = json.loads((run_dir / "summary.json").read_text())
    for key in ("history", "elections", "assumptions"):
        summary[key] = []
    (run_dir / "summary.json").write_text(json.dumps(summary))
    html = write_report(run_dir).read_text(encoding="utf-8")
    assert "No assumption-provenance inputs" in html
    assert "No relationship history" in html
    assert "At the start" in re.sub(r"\s+", " ", html) or html.count("<svg") >= 2


def test_sweep_report_has_distributions_and_effects(sweep_dir: Path) -> None:
    html = write_report(sweep_dir).read_text(encoding="utf-8")
    for section in ("overview", "pm", "government", "seats", "casualties", "effects",
                    "assumptions"):
        assert f'id="{section}"' in html
    sweep = load(sweep_dir)
    assert html.count("<svg") >= 5
    for name in sweep.meta["parameters"]:
        assert name in html
    assert f"ok: {len(sweep.results)}" in html
    assert "Who is in government" in html and "Most frequent whole governments" in html
    assert html.count('class="tag assumption">assumption') >= 2
    assert external_references(html) == [] and any_url(html) == []


def test_a_real_sobol_sweeps_report_shows_its_indices(sweep_dir: Path) -> None:
    sensitivity = load(sweep_dir).sensitivity
    assert sensitivity is not None and sensitivity["outcomes"]
    html = write_report(sweep_dir).read_text(encoding="utf-8")
    assert "Sobol sensitivity indices" in html
    assert html.count("Sobol indices: ") >= 1
    # each index beside its outcome's replication noise and whether it stands above it
    assert "Indices beside replication noise" in html and "<th>noise share</th>" in html
    shown = next(o for o in sensitivity["outcomes"] if f"<td><code>{o}</code></td>" in html)
    share = sensitivity["noise"][shown]["noise_share"]  # n/a: this fixture has 1 replication
    cell = "n/a" if share is None else f"{share:.0%}"
    assert f"<td><code>{shown}</code></td><td>{cell}</td>" in html
    # computed from the sweep itself when `sim sensitivity` has not been run
    (sweep_dir / "sensitivity.json").unlink()
    again = write_report(sweep_dir).read_text(encoding="utf-8")
    assert "Sobol sensitivity indices" in again and again.count("Sobol indices: ") >= 1


def test_an_lhs_sweep_has_effects_but_no_sobol_indices(tmp_path: Path) -> None:
    directory = fixtures.make_sweep_dir(tmp_path / "lhs", sobol=False)
    html = write_report(directory).read_text(encoding="utf-8")
    assert "Sobol sensitivity indices" not in html
    assert "Parameter effects on outcomes" in html
    for name in load(directory).meta["parameters"]:
        assert name in html


def test_a_sweep_without_its_record_is_refused(sweep_dir: Path) -> None:
    (sweep_dir / "sweep.json").unlink()
    with pytest.raises(InputError, match="sweep.json"):
        write_report(sweep_dir)


def test_pretty_post_names() -> None:
    assert pretty("media.cmc_board") == "CMC Board"
    assert pretty("government_media_office") == "Government Media Office"
    assert pretty("imn") == "IMN"


def test_alliance_maps_are_one_per_row_and_explain_what_is_left_out(run_dir: Path) -> None:
    html = write_report(run_dir).read_text(encoding="utf-8")
    section = html[html.index('id="alliances"'):html.index('id="violence"')]
    assert 'class="stack"' in section and "grid2" not in section
    assert "Only ties of strength 0.3 or more" in section
    assert "the start of the run" in section and "the end of the run" in section
    assert "(day 0)" in section and "day 0.0" not in section


def test_posts_tables_sit_in_their_own_grid(run_dir: Path) -> None:
    html = write_report(run_dir).read_text(encoding="utf-8")
    section = html[html.index('id="posts"'):html.index('id="influence"')]
    assert 'class="posts-grid"' in section and section.count('class="posts"') >= 3


def test_governorates_are_place_names_not_acronyms() -> None:
    from sim.report.html import _post_label

    # a governorship is labelled by its world's governorate, whatever its id
    assert _post_label("governor_dhi_qar", {"kind": "governorship",
                                            "governorate": "Dhi Qar"}) == "Dhi Qar"
    assert _post_label("g7", {"kind": "governorship", "governorate": "Baghdad"}) == "Baghdad"
    assert _post_label("imn", {"kind": "media"}) == "IMN"


def test_posts_are_grouped_by_the_world_s_kind_of_post(run_dir: Path) -> None:
    from sim.report.html import POST_GROUPS, _post_groups
    from sim.report.load import load_run

    summary = load_run(run_dir).summary
    groups = {g["title"]: g for g in _post_groups(summary)}
    for post, info in summary["post_info"].items():
        title = POST_GROUPS[info["kind"]][0]
        label = info["governorate"] if info["kind"] == "governorship" else None
        assert any(label in (None, r["label"]) for r in groups[title]["rows"]), post
    assert "Other posts" not in groups


def test_the_timeline_names_each_kind_in_words(run_dir: Path) -> None:
    from sim.catalogue import KINDS
    from sim.report.load import load_run

    context = run_context(load_run(run_dir))
    for entry in context["timeline"]:
        assert entry["kind_label"] == KINDS[entry["kind"]].label and "_" not in entry[
            "kind_label"], entry
    html = write_report(run_dir).read_text(encoding="utf-8")
    timeline = html[html.index('id="timeline"'):html.index('id="assumptions"')]
    assert not re.search(r'<span class="kind"[^>]*>[a-z]+_[a-z_]+</span>', timeline)
    assert '<span class="kind" title="election_held">election held</span>' in timeline


def test_every_event_kind_has_a_label() -> None:
    from sim.catalogue import KINDS

    assert all(k.label and "_" not in k.label for k in KINDS.values())


def test_the_run_report_shows_the_elected_house_beside_the_end(run_dir: Path) -> None:
    """Grouping deputies join blocs after the vote (`deputies_joined`): the seat table then
    shows what the election certified between the start and the end, and says why."""
    run = load_run(run_dir)
    html = write_report(run_dir).read_text(encoding="utf-8")
    elected = run.summary["elections"][-1]["seats"]
    moved = elected != run.summary["seats"]
    assert ('<th class="num">Elected</th>' in html) == moved
    if run.summary["deputies_joined"]:
        assert f'{run.summary["deputies_joined"]} deputies of independents' in html


def test_the_sweep_report_shows_seats_won_beside_seats_at_the_end(tmp_path: Path) -> None:
    from sim.report.html import sweep_html
    from sim.report.load import load_sweep

    sweep = load_sweep(fixtures.make_sweep_dir(tmp_path / "sweep"))
    html = sweep_html(sweep)
    won = any(c.startswith("seats_elected.") for c in sweep.results.columns)
    assert won  # the fixture's sweep holds an election
    assert "Mean at the end" in html and "Mean won" in html
