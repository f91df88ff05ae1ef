"""The classroom web app: Starlette routes over `LiveRun`s, one WebSocket per watched run.

Why Starlette on uvicorn: a small, well-kept ASGI toolkit with WebSockets, static files and a
test client built in, and no front-end framework to ship; the page is plain JavaScript served
from the package, so nothing is fetched from the network (see README, "Classroom").

Robustness, since a class of thirty shares one laptop:
- every handler turns a bad request into a 4xx JSON answer (one-line errors as the CLI prints
  them); an unexpected exception becomes a 500 answer, never a dead server;
- simulation work runs in worker threads through one `CapacityLimiter` (`workers` at a time),
  in slices of at most `SLICE_SECONDS`, so thirty runs queue fairly and the event loop stays
  free; at most `max_runs` runs are live at once (then a clear 503);
- a run belongs to the WebSocket watching it: when that browser goes away, the run is freed;
  a run created but never watched is freed after `IDLE_SECONDS`;
- with `code` set, every request must carry the session code (query `code`, header
  `X-Session-Code` or the cookie the page gets), compared in constant time.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from sim.errors import InputError
from sim.mechanics.elections import AllocationError
from sim.serve.live import LiveRun, replay
from sim.teaching.allocation import Method, explain
from sim.teaching.power import TooLarge
from sim.teaching.power import explain as explain_power

STATIC = Path(__file__).resolve().parent / "static"
SLICE_SECONDS = 0.05
IDLE_SECONDS = 300.0
MAX_BODY = 64_000
MAX_REPLICATIONS = 200
MAX_REPLICATING = 4
SPEEDS = (1, 2, 5, 10, 25, 100, 0)  # events per second; 0 = as fast as it computes
COOKIE = "sim_session"


class BadRequest(Exception):
    """A request the client got wrong: answered with `status` and one-line messages."""

    def __init__(self, message: str | list[str], status: int = 400):
        self.lines = [message] if isinstance(message, str) else list(message)
        self.status = status
        super().__init__("; ".join(self.lines))


@dataclass
class Slot:
    """A live run and how it is being played."""

    id: str
    live: LiveRun
    playing: bool = False
    speed: int = 10
    watched: bool = False
    created: float = field(default_factory=time.monotonic)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    pending: list[str] = field(default_factory=list)  # step commands not yet done
    students: dict[str, WebSocket] = field(default_factory=dict)  # actor -> student's socket
    seconds: float = 30.0  # a student's countdown
    countdown: asyncio.Task | None = None
    asked: Any = None  # the pending decision already shown to its student


class Server:
    """State shared by the routes: scenarios, live runs, limits."""

    def __init__(self, scenarios: Path, out: Path, code: str | None, max_runs: int = 32,
                 workers: int = 2):
        self.scenarios = scenarios
        self.out = out
        self.code = code
        self.max_runs = max_runs
        self.limiter = anyio.CapacityLimiter(workers)
        self.runs: dict[str, Slot] = {}
        self.saved: list[str] = []
        self.classes: dict[str, str] = {}  # join code -> run id
        self.replicating = 0  # replication streams open now (bounded by MAX_REPLICATING)

    # --- scenarios --------------------------------------------------------------------------
    def scenario_files(self) -> dict[str, Path]:
        try:
            files = sorted(self.scenarios.glob("*.yaml"))
        except OSError:
            return {}
        return {p.stem: p for p in files if p.is_file()}

    def load(self, name: Any) -> Any:
        from sim.scenario import load_scenario

        files = self.scenario_files()
        if not isinstance(name, str) or name not in files:
            raise BadRequest(f"unknown scenario {str(name)[:60]!r}; known: "
                             + ", ".join(files), 404)
        try:
            return load_scenario(files[name])
        except InputError as exc:
            raise BadRequest([str(p) for p in exc.problems]) from None

    # --- runs -------------------------------------------------------------------------------
    def slot(self, run_id: str) -> Slot:
        slot = self.runs.get(run_id)
        if slot is None:
            raise BadRequest(f"no live run {run_id[:40]!r} (it ended, or its page was closed)",
                             404)
        return slot

    def add(self, live: LiveRun) -> Slot:
        self.reap()
        if len(self.runs) >= self.max_runs:
            raise BadRequest(f"the server is busy: {len(self.runs)} runs are live (limit "
                             f"{self.max_runs}); close a tab or try again soon", 503)
        slot = Slot(secrets.token_hex(8), live)
        self.runs[slot.id] = slot
        return slot

    def drop(self, run_id: str) -> None:
        slot = self.runs.pop(run_id, None)
        if slot is not None and slot.countdown is not None:
            slot.countdown.cancel()
        for code in [c for c, r in self.classes.items() if r == run_id]:
            del self.classes[code]

    def reap(self) -> None:
        """Free runs created but never watched for `IDLE_SECONDS` (a tab that never opened)."""
        now = time.monotonic()
        for run_id, slot in list(self.runs.items()):
            if not slot.watched and now - slot.created > IDLE_SECONDS:
                self.drop(run_id)

    async def work(self, slot: Slot, fn: Any, *args: Any) -> Any:
        """Run `fn(*args)` on the run in a worker thread, under the run's lock and the limiter."""
        def locked() -> Any:
            with slot.live.lock:
                return fn(*args)
        return await anyio.to_thread.run_sync(locked, limiter=self.limiter)


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise BadRequest(f"request too large ({len(raw)} bytes; limit {MAX_BODY})", 413)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("the request body is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object")
    return data


