"""Safe YAML loading that remembers where every value came from.

Users' mistakes must be reported as ``PATH:LINE:COL``, so we compose the YAML node graph with
PyYAML's *safe* loader and build plain Python data ourselves, recording the start mark of every
mapping key and value by its dotted path.  Only the safe tags exist: ``!!python/...`` and any
other tag is an error at its position.  Size, binary content, duplicate keys, deep nesting and
alias bombs are refused before they can cost memory or time.  Keys are always names: YAML 1.1
would read ``on:``/``yes:`` as booleans, we keep the text.  Numbers must be finite.
"""

from __future__ import annotations

import copy
import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import InputError, Problem

MAX_BYTES = 1_000_000  # a scenario is a page of text; a megabyte is already absurd
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")
MAX_DEPTH = 64  # bounds nesting (and so recursion) of collections

Path_ = tuple[str | int, ...]
Mark = tuple[int, int]

_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_BOOL = "tag:yaml.org,2002:bool"


@dataclass
class Located:
    """Plain data from a YAML file plus the position of each path in it.

    `marks` holds, for each path, the position of its key (or of the item, in a list);
    `content` holds, for string values, where the text itself starts and whether columns in
    the string map one to one onto columns in the file (a plain or quoted one-line scalar
    without escapes).
    """

    path: str
    data: Any
    marks: dict[Path_, Mark] = field(default_factory=dict)
    content: dict[Path_, tuple[int, int, bool]] = field(default_factory=dict)

    def where(self, loc: Path_) -> Mark:
        """The (line, col) of `loc`, or of its nearest ancestor that has a position."""
        loc = tuple(loc)
        while loc:
            if loc in self.marks:
                return self.marks[loc]
            loc = loc[:-1]
        return self.marks.get((), (1, 1))

    def problem(self, loc: Path_, message: str) -> Problem:
        line, col = self.where(loc)
        return Problem(self.path, line, col, dotted(loc), message)


def _part(p: str | int) -> str:
    """One step of a dotted path; whitespace and unprintables are %-escaped (one word)."""
    s = str(p)
    if all(ch.isprintable() and not ch.isspace() and ch != "%" for ch in s):
        return s
    return "".join(ch if ch.isprintable() and not ch.isspace() and ch != "%"
                   else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "backslashreplace"))
                   for ch in s)


def dotted(loc: Path_) -> str:
    return ".".join(_part(p) for p in loc)


try:  # libyaml's parser is ten times faster; composing stays in Python (to bound nesting)
    from yaml.cyaml import CParser as _Parser

    class _Base(yaml.composer.Composer, _Parser, yaml.resolver.Resolver):
        def __init__(self, stream: str):
            _Parser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _BYTE_POSITIONS = True  # libyaml reports reader errors at byte offsets
except ImportError:  # pragma: no cover - PyYAML without libyaml
    class _Base(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore
                yaml.composer.Composer, yaml.resolver.Resolver):
        def __init__(self, stream: str):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _BYTE_POSITIONS = False


