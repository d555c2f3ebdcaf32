"""The feedback log's side of the tells: thumbs per period, and each user's activity.

The log is opened with the audit's ingest (:func:`backbone.audit.feedback_log.open_log`: the
same columns, ``--map``, rating scales and record checks); the tells also need a parseable
``timestamp`` on every record. Everything is aggregated inside DuckDB, so a log larger than
memory works: what comes back is one row per period and one per user. Without a ``power_user``
column, each user's row also counts their events in their first ``landmark`` periods (the
landmark design of :mod:`.churn`; :func:`default_landmark` from the log's length unless given).

Example:
    >>> series = read_log_series("feedback.jsonl", period="week")  # doctest: +SKIP
    >>> series.axis.count, series.up[:3], series.down[:3]  # doctest: +SKIP
    (26, [301, 290, 310], [180, 201, 176])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from backbone.audit.feedback_log import open_log
from backbone.audit.source import MAX_LISTED, Source, no_record_has, sql_in, sql_literal
from backbone.audit.tells.periods import (
    UTC_SQL,
    Period,
    PeriodAxis,
    mixed_forms,
    period_sql,
    time_sql,
)
from backbone.audit.tells.tables import as_date
from backbone.core.errors import InputError, Problem

POWER_COLUMN = "power_user"
_TRUE = ("true", "t", "yes", "y", "1")
_FALSE = ("false", "f", "no", "n", "0")


@dataclass(frozen=True)
class UserActivity:
    """One user: the periods of their first and last event, how many events, and how many in
    their first ``landmark`` periods (from the period of their first event on)."""

    user: str
    first: int
    last: int
    events: int
    power: bool | None  # from the power-user column; None when the log has none
    early: int | None = None  # events before the landmark; None when not counted (a column)


def default_landmark(periods: int) -> int:
    """The landmark of a log of ``periods`` periods when none is given: a tenth of the log, at
    least 2 periods (the first period of a user is partial: they joined somewhere in it). A
    fraction of the log, not a fixed count, reads the same in days as in weeks (26 weeks: 3
    weeks; 182 days: 19 days). Every period of landmark hides the churn before it: on the
    planted churn of ``backbone synth tells`` (26 weeks, power users leaving 4 times as fast)
    a landmark of 2, 3, 4 and 7 periods found it in 20, 19, 15 and 4 of 20 logs.

    >>> default_landmark(26), default_landmark(8), default_landmark(90)
    (3, 2, 9)
    """
    return max(2, math.ceil(periods / 10))


@dataclass
class LogSeries:
    """Per-period thumbs (index i is ``axis.day(i)``) and per-user activity."""

    file: str
    format: str
    rows: int
    rating_scale: str
    axis: PeriodAxis
    up: list[int]
    down: list[int]
    unrated: list[int]
    users: list[UserActivity] = field(default_factory=list)
    has_user_column: bool = False
    has_power_column: bool = False
    power_column: str = POWER_COLUMN
    events_without_user: int = 0
    column_map: dict[str, str] = field(default_factory=dict)
    landmark: int | None = None  # periods counted in ``UserActivity.early``; None: not counted


def read_log_series(
    path: str | Path,
    *,
    period: Period = "week",
    column_map: Mapping[str, str] | None = None,
    power_column: str = POWER_COLUMN,
    rating_scale: str = "auto",
    threshold: float = 4.0,
    fmt: str | None = None,
    memory_limit: str | None = None,
    landmark: int | None = None,
) -> LogSeries:
    """Open and check the log, then count thumbs per period and activity per user (without a
    power-user column, also each user's events in their first ``landmark`` periods: by
    default :func:`default_landmark` of the log's length). Raises
    :class:`InputError` for a bad record, a missing or unparsable timestamp, a timestamp not
    written as the column's others are (a number among dates), a bad power-user value, or a
    period with no rated event between the first and the last."""
    cmap = dict(column_map or {})
    with open_log(
        path,
        fmt=fmt,
        column_map=cmap,
        rating_scale=rating_scale,
        threshold=threshold,
        memory_limit=memory_limit,
        also_read={"power_user": power_column},  # --map power_user=rating: one column, one role
    ) as log:
        source, con, file = log.source, log.con, log.source.file
        try:
            con.execute(UTC_SQL)
            ts_column = cmap.get("timestamp", "timestamp")
            user_column = cmap.get("user_id", "user_id")
            # JSONL: the names come from the first records; a column first given later (a
            # field added to a running log) is there all the same (one scan, only for such a
            # column), as the audit and its channels find it
            columns, _ = source.names_with((ts_column, user_column, power_column))
            if ts_column not in columns:
                raise InputError.single(
                    file,
                    None,
                    f"no column '{ts_column}' for field 'timestamp': the tells need a time for "
                    f"every event (columns: {', '.join(source.names)}); map yours with "
                    "--map timestamp=COLUMN",
                )
            has_users = user_column in columns
            has_power = power_column in columns
            if not has_power and power_column != POWER_COLUMN:  # a column the user named
                what = (
                    no_record_has(power_column)
                    if source.fmt == "jsonl"
                    else f"no column '{power_column}'"
                )
                raise InputError.single(
                    file,
                    None,
                    f"{what} for --map power_user={power_column} (columns: "
                    f"{', '.join(source.names)})",
                )
            power_raw = source.column_sql(power_column) if has_power else None
            # 1.0 and 0.0 (a float column: pandas writes an int column with gaps so) are 1, 0
            power = (
                f"CASE TRY_CAST(trim({power_raw}) AS DOUBLE) WHEN 1 THEN '1' WHEN 0 THEN '0' "
                f"ELSE lower(trim({power_raw})) END"
                if power_raw
                else "NULL"
            )
            ts = time_sql("__timestamp")
            power_bad = (
                f"{power_raw} IS NOT NULL AND trim({power_raw}) <> '' AND {power} NOT IN "
                f"{sql_in(_TRUE + _FALSE)}"
                if power_raw
                else "false"
            )
            mixed = mixed_forms(con, "events", "__timestamp", ts_column)
            mixed_check = f"WHEN {mixed[0]} THEN {mixed[1]}" if mixed else ""
            con.execute(
                f"""CREATE VIEW tell_events AS SELECT __row, __rating, __user_id,
                    {period_sql(ts, period)} AS __period,
                    CASE WHEN __timestamp IS NULL OR trim(__timestamp) = '' THEN
                           {sql_literal(f"column '{ts_column}': empty (every event needs a time)")}
                         WHEN {ts} IS NULL THEN {sql_literal(f"column '{ts_column}': '")}
                           || left(__timestamp, 60)
                           || ''' is not a timestamp (ISO 8601, a date, or epoch '
                           || 'seconds or milliseconds)'
                         {mixed_check}
                         WHEN {power_bad} THEN {sql_literal(f"column '{power_column}': '")}
                           || left({power_raw or "''"}, 60) || ''' is not true or false'
                    END AS __tproblem,
                    CASE WHEN {power} IN {sql_in(_TRUE)} THEN true
                         WHEN {power} IN {sql_in(_FALSE)} THEN false END AS __power
                    FROM events"""
            )
            _raise_bad(con, source)
            per = con.execute(
                """SELECT __period, count(*) FILTER (WHERE __rating = 'up'),
                          count(*) FILTER (WHERE __rating = 'down'),
                          count(*) FILTER (WHERE __rating = 'unrated'),
                          min(__row)
                   FROM tell_events GROUP BY __period ORDER BY __period"""
            ).fetchall()
            spans = PeriodAxis.spanning([as_date(p[0]) for p in per], period) if per else None
            counted = None
            if has_users and not has_power and spans is not None:
                counted = landmark if landmark is not None else default_landmark(spans.count)
            # a landmark past the log's end counts every event (and is not a date past 9999)
            days = (
                None
                if spans is None or counted is None
                else spans.day(min(counted, spans.count)) - spans.start
            )
            users_rows = (
                con.execute(_users_sql(None if days is None else days.days)).fetchall()
                if has_users
                else []
            )
            (without_user,) = con.execute(
                "SELECT count(*) FROM tell_events WHERE __user_id IS NULL OR __user_id = ''"
            ).fetchone() or (0,)
        except duckdb.Error as exc:
            raise InputError(source.unreadable(exc)) from None
        axis = PeriodAxis.spanning([as_date(p[0]) for p in per], period)
        gaps = axis.missing(as_date(p[0]) for p in per)
        if gaps:
            raise InputError(_gap_problems(source, axis, gaps, per, ts_column))
        up, down, unrated = [0] * axis.count, [0] * axis.count, [0] * axis.count
        for day, n_up, n_down, n_unrated, _ in per:
            i = axis.index(as_date(day))
            up[i], down[i], unrated[i] = int(n_up), int(n_down), int(n_unrated)
        no_rated = [i for i in range(axis.count) if up[i] + down[i] == 0]
        if no_rated:
            first = {axis.index(as_date(p[0])): int(p[4]) for p in per}
            places = source.places({first[i] for i in no_rated})
            raise InputError(
                [
                    Problem(
                        *places[first[i]],
                        f"column '{cmap.get('rating', 'rating')}': no rated event in the "
                        f"{axis.describe(i)} (only unrated ones): the thumbs-up rate of that "
                        "period is unknown",
                    )
                    for i in no_rated[:MAX_LISTED]
                ]
                + _more(file, len(no_rated), "periods")
            )
        users = [
            UserActivity(
                user=str(u),
                first=axis.index(as_date(f)),
                last=axis.index(as_date(la)),
                events=int(n),
                power=None if not has_power else bool(p),
                early=None if counted is None else int(e),
            )
            for u, f, la, n, p, e in users_rows
        ]
        return LogSeries(
            file=file,
            format=source.fmt,
            rows=log.info.rows,
            rating_scale=log.info.rating_scale,
            axis=axis,
            up=up,
            down=down,
            unrated=unrated,
            users=users,
            has_user_column=has_users,
            has_power_column=has_power,
            power_column=power_column,
            events_without_user=int(without_user) if has_users else log.info.rows,
            column_map=cmap,
            landmark=counted,
        )


def _users_sql(landmark_days: int | None) -> str:
    """One row per user: id, first and last period, events, any marked power, and the events
    before their landmark (``landmark_days`` after the first day of their first period; NULL
    when not counted). Aggregates only: the events are read twice (their users' first
    periods, then the counts), never held."""
    where = "__user_id IS NOT NULL AND __user_id <> ''"
    if landmark_days is None:
        return f"""SELECT __user_id, min(__period), max(__period), count(*), bool_or(__power),
                   NULL FROM tell_events WHERE {where} GROUP BY __user_id ORDER BY __user_id"""
    return f"""WITH firsts AS (SELECT __user_id AS __first_user, min(__period) AS __first
                               FROM tell_events WHERE {where} GROUP BY __user_id)
               SELECT __user_id, min(__period), max(__period), count(*), bool_or(__power),
                      count(*) FILTER (WHERE __period < __first + {int(landmark_days)})
               FROM tell_events JOIN firsts ON __user_id = __first_user
               GROUP BY __user_id ORDER BY __user_id"""


def _raise_bad(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    bad = con.execute(
        "SELECT __row, __tproblem FROM tell_events WHERE __tproblem IS NOT NULL "
        f"ORDER BY __row LIMIT {MAX_LISTED}"
    ).fetchall()
    if not bad:
        return
    (total,) = con.execute(
        "SELECT count(*) FROM tell_events WHERE __tproblem IS NOT NULL"
    ).fetchone() or (0,)
    problems = source.located([(int(r), str(m)) for r, m in bad])
    if int(total) > len(bad):
        problems.append(Problem(source.file, None, f"... and {int(total) - len(bad)} more"))
    raise InputError(problems)


def _gap_problems(
    source: Source, axis: PeriodAxis, gaps: list[int], per: list[tuple[Any, ...]], column: str
) -> list[Problem]:
    first_row = {axis.index(as_date(p[0])): int(p[4]) for p in per}
    after: dict[int, int] = {}
    for g in gaps[:MAX_LISTED]:
        nxt = min(i for i in first_row if i > g)
        after[g] = first_row[nxt]
    places = source.places(set(after.values()))
    return [
        Problem(
            *places[after[g]],
            f"column '{column}': no event in the {axis.describe(g)}, between the first period "
            f"({axis.day(0).isoformat()}) and the last ({axis.day(axis.count - 1).isoformat()}); "
            "the line is the first event after the gap. A series needs every period: fill the "
            "gap, cut the log, or use a longer --period",
        )
        for g in gaps[:MAX_LISTED]
    ] + _more(source.file, len(gaps), "periods")


def _more(file: str, total: int, what: str) -> list[Problem]:
    """The line that counts what was left out past the first :data:`MAX_LISTED`."""
    if total <= MAX_LISTED:
        return []
    return [Problem(file, None, f"... and {total - MAX_LISTED} more {what} like these")]
