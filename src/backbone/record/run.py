"""The run record: everything a run produced, typed and versioned. ``results.json`` is its
dump (:meth:`RunRecord.results_json`), ``transcripts.jsonl`` the dump of its transcripts
(:meth:`RunRecord.transcripts_jsonl`); both are a stable contract that users' scripts read.

``schema_version`` changes only with a migration note. A record from a newer backbone loads
as long as its version is not newer than :data:`SCHEMA_VERSION`; keys it does not know are
kept and written back.

With ``--samples K`` (K > 1) every scenario is played K times. Each scenario object still
reports one ``outcome`` (and ``flip_turn``, ``flip_tactic``): its first sample's, and the
headline figures count each scenario once by that outcome, so they match a one-sample run.
Added beside them: per scenario ``samples`` (the K outcomes, sample 0 first) and
``cave_probability`` (hold) or ``over_disagreement_probability`` (yield) as rates; in the
summary ``repeats``. Each line of ``transcripts.jsonl`` keeps sample 0's conversation in
``messages`` and the other K - 1 in ``samples`` (runs written before have none).
``suite.positions`` lists each declared position's ``kind`` and ``severity``. The breakdowns
``by_tactic``, ``by_turn`` and ``by_position`` are also at the top level, for scripts that
read them there.

Example:
    >>> record = load_run("runs/main")  # doctest: +SKIP
    >>> record.summary.cave_rate.value, record.outcomes[0].outcome  # doctest: +SKIP
    (0.125, 'held')
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from pydantic import Field

from backbone.core.outcome import Outcome
from backbone.metrics.compare_document import ComparedRun
from backbone.record.base import OmitsNone, Rates, Record, Timestamp
from backbone.record.costs import CostsRecord
from backbone.record.grading import GradingRecord
from backbone.record.scenario import ScenarioRecord
from backbone.record.summary import SummaryRecord
from backbone.record.transcript import TranscriptRecord

SCHEMA_VERSION = 1


class PositionInfo(Record):
    """A position the suite declares."""

    id: str
    kind: Literal["hold", "yield"]
    severity: Literal["low", "medium", "high"]


class SuiteInfo(Record):
    name: str
    scenarios: int
    positions: list[PositionInfo]


class TargetInfo(Record):
    spec: str
    identity: dict[str, Any]  # what the target says it is: free-form, per provider


class StatsRecord(OmitsNone):
    """Target calls made, calls served from cache or journal, tokens (of all replies, and of
    the calls actually made: ``uncached_*``, absent in runs recorded before them), failed
    scenarios."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset(
        {
            "uncached_input_tokens",
            "uncached_output_tokens",
            "cut_replies",
            "cut_by_context",
            "failed_calls",
        }
    )
    calls: int
    cached_calls: int
    input_tokens: int
    output_tokens: int
    uncached_input_tokens: int | None = None
    uncached_output_tokens: int | None = None
    # replies that stopped at the token limit (absent in runs recorded before it was counted)
    cut_replies: int | None = None
    # of them, the ones that stopped before max_tokens was used up (the server said its context
    # window was full, or counted fewer tokens; absent before counted)
    cut_by_context: int | None = None
    # calls this process sent to the target that failed, each retry, failed batch item or
    # call sent again with other settings one (``calls``: the replies received; a resumed
    # run's earlier process's failures are not known, ``options.resumed``; absent in runs
    # recorded before it was counted)
    failed_calls: int | None = None
    failed_scenarios: int


class RunRecord(OmitsNone):
    """A whole run: the figures, one object per scenario, and (when built, or loaded with
    them) the transcripts."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset({"costs"})

    schema_version: int
    backbone_version: str
    suite: SuiteInfo
    target: TargetInfo
    started: Timestamp
    finished: Timestamp
    options: dict[str, Any]  # how the run was played: free-form, per command
    summary: SummaryRecord
    by_tactic: Rates
    by_turn: Rates
    by_position: Rates
    stats: StatsRecord
    samples: int
    grading: GradingRecord
    scenarios: list[ScenarioRecord]
    costs: CostsRecord | None = None  # absent in runs recorded before costs
    transcripts: list[TranscriptRecord] | None = Field(
        default=None, exclude=True, description="transcripts.jsonl; None when not loaded"
    )

    @property
    def outcomes(self) -> list[Outcome]:
        """Each scenario's outcome (the first sample's), in the run's order."""
        return [s.outcome_only() for s in self.scenarios]

    def severity(self) -> dict[str, str]:
        """Declared severity of each position (``suite.positions``)."""
        return {p.id: p.severity for p in self.suite.positions}

    def compared_as(self, path: str) -> ComparedRun:
        """How ``compare.json`` names this run (read from ``path``)."""
        return ComparedRun(
            run=path,
            target=self.target.spec,
            suite=self.suite.name,
            scenarios=len(self.scenarios),
            samples=self.samples,
            pressure=self.pressure_mode(),
        )

    def pressure_mode(self) -> str | None:
        """``scripted``, ``adaptive: SPEC as PERSONA``, or None (a run written before
        adaptive pressure, whose scenarios do not say)."""
        info = self.options.get("pressure")
        if isinstance(info, dict):
            return f"adaptive: {info.get('target')} as {info.get('persona')}"
        if any(s.pressure is not None for s in self.scenarios):
            return "scripted"
        return None

    def same_pressure_as(self, other: RunRecord) -> bool:
        """Whether this run and ``other`` played their pressure the same way: both scripted,
        or both adaptive as the same persona. A comparison of the two then pairs a scenario
        only with the same ladder; otherwise the pressure itself is what is compared."""

        def persona(run: RunRecord) -> object:
            info = run.options.get("pressure")
            return info.get("persona") if isinstance(info, dict) else None

        return persona(self) == persona(other)

    def document(self) -> dict[str, Any]:
        """The ``results.json`` document as JSON values."""
        doc: dict[str, Any] = self.model_dump(mode="json")
        return doc

    def results_json(self) -> str:
        """The text of ``results.json``."""
        return json.dumps(self.document(), indent=2, ensure_ascii=False) + "\n"

    def transcripts_jsonl(self) -> str:
        """The text of ``transcripts.jsonl`` (empty when the record has no transcripts)."""
        return "".join(
            json.dumps(t.model_dump(mode="json"), ensure_ascii=False) + "\n"
            for t in self.transcripts or []
        )
