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

The engine plumbing (sessions, connections) is :mod:`backbone.evaluation.engines`, shared
with the monitor.

Example:
    >>> log = open_feedback(None, connection="duckdb://fb.db", table="events")  # doctest: +SKIP
    >>> [(s.key, s.events) for s in log.info.strata]  # doctest: +SKIP
    [('down', 1840), ('up', 9160)]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backbone.audit.feedback_log import FeedbackLog, open_log
from backbone.evaluation.engines import (
    DEFAULT_SPARK_MASTER,
    ENGINES,
    SPARK_MASTER_ENV,
    check_choice,
    open_on_connection,
    open_on_spark,
    redact,
    spark_session,
)

if TYPE_CHECKING:  # Ibis (and pyarrow) load only when an engine or connection is asked for
    from backbone.audit.engine_table import EngineLog

__all__ = [
    "DEFAULT_SPARK_MASTER",
    "ENGINES",
    "SPARK_MASTER_ENV",
    "open_feedback",
    "redact",
    "spark_session",
]


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
    mode = check_choice(
        file, engine=engine, connection=connection, table=table, what="feedback log"
    )
    options: dict[str, Any] = {
        "column_map": column_map,
        "rating_scale": rating_scale,
        "threshold": threshold,
        "stratify_by": stratify_by,
    }
    if mode == "file":
        assert file is not None
        return open_log(file, fmt=fmt, memory_limit=memory_limit, **options)

    from backbone.audit.engine_table import open_table

    if mode == "connection":
        assert connection is not None and table is not None

        def on_table(found: Any, name: str, close: Callable[[], None] | None) -> EngineLog:
            return open_table(found, name=name, on_close=close, **options)

        return open_on_connection(connection, table, on_table, memory_limit=memory_limit)
    assert file is not None

    def on_spark(
        found: Any, name: str, kind: str, stop: Callable[[], None] | None, zoned: frozenset[str]
    ) -> EngineLog:
        return open_table(
            found,
            name=name,
            fmt=kind,  # type: ignore[arg-type]
            csv_text=kind == "csv",
            json_fields=kind == "jsonl",
            on_close=stop,
            utc_text=zoned,
            **options,
        )

    return open_on_spark(Path(file), fmt, on_spark, memory_limit=memory_limit)
