import numpy as np
import pytest

from sim.errors import InputError
from sim.sweep.design import Design, SweepSpec, run_seed
from sim.sweep.spec import Choices, Fixed, Range, resolve
from tests.sweep import fakes


def design(parameters, **kw):
    return Design(SweepSpec(resolve(fakes.TOY.parameters, parameters), **kw),
                  fakes.TOY.parameters)


def test_grid_is_product_of_levels_and_lists_with_defaults_elsewhere():
    d = design({"turnout": "0.2:0.8", "delay": "0,30"}, n=3, replications=2)
    assert d.n_points == 6 and d.n_runs == 12
    assert [d.values(i)["turnout"] for i in range(3)] == pytest.approx([0.2, 0.5, 0.8])
    assert {d.values(i)["delay"] for i in range(6)} == {0, 30}
    assert all(d.values(i)["sadr_strength"] == 1.0 for i in range(6))
    r = d.run(5)
    assert (r.point, r.replication) == (2, 1)
    assert isinstance(d.values(0)["delay"], int)


def test_integer_levels_are_rounded_and_unique():
    d = design({"delay": "0:2"}, n=5)
    assert [d.values(i)["delay"] for i in range(d.n_points)] == [0, 1, 2]


def test_seeds_come_from_seedsequence_keyed_by_point_and_replication():
    child = np.random.SeedSequence(7, spawn_key=(1, 3, 2))
    assert run_seed(7, 3, 2) == int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
    seeds = [design(None, n=2, seed=7).run(i).seed for i in range(8)]
    assert len(set(seeds)) == 8 and all(0 <= s < 2**63 for s in seeds)


def test_adding_replications_keeps_every_existing_seed():
    two = design({"turnout": "0:1"}, n=3, replications=2)
    five = design({"turnout": "0:1"}, n=3, replications=5)
    old = {(r.point, r.replication): r.seed for r in two.runs()}
    new = {(r.point, r.replication): r.seed for r in five.runs()}
    assert all(new[k] == v for k, v in old.items())


def test_common_random_numbers_share_seeds_across_points():
    d = design({"turnout": "0:1"}, n=3, replications=2, crn=True)
    by_rep = {}
    for r in d.runs():
        by_rep.setdefault(r.replication, set()).add(r.seed)
    assert all(len(s) == 1 for s in by_rep.values()) and by_rep[0] != by_rep[1]


@pytest.mark.parametrize("sample", ["grid", "lhs", "sobol"])
def test_designs_are_deterministic(sample):
    a = design({"turnout": "0.2:0.8", "delay": "0:90"}, sample=sample, n=8, seed=3)
    b = design({"turnout": "0.2:0.8", "delay": "0:90"}, sample=sample, n=8, seed=3)
    c = design({"turnout": "0.2:0.8", "delay": "0:90"}, sample=sample, n=8, seed=4)
    assert np.array_equal(a.points, b.points)
    assert [r.seed for r in a.runs()] == [r.seed for r in b.runs()]
    if sample != "grid":
        assert not np.array_equal(a.points, c.points)
    t = a.points[:, a.names.index("turnout")]
    assert t.min() >= 0.2 and t.max() <= 0.8


def test_lhs_stratifies_and_lists_wrap_samples():
    d = design({"turnout": "0:1", "delay": "0,30"}, sample="lhs", n=10)
    assert d.n_points == 20
    t = d.points[:10, d.names.index("turnout")]
    assert sorted(np.floor(t * 10).astype(int)) == list(range(10))


def test_sobol_design_and_problem():
    d = design({"turnout": "0.2:0.8", "sadr_strength": "0.5:2"}, sample="sobol", n=16)
    assert d.n_points == 16 * (2 + 2)
    assert d.problem() == {"num_vars": 2, "names": ["turnout", "sadr_strength"],
                           "bounds": [[0.2, 0.8], [0.5, 2.0]], "dists": ["unif", "unif"]}


@pytest.mark.parametrize("kw, option", [
    ({"n": 0}, "--n"), ({"replications": 0}, "--replications"), ({"seed": -1}, "--seed"),
    ({"sample": "sobol", "n": 10}, "--n"), ({"sample": "bogus"}, "--sample"),
])
def test_bad_sizes(kw, option):
    with pytest.raises(InputError) as exc:
        SweepSpec({"turnout": Range(0, 1)}, **kw)
    assert exc.value.problems[0].field == option


def test_sobol_refuses_lists_and_no_ranges():
    with pytest.raises(InputError, match="not a list"):
        SweepSpec({"turnout": Choices((0.1, 0.2))}, sample="sobol")
    with pytest.raises(InputError, match="at least one"):
        SweepSpec({"turnout": Fixed(0.1)}, sample="sobol")


@pytest.mark.parametrize("parameters", [
    {"delay": "0,30,60"}, {"turnout": "0.3"}, {}, {"turnout": "0.3", "delay": "0,30"},
])
def test_designs_without_ranges(parameters):
    d = design(parameters, n=4, replications=3)
    lists = [len(v.split(",")) for v in parameters.values() if "," in v]
    assert d.n_points == (lists[0] if lists else 1) and d.n_runs == 3 * d.n_points
    assert d.values(0)["sadr_strength"] == 1.0


def test_a_huge_grid_is_counted_and_refused_not_built():
    declared = {f"p{i}": fakes.Param(0.5, (0.0, 1.0)) for i in range(8)}
    spec = SweepSpec(resolve(declared, None), n=150)
    with pytest.raises(InputError) as exc:
        Design(spec, declared, max_runs=100_000)
    problem = exc.value.problems[0]
    assert problem.field == "--max-runs" and "2.56e+17 points" in problem.message


def test_huge_integer_grid_counts_distinct_levels():
    d = design({"delay": "0:3"}, n=10**9)
    assert d.n_points == 4 and [d.values(i)["delay"] for i in range(4)] == [0, 1, 2, 3]


def test_points_are_computed_from_their_index_like_the_full_product():
    import itertools

    d = design({"turnout": "0.2:0.8", "sadr_strength": "0.5:2", "delay": "0,30"}, n=3)
    expected = [(dl, t, s) for dl in (0, 30)
                for t, s in itertools.product([0.2, 0.5, 0.8], [0.5, 1.25, 2.0])]
    got = [(v["delay"], v["turnout"], v["sadr_strength"]) for v in map(d.values, range(18))]
    assert np.allclose(np.array(got), np.array(expected))


def test_spec_json_round_trip():
    spec = SweepSpec(resolve(fakes.TOY.parameters, {"turnout": "0:1", "delay": "1,2"}),
                     sample="lhs", n=4, replications=3, seed=9)
    assert SweepSpec.from_json(spec.to_json()) == spec


def test_declared_distribution_is_sampled_through_its_quantiles():
    from types import SimpleNamespace as NS

    normal = NS(range=None, default=5.0, integer=False,
                distribution=NS(uniform=None, normal={"mean": 5.0, "sd": 2.0}, triangular=None))
    declared = {"k": normal}
    d = Design(SweepSpec(resolve(declared, None), sample="lhs", n=400), declared)
    values = d.points[:, 0]
    assert abs(values.mean() - 5.0) < 0.1 and abs(values.std() - 2.0) < 0.15
    sobol = Design(SweepSpec(resolve(declared, None), sample="sobol", n=8), declared)
    assert sobol.problem()["dists"] == ["norm"] and sobol.problem()["bounds"] == [[5.0, 2.0]]
