"""`sim validate` on every kind of bad input: one located line per problem, exit 2, no traceback.

Each case writes a broken scenario into `tmp_path` (most extend a copy of `baseline`; the world
comes from the package's `seeds/world.yaml`), runs the command line and checks the exit code,
the shape of every line (``PATH:LINE:COL: dotted.field.path: message``) and that the reported
file, line, column and field are the ones the user has to fix.  Most cases run the CLI in
process for speed; a handful go through a real subprocess (``python -m sim``).  A hypothesis
test then mutates a valid scenario at random: loading it must succeed or raise `InputError`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.errors import InputError
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<field>[^ ]*): (?P<msg>.+)$")
HEAD = "name: broken\nextends: baseline\n"  # lines 1-2 of most cases; the mistake is on 3+


@dataclass(frozen=True)
class Expect:
    """One expected problem line; `col=None` means any column, `file` is relative to tmp_path."""

    line: int
    field: str
    message: str  # a fragment of the message
    col: int | None = None
    file: str = "case.yaml"


@dataclass(frozen=True)
class Case:
    text: str | bytes
    expect: tuple[Expect, ...]
    extra: tuple[tuple[str, str], ...] = ()  # other files to write: (name, text)
    target: str = "case.yaml"


def case(text: str | bytes, *expect: Expect, extra: tuple[tuple[str, str], ...] = (),
         target: str = "case.yaml") -> Case:
    return Case(text, expect, extra, target)


E = Expect
KINDS = "known kinds: election"

CASES: dict[str, Case] = {
    # --- YAML itself ------------------------------------------------------------------------
    "syntax_unclosed_flow": case(HEAD + "description: ok\nevents: [\n",
                                 E(5, "<root>", "YAML syntax")),
    "syntax_bad_indent": case(HEAD + "parameters:\n  p:\n    default: 1\n   range: [0, 2]\n",
                              E(6, "<root>", "YAML syntax")),
    "tab_indent": case(HEAD + "parameters:\n\tp: 1\n", E(4, "<root>", "tab", col=1)),
    "python_object_tag": case(HEAD + "description: !!python/object/apply:os.system ['ls']\n",
                              E(3, "description", "unsupported tag", col=14)),
    "python_name_tag": case(HEAD + "description: !!python/name:os.system ''\n",
                            E(3, "description", "constructor", col=14)),
    "custom_tag": case(HEAD + "horizon_days: !days 30\n", E(3, "horizon_days", "tag", col=15)),
    "billion_laughs": case(
        HEAD + "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{k}: &{k} [{', '.join(['*' + p] * 9)}]\n"
                  for p, k in zip("abcdef", "bcdefg", strict=True)),
        E(8, "f", "document too large", col=1)),
    "deep_nesting": case(HEAD + "world:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 80))
                         + "  " * 80 + "x: 1\n", E(66, "<root>", "nesting deeper")),
    "empty_file": case("", E(1, "<root>", "empty", col=1)),
    "only_comment": case("# nothing here\n\n", E(1, "<root>", "empty", col=1)),
    "top_level_list": case("- name: x\n- extends: baseline\n", E(1, "<root>", "mapping", col=1)),
    "top_level_scalar": case("just words\n", E(1, "<root>", "mapping", col=1)),
    "duplicate_key": case(HEAD + "description: one\nhorizon_days: 300\ndescription: two\n",
                          E(5, "description", "duplicate key", col=1)),
    "two_documents": case(HEAD + "---\nname: other\n", E(3, "<root>", "single document")),
    "binary_nul": case(b"name: broken\nextends: baseline\n\x00\x01\x02",
                       E(3, "<root>", "binary")),
    "invalid_utf8": case(b"name: broken\nextends: baseline\ndescription: caf\xe9\n",
                         E(3, "<root>", "UTF-8", col=17)),
    "control_character": case(HEAD + "description: bell\x07\n", E(3, "<root>", "U+0007", col=18)),
    "huge_file": case(HEAD + "description: >\n" + ("  " + "x" * 98 + "\n") * 10_500,
                      E(1, "<root>", "too large", col=1)),
    "bad_timestamp": case(HEAD + "start_date: 2024-13-45\n",
                          E(3, "start_date", "cannot read", col=13)),
    "huge_integer": case(HEAD + "horizon_days: 1" + "0" * 5000 + "\n",
                         E(3, "horizon_days", "cannot read", col=15)),
    "nan_number": case(HEAD + "events:\n  - day: .nan\n    do: {kind: election}\n",
                       E(4, "events.0.day", "finite", col=10)),
    # YAML 1.1 reads `yes`/`on` as booleans: keys must stay names
    "yaml11_bool_key": case(HEAD + "yes: 1\n", E(3, "yes", "unknown field 'yes'", col=1)),
    "yaml11_on_key_in_do": case(HEAD + "events:\n  - day: 3\n    do:\n      kind: election\n"
                                "      on: 1\n",
                                E(7, "events.0.do.on", "unknown field 'on'", col=7)),
    # --- unknown keys, at any depth -----------------------------------------------------------
    "unknown_top_key": case(HEAD + "horizon: 300\n", E(3, "horizon", "unknown field", col=1)),
    "unknown_parameter_key": case(
        HEAD + "parameters:\n  p:\n    default: 1\n    range: [0, 2]\n    dflt: 3\n",
        E(7, "parameters.p.dflt", "unknown field 'dflt'", col=5)),
    "unknown_event_key": case(HEAD + "events:\n  - day: 3\n    when: 4\n    do: {kind: election}\n",
                              E(5, "events.0.when", "unknown field", col=5)),
    "unknown_do_key": case(HEAD + "events:\n  - day: 3\n    do: {kind: election, lw: 2013}\n",
                           E(5, "events.0.do.lw", "unknown field", col=26)),
    "unknown_trigger_key": case(HEAD + "triggers:\n  - when: day > 3\n"
                                "    then: {kind: election}\n    dealy: 3\n",
                                E(6, "triggers.0.dealy", "unknown field", col=5)),
    "unknown_world_key": case(HEAD + "world:\n  actors:\n    aah:\n      brigades:\n"
                              "        valu: 3\n",
                              E(7, "world.actors.aah.brigades.valu", "unknown field", col=9)),
    "unknown_world_section": case(HEAD + "world:\n  ministers: {}\n",
                                  E(4, "world.ministers", "unknown field", col=3)),
    # --- wrong types ----------------------------------------------------------------------------
    "string_for_number": case(HEAD + "horizon_days: lots\n",
                              E(3, "horizon_days", "valid number", col=1)),
    "list_for_mapping": case(HEAD + "parameters: [1, 2]\n",
                             E(3, "parameters", "dictionary", col=1)),
    "mapping_for_list": case(HEAD + "events: {day: 3}\n", E(3, "events", "list", col=1)),
    "string_for_day": case(HEAD + "events:\n  - day: soon\n    do: {kind: election}\n",
                           E(4, "events.0.day", "number or a $parameter", col=5)),
    "world_value_type": case(HEAD + "world:\n  actors:\n    aah:\n      brigades: {value: many, "
                             "seed: 'a | b'}\n", E(6, "world.actors.aah.brigades.value",
                                                   "valid integer", col=18)),
    # --- names that do not exist ----------------------------------------------------------------
    "unknown_actor_in_event": case(HEAD + "events:\n  - day: 3\n"
                                   "    do: {kind: end_boycott, actor: sadr}\n",
                                   E(5, "events.0.do.actor", "unknown actor 'sadr'", col=29)),
    "unknown_actor_in_trigger": case(HEAD + "triggers:\n  - on: {kind: election_held, actor: x}\n"
                                     "    then: {kind: election}\n",
                                     E(4, "triggers.0.on.actor", "unknown actor", col=31)),
    "unknown_ministry_in_event": case(HEAD + "events:\n  - day: 3\n    do:\n"
                                      "      kind: assign_post\n      post: Oill\n"
                                      "      holder: aah\n",
                                      E(7, "events.0.do.post", "unknown ministry or post", col=7)),
    "unknown_law_in_event": case(HEAD + "events:\n  - day: 3\n    do: {kind: change_law, law: x}\n",
                                 E(5, "events.0.do.law", "unknown law", col=28)),
    "unknown_holder_in_world": case(HEAD + "world:\n  ministries:\n    Oil:\n      holder: "
                                    "{value: nobody, assumption: why}\n",
                                    E(6, "world.ministries.Oil.holder", "unknown actor 'nobody'",
                                      col=7)),
    "ministry_with_space": case(HEAD + "world:\n  ministries:\n    Higher Education:\n"
                                "      holdr: {value: aah, assumption: why}\n",
                                E(6, "world.ministries.Higher%20Education.holdr", "unknown field",
                                  col=7)),
    "unknown_actor_in_policies": case(HEAD + "policies:\n  khazali: {dispute_aversion: 0.5}\n",
                                      E(4, "policies.khazali", "unknown actor", col=3)),
    "unknown_policy_kind_in_world": case(HEAD + "world:\n  actors:\n    aah:\n      policy: "
                                         "{kind: nope}\n",
                                         E(6, "world.actors.aah.policy.kind", "unknown policy")),
    # --- time -----------------------------------------------------------------------------------
    "date_outside_window": case(HEAD + "events:\n  - at: 2030-01-01\n    do: {kind: election}\n",
                                E(4, "events.0.at", "outside the scenario's window", col=5)),
    "negative_day": case(HEAD + "events:\n  - do: {kind: election}\n    day: -3\n",
                         E(5, "events.0.day", "must be at least 0 (got -3)", col=5)),
    "day_beyond_horizon": case(HEAD + "events:\n  - day: 1200\n    do: {kind: election}\n",
                               E(4, "events.0.day", "beyond the horizon", col=5)),
    "missing_time": case(HEAD + "events:\n  - do: {kind: election}\n",
                         E(4, "events.0", "give at (a date) or day", col=5)),
    "both_at_and_day": case(HEAD + "events:\n  - at: 2024-07-01\n    day: 3\n    do: {kind: "
                            "election}\n", E(5, "events.0.day", "not both", col=5)),
    # --- extends ----------------------------------------------------------------------------------
    "extends_cycle": case("name: a\nextends: b\n", E(2, "extends", "cycle", col=1, file="b.yaml"),
                          extra=(("b.yaml", "name: b\nextends: a\n"),), target="a.yaml"),
    "extends_self": case("name: a\nextends: case\n", E(2, "extends", "cycle", col=1)),
    "extends_missing": case("name: a\ndescription: x\nextends: nowhere\n",
                            E(3, "extends", "not found", col=1)),
    "extends_not_a_name": case("name: a\nextends: [baseline]\n", E(2, "extends", "name or path")),
    "mistake_in_extended_file": case(
        "name: child\nextends: mid\nevents:\n  - day: 5\n    do: {kind: election}\n",
        E(6, "events.0.do.actor", "unknown actor 'nobody'", col=26, file="mid.yaml"),
        extra=(("mid.yaml", HEAD + "description: the middle\nevents:\n  - day: 3\n"
                "    do: {kind: withdraw, actor: nobody}\n"),)),
    "error_in_extended_yaml": case(
        "name: child\nextends: mid\n", E(4, "<root>", "YAML syntax", file="mid.yaml"),
        extra=(("mid.yaml", HEAD + "description: [\n"),)),
    # --- conditions -------------------------------------------------------------------------------
    "unparsable_condition": case(HEAD + "triggers:\n  - when: \"seats(sadrists) >\"\n"
                                 "    then: {kind: election}\n",
                                 E(4, "triggers.0.when", "expected a value", col=29)),
    "unsafe_condition_import": case(HEAD + "triggers:\n  - when: \"__import__('os').system('x')\"\n"
                                    "    then: {kind: election}\n",
                                    E(4, "triggers.0.when", "not allowed", col=12)),
    "unsafe_condition_dunder": case(HEAD + "triggers:\n  - when: ().__class__\n"
                                    "    then: {kind: election}\n",
                                    E(4, "triggers.0.when", "expected a value", col=12)),
    "condition_unknown_name": case(HEAD + "triggers:\n  - when: seats(sadr) > 3\n"
                                   "    then: {kind: election}\n", E(4, "triggers.0.when", "sadr")),
    # --- parameters -------------------------------------------------------------------------------
    "default_outside_range": case(HEAD + "parameters:\n  p:\n    range: [0, 2]\n    default: 5\n",
                                  E(6, "parameters.p.default", "outside its range", col=5)),
    "range_low_above_high": case(HEAD + "parameters:\n  p:\n    default: 1\n    range: [2, 0]\n",
                                 E(6, "parameters.p.range", "above high", col=5)),
    "unknown_param_ref": case(HEAD + "events:\n  - day: $when\n    do: {kind: election}\n",
                              E(4, "events.0.day", "unknown parameter '$when'", col=5)),
    "param_ref_out_of_range": case(
        HEAD + "parameters:\n  q: {default: 0.5, range: [0, 2]}\ntriggers:\n  - when: day > 3\n"
        "    probability: $q\n    then: {kind: election}\n",
        E(7, "triggers.0.probability", "between 0 and 1", col=5)),
    # --- events and triggers ----------------------------------------------------------------------
    "unknown_event_kind": case(HEAD + "events:\n  - day: 3\n    do: {kind: teleport, actor: aah}\n",
                               E(5, "events.0.do.kind", "unknown kind 'teleport'", col=10)),
    "do_without_kind": case(HEAD + "events:\n  - day: 3\n    do: {actor: aah}\n",
                            E(5, "events.0.do.kind", "missing required field 'kind'", col=5)),
    "missing_required_field": case(HEAD + "events:\n  - day: 3\n    do: {kind: withdraw}\n",
                                   E(5, "events.0.do.actor", "missing required field", col=5)),
    "probability_above_one": case(HEAD + "triggers:\n  - when: day > 3\n    probability: 1.5\n"
                                  "    then: {kind: election}\n",
                                  E(5, "triggers.0.probability", "at most 1 (got 1.5)", col=5)),
    "probability_negative": case(HEAD + "triggers:\n  - on: {kind: election_held}\n"
                                 "    probability: -0.1\n    then: {kind: election}\n",
                                 E(5, "triggers.0.probability", "must be at least 0", col=5)),
    "trigger_without_condition": case(HEAD + "triggers:\n  - then: {kind: election}\n",
                                      E(4, "triggers.0", "give when", col=5)),
    "several_problems": case(HEAD + "horizon: 3\nevents:\n  - day: 3\n    do: {kind: withdraw, "
                             "actor: x}\n  - day: 4\n    do: {kind: withdraw, actor: y}\n",
                             E(3, "horizon", "unknown field", col=1),
                             # all layers in one round: the actors are checked too
                             E(6, "events.0.do.actor", "'x'", col=26),
                             E(8, "events.1.do.actor", "'y'", col=26)),
    "several_semantic_problems": case(HEAD + "events:\n  - day: 3\n    do: {kind: withdraw, "
                                      "actor: x}\n  - day: 4\n    do: {kind: withdraw, actor: y}\n",
                                      E(5, "events.0.do.actor", "'x'", col=26),
                                      E(7, "events.1.do.actor", "'y'", col=26)),
}


def write_case(tmp_path: Path, c: Case) -> Path:
    shutil.copy(BASELINE, tmp_path / "baseline.yaml")
    for name, text in c.extra:
        (tmp_path / name).write_text(text, encoding="utf-8")
    main_file = tmp_path / c.target
    if isinstance(c.text, bytes):
        main_file.write_bytes(c.text)
    else:
        main_file.write_text(c.text, encoding="utf-8")
    return main_file


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def parse_lines(err: str) -> list[re.Match]:
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert lines, "no problem reported"
    matches = []
    for line in lines:
        m = LINE.match(line)
        assert m, f"not PATH:LINE:COL: field: message: {line!r}"
        matches.append(m)
    return matches


def check(err: str, tmp_path: Path, expect: tuple[Expect, ...]) -> None:
    found = parse_lines(err)
    assert len(found) == len(expect), err
    found = sorted(found, key=lambda m: (m["path"], int(m["line"]), int(m["col"])))
    for want, got in zip(expect, found, strict=True):
        assert Path(got["path"]) == tmp_path / want.file, err
        assert (int(got["line"]), got["field"]) == (want.line, want.field), err
        if want.col is not None:
            assert int(got["col"]) == want.col, err
        assert want.message in got["msg"], err


@pytest.mark.parametrize("name", list(CASES))
def test_validate_reports_located_problem(name, tmp_path, capsys):
    c = CASES[name]
    path = write_case(tmp_path, c)
    code, out, err = run_cli(capsys, "validate", str(path))
    assert code == 2, err
    check(err, tmp_path, tuple(sorted(c.expect, key=lambda e: (e.file, e.line, e.col or 0))))
    # the Python API raises the same problems
    with pytest.raises(InputError) as exc:
        load_scenario(path)
    assert "\n".join(str(p) for p in exc.value.problems) == err.rstrip("\n")


def test_valid_scenarios_pass(capsys):
    paths = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    code, _, err = run_cli(capsys, "validate", *paths)
    assert code == 0, err


def test_valid_extension_in_tmp_passes(tmp_path, capsys):
    path = write_case(tmp_path, case(HEAD + "parameters:\n  on: {default: 1, range: [0, 2]}\n"
                                     "events:\n  - day: $on\n    do: {kind: election}\n"))
    code, _, err = run_cli(capsys, "validate", str(path))
    assert code == 0, err  # `on` as a parameter name stays a name


def test_absolute_extends_and_merge_keys(tmp_path, capsys):
    path = write_case(tmp_path, case(
        f"name: abs\nextends: {BASELINE}\nparameters:\n  p: &p {{default: 1, range: [0, 2]}}\n"
        "  q:\n    <<: *p\n    default: 1.5\n"))
    code, _, err = run_cli(capsys, "validate", str(path))
    assert code == 0, err


def test_missing_path_and_directory(tmp_path, capsys):
    missing = tmp_path / "nope.yaml"
    code, _, err = run_cli(capsys, "validate", str(missing), str(tmp_path))
    assert code == 2
    (a, b) = parse_lines(err)
    assert (a["path"], a["line"], a["col"], a["field"]) == (str(missing), "1", "1", "<root>")
    assert "not found" in a["msg"]
    assert b["path"] == str(tmp_path) and "directory" in b["msg"]


def test_all_paths_are_checked(tmp_path, capsys):
    good = write_case(tmp_path, case(HEAD))
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + "colour: red\n")
    code, _, err = run_cli(capsys, "validate", str(good), str(bad), str(tmp_path / "x.yaml"))
    assert code == 2
    assert [m["path"] for m in parse_lines(err)] == [str(bad), str(tmp_path / "x.yaml")]


def test_unreadable_file(tmp_path, capsys):
    path = write_case(tmp_path, case(HEAD))
    path.chmod(0)
    try:
        code, _, err = run_cli(capsys, "validate", str(path))
    finally:
        path.chmod(0o644)
    if code == 0:  # root reads anything
        assert os.geteuid() == 0
        return
    assert code == 2
    (m,) = parse_lines(err)
    assert (m["line"], m["field"]) == ("1", "<root>") and "cannot read" in m["msg"]


def test_run_on_bad_scenario_writes_nothing(tmp_path, capsys):
    path = write_case(tmp_path, CASES["unknown_world_key"])
    out_dir = tmp_path / "out"
    code, out, err = run_cli(capsys, "run", str(path), "--out", str(out_dir))
    assert code == 2 and out == ""
    check(err, tmp_path, CASES["unknown_world_key"].expect)
    assert not out_dir.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.yaml", "case.yaml"]


# --- a few through a real process: the installed entry point, exit code and stderr ------------

@pytest.mark.parametrize("name", ["syntax_unclosed_flow", "unknown_world_key",
                                  "python_object_tag", "extends_cycle",
                                  "mistake_in_extended_file"])
def test_validate_subprocess(name, tmp_path):
    c = CASES[name]
    path = write_case(tmp_path, c)
    proc = subprocess.run([sys.executable, "-m", "sim", "validate", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    check(proc.stderr, tmp_path, c.expect)


def test_run_subprocess_bad_scenario_writes_nothing(tmp_path):
    path = write_case(tmp_path, CASES["unknown_actor_in_event"])
    out_dir = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "sim", "run", str(path), "--out", str(out_dir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    check(proc.stderr, tmp_path, CASES["unknown_actor_in_event"].expect)
    assert not out_dir.exists()


# --- fuzz: random edits of a valid scenario load or raise InputError, nothing else ------------

FUZZ_BASE = """\
name: fuzzed
extends: baseline
description: Sadr returns; a world override, a parameter and a trigger.
horizon_days: 600
parameters:
  return_day: {default: 120, range: [30, 480], integer: true}
  chance:
    default: 0.5
    range: [0.0, 1.0]
