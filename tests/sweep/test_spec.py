import pytest

from sim.errors import InputError
from sim.sweep.spec import (
    Choices,
    Distributed,
    Fixed,
    Range,
    coerce_spec,
    parse_sets,
    parse_spec,
    resolve,
)
from tests.sweep import fakes


def test_parse_range_list_and_value():
    assert parse_spec("x", "0.1:0.9") == Range(0.1, 0.9)
    assert parse_spec("x", "-1:1") == Range(-1.0, 1.0)
    assert parse_spec("x", "1,2,3") == Choices((1.0, 2.0, 3.0))
    assert parse_spec("x", " 7 ") == Fixed(7.0)
    assert parse_spec("d", "0:90", integer=True) == Range(0, 90)


@pytest.mark.parametrize("text", ["", "1:2:3", "a:b", "2:1", "1:1", "1,x", "1,1", "nan", "inf"])
def test_malformed_specs_are_one_line_input_errors(text):
    with pytest.raises(InputError) as exc:
        parse_spec("x", text)
    (problem,) = exc.value.problems
    assert problem.field == "--set" and "x" in problem.message
    assert "\n" not in str(exc.value)


def test_integer_parameter_refuses_fractions():
    with pytest.raises(InputError, match="not an integer"):
        parse_spec("delay", "1.5", integer=True)


def test_parse_sets():
    assert parse_sets(["a=1:2", "b = 3"]) == {"a": "1:2", "b": " 3"}
    for bad in (["a"], ["=1"], ["a=1", "a=2"]):
        with pytest.raises(InputError):
            parse_sets(bad)


def test_python_specs():
    assert coerce_spec("x", (0, 1)) == Range(0.0, 1.0)
    assert coerce_spec("x", [1, 2]) == Choices((1.0, 2.0))
    assert coerce_spec("x", 3) == Fixed(3.0)
    assert coerce_spec("x", "0:1") == Range(0.0, 1.0)
    with pytest.raises(InputError):
        coerce_spec("x", {"a": 1})


def test_unknown_name_lists_declared_ones():
    with pytest.raises(InputError) as exc:
        resolve(fakes.TOY.parameters, {"turnuot": "0:1"})
    message = exc.value.problems[0].message
    assert "turnuot" in message and "turnout, sadr_strength, delay" in message


def test_without_specs_the_declared_ranges_are_swept_in_declaration_order():
    specs = resolve(fakes.TOY.parameters, None)
    assert list(specs) == ["turnout", "sadr_strength", "delay"]
    assert specs["delay"] == Range(0, 90)
    specs = resolve(fakes.TOY.parameters, {"delay": "5", "turnout": "0.3,0.4"})
    assert list(specs) == ["turnout", "delay"]


def test_declared_distributions_become_specs():
    from types import SimpleNamespace as NS

    normal = NS(range=None, distribution=NS(uniform=None, normal={"mean": 1, "sd": 2},
                                            triangular=None), default=1)
    spec = resolve({"k": normal}, None)["k"]
    assert spec == Distributed("normal", (1, 2))
    assert spec.levels(3)[1] == pytest.approx(1.0)
