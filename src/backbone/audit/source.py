"""A data file (JSONL, CSV or Parquet) as a DuckDB view, read without loading it.

The file stays where it is: DuckDB scans it for each question (validation, counts, the rows a
caller asks for), reading only the columns a question needs, and spills to a temporary
directory when an aggregate outgrows memory. So a file larger than memory works. What the
columns mean is the caller's business (the feedback log: :mod:`backbone.audit.feedback_log`;
split channels: :mod:`backbone.audit.channels`): this module gives a text expression per
column (after the caller's column map), the file's column or field names, each record's
1-based index and the line it starts on, and problems located at those lines.

A bad record is reported with its file and line (JSONL and CSV: the line the record starts
on; Parquet: the 1-based row). JSONL and CSV may come gzip-compressed, as log exports often
do (``chats.jsonl.gz``): DuckDB and the line counting here read them as they are.

A folder of Parquet part files (as Spark and many pipelines write a table: ``part-0.parquet``,
``part-1.parquet``, hive partitions ``date=2024-05-01/`` among them, hidden files and
``_SUCCESS`` skipped) is read as one log: its records numbered across the files in path order,
a partition folder's ``key=value`` a text column ``key``, and a bad record named at its part
file and row there.

Example:
    >>> source = open_source("feedback.csv")  # doctest: +SKIP
    >>> prompt = source.column_sql("prompt")  # doctest: +SKIP
    >>> source.con.execute(f"SELECT {prompt} FROM src LIMIT 1").fetchone()  # doctest: +SKIP
    ('What is the capital of Italy?',)
    >>> source.close()  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import math
import re
import shutil
import tempfile
import uuid
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import unquote

import duckdb

from backbone.core import csv_cells
from backbone.core.compressed import GZIP, is_gzip, open_bytes
from backbone.core.errors import InputError, Problem
from backbone.core.json_text import not_json_lines
from backbone.core.user_file import refuse_device

Format = Literal["jsonl", "csv", "parquet"]
FORMATS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
MAX_LISTED = 50  # bad records listed one by one; the rest are counted
MAX_CSV_LINE = 64 * 2**20
"""The longest CSV record read (DuckDB's default, 2 MB, refused a log with one long reply). It
is also the size of DuckDB's read buffer: left to itself DuckDB makes that 16 times the longest
record, capped at the file's size, so a CSV was read in one buffer as large as the file (up to
1 GB), and under ``--memory-limit`` a file larger than the limit could not be read at all."""
KEY_SAMPLE = 10_000  # JSONL records read to list the field names seen
_LINE_RE = re.compile(r"\bline:? (\d+)", re.IGNORECASE)

JSON_RECORD_LIMIT = 1 << 28
"""Bytes one JSONL record may take (DuckDB's ``maximum_object_size``; its default, 16 MB,
refused a log with one long response with DuckDB's words and no line, where the same
record in a CSV log was read)."""


def _first_line_over(path: Path, limit: int) -> int | None:
    """The 1-based number of the first line of ``path`` longer than ``limit`` bytes, read in
    blocks (a line is never held whole), or None."""
    try:
        with open_bytes(path) as f:
            number, length = 1, 0
            while block := f.read(1 << 20):
                start = 0
                while (end := block.find(b"\n", start)) != -1:
                    if length + end - start > limit:
                        return number
                    number, length, start = number + 1, 0, end + 1
                length += len(block) - start
                if length > limit:
                    return number
    except (OSError, EOFError):
        return None
    return None


def sql_literal(text: str) -> str:
    """A SQL string literal: ``sql_literal("it's")`` -> ``'it''s'``."""
    return "'" + text.replace("'", "''") + "'"


def sql_in(values: Iterable[str]) -> str:
    """A SQL list for ``IN``: ``sql_in(["up", "it's"])`` -> ``('up', 'it''s')``."""
    return "(" + ", ".join(sql_literal(v) for v in values) + ")"


def json_path(field: str) -> str:
    """A SQL literal for the JSON path of a top-level field: ``$."the name"``."""
    return sql_literal('$."' + field.replace("\\", "\\\\").replace('"', '\\"') + '"')


def sql_identifier(name: str) -> str:
    """A SQL identifier: ``sql_identifier('a"b')`` -> ``"a""b"``."""
    return '"' + name.replace('"', '""') + '"'


def set_memory_limit(con: duckdb.DuckDBPyConnection, memory_limit: str) -> None:
    """``SET memory_limit`` on a DuckDB connection (beyond it, DuckDB spills to its temporary
    directory); a value that is no size raises :class:`InputError` naming ``--memory-limit``.
    A negative size or ``none`` is refused too: DuckDB reads it as no limit at all, which
    ``--memory-limit -1`` does not say.

    Example:
        >>> con = duckdb.connect()
        >>> set_memory_limit(con, "512MiB")
        >>> con.execute("SELECT current_setting('memory_limit')").fetchone()
        ('512.0 MiB',)
    """
    if memory_limit.strip().startswith("-") or memory_limit.strip().lower() == "none":
        raise InputError.single(
            "--memory-limit",
            None,
            f"{memory_limit!r} is not a memory size such as 2GB or 512MB (DuckDB would read "
            "it as no limit at all: leave --memory-limit out for that)",
        )
    try:
        con.execute(f"SET memory_limit = {sql_literal(memory_limit)}")
    except duckdb.Error as exc:
        raise InputError.single(
            "--memory-limit",
            None,
            f"{memory_limit!r} is not a memory size such as 2GB or 512MB "
            f"({str(exc).splitlines()[0]})",
        ) from None


@contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C during a DuckDB query stops it, but DuckDB swallows the ``KeyboardInterrupt``
    and raises ``RuntimeError('Query interrupted')`` (``InterruptException`` for
    ``con.interrupt()``): raised here as the ``KeyboardInterrupt`` it is, so the command stops
    as interrupted rather than with a traceback (or, caught as a DuckDB error, as bad input)."""
    try:
        yield
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except RuntimeError as exc:
        if str(exc) == "Query interrupted":
            raise KeyboardInterrupt from None
        raise


