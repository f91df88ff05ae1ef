"""Everything `run` would refuse, `validate` refuses first: one located line each, exit 2.

Issue 11's cases (out-of-range knobs and action values, world overrides that break the
world's consistency, a start date with no room for the horizon, a cadence or delay that would
stop the clock, self-referencing YAML aliases, FIFOs and devices) each give exactly one
``PATH:LINE:COL: field: message`` line.  The same scenario is also handed to `run`, which must
refuse it with the same line and write nothing.  A few accepted spellings (`law: 2013`
unquoted) and the command-line rules shared by `run`, `compare` and `sweep` are checked too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_validate import HEAD, Case, E, case, check, parse_lines, run_cli, write_case

WORLD = HEAD + "world:\n"
GOV = WORLD + "  governorates:\n"
VOTES = WORLD + "  votes:\n"

CASES: dict[str, Case] = {
    # --- policy knobs: ranges from the catalogue --------------------------------------------
    "knob_restraint_2": case(HEAD + "policies: {sadrists: {restraint: 2}}\n",
                             E(3, "policies.sadrists.restraint", "between 0 and 1 (got 2)",
                               col=23)),
    "cited_knob_out_of_range": case(
        HEAD + "policies:\n  sadrists:\n    restraint: {value: 2, assumption: \"x\"}\n",
        E(5, "policies.sadrists.restraint", "between 0 and 1 (got 2)")),
    "cited_knob_unknown_field": case(
        HEAD + "policies:\n  sol:\n    law_push: {value: 0.5, why: \"x\"}\n",
        E(5, "policies.sol.law_push.why", "unknown field 'why'")),
    "cited_knob_two_sources": case(
        HEAD + "policies:\n  sol:\n    law_push: {value: 0.5, assumption: x, seed: \"a | b\"}\n",
        E(5, "policies.sol.law_push", "at most one provenance")),
    "cited_knob_without_value": case(
        HEAD + "policies:\n  sol:\n    law_push: {assumption: x}\n",
        E(5, "policies.sol.law_push.value", "missing required field 'value'")),
    "knob_in_set_policy": case(HEAD + "events:\n  - day: 3\n    do: {kind: set_policy, actor: aah, "
                               "params: {dispute_aversion: -1}}\n",
                               E(5, "events.0.do.params.dispute_aversion", "between 0 and 1")),
    "knob_param_range_too_wide": case(
        HEAD + "parameters:\n  r: {default: 0.5, range: [0, 5]}\npolicies: {sadrists: "
        "{restraint: $r}}\n",
        E(5, "policies.sadrists.restraint", "must be between 0 and 1")),
    "engine_knob_param_range": case(
        HEAD + "parameters:\n  vote_noise: {default: 0.1, range: [0, 50]}\n",
        E(4, "parameters.vote_noise.range", "engine knob")),
    "world_policy_knob_out_of_range": case(
        WORLD + "  actors:\n    aah:\n      policy: {kind: khazali, params: {post_seeking: 7}}\n",
        E(6, "world.actors.aah.policy.params.post_seeking", "between 0 and 1 (got 7)")),
    "world_policy_cadence_tiny": case(
        WORLD + "  actors:\n    aah:\n      policy: {kind: khazali, cadence: 1.0e-300}\n",
        E(6, "world.actors.aah.policy.cadence", "at least 1")),
    # --- action values: ranges declared on the action fields --------------------------------
    "mobilise_1_5": case(HEAD + "events:\n  - day: 3\n    do: {kind: mobilise, actor: sadrists, "
                         "strength: 1.5}\n",
                         E(5, "events.0.do.strength", "at most 1 (got 1.5)", col=43)),
    "mobilise_minus_5": case(HEAD + "events:\n  - day: 3\n    do: {kind: mobilise, actor: "
                             "sadrists, strength: -5}\n",
                             E(5, "events.0.do.strength", "at least 0 (got -5)", col=43)),
    "propose_law_minus_1e308": case(
        HEAD + "events:\n  - day: 3\n    do: {kind: propose_law, actor: sol, law: "
        "maliki_amendment, proposal: -1.0e308}\n",
        E(5, "events.0.do.proposal", "at least 0")),
    "mobilise_param_too_wide": case(
        HEAD + "parameters:\n  s: {default: 0.5, range: [0, 2]}\nevents:\n  - day: 3\n"
        "    do: {kind: mobilise, actor: sadrists, strength: $s}\n",
        E(7, "events.0.do.strength", "between 0 and 1")),
    "trigger_delay_1e_300": case(HEAD + "triggers:\n  - when: day > 3\n    delay: 1.0e-300\n"
                                 "    then: {kind: election}\n",
                                 E(5, "triggers.0.delay", "at least 0.01 days", col=5)),
    # --- world numbers and consistency after overrides -----------------------------------------
    "governorate_seats_changed": case(
        GOV + "    Wasit: {seats: {value: 11, external: IPU-PARLINE}}\n",
        E(4, "world.governorates", "sum to 328, not the parliament's size 329", col=3)),
    "governorate_seats_huge": case(
        GOV + "    Wasit: {seats: {value: 100000000, external: IPU-PARLINE}}\n",
        E(5, "world.governorates.Wasit.seats.value", "at most 1000")),
    "turnout_nan": case(VOTES + "    turnout: {value: .nan, assumption: x}\n",
                        E(5, "world.votes.turnout.value", "finite")),
    "turnout_minus_1": case(VOTES + "    turnout: {value: -1, assumption: x}\n",
                            E(5, "world.votes.turnout.value", "greater than 0 (got -1)")),
    "voters_per_seat_0": case(VOTES + "    voters_per_seat: {value: 0, assumption: x}\n",
                              E(5, "world.votes.voters_per_seat.value", "at least 1 (got 0)")),
    "shares_1e308": case(VOTES + "    shares:\n      Basra: {sol: 1.0e308}\n",
                         E(6, "world.votes.shares.Basra.sol", "at most 1")),
    "districts_0": case(WORLD + "  laws:\n    2020_sntv: {districts: 0}\n",
                        E(5, "world.laws.2020_sntv.districts", "at least 1 (got 0)")),
    "first_divisor_0": case(WORLD + "  laws:\n    2013: {first_divisor: 0}\n",
                            E(5, "world.laws.2013.first_divisor", "greater than 0 (got 0)")),
    "first_divisor_on_dhondt": case(WORLD + "  laws:\n    maliki_amendment: {first_divisor: 2}\n",
                                    E(5, "world.laws.maliki_amendment.first_divisor",
                                      "only to sainte-lague")),
    "confidence_quota_above_size": case(
        WORLD + "  parliament:\n    confidence_quota: {value: 400, assumption: x}\n",
        E(5, "world.parliament.confidence_quota", "400 is more than the parliament's 329")),
    "duplicated_bloc_members": case(
        WORLD + "  actors:\n    cf:\n      members: [aah, sol, aah]\n",
        E(6, "world.actors.cf.members.2", "'aah' is listed twice")),
    "duplicated_government_members": case(
        WORLD + "  government:\n    members: {value: [sol, sol, aah], assumption: x}\n",
        E(5, "world.government.members.1", "'sol' is listed twice")),
    "quota_above_seats": case(
        GOV + "    Erbil: {quota: {babylon: 16}}\n",
        E(5, "world.governorates.Erbil.quota.babylon", "between 0 and the governorate's")),
    "quotas_sum_above_seats": case(
        GOV + "    Erbil: {quota: {babylon: 8, minorities: 8}}\n",
        E(5, "world.governorates.Erbil.quota", "sum to 16, more than the governorate's 15")),
    "capability_nan": case(WORLD + "  actors:\n    aah:\n      capability: {value: .nan, "
                           "assumption: x}\n",
                           E(6, "world.actors.aah.capability.value", "finite")),
    "capability_huge": case(WORLD + "  actors:\n    aah:\n      capability: {value: 1.0e308, "
                            "assumption: x}\n",
                            E(6, "world.actors.aah.capability.value", "at most 1")),
    "start_date_9999": case(HEAD + "start_date: 9999-12-30\n",
                            E(3, "start_date", "leaves no room for the", col=1)),
    "behaviour_cadence_tiny": case(
        WORLD + "  behaviour:\n    incumbency.cadence_days: {value: 1.0e-300, assumption: x}\n",
        E(5, "world.behaviour.incumbency.cadence_days.value", "between 1 and 3650")),
    "too_many_parties": case(
        WORLD + "  actors:\n"
        + "".join(f"    p{i}: {{name: P{i}, kind: party, colour: '#000000'}}\n" for i in range(45))
        + "  parliament:\n    seats:\n" + "".join(f"      p{i}: {{value: 0, assumption: x}}\n"
                                                 for i in range(45)),
        E(51, "world.parliament.seats", "63 parties hold or contest seats; at most 60")),
    # --- YAML -------------------------------------------------------------------------------
    "self_referencing_alias": case(HEAD + "description: &x [*x]\n",
                                   E(3, "<root>", "self-referencing anchor")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_refused_with_one_located_line(name, tmp_path, capsys):
    c = CASES[name]
    path = write_case(tmp_path, c)
    code, out, err = run_cli(capsys, "validate", str(path))
    assert code == 2, err
    check(err, tmp_path, c.expect)
    # `run` refuses exactly the same way, before running, and writes nothing
    code, out, run_err = run_cli(capsys, "run", str(path), "--out", str(tmp_path / "out"))
    assert code == 2 and out == "" and run_err == err
    assert not (tmp_path / "out").exists()


def test_all_layers_of_a_file_in_one_round(tmp_path, capsys):
    """An unknown field, a knob out of range, a broken world value, a seat sum that no longer
    holds and an unknown actor: one round reports all five."""
    path = write_case(tmp_path, case(
        HEAD + "horizon: 3\npolicies: {sadrists: {restraint: 2}}\nworld:\n  votes:\n"
        "    turnout: {value: -1, assumption: x}\n  governorates:\n"
        "    Wasit: {seats: {value: 11, external: IPU-PARLINE}}\nevents:\n  - day: 3\n"
        "    do: {kind: withdraw, actor: nobody}\n"))
    code, _, err = run_cli(capsys, "validate", str(path))
    assert code == 2
    fields = [m["field"] for m in parse_lines(err)]
    assert fields == ["horizon", "policies.sadrists.restraint", "world.votes.turnout.value",
                      "world.governorates", "events.0.do.actor"], err


def test_law_2013_unquoted_is_the_law_2013(tmp_path, capsys):
    path = write_case(tmp_path, case(
        HEAD + "world:\n  election_law: 2013\nevents:\n  - day: 3\n"
        "    do: {kind: change_law, law: 2013}\n  - day: 4\n    do: {kind: election, law: 2013}\n"
        "triggers:\n  - when: law == 2013\n    then: {kind: shift_support, actor: sol, "
        "delta: 0.01}\n"))
    code, _, err = run_cli(capsys, "validate", str(path))
    assert code == 0, err
    import sim

    run = sim.run(sim.load_scenario(path), seed=1, until=10)
    assert run.summary["election_law"] == "2013"
    assert any(e.kind == "trigger_fired" for e in run.events)  # `law == 2013` held


@pytest.mark.parametrize("typed, meant", [("sadr", "sadrists"), ("khazali", "aah"),
                                          ("badrr", "badr")])
def test_a_misnamed_actor_suggests_the_actor_meant(typed, meant, tmp_path, capsys):
    """By id prefix, by a word of the actor's name or leader, then by spelling."""
    path = write_case(tmp_path, case(HEAD + f"triggers:\n  - when: seats({typed}) > 3\n"
                                     "    then: {kind: election}\n"))
    code, _, err = run_cli(capsys, "validate", str(path))
    (m,) = parse_lines(err)
    assert f"did you mean '{meant}'?" in m["msg"], m["msg"]


