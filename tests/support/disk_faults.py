"""A full disk for one file name: creating a temporary file for it fails with ``ENOSPC``.

Every atomic write (one file or a set) creates its temporary file with ``tempfile.mkstemp``
beside the destination, prefixed ``.NAME.``; this makes that call fail for one name, as a
disk that filled up after the files before it were written would.

Example (in a test)::

    full_disk_for(monkeypatch, "tells.json")  # report.html is staged, tells.json is not
"""

from __future__ import annotations

import errno
import os
import tempfile
from typing import Any

import pytest


def full_disk_for(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """Make ``tempfile.mkstemp`` fail with ENOSPC for files named ``name``; returns the list
    of the names it was asked for (so a test can see the fault was reached)."""
    real = tempfile.mkstemp
    asked: list[str] = []

    def mkstemp(*args: Any, **kwargs: Any) -> Any:
        prefix = str(kwargs.get("prefix", ""))
        asked.append(prefix)
        if prefix.startswith(f".{name}."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    return asked
