"""The `sim` command line: a thin layer over the Python API.

Each group of commands lives in its own module and registers itself on `cli` when imported.
`cli` is a lazy group: a command's module is imported only when that command runs (or its own
`--help` is asked for), so `sim --help` and `sim allocate` start without the engine, pydantic,
numpy or pandas.  `main` runs the group with one rule for every user mistake: a single located
line on stderr and exit code 2 (click's own usage errors are folded into the same one-line form).
Heavy libraries are imported inside commands.
"""

from __future__ import annotations

import importlib
import sys

import click

from sim.errors import InputError

# Every command: the module that defines it, and its one-line help as its docstring gives it
# (click's short help, untruncated).  The line is repeated here so that `sim --help` can list
# every command without importing any; tests/cli/test_lazy.py checks each against the command.
COMMANDS: dict[str, tuple[str, str]] = {
    "allocate": ("sim.cli.allocate", "Allocate seats from votes: NAME=VOTES each "
                 "(PARTY/CANDIDATE=VOTES for sntv)."),
    "calibrate": ("sim.cli.calibrate", "The model against history (FACTS.md): formation time, "
                  "a sitting PM's list, who becomes PM, and a hindcast from the October 2021 "
                  "results."),
    "compare": ("sim.cli.report", "Run each SCENARIO R times and show the outcome distributions "
                "side by side."),
    "discover": ("sim.cli.sweep", "Scenario discovery on a sweep DIR: PRIM boxes, a CART tree "
                 "and feature scores for the parameter values under which EXPR holds (also "
                 "saved as DIR/discover.json)."),
    "explain": ("sim.cli.report", "Why did an event happen? Its cause chain, back to scheduled "
                "events and decisions."),
    "power": ("sim.cli.power", "Voting power of each NAME=WEIGHT at quota Q (Shapley-Shubik and "
              "normalised Banzhaf)."),
    "report": ("sim.cli.report", "Write DIR/report.html for a run (sim run --out) or a sweep "
               "(sim sweep --out)."),
    "run": ("sim.cli.run", "Run SCENARIO once: a readable timeline and the outcome."),
    "sensitivity": ("sim.cli.sweep", "Sobol indices (S1, ST; S2 with --second-order sweeps) or "
                    "Morris screening (mu*) of each numeric or true/false outcome of a `sim "
                    "sweep --sample sobol|morris` DIR, beside the share of its variance that is "
                    "replication noise."),
    "serve": ("sim.cli.serve", "Play scenarios live in a browser: pause, intervene, fork, save; "
              "hand actors to students."),
    "sweep": ("sim.cli.sweep", "Run SCENARIO many times over a parameter design; write "
              "DIR/results.parquet."),
    "validate": ("sim.cli.run", "Check scenario files; one located line per problem, exit 2 if "
                 "any."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (see COMMANDS)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(COMMANDS[cmd_name][0])  # registers it on `cli`
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's, but a command not imported yet is described by its COMMANDS line."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            cmd = self.commands.get(name)
            if cmd is None:
                # the command's one-line help as click would shorten it, without importing it
                stub = click.Command(name, help=COMMANDS[name][1])
                rows.append((name, stub.get_short_help_str(limit)))
            elif not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coalition-sim", prog_name="sim")
def cli() -> None:
    """Scenario simulator for coalition politics (Iraq, from mid-2024)."""


def _register() -> None:
    """Import every command now (for callers that read `cli.commands` directly)."""
    for module in sorted({module for module, _ in COMMANDS.values()}):
        importlib.import_module(module)


def fail(problems: InputError) -> None:
    """Print every problem on its own line and exit 2."""
    for problem in problems.problems:
        click.echo(str(problem), err=True)
    sys.exit(2)


# Third-party modules the commands import lazily, and what installs each: the default install
# brings all but dask; a missing one means an environment installed some other way.
_INSTALLED_BY = {
    "dask": "coalition-sim[dask]", "distributed": "coalition-sim[dask]",
    "cloudpickle": "coalition-sim[dask]",
}
_DEFAULT_DEPENDENCIES = frozenset({
    "pandas", "pyarrow", "scipy", "SALib", "matplotlib", "jinja2", "networkx", "numpy",
    "simpy", "pydantic", "yaml", "rich", "click",
})


def missing_dependency(exc: ModuleNotFoundError) -> str | None:
    """One line naming what to install for a missing third-party module, or None if the
    missing module is not a dependency (then it is our bug and keeps its traceback)."""
    root = (exc.name or "").split(".")[0]
    if root in _INSTALLED_BY:
        extra = _INSTALLED_BY[root]
        return (f"sim: this needs the '{root}' package, which is not installed: "
                f"pip install '{extra}' (in a checkout: pip install -e '.[{extra[14:-1]}]')")
    if root in _DEFAULT_DEPENDENCIES:
        return (f"sim: this needs the '{root}' package, which is not installed: "
                "pip install coalition-sim (in a checkout: pip install -e .)")
    return None


def main(argv: list[str] | None = None) -> None:
    try:
        rv = cli.main(args=argv, prog_name="sim", standalone_mode=False)
    except InputError as exc:
        fail(exc)
    except ModuleNotFoundError as exc:
        line = missing_dependency(exc)
        if line is None:
            raise
        click.echo(line, err=True)
        sys.exit(2)
    except click.UsageError as exc:
        if exc.ctx is not None and not exc.ctx.args and "Missing" not in exc.format_message() \
                and type(exc).__name__.startswith("NoArgsIsHelp"):
            click.echo(exc.ctx.get_help(), err=True)
            sys.exit(2)
        where = exc.ctx.command_path if exc.ctx else "sim"
        click.echo(f"<command line>:1:1: {where}: {exc.format_message()}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except OSError as exc:
        if _is_stdout_error(exc):
            _stdout_failed(exc)
        # A write or read that no command turned into an InputError: still one line, exit 2.
        where = f"{exc.filename}:1:1" if exc.filename else "<command line>:1:1"
        click.echo(f"{where}: sim: {exc.strerror or exc}", err=True)
        sys.exit(2)
    try:
        sys.stdout.flush()  # a full or closed stdout shows here, not as a traceback at exit
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except OSError as exc:
        _stdout_failed(exc)
    sys.exit(rv if isinstance(rv, int) else 0)


def _is_stdout_error(exc: OSError) -> bool:
    """Writing to stdout (a full disk, /dev/full, a closed terminal) fails without a file name;
    the commands' own file writes are located errors by the time they get here."""
    import errno

    return not exc.filename and exc.errno in (errno.ENOSPC, errno.EIO, errno.EPIPE, errno.EBADF,
                                              errno.EDQUOT, errno.EFBIG)


def _stdout_failed(exc: OSError) -> None:
    _quiet_stdout()
    click.echo(f"<stdout>:1:1: output: cannot write the output: {exc.strerror or exc}", err=True)
    sys.exit(2)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
