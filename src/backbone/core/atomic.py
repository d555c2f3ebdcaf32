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


def check_writable(path: Path, *, directory: bool = False) -> None:
    """Raise :class:`InputError` unless ``path`` (a file, or with ``directory`` a folder) can
    be written: it is not the other kind, no parent is a file, and the nearest existing
    parent is writable. Nothing is created, so a command can check its ``--out`` before any
    call is made.

    Example:
        >>> import tempfile
        >>> blocker = Path(tempfile.mkdtemp()) / "blocker"
        >>> _ = blocker.write_text("")
        >>> try:
        ...     check_writable(blocker / "out", directory=True)
        ... except InputError as exc:
        ...     print(exc.problems[0].message)
        cannot write: blocker is a file
    """
    where = str(path)
    if path.exists():
        if directory and not path.is_dir():
            raise InputError.single(where, None, "exists and is not a directory")
        if not directory and path.is_dir():
            raise InputError.single(where, None, "cannot write: it is a directory")
        if not os.access(path if directory else path.parent, os.W_OK):
            raise InputError.single(where, None, "cannot write: permission denied")
        return
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError.single(where, None, f"cannot write: {parent.name} is a file")
    if not os.access(parent, os.W_OK):
        raise InputError.single(where, None, f"cannot write: {parent} is not writable")


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename, so a reader (or a killed
    process) never sees half a file; the file gets ``0666 & ~umask``. Raises
    :class:`InputError` when ``path`` cannot be written."""
    check_writable(path)
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
