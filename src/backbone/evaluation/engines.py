"""Opening a log where it lives: a Spark session reading a file, or a database table through
Ibis. Shared by the audit (:mod:`backbone.evaluation.audit_engines`) and the monitor
(:mod:`backbone.evaluation.monitor`); each passes an ``opener`` that validates and counts the
Ibis table with its own queries (``audit/engine_table.py``, ``monitor/engine_table.py``).

* ``--engine spark`` with a file: Spark reads the Parquet, CSV or JSONL file itself (master
  from ``$BACKBONE_SPARK_MASTER``, default ``local[2]``; an active session is reused and left
  running);
* ``--connection URL --table NAME``: ``ibis.connect(URL)`` (``duckdb://path.db``,
  ``postgres://user:pass@host/db``, ``bigquery://project/dataset``, ``snowflake://...``: any
  backend Ibis reaches, with its extra installed).

Example:
    >>> redact("postgres://ana:s3cret@db.example:5432/logs")
    'postgres://ana:***@db.example:5432/logs'
    >>> check_choice(None, engine="duckdb", connection="duckdb://x.db", table="t", what="log")
    'connection'
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from backbone.audit.source import detect_format
from backbone.core.errors import InputError

ENGINES: tuple[str, ...] = ("duckdb", "spark")
SPARK_MASTER_ENV = "BACKBONE_SPARK_MASTER"
DEFAULT_SPARK_MASTER = "local[2]"
ROW = "__row"  # the 1-based record index column added to files Spark can number

T = TypeVar("T")
#: (table, name, format, on_close) -> the opened log
SparkOpener = Callable[[Any, str, str, Callable[[], None] | None], T]
#: (table, name, on_close) -> the opened log
TableOpener = Callable[[Any, str, Callable[[], None] | None], T]


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


def spark_session() -> tuple[Any, bool]:
    """The active Spark session, else a new one (and True: the caller stops it)."""
    try:
        from pyspark import SparkContext
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError.single(
            "--engine spark",
            None,
            "needs pyspark: pip install 'backbone[spark]' (and a Java 17+ runtime)",
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    running = SparkContext._active_spark_context is not None  # a session of another thread
    master = os.environ.get(SPARK_MASTER_ENV) or DEFAULT_SPARK_MASTER
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


def spark_frame(session: Any, path: Path, fmt: str) -> Any:
    """The file as a Spark DataFrame (CSV: every column text; Parquet: with ``__row``)."""
    file = str(path)
    if fmt == "parquet":
        frame = session.read.parquet(file)
        try:  # the 1-based row, as the default path reports it (Spark >= 3.5)
            return frame.selectExpr("*", f"_metadata.row_index + 1 AS {ROW}")
        except Exception:
            return frame
    if fmt == "csv":
        return (
            session.read.option("header", True)
            .option("multiLine", True)
            .option("escape", '"')
            .option("mode", "FAILFAST")
            .csv(file)
        )
    frame = session.read.option("mode", "PERMISSIVE").json(file)
    if "_corrupt_record" in frame.columns:
        frame = frame.cache()
        bad = frame.filter(frame["_corrupt_record"].isNotNull()).count()
        if bad:
            raise InputError.single(file, None, f"lines that are not a JSON object: {bad}")
        frame = frame.drop("_corrupt_record")
    return frame


def open_on_spark(path: Path, fmt: str | None, opener: SparkOpener[T]) -> T:
    """Read ``path`` with Spark and hand its Ibis table to ``opener`` (which owns the session's
    stop from then on). Spark's own errors become :class:`InputError` naming the file."""
    import ibis

    if not path.exists():  # a file, or a directory of part files as Spark writes them
        raise InputError.single(str(path), None, "no such file")
    kind = detect_format(path, fmt)
    session, created = spark_session()
    stop: Callable[[], None] | None = session.stop if created else None
    try:
        frame = spark_frame(session, path, kind)
        view = f"backbone_{os.getpid()}_{id(frame)}"
        frame.createOrReplaceTempView(view)
        table = ibis.pyspark.connect(session).table(view)
        return opener(table, str(path), kind, stop)
    except BaseException as exc:
        if stop is not None:
            stop()
        if isinstance(exc, InputError):
            raise
        if type(exc).__module__.startswith(("pyspark", "py4j")):
            text = str(exc).strip()
            raise InputError.single(str(path), None, text.splitlines()[0] if text else "") from None
        raise


def open_on_connection(url: str, table: str, opener: TableOpener[T]) -> T:
    """``ibis.connect(url).table(table)`` handed to ``opener`` (with the disconnect)."""
    import ibis

    where = redact(url)
    name = f"{where} table '{table}'"
    try:
        con = ibis.connect(url)
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
        try:
            found = con.table(table)
        except Exception as exc:  # the backend's "no such table" (TableNotFound, its own...)
            raise InputError.single(where, None, f"no table '{table}'{_tables_hint(con)}") from exc
        return opener(found, name, close)
    except BaseException:
        if close is not None:
            close()
        raise


def _tables_hint(con: Any) -> str:
    """`` (tables: a, b)`` when the backend can list them, else nothing (Ibis 12's DuckDB
    backend cannot with duckdb 2: it calls the removed ``fetch_arrow_table``)."""
    try:
        tables = sorted(str(t) for t in con.list_tables())
    except Exception:
        return ""
    return f" (tables: {', '.join(tables) or 'none'})"
