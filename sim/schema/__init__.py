"""Declarative data models (pydantic v2): the world and the scenario language.

Validation happens here, at the edge.  The engine works on plain objects built from these
models, never on pydantic instances per event.
"""

from sim.schema.scenario import EventSpec, Parameter, Scenario, Trigger
from sim.schema.world import Actor, Cited, Ministry, Post, World

__all__ = ["Actor", "Cited", "EventSpec", "Ministry", "Parameter", "Post", "Scenario",
           "Trigger", "World"]