@contextmanager
def read_through(name: str, source: Source | None = None) -> Iterator[None]:
    """DuckDB failing a query after the log was opened and counted (the draw, fetching the
    drawn records: out of memory under ``--memory-limit``, a database page that no longer
    reads) as an :class:`InputError`: naming ``source``'s file and line when the log is a
    file (:meth:`Source.unreadable`), else ``name`` (a table: ``duckdb://app.db table 'fb'``).

    Example:
        >>> try:
        ...     with read_through("app.db table 'fb'"):
        ...         duckdb.sql("SELECT error('page 7 is corrupt')").fetchall()
        ... except InputError as exc:
        ...     print(exc)
        app.db table 'fb': Invalid Input Error: page 7 is corrupt
    """
    try:
        yield
    except duckdb.Error as exc:
        if source is not None:
            raise InputError(source.unreadable(exc)) from None
        text = str(exc).strip()
        raise InputError.single(
            name, None, text.splitlines()[0] if text else type(exc).__name__
        ) from None


def detect_format(path: Path, fmt: str | None = None) -> Format:
    """The format named, else the one the file's extension says (under a ``.gz``: the one
    before it).

    Example:
        >>> detect_format(Path("chats.jsonl.gz")), detect_format(Path("ratings.CSV"))
        ('jsonl', 'csv')
    """
    compressed = is_gzip(path)
    if fmt is not None:
        if fmt not in ("jsonl", "csv", "parquet"):
            raise InputError.single(
                str(path), None, f"unknown format '{fmt}': expected jsonl, csv or parquet"
            )
        found: Format = fmt  # type: ignore[assignment]
    else:
        suffix = Path(path.stem).suffix if compressed else path.suffix
        known = FORMATS.get(suffix.lower())
        if known is None:
            shown = f"{suffix}{GZIP}" if compressed else path.suffix
            raise InputError.single(
                str(path),
                None,
                f"cannot tell the format from the extension '{shown}': use .jsonl, .csv or "
                ".parquet (.jsonl.gz and .csv.gz for gzip), or name it with --format",
            )
        found = known
    if compressed and found == "parquet":
        raise InputError.single(
            str(path), None, "a Parquet file is compressed inside: give it without the .gz"
        )
    return found


def open_text(path: Path, errors: str) -> IO[str]:
    """The file as UTF-8 text (a byte-order mark skipped, lines as they are for ``csv``),
    gunzipped when its name ends in ``.gz``."""
    return io.TextIOWrapper(open_bytes(path), encoding="utf-8-sig", errors=errors, newline="")


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


def csv_header(path: Path) -> list[str]:
    """The header's column names; a column with no name (the index pandas writes) is
    ``column{i}``, its 0-based place."""
    # bytes that are not UTF-8 are read as surrogates here, so that only the header's own are
    # named at line 1 (a decoder reads ahead); DuckDB names the rows' at their lines
    try:
        with open_text(path, "surrogateescape") as f:
            rows = csv_cells.reader(f)
            header: list[str] | None = next(rows, None)
            blank = header is not None and not "".join(header).strip() and len(header) < 2
            # a blank first line was "empty file" (or, of spaces, a header naming no column)
            more = blank and any(any(cell.strip() for cell in row) for row in rows)
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise InputError.single(str(path), None, f"cannot read the file: {exc}") from None
    if blank:
        raise InputError.single(
            str(path),
            1,
            "blank line where the header row should be: make the header the first line"
            if more
            else "only blank lines: expected a header row",
        )
    for name in header or []:
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError.single(
                str(path), 1, "not UTF-8 text: invalid bytes in the header"
            ) from None
    if not header:
        raise InputError.single(str(path), 1, "empty file: expected a header row")
    named = set(header)
    seen: set[str] = set()
    for i, name in enumerate(header):
        if not name:  # pandas' to_csv writes its index so; DuckDB refused the empty name
            header[i] = name = f"column{i}"
            if name in named:
                raise InputError.single(
                    str(path),
                    1,
                    f"column {i + 1} of the header has no name, and the name it would get, "
                    f"'{name}', is another column's: name it",
                )
        if name in seen:
            raise InputError.single(str(path), 1, f"column '{name}' appears twice in the header")
        seen.add(name)
    return header


