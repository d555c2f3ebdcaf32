"""``run_tells``: the library entry point of ``backbone tells`` (no judge, no target: the
operational tells are statistics over a feedback log and three optional tables).

Example:
    >>> from backbone.evaluation.tells import run_tells
    >>> result = run_tells("feedback.jsonl", tickets="tickets.csv", period="week")  # doctest: +SKIP
    >>> [(t.name, t.on, t.available) for t in result.tells]  # doctest: +SKIP
    [('satisfaction_vs_task', False, False), ('power_user_churn', False, True), ...]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from backbone.audit.tells.model import TellsResult
from backbone.audit.tells.periods import PERIODS
from backbone.audit.tells.pipeline import TellsOptions, run_tells_files
from backbone.audit.tells.trend import TREND_TESTS, TrendTestName
from backbone.core.errors import InputError


def run_tells(
    file: str | Path,
    task_metrics: str | Path | None = None,
    tickets: str | Path | None = None,
    evals: str | Path | None = None,
    period: str = "week",
    alpha: float = 0.05,
    *,
    column_map: Mapping[str, str] | None = None,
    power_column: str = "power_user",
    rating_scale: str = "auto",
    threshold: float = 4.0,
    fmt: str | None = None,
    ticket_map: Sequence[str] = (),
    lower_is_better: Sequence[str] = ("dispute_rate",),
    trend_test: TrendTestName = "ar1",
    active_window: int = 1,
    memory_limit: str | None = None,
    landmark: int | None = None,
) -> TellsResult:
    """Read the log and tables, test each tell, correct the family (Holm) and decide. Raises
    :class:`~backbone.core.errors.InputError` on bad input (nothing is written here), or when
    DuckDB runs out of ``memory_limit`` (a size such as ``2GB``; DuckDB's default without
    one) reading the log or a table."""
    if period not in PERIODS:
        raise InputError.single("--period", None, f"{period!r}: expected day or week")
    if trend_test not in TREND_TESTS:
        raise InputError.single(
            "--trend-test", None, f"{trend_test!r}: expected {', '.join(TREND_TESTS)}"
        )
    options = TellsOptions(
        period=period,
        alpha=alpha,
        trend_test=trend_test,
        column_map=dict(column_map or {}),
        power_column=power_column,
        rating_scale=rating_scale,
        threshold=threshold,
        fmt=fmt,
        ticket_map=list(ticket_map),
        lower_is_better=list(lower_is_better),
        active_window=active_window,
        memory_limit=memory_limit,
        landmark=landmark,
    )
    return run_tells_files(
        file, options, task_metrics=task_metrics, tickets_file=tickets, evals_file=evals
    )