def test_a_bad_file_never_stops_the_others(tmp_path, capsys):
    alias = tmp_path / "alias.yaml"
    alias.write_text("x: &x [*x]\n")
    good = write_case(tmp_path, case(HEAD))
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + "policies: {sadrists: {restraint: 2}}\n")
    code, _, err = run_cli(capsys, "validate", str(alias), str(good), str(bad))
    assert code == 2
    assert [m["path"] for m in parse_lines(err)] == [str(alias), str(bad)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    code, _, err = run_cli(capsys, "validate", str(fifo), "/dev/null")
    assert code == 2
    a, b = parse_lines(err)
    assert a["path"] == str(fifo) and "FIFO" in a["msg"] and "not a regular file" in a["msg"]
    assert b["path"] == "/dev/null" and "device" in b["msg"]


# --- the command line: one rule for seeds, counts and --set ----------------------------------

BIG = "99999999999999999999999999999999"


@pytest.mark.parametrize("argv, option, message", [
    (["run", "{s}", "--seed", str(2**63)], "--seed", "between 0 and"),
    (["compare", "{s}", "--seed", str(2**63)], "--seed", "between 0 and"),
    (["sweep", "{s}", "--seed", str(2**63), "--out", "{o}"], "--seed", "between 0 and"),
    (["compare", "{s}", "-r", BIG], "--replications", "between 1 and 10000"),
    (["compare", "{s}", "-r", "0"], "--replications", "between 1 and 10000"),
    (["compare", "{s}", "-r", "2", "--seed", str(2**63 - 1)], "--replications",
     "largest seed"),
    (["run", "{s}", "--set", "vote_noise=0.1", "--set", "vote_noise=0.2"], "--set",
     "given twice"),
    (["run", "{s}", "--set", "n=1.5"], "parameters.n", "not a whole number"),
    (["run", "{s}", "--max-seconds", "nan"], "--max-seconds", "between 0 and"),
    (["run", "{s}", "--max-seconds", "0"], "--max-seconds", "between 0 and"),
])
def test_command_line_bounds(argv, option, message, tmp_path, capsys):
    path = write_case(tmp_path, case(HEAD + "parameters:\n  n: {default: 2, range: [1, 5], "
                                     "integer: true}\n"))
    args = [a.format(s=path, o=tmp_path / "sweep") for a in argv]
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and out == ""
    (m,) = parse_lines(err)
    assert (m["path"], m["field"]) == ("<command line>", option), err
    assert message in m["msg"], err
    assert not (tmp_path / "sweep").exists()


def test_largest_seed_is_the_same_for_run_compare_and_sweep(tmp_path):
    import sim
    from sim.limits import MAX_SEED

    sc = sim.load_scenario(write_case(tmp_path, case(HEAD)))
    assert sim.run(sc, seed=MAX_SEED, until=5).seed == MAX_SEED
    with pytest.raises(sim.InputError):
        sim.run(sc, seed=MAX_SEED + 1, until=5)


def test_world_ranges_are_declared_once(tmp_path):
    """The loader reads an action's range back from its declaration (no second copy)."""
    from sim.schema.scenario import Mobilise, ProposeLaw, SetRelationship, Trigger, number_range

    assert number_range(Mobilise, "strength") == (0.0, 1.0)
    assert number_range(ProposeLaw, "proposal") == (0.0, 100.0)
    assert number_range(SetRelationship, "weight") == (-1.0, 1.0)
    assert number_range(Trigger, "probability") == (0.0, 1.0)
    assert number_range(Mobilise, "actor") is None


def test_every_knob_has_a_range_holding_its_default():
    from sim.catalogue import POLICY_KNOB_RANGES, POLICY_KNOBS
    from sim.institutions.knobs import KNOB_RANGES, KNOBS

    assert set(KNOB_RANGES) == set(KNOBS)
    for name, default in KNOBS.items():
        lo, hi = KNOB_RANGES[name]
        assert lo <= default <= hi, name
    for kind, knobs in POLICY_KNOBS.items():
        assert set(POLICY_KNOB_RANGES[kind]) == set(knobs)
        for knob, default in knobs.items():
            lo, hi = POLICY_KNOB_RANGES[kind][knob]
            assert lo <= default <= hi, (kind, knob)


def test_the_real_world_uses_its_knobs_within_range():
    """The shipped world's own policy knobs lie in their declared ranges."""
    import yaml

    from sim.catalogue import knob_range

    world = yaml.safe_load((Path(__file__).resolve().parents[1] / "seeds" / "world.yaml")
                           .read_text())
    for actor in world["actors"].values():
        policy = actor.get("policy")
        for knob, cited in ((policy or {}).get("params") or {}).items():
            value = cited["value"] if isinstance(cited, dict) else cited
            lo, hi = knob_range(policy["kind"], knob)
            assert lo <= value <= hi, (policy["kind"], knob, value)


def test_a_value_outside_what_its_fields_accept_is_refused_before_running(tmp_path, capsys):
    """A normal-distribution parameter has no hard range; the fields it sets do."""
    path = write_case(tmp_path, case(
        HEAD + "parameters:\n  s: {default: 0.5, distribution: {normal: {mean: 0.5, sd: 0.1}}}\n"
        "events:\n  - day: 3\n    do: {kind: mobilise, actor: sadrists, strength: $s}\n"))
    code, out, err = run_cli(capsys, "run", str(path), "--set", "s=5")
    assert code == 2 and out == ""
    (m,) = parse_lines(err)
    assert (m["field"], m["path"]) == ("parameters.s", "<command line>")
    assert "outside 0 .. 1" in m["msg"] and "strength" in m["msg"]
    code, _, err = run_cli(capsys, "run", str(path), "--set", "s=0.9", "--json")
    assert code == 0, err


def test_the_world_behaviour_constants_lie_in_their_declared_ranges():
    import yaml

    from sim.catalogue import BEHAVIOUR_RANGES

    world = yaml.safe_load((Path(__file__).resolve().parents[1] / "seeds" / "world.yaml")
                           .read_text())
    for name, cited in world.get("behaviour", {}).items():
        if name in BEHAVIOUR_RANGES:
            lo, hi = BEHAVIOUR_RANGES[name]
            assert lo <= cited["value"] <= hi, name