def _csv_reader_sql(path: Path, header: list[str], *, rejects: bool = False) -> str:
    columns = ", ".join(f"{sql_literal(name)}: 'VARCHAR'" for name in header)
    extra = (
        ", ignore_errors=true, store_rejects=true, rejects_table='bb_rejects', "
        "rejects_scan='bb_rejects_scan'"
        if rejects
        else ""
    )
    return (
        f"read_csv({sql_literal(str(path))}, header=true, auto_detect=false, delim=',', "
        f"quote='\"', escape='\"', columns={{{columns}}}, strict_mode=true, "
        "allow_quoted_nulls=false, "
        f"max_line_size={MAX_CSV_LINE}, buffer_size={MAX_CSV_LINE}{extra})"
    )


@contextmanager
def _read_again(path: Path) -> Iterator[None]:
    """Reading a log DuckDB has read, to place its records at their lines: a ``.gz`` file
    whose compressed data is damaged (DuckDB may read through it) is an :class:`InputError`
    naming the file, not an ``OSError`` traceback."""
    try:
        yield
    except (OSError, EOFError) as exc:
        raise InputError.single(str(path), None, f"cannot read the file: {exc}") from None


def record_lines(path: Path, fmt: str, records: set[int]) -> dict[int, int]:
    """Map 1-based record indices of a file to the line each record starts on: JSONL counts
    the lines that are not blank, CSV the records after the header (a quoted value may span
    lines); Parquet has no lines, so a record is named by its row. The file is read up to the
    last record asked for.

    >>> record_lines(Path("chats.jsonl"), "jsonl", {2})  # lines 1 and 3, 2 blank  # doctest: +SKIP
    {2: 3}
    >>> record_lines(Path("chats.parquet"), "parquet", {7})
    {7: 7}
    """
    if not records or fmt not in ("jsonl", "csv"):
        return {r: r for r in records}
    out: dict[int, int] = {}
    last = max(records)
    if fmt == "jsonl":
        index = 0
        with _read_again(path), open_bytes(path) as f:
            for number, raw in enumerate(f, start=1):
                if not raw.strip():
                    continue
                index += 1
                if index in records:
                    out[index] = number
                if index >= last:
                    break
        return out
    with _read_again(path), open_text(path, "replace") as f:
        reader = csv_cells.reader(f)
        next(reader, None)
        end = reader.line_num
        for index, _ in enumerate(reader, start=1):
            if index in records:
                out[index] = end + 1
            end = reader.line_num
            if index >= last:
                break
    return out


PARQUET_SUFFIXES = (".parquet", ".pq")
_HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"  # Spark's and Hive's folder name for a null key
_PART_FILE = "__bb_part_file"  # the column read_parquet names each row's part file in


def _hidden(relative: Path) -> bool:
    """A file Spark and Hive skip in a table's folder: ``.crc`` checksums, ``_SUCCESS``,
    ``_committed_*`` (any name, file or folder, starting with ``.`` or ``_``)."""
    return any(name.startswith((".", "_")) for name in relative.parts)


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def parquet_parts(folder: Path, fmt: str | None = None) -> list[Path]:
    """The Parquet part files of a table's folder, in path order (the folder's tree; hidden
    files, ``_SUCCESS`` and the like skipped). Raises :class:`InputError` naming the folder
    when it holds none, or a file the default engine would not read with them (with
    ``--format parquet``, every file is taken as a part, whatever its name).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> for name in ("part-1.parquet", "part-0.parquet", "_SUCCESS", ".part-0.parquet.crc"):
        ...     _ = (folder / name).write_bytes(b"")
        >>> [p.name for p in parquet_parts(folder)]
        ['part-0.parquet', 'part-1.parquet']
    """
    file = str(folder)
    if fmt is not None and fmt != "parquet":
        detect_format(folder, fmt)  # an unknown format is named as for a file
        raise InputError.single(
            file,
            None,
            f"is a directory: a folder is read as Parquet part files, not {fmt} (give the "
            f"{fmt} file itself, or read the folder with --engine spark)",
        )
    parts: list[Path] = []
    others: list[Path] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if _hidden(relative) or not path.is_file():
            continue
        if fmt == "parquet" or path.suffix.lower() in PARQUET_SUFFIXES:
            parts.append(path)
        else:
            others.append(path)
    if not parts:
        held = (
            f" (it holds {_listed([str(p.relative_to(folder)) for p in others])})" if others else ""
        )
        raise InputError.single(
            file,
            None,
            f"is a directory with no Parquet files{held}: give the log file itself (JSONL, "
            "CSV or Parquet), or a folder of Parquet part files",
        )
    if others:
        raise InputError.single(
            str(others[0]),
            None,
            "not a Parquet file, in a folder read as Parquet part files (the other files: "
            f"{_listed([str(p.relative_to(folder)) for p in parts])}): move it out, or name "
            "the format with --format parquet if it is one",
        )
    return parts


