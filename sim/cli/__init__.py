"""The `sim` command line: a thin layer over the Python API.

Each group of commands lives in its own module and registers itself on `cli`.  `main` runs the
group with one rule for every user mistake: a single located line on stderr and exit code 2
(click's own usage errors are folded into the same one-line form).  Heavy libraries are imported
inside commands, so `sim --help` stays fast.
"""

from __future__ import annotations

import sys

import click

from sim.errors import InputError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coalition-sim", prog_name="sim")
def cli() -> None:
    """Scenario simulator for coalition politics (Iraq, from mid-2024)."""


def _register() -> None:
    # Imported for their side effect of adding commands to `cli`.
    from sim.cli import run as _run  # noqa: F401

    for optional in ("allocate", "power", "sweep", "report", "calibrate", "serve"):
        try:
            __import__(f"sim.cli.{optional}")
        except ModuleNotFoundError as exc:  # a module not written yet, not a missing dependency
            if exc.name != f"sim.cli.{optional}":
                raise


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
    _register()
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
