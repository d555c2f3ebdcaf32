"""Periods: timestamps read in UTC, floored to a day or an ISO week (starting Monday), and the
run of periods a series covers, with no gap allowed.

Timestamps are parsed by DuckDB: ISO 8601 text with or without an offset (converted to UTC;
no offset is read as UTC), a date, a native timestamp (Parquet), or a number of seconds since
the epoch (of milliseconds from 1e11 on, as JavaScript's ``Date.now()`` logs them: 1e11 seconds
is the year 5138, 1e11 milliseconds 1973). A column keeps to one form: a number among dates
written as text (or the other way round) is refused at its line (:func:`mixed_forms`), not
read as a time in 1970.

Example:
    >>> import datetime as dt
    >>> axis = PeriodAxis.spanning([dt.date(2026, 1, 5), dt.date(2026, 1, 19)], "week")
    >>> axis.count, axis.labels()
    (3, ['2026-01-05', '2026-01-12', '2026-01-19'])
    >>> axis.index(dt.date(2026, 1, 12))
    1
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import duckdb

from backbone.audit.source import sql_literal

Period = Literal["day", "week"]
PERIODS: tuple[Period, ...] = ("day", "week")
_DAYS = {"day": 1, "week": 7}


def timestamp_sql(text_expr: str) -> str:
    """A SQL expression: the UTC ``TIMESTAMP`` that ``text_expr`` spells, NULL when it spells
    none (the connection's time zone must be UTC, see :func:`utc`)."""
    num = f"TRY_CAST(trim({text_expr}) AS DOUBLE)"
    return (
        f"coalesce(timezone('UTC', TRY_CAST(trim({text_expr}) AS TIMESTAMPTZ)), "
        f"CASE WHEN {num} IS NOT NULL AND isfinite({num}) AND abs({num}) < 1e11 "
        f"THEN timezone('UTC', to_timestamp({num})) "
        f"WHEN {num} IS NOT NULL AND isfinite({num}) AND abs({num}) < 1e14 "
        f"THEN timezone('UTC', to_timestamp({num} / 1000)) END)"
    )


def time_sql(text_expr: str) -> str:
    """:func:`timestamp_sql` within the years 1 to 9999, NULL outside them: DuckDB reads
    ``infinity``, a year typed with five digits (``20260-01-05``) or a large negative number
    of seconds as a time, but hands it to Python as text, and the periods of a series cannot
    be counted to it (a TypeError, or 8,000 years of gaps from an ``infinity``)."""
    ts = timestamp_sql(text_expr)
    return f"CASE WHEN isfinite({ts}) AND year({ts}) BETWEEN 1 AND 9999 THEN {ts} END"


def mixed_forms(
    con: duckdb.DuckDBPyConnection, relation: str, text_expr: str, column: str
) -> tuple[str, str] | None:
    """When the timestamps of ``text_expr`` over ``relation`` mix the two forms (numbers, read
    as epoch seconds, and dates or times written as text): a SQL condition true on each
    timestamp of the rarer form (the numbers when as many) and a SQL expression saying what is
    wrong with it. None when the column keeps to one form. A lone ``12345`` among ISO dates is
    a slip, not a time in 1970: read as one, it would stretch the series back fifty years."""
    ts = time_sql(text_expr)
    is_number = f"TRY_CAST(trim({text_expr}) AS DOUBLE) IS NOT NULL"
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE {is_number}), count(*) FILTER (WHERE NOT {is_number}) "
        f"FROM {relation} WHERE {ts} IS NOT NULL"
    ).fetchone()
    numbers, texts = (int(row[0]), int(row[1])) if row else (0, 0)
    if not numbers or not texts:
        return None
    value = f"left(trim({text_expr}), 60)"
    head = sql_literal(f"column {column!r}: ")
    if numbers <= texts:
        read = f"strftime({ts}, '%Y-%m-%d %H:%M:%S')"
        tail = sql_literal(
            f" UTC), but {texts} other timestamps in the column are dates or times written as "
            "text: write this one the same way"
        )
        return (
            f"{ts} IS NOT NULL AND {is_number}",
            f"{head} || {value} || ' is a number (as epoch ' || CASE WHEN "
            f"abs(TRY_CAST(trim({text_expr}) AS DOUBLE)) < 1e11 THEN 'seconds' "
            f"ELSE 'milliseconds' END || ': ' || {read} || {tail}",
        )
    tail = sql_literal(
        f"' is a date or time written as text, but {numbers} other timestamps in the column "
        "are numbers (epoch seconds): write this one the same way"
    )
    quote = "''''"  # a single quote, as a SQL literal
    return f"{ts} IS NOT NULL AND NOT {is_number}", f"{head} || {quote} || {value} || {tail}"


def period_sql(ts_expr: str, period: Period) -> str:
    """A SQL expression: the first day (a ``DATE``) of the period ``ts_expr`` falls in."""
    return f"CAST(date_trunc('{period}', {ts_expr}) AS DATE)"


UTC_SQL = "SET TimeZone = 'UTC'"


@dataclass(frozen=True)
class PeriodAxis:
    """``count`` consecutive periods of one length from ``start`` (a day, or a Monday)."""

    start: dt.date
    period: Period
    count: int

    @classmethod
    def spanning(cls, starts: Iterable[dt.date], period: Period) -> PeriodAxis:
        """The periods from the first to the last of ``starts`` (each a period's first day)."""
        days = sorted(set(starts))
        if not days:
            raise ValueError("no periods")
        step = _DAYS[period]
        return cls(days[0], period, (days[-1] - days[0]).days // step + 1)

    def index(self, day: dt.date) -> int:
        return (day - self.start).days // _DAYS[self.period]

    def day(self, i: int) -> dt.date:
        return self.start + dt.timedelta(days=_DAYS[self.period] * i)

    def labels(self) -> list[str]:
        return [self.day(i).isoformat() for i in range(self.count)]

    def missing(self, present: Iterable[dt.date]) -> list[int]:
        """Indices of the periods with nothing in ``present``."""
        seen = {self.index(d) for d in present}
        return [i for i in range(self.count) if i not in seen]

    def describe(self, i: int) -> str:
        """``week of 2026-01-12`` or ``day 2026-01-12``."""
        return f"{'week of' if self.period == 'week' else 'day'} {self.day(i).isoformat()}"
