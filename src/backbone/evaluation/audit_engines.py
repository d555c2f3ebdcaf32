"""Where an audit's log is read: DuckDB on a file (the default), Spark, or a database.

``open_feedback`` is the one place that picks the engine:

* ``engine="duckdb"`` with a file: :func:`backbone.audit.feedback_log.open_log` (DuckDB scans
  the file; bad records are reported at their lines);
* ``engine="spark"`` with a file: Spark reads the Parquet, CSV or JSONL file itself (master
  from ``$BACKBONE_SPARK_MASTER``, default ``local[2]``; an active session is reused and left
  running) and the audit's Ibis queries (:mod:`backbone.audit.engine_table`) run on it;
* ``connection=URL, table=NAME``: ``ibis.connect(URL)`` (``duckdb://path.db``,
  ``postgres://user:pass@host/db``, ``bigquery://project/dataset``, ``snowflake://...``: any
  backend Ibis reaches, with its extra installed) and the same queries on that table.

Every engine draws the same events for the same seed (see :mod:`backbone.audit.engine_table`);
only the sample leaves the engine.

Example:
    >>> log = open_feedback(None, connection="duckdb://fb.db", table="events")  # doctest: +SKIP
    >>> [(s.key, s.events) for s in log.info.strata]  # doctest: +SKIP
    [('down', 1840), ('up', 9160)]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from backbone.audit.feedback_log import FeedbackLog, open_log
from backbone.audit.source import detect_format
from backbone.core.errors import InputError

if TYPE_CHECKING:  # Ibis (and pyarrow) load only when an engine or connection is asked for
    from backbone.audit.engine_table import EngineLog

ENGINES: tuple[str, ...] = ("duckdb", "spark")
SPARK_MASTER_ENV = "BACKBONE_SPARK_MASTER"
DEFAULT_SPARK_MASTER = "local[2]"


def redact(url: str) -> str:
    """A connection URL without its password, fit for messages and audit.json.

    >>> redact("postgres://ana:s3cret@db.example:5432/logs")
    'postgres://ana:***@db.example:5432/logs'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    netloc = f"{parts.username or ''}:***@{host}{port}"
    return urlunsplit(parts._replace(netloc=netloc))


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
        .appName("backbone-audit")
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


def _spark_frame(session: Any, path: Path, fmt: str) -> Any:
    """The file as a Spark DataFrame (CSV: every column text; Parquet: with ``__row``)."""
    from backbone.audit.engine_table import ROW

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


def _open_spark(path: Path, fmt: str | None, **options: Any) -> EngineLog:
    import ibis

    from backbone.audit.engine_table import open_table

    if not path.exists():  # a file, or a directory of part files as Spark writes them
        raise InputError.single(str(path), None, "no such file")
    kind = detect_format(path, fmt)
    session, created = spark_session()
    stop: Callable[[], None] | None = session.stop if created else None
    try:
        frame = _spark_frame(session, path, kind)
        view = f"backbone_audit_{os.getpid()}_{id(frame)}"
        frame.createOrReplaceTempView(view)
        table = ibis.pyspark.connect(session).table(view)
        return open_table(
            table,
            name=str(path),
            fmt=kind,
            csv_text=kind == "csv",
            json_fields=kind == "jsonl",
            on_close=stop,
            **options,
        )
    except BaseException as exc:
        if stop is not None:
            stop()
        if isinstance(exc, InputError):
            raise
        if type(exc).__module__.startswith(("pyspark", "py4j")):
            text = str(exc).strip()
            raise InputError.single(str(path), None, text.splitlines()[0] if text else "") from None
        raise


def _open_connection(url: str, table: str, **options: Any) -> EngineLog:
    import ibis

    from backbone.audit.engine_table import open_table

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
        return open_table(found, name=name, on_close=close, **options)
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


def open_feedback(
    file: str | Path | None,
    *,
    engine: str = "duckdb",
    connection: str | None = None,
    table: str | None = None,
    fmt: str | None = None,
    column_map: Mapping[str, str] | None = None,
    rating_scale: str = "auto",
    threshold: float = 4.0,
    stratify_by: str | None = None,
    memory_limit: str | None = None,
) -> FeedbackLog | EngineLog:
    """Open, validate and count a feedback log on the engine asked for (module docstring).
    Raises :class:`InputError` naming the file or table for anything wrong with it, or with
    the choice of engine; nothing has been written then."""
    if engine not in ENGINES:
        raise InputError.single(
            "--engine", None, f"unknown engine '{engine}': expected {', '.join(ENGINES)}"
        )
    options: dict[str, Any] = {
        "column_map": column_map,
        "rating_scale": rating_scale,
        "threshold": threshold,
        "stratify_by": stratify_by,
    }
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
        return _open_connection(connection, table, **options)
    if file is None:
        raise InputError.single(
            "FILE", None, "give a feedback log FILE, or --connection and --table"
        )
    if engine == "spark":
        return _open_spark(Path(file), fmt, **options)
    return open_log(file, fmt=fmt, memory_limit=memory_limit, **options)
