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


def _run(make: Callable[[], Coroutine[Any, Any, R]]) -> R:
    # the result is handed out through a list, not returned from the coroutine: asyncio.run
    # on Python 3.11 formats the returned object, which for a large run costs seconds
    box: list[R] = []

    async def go() -> None:
        box.append(await make())

    asyncio.run(go())
    return box[0]