def _seed(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise BadRequest(f"seed: must be a whole number from 0 to 2**63-1, got {value!r:.40}")
    return value


def _parameters(value: Any) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise BadRequest("parameters: must be an object of name: number")
    out: dict[str, float] = {}
    for k, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise BadRequest(f"parameters.{k[:40]}: not a number: {v!r:.40}")
        out[k] = float(v)
    return out


def _errors(exc: InputError) -> list[str]:
    return [str(p) for p in exc.problems]


# --- routes ------------------------------------------------------------------------------------

async def index(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})


async def list_scenarios(request: Request) -> Response:
    server: Server = request.app.state.server
    out = []
    for name in server.scenario_files():
        try:
            sc = await anyio.to_thread.run_sync(server.load, name, limiter=server.limiter)
        except BadRequest as exc:
            out.append({"name": name, "error": exc.lines[0]})
            continue
        params = []
        for pname, p in sc.parameters.items():
            lo, hi = p.bounds()
            params.append({"name": pname, "default": p.default, "min": lo, "max": hi,
                           "integer": bool(p.integer), "description": p.description or ""})
        out.append({"name": name, "description": sc.description or "", "parameters": params,
                    "horizon": sc.horizon_days})
    return _json({"scenarios": out})


async def create_run(request: Request) -> Response:
    server: Server = request.app.state.server
    body = await _body(request)
    seed = _seed(body.get("seed"))
    params = _parameters(body.get("parameters"))
    scenario = await anyio.to_thread.run_sync(server.load, body.get("scenario"),
                                              limiter=server.limiter)
    try:
        live = await anyio.to_thread.run_sync(LiveRun, scenario, seed, params,
                                              limiter=server.limiter)
    except InputError as exc:
        raise BadRequest(_errors(exc)) from None
    slot = server.add(live)
    return _json({"id": slot.id, "meta": live.meta()})


async def inject(request: Request) -> Response:
    server: Server = request.app.state.server
    slot = server.slot(request.path_params["run_id"])
    body = await _body(request)
    text = body.get("action")
    if not isinstance(text, str):
        raise BadRequest("action: the action's YAML text is required")
    if slot.playing:
        raise BadRequest("pause the run first: actions are injected while paused", 409)
    try:
        events = await server.work(slot, slot.live.inject, text)
    except InputError as exc:
        return _json({"errors": _errors(exc)}, 422)
    return _json({"events": slot.live.event_dicts(events), "frame": slot.live.frame()})