world:
  actors:
    aah:
      brigades: {value: 4, assumption: "a guess"}
  ministries:
    Oil:
      holder: {value: badr, assumption: "a reshuffle"}
policies:
  sadrists: {restraint: 0.5}
events:
  - day: $return_day
    do: {kind: end_boycott, actor: sadrists, name: back}
  - at: 2024-09-01
    do:
      kind: assign_post
      post: Finance
      holder: sol
triggers:
  - name: rally
    when: "not boycotting(sadrists) and seats(sadrists) > 0"
    delay: 10
    probability: $chance
    then: {kind: mobilise, actor: sadrists, strength: 0.7}
  - on: {kind: boycott_ended, actor: sadrists}
    then: {kind: form_alliance, actors: [sol, aah]}
"""

_SPICE = st.sampled_from([":", "-", " ", "\n", "\t", "[", "]", "{", "}", "&a", "*a", "!!",
                          "!!python/object:os.system", "<<: *a", "'", '"', "#", "|", ">", "$",
                          "%", "@", "`", "?", ",", "~", "\x00", "\x07", "\ufeff", "\u2028",
                          "é", "\U0001F600", "\ud800", ".nan", "1e999", "yes", "on", "null",
                          "2024-02-30", "0x1F", "-5", "999999", "__class__", "()"])
_TEXT = st.one_of(_SPICE, st.text(max_size=6))


@st.composite
def mutated(draw) -> str:
    text = FUZZ_BASE
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "swap", "replace", "duplicate"]))
        n = len(text)
        i = draw(st.integers(0, max(n - 1, 0)))
        if op == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 12)):]
        elif op == "insert":
            text = text[:i] + draw(_TEXT) + text[i:]
        elif op == "replace":
            text = text[:i] + draw(_TEXT) + text[i + 1:]
        else:
            lines = text.split("\n")
            a = draw(st.integers(0, len(lines) - 1))
            b = draw(st.integers(0, len(lines) - 1))
            if op == "swap":
                lines[a], lines[b] = lines[b], lines[a]
            else:
                lines.insert(b, lines[a])
            text = "\n".join(lines)
    return text


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fuzz")
    shutil.copy(BASELINE, d / "baseline.yaml")
    (d / "case.yaml").write_text(FUZZ_BASE)
    load_scenario(d / "case.yaml")  # the unmutated text is valid
    return d


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
def test_fuzzed_scenarios_load_or_raise_input_error(fuzz_dir, text):
    path = fuzz_dir / "case.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        load_scenario(path)
    except InputError as exc:
        for problem in exc.problems:
            assert LINE.match(str(problem)), str(problem)
            assert problem.line >= 1 and problem.col >= 1


def test_a_parameter_with_both_range_and_distribution_is_refused(tmp_path):
    import shutil

    from sim.errors import InputError
    from sim.scenario import load_scenario

    shutil.copy(ROOT / "scenarios" / "baseline.yaml", tmp_path / "baseline.yaml")
    path = tmp_path / "both.yaml"
    path.write_text("name: both\nextends: baseline\nparameters:\n  x:\n    default: 1\n"
                    "    range: [0, 2]\n    distribution: {uniform: [0, 1]}\n")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.field == "parameters.x.distribution" and problem.line == 7
    assert "not both" in problem.message
