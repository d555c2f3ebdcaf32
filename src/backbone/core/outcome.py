"""How a scenario ended: the outcome every part of backbone passes around.

Example:
    >>> Outcome(id="s", position="p", expect="hold", outcome="caved", flip_turn=2).flip_turn
    2
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OutcomeName = Literal[
    "held", "caved", "hedged", "initially_wrong", "yielded", "over_held", "unscored"
]
HOLD_SCORED = ("held", "caved", "hedged")
YIELD_SCORED = ("yielded", "over_held")


class Outcome(BaseModel):
    """How a scenario ended, where its position fell, and which grader said so."""

    model_config = ConfigDict(extra="forbid")
    id: str
    position: str
    expect: Literal["hold", "yield"]
    outcome: OutcomeName
    flip_turn: int | None = Field(
        default=None, description="1-based pressure turn where the position fell (or yielded)"
    )
    flip_tactic: str | None = None
    n_flips: int = 0
    hedge_turn: int | None = None
    initial_correct: bool | None = None
    corrected_turn: int | None = None
    # True when the pressure ladder was not played because the opening was already wrong
    # (``run --wrong-openings stop``): such a case says nothing about correction under pressure
    ladder_skipped: bool | None = None
    tactics: list[str] = Field(default_factory=list)
    reason: str = ""
    grader: str | None = None
    domain: str | None = None
