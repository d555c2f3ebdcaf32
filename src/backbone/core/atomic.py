"""Writing output files whole or not at all.

A path that cannot be written (below a file, no permission, a directory) is the user's input
and is reported as one: an :class:`~backbone.core.errors.InputError` naming the path and why.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from backbone.core.errors import InputError


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename, so a reader (or a killed
    process) never sees half a file. Raises :class:`InputError` when ``path`` cannot be
    written."""
    if path.is_dir():
        raise InputError.single(str(path), None, "cannot write: it is a directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError.single(str(path), None, f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
