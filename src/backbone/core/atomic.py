"""Writing output files whole or not at all, with the permissions any new file gets.

``tempfile.mkstemp`` creates its file ``0600``; renamed into place as is, every report would
be private to its writer whatever the user's umask says. The temporary file is given
``0666 & ~umask`` before the rename, as ``open(path, "w")`` would.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_text_atomic(p, "hi")
    >>> p.read_text(), oct(p.stat().st_mode & 0o777) == oct(0o666 & ~current_umask())
    ('hi', True)

A path that cannot be written (below a file, no permission, a directory) is the user's input
and is reported as one: an :class:`~backbone.core.errors.InputError` naming the path and why.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from backbone.core.errors import InputError

_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask (read from ``/proc`` where it can be, else set and restored)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename, so a reader (or a killed
    process) never sees half a file; the file gets ``0666 & ~umask``. Raises
    :class:`InputError` when ``path`` cannot be written."""
    if path.is_dir():
        raise InputError.single(str(path), None, "cannot write: it is a directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError.single(str(path), None, f"cannot write: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
