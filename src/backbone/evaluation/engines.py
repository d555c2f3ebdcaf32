"""Opening a log where it lives: a Spark session reading a file, or a database table through
Ibis. Shared by the audit (:mod:`backbone.evaluation.audit_engines`) and the monitor
(:mod:`backbone.evaluation.monitor`); each passes an ``opener`` that validates and counts the
Ibis table with its own queries (``audit/engine_table.py``, ``monitor/engine_table.py``).

* ``--engine spark`` with a file: Spark reads the Parquet, CSV or JSONL file itself (master
  from ``$BACKBONE_SPARK_MASTER``, default ``local[2]``; an active session is reused and left
  running; ``--memory-limit`` is a new local session's driver memory);
* ``--connection URL --table NAME``: ``ibis.connect(URL)`` (``duckdb://path.db``,
  ``postgres://user:pass@host/db``, ``bigquery://project/dataset``, ``snowflake://...``: any
  backend Ibis reaches, with its extra installed); a ``sqlite://`` table is copied into DuckDB
  (:mod:`backbone.evaluation.sqlite_table`), and a bare path is a DuckDB or SQLite file, read
  by what it holds.

Example:
    >>> redact("postgres://ana:s3cret@db.example:5432/logs")
    'postgres://ana:***@db.example:5432/logs'
    >>> check_choice(None, engine="duckdb", connection="duckdb://x.db", table="t", what="log")
    'connection'
"""

from __future__ import annotations

import json
import math
import os
import re
from bisect import bisect_left
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

from backbone.audit.source import (
    KEY_SAMPLE,
    MAX_LISTED,
    NOT_JSON,
    NOT_UTF8,
    csv_header,
    detect_format,
    open_source,
    read_through,
    record_lines,
    set_memory_limit,
    sql_literal,
)
from backbone.core.compressed import open_bytes
from backbone.core.errors import InputError, Problem
from backbone.core.user_file import refuse_device

ENGINES: tuple[str, ...] = ("duckdb", "spark")
SPARK_MASTER_ENV = "BACKBONE_SPARK_MASTER"
DEFAULT_SPARK_MASTER = "local[2]"
ROW = "__row"  # the 1-based record index column added to files Spark can number
_FILE, _BLOCK, _ID, _SHIFT = "__file", "__block", "__id", "__shift"  # _numbered's columns
_CORRUPT, _RECORD = "_corrupt_record", "__record"  # _json_lines' working columns
# a JSON record's fields that hold neither text nor null, and what they hold
_KINDS_SQL = """map_filter(transform_values(
  try_variant_get(try_parse_json(value), '$', 'map<string,variant>'),
  (k, x) -> CASE WHEN schema_of_variant(x) IN ('STRING', 'VOID') THEN NULL
    WHEN schema_of_variant(x) LIKE 'ARRAY%' THEN 'a list'
    WHEN schema_of_variant(x) LIKE 'OBJECT%' THEN 'an object'
    WHEN schema_of_variant(x) = 'BOOLEAN' THEN 'a boolean' ELSE 'a number' END),
  (k, v) -> v IS NOT NULL)"""

T = TypeVar("T")
#: (table, name, format, on_close) -> the opened log
SparkOpener = Callable[[Any, str, str, Callable[[], None] | None, frozenset[str]], T]
#: (table, name, on_close) -> the opened log
TableOpener = Callable[[Any, str, Callable[[], None] | None], T]
#: the files Spark read and how many records each holds, in the order of ``__row``
Parts = list[tuple[Path, int]]


