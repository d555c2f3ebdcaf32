"""The wiring ``audit``, ``audit-channels`` and ``monitor`` share: a judge built from the
command's flags around the response cache, a log opened, the log judged, all closed.

Each command used to carry its own copy, and the copies drifted (one said nothing on a
Ctrl-C while judging; two ended a Ctrl-C while reading the log with DuckDB's
``RuntimeError: Query interrupted`` traceback). Here it is once: the cache opened unless
``--no-cache``; the judge built from its flags (``--judge``, ``--base-url``,
``--max-tokens``, ``--timeout``, ``--retries``, ``--concurrency``) and the log opened, a bad
spec or a bad log exiting 2 with every problem named; a Ctrl-C while reading the log exits 130
with nothing written; the judging itself exits 2 on a refused key and 130 on a Ctrl-C, saying
what was kept for a rerun; the log, the batch journal and the cache closed however it ends.

Example:
    >>> flags = JudgeFlags("python:checks:is_correct", no_cache=True)  # doctest: +SKIP
    >>> with judged_log(flags, correctness_judge, lambda: open_channels(file)) as judged:
    ...     result = judged.judge_all(go)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import typer

from backbone.cli import EXIT_INTERRUPTED
from backbone.cli.console import console
from backbone.cli.errors import bad_input_exits, judging_interrupted

R = TypeVar("R")
J = TypeVar("J")


class Closable(Protocol):
    def close(self) -> None: ...


L = TypeVar("L", bound=Closable)


@dataclass(frozen=True)
class JudgeFlags:
    """The judge flags of a judging command (``--judge`` and how its calls are made)."""

    spec: str
    no_cache: bool = False
    base_url: str | None = None
    max_tokens: int | None = None
    timeout: float | None = None
    retries: int = 5
    concurrency: int = 8


@dataclass
class JudgedLog(Generic[J, L]):
    """An open log and the judge for it (see :func:`judged_log`)."""

    judge: J
    log: L
    no_cache: bool

    def judge_all(
        self,
        go: Callable[[], Coroutine[Any, Any, R]],
        run: Callable[[Callable[[], Coroutine[Any, Any, R]]], R] | None = None,
    ) -> R:
        """Run the judging ``go()`` (with ``run``, default
        :func:`~backbone.evaluation.sync.run_sync`): a refused judge key exits 2, a Ctrl-C
        130, each saying what was kept for a rerun (nothing with ``--no-cache``)."""
        from backbone.evaluation.sync import run_sync

        with judging_interrupted(self.no_cache), bad_input_exits(kept=not self.no_cache):
            return (run or run_sync)(go)


@contextmanager
def judged_log(
    flags: JudgeFlags,
    build_judge: Callable[..., J],
    open_log: Callable[[], L],
    *,
    reading: str | None = None,
    batch: bool = False,
    on_note: Callable[[str], None] | None = None,
) -> Iterator[JudgedLog[J, L]]:
    """The judge ``build_judge(flags.spec, ...)`` (``correctness_judge``, ``monitor_judge``)
    and the log ``open_log()`` (shown as the status ``reading`` meanwhile, if given), held
    open until the block ends. With ``batch``, the judge gets the batch settings
    (``on_note`` hears the batches' progress)."""
    from backbone.audit.source import interruptible
    from backbone.evaluation.batch import batch_mode
    from backbone.targets.cache import open_response_cache

    cache = None if flags.no_cache else open_response_cache()
    log: L | None = None
    held = ExitStack()
    try:
        extra: dict[str, Any] = {}
        if batch:
            extra["batch"] = held.enter_context(
                batch_mode(True, cache.path if cache else None, on_note)
            )
        try:
            with bad_input_exits():
                judge = build_judge(
                    flags.spec,
                    base_url=flags.base_url,
                    max_tokens=flags.max_tokens,
                    attempts=flags.retries + 1,
                    timeout=flags.timeout,
                    cache=cache,
                    gentle=flags.concurrency,
                    **extra,
                )
                status = nullcontext() if reading is None else console(stderr=True).status(reading)
                with status, interruptible():  # DuckDB's 'Query interrupted': a Ctrl-C
                    log = open_log()
        except KeyboardInterrupt:  # nothing judged yet
            console(stderr=True).print(
                "[yellow]interrupted[/] while reading the log: nothing written."
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None
        yield JudgedLog(judge, log, flags.no_cache)
    finally:
        held.close()
        if log is not None:
            log.close()
        if cache is not None:
            cache.close()
