"""The optional tables (task metrics, tickets, evals), read through DuckDB like the feedback
log (:mod:`backbone.audit.source`: JSONL, CSV or Parquet), checked column by column.

A missing column is one problem naming the file and the columns it has; a bad value (an
unparsable timestamp, one outside the years 1 to 9999 or written unlike the column's others,
a score that is not a number or is larger than ``LARGEST``, an empty category) is a problem
at the record's line naming the column; all are raised together as one
:class:`~backbone.core.errors.InputError`, before anything is written.

Example:
    >>> columns = {"timestamp": "timestamp", "category": "text"}
    >>> rows = read_table("tickets.csv", columns, period="week")  # doctest: +SKIP
    >>> rows[0]["line"], rows[0]["category"], rows[0]["period"]  # doctest: +SKIP
    (2, 'vague', datetime.date(2026, 1, 5))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import duckdb

from backbone.audit.source import MAX_LISTED, open_source, sql_literal
from backbone.audit.tells.periods import UTC_SQL, Period, mixed_forms, period_sql, time_sql
from backbone.core.errors import InputError, Problem

Kind = Literal["timestamp", "number", "text"]
LARGEST = 1e100
"""The largest size of a number in a table: averaged, standardized (squared) and differenced,
a value near the float limit overflowed to inf (a traceback, or a trend read as flat)."""
_WHAT = {
    "timestamp": "is not a timestamp (ISO 8601, a date, or epoch seconds or milliseconds)",
    "number": "is not a number",
    "text": "is empty",
}


def read_table(
    path: str | Path,
    columns: Mapping[str, Kind],
    *,
    period: Period | None = None,
    fmt: str | None = None,
) -> list[dict[str, Any]]:
    """Every record of the table as a dict: ``__row`` (1-based), ``line`` (where it starts),
    each column parsed (timestamps as naive UTC datetimes, numbers as floats, text stripped),
    and, when ``period`` is given, ``period``: the first day of the record's period. Raises
    :class:`InputError` on a missing column or any bad value; an empty table is bad too."""
    if Path(path).is_dir():  # a record's line is kept for later problems: one file's
        raise InputError.single(
            str(path), None, "is a directory: give the table file itself (JSONL, CSV or Parquet)"
        )
    source = open_source(path, fmt)
    try:
        con = source.con
        con.execute(UTC_SQL)
        missing = [c for c in columns if source.column_sql(c) is None]
        if source.fmt == "jsonl" and not missing:
            missing = [c for c in columns if c not in source.names]
        if missing:
            raise InputError.single(
                source.file,
                None,
                f"no column {', '.join(repr(c) for c in missing)} "
                f"(columns: {', '.join(source.names) or 'none'}); expected "
                f"{', '.join(columns)}",
            )
        raws = {c: source.column_sql(c) or "NULL" for c in columns}
        parsed: list[str] = []
        checks: list[str] = []
        for c, kind in columns.items():
            raw = raws[c]
            if kind == "timestamp":
                expr = time_sql(raw)
            elif kind == "number":
                expr = f"TRY_CAST(trim({raw}) AS DOUBLE)"
            else:
                expr = f"nullif(trim({raw}), '')"
            parsed.append(f"{expr} AS {_alias(c)}")
            bad = f"{expr} IS NULL" + (f" OR NOT isfinite({expr})" if kind == "number" else "")
            value = f"coalesce({raw}, '')"
            head = sql_literal(f"column {c!r}: ")
            checks.append(
                f"CASE WHEN {bad} THEN {head} || "
                f"CASE WHEN {raw} IS NULL OR trim({raw}) = '' THEN 'empty' "
                f"ELSE '''' || left({value}, 60) || ''' {_WHAT[kind]}' END END"
            )
            if kind == "number":
                checks.append(
                    f"CASE WHEN abs({expr}) > {LARGEST:g} THEN {head} || '''' || "
                    f"left({value}, 60) || ''' is out of range: a score or metric is at most "
                    f"{LARGEST:g} in size' END"
                )
            mixed = mixed_forms(con, "src", raw, c) if kind == "timestamp" else None
            if mixed:
                checks.append(f"CASE WHEN {mixed[0]} THEN {mixed[1]} END")
        shape = source.shape_sql
        problem = f"coalesce({shape}, {', '.join(checks)})"
        extra = ""
        if period is not None:
            ts = next(c for c, k in columns.items() if k == "timestamp")
            extra = f", {period_sql(_alias(ts), period)} AS __period"
        con.execute(
            f"CREATE VIEW tbl AS SELECT __row, {problem} AS __problem, {', '.join(parsed)} FROM src"
        )
        con.execute(f"CREATE VIEW tbl2 AS SELECT *{extra} FROM tbl")
        bad_rows = con.execute(
            "SELECT __row, __problem FROM tbl2 WHERE __problem IS NOT NULL ORDER BY __row "
            f"LIMIT {MAX_LISTED}"
        ).fetchall()
        if bad_rows:
            (total,) = con.execute(
                "SELECT count(*) FROM tbl2 WHERE __problem IS NOT NULL"
            ).fetchone() or (0,)
            problems = source.located([(int(r), str(m)) for r, m in bad_rows])
            if int(total) > len(bad_rows):
                more = int(total) - len(bad_rows)
                problems.append(Problem(source.file, None, f"... and {more} more bad records"))
            raise InputError(problems)
        cur = con.execute("SELECT * EXCLUDE (__problem) FROM tbl2 ORDER BY __row")
        names = [d[0] for d in cur.description or []]
        records = [dict(zip(names, values, strict=True)) for values in cur.fetchall()]
        lines = source.lines({int(r["__row"]) for r in records})
    except duckdb.Error as exc:
        raise InputError(source.unreadable(exc)) from None
    finally:
        source.close()
    if not records:
        raise InputError.single(str(path), None, "no records")
    out = []
    for rec in records:
        row: dict[str, Any] = {"__row": int(rec["__row"]), "line": lines[int(rec["__row"])]}
        for c in columns:
            row[c] = rec["__c_" + c]
        if period is not None:
            row["period"] = rec["__period"]
        out.append(row)
    return out


def _alias(column: str) -> str:
    return '"__c_' + column.replace('"', '""') + '"'


def as_date(value: Any) -> dt.date:
    """A DuckDB ``DATE`` (or datetime) as a ``date``."""
    return value.date() if isinstance(value, dt.datetime) else value
