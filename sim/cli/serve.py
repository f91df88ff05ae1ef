"""`sim serve`: the classroom web app on this machine (prints its address, opens nothing)."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import click

from sim.cli import cli
from sim.errors import InputError

_LOOPBACK = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in _LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_port(text: str) -> int:
    t = text.strip()
    if not t.isdigit() or len(t) > 5 or not 0 <= int(t) <= 65535:
        raise InputError.cli("--port", f"a port number from 0 to 65535, got {text[:20]!r}")
    return int(t)


def default_scenarios() -> Path:
    here = Path("scenarios")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "scenarios"


@cli.command("serve")
@click.option("--port", "port_text", default="8000", metavar="PORT",
              help="Port to listen on (default 8000; 0 picks a free one).")
@click.option("--host", default="127.0.0.1", metavar="HOST",
              help="Address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 opens it "
              "to the classroom network and then every request needs the session code).")
@click.option("--scenarios", "scenarios_dir", default=None, metavar="DIR",
              help="Folder of scenarios to offer (default ./scenarios).")
@click.option("--out", "out_dir", default="sim-sessions", metavar="DIR",
              help="Where saved runs are written (default ./sim-sessions).")
@click.option("--max-runs", "max_runs", default=32, type=click.IntRange(1, 256),
              help="Runs live at once (default 32).")
def serve_command(port_text: str, host: str, scenarios_dir: str | None, out_dir: str,
                  max_runs: int) -> None:
    """Play scenarios live in a browser: pause, intervene, fork, save; hand actors to students."""
    import uvicorn

    from sim.serve.app import create_app, new_code

    port = parse_port(port_text)
    scenarios = Path(scenarios_dir) if scenarios_dir else default_scenarios()
    if not scenarios.is_dir():
        raise InputError.cli("--scenarios", f"{scenarios} is not a folder of scenarios")
    if not out_dir.strip():
        raise InputError.cli("--out", "an empty path: give a folder for saved runs")
    open_to_network = not is_loopback(host)
    code = new_code() if open_to_network else None
    try:
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)  # connections queue from now on, before the URL is printed
    except (OSError, OverflowError) as exc:
        raise InputError.cli("--host" if port else "--port",
                             f"cannot listen on {host}:{port}: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None
    port = sock.getsockname()[1]
    app = create_app(scenarios, Path(out_dir), code, max_runs=max_runs,
                     workers=max(1, min(4, os.cpu_count() or 1)))
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/" + (f"?code={code}" if code else "")
    click.echo(f"sim serve: {url}", err=False)
    if code:
        click.echo(f"Open to the network on {host}: every request needs the session code "
                   f"{code} (students open http://<this machine's address>:{port}/?code={code})")
    else:
        click.echo("Only this machine can connect (use --host 0.0.0.0 for a classroom).")
    click.echo("Press Ctrl+C to stop.")
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            ws_max_size=1 << 16)
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
