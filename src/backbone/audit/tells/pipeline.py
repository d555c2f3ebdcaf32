"""From the files to the decided tells: read the log and the optional tables, measure each
tell, correct the family, count.

Example:
    >>> opts = TellsOptions()
    >>> result = run_tells_files("feedback.jsonl", opts, tickets_file="t.csv")  # doctest: +SKIP
    >>> result.on_count, result.alarm  # doctest: +SKIP
    (1, False)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from backbone.audit.tells import churn, evals, satisfaction, tickets
from backbone.audit.tells.decide import CORRECTION, decide
from backbone.audit.tells.feedback import POWER_COLUMN, LogSeries, read_log_series
from backbone.audit.tells.model import ALARM_AT, Measured, TellsResult
from backbone.audit.tells.periods import PERIODS, Period
from backbone.audit.tells.tables import Cells, cells_from_rows, read_cells, read_table
from backbone.audit.tells.trend import MIN_POINTS, TREND_TESTS, TrendTestName
from backbone.core.errors import InputError


class TellsOptions(BaseModel):
    """How the tells are read and decided."""

    period: Period = "week"
    alpha: float = 0.05
    trend_test: TrendTestName = "ar1"
    column_map: dict[str, str] = Field(default_factory=dict)
    power_column: str = POWER_COLUMN
    rating_scale: str = "auto"
    threshold: float = 4.0
    fmt: str | None = None
    ticket_map: list[str] = Field(default_factory=list)
    lower_is_better: list[str] = Field(default_factory=lambda: ["dispute_rate"])
    active_window: int = 1
    landmark: int | None = None  # churn without a power-user column; None: from the log's length
    memory_limit: str | None = None  # DuckDB's, for the log and each table (spills beyond)


def _check(options: TellsOptions) -> None:
    if options.period not in PERIODS:
        raise InputError.single("--period", None, f"{options.period!r}: expected day or week")
    if options.active_window < 1:
        raise InputError.single(
            "--active-window", None, f"{options.active_window}: expected 1 or more periods"
        )
    if options.landmark is not None and options.landmark < 1:
        raise InputError.single(
            "--landmark", None, f"{options.landmark}: expected 1 or more periods"
        )
    if not 0 < options.alpha < 1:
        raise InputError.single("--alpha", None, f"{options.alpha}: expected 0 < alpha < 1")
    if options.trend_test not in TREND_TESTS:
        raise InputError.single(
            "--trend-test", None, f"{options.trend_test!r}: expected {', '.join(TREND_TESTS)}"
        )


def run_tells_files(
    file: str | Path,
    options: TellsOptions,
    *,
    task_metrics: str | Path | None = None,
    tickets_file: str | Path | None = None,
    evals_file: str | Path | None = None,
) -> TellsResult:
    """Read, measure and decide. Raises :class:`InputError` on any bad input (all files are
    read and checked before anything is decided)."""
    _check(options)
    tickets.TicketMapper.build(options.ticket_map)  # a bad pair fails before any file is read
    log = read_log_series(
        file,
        period=options.period,
        column_map=options.column_map,
        power_column=options.power_column,
        rating_scale=options.rating_scale,
        threshold=options.threshold,
        fmt=options.fmt,
        memory_limit=options.memory_limit,
        landmark=options.landmark,
    )
    if log.axis.count < MIN_POINTS:
        raise InputError.single(
            log.file,
            None,
            f"column '{options.column_map.get('timestamp', 'timestamp')}': the log spans "
            f"{log.axis.count} {options.period}(s); a trend needs at least {MIN_POINTS} "
            "(use --period day, or a longer log)",
        )
    limit = options.memory_limit
    task_cells = (
        read_cells(
            task_metrics,
            satisfaction.TASK_COLUMNS,
            key="metric",
            value="value",
            lines=True,
            period=options.period,
            memory_limit=limit,
        )
        if task_metrics
        else None
    )
    ticket_cells = (
        read_cells(
            tickets_file,
            tickets.TICKET_COLUMNS,
            key="category",
            period=options.period,
            memory_limit=limit,
        )
        if tickets_file
        else None
    )
    if task_cells is not None:
        _check_lower_is_better(options.lower_is_better, task_cells.keys(), str(task_metrics))
    eval_rows = (
        read_table(evals_file, evals.EVAL_COLUMNS, memory_limit=limit) if evals_file else None
    )
    measured = measure_all(
        log,
        options,
        task_rows=task_cells,
        ticket_rows=ticket_cells,
        eval_rows=eval_rows,
        files={"task_metrics": task_metrics, "tickets": tickets_file, "evals": evals_file},
    )
    decided = decide(measured, alpha=options.alpha)
    on = sum(t.on for t in decided)
    inputs: dict[str, Any] = {
        "file": log.file,
        "format": log.format,
        "rows": log.rows,
        "rating_scale": log.rating_scale,
        "column_map": log.column_map,
        "periods": {
            "first": log.axis.labels()[0],
            "last": log.axis.labels()[-1],
            "count": log.axis.count,
        },
        "power_column": log.power_column if log.has_power_column else None,
        "task_metrics": str(task_metrics) if task_metrics else None,
        "tickets": str(tickets_file) if tickets_file else None,
        "evals": str(evals_file) if evals_file else None,
    }
    return TellsResult(
        tells=decided,
        on_count=on,
        alarm=on >= ALARM_AT,
        alpha=options.alpha,
        correction=CORRECTION,
        trend_test=options.trend_test,
        period=options.period,
        inputs=inputs,
        options=_options(options),
    )


def _check_lower_is_better(names: Sequence[str], table_metrics: Sequence[str], file: str) -> None:
    """A metric named by ``--lower-is-better`` that the task-metrics table does not have is a
    typo: the names given replace the default, so it would silently turn the table's
    lower-is-better metrics around (the default, ``dispute_rate``, may be absent)."""
    if sorted(names) == sorted(satisfaction.LOWER_IS_BETTER):
        return
    metrics = sorted(set(table_metrics))
    unknown = [n for n in names if n not in metrics]
    if unknown:
        raise InputError.single(
            "--lower-is-better",
            None,
            f"{', '.join(repr(n) for n in unknown)}: no such metric in {file} (metrics: "
            f"{', '.join(metrics)})",
        )


def measure_all(
    log: LogSeries,
    options: TellsOptions,
    *,
    task_rows: Cells | Sequence[Mapping[str, Any]] | None = None,
    ticket_rows: Cells | Sequence[Mapping[str, Any]] | None = None,
    eval_rows: Sequence[Mapping[str, Any]] | None = None,
    files: Mapping[str, str | Path | None] | None = None,
) -> list[Measured]:
    """Each tell measured from series already read (files only name the tables in
    messages); a table that is None makes its tell unavailable. The task metrics and the
    tickets are their cells (:func:`~backbone.audit.tells.tables.read_cells`), or rows as
    :func:`~backbone.audit.tells.tables.read_table` gives them (counted here the same way)."""
    names = {k: str(v) for k, v in (files or {}).items() if v}
    mapper = tickets.TicketMapper.build(options.ticket_map)
    task = (
        cells_from_rows(task_rows, "metric", "value")
        if task_rows is not None and not isinstance(task_rows, Cells)
        else task_rows
    )
    ticket = (
        cells_from_rows(ticket_rows, "category")
        if ticket_rows is not None and not isinstance(ticket_rows, Cells)
        else ticket_rows
    )
    return [
        satisfaction.measure(
            log,
            task,
            task_file=names.get("task_metrics", "task metrics") if task is not None else None,
            alpha=options.alpha,
            test=options.trend_test,
            lower_is_better=frozenset(options.lower_is_better),
        ),
        churn.measure(log, window=options.active_window),
        tickets.measure(
            ticket,
            file=names.get("tickets", "tickets") if ticket is not None else None,
            period=options.period,
            mapper=mapper,
            test=options.trend_test,
        ),
        evals.measure(
            eval_rows,
            file=names.get("evals", "evals") if eval_rows is not None else None,
            test=options.trend_test,
        ),
    ]


def _options(options: TellsOptions) -> dict[str, Any]:
    return {
        "ticket_map": list(options.ticket_map),
        "lower_is_better": list(options.lower_is_better),
        "threshold": options.threshold,
        "alarm_at": ALARM_AT,
        "active_window": options.active_window,
        "landmark": options.landmark,
    }


def tell_names(result: TellsResult) -> Sequence[str]:
    return [t.name for t in result.tells if t.on]