def _partitions(folder: Path, parts: Sequence[Path]) -> tuple[list[str], list[list[str | None]]]:
    """The hive partition keys of the part files (``date=2024-05-01/part-0.parquet``: date)
    and each file's values; raises :class:`InputError` when the files do not share keys."""
    found: list[list[tuple[str, str]]] = []
    for part in parts:
        folders = part.relative_to(folder).parts[:-1]
        found.append([(k, v) for k, sep, v in (f.partition("=") for f in folders) if sep])
    keys = [k for k, _ in found[0]]
    for part, pairs in zip(parts, found, strict=True):
        if [k for k, _ in pairs] != keys:
            said = ", ".join(keys) or "none"
            raise InputError.single(
                str(part),
                None,
                f"partition folders ({', '.join(k for k, _ in pairs) or 'none'}) are not the "
                f"first part file's ({said}): a folder of part files is one table",
            )
    values = [[None if v == _HIVE_NULL else unquote(v) for _, v in pairs] for pairs in found]
    return keys, values


def _past_subtree(rows: Sequence[tuple[Any, ...]], i: int) -> int:
    """The index past the schema element at ``i`` and its children (``parquet_schema`` rows,
    depth first, the third item the number of children)."""
    end, pending = i, 1
    while pending:
        pending += int(rows[end][2]) - 1
        end += 1
    return end


