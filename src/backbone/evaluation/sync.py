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
import contextlib
import signal
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

R = TypeVar("R")


def run_sync(make: Callable[[], Coroutine[Any, Any, R]]) -> R:
    """Run the coroutine ``make()`` to completion and return its result."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run(make)
    return _run_beside(make)


def _run_beside(make: Callable[[], Coroutine[Any, Any, R]]) -> R:
    """``_run(make)`` on a thread of its own, for a caller whose event loop is running (a
    notebook cell, ``asyncio.run(main())``, an async test). A Ctrl-C (Jupyter's "interrupt
    the kernel") stops it as it stops a run on the main thread: the run's task is cancelled,
    its clean-up done, and ``KeyboardInterrupt`` raised here. Before, the interrupt waited
    for the whole run to end (the thread pool was joined on the way out), and under
    ``asyncio.run`` it was not seen at all: the loop's own handler only marked the caller's
    task, and the run played to the end as if nothing had been pressed."""
    box: dict[str, Any] = {}
    started = threading.Event()
    done = threading.Event()

    def work() -> None:
        try:
            box["result"] = _run(make, started=(box, started))
        except BaseException as exc:  # handed to the caller, raised there
            box["error"] = exc
        finally:
            started.set()
            done.set()

    # a daemon thread: a run whose async target never yields cannot keep the process alive
    threading.Thread(target=work, name="backbone-run", daemon=True).start()
    with _interrupt_raises():
        try:
            _wait(done)
        except KeyboardInterrupt:
            _cancel(box, started)
            with contextlib.suppress(KeyboardInterrupt):  # a second one: stop waiting
                _wait(done)
            raise
    if "error" in box:
        raise box["error"]
    result: R = box["result"]
    return result


WAKE_EVERY = 0.1
"""Seconds between the main thread's looks for a Ctrl-C while it waits for a run."""


def _wait(done: threading.Event) -> None:
    """``done.wait()`` in short waits. A SIGINT the kernel hands to another of the process's
    threads (the run's, a call's) only flags Python's handler, and the main thread runs it
    when it next wakes: an untimed wait woke only when the run was over, so that Ctrl-C
    waited out the whole run."""
    while not done.wait(WAKE_EVERY):
        pass


def _cancel(box: dict[str, Any], started: threading.Event) -> None:
    """Cancel the run's task on its own loop (what asyncio's SIGINT handler does)."""
    started.wait()
    loop: asyncio.AbstractEventLoop | None = box.get("loop")
    task: asyncio.Task[Any] | None = box.get("task")
    if loop is not None and task is not None:
        with contextlib.suppress(RuntimeError):  # the loop closed: the run is over
            loop.call_soon_threadsafe(task.cancel)


@contextlib.contextmanager
def _interrupt_raises() -> Iterator[None]:
    """On the main thread, a SIGINT raises ``KeyboardInterrupt`` inside (Python's own
    handler), whatever handler the caller's loop put there (``asyncio.run``'s cancels the
    caller's task, which, blocked in this call, would see it only once the run is over)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous in (signal.SIG_IGN, None):  # Ctrl-C ignored on purpose (or set from C)
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


INTERRUPT_GRACE = 5.0
"""Seconds the tasks of a run stopped by a KeyboardInterrupt raised inside one of them may take
to end once cancelled."""


def _run(
    make: Callable[[], Coroutine[Any, Any, R]],
    started: tuple[dict[str, Any], threading.Event] | None = None,
) -> R:
    # the result is handed out through a list, not returned from the coroutine: asyncio.run
    # on Python 3.11 formats the returned object, which for a large run costs seconds
    box: list[R] = []

    async def go() -> None:
        if started is not None:  # where _cancel finds the run: its loop and its task
            held, event = started
            held["loop"], held["task"] = asyncio.get_running_loop(), asyncio.current_task()
            event.set()
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