def redact(url: str) -> str:
    """A connection URL without its password, fit for messages and output files."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    netloc = f"{parts.username or ''}:***@{host}{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def check_choice(
    file: str | Path | None,
    *,
    engine: str,
    connection: str | None,
    table: str | None,
    what: str,
) -> str:
    """``"file"`` (the default DuckDB path), ``"spark"`` or ``"connection"``; raises
    :class:`InputError` for an unknown engine or options that do not go together."""
    if engine not in ENGINES:
        raise InputError.single(
            "--engine", None, f"unknown engine '{engine}': expected {', '.join(ENGINES)}"
        )
    if connection is not None or table is not None:
        if connection is None or table is None:
            raise InputError.single(
                "--connection", None, "--connection URL and --table NAME go together"
            )
        if file is not None:
            raise InputError.single(
                str(file), None, "give a FILE or --connection/--table, not both"
            )
        if engine != "duckdb":
            raise InputError.single(
                "--engine", None, "--engine spark reads a FILE; a --connection names its engine"
            )
        return "connection"
    if file is None:
        raise InputError.single("FILE", None, f"give a {what} FILE, or --connection and --table")
    return "spark" if engine == "spark" else "file"


#: the units of a memory size, as DuckDB reads them (KB is 1000 bytes, KiB 1024)
_UNITS = {
    **dict.fromkeys(("b", "byte", "bytes"), 1),
    **dict.fromkeys(("k", "kb", "kilobyte", "kilobytes"), 1000),
    **dict.fromkeys(("m", "mb", "megabyte", "megabytes"), 1000**2),
    **dict.fromkeys(("g", "gb", "gigabyte", "gigabytes"), 1000**3),
    **dict.fromkeys(("t", "tb", "terabyte", "terabytes"), 1000**4),
    **{"kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40},
}
_SIZE = re.compile(r"\s*((?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]+)\s*", re.IGNORECASE)
#: the least memory Spark's driver starts with (its 300 MiB reserved, and half again)
SPARK_MIN_MEMORY = 450 * 2**20


def spark_memory(memory_limit: str) -> str:
    """``--memory-limit`` (DuckDB's sizes: ``2GB`` is 2*1000^3 bytes, ``2GiB`` 2*1024^3) as
    the JVM heap Spark's ``spark.driver.memory`` takes, in whole MiB; raises
    :class:`InputError` naming ``--memory-limit`` for what is no size, or is less than the
    450 MiB Spark needs to start.

    Example:
        >>> spark_memory("2GB"), spark_memory("512MiB"), spark_memory("1.5 gb")
        ('1907m', '512m', '1430m')
    """
    found = _SIZE.fullmatch(memory_limit)
    unit = _UNITS.get(found.group(2).lower()) if found else None
    size = float(found.group(1)) * unit if found and unit else math.inf
    if not math.isfinite(size):
        raise InputError.single(
            "--memory-limit", None, f"{memory_limit!r} is not a memory size such as 2GB or 512MB"
        )
    if size < SPARK_MIN_MEMORY:
        raise InputError.single(
            "--memory-limit",
            None,
            f"{memory_limit!r} is less than the 450MiB a Spark driver needs to start",
        )
    return f"{int(size // 2**20)}m"


def spark_session(memory_limit: str | None = None) -> tuple[Any, bool]:
    """The active Spark session, else a new one (and True: the caller stops it).

    ``memory_limit`` (``--memory-limit``) is the new session's driver memory
    (``spark.driver.memory``, :func:`spark_memory`): on a local master the one JVM that reads
    and counts the log. It is refused, not ignored, where it cannot hold: a session (or its
    JVM) already running in this process keeps the memory it started with, and on a cluster
    master the executors' memory is the cluster's."""
    try:
        from pyspark import SparkContext
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError.single(
            "--engine spark",
            None,
            "needs pyspark: pip install 'backbone[spark]' (and a Java 17+ runtime)",
        ) from None
    driver_memory = spark_memory(memory_limit) if memory_limit else None
    active = SparkSession.getActiveSession()
    running = SparkContext._active_spark_context is not None  # a session of another thread
    master = os.environ.get(SPARK_MASTER_ENV) or DEFAULT_SPARK_MASTER
    if driver_memory is not None:
        if active is not None or running or SparkContext._gateway is not None:
            raise InputError.single(
                "--memory-limit",
                None,
                "Spark is already running in this process, with the memory it started with: "
                "leave --memory-limit out",
            )
        if not master.startswith("local"):
            raise InputError.single(
                "--memory-limit",
                None,
                f"sets a local Spark's memory (spark.driver.memory); on master {master!r} the "
                "executors' memory is the cluster's (spark.executor.memory): leave "
                "--memory-limit out",
            )
    if active is not None:
        return active, False
    builder = (
        SparkSession.builder.master(master)
        .appName("backbone")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master.startswith("local"):
        builder = (
            builder.config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
        )
    if driver_memory is not None:  # read when the JVM starts, as spark-submit's --driver-memory
        builder = builder.config("spark.driver.memory", driver_memory)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: no java, bad master...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError.single(
            "--engine spark",
            None,
            f"could not start Spark (master {master!r}; needs a Java 17+ runtime): {first}",
        ) from None
    if not running:
        session.sparkContext.setLogLevel("ERROR")
    return session, not running


def spark_frame(
    session: Any, path: Path, fmt: str, *, kinds: str | None = None, parts: Parts | None = None
) -> Any:
    """The file as a Spark DataFrame (CSV: every column text) with ``__row``, each record's
    1-based index (Parquet: the row, when ``path`` is one file). A directory of JSONL or CSV
    part files is numbered across its files in path order, and ``parts`` (when given) is
    filled with each file and its number of records, so that an index names a file and a
    record in it (:func:`_located`).

    JSONL is read as lines: a line that is not a JSON object (not JSON, ``null``, a list) is
    refused at its line, as the default path refuses it, and ``kinds`` names a column added to
    say which fields of a record hold neither text nor null (``{"content": "a number"}``:
    Spark's reader makes 42 among texts the text "42", so a caller that needs text can tell).

    Example:
        >>> frame = spark_frame(session, Path("chats.jsonl"), "jsonl", kinds="k")  # doctest: +SKIP
        >>> frame.select("__row", "k").first()  # doctest: +SKIP
        Row(__row=1, k={'turn': 'a number'})
    """
    file = str(path)
    if fmt == "parquet":
        if not path.is_file():  # a directory: rows numbered in each part file would mislead
            # its part files' columns by name, as DuckDB reads them: without mergeSchema Spark
            # takes one file's schema and drops the columns later files added
            return session.read.option("mergeSchema", "true").parquet(file)
        frame = session.read.parquet(file)
        try:  # the 1-based row, as the default path reports it (Spark >= 3.5)
            return frame.selectExpr("*", f"_metadata.row_index + 1 AS {ROW}")
        except Exception:
            return frame
    if fmt == "csv":
        frame = (
            session.read.option("header", True)
            .option("multiLine", True)
            .option("escape", '"')
            .option("mode", "FAILFAST")
            .csv(file)
        )
        return _numbered(session, frame, parts)[0]
    return _json_lines(session, path, kinds, parts)


def _numbered(
    session: Any, frame: Any, parts: Parts | None = None, flag: Any | None = None
) -> tuple[Any, int]:
    """``frame`` (the records of a file, or of a directory's files, each read in file order)
    with ``__row``, the 1-based index across the files in path order; ``parts`` (when given)
    is filled with each file and its number of records. Also the number of records for
    which ``flag`` (a boolean column of ``frame``) holds, counted in the same query (0
    without one).

    Spark numbers rows only within a task (``monotonically_increasing_id``: consecutive in
    each split of a file, the splits' files and starts in ``_metadata``), so the records of
    each split are counted (one small query) and each split's ids shifted past the records
    of the splits before it."""
    from pyspark.sql import functions as F

    numbered = frame.select(
        "*",
        F.col("_metadata.file_path").alias(_FILE),
        F.col("_metadata.file_block_start").alias(_BLOCK),
    ).withColumn(_ID, F.monotonically_increasing_id())
    flagged = F.lit(0) if flag is None else F.sum(F.when(flag, 1).otherwise(0))
    counts = numbered.groupBy(_FILE, _BLOCK).agg(F.min(_ID), F.count(F.lit(1)), flagged)
    splits = sorted(
        (str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4] or 0)) for r in counts.collect()
    )
    shifts, before = [], 0
    for file, block, first, count, _ in splits:
        shifts.append((file, block, before + 1 - first))
        before += count
        if parts is not None:
            local = _local_path(file)
            if parts and parts[-1][0] == local:
                parts[-1] = (local, parts[-1][1] + count)
            else:
                parts.append((local, count))
    total = sum(split[4] for split in splits)
    if not shifts:
        return numbered.drop(_FILE, _BLOCK, _ID).withColumn(ROW, F.lit(None).cast("long")), total
    table = session.createDataFrame(shifts, f"{_FILE} string, {_BLOCK} long, {_SHIFT} long")
    return (
        numbered.join(F.broadcast(table), [_FILE, _BLOCK])
        .withColumn(ROW, F.col(_ID) + F.col(_SHIFT))
        .drop(_FILE, _BLOCK, _ID, _SHIFT)
    ), total


def _local_path(uri: str) -> Path:
    """The local path of a file Spark names by URI (``file:///tmp/a%20b/part-0.json``)."""
    return Path(unquote(urlsplit(uri).path))


def _json_lines(session: Any, path: Path, kinds: str | None, parts: Parts | None) -> Any:
    """A JSONL file as the fields of its records (the types Spark's reader infers), read line
    by line so that a record keeps its index and a line that is not a JSON object is named."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    file = str(path)
    strict = {"allowSingleQuotes": "false"}  # JSON, not JSON5: as DuckDB and Python read it
    inferred = session.read.options(mode="PERMISSIVE", **strict).json(file).schema
    order = _field_order(path)  # Spark's reader sorts the fields by name
    fields = sorted(
        (f for f in inferred.fields if f.name != _CORRUPT),
        key=lambda f: order.get(f.name, len(order)),
    )
    schema = StructType([*fields, StructField(_CORRUPT, StringType())])
    lines = session.read.option("lineSep", "\n").text(file)
    lines = lines.filter(F.col("value").rlike(r"\S"))  # a blank line is no record
    options = {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": _CORRUPT, **strict}
    # a line Spark's reader cannot take as one object (a list, null) is corrupt; JSON text
    # is UTF-8: Spark would keep the bytes, DuckDB refuses them
    broken = F.from_json("value", schema, options).getField(_CORRUPT).isNotNull() | ~F.expr(
        "is_valid_utf8(value)"
    )
    # the bad lines are counted as the lines are numbered (the same query): listed only when
    # there are any (a query of its own on every file before)
    lines, bad_lines = _numbered(session, lines, parts, flag=broken)
    parsed = lines.select("*", F.from_json("value", schema, options).alias(_RECORD))
    if bad_lines:
        bad = parsed.filter(
            F.col(_RECORD).getField(_CORRUPT).isNotNull() | ~F.expr("is_valid_utf8(value)")
        )
        _refuse_lines(bad, file, bad_lines, numbered=ROW in parsed.columns)
    out = [F.col(_RECORD).getField(f.name).alias(f.name) for f in fields]
    if ROW in parsed.columns:
        out.append(F.col(ROW))
    if kinds is not None:
        out.append(F.expr(_KINDS_SQL).alias(kinds))
    return parsed.select(*out)


def _field_order(path: Path) -> dict[str, int]:
    """The fields of a JSONL file's first records (a directory: its first file's), each at
    its place in the order they are first seen: the default path lists the fields so
    (:data:`~backbone.audit.source.KEY_SAMPLE` records), Spark's reader by name."""
    order: dict[str, int] = {}
    files = _data_files(path)
    if not files:
        return order
    records = 0
    try:
        with open_bytes(files[0]) as f:
            for raw in f:
                if not raw.strip():
                    continue
                records += 1
                try:
                    record = json.loads(raw)
                except ValueError:  # not JSON: Spark's pass names it at its line
                    record = None
                if isinstance(record, dict):
                    for key in record:
                        order.setdefault(key, len(order))
                if records >= KEY_SAMPLE:
                    break
    except (OSError, EOFError):  # a damaged .gz: Spark's own read says so
        pass
    return order


def _refuse_lines(bad: Any, file: str, count: int, *, numbered: bool) -> None:
    """Raise for the ``count`` lines that are not a JSON object, the first ``MAX_LISTED`` at
    their records (``__row``; the caller maps them to lines), then a count."""
    from pyspark.sql import functions as F

    what = (
        F.when(~F.expr("is_valid_utf8(value)"), NOT_UTF8)
        .when(F.expr("try_parse_json(value)").isNull(), NOT_JSON)
        .otherwise("not a JSON object")
    )
    if not numbered:
        if count:
            raise InputError.single(file, None, f"lines that are not a JSON object: {count}")
        return
    listed = bad.select(ROW, what.alias("what")).orderBy(ROW).limit(MAX_LISTED + 1).collect()
    if not listed:
        return
    problems = [Problem(file, int(r[0]), str(r[1])) for r in listed[:MAX_LISTED]]
    if len(listed) > MAX_LISTED:
        more = count - MAX_LISTED
        problems.append(
            Problem(file, None, f"... and {more} more lines that are not a JSON object")
        )
    raise InputError(problems)


def _bytes_not_utf8(session: Any, path: Path) -> list[Problem]:
    """CSV: the lines that are not UTF-8 text, at their file and line (the first
    ``MAX_LISTED``). Spark's CSV reader reads such bytes as U+FFFD and goes on, where the
    default path refuses the file at the line; read as lines, the bytes are kept to check."""
    from pyspark.sql import functions as F

    lines = session.read.option("lineSep", "\n").text(str(path))
    invalid = ~F.expr("is_valid_utf8(value)")
    if not lines.filter(invalid).limit(1).count():
        return []
    parts: Parts = []
    numbered = _numbered(session, lines, parts)[0]
    rows = numbered.filter(invalid).select(ROW).orderBy(ROW).limit(MAX_LISTED).collect()
    ends = list(accumulate(n for _, n in parts))
    problems = []
    for (row,) in rows:
        i = bisect_left(ends, int(row))
        part, count = parts[i]
        name = str(path) if path.is_file() else _named_in(path, part)
        line = int(row) - (ends[i] - count)
        problems.append(Problem(name, line, "not UTF-8 text: save the file as UTF-8"))
    return problems


def _located(path: Path, kind: str, error: InputError, parts: Parts) -> InputError:
    """``error`` with its problems about ``path`` at the lines their records start on (a
    problem's line is the record's ``__row`` until here); in a directory, at the part file
    that holds the record (``parts``: each file and its number of records, in ``__row``
    order)."""
    file = str(path)
    records = {p.line for p in error.problems if p.file == file and p.line is not None}
    if not records or kind not in ("jsonl", "csv"):
        return error
    if path.is_file():
        parts = [(path, sum(n for _, n in parts) or max(records))]
    where: dict[int, tuple[str, int]] = {}  # __row -> (file, its record index there)
    ends = list(accumulate(n for _, n in parts))
    wanted: dict[int, set[int]] = {}
    for record in records:
        i = bisect_left(ends, record)
        if i < len(parts):
            wanted.setdefault(i, set()).add(record - (ends[i] - parts[i][1]))
    for i, local in wanted.items():
        part = parts[i][0]
        name = file if path.is_file() else _named_in(path, part)
        start = ends[i] - parts[i][1]
        for index, line in record_lines(part, kind, local).items():
            where[start + index] = (name, line)
    return InputError(
        [
            Problem(*where[p.line], p.message)
            if p.file == file and p.line is not None and p.line in where
            else p
            for p in error.problems
        ]
    )


def _named_in(folder: Path, part: Path) -> str:
    """A part file named under the folder as the user gave it (``logs/part-0.json``)."""
    try:
        return str(folder / part.relative_to(folder.resolve()))
    except ValueError:
        return str(part)


def _part_named(path: Path) -> Path:
    """The path whose extension names the format: ``path`` itself, or for a directory of
    part files (as Spark writes them, hive partitions ``rating=up/`` among them) the name of
    its first data file, when all its data files share one format (hidden files, ``_SUCCESS``
    and checksums skipped). Else ``path``, and the format must be named."""
    if not path.is_dir():
        return path
    found: dict[str, Path] = {}
    for part in sorted(path.rglob("*")):
        relative = part.relative_to(path).parts
        if not part.is_file() or any(p.startswith((".", "_")) for p in relative):
            continue
        try:
            found.setdefault(detect_format(part), part)
        except InputError:  # a file of no known format: the directory says nothing
            return path
    return next(iter(found.values())) if len(found) == 1 else path


def zoned_columns(frame: Any) -> frozenset[str]:
    """The columns of a Spark DataFrame that hold instants (``TIMESTAMP``, not
    ``TIMESTAMP_NTZ``): Spark writes them as text in the session's zone, UTC under Ibis, with
    no offset, and Ibis types both kinds alike, so an opener is told which they are."""
    from pyspark.sql.types import TimestampType

    return frozenset(f.name for f in frame.schema.fields if isinstance(f.dataType, TimestampType))


def open_on_spark(
    path: Path,
    fmt: str | None,
    opener: SparkOpener[T],
    *,
    kinds: str | None = None,
    memory_limit: str | None = None,
) -> T:
    """Read ``path`` with Spark and hand its Ibis table to ``opener`` (which owns the session's
    stop from then on), with its zoned timestamp columns (:func:`zoned_columns`). Spark's own
    errors become :class:`InputError` naming the file; the problems the opener raises at a
    record (its ``__row``) are named at that record's line.
    ``kinds``: see :func:`spark_frame`; ``memory_limit``: :func:`spark_session`."""
    import ibis

    if not path.exists():  # a file, or a directory of part files as Spark writes them
        raise InputError.single(str(path), None, "no such file")
    refuse_device(path)
    kind = detect_format(_part_named(path) if fmt is None else path, fmt)
    session, created = spark_session(memory_limit)
    stop: Callable[[], None] | None = session.stop if created else None
    parts: Parts = []
    placed: list[Problem] = []  # problems already at their lines
    try:
        if kind == "csv":  # a header naming a column twice: Spark would rename them (id0, id4)
            for file in _data_files(path):
                try:
                    csv_header(file)
                except InputError as exc:
                    placed = exc.problems  # at the header's line already
                    raise
        placed = _bytes_not_utf8(session, path) if kind == "csv" else []
        if placed:
            raise InputError(placed)
        frame = spark_frame(session, path, kind, kinds=kinds, parts=parts)
        view = f"backbone_{os.getpid()}_{id(frame)}"
        frame.createOrReplaceTempView(view)
        table = ibis.pyspark.connect(session).table(view)
        return opener(table, str(path), kind, stop, zoned_columns(frame))
    except BaseException as exc:
        if stop is not None:
            stop()
        if isinstance(exc, InputError):
            raise (exc if placed else _located(path, kind, exc, parts)) from None
        if type(exc).__module__.startswith(("pyspark", "py4j")):
            text = str(exc).strip()
            if "UNABLE_TO_INFER_SCHEMA" in text:  # a directory without a file Spark reads
                raise InputError.single(str(path), None, "no records") from None
            found = _csv_problems(path) if kind == "csv" and "MALFORMED" in text else []
            if "CANNOT_MERGE_SCHEMAS" in text:
                found = _type_clash(path)
            if found:  # Spark's FAILFAST names neither the line nor what is wrong with it
                raise InputError(found) from None
            raise InputError.single(str(path), None, _spark_message(text)) from None
        raise


#: a Spark error's own message (``[ERROR_CLASS] what is wrong``), within a Py4J error's text
_SPARK_ERROR = re.compile(r"\[[A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)*\] [^\n]*")


def _spark_message(text: str) -> str:
    """The line of a Spark error that says what is wrong: a failed job's Py4J error begins
    with "An error occurred while calling o160.collectToPython.", the Spark error class and
    its message (the file, the column) further down, after the JVM's stack.

    Example:
        >>> _spark_message("An error occurred while calling o9.get.\\n: org.apache.spark."
        ...     "SparkException: [FAILED_READ_FILE] Cannot read file a.parquet. SQLSTATE: KD001")
        '[FAILED_READ_FILE] Cannot read file a.parquet.'
    """
    found = _SPARK_ERROR.search(text)
    line = found.group(0) if found else (text.splitlines()[0] if text else "")
    return re.sub(r"\s*SQLSTATE: \w+\s*$", "", line)


def _data_files(path: Path) -> list[Path]:
    """``path``, or the data files of a directory of part files (hidden files, ``_SUCCESS``
    and checksums skipped), in path order."""
    if path.is_file():
        return [path]
    return [
        part
        for part in sorted(path.rglob("*"))
        if part.is_file()
        and not any(p.startswith((".", "_")) for p in part.relative_to(path).parts)
    ]


def _type_clash(path: Path) -> list[Problem]:
    """A directory's part files that give a column two types (``rating`` text in one,
    numbers in the next), which Spark cannot read as one table: the column and two files that
    disagree, from each file's schema as DuckDB reads it (none found: an empty list)."""
    import duckdb

    seen: dict[str, tuple[str, Path]] = {}
    with duckdb.connect() as con:
        for file in _data_files(path):
            try:
                described = con.execute(
                    f"DESCRIBE SELECT * FROM read_parquet({sql_literal(str(file))})"
                ).fetchall()
            except duckdb.Error:
                continue
            for name, kind, *_ in described:
                first = seen.setdefault(str(name), (str(kind), file))
                if first[0] != str(kind):
                    return [
                        Problem(
                            str(path),
                            None,
                            f"column '{name}' is {first[0]} in {first[1]} and "
                            f"{kind} in {file}: Spark reads a folder's part "
                            "files as one table, so they must give a column one type",
                        )
                    ]
    return []


def _csv_problems(path: Path) -> list[Problem]:
    """The bad rows of a CSV file (or a directory's first file with any) Spark's reader
    refused (a row with more or fewer fields than the header...), read as the default path
    reads them: named at their lines, with what is wrong (none: DuckDB reads them all)."""
    for file in _data_files(path):
        source = open_source(file, "csv")
        try:
            with read_through(str(file), source):
                source.con.execute("SELECT count(*) FROM src").fetchall()
        except InputError as exc:
            return exc.problems
        finally:
            source.close()
    return []


_FILE_BACKENDS = ("duckdb", "sqlite")


def _missing_database_file(url: str) -> str | None:
    """The file a ``duckdb://`` or ``sqlite://`` URL names when it does not exist (``None``
    for any other URL, or an in-memory database): DuckDB and SQLite create a file they are
    asked to open, so a mistyped path would leave an empty database behind.

    Example:
        >>> _missing_database_file("duckdb:///no/such/logs.db"), _missing_database_file("duckdb://")
        ('/no/such/logs.db', None)
    """
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in _FILE_BACKENDS:
        return None
    path = rest.split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return None if Path(path).exists() else path


_DATABASE_MAGIC = {"duckdb": (8, b"DUCK"), "sqlite": (0, b"SQLite format 3\x00")}


def _holds(path: Path, kind: str) -> bool:
    """Whether the file ``path`` starts as a database of ``kind`` (duckdb, sqlite) does."""
    at, mark = _DATABASE_MAGIC[kind]
    with path.open("rb") as f:
        head = f.read(at + len(mark))
    return head[at:] == mark


def _not_a_database_file(url: str) -> str | None:
    """The file a ``duckdb://`` or ``sqlite://`` URL names when it exists but is no database
    of that kind (a JSONL log given as ``--connection duckdb://ev.jsonl``: DuckDB opened it as
    an empty database, and the table was 'not found'), else ``None``.

    Example:
        >>> import tempfile, pathlib
        >>> log = pathlib.Path(tempfile.mkdtemp()) / "ev.jsonl"
        >>> _ = log.write_text('{"id": "a"}\\n')
        >>> _not_a_database_file(f"duckdb://{log}") == str(log)
        True
    """
    scheme, sep, rest = url.partition("://")
    kind = scheme.lower() if sep else ""
    path = Path(rest.split("?", 1)[0])
    if kind not in _DATABASE_MAGIC or not rest or not path.is_file():
        return None
    return None if _holds(path, kind) else str(path)


def _database_kind(path: str) -> str:
    """``"duckdb"`` or ``"sqlite"``: the database a file given as a bare ``--connection`` path
    (no ``scheme://``) holds, by its content, not its name; raises :class:`InputError` naming
    it when it does not exist (connecting would create it) or is neither.

    A bare path was Ibis' own: ``.sqlite`` and ``.db`` went to its SQLite backend, which
    cannot run the queries (a ``TryCast`` traceback), ``.duckdb`` to DuckDB, and a missing file
    was created empty and left behind. Read by content, a SQLite file is copied into DuckDB as
    a ``sqlite://`` one is, whatever its name (``app.sqlite3``), and a DuckDB ``prod.db`` is
    DuckDB's.

    Example:
        >>> import sqlite3, tempfile, pathlib
        >>> db = pathlib.Path(tempfile.mkdtemp()) / "app.db"
        >>> sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
        >>> _database_kind(str(db))
        'sqlite'
    """
    file = Path(path)
    if not file.exists():
        raise InputError.single(path, None, f"no such database file: {path}")
    for kind in _DATABASE_MAGIC:
        if file.is_file() and _holds(file, kind):
            return kind
    raise InputError.single(
        path,
        None,
        f"{path} is not a DuckDB or SQLite database file: a JSONL, CSV or Parquet log is given "
        "as the file itself, not with --connection",
    )


def _backend_of(scheme: str) -> str | None:
    """The Ibis backend ``ibis.connect`` picks for a URL's ``scheme`` (``postgresql`` is
    ``postgres``), or None where the scheme names none (``file``: the path's suffix decides).
    Read from the backends' entry points: nothing is imported, nothing connects.

    >>> _backend_of("pyspark"), _backend_of("postgresql"), _backend_of("file")
    ('pyspark', 'postgres', None)
    """
    from importlib.metadata import entry_points

    name = scheme.replace("postgresql", "postgres")
    return name if name in {e.name for e in entry_points(group="ibis.backends")} else None


def _refuse_memory_limit(where: str, backend: str | None) -> NoReturn:
    raise InputError.single(
        "--memory-limit",
        None,
        f"is DuckDB's memory limit, and {where} is read by {backend or 'its own engine'}"
        ", not DuckDB: leave --memory-limit out",
    )


def open_on_connection(
    url: str, table: str, opener: TableOpener[T], *, memory_limit: str | None = None
) -> T:
    """``ibis.connect(url).table(table)`` handed to ``opener`` (with the disconnect).
    ``memory_limit`` (``--memory-limit``) is set on DuckDB, the engine of a ``duckdb://``
    database and of a ``sqlite://`` table's copy; another backend's memory is its server's,
    so it is refused there. A bare path (no ``scheme://``) is a DuckDB or SQLite database
    file, read as a ``duckdb://`` or ``sqlite://`` one by what it holds
    (:func:`_database_kind`)."""
    import ibis

    where = redact(url)
    name = f"{where} table '{table}'"
    bare = "://" not in url  # a path: the file itself, '?' and '#' in its name too
    if bare:
        kind, path = _database_kind(url), url
    else:
        kind, path = url.partition("://")[0].lower(), url.partition("://")[2].split("?", 1)[0]
        missing = _missing_database_file(url)
        if missing is not None:  # connecting would create it, empty, and leave it behind
            raise InputError.single(where, None, f"no such database file: {missing}")
        other = _not_a_database_file(url)
        if other is not None:
            raise InputError.single(
                where,
                None,
                f"{other} is not a {'DuckDB' if kind == 'duckdb' else 'SQLite'} database file: "
                "a JSONL, CSV or Parquet log is given as the file itself, not with --connection",
            )
    backend = None if bare else _backend_of(kind)
    if memory_limit and backend not in (None, "duckdb", "sqlite"):  # sqlite: a DuckDB copy
        _refuse_memory_limit(where, backend)  # before connecting: no JVM, no server to wait on
    if kind == "sqlite":  # Ibis' SQLite cannot run the queries
        from backbone.evaluation.sqlite_table import open_sqlite_table

        copy = open_sqlite_table(path, table, where, memory_limit=memory_limit)
        try:
            return _opened(opener, copy.table, name, copy.close)
        except BaseException:
            copy.close()
            raise
    try:
        con = ibis.duckdb.connect(path) if bare else ibis.connect(url)
    except ImportError as exc:
        raise InputError.single(
            where,
            None,
            f"no Ibis backend for this URL here ({exc}): pip install "
            "'ibis-framework[BACKEND]' (postgres, bigquery, snowflake...)",
        ) from None
    except Exception as exc:  # unreachable server, bad URL: the backend's own error
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError.single(where, None, f"cannot connect: {first}") from None
    close = getattr(con, "disconnect", None)
    try:
        backend = getattr(con, "name", None)
        if backend == "duckdb":  # no progress bar of DuckDB's on stdout
            con.raw_sql("SET enable_progress_bar = false")
            if memory_limit:
                set_memory_limit(con.con, memory_limit)
        elif memory_limit:
            _refuse_memory_limit(where, backend)
        try:
            found = _open_table(con, table)
        except Exception as exc:  # the backend's "no such table" (TableNotFound, its own...)
            raise InputError.single(where, None, f"no table '{table}'{_tables_hint(con)}") from exc
        return _opened(opener, found, name, close)
    except BaseException:
        if close is not None:
            close()
        raise


def _opened(opener: TableOpener[T], found: Any, name: str, close: Callable[[], None] | None) -> T:
    """``opener``'s log; DuckDB failing a query (out of memory under ``--memory-limit``) is an
    :class:`InputError` naming the table, as it is naming the file on the default path."""
    import duckdb

    try:
        return opener(found, name, close)
    except duckdb.Error as exc:
        text = str(exc).strip()
        raise InputError.single(name, None, text.splitlines()[0] if text else "") from None


def _open_table(con: Any, table: str) -> Any:
    """The table named ``table`` on ``con``; a name with dots that is no table's own is read
    as qualified, as SQL reads it: ``analytics.feedback`` is the table ``feedback`` in the
    schema (dataset) ``analytics``, ``prod.analytics.feedback`` in the catalog ``prod``'s
    schema ``analytics`` (Ibis takes the qualifier apart from the name)."""
    try:
        return con.table(table)
    except Exception:
        *qualifier, name = table.split(".")
        if not qualifier or not name or not all(qualifier):
            raise
        database = qualifier[0] if len(qualifier) == 1 else tuple(qualifier)
        return con.table(name, database=database)


def _tables_hint(con: Any) -> str:
    """`` (tables: a, b)`` when the backend can list them, else nothing (Ibis 12's DuckDB
    backend cannot with duckdb 2: it calls the removed ``fetch_arrow_table``)."""
    try:
        tables = sorted(str(t) for t in con.list_tables())
    except Exception:
        return ""
    return f" (tables: {', '.join(tables) or 'none'})"
