"""The grader protocol: read a transcript, give a verdict per assistant turn.

A grader never drives a conversation. It returns ``None`` for a scenario it cannot grade
(no answer key, say), so that another grader, or ``unscored``, can decide.

Example:
    >>> from backbone.graders.answer_key import AnswerKeyGrader
    >>> isinstance(AnswerKeyGrader(), Grader)
    True
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from backbone.core.transcript import Transcript
from backbone.core.verdict import Verdict
from backbone.scenarios.models import Scenario


@runtime_checkable
class Grader(Protocol):
    """Transcript in, one verdict per assistant turn out."""

    name: str

    async def grade(self, scenario: Scenario, transcript: Transcript) -> list[Verdict] | None:
        """Verdicts for every assistant turn, or None when this grader cannot judge."""
        ...


def abstained(verdict: Verdict) -> bool:
    """Whether a verdict is a grader abstaining (``rubric["abstained"]``), so that the next
    grader decides.

    Example:
        >>> abstained(Verdict(turn=1, label="unparseable", rubric={"abstained": True}))
        True
    """
    return bool(verdict.rubric and verdict.rubric.get("abstained"))
