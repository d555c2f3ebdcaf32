"""Reading a feedback log (JSONL, CSV or Parquet) through DuckDB, without loading it.

The file stays where it is: DuckDB scans it for each question (validation, counts per
stratum, the sample's rows), reading only the columns a question needs, and spills to a
temporary directory when an aggregate outgrows memory. So a log larger than memory works.

Columns: ``id``, ``prompt``, ``response`` and ``rating`` are required; ``timestamp``,
``user_id`` and ``reference`` (an answer key a judge may use) are optional; every other column
is kept and given to judges and failure-mode rules. ``column_map`` renames a team's own
columns: ``{"prompt": "question"}`` reads the contract's ``prompt`` from the column
``question``.

Ratings are normalised to ``up``/``down`` (or unrated) on one of three scales, detected from
the values unless named:

* ``updown``: ``up`` / ``down`` (any case); empty is unrated;
* ``signed``: ``1`` up, ``-1`` down, ``0`` or empty unrated;
* ``stars``: a score from 1 to 5; ``score >= threshold`` (default 4) is up, below it down.

Every bad record is reported with its file and line (JSONL and CSV: the line the record
starts on; Parquet: the 1-based row), all at once, as an :class:`InputError`.

Example:
    >>> log = open_log("feedback.jsonl", column_map={"prompt": "question"})  # doctest: +SKIP
    >>> log.info.rated, [s.key for s in log.info.strata]  # doctest: +SKIP
    (1200, ['down', 'up'])
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import json
import math
import re
import shutil
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb

from backbone.audit.models import (
    MAPPABLE_FIELDS,
    REQUIRED_FIELDS,
    FeedbackEvent,
    LogInfo,
    RatingScale,
    Stratum,
)
from backbone.core.errors import InputError, Problem

Format = Literal["jsonl", "csv", "parquet"]
FORMATS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
SCALES: tuple[str, ...] = ("auto", "updown", "signed", "stars")
MAX_LISTED = 50  # bad records listed one by one; the rest are counted
KEY_SAMPLE = 10_000  # JSONL records read to list the field names seen
MISSING_SEGMENT = "(missing)"
_SCALE_TEXT = {
    "updown": "'up' or 'down' (empty: unrated)",
    "signed": "1, -1 or 0 (0 or empty: unrated)",
    "stars": "a score from 1 to 5 (empty: unrated)",
}
_LINE_RE = re.compile(r"\bline:? (\d+)", re.IGNORECASE)


def _lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def detect_format(path: Path, fmt: str | None = None) -> Format:
    """The format named, else the one the file's extension says."""
    if fmt is not None:
        if fmt not in ("jsonl", "csv", "parquet"):
            raise InputError.single(
                str(path), None, f"unknown format '{fmt}': expected jsonl, csv or parquet"
            )
        return fmt  # type: ignore[return-value]
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InputError.single(
            str(path),
            None,
            f"cannot tell the format from the extension '{path.suffix}': use .jsonl, .csv or "
            ".parquet, or name it with --format",
        )
    return found


def parse_column_map(pairs: Sequence[str], source: str = "--map") -> dict[str, str]:
    """``["prompt=question", "rating=thumbs"]`` -> ``{"prompt": "question", ...}``."""
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            problems.append(Problem(source, None, f"'{pair}': expected FIELD=COLUMN"))
        elif field not in MAPPABLE_FIELDS:
            problems.append(
                Problem(
                    source,
                    None,
                    f"'{pair}': unknown field '{field}' (fields: {', '.join(MAPPABLE_FIELDS)})",
                )
            )
        elif field in out:
            problems.append(Problem(source, None, f"'{pair}': field '{field}' mapped twice"))
        else:
            out[field] = column
    if problems:
        raise InputError(problems)
    return out


