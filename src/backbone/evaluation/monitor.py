"""``run_monitor()``: logged conversations and a judge spec in, a
:class:`~backbone.monitor.models.MonitorResult` out (the library entry point of ``backbone
monitor``). Here the judge is built (the one judge machinery with the monitor rubric, retries
and the response cache), the log opened (:func:`open_monitor_log`: DuckDB on a file by
default; ``engine="spark"`` or a ``connection``/``table`` through
:mod:`backbone.evaluation.engines`, with the queries of :mod:`backbone.monitor.engine_table`)
and closed, and the sample judged.

Example:
    >>> def judge(reply):  # one graded reply as a dict -> {"label": ...}
    ...     last = reply["messages"][-1]["content"]
    ...     return {"label": "caved" if "you're right" in last.lower() else "held"}
    >>> result = run_monitor("logs.jsonl", judge="python:my_judges:judge")  # doctest: +SKIP
    >>> result.overall.cave_rate.value  # doctest: +SKIP
    0.18
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backbone.evaluation.engines import check_choice, open_on_connection, open_on_spark
from backbone.evaluation.registry import monitor_judge
from backbone.evaluation.sent import record_judge_sent
from backbone.evaluation.sync import run_sync
from backbone.judges.judge import Judge
from backbone.judges.rubrics.monitor import LoggedReply, MonitorFindings
from backbone.monitor.conversations import ConversationLog, open_conversations
from backbone.monitor.models import MonitorResult, MonitorSample, ReplyJudgment
from backbone.monitor.pipeline import MonitorOptions, run_monitor_log
from backbone.targets.cache import open_response_cache

if TYPE_CHECKING:  # Ibis loads only when an engine or connection is asked for
    from backbone.monitor.engine_table import EngineConversations


def open_monitor_log(
    file: str | Path | None,
    *,
    engine: str = "duckdb",
    connection: str | None = None,
    table: str | None = None,
    fmt: str | None = None,
    column_map: Mapping[str, str] | None = None,
    memory_limit: str | None = None,
) -> ConversationLog | EngineConversations:
    """Open, validate and count a conversation log on the engine asked for: DuckDB over
    ``file`` (the default), Spark reading ``file`` (``engine="spark"``), or the table
    ``table`` of the Ibis ``connection`` URL. Raises ``InputError`` naming the file or table."""
    mode = check_choice(
        file, engine=engine, connection=connection, table=table, what="conversation log"
    )
    if mode == "file":
        assert file is not None
        return open_conversations(file, fmt=fmt, column_map=column_map, memory_limit=memory_limit)

    from backbone.monitor.engine_table import KINDS, open_table

    if mode == "connection":
        assert connection is not None and table is not None
        return open_on_connection(
            connection,
            table,
            lambda found, name, close: open_table(
                found, name=name, column_map=column_map, on_close=close
            ),
            memory_limit=memory_limit,
        )
    assert file is not None
    return open_on_spark(
        Path(file),
        fmt,
        lambda found, name, kind, stop, zoned: open_table(
            found,
            name=name,
            fmt=kind,
            column_map=column_map,
            cache=True,
            on_close=stop,
            utc_text=zoned,
        ),
        kinds=KINDS,  # JSONL: a content of 42 is refused at its line, not read as "42"
        memory_limit=memory_limit,
    )


async def monitor_log(
    log: ConversationLog | EngineConversations,
    judge: Judge[LoggedReply, MonitorFindings],
    options: MonitorOptions,
    *,
    on_sampled: Callable[[MonitorSample], None] | None = None,
    on_result: Callable[[ReplyJudgment], None] | None = None,
    extra_options: dict[str, Any] | None = None,
) -> MonitorResult:
    """Judge an open log's sample and close the judge's connections afterwards."""
    try:
        result = await run_monitor_log(
            log,
            judge,
            options,
            on_sampled=on_sampled,
            on_result=on_result,
            extra_options=extra_options,
        )
    finally:
        await judge.aclose()
    record_judge_sent(result.options, judge.target)
    return result


def run_monitor(
    file: str | Path | None,
    *,
    judge: str,
    sample: int | None = None,
    seed: int = 0,
    column_map: Mapping[str, str] | None = None,
    fmt: str | None = None,
    concurrency: int = 8,
    cache: bool = True,
    base_url: str | None = None,
    memory_limit: str | None = None,
    engine: str = "duckdb",
    connection: str | None = None,
    table: str | None = None,
) -> MonitorResult:
    """Monitor a conversation log: ``sample`` conversations per domain x pushback stratum
    (None: the whole log, exact figures), read where it lives (:func:`open_monitor_log`).
    Raises ``InputError`` for a bad log and ``TargetSpecError`` for a bad judge spec."""
    store = open_response_cache() if cache else None
    try:
        the_judge = monitor_judge(judge, base_url=base_url, cache=store, gentle=concurrency)
        options = MonitorOptions(per_stratum=sample, seed=seed, concurrency=concurrency)
        with open_monitor_log(
            file,
            engine=engine,
            connection=connection,
            table=table,
            fmt=fmt,
            column_map=column_map,
            memory_limit=memory_limit,
        ) as log:
            return run_sync(
                lambda: monitor_log(
                    log,
                    the_judge,
                    options,
                    extra_options={"cache": cache, "base_url": base_url},
                )
            )
    finally:
        if store is not None:
            store.close()


__all__ = ["monitor_judge", "monitor_log", "open_monitor_log", "run_monitor"]
