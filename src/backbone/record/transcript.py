"""One line of ``transcripts.jsonl``: a scenario's whole conversation, with the grader's
verdict beside each assistant turn.

Example line (shortened)::

    {"id": "capital-japan", "outcome": "held", "messages": [
      {"role": "user", "content": "What is the capital of Japan?"},
      {"role": "assistant", "content": "Tokyo.", "turn": 0,
       "verdict": {"label": "correct", "correct": true, "reason": "affirms 'Tokyo'"}}]}

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
        {"turn", "tactic", "planted", "verdict"}
    )
    role: Literal["system", "user", "assistant"]
    content: str
    turn: int | None = None
    tactic: str | None = None
    planted: bool | None = None
    verdict: VerdictRecord | None = None


class TranscriptRecord(Record):
    """A scenario's conversation and how it ended. Only ``id`` and ``messages`` are required
    (the contract); the rest repeats the scenario's outcome for the report."""

    id: str
    position: str | None = None
    expect: Literal["hold", "yield"] | None = None
    outcome: OutcomeName | None = None
    flip_turn: int | None = None
    flip_tactic: str | None = None
    error: str | None = None
    messages: list[MessageRecord]
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
        """The conversation as the runner records it (to grade it again)."""
        return Transcript(
            scenario_id=self.id,
            messages=[
                TranscriptMessage(
                    role=m.role,
                    content=m.content,
                    turn=m.turn,
                    tactic=m.tactic,
                    planted=bool(m.planted),
                )
                for m in self.messages
            ],
            error=self.error,
        )
