"""The reports in a real headless browser: they render, draw their charts, run their script
without errors and fetch nothing from the network."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.report.html import write_report
from sim.report.load import load_run
from tests.report import browser


def _assert_clean(page: browser.PageVisit) -> None:
    assert page.exceptions == [], page.exceptions
    assert page.console_errors == [], page.console_errors
    assert page.external_requests == [], page.external_requests


def test_run_report_in_chromium(run_dir: Path, chromium: str) -> None:
    path = write_report(run_dir)
    page = browser.visit(path, chromium=chromium)
    _assert_clean(page)
    width, height = browser.png_size(page.screenshot)
    assert width >= 1000 and height >= 3000
    assert len(page.screenshot) > 100_000  # charts and colour, not a blank page
    assert page.counts["svg"] >= 7
    assert page.counts["title"].startswith("Scenario report")
    # the filtering script ran: it writes the count of shown events
    events = load_run(run_dir).events
    assert f"of {len(events)} events" in page.dom
    assert f'id="ev-{events[-1]["id"]}"' in page.dom


def test_sweep_report_in_chromium(sweep_dir: Path, chromium: str) -> None:
    page = browser.visit(write_report(sweep_dir), chromium=chromium)
    _assert_clean(page)
    assert page.counts["svg"] >= 5
    assert browser.png_size(page.screenshot)[1] >= 2000


def test_comparison_page_in_chromium(tmp_path: Path, chromium: str) -> None:
    from sim.report.compare import compare, comparison_html
    from tests.report.test_compare import fake_loader, fake_runner

    result = compare(["baseline", "sadr_returns"], replications=4, loader=fake_loader,
                     runner=fake_runner)
    path = tmp_path / "compare.html"
    path.write_text(comparison_html(result), encoding="utf-8")
    page = browser.visit(path, chromium=chromium)
    _assert_clean(page)
    assert page.counts["svg"] >= 3


def test_the_harness_catches_errors_and_requests(tmp_path: Path, chromium: str) -> None:
    """The checks above would fail on a broken page: prove it on one."""
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><img src="http://example.com/x.png">'
                   "<script>console.error('oops'); undefinedFunction();</script></body></html>")
    page = browser.visit(bad, chromium=chromium)
    assert any("example.com" in url for url in page.external_requests)
    assert any("undefinedFunction" in e for e in page.exceptions)
    assert any("oops" in e for e in page.console_errors)
    with pytest.raises(AssertionError):
        _assert_clean(page)


def test_plain_headless_screenshot(run_dir: Path, chromium: str, tmp_path: Path) -> None:
    """Chromium's own --screenshot mode (no DevTools) renders the page too."""
    import subprocess

    path = write_report(run_dir)
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [chromium, *browser.FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", "--window-size=1280,2000",
         path.resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 50_000
    assert browser.png_size(shot.read_bytes()) == (1280, 2000)
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console


# Every table in "Who holds what" and the timeline: its box, its section's box, and whether any
# cell's content spills out of its cell.
LAYOUT_SCRIPT = """(() => {
  const box = (e) => { const r = e.getBoundingClientRect();
                       return [r.left, r.top, r.right, r.bottom]; };
  const tables = Array.from(document.querySelectorAll('#posts table, #timeline table'));
  return {
    tables: tables.map(box),
    sections: tables.map((t) => box(t.closest('section'))),
    spills: tables.reduce((n, t) => n + Array.from(t.querySelectorAll('td')).filter(
      (td) => td.scrollWidth > td.clientWidth + 1).length, 0),
  };
})()"""


@pytest.mark.parametrize("width", [1000, 1280])
def test_tables_never_overlap(run_dir: Path, chromium: str, width: int) -> None:
    page = browser.visit(write_report(run_dir), width=width, chromium=chromium,
                         evaluate=LAYOUT_SCRIPT)
    _assert_clean(page)
    layout = page.evaluated
    tables, sections = layout["tables"], layout["sections"]
    assert len(tables) >= 3
    for (left, _, right, _), (s_left, _, s_right, _) in zip(tables, sections, strict=True):
        assert s_left <= left and right <= s_right  # inside its section
    for i, a in enumerate(tables):
        for b in tables[i + 1:]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b)
    assert layout["spills"] == 0


# Every table and chart of a comparison page, with its section's box (issue 11, item 7).
COMPARE_LAYOUT = """(() => {
  const box = (e) => { const r = e.getBoundingClientRect();
                       return [r.left, r.top, r.right, r.bottom]; };
  const items = Array.from(document.querySelectorAll('section table, section figure'))
    .filter((e) => !e.closest('details'));
  return items.map((e) => ({id: e.closest('section').id, tag: e.tagName, box: box(e),
                             section: box(e.closest('section'))}));
})()"""


def _five_scenario_comparison(tmp_path: Path) -> Path:
    import json
    import random
    from types import SimpleNamespace

    import sim
    from sim.report.compare import compare, comparison_html

    root = Path(__file__).resolve().parents[2]
    template = sim.run(sim.load_scenario(root / "scenarios" / "sadr_returns.yaml"), seed=1,
                       until=400).summary

    def runner(scenario, seed):
        rng = random.Random(f"{scenario.name}-{seed}")
        summary = json.loads(json.dumps(template))
        parties = [p for p, n in summary["seats"].items() if n]
        summary["government"] = sorted(p for p in parties if rng.random() < 0.7)
        summary["government_formed"] = rng.random() < 0.8
        summary["seats"] = {p: max(0, n + rng.randint(-6, 6))
                            for p, n in summary["seats"].items()}
        return SimpleNamespace(summary=summary)

    labels = ["baseline", "sadr_returns_and_a_much_longer_scenario_name", "election_law_change",
              "sudani_khazali_alliance", "law_change_then_sadr_returns"]
    comparison = compare(labels, replications=8, runner=runner,
                         loader=lambda p: SimpleNamespace(name=str(p)))
    path = tmp_path / "compare.html"
    path.write_text(comparison_html(comparison), encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [1400, 1920])
def test_comparison_fits_its_cards(tmp_path: Path, chromium: str, width: int) -> None:
    page = browser.visit(_five_scenario_comparison(tmp_path), width=width, chromium=chromium,
                         evaluate=COMPARE_LAYOUT)
    _assert_clean(page)
    items = page.evaluated
    assert {i["id"] for i in items} >= {"seats", "government", "pm"}
    for item in items:
        left, _, right, _ = item["box"]
        s_left, _, s_right, _ = item["section"]
        assert s_left - 1 <= left and right <= s_right + 1, item  # nothing spills out
    seats_chart = next(i for i in items if i["id"] == "seats" and i["tag"] == "FIGURE")
    left, top, right, bottom = seats_chart["box"]
    assert bottom - top <= 1.4 * (right - left)  # the box plot's height is bounded