class Source:
    """A log file as the DuckDB view ``src``: one row per record, ``__row`` its 1-based index,
    then the file's columns (JSONL: one ``json`` column holding the record). A folder of
    Parquet part files (``parts``, from :func:`parquet_parts`) is one log: ``__row`` counts
    across its files in path order, and :meth:`places` names a record's part file and row.

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
        parts: Sequence[Path] = (),
    ) -> None:
        self.path = path
        self.file = str(path)
        self.fmt = fmt
        self.part_files = list(parts)
        self.parts: list[tuple[str, int]] = []  # a folder's part files and their row counts
        self.header: list[str] = []
        self.user_columns: list[str] = []
        self.names: list[str] = []
        # made (as mkdtemp makes it) and DuckDB started where a Ctrl-C removes it again: one
        # landing just after mkdtemp made it, or while DuckDB started, left the folder behind
        self.tmpdir = Path(tempfile.gettempdir()) / f"backbone-audit-{uuid.uuid4().hex}"
        try:
            self.tmpdir.mkdir(mode=0o700)
            self.con = duckdb.connect(config={"temp_directory": str(self.tmpdir)})
        except BaseException:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            raise
        try:
            # DuckDB draws its own progress bar on stdout for a query past 2 s, with --quiet
            # and into a file too (`backbone audit big.jsonl -q > summary.txt` began with bars)
            self.con.execute("SET enable_progress_bar = false")
            # a zoned timestamp as text (a stratum's or a domain's label, an event's
            # timestamp) in UTC, '2024-03-01 10:00:00+00', as every other engine writes it
            # (Ibis sets UTC on DuckDB, Postgres and Spark): in the machine's zone, the same
            # log's labels changed from machine to machine and were not Spark's
            self.con.execute("SET TimeZone = 'UTC'")
            if memory_limit:
                set_memory_limit(self.con, memory_limit)
            if threads:
                self.con.execute(f"SET threads = {int(threads)}")
            self._create()
        except BaseException:
            self.close()
            raise

    def _create(self) -> None:
        file = self.file
        try:
            if self.part_files:
                self._create_folder()
            elif self.fmt == "parquet":
                self._refuse_repeated_columns([file])
                self.con.execute(
                    "CREATE VIEW src AS SELECT * EXCLUDE (file_row_number), "
                    "file_row_number + 1 AS __row "
                    f"FROM read_parquet({sql_literal(file)}, file_row_number=true)"
                )
            elif self.fmt == "csv":
                self.header = csv_header(self.path)
                self.con.execute(
                    "CREATE VIEW src AS SELECT *, row_number() OVER () AS __row "
                    f"FROM {_csv_reader_sql(self.path, self.header)}"
                )
            else:
                self.con.execute(
                    "CREATE VIEW src AS SELECT json, row_number() OVER () AS __row FROM "
                    f"read_json_objects({sql_literal(file)}, format='newline_delimited', "
                    f"ignore_errors=true, maximum_object_size={JSON_RECORD_LIMIT})"
                )
                self._refuse_one_array()
            described = self.con.execute("DESCRIBE src").fetchall()
            self.user_columns = [str(r[0]) for r in described if r[0] != "__row"]
            # column names (CSV, Parquet), or the field names seen in the first records (JSONL)
            self.names = self._json_keys() if self.fmt == "jsonl" else list(self.user_columns)
        except duckdb.Error as exc:
            raise InputError(self.unreadable(exc)) from None

    def _refuse_one_array(self) -> None:
        """A JSONL log that is one JSON array (``json.dump(events, f, indent=2)``, a ``.json``
        export) is refused as a whole: read line by line it gave "not valid JSON" for nearly
        every line, and read the lines that happened to hold a whole object as records."""
        try:
            with open_bytes(self.path) as f:
                head = f.read(1024)
        except (OSError, EOFError):
            return  # an unreadable file is named where it is read
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            return
        try:
            row = self.con.execute(
                f"SELECT count(*) FROM read_json_objects({sql_literal(self.file)}, format='array', "
                f"maximum_object_size={JSON_RECORD_LIMIT})"
            ).fetchone()
        except duckdb.Error:
            return  # not one array after all: each bad line is named as before
        items = int(row[0]) if row else 0
        raise InputError.single(self.file, None, not_json_lines(items, self.path.name))

    def _create_folder(self) -> None:
        """``src`` over a folder of Parquet part files: each file's rows after the rows of the
        files before it, a partition folder's ``key=value`` a column ``key``."""
        names = [str(p) for p in self.part_files]
        self._refuse_repeated_columns(names)
        files = "[" + ", ".join(sql_literal(n) for n in names) + "]"
        counted = dict(
            self.con.execute(
                f"SELECT file_name, num_rows FROM parquet_file_metadata({files})"
            ).fetchall()
        )
        self.parts = [(n, int(counted.get(n) or 0)) for n in names]
        keys, values = _partitions(self.path, self.part_files)
        offsets = [0, *accumulate(n for _, n in self.parts)][:-1]
        columns = ", ".join(f"{sql_identifier(k)} VARCHAR" for k in keys)
        self.con.execute(
            f"CREATE TEMP TABLE bb_parts ({_PART_FILE} VARCHAR, __bb_offset BIGINT"
            + (f", {columns})" if keys else ")")
        )
        self.con.executemany(
            f"INSERT INTO bb_parts VALUES ({', '.join('?' * (2 + len(keys)))})",
            [[n, o, *v] for n, o, v in zip(names, offsets, values, strict=True)],
        )
        reader = (
            f"read_parquet({files}, filename={sql_literal(_PART_FILE)}, file_row_number=true, "
            "hive_partitioning=false, union_by_name=true)"
        )
        described = self.con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        in_files = [str(r[0]) for r in described]
        clash = [k for k in keys if k in in_files]
        if clash:
            raise InputError.single(
                self.file,
                None,
                f"column '{clash[0]}' is both in the part files and a partition folder's name "
                f"({clash[0]}=...): which one is it?",
            )
        added = "".join(f", o.{sql_identifier(k)}" for k in keys)
        self.con.execute(
            f"CREATE VIEW src AS SELECT p.* EXCLUDE (file_row_number, {_PART_FILE}){added}, "
            "o.__bb_offset + p.file_row_number + 1 AS __row "
            f"FROM {reader} p JOIN bb_parts o ON p.{_PART_FILE} = o.{_PART_FILE}"
        )

    def _refuse_repeated_columns(self, files: Sequence[str]) -> None:
        """A Parquet file whose schema names a column twice (pyarrow writes one) is refused,
        as a CSV header that does: DuckDB read the second as ``NAME_1`` and the audit used the
        first without a word, whichever the team meant."""
        listed = "[" + ", ".join(sql_literal(f) for f in files) + "]"
        rows = self.con.execute(
            f"SELECT file_name, name, coalesce(num_children, 0) FROM parquet_schema({listed})"
        ).fetchall()
        by_file: dict[str, list[tuple[Any, ...]]] = {}
        for row in rows:
            by_file.setdefault(str(row[0]), []).append(row)
        for file in files:  # each file's schema, depth first: its root, then its columns
            schema = by_file.get(file, [])
            seen: set[str] = set()
            i = 1
            for _ in range(int(schema[0][2]) if schema else 0):
                name = str(schema[i][1])
                if name in seen:
                    raise InputError.single(
                        file, None, f"column '{name}' appears twice in the file's schema"
                    )
                seen.add(name)
                i = _past_subtree(schema, i)

    def _json_keys(self) -> list[str]:
        rows = self.con.execute(
            f"SELECT json_keys(json) FROM src WHERE json_type(json) = 'OBJECT' LIMIT {KEY_SAMPLE}"
        ).fetchall()
        seen: dict[str, None] = {}
        for (keys,) in rows:
            for key in keys:
                seen.setdefault(str(key), None)
        return list(seen)

    def column_type(self, column: str) -> str:
        """The DuckDB type of ``column`` of ``src`` ("VARCHAR", "VARCHAR[]", "STRUCT(...)");
        "VARCHAR" when the file has no such column."""
        found = self.con.execute(
            "SELECT column_type FROM (DESCRIBE src) WHERE column_name = ?", [column]
        ).fetchone()
        return str(found[0]) if found else "VARCHAR"

    def column_sql(self, column: str) -> str | None:
        """A text expression for ``column`` over ``src``; None when the file has no such
        column (JSONL: a record without the field gives NULL instead)."""
        if self.fmt == "jsonl":
            return f"json_extract_string(json, {json_path(column)})"
        if column in self.user_columns:
            return f"CAST({sql_identifier(column)} AS VARCHAR)"
        return None

    def absent(self, columns: Sequence[str]) -> list[str]:
        """Those of ``columns`` the file lacks: JSONL, the fields no record has (a field that
        holds null is had; one scan of the file); CSV and Parquet, those not in the header."""
        if not columns:
            return []
        if self.fmt != "jsonl":
            return [c for c in columns if c not in self.user_columns]
        had = ", ".join(f"bool_or(json_exists(json, {json_path(c)}))" for c in columns)
        row = self.con.execute(f"SELECT {had} FROM src WHERE json_type(json) = 'OBJECT'").fetchone()
        return [c for c, found in zip(columns, row or (), strict=False) if not found]

    def names_with(self, columns: Iterable[str | None]) -> tuple[list[str], set[str]]:
        """The log's column names counting those of ``columns`` (the columns a command was
        told to read) first given late, and those of ``columns`` no record has. JSONL: the
        names come from the first ``KEY_SAMPLE`` records, so a column first given after them
        (a field added to a running log) is added, one scan of the file, only when one of
        ``columns`` is not among them. CSV and Parquet: the header, and nothing looked for.
        One column, one role is checked against these names (a column read for two roles
        counts wherever in the file it is first given)."""
        late = [c for c in dict.fromkeys(columns) if c is not None and c not in self.names]
        if self.fmt != "jsonl" or not late:
            return list(self.names), set()
        gone = set(self.absent(late))
        return [*self.names, *(c for c in late if c not in gone)], gone

    @property
    def shape_sql(self) -> str:
        """Why a record is not a record at all (JSONL), else NULL. A record that gives a field
        twice (``{"rating": "up", "rating": "down"}``) is refused, naming the field: DuckDB
        reads the first value and Python's ``json`` the last, so the record says both."""
        if self.fmt == "jsonl":
            keys = "json_keys(json)"
            # the first key whose first place is not its last (a list comprehension, not a
            # lambda: DuckDB 1.1 has no `lambda x:` and DuckDB 2 refuses `x ->`)
            twice = (
                f"[k FOR k IN {keys} IF list_position({keys}, k) "
                f"<> len({keys}) + 1 - list_position(list_reverse({keys}), k)][1]"
            )
            return (
                f"CASE WHEN json IS NULL THEN '{NOT_JSON}' "
                "WHEN json_type(json) <> 'OBJECT' THEN 'not a JSON object' "
                f"WHEN len({keys}) <> len(list_distinct({keys})) THEN "
                f"'field ''' || {twice} || {sql_literal(chr(39) + ' ' + REPEATED_KEY)} END"
            )
        return "NULL::VARCHAR"

    def lines(self, records: set[int]) -> dict[int, int]:
        """Map 1-based record indices to the line each record starts on (Parquet: the row)."""
        return record_lines(self.path, self.fmt, records)

    def places(self, records: set[int]) -> dict[int, tuple[str, int]]:
        """Map 1-based record indices to the file and line each record starts on: the log
        file, or for a folder of part files the part file holding the record and its row."""
        if not self.parts:
            lines = self.lines(records)
            return {r: (self.file, lines.get(r, r)) for r in records}
        ends = list(accumulate(n for _, n in self.parts))
        out = {}
        for r in records:
            i = bisect_left(ends, r)  # the first file whose rows reach r
            if i < len(ends):
                out[r] = (self.parts[i][0], r - ends[i] + self.parts[i][1])
            else:  # past the last row: no file holds it
                out[r] = (self.file, r)
        return out

    def located(self, found: Sequence[tuple[int, str]]) -> list[Problem]:
        """Problems for (record index, message) pairs, at the lines the records start on."""
        places = self.places({row for row, _ in found})
        problems = [Problem(*places[row], message) for row, message in found]
        if self.fmt == "jsonl":  # a line that is no JSON may be no text at all: say so
            unreadable = {p.line for p in problems if p.message == NOT_JSON and p.line is not None}
            why = _why_not_json(self.path, unreadable)
            problems = [
                Problem(p.file, p.line, why[p.line]) if p.line in why else p for p in problems
            ]
        return problems

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
        if self.fmt == "jsonl" and "maximum_object_size" in text:
            long_line = _first_line_over(self.path, JSON_RECORD_LIMIT)
            if long_line is not None:
                said = f"a record longer than the {JSON_RECORD_LIMIT:,} bytes one record may take"
                return [Problem(self.file, long_line, said)]
        if "Invalid unicode" in text:  # DuckDB: "CSV Error on Line: 2" first, the cause later
            message = NOT_UTF8
        match = _LINE_RE.search(text)
        line = int(match.group(1)) if match else None
        if self.fmt == "csv" and "state machine" in text:  # DuckDB says no more than that
            changed = first_other_line_ending(self.path)
            if changed is not None:
                return [Problem(self.file, changed[0], changed[1])]
        return [Problem(self.file, line, message)]

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