def jsonable(value: Any) -> Any:
    """A DuckDB value as plain JSON data (dates as ISO text, decimals as floats...)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return str(value)


_INT_RE = re.compile(r"^[+-]?\d+$")


def infer_scalar(text: str | None) -> Any:
    """A CSV cell as the simple value it spells: ``true``/``false``, an int, a float, else
    the text (empty is None)."""
    if text is None or text == "":
        return None
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    if _INT_RE.match(text.strip()):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


# --- the file as a DuckDB view --------------------------------------------------------


def _csv_header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            header = next(csv.reader(f), None)
    except UnicodeDecodeError as exc:
        raise InputError.single(str(path), 1, f"not UTF-8 text: {exc.reason}") from None
    if not header:
        raise InputError.single(str(path), 1, "empty file: expected a header row")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError.single(str(path), 1, f"column '{name}' appears twice in the header")
        seen.add(name)
    return header


def _csv_reader_sql(path: Path, header: list[str], *, rejects: bool = False) -> str:
    columns = ", ".join(f"{_lit(name)}: 'VARCHAR'" for name in header)
    extra = (
        ", ignore_errors=true, store_rejects=true, rejects_table='bb_rejects', "
        "rejects_scan='bb_rejects_scan'"
        if rejects
        else ""
    )
    return (
        f"read_csv({_lit(str(path))}, header=true, auto_detect=false, delim=',', quote='\"', "
        f"escape='\"', columns={{{columns}}}, strict_mode=true{extra})"
    )


class Source:
    """A log file as the DuckDB view ``src``: one row per record, ``__row`` its 1-based index,
    then the file's columns (JSONL: one ``json`` column holding the record).

    CSV is read with every column as text (types are inferred per value for the sampled rows
    only), so a stray value never fails a whole column; JSONL records are kept as JSON, so one
    malformed line is one bad record, not an unreadable file.
    """

    def __init__(
        self,
        path: Path,
        fmt: Format,
        *,
        memory_limit: str | None = None,
        threads: int | None = None,
    ) -> None:
        self.path = path
        self.file = str(path)
        self.fmt = fmt
        self.header: list[str] = []
        self.user_columns: list[str] = []
        self.names: list[str] = []
        self.tmpdir = Path(tempfile.mkdtemp(prefix="backbone-audit-"))
        self.con = duckdb.connect(config={"temp_directory": str(self.tmpdir)})
        try:
            if memory_limit:
                self.con.execute(f"SET memory_limit = {_lit(memory_limit)}")
            if threads:
                self.con.execute(f"SET threads = {int(threads)}")
            self._create()
        except BaseException:
            self.close()
            raise

    def _create(self) -> None:
        file = self.file
        try:
            if self.fmt == "parquet":
                self.con.execute(
                    "CREATE VIEW src AS SELECT * EXCLUDE (file_row_number), "
                    "file_row_number + 1 AS __row "
                    f"FROM read_parquet({_lit(file)}, file_row_number=true)"
                )
            elif self.fmt == "csv":
                self.header = _csv_header(self.path)
                self.con.execute(
                    "CREATE VIEW src AS SELECT *, row_number() OVER () AS __row "
                    f"FROM {_csv_reader_sql(self.path, self.header)}"
                )
            else:
                self.con.execute(
                    "CREATE VIEW src AS SELECT json, row_number() OVER () AS __row FROM "
                    f"read_json_objects({_lit(file)}, format='newline_delimited', "
                    "ignore_errors=true)"
                )
            described = self.con.execute("DESCRIBE src").fetchall()
            self.user_columns = [str(r[0]) for r in described if r[0] != "__row"]
            # column names (CSV, Parquet), or the field names seen in the first records (JSONL)
            self.names = self._json_keys() if self.fmt == "jsonl" else list(self.user_columns)
        except duckdb.Error as exc:
            raise InputError(self.unreadable(exc)) from None

    def _json_keys(self) -> list[str]:
        rows = self.con.execute(
            f"SELECT json_keys(json) FROM src WHERE json_type(json) = 'OBJECT' LIMIT {KEY_SAMPLE}"
        ).fetchall()
        seen: dict[str, None] = {}
        for (keys,) in rows:
            for key in keys:
                seen.setdefault(str(key), None)
        return list(seen)

    def column_sql(self, column: str) -> str | None:
        """A text expression for ``column`` over ``src``; None when the file has no such
        column (JSONL: a record without the field gives NULL instead)."""
        if self.fmt == "jsonl":
            path = '$."' + column.replace("\\", "\\\\").replace('"', '\\"') + '"'
            return f"json_extract_string(json, {_lit(path)})"
        if column in self.user_columns:
            return f"CAST({_ident(column)} AS VARCHAR)"
        return None

    @property
    def shape_sql(self) -> str:
        """Why a record is not a record at all (JSONL), else NULL."""
        if self.fmt == "jsonl":
            return (
                "CASE WHEN json IS NULL THEN 'not valid JSON' "
                "WHEN json_type(json) <> 'OBJECT' THEN 'not a JSON object' END"
            )
        return "NULL::VARCHAR"

    def lines(self, records: set[int]) -> dict[int, int]:
        """Map 1-based record indices to the line each record starts on (Parquet: the row)."""
        if not records or self.fmt == "parquet":
            return {r: r for r in records}
        out: dict[int, int] = {}
        last = max(records)
        if self.fmt == "jsonl":
            index = 0
            with self.path.open("rb") as f:
                for number, raw in enumerate(f, start=1):
                    if not raw.strip():
                        continue
                    index += 1
                    if index in records:
                        out[index] = number
                    if index >= last:
                        break
            return out
        with self.path.open(newline="", encoding="utf-8-sig", errors="replace") as f:
            reader = csv.reader(f)
            next(reader, None)
            end = reader.line_num
            for index, _ in enumerate(reader, start=1):
                if index in records:
                    out[index] = end + 1
                end = reader.line_num
                if index >= last:
                    break
        return out

    def located(self, found: Sequence[tuple[int, str]]) -> list[Problem]:
        """Problems for (record index, message) pairs, at the lines the records start on."""
        lines = self.lines({row for row, _ in found})
        return [Problem(self.file, lines.get(row, row), message) for row, message in found]

    def unreadable(self, exc: Exception) -> list[Problem]:
        """Problems for a file DuckDB could not read through (CSV: every bad row)."""
        if self.fmt == "csv" and self.header:
            try:
                reader = _csv_reader_sql(self.path, self.header, rejects=True)
                self.con.execute(f"SELECT count(*) FROM {reader}").fetchall()
                rows = self.con.execute(
                    "SELECT line, error_type, column_name, error_message FROM bb_rejects "
                    f"ORDER BY line LIMIT {MAX_LISTED}"
                ).fetchall()
                (total,) = self.con.execute("SELECT count(*) FROM bb_rejects").fetchone() or (0,)
            except duckdb.Error:
                rows, total = [], 0
            if rows:
                found = []
                for line, kind, column, message in rows:
                    first = str(message).splitlines()[0] if message else str(kind)
                    where = f" (column '{column}')" if column else ""
                    what = str(kind).lower().replace("_", " ")
                    found.append((int(line) - 1, f"{what}{where}: {first}"))
                problems = self.located(found)
                if int(total) > len(rows):
                    more = int(total) - len(rows)
                    problems.append(Problem(self.file, None, f"... and {more} more bad rows"))
                return problems
        text = str(exc).strip()
        message = text.splitlines()[0] if text else type(exc).__name__
        match = _LINE_RE.search(text)
        return [Problem(self.file, int(match.group(1)) if match else None, message)]

    def fetch(self, view: str, rows: Sequence[int]) -> list[dict[str, Any]]:
        """The records of ``view`` at these indices (in file order), as dicts."""
        if not rows:
            return []
        wanted = ", ".join(str(int(r)) for r in sorted(set(rows)))
        cur = self.con.execute(f"SELECT * FROM {view} WHERE __row IN ({wanted}) ORDER BY __row")
        names = [d[0] for d in cur.description or []]
        return [dict(zip(names, values, strict=True)) for values in cur.fetchall()]

    def extras(self, rec: Mapping[str, Any], skip: set[str]) -> dict[str, Any]:
        """A fetched record's own columns, minus ``skip``, as JSON-safe values."""
        if self.fmt == "jsonl":
            parsed = json.loads(rec["json"])
            return {k: v for k, v in parsed.items() if k not in skip}
        out: dict[str, Any] = {}
        for name in self.user_columns:
            if name not in skip:
                value = rec[name]
                out[name] = infer_scalar(value) if self.fmt == "csv" else jsonable(value)
        return out

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def open_source(
    path: str | Path,
    fmt: str | None = None,
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> Source:
    """Open a log file as a :class:`Source` (raises :class:`InputError` when unreadable)."""
    p = Path(path)
    if not p.is_file():
        raise InputError.single(str(p), None, "no such file")
    return Source(p, detect_format(p, fmt), memory_limit=memory_limit, threads=threads)


def duplicate_problems(source: Source, view: str, id_column: str = "__id") -> list[Problem]:
    """One problem per repeated id (at its second record), up to ``MAX_LISTED``."""
    dups = source.con.execute(
        f"""
        SELECT {id_column}, list(__row ORDER BY __row) AS rows FROM {view}
        WHERE {id_column} IS NOT NULL GROUP BY {id_column} HAVING count(*) > 1
        ORDER BY min(__row) LIMIT {MAX_LISTED}
        """
    ).fetchall()
    lines = source.lines({int(r) for _, rs in dups for r in rs[:2]})
    problems = []
    for ident, rs in dups:
        first, second = int(rs[0]), int(rs[1])
        more = f" and {len(rs) - 2} more times" if len(rs) > 2 else ""
        problems.append(
            Problem(
                source.file,
                lines.get(second, second),
                f"duplicate id '{ident}' (first at line {lines.get(first, first)}){more}",
            )
        )
    return problems


def listed_problems(source: Source, view: str, bad: int) -> list[Problem]:
    """The first ``MAX_LISTED`` records of ``view`` with a ``__problem``, then a count."""
    found = [
        (int(r), str(m))
        for r, m in source.con.execute(
            f"SELECT __row, __problem FROM {view} WHERE __problem IS NOT NULL "
            f"ORDER BY __row LIMIT {MAX_LISTED}"
        ).fetchall()
    ]
    problems = source.located(found)
    if bad > len(found):
        problems.append(Problem(source.file, None, f"... and {bad - len(found)} more bad records"))
    return problems


def missing_field_problems(
    source: Source, missing: Mapping[str, int], valid: int, column_map: Mapping[str, str]
) -> list[Problem]:
    """JSONL: a field that no record has is one problem about the file, not one per record."""
    problems: list[Problem] = []
    if source.fmt != "jsonl" or not valid:
        return problems
    for field, count in missing.items():
        if count == valid:
            column = column_map.get(field, field)
            hint = "" if field in column_map else f"; map yours with --map {field}=FIELD"
            problems.append(
                Problem(
                    source.file,
                    None,
                    f"no record has a '{column}' field "
                    f"(fields seen: {', '.join(source.names)}){hint}",
                )
            )
    return problems


# --- the feedback log --------------------------------------------------------------------


def _field_exprs(
    source: Source, column_map: Mapping[str, str], stratify_by: str | None
) -> tuple[dict[str, str], list[Problem]]:
    """Text expressions for each field over ``src``; file-level problems (missing columns)."""
    problems: list[Problem] = []
    exprs: dict[str, str] = {}
    for field in [*MAPPABLE_FIELDS, "segment"]:
        if field == "segment":
            if stratify_by is None:
                exprs[field] = "NULL::VARCHAR"
                continue
            column = stratify_by
        else:
            column = column_map.get(field, field)
        expr = source.column_sql(column)
        if expr is None:
            mapped = field in column_map or field == "segment"
            if field in REQUIRED_FIELDS or mapped:
                what = "--stratify-by" if field == "segment" else f"field '{field}'"
                hint = "" if mapped else f"; map yours with --map {field}=COLUMN"
                problems.append(
                    Problem(
                        source.file,
                        None,
                        f"no column '{column}' for {what} "
                        f"(columns: {', '.join(source.names)}){hint}",
                    )
                )
            expr = "NULL::VARCHAR"
        if field == "segment":
            expr = f"coalesce({expr}, {_lit(MISSING_SEGMENT)})"
        exprs[field] = expr
    return exprs, problems


def _rating_sql(scale: str, threshold: float) -> str:
    r = "lower(trim(__rating_raw))"
    num = "TRY_CAST(trim(__rating_raw) AS DOUBLE)"
    empty = f"__rating_raw IS NULL OR {r} = ''"
    if scale == "updown":
        return f"CASE WHEN {empty} THEN 'unrated' WHEN {r} IN ('up', 'down') THEN {r} END"
    if scale == "signed":
        return (
            f"CASE WHEN {empty} THEN 'unrated' WHEN {num} = 1 THEN 'up' "
            f"WHEN {num} = -1 THEN 'down' WHEN {num} = 0 THEN 'unrated' END"
        )
    return (
        f"CASE WHEN {empty} THEN 'unrated' WHEN {num} >= 1 AND {num} <= 5 THEN "
        f"(CASE WHEN {num} >= {threshold!r} THEN 'up' ELSE 'down' END) END"
    )


def _detect_scale(con: duckdb.DuckDBPyConnection, file: str, rating_column: str) -> RatingScale:
    row = con.execute(
        """
        SELECT count(*) FILTER (WHERE r IN ('up', 'down')),
               count(*) FILTER (WHERE num IS NOT NULL),
               min(num), max(num)
        FROM (SELECT lower(trim(__rating_raw)) AS r,
                     TRY_CAST(trim(__rating_raw) AS DOUBLE) AS num FROM fields)
        """
    ).fetchone()
    assert row is not None
    words, numbers, low, high = int(row[0]), int(row[1]), row[2], row[3]
    if words >= numbers:
        return "updown"
    if low <= 0:
        return "signed"
    if high > 1:
        return "stars"
    raise InputError.single(
        file,
        None,
        f"every rating in column '{rating_column}' is 1: is that thumbs-up (--rating-scale "
        "signed) or one star (--rating-scale stars)?",
    )


def _tally(
    con: duckdb.DuckDBPyConnection,
) -> tuple[list[tuple[str | None, str, int]], int, int]:
    """Counts per (rating, segment), bad records, duplicate ids (two scans)."""
    groups = con.execute(
        """
        SELECT __rating, __segment, count(*) AS n,
               count(*) FILTER (WHERE __problem IS NOT NULL) AS bad
        FROM events GROUP BY ALL
        """
    ).fetchall()
    cells = [(rating, segment, int(n)) for rating, segment, n, _ in groups]
    bad = sum(int(g[3]) for g in groups)
    dup_row = con.execute("SELECT count(__id) - count(DISTINCT __id) FROM events").fetchone()
    duplicates = int(dup_row[0]) if dup_row else 0
    return cells, bad, duplicates


def _missing_counts(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, int], int]:
    """Records lacking each required field, and records that are no record at all (the
    error path only)."""
    row = con.execute(
        """
        SELECT count(*) FILTER (WHERE __shape IS NULL AND (__id IS NULL OR __id = '')),
               count(*) FILTER (WHERE __shape IS NULL AND __prompt IS NULL),
               count(*) FILTER (WHERE __shape IS NULL AND __response IS NULL),
               count(*) FILTER (WHERE __shape IS NOT NULL)
        FROM events
        """
    ).fetchone()
    assert row is not None
    return {"id": int(row[0]), "prompt": int(row[1]), "response": int(row[2])}, int(row[3])