class _Loader(_Base):
    """Composes the node graph with the safe resolver, refusing nesting deeper than
    `MAX_DEPTH` (the composer is recursive)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Builder:
    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        self.marks: dict[Path_, Mark] = {}
        self.content: dict[Path_, tuple[int, int, bool]] = {}
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, loc: Path_, message: str) -> InputError:
        mark = node.start_mark
        return InputError(Problem(self.path, mark.line + 1, mark.column + 1, dotted(loc), message))

    def build(self, node: yaml.Node, loc: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            top = loc[:1]
            line, col = self.marks.get(top, (node.start_mark.line + 1, node.start_mark.column + 1))
            raise InputError(Problem(self.path, line, col, dotted(top),
                                     f"document too large (more than {MAX_NODES} values once "
                                     "aliases are expanded)"))
        self.marks.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self.fail(node, loc, f"unsupported tag {node.tag!r}")
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, loc)

    def mapping(self, node: yaml.MappingNode, loc: Path_) -> dict[str, Any]:
        if node.tag != _MAP:
            raise self.fail(node, loc, f"unsupported tag {node.tag!r}")
        own = sum(1 for k, _ in node.value if k.tag != _MERGE)
        try:
            self.constructor.flatten_mapping(node)
        except yaml.constructor.ConstructorError as exc:
            where = exc.problem_mark
            line, col = (where.line + 1, where.column + 1) if where else self.marks[loc]
            raise InputError(Problem(self.path, line, col, dotted(loc),
                                     (exc.problem or "bad merge key").strip())) from None
        merged = len(node.value) - own  # `<<` entries come first and may be overridden
        out: dict[str, Any] = {}
        own_keys: set[str] = set()
        for i, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, loc, "mapping keys must be plain names")
            # YAML 1.1 reads keys like `on`/`no` as booleans; a key is always a name here
            key = (key_node.value if key_node.tag == _BOOL else self.scalar(key_node, loc))
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise self.fail(key_node, loc, f"key {key_node.value!r} must be a name")
            key = str(key)
            if i >= merged:
                if key in own_keys:
                    raise self.fail(key_node, loc + (key,), "duplicate key")
                own_keys.add(key)
            if key in out:  # a merged (`<<`) value being overridden
                self._forget(loc + (key,))
            self.marks[loc + (key,)] = (key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1)
            out[key] = self.build(value_node, loc + (key,))
        return out

    def _forget(self, loc: Path_) -> None:
        """Drop positions under `loc` (a merged value about to be replaced)."""
        n = len(loc)
        for table in (self.marks, self.content):
            for k in [k for k in table if k[:n] == loc]:
                del table[k]

    def scalar(self, node: yaml.Node, loc: Path_) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, loc, "expected a single value here")
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            problem = (exc.problem or "cannot read this value").strip()
            raise self.fail(node, loc, problem) from None
        except (ValueError, OverflowError, TypeError):
            # e.g. a timestamp like 2024-13-45, or an integer of thousands of digits
            raise self.fail(node, loc, f"cannot read {_short(node.value)} as "
                                       f"{node.tag.rsplit(':', 1)[-1]}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(node, loc, f"{_short(node.value)} is not a finite number")
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise self.fail(node, loc, "text contains an invalid unicode escape") from None
            self._content(node, loc, value)
        return value

    def _content(self, node: yaml.ScalarNode, loc: Path_, value: str) -> None:
        start, end = node.start_mark, node.end_mark
        if node.style in ("|", ">"):
            # the text starts on the line after the indicator, at its indentation
            nl = self.text.find("\n", start.index)
            if nl != -1:
                first = self.text[nl + 1:].split("\n", 1)[0]
                indent = len(first) - len(first.lstrip(" "))
                self.content[loc] = (start.line + 2, indent + 1, False)
                return
        q = 1 if node.style in ('"', "'") else 0
        exact = (start.line == end.line
                 and self.text[start.index + q:end.index - q] == value)
        self.content[loc] = (start.line + 1, start.column + 1 + q, exact)


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _line_col(text: str, index: int) -> Mark:
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _check_size(root: yaml.MappingNode, path: str) -> None:
    """Refuse a document whose values, with aliases expanded, exceed `MAX_NODES`, before
    expanding anything: sizes are counted once per node of the (small) graph."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()  # nodes being sized: meeting one again means an alias cycle

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if id(node) in open_:
            mark = node.start_mark
            raise InputError(Problem(path, mark.line + 1, mark.column + 1, "",
                                     "an alias refers to a value that contains it (a "
                                     "self-referencing anchor cannot be expanded)"))
        open_.add(id(node))
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        open_.discard(id(node))
        total = min(total, MAX_NODES + 1)
        sizes[id(node)] = total
        return total

    total = 1
    for key, value in root.value:
        total += size(key) + size(value)
        if total > MAX_NODES:
            mark = key.start_mark
            name = key.value if isinstance(key, yaml.ScalarNode) else ""
            raise InputError(Problem(path, mark.line + 1, mark.column + 1, dotted((name,)),
                                     f"document too large (more than {MAX_NODES} values once "
                                     "aliases are expanded)"))


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    if 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