async def save(request: Request) -> Response:
    from sim.api import write_run

    server: Server = request.app.state.server
    slot = server.slot(request.path_params["run_id"])
    live = slot.live
    folder = server.out / f"{live.scenario.name}-seed{live.seed}-{slot.id}-{len(live.events)}"

    def write() -> None:
        write_run(live.to_run(), folder)

    try:
        await server.work(slot, write)
    except InputError as exc:
        raise BadRequest(_errors(exc), 500) from None
    server.saved = [*server.saved[-99:], str(folder)]  # bounded: the last hundred
    return _json({"path": str(folder), "events": len(live.events)})


async def fork(request: Request) -> Response:
    server: Server = request.app.state.server
    slot = server.slot(request.path_params["run_id"])
    if slot.playing:
        raise BadRequest("pause the run first: a fork starts from the current moment", 409)
    live = slot.live
    if live.classroom is not None:
        raise BadRequest("a run played by students cannot be forked (their future answers "
                         "are not known): fork a run without students", 409)

    def branch() -> LiveRun:
        return replay(live.scenario, live.seed, dict(live.model.params), live.interventions(),
                      upto=len(live.events))

    copy = await server.work(slot, branch)
    new = server.add(copy)
    return _json({"id": new.id, "meta": copy.meta(), "from": slot.id})


async def students(request: Request) -> Response:
    """Hand actors to students (before the run starts): returns the code students join with."""
    server: Server = request.app.state.server
    slot = server.slot(request.path_params["run_id"])
    body = await _body(request)
    actors = body.get("actors")
    seconds = body.get("seconds", 30)
    if not isinstance(actors, list) or not 1 <= len(actors) <= 40 or not all(
            isinstance(a, str) for a in actors):
        raise BadRequest("actors: a list of one to forty actor ids")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
            or not 0 <= seconds <= 600:
        raise BadRequest("seconds: the countdown, from 0 to 600")
    try:
        await server.work(slot, slot.live.enable_students, {a: "a student" for a in actors})
    except InputError as exc:
        raise BadRequest(_errors(exc), 409) from None
    slot.seconds = float(seconds)
    code = new_code()
    server.classes[code] = slot.id
    return _json({"code": code, "actors": actors, "seconds": slot.seconds})


async def governorates(request: Request) -> Response:
    """Expected votes per governorate now, for the seat-allocation panel."""
    server: Server = request.app.state.server
    slot = server.slot(request.path_params["run_id"])
    data = await server.work(slot, slot.live.governorate_votes)
    names = {a: slot.live.model.name(a) for a in slot.live.model.world.actors}
    return _json({"governorates": data, "names": names})


async def delete_run(request: Request) -> Response:
    server: Server = request.app.state.server
    server.drop(request.path_params["run_id"])
    return _json({"ok": True})


async def status(request: Request) -> Response:
    server: Server = request.app.state.server
    server.reap()
    return _json({"runs": len(server.runs), "max_runs": server.max_runs,
                  "code_required": server.code is not None})


