"""Safe YAML loading that remembers where every value came from.

Users' mistakes must be reported as ``PATH:LINE:COL``, so we compose the YAML node graph with
PyYAML's *safe* loader and build plain Python data ourselves, recording the start mark of every
mapping key and value by its dotted path.  Only the safe tags exist: ``!!python/...`` and any
other tag is an error at its position.  Size, binary content, duplicate keys and alias bombs are
refused before they can cost memory or time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import InputError, Problem

MAX_BYTES = 1_000_000  # a scenario is a page of text; a megabyte is already absurd
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data from a YAML file plus the position of each path in it."""

    path: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Path_) -> tuple[int, int]:
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


def dotted(loc: Path_) -> str:
    return ".".join(str(p) for p in loc)


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.marks: dict[Path_, tuple[int, int]] = {}
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, loc: Path_, message: str) -> InputError:
        mark = node.start_mark
        return InputError(Problem(self.path, mark.line + 1, mark.column + 1, dotted(loc), message))

    def build(self, node: yaml.Node, loc: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, loc, f"document too large (more than {MAX_NODES} values)")
        self.marks.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise self.fail(node, loc, f"unsupported tag {node.tag!r}")
            out: dict[str, Any] = {}
            self.constructor.flatten_mapping(node)
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, loc, "mapping keys must be plain names")
                # YAML 1.1 reads keys like `on`/`no` as booleans; a key is always a name here
                key = (key_node.value if key_node.tag == "tag:yaml.org,2002:bool"
                       else self.scalar(key_node, loc))
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    raise self.fail(key_node, loc, f"key {key!r} must be a name")
                key = str(key)
                if key in out:
                    raise self.fail(key_node, loc + (key,), "duplicate key")
                self.marks[loc + (key,)] = (key_node.start_mark.line + 1,
                                            key_node.start_mark.column + 1)
                out[key] = self.build(value_node, loc + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(node, loc, f"unsupported tag {node.tag!r}")
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, loc)

    def scalar(self, node: yaml.Node, loc: Path_) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            problem = (exc.problem or "cannot read this value").strip()
            raise self.fail(node, loc, problem) from None


def load_text(text: str, path: str) -> Located:
    """Parse YAML text safely into `Located` data; raise `InputError` on anything wrong."""
    if "\x00" in text:
        raise InputError.at(path, "", "binary file, not YAML text")
    if not text.strip():
        raise InputError.at(path, "", "empty file: expected a YAML mapping")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise InputError(Problem(path, line, col, "", f"YAML syntax: {message}")) from None
    except yaml.YAMLError as exc:
        raise InputError.at(path, "", f"YAML error: {exc}") from None
    if node is None:
        raise InputError.at(path, "", "empty document: expected a YAML mapping")
    builder = _Builder(path)
    data = builder.build(node, ())
    if not isinstance(data, dict):
        raise InputError.at(path, "", "expected a YAML mapping at the top level",
                            node.start_mark.line + 1, node.start_mark.column + 1)
    return Located(path, data, builder.marks)


def load_file(path: str | Path) -> Located:
    """Read and parse a YAML file, refusing missing, huge, binary or non-UTF-8 files."""
    name = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError.at(name, "", "file not found") from None
    except OSError as exc:
        raise InputError.at(name, "", f"cannot read file: {exc.strerror}") from None
    if p.is_dir():
        raise InputError.at(name, "", "is a directory, expected a YAML file")
    if size > MAX_BYTES:
        raise InputError.at(name, "", f"file too large ({size} bytes; limit {MAX_BYTES})")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError.at(name, "", f"cannot read file: {exc.strerror}") from None
    if b"\x00" in raw:
        raise InputError.at(name, "", "binary file, not YAML text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.at(name, "", f"not UTF-8 text (byte {exc.start})") from None
    return load_text(text, name)
