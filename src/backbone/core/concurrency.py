"""The one way backbone fans calls out: at most ``limit`` in flight, results in input order.

Everything that calls many things at once (playing scenarios, grading, re-scoring, judging an
audit sample, checking a judge) goes through :func:`fan_out`. A fixed pool of ``limit``
workers pulls items in order, so a large run creates ``limit`` tasks, not one per item; if a
call raises, the others are cancelled and that call's exception propagates as itself
(``asyncio.TaskGroup``, unwrapped).

Example:
    >>> import asyncio
    >>> async def double(x: int) -> int:
    ...     return 2 * x
    >>> asyncio.run(fan_out([1, 2, 3], double, limit=2))
    [2, 4, 6]
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def fan_out_until(
    items: Sequence[T],
    fn: Callable[[T], Awaitable[R]],
    *,
    limit: int,
    on_done: Callable[[int, R], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict[int, R]:
    """Call ``fn`` on ``items`` with at most ``limit`` in flight, in input order.

    ``on_done(index, result)`` runs as each call finishes. Once ``should_stop()`` is true no
    new item is started (calls in flight finish). Returns the results of the items that ran,
    keyed by their index, in index order.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    done: dict[int, R] = {}
    cursor = 0

    async def worker() -> None:
        nonlocal cursor
        while cursor < len(items) and not (should_stop is not None and should_stop()):
            i = cursor
            cursor += 1
            result = await fn(items[i])
            done[i] = result
            if on_done is not None:
                on_done(i, result)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(limit, len(items))):
                group.create_task(worker())
    except BaseExceptionGroup as failed:
        # the first call that raised cancelled the rest: its exception is the answer (callers
        # catch what ``fn`` raises, not a group of it)
        raise failed.exceptions[0] from None
    return dict(sorted(done.items()))


async def fan_out(
    items: Sequence[T],
    fn: Callable[[T], Awaitable[R]],
    *,
    limit: int,
    on_done: Callable[[int, R], None] | None = None,
) -> list[R]:
    """Call ``fn`` on every item, at most ``limit`` at a time; the results in input order."""
    done = await fan_out_until(items, fn, limit=limit, on_done=on_done)
    return [done[i] for i in range(len(items))]