async def teach_allocate(request: Request) -> Response:
    """The allocation panel: several methods and their quotient tables for given votes."""
    body = await _body(request)
    votes = body.get("votes")
    seats = body.get("seats")
    methods = body.get("methods") or ["dhondt", "sainte-lague", "sainte-lague:1.7", "hare"]
    if not isinstance(votes, dict) or not votes or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 10**15
            for v in votes.values()):
        raise BadRequest("votes: an object of party: whole number of votes")
    if isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= 500:
        raise BadRequest("seats: a whole number from 1 to 500")
    if not isinstance(methods, list) or len(methods) > 8:
        raise BadRequest("methods: a list of at most 8 method names")
    out = []
    for text in methods:
        name, _, first = str(text).partition(":")
        try:
            divisor = Fraction(first) if first and len(first) <= 8 else None
            if first and (divisor is None or not 0 < divisor <= 100):
                raise BadRequest(f"methods: bad first divisor in {str(text)[:20]!r}")
            if name not in ("dhondt", "sainte-lague", "hare"):
                raise BadRequest(f"methods: unknown list method {name[:20]!r}")
            e = explain(Method(name, divisor), {str(k): v for k, v in votes.items()}, seats)
        except (AllocationError, ValueError, ZeroDivisionError) as exc:
            raise BadRequest(f"{name[:20]}: {exc}") from None
        won = e.won_by()
        out.append({
            "method": e.method.label, "seats": e.seats, "notes": e.notes(),
            "divisors": [float(d) for d in e.divisors],
            "table": {p: [[float(q), won.get((p, k))] for k, q in enumerate(qs)]
                      for p, qs in e.quotients.items()} if e.divisors else {},
            "quota": float(e.quota) if e.quota is not None else None,
        })
    return _json({"results": out})


async def teach_power(request: Request) -> Response:
    """The power panel: both indices and the coalitions that explain them, at given quotas."""
    body = await _body(request)
    weights = body.get("weights")
    quotas = body.get("quotas") or [165, 220]
    if not isinstance(weights, dict) or not weights or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 10**9
            for v in weights.values()):
        raise BadRequest("weights: an object of party: whole number of seats")
    total = sum(weights.values())
    if not isinstance(quotas, list) or not 1 <= len(quotas) <= 4 or not all(
            isinstance(q, int) and not isinstance(q, bool) and 1 <= q <= total for q in quotas):
        raise BadRequest(f"quotas: one to four whole numbers from 1 to {total}")
    out = []
    for q in quotas:
        try:
            stories = explain_power({str(k): v for k, v in weights.items()}, q)
        except TooLarge as exc:
            raise BadRequest(str(exc)) from None
        out.append({"quota": q, "parties": [
            {"name": s.name, "weight": s.weight, "shapley_shubik": s.shapley_shubik,
             "banzhaf": s.banzhaf, "sentence": s.sentence(q)} for s in stories]})
    return _json({"results": out})


# --- the live channel ---------------------------------------------------------------------------

async def live_socket(websocket: WebSocket) -> None:
    """Stream one run to its page and take its commands; the run is freed when it closes."""
    server: Server = websocket.app.state.server
    await websocket.accept()
    run_id = websocket.path_params["run_id"]
    slot = server.runs.get(run_id)
    if slot is None or slot.watched:
        await websocket.send_json({"type": "error", "message":
                                   "no such live run, or it is already open in another tab"})
        await websocket.close(code=4404)
        return
    slot.watched = True
    live = slot.live
    await websocket.send_json({"type": "hello", "id": run_id, "meta": live.meta(),
                               "events": live.event_dicts(live.events), "frame": live.frame(),
                               "speeds": list(SPEEDS)})
    reader = asyncio.create_task(_read_commands(websocket, slot))
    try:
        await _play(websocket, server, slot, reader)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        reader.cancel()
        server.drop(run_id)


async def _read_commands(websocket: WebSocket, slot: Slot) -> None:
    while True:
        try:
            message = await websocket.receive_json()
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError):
            await websocket.send_json({"type": "error", "message": "commands are JSON objects"})
            continue
        cmd = message.get("cmd") if isinstance(message, dict) else None
        if cmd == "play":
            slot.playing = True
        elif cmd == "pause":
            slot.playing = False
        elif cmd in ("step", "decision"):
            slot.playing = False
            if len(slot.pending) < 100:
                slot.pending.append(cmd)
        elif cmd == "speed":
            speed = message.get("speed")
            if speed in SPEEDS:
                slot.speed = speed
            else:
                await websocket.send_json({"type": "error", "message":
                                           f"speed must be one of {list(SPEEDS)}"})
        else:
            await websocket.send_json({"type": "error", "message":
                                       f"unknown command {str(cmd)[:30]!r}"})
            continue
        await websocket.send_json({"type": "state", "playing": slot.playing,
                                   "speed": slot.speed})
        slot.wake.set()