# the last texts parsed, by (path, text): a process that loads scenarios again and again (tests,
# calibration, notebooks) re-reads the same world file each time, and parsing it with positions
# is most of `load_scenario`; a copy of the parsed result costs about a third of that
_PARSED: dict[tuple[str, str], Located] = {}
_PARSED_MAX = 8


def load_text(text: str, path: str) -> Located:
    """Parse YAML text safely into `Located` data; raise `InputError` on anything wrong.

    The same text under the same path is parsed once; each call gets its own deep copy."""
    key = (path, text)
    hit = _PARSED.get(key)
    if hit is None:
        hit = _parse_text(text, path)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = hit
    return copy.deepcopy(hit)


def _parse_text(text: str, path: str) -> Located:
    if "\x00" in text:
        raise InputError.at(path, "", "binary file, not YAML text", *_line_col(text,
                                                                              text.index("\x00")))
    if not text.strip():
        raise InputError.at(path, "", "empty file: expected a YAML mapping")
    loader = None
    try:
        loader = _Loader(text)  # the reader checks the characters here
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if _char_at(text, line, col) == "\t":
            message = "a tab character; YAML indentation must use spaces"
        raise InputError(Problem(path, line, col, "", f"YAML syntax: {message}")) from None
    except yaml.reader.ReaderError as exc:
        position = exc.position
        if _BYTE_POSITIONS:
            position = len(text.encode("utf-8", "surrogatepass")[:position]
                           .decode("utf-8", "ignore"))
        line, col = _line_col(text, position)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(Problem(path, line, col, "", f"character U+{char:04X} is not "
                                 "allowed in YAML text")) from None
    except yaml.YAMLError as exc:
        raise InputError.at(path, "", f"YAML error: {' '.join(str(exc).split())}") from None
    except UnicodeError:  # lone surrogates in text handed to the C parser
        raise InputError.at(path, "", "text is not valid unicode") from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise InputError.at(path, "", "empty document: expected a YAML mapping")
    if not isinstance(node, yaml.MappingNode):
        raise InputError.at(path, "", "expected a YAML mapping (key: value lines) at the top "
                            "level", node.start_mark.line + 1, node.start_mark.column + 1)
    _check_size(node, path)
    builder = _Builder(path, text)
    data = builder.build(node, ())
    return Located(path, data, builder.marks, builder.content)


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def load_file(path: str | Path) -> Located:
    """Read and parse a YAML file, refusing missing, huge, binary or non-UTF-8 files."""
    name = str(path)
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise InputError.at(name, "", "file not found") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError.at(name, "", f"cannot read file: {reason}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError.at(name, "", "is a directory, expected a YAML file")
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise InputError.at(name, "", f"is {_file_kind(info.st_mode)}, not a regular file: "
                                      "expected a YAML file")
    if info.st_size > MAX_BYTES:
        raise InputError.at(name, "", f"file too large ({info.st_size} bytes; limit "
                                      f"{MAX_BYTES})")
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, opening cannot hang
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError.at(name, "", "is not a regular file: expected a YAML file")
            raw = fh.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError.at(name, "", f"cannot read file: {reason}") from None
    if len(raw) > MAX_BYTES:  # grew, or a device/pipe that reports no size
        raise InputError.at(name, "", f"file too large (limit {MAX_BYTES} bytes)")
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise InputError.at(name, "", "binary file (NUL bytes), not YAML text", line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError.at(name, "", f"not UTF-8 text (byte {exc.start})", line, col) from None
    return load_text(text, name)