def first_other_line_ending(path: Path, limit: int = 1 << 26) -> tuple[int, str] | None:
    """Where a file's line endings change kind (``\\r\\n`` on some lines, ``\\n`` on
    others: two exports joined), and what to do, or ``None`` (the first ``limit`` bytes read).
    DuckDB's CSV reader fails on such a file with no more than "The CSV Parser state machine
    reached an invalid state".

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = p.write_bytes(b"id,prompt\\r\\n1,a\\r\\n2,b\\n")
    >>> first_other_line_ending(p)[0]
    3
    """
    first: bytes | None = None
    number = 0
    with _read_again(path), open_bytes(path) as f:
        data = f.read(limit)
    for number, line in enumerate(data.splitlines(keepends=True), 1):
        ending = b"\r\n" if line.endswith(b"\r\n") else b"\n" if line.endswith(b"\n") else b""
        if not ending:
            continue
        if first is None:
            first = ending
        elif ending != first:
            had, has = (repr(e.decode())[1:-1] for e in (first, ending))
            return number, (
                f"line endings change here ({had} before, {has} on this line): the CSV reader "
                "needs one kind; convert the file to one (dos2unix, or save it again)"
            )
    return None


def holds_no_text(kind: str) -> bool:
    """Whether a column of DuckDB type ``kind`` holds lists, structs, maps, unions or bytes:
    read as text, a list of one question would become "[question]" (numbers and times read as
    their text, as in a CSV)."""
    nested = kind.endswith("]") or kind.startswith(("STRUCT", "MAP", "UNION"))
    return nested or kind in ("BLOB", "BIT")


