"""Writing the user's files safely: whole or not at all, and only where a file belongs.

Every command that writes (`run --out`, `report`, `compare --html`, `sweep`, `sensitivity`)
goes through here, so that:

* only a regular file or a new path is ever written: never a device (`--output /dev/null` as
  root must not replace the device node with a file), a FIFO, a directory in the way, or ``''``;
* a file is written beside its target and renamed over it, so readers see the old file or the
  new one, never a torn one;
* a run folder is replaced as a whole (its new files are written into a hidden folder beside
  it, then the two folders are swapped), so an error or a kill never leaves a mix of two runs;
  the leftovers of killed writes are removed by the next write to the same target;
* a folder holding something else (another run without ``--force``, a sweep, the user's own
  files) is refused rather than overwritten;
* an output folder can be locked for as long as a sweep writes into it (`locked_folder`);
* every `OSError` becomes one located line (an `InputError`), exit 2.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import shutil
import socket
import stat
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

from sim.errors import InputError

# Hidden siblings made by writes in progress: ".NAME.sim-HOST-PID-RANDOM.(tmp|old)".
_MARK = ".sim-"


def _strerror(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _nonempty(path: str | os.PathLike[str], option: str) -> Path:
    text = os.fspath(path)
    if not str(text).strip():
        raise InputError.cli(option, "an empty path; give a file or folder name")
    if "\0" in str(text):
        raise InputError.cli(option, "a path cannot contain a NUL character")
    return Path(text)


def check_file_target(path: str | os.PathLike[str], option: str) -> Path:
    """Refuse, before any work, a target that `write_file` would refuse; return it as a Path.

    Accepted: a new name in an existing folder, or an existing regular file (a symlink to one
    is followed: its target is what gets replaced).
    """
    target = _nonempty(path, option)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError.cli(option, f"{target}: {_strerror(exc)}") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise InputError.cli(option, f"{target} is a directory; give a file name")
        if not stat.S_ISREG(st.st_mode):
            raise InputError.cli(option, f"{target} is not a regular file (a device, pipe or "
                                 "socket); give the name of a file to write")
    parent = _real(target).parent
    if not parent.is_dir():
        raise InputError.cli(option, f"{parent}: no such directory")
    return target


def _real(path: Path) -> Path:
    """The path a write really lands on: symlinks to files are followed, like the stat above."""
    try:
        return path.resolve() if path.is_symlink() else path.absolute()
    except (OSError, RuntimeError):
        return path.absolute()


def _token() -> str:
    return f"{_MARK}{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _leftovers(target: Path) -> Iterator[Path]:
    """Hidden siblings of `target` left by writes whose process is gone (on this host)."""
    prefix = f".{target.name}{_MARK}{socket.gethostname()}-"
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        pid_text = entry.name[len(prefix):].split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        yield entry


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def clean_leftovers(target: str | os.PathLike[str]) -> None:
    """Remove what killed writes to `target` left beside it (never a live writer's files)."""
    for entry in _leftovers(_real(Path(target))):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()


def write_file(path: str | os.PathLike[str], data: str | bytes, option: str) -> Path:
    """Write `data` to `path` whole or not at all; one located line on any failure."""
    target = _real(check_file_target(path, option))
    clean_leftovers(target)
    tmp = target.with_name(f".{target.name}{_token()}.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        check_file_target(target, option)  # still a file or nothing: never replace a device
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise InputError.cli(option, f"cannot write {path}: {_strerror(exc)}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return Path(path)


# --- run folders ----------------------------------------------------------------------------

RUN_FILES = frozenset({"events.jsonl", "summary.json", "manifest.json", "report.html"})


def check_folder_target(path: str | os.PathLike[str], option: str,
                        identity: Mapping[str, object] | None = None,
                        force: bool = False, files: frozenset[str] = RUN_FILES) -> Path:
    """Refuse a run folder target that `replace_folder` would refuse (writes nothing).

    A new path or an empty folder is fine.  An existing run folder is replaced only when it
    holds the same run (its manifest's `identity` keys equal ours) or with `force`; a folder
    holding anything that is not a run file is never replaced, with or without `force`.
    """
    target = _nonempty(path, option)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        parent = target.absolute().parent
        if parent.exists() and not parent.is_dir():
            raise InputError.cli(option, f"{parent} is not a directory") from None
        return target
    except OSError as exc:
        raise InputError.cli(option, f"{target}: {_strerror(exc)}") from None
    if stat.S_ISLNK(st.st_mode):
        raise InputError.cli(option, f"{target} is a symbolic link; give a folder")
    if not stat.S_ISDIR(st.st_mode):
        raise InputError.cli(option, f"{target} exists and is not a directory")
    try:
        names = {p.name for p in target.iterdir()}
    except OSError as exc:
        raise InputError.cli(option, f"{target}: {_strerror(exc)}") from None
    names = {n for n in names if _MARK not in n}  # leftovers of killed writes
    if not names:
        return target
    foreign = sorted(names - files)
    if foreign:
        raise InputError.cli(option, f"{target} holds other files ({', '.join(foreign[:3])}"
                             f"{', ...' if len(foreign) > 3 else ''}), not a run; "
                             "choose a new or empty folder")
    if force or identity is None:
        return target
    old = _manifest(target)
    if old is None or any(old.get(k) != v for k, v in identity.items()):
        what = ("another run" if old is None else
                f"another run ({old.get('scenario')}, seed {old.get('seed')})")
        raise InputError.cli(option, f"{target} already holds {what}; add --force to "
                             "replace it, or choose another folder")
    return target


def _manifest(folder: Path) -> dict[str, object] | None:
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def replace_folder(path: str | os.PathLike[str], contents: Mapping[str, str], option: str,
                   identity: Mapping[str, object] | None = None, force: bool = False) -> Path:
    """Make folder `path` hold exactly `contents` (file name -> text), whole or not at all.

    The files are written into a hidden sibling folder, which then takes the target's place in
    one atomic exchange (Linux `renameat2`); elsewhere, by two renames with the old folder kept
    aside until the new one is in place.  Leftovers of killed writes are removed first.
    """
    target = check_folder_target(path, option, identity, force)
    real = target.absolute()
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError.cli(option, f"cannot create {real.parent}: {_strerror(exc)}") from None
    clean_leftovers(real)
    token = _token()
    new = real.with_name(f".{real.name}{token}.tmp")
    try:
        new.mkdir()
        for name, text in contents.items():
            with open(new / name, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        check_folder_target(target, option, identity, force)  # nothing changed meanwhile
        _swap_in(new, real, token)
    except OSError as exc:
        shutil.rmtree(new, ignore_errors=True)
        raise InputError.cli(option, f"cannot write {path}: {_strerror(exc)}") from None
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return target


def _swap_in(new: Path, target: Path, token: str) -> None:
    if not target.exists():
        try:
            os.rename(new, target)  # atomic; fails if a non-empty folder appeared meanwhile
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now holds the old run
        return
    old = target.with_name(f".{target.name}{token}.old")
    os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False if unsupported."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False  # the filesystem cannot exchange: fall back to two renames
    raise OSError(err, os.strerror(err), str(b))


# --- locking an output folder ---------------------------------------------------------------


# Lock descriptors this process holds.  A process forked while a sweep runs (a fork-started
# worker pool) would share the lock's open file and keep the folder locked after the sweep
# itself was killed; so every forked child closes its copies at once (the parent keeps its own).
_HELD: set[int] = set()


def _close_held_in_child() -> None:
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held_in_child)


@contextlib.contextmanager
def locked_folder(path: str | os.PathLike[str], option: str = "--out",
                  what: str = "sweep") -> Iterator[Path]:
    """Hold an exclusive lock on output folder `path` (created if missing) while writing to it.

    A second writer (another sweep, or a `--resume` of the same one) is refused at once with
    one line instead of waiting or mixing its rows with ours.  The lock is `flock` on the
    folder itself, so it creates no file in it, and the kernel drops it when the process ends,
    even by `kill -9`: a stale lock cannot outlive its sweep.  Take it *before* checking that
    the folder is empty or resumable, so that two sweeps cannot both pass the check.  A folder
    this call created and that is still empty when the block ends is removed again.
    """
    folder = _nonempty(path, option)
    created = False
    try:
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise InputError.cli(option, f"{folder} exists and is not a directory")
        if not folder.exists():
            try:
                folder.mkdir(parents=True)
                created = True
            except FileExistsError:  # another process made it meanwhile: the lock decides
                pass
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise InputError.cli(option, f"cannot use {folder}: {_strerror(exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError.cli(option, f"{folder} is in use by another {what} still "
                                 "writing into it; wait for it to end or choose another "
                                 "folder") from None
        except OSError as exc:
            raise InputError.cli(option, f"cannot lock {folder}: {_strerror(exc)}") from None
        _HELD.add(fd)
        try:
            yield folder
        finally:
            if created:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only succeeds while still empty
    finally:
        _HELD.discard(fd)
        os.close(fd)
