"""`sim serve` through Starlette's TestClient: bad requests, the live channel, interventions,
forks, saves, disconnects, limits and the session code.  No test depends on timing: the live
channel is driven by explicit step commands, and "play" only at full speed to the end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

import sim
from sim.report.load import load_run
from sim.serve.app import create_app
from sim.serve.live import interventions_in, replay

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture()
def client(tmp_path: Path):
    app = create_app(SCENARIOS, tmp_path / "out", max_runs=4)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def new_run(client: TestClient, **body) -> str:
    r = client.post("/api/runs", json={"scenario": "sadr_returns", "seed": 1, **body})
    assert r.status_code == 200, r.text
    return r.json()["id"]


def until(ws, kind: str) -> dict:
    while True:
        message = ws.receive_json()
        if message["type"] == kind:
            return message


def test_scenarios_are_listed_with_their_parameter_ranges(client) -> None:
    listed = {s["name"]: s for s in client.get("/api/scenarios").json()["scenarios"]}
    day = {p["name"]: p for p in listed["sadr_returns"]["parameters"]}["sadr_return_day"]
    assert (day["min"], day["max"], day["default"], day["integer"]) == (30, 480, 120, True)


def test_the_page_and_its_script_come_from_the_package(client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    assert "http" not in page.text.replace("http-equiv", "")  # no CDN, no external link
    assert client.get("/static/app.js").status_code == 200


@pytest.mark.parametrize("body,status,fragment", [
    (b"not json", 400, "not JSON"),
    (b"[1, 2]", 400, "JSON object"),
    (json.dumps({"scenario": "nope"}).encode(), 404, "unknown scenario 'nope'"),
    (json.dumps({"scenario": "sadr_returns", "seed": -1}).encode(), 400, "seed"),
    (json.dumps({"scenario": "sadr_returns", "seed": "x"}).encode(), 400, "seed"),
    (json.dumps({"scenario": "sadr_returns", "parameters": [1]}).encode(), 400, "parameters"),
    (json.dumps({"scenario": "sadr_returns", "parameters": {"sadr_return_day": 1}}).encode(),
     400, "parameters.sadr_return_day: 1 is outside the declared range [30, 480]"),
    (json.dumps({"scenario": "sadr_returns", "parameters": {"zzz": 1}}).encode(), 400,
     "unknown parameter 'zzz'"),
    (b"{" + b" " * 70_000 + b"}", 413, "too large"),
])
def test_bad_requests_get_a_clear_answer_and_the_server_goes_on(client, body, status,
                                                               fragment) -> None:
    r = client.post("/api/runs", content=body)
    assert r.status_code == status
    assert fragment in r.json()["error"]
    assert all("\n" not in line for line in r.json()["errors"])
    assert client.get("/api/status").status_code == 200


def test_unknown_runs_and_commands(client) -> None:
    for path in ("/api/runs/nope/inject", "/api/runs/nope/save", "/api/runs/nope/fork"):
        assert client.post(path, json={"action": "kind: election"}).status_code == 404
    with client.websocket_connect("/api/runs/nope/live") as ws:
        assert ws.receive_json()["type"] == "error"
    run_id = new_run(client)
    with client.websocket_connect(f"/api/runs/{run_id}/live") as ws:
        until(ws, "hello")
        ws.send_text("not json")
        assert ws.receive_json()["type"] == "error"
        ws.send_json({"cmd": "fly"})
        assert "unknown command" in ws.receive_json()["message"]
        ws.send_json({"cmd": "speed", "speed": 7})
        assert "speed must be one of" in ws.receive_json()["message"]
        ws.send_json({"cmd": "step"})
        assert until(ws, "tick")["events"]


def test_an_unexpected_error_is_an_answer_not_a_dead_server(client, monkeypatch) -> None:
    from sim.serve import live

    run_id = new_run(client)

    def broken(self):
        raise ValueError("boom")

    monkeypatch.setattr(live.LiveRun, "frame", broken)
    r = client.post(f"/api/runs/{run_id}/inject", json={"action": "kind: election"})
    assert r.status_code == 500 and "keeps running" in r.json()["error"]
    monkeypatch.undo()
    assert client.get("/api/status").json()["runs"] == 1


def test_step_inject_play_save_and_the_saved_run_replays_byte_for_byte(client, tmp_path):
    run_id = new_run(client)
    with client.websocket_connect(f"/api/runs/{run_id}/live") as ws:
        hello = until(ws, "hello")
        assert [e["kind"] for e in hello["events"]] == ["run_started"]
        for _ in range(5):
            ws.send_json({"cmd": "step"})
            tick = until(ws, "tick")
            assert tick["events"] and tick["frame"]["n"] == tick["events"][-1]["id"] + 1
        ws.send_json({"cmd": "decision"})
        decided = until(ws, "tick")
        assert decided["events"][-1]["actor"] is not None

        bad = client.post(f"/api/runs/{run_id}/inject",
                          json={"action": "kind: sanction\ntarget: nobody"})
        assert bad.status_code == 422
        assert bad.json()["errors"] == ["<intervention>:2:1: target: unknown actor 'nobody'"]
        wrong_kind = client.post(f"/api/runs/{run_id}/inject", json={"action": "kind: fly"})
        assert wrong_kind.json()["errors"][0].startswith("<intervention>:1:1: kind: unknown kind")

        good = client.post(f"/api/runs/{run_id}/inject",
                           json={"action": "kind: sanction\ntarget: badr"})
        assert good.status_code == 200, good.text
        events = good.json()["events"]
        assert events[0]["kind"] == "intervention" and events[0]["cause"] is None
        assert events[1]["kind"] == "sanctioned" and events[1]["cause"] == events[0]["id"]
        assert "badr" in good.json()["frame"]["sanctioned"]

        ws.send_json({"cmd": "speed", "speed": 0})
        until(ws, "state")
        ws.send_json({"cmd": "play"})
        end = until(ws, "end")
        assert end["frame"]["finished"]
        saved = client.post(f"/api/runs/{run_id}/save").json()["path"]

    run = load_run(Path(saved))
    assert any(e["kind"] == "intervention" for e in run.events)
    # the saved log is the replay of scenario + seed + interventions, byte for byte
    scenario = sim.load_scenario(SCENARIOS / "sadr_returns.yaml")
    again = replay(scenario, 1, None, interventions_in(
        [sim.events.Event.from_dict(e) for e in run.events]))
    assert again.jsonl() == (Path(saved) / "events.jsonl").read_text()
    # and `sim explain` reads it: the sanction's cause chain reaches the intervention
    from click.testing import CliRunner

    from sim.cli import _register, cli
    _register()
    sanction = next(e for e in run.events if e["kind"] == "sanctioned" and e["cause"] is not None
                    and run.by_id[e["cause"]]["kind"] == "intervention")
    out = CliRunner().invoke(cli, ["explain", saved, str(sanction["id"])])
    assert out.exit_code == 0, out.output
    assert "intervenes" in out.output


def test_injecting_while_playing_or_after_the_end_is_refused(client) -> None:
    run_id = new_run(client)
    with client.websocket_connect(f"/api/runs/{run_id}/live") as ws:
        until(ws, "hello")
        ws.send_json({"cmd": "speed", "speed": 0})
        until(ws, "state")
        ws.send_json({"cmd": "play"})
        until(ws, "end")
        r = client.post(f"/api/runs/{run_id}/inject", json={"action": "kind: election"})
        assert r.status_code == 422 and "the run has ended" in r.json()["errors"][0]


def test_fork_starts_from_the_same_moment(client) -> None:
    run_id = new_run(client)
    with client.websocket_connect(f"/api/runs/{run_id}/live") as ws:
        until(ws, "hello")
        events = []
        for _ in range(12):
            ws.send_json({"cmd": "step"})
            events += until(ws, "tick")["events"]
        client.post(f"/api/runs/{run_id}/inject",
                    json={"action": "kind: form_alliance\nactors: [sudani, aah]"})
        r = client.post(f"/api/runs/{run_id}/fork")
        assert r.status_code == 200, r.text
        fork_id = r.json()["id"]
        with client.websocket_connect(f"/api/runs/{fork_id}/live") as branch:
            hello = until(branch, "hello")
            assert hello["events"][1:len(events) + 1] == events
            assert hello["events"][-2]["kind"] == "intervention"
            assert hello["frame"]["n"] == len(hello["events"])


def test_a_closed_page_frees_its_run_and_the_limit_holds(client) -> None:
    ids = [new_run(client) for _ in range(4)]
    r = client.post("/api/runs", json={"scenario": "sadr_returns"})
    assert r.status_code == 503 and "busy" in r.json()["error"]
    with client.websocket_connect(f"/api/runs/{ids[0]}/live") as ws:
        until(ws, "hello")
        ws.send_json({"cmd": "step"})
        until(ws, "tick")
    assert client.get("/api/status").json()["runs"] == 3  # the closed page's run is gone
    assert client.post(f"/api/runs/{ids[0]}/save").status_code == 404
    new_run(client)  # room again


def test_several_runs_step_side_by_side(client) -> None:
    ids = [new_run(client, seed=s) for s in range(3)]
    sockets = [client.websocket_connect(f"/api/runs/{i}/live") for i in ids]
    try:
        entered = [s.__enter__() for s in sockets]
        for ws in entered:
            until(ws, "hello")
        for _ in range(3):
            for ws in entered:
                ws.send_json({"cmd": "step"})
            for ws in entered:
                assert until(ws, "tick")["events"]
    finally:
        for s in sockets:
            s.__exit__(None, None, None)
    assert client.get("/api/status").json()["runs"] == 0


def test_replications_fill_in_and_bad_counts_are_refused(client) -> None:
    with client.websocket_connect("/api/replicate") as ws:
        ws.send_json({"scenario": "sadr_returns", "seed": 5, "n": 3})
        outcomes = [ws.receive_json() for _ in range(3)]
        assert [o["seed"] for o in outcomes] == [5, 6, 7]
        assert ws.receive_json()["type"] == "done"
        direct = sim.run(sim.load_scenario(SCENARIOS / "sadr_returns.yaml"), seed=6)
        assert outcomes[1]["prime_minister"] == direct.summary["prime_minister"]
    with client.websocket_connect("/api/replicate") as ws:
        ws.send_json({"scenario": "sadr_returns", "n": 10**6})
        assert "n: a whole number" in ws.receive_json()["message"]


def test_teaching_panels_known_answers(client) -> None:
    r = client.post("/api/teach/allocate", json={
        "votes": {"A": 100000, "B": 80000, "C": 30000, "D": 20000}, "seats": 8,
        "methods": ["dhondt", "sainte-lague", "sainte-lague:1.7"]})
    results = {x["method"]: x for x in r.json()["results"]}
    assert results["dhondt"]["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0}
    assert results["sainte-lague"]["seats"]["D"] == 1
    assert results["sainte-lague 1.7"]["seats"]["D"] == 0
    assert results["dhondt"]["table"]["C"][0] == [30000.0, 6]
    p = client.post("/api/teach/power", json={"weights": {"A": 2, "B": 1, "C": 1},
                                              "quotas": [3]}).json()["results"][0]
    assert p["parties"][0]["shapley_shubik"] == pytest.approx(2 / 3)
    for bad in ({"weights": {"A": 1e9}}, {"weights": {"A": 10**8, "B": 10**8},
                                          "quotas": [10**8]}, {"weights": []}):
        assert client.post("/api/teach/power", json=bad).status_code == 400
    assert client.post("/api/teach/allocate", json={"votes": {"A": 1}, "seats": 10**6}
                       ).status_code == 400


def test_the_session_code_is_needed_on_every_request(tmp_path) -> None:
    app = create_app(SCENARIOS, tmp_path, code="K7QX2M")
    with TestClient(app) as c:
        assert c.get("/").status_code == 401
        assert "session code" in c.get("/api/status").json()["error"]
        assert c.get("/static/app.js").status_code == 401
        assert c.get("/?code=WRONG1").status_code == 401
        first = c.get("/?code=K7QX2M")
        assert first.status_code == 200 and "sim_session=K7QX2M" in first.headers["set-cookie"]
        assert c.get("/api/status").status_code == 200  # the cookie now carries it
        c.cookies.clear()
        assert c.get("/api/status", headers={"X-Session-Code": "K7QX2M"}).status_code == 200
        c.cookies.clear()
        with pytest.raises(WebSocketDisconnect):
            with c.websocket_connect("/api/replicate") as ws:
                ws.receive_json()


def test_a_student_plays_sadr_and_the_choice_is_in_the_log(client) -> None:
    run_id = new_run(client)
    r = client.post(f"/api/runs/{run_id}/students", json={"actors": ["sadrists"],
                                                           "seconds": 600})
    assert r.status_code == 200, r.text
    code = r.json()["code"]
    assert client.post(f"/api/runs/{run_id}/fork").status_code == 409
    with client.websocket_connect(f"/api/runs/{run_id}/live") as teacher, \
            client.websocket_connect(f"/api/join/{code}") as student:
        until(teacher, "hello")
        welcome = until(student, "welcome")
        assert welcome["actors"] == [{"id": "sadrists", "name": "Sadrist movement",
                                      "taken": False}]
        student.send_json({"cmd": "claim", "actor": "sadrists", "name": "Ali"})
        assert until(student, "assigned")["actor"] == "sadrists"
        teacher.send_json({"cmd": "speed", "speed": 0})
        teacher.send_json({"cmd": "play"})
        decide = until(student, "decide")
        assert decide["knows"]["name"] == "Sadrist movement" and decide["options"]
        waiting = until(teacher, "waiting")
        assert (waiting["actor"], waiting["student"]) == ("sadrists", "Ali")
        student.send_json({"cmd": "choose", "option": 99})
        assert student.receive_json()["type"] == "error"
        student.send_json({"cmd": "choose", "option": 0})
        until(student, "chosen")
        label = decide["options"][0]["label"]
        while True:
            tick = until(teacher, "tick")
            decided = [e for e in tick["events"] if e["kind"] == "decision"]
            if decided:
                break
        assert decided[0]["actor"] == "sadrists"
        assert "played by Ali" in decided[0]["text"]
        assert decided[0]["details"]["by"] == "Ali"
        caused = [e for e in tick["events"] if e["cause"] == decided[0]["id"]]
        assert caused or "alliance" in label.lower()


def test_no_answer_in_time_lets_the_policy_decide(client) -> None:
    run_id = new_run(client)
    code = client.post(f"/api/runs/{run_id}/students",
                       json={"actors": ["sadrists"], "seconds": 0}).json()["code"]
    with client.websocket_connect(f"/api/runs/{run_id}/live") as teacher:
        until(teacher, "hello")
        teacher.send_json({"cmd": "speed", "speed": 0})
        teacher.send_json({"cmd": "play"})
        end_events = []
        while True:
            m = teacher.receive_json()
            if m["type"] == "tick":
                end_events += m["events"]
            if m["type"] == "end":
                break
    decisions = [e for e in end_events if e["kind"] == "decision"]
    assert decisions and all(e["details"]["action"] is None for e in decisions)
    assert all("no answer in time" in e["text"] for e in decisions)
    with client.websocket_connect(f"/api/join/{code}") as late:
        assert late.receive_json()["type"] == "error"  # the run was freed with its page


def test_students_must_be_assigned_before_the_run_starts(client) -> None:
    run_id = new_run(client)
    assert client.post(f"/api/runs/{run_id}/students", json={"actors": "sadrists"}
                       ).status_code == 400
    assert client.post(f"/api/runs/{run_id}/students", json={"actors": ["nobody"]}
                       ).status_code == 409
    with client.websocket_connect("/api/join/NOCODE") as ws:
        assert ws.receive_json()["type"] == "error"


def test_governorate_votes_for_the_panel_do_not_change_the_run(client) -> None:
    """Looking at the expected votes draws nothing from the run's random streams."""
    looked, plain = new_run(client, seed=4), new_run(client, seed=4)
    logs = []
    for run_id, look in ((looked, True), (plain, False)):
        with client.websocket_connect(f"/api/runs/{run_id}/live") as ws:
            until(ws, "hello")
            if look:
                data = client.get(f"/api/runs/{run_id}/governorates").json()["governorates"]
                assert data["Baghdad"]["seats"] > 0 and sum(data["Baghdad"]["votes"].values())
            ws.send_json({"cmd": "speed", "speed": 0})
            ws.send_json({"cmd": "play"})
            events = []
            while (m := ws.receive_json())["type"] != "end":
                events += m.get("events", [])
            logs.append(events)
    assert logs[0] == logs[1]


