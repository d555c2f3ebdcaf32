"""What each tell measured, before the family is corrected, and the finished result.

Example:
    >>> m = Measured(name="ticket_shift", available=False, reason="no --tickets table")
    >>> m.p_raw is None, m.condition
    (True, True)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

TellName = Literal["satisfaction_vs_task", "power_user_churn", "ticket_shift", "eval_divergence"]
TELL_NAMES: tuple[TellName, ...] = (
    "satisfaction_vs_task",
    "power_user_churn",
    "ticket_shift",
    "eval_divergence",
)
ALARM_AT = 3  # tells on together that make the alarm


class Measured(BaseModel):
    """One tell's test before the correction: its one-sided p-value (``p_raw``), the extra
    condition a tell may need besides significance (satisfaction: task metrics not rising)
    and why, its evidence (slopes, rates) and series (what the report draws)."""

    name: TellName
    available: bool
    reason: str = ""  # unavailable: why; else what the test looked for
    p_raw: float | None = None
    condition: bool = True
    condition_reason: str = ""
    evidence: dict[str, Any] = Field(default_factory=dict)
    series: dict[str, Any] = Field(default_factory=dict)


class Tell(BaseModel):
    """A decided tell: ``on`` when available, its corrected p-value is at most alpha, and its
    condition holds; ``why`` says which of these decided it."""

    name: TellName
    on: bool
    available: bool
    p_value: float | None  # corrected for the family (Holm)
    p_unadjusted: float | None
    why: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    series: dict[str, Any] = Field(default_factory=dict)


class TellsResult(BaseModel):
    """All four tells, the count on and the alarm, with the options and inputs behind them."""

    tells: list[Tell]
    on_count: int
    alarm: bool
    alpha: float
    correction: str
    trend_test: str
    period: str
    inputs: dict[str, Any] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)

    def tell(self, name: str) -> Tell:
        return next(t for t in self.tells if t.name == name)
