"""The fake context of the institution tests implements the whole `sim.context.Context`
protocol, and so does the engine's `Model` (mypy checks both statically; this checks the names
at run time, so a member added to the protocol cannot be forgotten in the fake)."""

from __future__ import annotations

from sim.context import Context
from sim.engine import Model
from tests.institutions.fakes import FakeContext, tiny_world

MEMBERS = sorted(n for n in vars(Context) if not n.startswith("_"))


def test_the_protocol_is_small() -> None:
    assert len(MEMBERS) <= 20, MEMBERS


def test_the_fake_and_the_model_implement_every_member() -> None:
    fake = FakeContext(tiny_world())
    assert [n for n in MEMBERS if not hasattr(fake, n)] == []
    assert [n for n in MEMBERS if not hasattr(Model, n) and n not in
            ("state", "world", "params", "events", "history")] == []
