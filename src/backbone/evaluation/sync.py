"""Running a coroutine from plain code, also from inside a running event loop.

``evaluate`` is a plain function (like ``eval()``), so it may be called from an async test
or a notebook whose loop is already running: then the coroutine runs in a worker thread
with its own loop.

Example:
    >>> async def answer() -> int:
    ...     return 42
    >>> run_sync(answer)
    42
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

R = TypeVar("R")


def run_sync(make: Callable[[], Coroutine[Any, Any, R]]) -> R:
    """Run the coroutine ``make()`` to completion and return its result."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run(make)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(_run, make).result()


INTERRUPT_GRACE = 5.0
"""Seconds the tasks of a run stopped by a KeyboardInterrupt raised inside one of them may take
to end once cancelled."""


def _run(make: Callable[[], Coroutine[Any, Any, R]]) -> R:
    # the result is handed out through a list, not returned from the coroutine: asyncio.run
    # on Python 3.11 formats the returned object, which for a large run costs seconds
    box: list[R] = []

    async def go() -> None:
        box.append(await make())

    with asyncio.Runner() as runner:  # asyncio.run, written out
        try:
            runner.run(go())
        except KeyboardInterrupt:
            _unwind(runner.get_loop())
            raise
    return box[0]


def _unwind(loop: asyncio.AbstractEventLoop) -> None:
    """End the tasks a KeyboardInterrupt raised inside a task left running: a second Ctrl-C
    landing in code that blocks the loop (an async function calling ``time.sleep``), say.
    That one task ends with it and the loop stops there, the others pending; asyncio's own
    clean-up then met the interrupt again from the task group as it unwound, and left tasks
    destroyed while pending, their ``finally`` blocks run after the stores were closed, and
    tracebacks on the terminal. Here they are cancelled and let end (at most
    :data:`INTERRUPT_GRACE` seconds), and the interrupt, already being handled, is not
    reported again as a task's exception that nobody retrieved."""

    def quiet(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if not isinstance(context.get("exception"), KeyboardInterrupt):
            loop.default_exception_handler(context)

    loop.set_exception_handler(quiet)
    deadline = loop.time() + INTERRUPT_GRACE
    while True:
        pending = asyncio.all_tasks(loop)
        if not pending or loop.time() >= deadline:
            return
        for task in pending:
            task.cancel()
        try:
            loop.run_until_complete(asyncio.wait(pending, timeout=deadline - loop.time()))
        except KeyboardInterrupt:  # the same interrupt, raised again by a task group
            continue
