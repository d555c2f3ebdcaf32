"""Satisfaction rising while the objective task metrics flatline or fall.

Decided exactly so:

* satisfaction is the thumbs-up rate per period (up / (up + down); unrated events left out),
  tested for an upward trend (one-sided modified Mann–Kendall, :mod:`.trend`); its p-value is
  the tell's, and enters the family correction;
* the task metrics (``timestamp, metric, value``; higher is better, except the lower-is-better
  names, by default ``dispute_rate``, which are negated) are averaged per metric and period,
  each metric's series standardized (z-scores over its periods), and the standardized series
  averaged into one **task index** per period; the condition is that the task index is *not*
  significantly rising (its one-sided p-value for ``up`` above alpha, uncorrected: the stricter
  reading, since a rising task index would explain the satisfaction);
* on when both hold. A satisfaction rise that the task metrics share is an improvement, not
  a tell;
* both trends are over the periods the log and the table share (at least six; fewer, or
  none, as with a table from another year, is bad input): a tell compares the same weeks.

Example:
    >>> from backbone.audit.tells.trend import trend_test
    >>> index = task_index({"accuracy": [0.8, 0.81, 0.79], "dispute_rate": [0.1, 0.1, 0.1]},
    ...                    lower_is_better={"dispute_rate"})
    >>> [round(x, 2) + 0.0 for x in index]
    [0.0, 0.5, -0.5]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence, Set
from typing import Any

import numpy as np

from backbone.audit.tells.feedback import LogSeries
from backbone.audit.tells.model import Measured
from backbone.audit.tells.periods import Period, PeriodAxis
from backbone.audit.tells.tables import Cells, Kind
from backbone.audit.tells.trend import (
    MIN_POINTS,
    Trend,
    TrendTestName,
    combined,
    standardized,
    trend_test,
)
from backbone.core.errors import InputError, Problem
from backbone.core.formatting import p_is
from backbone.metrics.rates import wilson

LOWER_IS_BETTER = frozenset({"dispute_rate"})
TASK_COLUMNS: dict[str, Kind] = {"timestamp": "timestamp", "metric": "text", "value": "number"}


def rate_json(x: int, n: int) -> dict[str, Any]:
    r = wilson(x, n)
    return {"value": r.value, "ci": list(r.ci), "n": r.n}


def task_series(
    cells: Cells, file: str, period: Period
) -> tuple[PeriodAxis, dict[str, list[float]]]:
    """Each metric's mean value per period, over the table's periods (from the cells of
    :func:`~backbone.audit.tells.tables.read_cells`, keyed by metric). Raises
    :class:`InputError` when a metric has no value in a period between the table's first and
    last (named by the file, the metric and the period)."""
    axis = PeriodAxis.spanning([c.period for c in cells.cells], period)
    means: dict[str, dict[int, float]] = defaultdict(dict)
    for c in cells.cells:
        if c.mean is None:
            raise ValueError(f"no mean for metric {c.key!r}: read its cells with a value column")
        means[c.key][axis.index(c.period)] = c.mean
    first_line = cells.first_line
    problems = []
    out: dict[str, list[float]] = {}
    for metric in sorted(means):
        per = means[metric]
        missing = [i for i in range(axis.count) if i not in per]
        for i in missing[:10]:
            problems.append(
                Problem(
                    file,
                    None,
                    f"column 'value': metric {metric!r} (first at line {first_line[metric]}) "
                    f"has no value in the {axis.describe(i)}, between the table's first and "
                    "last period: every metric needs every period",
                )
            )
        out[metric] = [per.get(i, 0.0) for i in range(axis.count)]
    if problems:
        raise InputError(problems)
    if axis.count < MIN_POINTS:
        raise InputError.single(
            file,
            None,
            f"column 'timestamp': {axis.count} {period}(s) of task metrics; a trend needs at "
            f"least {MIN_POINTS} (use a shorter --period or a longer table)",
        )
    return axis, out


def task_index(
    metrics: Mapping[str, Sequence[float]], *, lower_is_better: Set[str] = LOWER_IS_BETTER
) -> list[float]:
    """The mean over metrics of each metric's standardized series (lower-is-better negated)."""
    stacked = [
        standardized([-v for v in s] if m in lower_is_better else list(s))
        for m, s in metrics.items()
    ]
    return combined(np.mean(stacked, axis=0))