def test_replication_streams_are_bounded(client) -> None:
    from sim.serve.app import MAX_REPLICATING

    server = client.app.state.server
    server.replicating = MAX_REPLICATING  # as if that many were running now
    with client.websocket_connect("/api/replicate") as ws:
        assert "busy" in ws.receive_json()["message"]
    server.replicating = 0
    with client.websocket_connect("/api/replicate") as ws:
        ws.send_json({"scenario": "sadr_returns", "n": 1})
        assert ws.receive_json()["type"] == "outcome"
    assert server.replicating == 0


def test_a_class_of_thirty_pressing_run_all_get_their_runs(tmp_path) -> None:
    """Thirty runs at once share two worker threads: every page gets its frames, and the
    server still answers a status request in between (nothing holds the event loop)."""
    app = create_app(SCENARIOS, tmp_path, max_runs=32, workers=2)
    with TestClient(app) as c:
        ids = [new_run(c, seed=s) for s in range(30)]
        sockets = [c.websocket_connect(f"/api/runs/{i}/live") for i in ids]
        try:
            pages = [s.__enter__() for s in sockets]
            for ws in pages:
                until(ws, "hello")
                ws.send_json({"cmd": "step"})
            assert c.get("/api/status").json()["runs"] == 30
            for ws in pages:
                assert until(ws, "tick")["events"]
        finally:
            for s in sockets:
                s.__exit__(None, None, None)
        assert c.get("/api/status").json()["runs"] == 0
