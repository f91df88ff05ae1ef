"""How long does one national election take under each law?

Builds realistic input from ``seeds/world.yaml``: the 18 governorate magnitudes and quota seats,
the potential vote shares (with a seeded +-10% wobble per list, so that every input differs),
``voters_per_seat * turnout`` valid votes per seat, and the ``fragments`` of `vote_management`
(independents run as 12 lists ``independents#i``, others as 6), exactly as the engine feeds
`national_election`.  Prints milliseconds per national election for each law.
Run: ``.venv/bin/python benchmarks/bench_elections.py [--repeats N] [--inputs K]
[--module PATH]``; ``--module`` times another copy of ``elections.py`` (e.g. an older one) for a
before/after comparison, and checks that it gives the same parliaments as the package's.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LAWS = ("2023_sl17", "maliki_amendment", "2020_sntv")


def load_module(path: str | None) -> ModuleType:
    if path is None:
        from sim.mechanics import elections

        return elections
    spec = importlib.util.spec_from_file_location("elections_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def build_inputs(world: dict, mod: ModuleType, k: int) -> list[tuple]:
    """k different vote tables, each with magnitudes, quota seats and vote management."""
    govs = world["governorates"]
    magnitudes = {g: spec["seats"]["value"] for g, spec in govs.items()}
    # a quota seat count is cited like any world number ({value: n, external: ...}) or bare
    quota = {g: {who: n["value"] if isinstance(n, dict) else n
                 for who, n in spec["quota"].items()}
             for g, spec in govs.items() if spec.get("quota")}
    per_seat = world["votes"]["voters_per_seat"]["value"] * world["votes"]["turnout"]["value"]
    vm_spec = world["vote_management"]
    fragments = {p: v.get("fragments", 1) for p, v in vm_spec.items()}
    vm = {
        p: mod.VoteManagement(Fraction(str(v["nomination"])), Fraction(str(v["evenness"])))
        for p, v in vm_spec.items()
    }
    inputs = []
    for seed in range(k):
        rng = random.Random(seed)
        votes: dict[str, dict[str, int]] = {}
        for gov, shares in world["votes"]["shares"].items():
            raw = {p: s * rng.uniform(0.9, 1.1) for p, s in shares.items()}
            total = sum(raw.values())
            valid = per_seat * magnitudes[gov]
            row: dict[str, int] = {}
            for p, x in raw.items():
                v = int(round(valid * x / total))
                n = fragments.get(p, 1)
                if n <= 1:
                    row[p] = v
                else:  # same rule as sim.institutions.fragment
                    for i in range(n):
                        row[f"{p}#{i}"] = v // n + (1 if i < v % n else 0)
            votes[gov] = row
        vm_out = dict(vm)
        for p, n in fragments.items():
            for i in range(n if n > 1 else 0):
                vm_out[f"{p}#{i}"] = vm[p]
        inputs.append((votes, magnitudes, quota, vm_out))
    return inputs


def law_from_world(world: dict, mod: ModuleType, name: str):
    spec = world["laws"][name]
    fd = spec.get("first_divisor")
    return mod.ElectionLaw(
        name,
        spec["method"],
        Fraction(str(fd)) if fd is not None else None,
        spec.get("districting", "governorate"),
        spec.get("districts"),
    )


def time_law(mod: ModuleType, law, inputs: list[tuple], repeats: int) -> float:
    """Median milliseconds per national election over `repeats` passes through the inputs."""
    for args in inputs:  # warm-up
        mod.national_election(args[0], args[1], law, args[2], args[3])
    per_call = []
    for _ in range(repeats):
        start = time.perf_counter()
        for votes, magnitudes, quota, vm in inputs:
            mod.national_election(votes, magnitudes, law, quota, vm)
        per_call.append((time.perf_counter() - start) / len(inputs))
    return statistics.median(per_call) * 1000


def fields(result) -> tuple:
    """A result's content (results of two module copies are different classes)."""
    return (result.law, result.seats, result.by_governorate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--inputs", type=int, default=20, help="different vote tables")
    parser.add_argument("--module", help="path of another elections.py to time")
    args = parser.parse_args()

    world = yaml.safe_load((ROOT / "seeds/world.yaml").read_text())
    current = load_module(None)
    other = load_module(args.module) if args.module else None
    print(f"{args.inputs} inputs x {args.repeats} repeats; ms per national election")
    for name in LAWS:
        row = [f"{name:18s}"]
        for label, mod in (("package", current), ("--module", other)):
            if mod is None:
                continue
            law = law_from_world(world, mod, name)
            inputs = build_inputs(world, mod, args.inputs)
            row.append(f"{label} {time_law(mod, law, inputs, args.repeats):8.2f} ms")
        if other is not None:
            a_law, b_law = law_from_world(world, current, name), law_from_world(world, other, name)
            same = all(
                fields(current.national_election(a[0], a[1], a_law, a[2], a[3]))
                == fields(other.national_election(b[0], b[1], b_law, b[2], b[3]))
                for a, b in zip(
                    build_inputs(world, current, args.inputs),
                    build_inputs(world, other, args.inputs),
                    strict=True,
                )
            )
            row.append("same results" if same else "RESULTS DIFFER")
        print("  ".join(row))


if __name__ == "__main__":
    main()
