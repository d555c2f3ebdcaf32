"""Building a large tree of objects with the cyclic garbage collector paused.

CPython's collector runs whenever enough objects have been allocated, and each full pass
walks every object still alive: while a suite of 20,000 scenarios is parsed, or a run's
record and report are built, the passes grow with what is already built, and the work grows
faster than the suite (loading 20,000 scenarios from YAML: 6.9 s, 3.8 s without the passes;
a tenth of them: 0.39 s and 0.35 s). These steps make no cyclic garbage worth collecting
mid-way, so :func:`paused_gc` holds the collector off while they run and lets it go on after.
Reference counting, which frees nearly everything, goes on regardless.

Example:
    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector off inside the block, and back on after it when it was on (a
    caller that turned it off keeps it off)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
