"""A full disk for one file name: creating a temporary file for it fails with ``ENOSPC``.

Every atomic write (one file or a set) creates its temporary file with ``tempfile.mkstemp``
beside the destination, prefixed ``.NAME.``; this makes that call fail for one name, as a
disk that filled up after the files before it were written would.

Example (in a test)::

    full_disk_for(monkeypatch, "tells.json")  # report.html is staged, tells.json is not

And a whole disk that is full (:func:`full_filesystem`): a small tmpfs, filled.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
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


@contextmanager
def full_filesystem(where: Path, free: int = 0) -> Iterator[Path]:
    """A 1 MB tmpfs mounted at ``where`` and filled but for ``free`` bytes (a real full disk,
    as SQLite meets it: "database or disk is full"); skips the test where mounting is not
    allowed (not root, or no CAP_SYS_ADMIN). Unmounted on leaving.

    Example (in a test)::

        with full_filesystem(tmp_path / "disk") as disk:
            ...  # every write under disk fails with ENOSPC
    """
    where.mkdir(parents=True, exist_ok=True)
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        pytest.skip("a full disk needs a tmpfs mount (root)")
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode(errors='replace').strip()}")
    try:
        with (where / "filler").open("wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"x" * 4096)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
        filler = where / "filler"
        os.truncate(filler, max(0, filler.stat().st_size - free))
        yield where
    finally:
        # lazily: a file the code under test left open (the fault it shows) must not keep it
        subprocess.run(["umount", "--lazy", str(where)], check=False)