def not_text_problem(source: Source, column: str, field: str) -> Problem | None:
    """Parquet: the problem of a ``column`` read for ``field`` that :func:`holds_no_text`
    ("column 'q' for field 'prompt' holds VARCHAR[] values, not text"); None for other
    formats (a JSONL record's value is checked record by record) and for a column of text,
    numbers or times, or none at all."""
    if source.fmt != "parquet":
        return None
    kind = source.column_type(column)
    if not holds_no_text(kind):
        return None
    return Problem(
        source.file, None, f"column '{column}' for field '{field}' holds {kind} values, not text"
    )


def open_source(
    path: str | Path,
    fmt: str | None = None,
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> Source:
    """Open a log file, or a folder of Parquet part files (:func:`parquet_parts`), as a
    :class:`Source` (raises :class:`InputError` when unreadable)."""
    p = Path(path)
    if p.is_dir():
        parts = parquet_parts(p, fmt)
        return Source(p, "parquet", memory_limit=memory_limit, threads=threads, parts=parts)
    refuse_device(p)
    if not p.is_file():
        raise InputError.single(str(p), None, "no such file")
    found = detect_format(p, fmt)
    if found != "parquet" and _utf16(p):
        raise InputError.single(
            str(p), None, "the file is UTF-16 text: save it as UTF-8 (JSONL and CSV are read so)"
        )
    return Source(p, found, memory_limit=memory_limit, threads=threads)


def _utf16(path: Path) -> bool:
    """Whether a text log starts as UTF-16 does: its byte-order mark, or a NUL byte beside
    each of its first characters ("{\\x00\"\\x00"), where a line-by-line reader would call
    every line "not valid JSON" (an unreadable file is left to the reader to name)."""
    try:
        with open_bytes(path) as f:
            head = f.read(4)
    except (OSError, EOFError):
        return False
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    return len(head) == 4 and (
        (head[1] == 0 and head[3] == 0 and head[0] != 0) or (head[0] == 0 and head[2] == 0)
    )


def duplicate_problems(source: Source, view: str, id_column: str = "__id") -> list[Problem]:
    """One problem per repeated id (at its second record), up to ``MAX_LISTED``."""
    dups = source.con.execute(
        f"""
        SELECT {id_column}, list(__row ORDER BY __row) AS rows FROM {view}
        WHERE {id_column} IS NOT NULL GROUP BY {id_column} HAVING count(*) > 1
        ORDER BY min(__row) LIMIT {MAX_LISTED}
        """
    ).fetchall()
    places = source.places({int(r) for _, rs in dups for r in rs[:2]})
    problems = []
    for ident, rs in dups:
        (first_file, first), (file, line) = places[int(rs[0])], places[int(rs[1])]
        more = f" and {len(rs) - 2} more times" if len(rs) > 2 else ""
        where = f"line {first}" if first_file == file else f"{first_file} line {first}"
        problems.append(Problem(file, line, f"duplicate id '{ident}' (first at {where}){more}"))
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


def no_record_has(column: str) -> str:
    """``no record has a 'prompt' field``, with the article the name takes (``an 'id'``)."""
    article = "an" if column[:1].lower() in ("a", "e", "i", "o", "u") else "a"
    return f"no record has {article} '{column}' field"


def shape_problems(source: Source) -> list[Problem]:
    """JSONL: the lines that are no record at all (not valid JSON, not a JSON object), listed
    like :func:`listed_problems`; listed beside a problem about the whole file, since mending
    that would not mend them (CSV and Parquet: none)."""
    if source.fmt != "jsonl":
        return []
    shapes = f"(SELECT __row, {source.shape_sql} AS __problem FROM src)"
    (bad,) = source.con.execute(f"SELECT count(__problem) FROM {shapes}").fetchone() or (0,)
    return listed_problems(source, shapes, int(bad)) if bad else []


NOT_JSON = "not valid JSON"
REPEATED_KEY = "appears twice in the record: keep one (readers disagree on which value counts)"
NOT_UTF8 = "not UTF-8 text: save the file as UTF-8"


def _why_not_json(path: Path, lines: set[int]) -> dict[int, str]:
    r"""Why DuckDB read those of ``lines`` (1-based numbers) as no JSON, where it is more than
    that: bytes that are not UTF-8 (:data:`NOT_UTF8`), or JSON that Python reads but whose
    text holds half of a UTF-16 pair alone (:func:`lone_surrogate`). The file is read up to
    the last of them, gunzipped when it is gzip.

    Example:
        >>> import tempfile
        >>> log = Path(tempfile.mkdtemp()) / "log.jsonl"
        >>> _ = log.write_bytes(b'{"a": 1}\n{"a": "\xff"}\n{"a": "Paris \\ud83d"}\n')
        >>> for line, why in sorted(_why_not_json(log, {2, 3}).items()):
        ...     print(line, why.split(" (")[0])
        2 not UTF-8 text: save the file as UTF-8
        3 a string holds '\ud83d', half of a character
    """
    out: dict[int, str] = {}
    if not lines:
        return out
    last = max(lines)
    with _read_again(path), open_bytes(path) as f:
        for number, raw in enumerate(f, start=1):
            if number in lines:
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    out[number] = NOT_UTF8
                else:
                    half = lone_surrogate(text)
                    if half is not None:
                        out[number] = (
                            f"a string holds '{half}', half of a character (a lone "
                            "UTF-16 surrogate, as when a string is cut inside an emoji), "
                            "which UTF-8 cannot hold: replace it, e.g. with '\\ufffd'"
                        )
            if number >= last:
                break
    return out


def lone_surrogate(line: str) -> str | None:
    r"""The first half of a UTF-16 pair that a JSON line's strings (or keys) hold alone,
    written as its escape (``\ud83d``); None when there is none or the line is not JSON at
    all. Python's ``json`` reads such a line (joining whole pairs) into a string that no UTF-8
    text can hold; DuckDB refuses it as no JSON.

    Example:
        >>> print(lone_surrogate('{"reply": "cut \\ud83d", "id": "\\ude00"}'))
        \ud83d
        >>> print(lone_surrogate('{"reply": "whole \\ud83d\\ude00"}'))
        None
    """
    try:
        value = json.loads(line)
    except ValueError:
        return None
    stack = [value]
    while stack:  # depth first, in the line's order
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed([part for pair in item.items() for part in pair]))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, str):
            for char in item:
                if "\ud800" <= char <= "\udfff":
                    return f"\\u{ord(char):04x}"
    return None


def missing_field_problems(
    source: Source, missing: Mapping[str, int], valid: int, column_map: Mapping[str, str]
) -> list[Problem]:
    """JSONL: a field that no record has is one problem about the file, not one per record
    (then the lines that are no record at all, see :func:`shape_problems`)."""
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
                    f"{no_record_has(column)} (fields seen: {', '.join(source.names)}){hint}",
                )
            )
    return problems + shape_problems(source) if problems else problems
