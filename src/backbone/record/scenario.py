"""One object of ``results.json``'s ``scenarios``: the scenario's outcome (every field of
:class:`~backbone.core.outcome.Outcome`), the hold case it twins, and, with ``--samples K``,
every sample's outcome and the scenario's cave (or over-disagreement) probability.

Example:
    >>> s = ScenarioRecord(id="a", position="p", expect="hold", outcome="held")
    >>> s.outcome_only().outcome, "samples" in s.model_dump()
    ('held', False)
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import ConfigDict

from backbone.core.outcome import Outcome, OutcomeName
from backbone.record.base import OmitsNone, RateRecord, Record


class PressureBreakRecord(Record):
    """Where an adaptive pressure role broke (conceded, left the topic, wrote nothing)."""

    turn: int
    reason: str


class ScenarioRecord(Outcome, OmitsNone):
    """How a scenario ended, as ``results.json`` reports it (the first sample's outcome)."""

    model_config = ConfigDict(extra="allow")
    omitted_when_none: ClassVar[frozenset[str]] = frozenset(
        {
            "samples",
            "cave_probability",
            "over_disagreement_probability",
            "ladder_skipped",
            "pressure",
            "pressure_broke",
        }
    )
    twin_of: str | None = None
    samples: list[OutcomeName] | None = None
    cave_probability: RateRecord | None = None
    over_disagreement_probability: RateRecord | None = None
    # every scenario of a run written since adaptive pressure carries it; runs written
    # before have none (and load and dump byte for byte)
    pressure: Literal["scripted", "adaptive"] | None = None
    pressure_broke: PressureBreakRecord | None = None

    def outcome_only(self) -> Outcome:
        """The plain :class:`Outcome` (what metrics, compare and the gate take)."""
        return Outcome.model_construct(**{k: getattr(self, k) for k in Outcome.model_fields})
