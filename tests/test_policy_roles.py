"""Behaviours and institutions name no party of one world: the parts they give others (the
partner a prime minister courts, the bloc a leader holds together, the power whose sanctions
reach the state, the movement that builds a cross-camp bloc) are cast by the world, actor by
actor (`policy.roles`, declared in `sim.catalogue.POLICY_ROLES`) or for the whole world
(`roles`, `WORLD_ROLES`), checked when the world loads; a part left uncast switches off the
moves that need it."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml

import sim
from sim.catalogue import POLICY_KNOB_SPECS, POLICY_ROLES, WORLD_ROLES
from sim.schema.world import World

ROOT = Path(__file__).resolve().parents[1]
SEED_WORLD = ROOT / "seeds" / "world.yaml"


def _data() -> dict[str, Any]:
    return yaml.safe_load(SEED_WORLD.read_text(encoding="utf-8"))


def test_every_behaviour_declares_its_roles() -> None:
    assert set(POLICY_ROLES) == set(POLICY_KNOB_SPECS)


def test_the_seed_world_casts_every_role_of_its_actors() -> None:
    world = World.model_validate(_data())
    assert world.reference_problems() == []
    for aid, actor in world.actors.items():
        if actor.policy is not None:
            assert set(actor.policy.roles) == set(POLICY_ROLES[actor.policy.kind]), aid


@pytest.mark.parametrize("role, cast, where, message", [
    ("best_friend", "aah", ("actors", "sudani", "policy", "roles", "best_friend"),
     "unknown role 'best_friend' for policy 'sudani'"),
    ("partner", "nobody", ("actors", "sudani", "policy", "roles", "partner"),
     "unknown actor 'nobody'"),
    ("partner", ["aah"], ("actors", "sudani", "policy", "roles", "partner"),
     "role 'partner' takes one actor"),
    ("patrons", "us", ("actors", "sudani", "policy", "roles", "patrons"),
     "role 'patrons' takes a list of actors"),
    ("patrons", ["us", "nobody"], ("actors", "sudani", "policy", "roles", "patrons", 1),
     "unknown actor 'nobody'"),
])
def test_a_miscast_role_is_refused_where_it_is_written(role: str, cast: Any,
                                                       where: tuple[Any, ...],
                                                       message: str) -> None:
    data = _data()
    data["actors"]["sudani"]["policy"]["roles"][role] = cast
    problems = dict(World.model_validate(data).reference_problems())
    assert message in problems[where]


def test_a_law_or_post_role_must_name_the_world_s_law_or_post() -> None:
    data = _data()
    data["actors"]["sol"]["policy"]["roles"]["amendment"] = "sol"  # an actor, not a law
    data["actors"]["aah"]["policy"]["roles"]["coveted_post"] = "ministry_of_magic"
    problems = dict(World.model_validate(data).reference_problems())
    assert "unknown law 'sol'" in problems[("actors", "sol", "policy", "roles", "amendment")]
    assert "unknown post 'ministry_of_magic'" in problems[
        ("actors", "aah", "policy", "roles", "coveted_post")]


def _string_literals(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings}


# the modules that make a run of any world (the calibration's hindcast measures are about
# Iraq's own record, and say so)
ENGINE_MODULES = [ROOT / "sim" / "policies.py", ROOT / "sim" / "actions.py",
                  ROOT / "sim" / "queries.py", ROOT / "sim" / "engine.py",
                  *sorted((ROOT / "sim" / "institutions").glob("*.py"))]


@pytest.mark.parametrize("path", ENGINE_MODULES, ids=lambda p: p.name)
def test_the_engine_names_no_actor_law_or_post_of_the_seed_world(path: Path) -> None:
    world = World.model_validate(_data())
    # behaviour kinds are archetypes of the seed (the registry's keys), not parties
    ids = (set(world.actors) | set(world.laws) | set(world.ministries) | set(world.posts)
           | set(world.roles.values())) - set(POLICY_KNOB_SPECS)
    named = _string_literals(path) & ids
    assert not named, f"{path.name} names {sorted(named)}: cast them as roles in the world"


def test_the_seed_world_casts_every_part_its_institutions_give() -> None:
    world = World.model_validate(_data())
    assert set(world.roles) == set(WORLD_ROLES)


@pytest.mark.parametrize("role, cast, message", [
    ("kingmaker", "sol", "unknown role 'kingmaker' for the world's institutions"),
    ("sanctioning_power", "nobody", "unknown actor 'nobody'"),
    ("premier_security_post", "sol", "unknown post 'sol'"),
    ("cross_camp_bloc", "cf", "'cf' is an actor's id"),
])
def test_a_miscast_world_role_is_refused(role: str, cast: str, message: str) -> None:
    data = _data()
    data["roles"][role] = cast
    problems = dict(World.model_validate(data).reference_problems())
    assert message in problems[("roles", role)]


def test_an_uncast_role_switches_off_its_moves(tmp_path: Path) -> None:
    """Without a partner or patrons cast, Sudani courts no one and reassures no one; the run
    goes on (the lists a role's moves would draw from are simply empty)."""
    data = _data()
    data["actors"]["sudani"]["policy"]["roles"] = {}
    (tmp_path / "seeds").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "seeds" / "world.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                  encoding="utf-8")
    scenario = tmp_path / "scenarios" / "baseline.yaml"
    scenario.write_text((ROOT / "scenarios" / "baseline.yaml").read_text(encoding="utf-8"),
                        encoding="utf-8")
    kinds = {e.kind for seed in range(3)
             for e in sim.run(sim.load_scenario(scenario), seed=seed).events
             if e.actor == "sudani"}
    cast = {e.kind for seed in range(3)
            for e in sim.run(sim.load_scenario(ROOT / "scenarios" / "baseline.yaml"),
                             seed=seed).events if e.actor == "sudani"}
    assert {"bloc_courted", "patron_balanced"} <= cast
    assert not kinds & {"bloc_courted", "patron_balanced", "alliance_formed"}
