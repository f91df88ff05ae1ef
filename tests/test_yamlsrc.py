"""Parsed YAML is reused only for the same text under the same path, and never shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import InputError
from sim.yamlsrc import load_file


def test_a_file_read_again_is_equal_but_not_shared(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("a:\n  b: [1, 2]\n  c: text\n")
    first, second = load_file(path), load_file(path)
    assert first.data == second.data == {"a": {"b": [1, 2], "c": "text"}}
    assert first.marks == second.marks and first.where(("a", "c")) == second.where(("a", "c"))
    first.data["a"]["b"].append(3)
    first.marks.clear()
    third = load_file(path)
    assert third.data == {"a": {"b": [1, 2], "c": "text"}} and third.marks == second.marks


def test_a_changed_file_is_parsed_afresh(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("a: 1\n")
    assert load_file(path).data == {"a": 1}
    path.write_text("a: 2\n")
    assert load_file(path).data == {"a": 2}
    path.write_text("a: [\n")
    with pytest.raises(InputError):
        load_file(path)
    with pytest.raises(InputError):  # a broken text is never remembered as parsed
        load_file(path)