def measure(
    log: LogSeries,
    task_cells: Cells | None,
    *,
    task_file: str | None,
    alpha: float,
    test: TrendTestName,
    lower_is_better: Set[str] = LOWER_IS_BETTER,
) -> Measured:
    """The satisfaction-vs-task tell (unavailable without a task-metrics table). With one, both
    are compared over the periods the log and the table share (at least :data:`MIN_POINTS`):
    satisfaction rising in one year is no tell about task metrics falling in another."""
    labels, up, down = log.axis.labels(), log.up, log.down
    if task_cells is None or task_file is None:
        sat, series = _satisfaction(labels, up, down, test)
        return Measured(
            name="satisfaction_vs_task",
            available=False,
            reason="no --task-metrics table: satisfaction alone cannot show the tell",
            evidence={"satisfaction": sat.as_json()},
            series=series,
        )
    axis, metrics = task_series(task_cells, task_file, log.axis.period)
    first = max(log.axis.start, axis.start)
    last = min(log.axis.day(log.axis.count - 1), axis.day(axis.count - 1))
    shared = log.axis.index(last) - log.axis.index(first) + 1 if last >= first else 0
    if shared < MIN_POINTS:
        period = log.axis.period
        raise InputError.single(
            task_file,
            None,
            f"column 'timestamp': the task metrics cover the {period}s {axis.labels()[0]} to "
            f"{axis.labels()[-1]}, the log {labels[0]} to {labels[-1]}: {shared} {period}(s) in "
            "common, and the tell compares the two over the same periods (a trend needs at "
            f"least {MIN_POINTS})",
        )
    at, k = log.axis.index(first), axis.index(first)
    sat, series = _satisfaction(
        labels[at : at + shared], up[at : at + shared], down[at : at + shared], test
    )
    metrics = {m: v[k : k + shared] for m, v in metrics.items()}
    index = task_index(metrics, lower_is_better=lower_is_better)
    task = trend_test(index, test=test)
    per_metric = {
        m: {
            **trend_test(
                s, test=test, direction="down" if m in lower_is_better else "up"
            ).as_json(),
            "lower_is_better": m in lower_is_better,
        }
        for m, s in metrics.items()
    }
    improving = task.p_value <= alpha
    series.update(
        task_periods=series["periods"],
        task_index=index,
        task_metrics=metrics,
    )
    return Measured(
        name="satisfaction_vs_task",
        available=True,
        reason="thumbs-up rate rising (one-sided) while the task index is not rising",
        p_raw=sat.p_value,
        condition=not improving,
        condition_reason=(
            f"the task index is rising too (p {p_is(task.p_value, alpha)}, at most alpha "
            f"{alpha:g}): the satisfaction has a cause"
            if improving
            else f"the task index is not rising (slope {task.slope:+.3g} per period, "
            f"p {p_is(task.p_value)})"
        ),
        evidence={
            "satisfaction": sat.as_json(),
            "task_index": task.as_json(),
            "task_improving": improving,
            "metrics": per_metric,
            "lower_is_better": sorted(lower_is_better),
        },
        series=series,
    )


def _satisfaction(
    labels: Sequence[str], up: Sequence[int], down: Sequence[int], test: TrendTestName
) -> tuple[Trend, dict[str, Any]]:
    """The thumbs-up rate's trend over these periods, and its series (each a rate)."""
    rated = [u + d for u, d in zip(up, down, strict=True)]
    sat = trend_test([u / n for u, n in zip(up, rated, strict=True)], test=test)
    rates = [rate_json(u, n) for u, n in zip(up, rated, strict=True)]
    return sat, {"periods": list(labels), "satisfaction": rates}
