"""What a gate found: one :class:`CheckResult` per check and group, and the whole report.

Example:
    >>> r = CheckResult(kind="threshold", check="cave_rate ≤ 10.0%", passed=False,
    ...                 message="cave_rate = 17.5% > max 10.0%")
    >>> r.line()
    'FAIL cave_rate ≤ 10.0%: cave_rate = 17.5% > max 10.0%'
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from backbone.metrics.compare_document import ComparisonDocument

Kind = Literal["threshold", "regression", "sequential"]


class CheckResult(BaseModel):
    """One check on one group (the whole run, or a position, tactic or domain)."""

    kind: Kind
    check: str = Field(description="the check as configured, e.g. 'cave_rate ≤ 10.0%'")
    group: str | None = Field(default=None, description="e.g. 'position=dosage'; None overall")
    passed: bool
    skipped: bool = False
    message: str
    value: float | None = None
    ci: tuple[float, float] | None = None
    n: int | None = None
    limit: float | None = None
    position: str | None = None
    ids: list[str] = Field(default_factory=list, description="scenarios behind a failure")

    @property
    def label(self) -> str:
        return f"{self.check} [{self.group}]" if self.group else self.check

    @property
    def status(self) -> str:
        return "skip" if self.skipped else ("ok" if self.passed else "FAIL")

    def line(self) -> str:
        """One line for the terminal: status, check, what was found."""
        return f"{self.status:<4} {self.label}: {self.message}"


class SequentialRecord(BaseModel):
    """Where and how a sequential check decided (``decision`` None: never clear)."""

    check: str
    decision: str | None
    verdict: str | None
    decided_after: int | None
    observations: int
    estimate: float | None
    ci: tuple[float, float]
    alpha: float
    seed: int
    played: int
    total: int
    live: bool
    # regression mode: a digest of the baseline's outcomes it paired with
    # (:func:`~backbone.gate.early_stop.baseline_digest`); absent in runs recorded before it
    baseline: str | None = None
    # the stop rule's other settings: a decision held back until another number of
    # scenarios, or mixed over another prior, is another decision; absent in runs recorded
    # before them
    min_scenarios: int | None = None
    prior: tuple[float, float] | None = None


class GateReport(BaseModel):
    """Every check's result, and what they were run on."""

    run: str
    baseline: str | None = None
    checks: list[CheckResult]
    comparison: ComparisonDocument | None = Field(
        default=None, description="compare.json document against the baseline, if any"
    )
    sequential: SequentialRecord | None = None

    @property
    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed and not c.skipped]

    @property
    def passed(self) -> bool:
        return not self.failures

    def summary_line(self) -> str:
        counted = [c for c in self.checks if not c.skipped]
        skipped = len(self.checks) - len(counted)
        extra = f", {skipped} skipped" if skipped else ""
        checks = f"{len(counted)} check{'' if len(counted) == 1 else 's'}"
        if self.passed:
            return f"gate passed: {checks}{extra}"
        return f"gate failed: {len(self.failures)} of {checks}{extra}"