class FeedbackLog:
    """A validated feedback log: DuckDB views over the file, its counts, and row lookup.

    The view ``events`` has ``__row`` (1-based record index) and the normalised text columns
    ``__id``, ``__timestamp``, ``__user_id``, ``__prompt``, ``__response``, ``__reference``,
    ``__rating_raw``, ``__rating`` (``up``, ``down``, ``unrated``; NULL when invalid),
    ``__segment``, ``__problem``, then the file's own columns.
    """

    def __init__(self, source: Source, info: LogInfo, *, mapped_columns: set[str]) -> None:
        self.source = source
        self.con = source.con
        self.info = info
        self._mapped = mapped_columns

    def fetch(self, rows: Sequence[int]) -> list[FeedbackEvent]:
        """The rated events at these record indices (in file order)."""
        return [self._event(rec) for rec in self.source.fetch("events", rows)]

    def _event(self, rec: dict[str, Any]) -> FeedbackEvent:
        return FeedbackEvent(
            id=rec["__id"],
            row=int(rec["__row"]),
            timestamp=rec["__timestamp"],
            user_id=rec["__user_id"],
            prompt=rec["__prompt"],
            response=rec["__response"],
            rating=rec["__rating"],
            rating_raw=rec["__rating_raw"],
            segment=rec["__segment"],
            reference=rec["__reference"],
            extra=self.source.extras(rec, self._mapped),
        )

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> FeedbackLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_log(
    path: str | Path,
    *,
    fmt: str | None = None,
    column_map: Mapping[str, str] | None = None,
    rating_scale: str = "auto",
    threshold: float = 4.0,
    stratify_by: str | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> FeedbackLog:
    """Open, validate and count a feedback log. Raises :class:`InputError` listing every bad
    record (file and line) and every missing column; the caller writes nothing then."""
    file = str(path)
    cmap = dict(column_map or {})
    bad_fields = [f for f in cmap if f not in MAPPABLE_FIELDS]
    if bad_fields:
        raise InputError.single(file, None, f"column map: unknown field(s) {bad_fields}")
    if rating_scale not in SCALES:
        raise InputError.single(
            file, None, f"unknown rating scale '{rating_scale}': expected {', '.join(SCALES)}"
        )
    if not 1 < threshold <= 5:
        raise InputError.single(file, None, f"stars threshold must be in (1, 5], got {threshold}")
    source = open_source(path, fmt, memory_limit=memory_limit, threads=threads)
    try:
        return _open(source, cmap, rating_scale, threshold, stratify_by)
    except BaseException:
        source.close()
        raise


def _problem_sql(scale: str, cmap: Mapping[str, str]) -> str:
    label = {f: (f if f not in cmap else f"{f} (column '{cmap[f]}')") for f in MAPPABLE_FIELDS}
    quote = "''''"  # a single quote, as a SQL literal
    return f"""
        CASE
          WHEN __shape IS NOT NULL THEN __shape
          WHEN __id IS NULL OR __id = '' THEN {_lit(label["id"] + " is missing")}
          WHEN __prompt IS NULL THEN {_lit(label["prompt"] + " is missing")}
          WHEN __response IS NULL THEN {_lit(label["response"] + " is missing")}
          WHEN __rating IS NULL THEN {_lit(label["rating"] + " ")} || {quote} || __rating_raw
               || {quote} || ' is not ' || {_lit(_SCALE_TEXT[scale])}
        END"""


def _open(
    source: Source,
    cmap: dict[str, str],
    rating_scale: str,
    threshold: float,
    stratify_by: str | None,
) -> FeedbackLog:
    file, con = source.file, source.con
    exprs, problems = _field_exprs(source, cmap, stratify_by)
    if problems:
        raise InputError(problems)
    selects = ", ".join(f"{exprs[f]} AS __{'rating_raw' if f == 'rating' else f}" for f in exprs)
    con.execute(
        f"CREATE VIEW fields AS SELECT __row, {selects}, {source.shape_sql} AS __shape, "
        "src.* EXCLUDE (__row) FROM src"
    )
    try:
        scale: RatingScale
        if rating_scale == "auto":
            scale = _detect_scale(con, file, cmap.get("rating", "rating"))
        else:
            scale = rating_scale  # type: ignore[assignment]
        con.execute(
            f"CREATE VIEW rated AS SELECT *, {_rating_sql(scale, threshold)} AS __rating "
            "FROM fields"
        )
        con.execute(
            f"CREATE VIEW events AS SELECT *, {_problem_sql(scale, cmap)} AS __problem FROM rated"
        )
        cells, bad, duplicates = _tally(con)
        rows = sum(n for _, _, n in cells)
        if rows == 0:
            raise InputError.single(file, None, "no records")
        problems = []
        whole_file = False  # a field no record has: one problem, not one per record
        if bad:
            missing, shape = _missing_counts(con)
            problems = missing_field_problems(source, missing, rows - shape, cmap)
            whole_file = bool(problems)
            if not whole_file:
                problems = listed_problems(source, "events", bad)
        if duplicates and not whole_file:
            problems.extend(duplicate_problems(source, "events"))
        if problems:
            raise InputError(problems)
        bottom_cut: float | None = None
        if scale == "stars":
            cut = con.execute(
                "SELECT quantile_disc(TRY_CAST(trim(__rating_raw) AS DOUBLE), 0.1) FROM events "
                "WHERE __rating IN ('up', 'down')"
            ).fetchone()
            bottom_cut = float(cut[0]) if cut and cut[0] is not None else None
    except duckdb.Error as exc:
        raise InputError(source.unreadable(exc)) from None
    strata = sorted(
        (
            Stratum(
                rating=rating,
                segment=segment if stratify_by else None,
                events=n,
            )
            for rating, segment, n in cells
            if rating in ("up", "down")
        ),
        key=lambda s: (s.rating, s.segment or ""),
    )
    rated = sum(s.events for s in strata)
    if rated == 0:
        raise InputError.single(
            file, None, f"no rated events: all {rows} records have an empty or neutral rating"
        )
    info = LogInfo(
        file=file,
        format=source.fmt,
        rows=rows,
        rated=rated,
        unrated=rows - rated,
        rating_scale=scale,
        threshold=threshold if scale == "stars" else None,
        column_map=cmap,
        columns=source.names,
        stratify_by=stratify_by,
        strata=strata,
        bottom_cut=bottom_cut,
    )
    return FeedbackLog(source, info, mapped_columns={cmap.get(f, f) for f in MAPPABLE_FIELDS})
