"""The optional tables (task metrics, tickets, evals), read through DuckDB like the feedback
log (:mod:`backbone.audit.source`: JSONL, CSV or Parquet), checked column by column.

A missing column is one problem naming the file and the columns it has; a bad value (an
unparsable timestamp, one outside the years 1 to 9999 or written unlike the column's others,
a score that is not a number or is larger than ``LARGEST``, an empty category) is a problem
at the record's line naming the column; all are raised together as one
:class:`~backbone.core.errors.InputError`, before anything is written.

The task metrics and the tickets can be as long as the log (a row per request): they are
counted and averaged per period inside DuckDB (:func:`read_cells`), so what comes back is one
:class:`Cell` per metric or category and period, however many rows the file has. The evals
(a row per release) come back record by record (:func:`read_table`).

Example:
    >>> columns = {"timestamp": "timestamp", "category": "text"}
    >>> rows = read_table("tickets.csv", columns, period="week")  # doctest: +SKIP
    >>> rows[0]["line"], rows[0]["category"], rows[0]["period"]  # doctest: +SKIP
    (2, 'vague', datetime.date(2026, 1, 5))
    >>> cells = read_cells("tickets.csv", columns, key="category", period="week")  # doctest: +SKIP
    >>> cells.cells[0]  # doctest: +SKIP
    Cell(key='vague', period=datetime.date(2026, 1, 5), count=12, mean=None, first=1)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np

from backbone.audit.source import MAX_LISTED, Source, open_source, sql_identifier, sql_literal
from backbone.audit.tells.periods import UTC_SQL, Period, mixed_forms, period_sql, time_sql
from backbone.core.errors import InputError, Problem

Kind = Literal["timestamp", "number", "text"]
LARGEST = 1e100
"""The largest size of a number in a table: averaged, standardized (squared) and differenced,
a value near the float limit overflowed to inf (a traceback, or a trend read as flat)."""
SUMMED_IN_ORDER = 8
"""A cell with fewer values than this is averaged as numpy averages a list (for so few, a sum
in file order), bit for bit as when the tables were read into Python; a larger one by its
compensated sum (DuckDB's ``fsum``, equal to :func:`math.fsum`) over its count, which does not
depend on the order DuckDB's threads add the values in."""
_WHAT = {
    "timestamp": "is not a timestamp (ISO 8601, a date, or epoch seconds or milliseconds)",
    "number": "is not a number",
    "text": "is empty",
}


@dataclass(frozen=True)
class Cell:
    """The records of one key (a metric, a category) in one period: how many, the mean of
    their value column (None without one), and the first of them (its index in the file)."""

    key: str
    period: dt.date
    count: int
    mean: float | None
    first: int


@dataclass(frozen=True)
class Cells:
    """A table counted per key and period: the cells in the order their first records come
    in the file, and the line each key's first record starts on (when asked for)."""

    cells: list[Cell]
    first_line: dict[str, int] = field(default_factory=dict)

    def keys(self) -> list[str]:
        """The keys in the order of their first records."""
        return list(dict.fromkeys(c.key for c in self.cells))


def cell_mean(values: Sequence[float]) -> float:
    """The mean of a cell's values, the same whether the cell was read from a file
    (:func:`read_cells`) or built from rows (:func:`cells_from_rows`); see
    :data:`SUMMED_IN_ORDER`.

    >>> cell_mean([0.1] * 3), cell_mean([0.1] * 10)  # summed in order, then compensated
    (0.10000000000000002, 0.1)
    """
    if len(values) < SUMMED_IN_ORDER:
        return float(np.mean(values))
    return math.fsum(values) / len(values)


def cells_from_rows(rows: Sequence[Mapping[str, Any]], key: str, value: str | None = None) -> Cells:
    """:class:`Cells` from rows as :func:`read_table` gives them (with ``period`` and
    ``line``), or built in memory the same way (the simulated series).

    >>> import datetime as dt
    >>> monday = dt.date(2026, 1, 5)
    >>> rows = [{"metric": "accuracy", "value": v, "period": monday, "line": 2 + i}
    ...         for i, v in enumerate([0.5, 0.7])]
    >>> cells = cells_from_rows(rows, "metric", "value")
    >>> cells.cells[0].count, cells.cells[0].mean, cells.first_line
    (2, 0.6, {'accuracy': 2})
    """
    values: dict[tuple[str, dt.date], list[float]] = {}
    first: dict[tuple[str, dt.date], int] = {}
    first_line: dict[str, int] = {}
    for i, r in enumerate(rows, start=1):
        cell = (str(r[key]), as_date(r["period"]))
        values.setdefault(cell, []).append(float(r[value]) if value is not None else 0.0)
        first.setdefault(cell, i)
        first_line.setdefault(cell[0], int(r["line"]))
    return Cells(
        [
            Cell(k, p, len(v), cell_mean(v) if value is not None else None, first[(k, p)])
            for (k, p), v in values.items()
        ],
        first_line,
    )


@contextmanager
def _checked(
    path: str | Path,
    columns: Mapping[str, Kind],
    period: Period | None,
    fmt: str | None,
    memory_limit: str | None,
) -> Iterator[tuple[Source, duckdb.DuckDBPyConnection]]:
    """The table opened and checked, as the view ``tbl``: ``__row``, each column parsed
    (``"__c_" + column``) and, when ``period`` is given, ``__period``. Raises
    :class:`InputError` on a missing column or any bad value (or when DuckDB fails, e.g. out
    of memory under ``memory_limit``, inside the block as well)."""
    if Path(path).is_dir():  # a record's line is kept for later problems: one file's
        raise InputError.single(
            str(path), None, "is a directory: give the table file itself (JSONL, CSV or Parquet)"
        )
    source = open_source(path, fmt, memory_limit=memory_limit)
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
            parsed.append(f"{expr} AS {column_alias(c)}")
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
            extra = f", {period_sql(column_alias(ts), period)} AS __period"
        con.execute(
            f"CREATE VIEW checked AS SELECT __row, {problem} AS __problem, {', '.join(parsed)} "
            "FROM src"
        )
        con.execute(f"CREATE VIEW tbl AS SELECT * EXCLUDE (__problem){extra} FROM checked")
        bad_rows = con.execute(
            "SELECT __row, __problem FROM checked WHERE __problem IS NOT NULL ORDER BY __row "
            f"LIMIT {MAX_LISTED}"
        ).fetchall()
        if bad_rows:
            (total,) = con.execute(
                "SELECT count(*) FROM checked WHERE __problem IS NOT NULL"
            ).fetchone() or (0,)
            problems = source.located([(int(r), str(m)) for r, m in bad_rows])
            if int(total) > len(bad_rows):
                more = int(total) - len(bad_rows)
                problems.append(Problem(source.file, None, f"... and {more} more bad records"))
            raise InputError(problems)
        yield source, con
    except duckdb.Error as exc:
        raise InputError(source.unreadable(exc)) from None
    finally:
        source.close()


def read_table(
    path: str | Path,
    columns: Mapping[str, Kind],
    *,
    period: Period | None = None,
    fmt: str | None = None,
    memory_limit: str | None = None,
) -> list[dict[str, Any]]:
    """Every record of the table as a dict: ``__row`` (1-based), ``line`` (where it starts),
    each column parsed (timestamps as naive UTC datetimes, numbers as floats, text stripped),
    and, when ``period`` is given, ``period``: the first day of the record's period. Raises
    :class:`InputError` on a missing column or any bad value; an empty table is bad too.
    Every record is held in memory (about 0.9 GB a million): for a table a row per event,
    :func:`read_cells`."""
    with _checked(path, columns, period, fmt, memory_limit) as (source, con):
        cur = con.execute("SELECT * FROM tbl ORDER BY __row")
        names = [d[0] for d in cur.description or []]
        records = [dict(zip(names, values, strict=True)) for values in cur.fetchall()]
        lines = source.lines({int(r["__row"]) for r in records})
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


def read_cells(
    path: str | Path,
    columns: Mapping[str, Kind],
    *,
    key: str,
    period: Period,
    value: str | None = None,
    lines: bool = False,
    fmt: str | None = None,
    memory_limit: str | None = None,
) -> Cells:
    """The table checked as :func:`read_table` checks it (the same problems, at the same
    lines), then counted per ``key`` column and period inside DuckDB, with the mean of the
    ``value`` column (:func:`cell_mean`): memory for the cells, not the rows (DuckDB spills
    past ``memory_limit``). With ``lines``, each key's first record's line too. Gives the
    same cells as :func:`cells_from_rows` over :func:`read_table`'s rows."""
    k = column_alias(key)
    averaged = f", fsum({column_alias(value)})" if value is not None else ", NULL"
    with _checked(path, columns, period, fmt, memory_limit) as (source, con):
        con.execute(
            f"CREATE TEMP TABLE bb_cells AS SELECT {k} AS key, __period AS period, "
            f"count(*) AS n{averaged} AS total, min(__row) AS first FROM tbl GROUP BY ALL"
        )
        cells = con.execute(
            "SELECT key, period, n, total, first FROM bb_cells ORDER BY first"
        ).fetchall()
        in_order: dict[tuple[str, dt.date], list[float]] = {}
        if value is not None and any(int(n) < SUMMED_IN_ORDER for _, _, n, _, _ in cells):
            listed = con.execute(
                f"SELECT t.{k}, t.__period, list(t.{column_alias(value)} ORDER BY t.__row) "
                f"FROM tbl t SEMI JOIN bb_cells c ON c.key = t.{k} AND c.period = t.__period "
                f"AND c.n < {SUMMED_IN_ORDER} GROUP BY ALL"
            ).fetchall()
            in_order = {(str(a), as_date(p)): [float(x) for x in xs] for a, p, xs in listed}
        firsts: dict[str, int] = {}
        for name, _, _, _, first in cells:
            firsts.setdefault(str(name), int(first))
        found = source.lines(set(firsts.values())) if lines else {}
    if not cells:
        raise InputError.single(str(path), None, "no records")
    out = []
    for name, p, n, total, first in cells:
        cell = (str(name), as_date(p))
        mean = None
        if value is not None:
            mean = cell_mean(in_order[cell]) if cell in in_order else float(total) / int(n)
        out.append(Cell(cell[0], cell[1], int(n), mean, int(first)))
    return Cells(out, {name: found[row] for name, row in firsts.items()} if lines else {})


def column_alias(column: str) -> str:
    """The parsed column's name in the views of :func:`read_table` and :func:`read_cells`."""
    return sql_identifier("__c_" + column)


def as_date(value: Any) -> dt.date:
    """A DuckDB ``DATE`` (or datetime) as a ``date``."""
    return value.date() if isinstance(value, dt.datetime) else value
