"""`sim serve` in a real browser (Playwright driving Debian's chromium): the teacher's loop of
load, set a slider, run, step, play, pause, intervene, fork, save and reopen as a report; the
session code; and nothing requested from anywhere but the server.

No sleeps: every wait is for a condition on the page (Playwright's auto-waiting)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.report.html import write_report

TIMEOUT = 60_000


def rows(page, view: int = 0) -> int:
    return page.locator(".view").nth(view).locator(".timeline li").count()


def watch_requests(page, server) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.on("websocket", lambda ws: seen.append(ws.url))
    return seen


def foreign(seen: list[str], port: int) -> list[str]:
    allowed = (f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/", "data:")
    return [u for u in seen if not u.startswith(allowed)]


def test_teacher_plays_intervenes_forks_and_saves(live_server, browser, tmp_path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    seen = watch_requests(page, live_server)
    page.goto(live_server.url)

    # a slider built from the declared range: sadr_return_day in [30, 480]
    slider = page.locator('#params input[data-param="sadr_return_day"]')
    assert (slider.get_attribute("min"), slider.get_attribute("max")) == ("30", "480")
    slider.fill("60")
    assert slider.input_value() == "60"
    page.fill("#seed", "3")
    page.click("#run")
    view = page.locator(".view").first
    view.locator(".hemicycle circle").first.wait_for()
    assert view.locator(".hemicycle circle").count() == 329

    # step, then next decision
    before = rows(page)
    view.locator(".step").click()
    page.wait_for_function(f"document.querySelectorAll('.view .timeline li').length > {before}")
    before = rows(page)
    view.locator(".decision").click()
    page.wait_for_function(f"document.querySelectorAll('.view .timeline li').length > {before}")

    # play slowly, then pause: the page says paused and the controls follow
    view.locator(".speed").select_option("1")
    view.locator(".play").click()
    page.wait_for_function("document.querySelector('.view').dataset.playing === 'yes'")
    view.locator(".pause").click()
    page.wait_for_function("document.querySelector('.view').dataset.playing === 'no'")
    assert view.locator(".inject").is_enabled()

    # a bad action shows the loader's one-line error; a good one becomes an event
    view.locator(".action").fill("kind: sanction\ntarget: nobody")
    view.locator(".inject").click()
    error = view.locator(".inject-errors")
    error.filter(has_text="unknown actor").wait_for()
    assert error.inner_text().strip() == "<intervention>:2:1: target: unknown actor 'nobody'"
    view.locator(".presets button", has_text="Sudani + AAH alliance").click()
    assert view.locator(".action").input_value() == "kind: form_alliance\nactors: [sudani, aah]"
    view.locator(".action").fill("kind: sanction\ntarget: badr")
    view.locator(".inject").click()
    view.locator(".timeline li.intervention").wait_for()
    assert "intervenes" in view.locator(".timeline li.intervention").inner_text()

    # the "why" link of the sanction jumps to the intervention that caused it
    sanction = view.locator(".timeline li[data-kind='sanctioned']").last
    sanction.locator(".why").click()
    assert "intervention" in (view.locator(".timeline li.hl").get_attribute("class") or "")

    # fork at this moment: a second view with the same history
    count = rows(page)
    view.locator(".fork").click()
    page.locator(".view").nth(1).locator(".hemicycle circle").first.wait_for()
    page.wait_for_function(
        f"document.querySelectorAll('.view')[1].querySelectorAll('.timeline li').length >= {count}")
    assert rows(page, 1) == count

    # the scrubber goes back in time: later events are hidden, the date is earlier
    scrub = view.locator(".scrub")
    scrub.fill("2")
    assert view.locator(".timeline li.future").count() > 0
    scrub.fill(scrub.get_attribute("max"))

    # play the first branch to the end as fast as it computes, save, reopen as a report
    view.locator(".speed").select_option("0")
    view.locator(".play").click()
    view.locator(".live-state", has_text="ended").wait_for()
    view.locator(".save").click()
    view.locator(".saved", has_text="Saved to").wait_for()
    saved = Path(view.locator(".saved").inner_text().split("Saved to ", 1)[1].split(" (")[0])
    assert (saved / "events.jsonl").is_file()
    kinds = [json.loads(line)["kind"] for line in (saved / "events.jsonl").read_text().splitlines()]
    assert "intervention" in kinds
    report = write_report(saved)
    report_page = context.new_page()
    report_page.goto(report.resolve().as_uri())
    assert report_page.locator("svg").count() >= 3

    # sanity of what was drawn
    assert view.locator(".network line").count() > 0
    assert view.locator(".influence polyline").count() >= 3
    assert len(page.screenshot(full_page=True)) > 50_000
    # the one error the browser logs is the deliberate bad action's 422 answer
    assert [e for e in errors if "status of 422" not in e] == []
    assert foreign(seen, live_server.port) == []
    context.close()


def test_replications_fill_in_and_panels_explain(live_server, browser) -> None:
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(live_server.url)
    page.locator("#params input").first.wait_for()
    page.fill("#rep-n", "3")
    page.click("#rep-run")
    page.locator("#rep-status", has_text="3 runs done").wait_for()
    assert page.locator("#rep-pm div").count() >= 2
    page.click("#alloc-run")
    page.locator("#alloc-out table").first.wait_for()
    assert "A wins it by more votes" in page.locator("#alloc-out").inner_text()
    page.click("#run")
    page.locator(".view .hemicycle circle").first.wait_for()
    page.click("#alloc-load")  # lists the run's governorates
    page.locator("#alloc-gov option[value='Basra']").wait_for(state="attached")
    page.select_option("#alloc-gov", "Basra")
    page.click("#alloc-load")
    page.wait_for_function("!document.getElementById('alloc-votes').value.startsWith('A=')")
    page.click("#alloc-run")
    page.locator("#alloc-out h4", has_text="sainte-lague 1.7").wait_for()
    page.click("#power-run")
    page.locator("#power-out p").first.wait_for()
    assert "coalitions the others can form" in page.locator("#power-out").inner_text()
    page.close()


def test_the_session_code_guards_the_page(coded_server, browser) -> None:
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT)
    response = page.goto(coded_server.url)
    assert response.status == 401 and "session code" in page.inner_text("body")
    page.goto(coded_server.url + "?code=K7QX2M")
    page.locator("#params input").first.wait_for()
    page.click("#run")
    page.locator(".view .hemicycle circle").first.wait_for()
    page.locator(".view .step").click()
    page.wait_for_function("document.querySelectorAll('.view .timeline li').length > 1")
    page.close()


@pytest.mark.parametrize("width", [1400, 900])
def test_no_label_spills_out_of_its_chart(live_server, browser, width) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(TIMEOUT)
    page.goto(live_server.url)
    page.locator("#params input").first.wait_for()
    page.click("#run")
    page.locator(".view .network text").first.wait_for()
    spill = page.evaluate("""() => {
      const out = [];
      for (const svg of document.querySelectorAll('.view svg')) {
        const box = svg.getBoundingClientRect();
        for (const t of svg.querySelectorAll('text')) {
          const r = t.getBoundingClientRect();
          if (r.left < box.left - 1 || r.right > box.right + 1) out.push(t.textContent);
        }
      }
      return out;
    }""")
    assert spill == []
    page.close()


def test_teacher_and_student_in_two_browsers(live_server, browser) -> None:
    """Two contexts: the teacher hands Sadr to a student, whose choice appears in the log."""
    teacher_ctx, student_ctx = browser.new_context(), browser.new_context()
    teacher, student = teacher_ctx.new_page(), student_ctx.new_page()
    for page in (teacher, student):
        page.set_default_timeout(TIMEOUT)
    seen = watch_requests(student, live_server)
    teacher.goto(live_server.url)
    teacher.locator("#params input").first.wait_for()
    teacher.click("#run")
    view = teacher.locator(".view").first
    view.locator(".hemicycle circle").first.wait_for()
    for box in view.locator(".student-actors input").all():
        box.set_checked(box.get_attribute("value") == "sadrists")
    view.locator(".student-seconds").fill("600")
    view.locator(".give").click()
    view.locator(".join", has_text="Class code").wait_for()
    code = view.locator(".join").get_attribute("data-code")

    student.goto(f"{live_server.url}?join={code}")
    student.fill("#st-name", "Ali")
    student.locator("#st-choices button[data-actor='sadrists']").click()
    student.locator("#st-actor", has_text="Sadrist movement").wait_for()

    view.locator(".speed").select_option("0")
    view.locator(".play").click()
    student.locator("#st-options button.option").first.wait_for()
    view.locator(".live-state", has_text="waiting for Ali").wait_for()
    student.locator("#st-options button.option").first.click()
    # (at full speed the next decision may follow at once, so wait on the teacher's log)
    decision = view.locator(".timeline li[data-kind='decision']").first
    decision.wait_for()
    assert "played by Ali" in decision.inner_text()
    assert foreign(seen, live_server.port) == []
    teacher_ctx.close()
    student_ctx.close()
