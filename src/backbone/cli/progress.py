"""The progress every long-running command shows on stderr: a live bar on a terminal, and a
plain line at most every few seconds, as the work advances, when stderr is a file or a pipe
(CI, ``> run.log``), so a long run is not silent until its table.

The plain line says done/total, the running tallies (outcomes so far, unscored included), the
elapsed time and an estimate of the time left; its interval is ``$BACKBONE_PROGRESS_SECONDS``
(default 10; a value that is not a number of seconds >= 0 is reported and the default used).

Example:
    >>> import io
    >>> from rich.console import Console
    >>> log = Console(file=io.StringIO(), force_terminal=False)
    >>> p = progress_bar(log, quiet=False, every=0.0)
    >>> task = p.add_task("scenarios", total=2, status="")
    >>> p.update(task, advance=1, status="held 1")
    >>> "scenarios 1/2 (50%) · held 1" in log.file.getvalue()
    True
"""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

EVERY_ENV = "BACKBONE_PROGRESS_SECONDS"
DEFAULT_EVERY = 10.0
log = logging.getLogger(__name__)


def every_from_env() -> float:
    """Seconds between plain progress lines: ``$BACKBONE_PROGRESS_SECONDS`` when it is a finite
    number >= 0, else 10 ("5s" or "ten" is reported once as a warning and ignored, as the other
    settings are; it ended the command with a traceback)."""
    from backbone.targets.env_value import seconds_from_env

    return seconds_from_env(EVERY_ENV, DEFAULT_EVERY, log=log)


def progress_bar(
    console: Console, *, quiet: bool, every: float | None = None
) -> Progress | PlainProgress:
    """A bar with a count, the elapsed time and a ``status`` field for running tallies; on a
    console that is not a terminal, plain lines every ``every`` seconds instead."""
    if not quiet and not console.is_terminal:
        if every is None:
            every = every_from_env()
        return PlainProgress(console, every=every)
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        "{task.fields[status]}",
        console=console,
        disable=quiet,
    )


class _Task:
    def __init__(self, description: str, total: float | None, status: str) -> None:
        self.description = description
        self.total = total
        self.done = 0.0
        self.status = status
        self.started = time.monotonic()


def _duration(seconds: float) -> str:
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


class PlainProgress:
    """The subset of :class:`rich.progress.Progress` the commands use, printing a plain line
    at most every ``every`` seconds (and a last one when it stops)."""

    def __init__(self, console: Console, *, every: float) -> None:
        self.console = console
        self.every = every
        self.tasks: dict[TaskID, _Task] = {}
        self._last = float("-inf")
        self._dirty = False

    def add_task(
        self,
        description: str,
        start: bool = True,
        total: float | None = 100.0,
        completed: int = 0,
        visible: bool = True,
        **fields: Any,
    ) -> TaskID:
        task_id = TaskID(len(self.tasks))
        self.tasks[task_id] = _Task(description, total, str(fields.get("status", "")))
        self.tasks[task_id].done = completed
        return task_id

    def start_task(self, task_id: TaskID) -> None:
        self.tasks[task_id].started = time.monotonic()

    def update(
        self,
        task_id: TaskID,
        *,
        total: float | None = None,
        advance: float | None = None,
        status: str | None = None,
        **fields: Any,
    ) -> None:
        task = self.tasks[task_id]
        if total is not None:
            task.total = total
        if advance:
            task.done += advance
        if status is not None:
            task.status = status
        self._dirty = True
        if time.monotonic() - self._last >= self.every:
            self._print()

    def _print(self) -> None:
        self._last = time.monotonic()
        self._dirty = False
        for task in self.tasks.values():
            elapsed = time.monotonic() - task.started
            parts = [f"{task.description} {task.done:g}"]
            if task.total:
                parts[0] += f"/{task.total:g} ({100 * task.done / task.total:.0f}%)"
            if task.status:
                parts.append(task.status)
            parts.append(f"{_duration(elapsed)} elapsed")
            if task.total and 0 < task.done < task.total:
                left = elapsed / task.done * (task.total - task.done)
                parts.append(f"ETA {_duration(left)}")
            self.console.print(" · ".join(parts), markup=False, highlight=False)

    def start(self) -> None:
        return None

    def stop(self) -> None:
        if self._dirty:
            self._print()

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
