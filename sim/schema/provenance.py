"""Where a record's numbers come from, given beside them rather than around each one.

The world cites most numbers one by one (`sim.schema.world.Cited`).  Some records are read as a
whole and rest on one reason (an actor's stance on an issue: position and salience; a list's
vote management), and a scenario's event or trigger defines its numbers for the what-if: those
carry their provenance as fields of the record itself, `seed` ("Section | key phrase" in the
seed article), `external` (a key of shared/FACTS.md or of the world's `sources` registry) or
`assumption` (the analyst's reason).  At most one; a record with none is still read, and a run
lists its numbers in `summary.assumptions` as given without a reason.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator


class Sourced(BaseModel):
    """A record whose numbers share one provenance (at most one of seed / external /
    assumption)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    seed: str | None = None
    external: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _at_most_one_source(self) -> Sourced:
        given = [k for k in ("seed", "external", "assumption") if getattr(self, k)]
        if len(given) > 1:
            raise ValueError("give at most one provenance: seed, external or assumption")
        if self.seed is not None and "|" not in self.seed:
            raise ValueError("seed provenance is 'Section | key phrase'")
        return self

    @property
    def provenance(self) -> str | None:
        """'seed', 'external', 'assumption', or None for a record given without one."""
        if self.seed:
            return "seed"
        if self.external:
            return "external"
        return "assumption" if self.assumption else None
