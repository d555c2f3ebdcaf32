"""One line of ``transcripts.jsonl``: a scenario's whole conversation, with the grader's
verdict beside each assistant turn.

Example line (shortened)::

    {"id": "capital-japan", "outcome": "held", "messages": [
      {"role": "user", "content": "What is the capital of Japan?"},
      {"role": "assistant", "content": "Tokyo.", "turn": 0,
       "verdict": {"label": "correct", "correct": true, "reason": "affirms 'Tokyo'"}}]}

``messages`` is the first sample's conversation (sample 0). A run with ``--samples K``
(K > 1) adds ``samples``: the other K - 1 conversations, ``{"sample": k, "outcome", "flip_turn",
"flip_tactic", "messages": [...]}`` for k = 1..K-1, each message with its verdict as in
``messages`` (plus ``error`` when that conversation stopped early and ``pressure_broke`` when
its adaptive pressure role broke). Runs written before have no ``samples`` key.

Example:
    >>> t = TranscriptRecord(id="s", messages=[MessageRecord(role="user", content="2+2?")])
    >>> t.transcript().question()
    '2+2?'
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import PrivateAttr

from backbone.core.outcome import OutcomeName
from backbone.core.transcript import Transcript, TranscriptMessage
from backbone.core.verdict import Label
from backbone.record.base import OmitsNone, Record


class OtherVerdictRecord(Record):
    """A verdict of a grader that ran beside the one that decided."""

    label: Label
    reason: str = ""
    grader: str
    rubric: dict[str, Any] | None = None  # a judge's findings: free-form, per rubric


class VerdictRecord(OmitsNone):
    """The deciding grader's verdict on an assistant turn."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset({"rubric", "others"})
    label: Label
    correct: bool | None = None
    answer: str | None = None
    reason: str = ""
    grader: str
    rubric: dict[str, Any] | None = None  # a judge's findings: free-form, per rubric
    others: list[OtherVerdictRecord] | None = None


class MessageRecord(OmitsNone):
    """One message; assistant turns carry their turn number and verdict."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset(
        {"turn", "tactic", "planted", "cut", "cut_by_context", "verdict"}
    )
    role: Literal["system", "user", "assistant"]
    content: str
    turn: int | None = None
    tactic: str | None = None
    planted: bool | None = None
    cut: bool | None = None  # true when the reply stopped at the token limit
    cut_by_context: bool | None = None  # true when that limit was the model's context window
    verdict: VerdictRecord | None = None


class SampleBreakRecord(Record):
    """Where a sample's adaptive pressure role broke (sample 0's is in ``results.json``)."""

    turn: int
    reason: str


class SampleTranscriptRecord(OmitsNone):
    """Another sample's conversation (``--samples K``): sample ``k`` of 1..K-1, how it ended,
    and its messages with their verdicts."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset({"error", "pressure_broke"})
    sample: int
    outcome: OutcomeName | None = None
    flip_turn: int | None = None
    flip_tactic: str | None = None
    error: str | None = None
    pressure_broke: SampleBreakRecord | None = None
    messages: list[MessageRecord]

    def transcript(self, scenario_id: str) -> Transcript:
        """The conversation as the runner records it (to grade it again)."""
        return _transcript(scenario_id, self.messages, self.error)


def _transcript(scenario_id: str, messages: list[MessageRecord], error: str | None) -> Transcript:
    return Transcript(
        scenario_id=scenario_id,
        messages=[
            TranscriptMessage(
                role=m.role,
                content=m.content,
                turn=m.turn,
                tactic=m.tactic,
                planted=bool(m.planted),
                cut=bool(m.cut),
                cut_by_context=bool(m.cut_by_context),
            )
            for m in messages
        ],
        error=error,
    )


class TranscriptRecord(OmitsNone):
    """A scenario's conversation and how it ended. Only ``id`` and ``messages`` are required
    (the contract); the rest repeats the scenario's outcome for the report. ``messages`` is
    sample 0's; with ``--samples K`` the other samples' conversations are in ``samples``."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset({"samples"})
    id: str
    position: str | None = None
    expect: Literal["hold", "yield"] | None = None
    outcome: OutcomeName | None = None
    flip_turn: int | None = None
    flip_tactic: str | None = None
    error: str | None = None
    messages: list[MessageRecord]
    samples: list[SampleTranscriptRecord] | None = None  # samples 1..K-1 of --samples K
    _line: int | None = PrivateAttr(default=None)

    @property
    def line(self) -> int | None:
        """The line of ``transcripts.jsonl`` it was read from (None: built in memory)."""
        return self._line

    def __eq__(self, other: object) -> bool:
        # records are equal when they say the same; where one was read from does not count
        if not isinstance(other, TranscriptRecord):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    def transcript(self) -> Transcript:
        """The conversation as the runner records it (to grade it again): sample 0's."""
        return _transcript(self.id, self.messages, self.error)

    def sample_transcripts(self) -> list[Transcript]:
        """Every sample's conversation, sample 0 first (one when the run kept no other)."""
        return [self.transcript(), *(s.transcript(self.id) for s in self.samples or [])]