def _is_decision(event: Any) -> bool:
    """A decision: something an actor did (as opposed to an institution or the clock)."""
    return event.actor is not None and event.kind != "intervention"


async def _play(websocket: WebSocket, server: Server, slot: Slot, reader: asyncio.Task) -> None:
    live = slot.live
    while not reader.done():
        if live.finished:
            slot.playing = False
            slot.pending.clear()
        if live.pending is not None:
            await _ask(websocket, server, slot)
            slot.wake.clear()
            waiter = asyncio.create_task(slot.wake.wait())
            await asyncio.wait({waiter, reader}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            continue
        if slot.pending:
            cmd = slot.pending.pop(0)
            if cmd == "step":
                events = await server.work(slot, live.step, 1)
            else:
                events = await server.work(slot, live.step, 1, _is_decision)
            await _send_tick(websocket, live, events)
            continue
        if slot.playing:
            if slot.speed == 0:
                events = await server.work(slot, live.step_for, SLICE_SECONDS, time.monotonic)
                await _send_tick(websocket, live, events)
                await asyncio.sleep(0)
            else:
                events = await server.work(slot, live.step, 1)
                await _send_tick(websocket, live, events)
                await asyncio.sleep(1 / slot.speed)
            continue
        slot.wake.clear()
        waiter = asyncio.create_task(slot.wake.wait())
        await asyncio.wait({waiter, reader}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
    if reader.done() and not reader.cancelled() and reader.exception() is not None:
        raise WebSocketDisconnect()


async def _send_tick(websocket: WebSocket, live: LiveRun, events: list) -> None:
    await websocket.send_json({"type": "tick", "events": live.event_dicts(events),
                               "frame": live.frame()})
    if live.finished:
        await websocket.send_json({"type": "end", "frame": live.frame()})
    slot = next((s for s in websocket.app.state.server.runs.values() if s.live is live), None)
    if slot is not None and slot.students:
        from sim.serve.students import knows

        for actor, student in list(slot.students.items()):
            try:
                await student.send_json({"type": "end" if live.finished else "view",
                                         "knows": knows(live.model, actor)})
            except (WebSocketDisconnect, RuntimeError):
                slot.students.pop(actor, None)


async def _ask(websocket: WebSocket, server: Server, slot: Slot) -> None:
    """Show a pending decision to its student (once) and start its countdown."""
    pending = slot.live.pending
    if pending is None or slot.asked is pending:
        return
    slot.asked = pending
    message = {"type": "decide", "actor": pending.actor, "options": pending.options,
               "knows": pending.knows, "seconds": slot.seconds}
    await websocket.send_json({"type": "waiting", "actor": pending.actor,
                               "student": pending.student, "seconds": slot.seconds})
    student = slot.students.get(pending.actor)
    if student is not None:
        try:
            await student.send_json(message)
        except (WebSocketDisconnect, RuntimeError):
            slot.students.pop(pending.actor, None)
    slot.countdown = asyncio.create_task(_time_out(server, slot, pending))


async def _time_out(server: Server, slot: Slot, pending: Any) -> None:
    await asyncio.sleep(slot.seconds)
    await _answer(server, slot, pending, None)


async def _answer(server: Server, slot: Slot, pending: Any, text: str | None) -> bool:
    """Answer `pending` if it is still the decision waited for; wake the play loop."""
    live = slot.live

    def give() -> bool:
        if live.pending is not pending:
            return False
        live.classroom.answer(live.model, text)
        return True

    given = await server.work(slot, give)
    if given:
        if slot.countdown is not None and text is not None:
            slot.countdown.cancel()
        slot.wake.set()
    return given


async def student_socket(websocket: WebSocket) -> None:
    """A student's page: claim an actor, then answer its decisions before the countdown ends."""
    server: Server = websocket.app.state.server
    await websocket.accept()
    run_id = server.classes.get(websocket.path_params["code"])
    slot = server.runs.get(run_id) if run_id else None
    if slot is None or slot.live.classroom is None:
        await websocket.send_json({"type": "error", "message": "no class with this code"})
        await websocket.close(code=4404)
        return
    classroom = slot.live.classroom
    mine: str | None = None
    try:
        names = {a: slot.live.model.name(a) for a in classroom.players}
        await websocket.send_json({"type": "welcome", "actors": [
            {"id": a, "name": names[a], "taken": a in slot.students} for a in names]})
        while True:
            message = await websocket.receive_json()
            if not isinstance(message, dict):
                continue
            if message.get("cmd") == "claim" and mine is None:
                actor, name = message.get("actor"), str(message.get("name") or "a student")
                if actor not in classroom.players or actor in slot.students:
                    await websocket.send_json({"type": "error", "message":
                                               "that actor is not free"})
                    continue
                mine = actor
                classroom.players[actor] = " ".join(name.split())[:40] or "a student"
                slot.students[actor] = websocket
                await websocket.send_json({"type": "assigned", "actor": actor,
                                           "name": names[actor]})
                pending = slot.live.pending
                if pending is not None and pending.actor == actor and slot.asked is pending:
                    await websocket.send_json({"type": "decide", "actor": actor,
                                               "options": pending.options,
                                               "knows": pending.knows,
                                               "seconds": slot.seconds})
            elif message.get("cmd") == "choose" and mine is not None:
                pending = slot.live.pending
                option = message.get("option")
                if pending is None or pending.actor != mine or not isinstance(option, int) \
                        or not 0 <= option < len(pending.options):
                    await websocket.send_json({"type": "error", "message":
                                               "no such option now (too late?)"})
                    continue
                ok = await _answer(server, slot, pending, pending.options[option]["action"])
                await websocket.send_json({"type": "chosen" if ok else "error",
                                           "message": "" if ok else "too late"})
            else:
                await websocket.send_json({"type": "error", "message": "unknown command"})
    except (WebSocketDisconnect, RuntimeError, json.JSONDecodeError):
        pass
    finally:
        if mine is not None and slot.students.get(mine) is websocket:
            del slot.students[mine]


async def replicate_socket(websocket: WebSocket) -> None:
    """N replications of the given settings, each outcome sent as it is known."""
    from sim.api import run as run_once

    server: Server = websocket.app.state.server
    await websocket.accept()
    if server.replicating >= MAX_REPLICATING:
        await websocket.send_json({"type": "error", "message": f"the server is busy: "
                                   f"{server.replicating} replication runs are going; try "
                                   "again soon"})
        await websocket.close(code=4503)
        return
    server.replicating += 1
    try:
        request = await websocket.receive_json()
        if not isinstance(request, dict):
            raise BadRequest("send a JSON object: scenario, seed, parameters, n")
        n = request.get("n")
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_REPLICATIONS:
            raise BadRequest(f"n: a whole number from 1 to {MAX_REPLICATIONS}")
        seed = _seed(request.get("seed"))
        params = _parameters(request.get("parameters"))
        scenario = await anyio.to_thread.run_sync(server.load, request.get("scenario"),
                                                  limiter=server.limiter)
        for i in range(n):
            r = await anyio.to_thread.run_sync(run_once, scenario, seed + i, None, params,
                                               limiter=server.limiter)
            s = r.summary
            await websocket.send_json({"type": "outcome", "i": i, "seed": seed + i,
                                       "prime_minister": s.get("prime_minister"),
                                       "government_formed": s.get("government_formed"),
                                       "days_to_government": s.get("days_to_government"),
                                       "seats": s.get("seats")})
        await websocket.send_json({"type": "done", "n": n})
        await websocket.close()
    except BadRequest as exc:
        await websocket.send_json({"type": "error", "message": "; ".join(exc.lines)})
        await websocket.close(code=4400)
    except InputError as exc:
        await websocket.send_json({"type": "error", "message": "; ".join(_errors(exc))})
        await websocket.close(code=4400)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        server.replicating -= 1


# --- the session code ---------------------------------------------------------------------------

class SessionCode:
    """ASGI middleware: with a code set, every HTTP request and WebSocket must present it."""

    def __init__(self, app: ASGIApp, code: str | None):
        self.app = app
        self.code = code

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.code is None or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = _presented(scope)
        if given is not None and hmac.compare_digest(given.encode(), self.code.encode()):
            if scope["type"] == "http" and _cookie(scope) != self.code:
                async def with_cookie(message: Any) -> None:
                    if message["type"] == "http.response.start":
                        headers = list(message.get("headers", []))
                        headers.append((b"set-cookie", f"{COOKIE}={self.code}; Path=/; "
                                        "HttpOnly; SameSite=Strict".encode()))
                        message = {**message, "headers": headers}
                    await send(message)
                await self.app(scope, receive, with_cookie)
                return
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await receive()  # the handshake's websocket.connect, then refuse it
            await send({"type": "websocket.close", "code": 4401})
            return
        body = json.dumps({"error": "this classroom server needs the session code: open the "
                           "address the teacher shows (it ends in ?code=...)"}).encode()
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _cookie(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                name, _, v = part.strip().partition("=")
                if name == COOKIE:
                    return v
    return None


def _presented(scope: Scope) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("code"):
        return query["code"][0]
    for key, value in scope.get("headers", []):
        if key == b"x-session-code":
            return value.decode("latin-1")
    return _cookie(scope)


# --- errors and the app -------------------------------------------------------------------------

async def _bad_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadRequest)
    return _json({"error": exc.lines[0], "errors": exc.lines}, exc.status)


async def _unexpected(request: Request, exc: Exception) -> Response:
    message = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return _json({"error": f"internal error (the server keeps running): {message}"}, 500)


async def _http_error(request: Request, exc: Exception) -> Response:
    code = getattr(exc, "status_code", 400)
    return _json({"error": str(getattr(exc, "detail", "bad request"))}, code)


def create_app(scenarios: Path, out: Path, code: str | None = None, max_runs: int = 32,
               workers: int = 2) -> Starlette:
    """The app; `code` set means every request must carry it (a server open to a network)."""
    from starlette.exceptions import HTTPException

    routes = [
        Route("/", index),
        Route("/api/status", status),
        Route("/api/scenarios", list_scenarios),
        Route("/api/runs", create_run, methods=["POST"]),
        Route("/api/runs/{run_id}", delete_run, methods=["DELETE"]),
        Route("/api/runs/{run_id}/inject", inject, methods=["POST"]),
        Route("/api/runs/{run_id}/save", save, methods=["POST"]),
        Route("/api/runs/{run_id}/fork", fork, methods=["POST"]),
        Route("/api/runs/{run_id}/students", students, methods=["POST"]),
        Route("/api/runs/{run_id}/governorates", governorates),
        Route("/api/teach/allocate", teach_allocate, methods=["POST"]),
        Route("/api/teach/power", teach_power, methods=["POST"]),
        WebSocketRoute("/api/runs/{run_id}/live", live_socket),
        WebSocketRoute("/api/replicate", replicate_socket),
        WebSocketRoute("/api/join/{code}", student_socket),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SessionCode, code=code)],
        exception_handlers={BadRequest: _bad_request, HTTPException: _http_error,
                            Exception: _unexpected},
    )
    app.state.server = Server(scenarios, out, code, max_runs, workers)
    return app


def new_code() -> str:
    """A session code easy to read aloud: 6 characters without 0/O or 1/I/L."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))
