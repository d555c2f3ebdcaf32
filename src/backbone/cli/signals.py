"""SIGTERM stops a command as Ctrl-C does.

``kill PID``, a cancelled CI job and ``docker stop`` send SIGTERM, whose default action ends
the process at once: no word on what was kept, the output directory's lock file and the
DuckDB scratch folder of ``audit`` or ``monitor`` left behind. Inside :func:`sigterm_as_ctrl_c`
a SIGTERM goes to the SIGINT handler in place (asyncio's, which cancels the play, or Python's,
which raises ``KeyboardInterrupt``), so the command unwinds as for a Ctrl-C and says what was
kept; it then exits 143 (128 + SIGTERM), as a process ended by the signal is reported.

Example:
    >>> with sigterm_as_ctrl_c() as term:
    ...     term.received
    False
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

EXIT_TERMINATED = 128 + signal.SIGTERM


@dataclass
class Termination:
    """Whether a SIGTERM was received (the command's exit 130 is then 143)."""

    received: bool = False


@contextmanager
def sigterm_as_ctrl_c() -> Iterator[Termination]:
    """Handle SIGTERM as a Ctrl-C while inside (see the module); the handler before it is put
    back on leaving. Outside the main thread (where no handler can be set) it does nothing."""
    term = Termination()
    if threading.current_thread() is not threading.main_thread():
        yield term
        return

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        term.received = True
        on_sigint = signal.getsignal(signal.SIGINT)
        if callable(on_sigint):  # asyncio's cancels the running play; Python's raises
            on_sigint(signal.SIGINT, frame)
            return
        raise KeyboardInterrupt  # SIGINT ignored (a background job): stop all the same

    before = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield term
    finally:
        signal.signal(signal.SIGTERM, before)
