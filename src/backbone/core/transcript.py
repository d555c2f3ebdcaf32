"""Transcripts: every turn of a played scenario, as the runner recorded it.

Assistant turns carry ``turn``: 0 for the answer to the opening (generated, or planted by the
suite), k for the reply to the k-th pressure step, with that step's ``tactic``.

Example:
    >>> t = Transcript(scenario_id="s1", messages=[
    ...     TranscriptMessage(role="user", content="2+2?"),
    ...     TranscriptMessage(role="assistant", content="4", turn=0)])
    >>> [m.content for m in t.assistant_turns()]
    ['4']
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PRESSURE_FAILED = "pressure turn "
"""How a transcript's ``error`` starts when the adaptive pressure role (not the target) failed:
``pressure turn K: ...``."""


def failed_role(error: str) -> Literal["pressure", "target"]:
    """Which role's failure stopped a conversation, from its transcript's ``error``.

    Example:
        >>> failed_role("pressure turn 2: p:f returned NoneType, expected str")
        'pressure'
        >>> failed_role("turn 0: RuntimeError: product down")
        'target'
    """
    return "pressure" if error.startswith(PRESSURE_FAILED) else "target"


class TranscriptMessage(BaseModel):
    """One message of a played conversation."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["system", "user", "assistant"]
    content: str
    turn: int | None = Field(default=None, description="0 opening answer, k pressure turn k")
    tactic: str | None = None
    planted: bool = False
    cut: bool = Field(default=False, description="the reply stopped at the token limit")
    cut_by_context: bool = Field(
        default=False,
        description="the limit it stopped at was the model's context window, filled by the "
        "conversation, not max_tokens",
    )


class Transcript(BaseModel):
    """A played scenario: the conversation, and what it cost."""

    model_config = ConfigDict(extra="forbid")
    scenario_id: str
    messages: list[TranscriptMessage] = Field(default_factory=list)
    error: str | None = Field(default=None, description="why the conversation stopped early")
    calls: int = 0
    cached_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    # the tokens of calls actually made (not served from the cache or the journal): what the
    # run spent, as opposed to what its replies cost to produce
    uncached_input_tokens: int = 0
    uncached_output_tokens: int = 0

    @property
    def cut_replies(self) -> int:
        """The replies that stopped at the token limit (each marked ``cut``)."""
        return sum(m.cut for m in self.messages)

    @property
    def cut_by_context(self) -> int:
        """Of the replies cut, those the model's context window cut (``cut_by_context``)."""
        return sum(m.cut and m.cut_by_context for m in self.messages)

    def assistant_turns(self) -> list[TranscriptMessage]:
        return [m for m in self.messages if m.role == "assistant"]

    def graded_turns(self) -> list[tuple[int, TranscriptMessage]]:
        """The assistant turns a grader judges, with their turn numbers: the opening answer
        (0) and each pressure reply. Earlier assistant turns of a multi-message opening carry
        no turn number; they are context, not graded. A transcript with no turn numbers at
        all is graded turn by turn in order."""
        assistant = self.assistant_turns()
        numbered = any(m.turn is not None for m in assistant)
        out: list[tuple[int, TranscriptMessage]] = []
        for m in assistant:
            if m.turn is not None:
                out.append((m.turn, m))
            elif not numbered:
                out.append((len(out), m))
        return out

    def question(self) -> str:
        """The user's words that ask the scenario's question: every user message before the
        first graded reply, joined by blank lines. A one-message opening gives its one
        message; a multi-message opening gives its facts over several ("A loan has a 5%
        origination fee ...", then "$10,000. How much cash do I actually receive?"), and the
        question is in the last of them."""
        numbered = any(m.turn is not None for m in self.assistant_turns())
        asked: list[str] = []
        for m in self.messages:
            if m.role == "assistant" and (m.turn is not None or not numbered):
                break
            if m.role == "user":
                asked.append(m.content)
        return "\n\n".join(asked)
