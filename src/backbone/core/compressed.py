"""Reading a file that may be gzip-compressed, as data exports often are (``chats.jsonl.gz``,
OpenAssistant's ``2023-04-12_oasst_ready.trees.jsonl.gz``): by its name, a ``.gz`` file is
read through gzip and any other as it is.

Example:
    >>> from pathlib import Path
    >>> is_gzip(Path("trees.jsonl.gz")), is_gzip(Path("trees.jsonl"))
    (True, False)
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import IO

GZIP = ".gz"
"""The extension of a gzip-compressed file."""


def is_gzip(path: Path) -> bool:
    """Whether ``path`` is named as a gzip-compressed file."""
    return path.suffix.lower() == GZIP


def open_bytes(path: Path) -> IO[bytes]:
    """The file's bytes, gunzipped when its name ends in ``.gz`` (a file so named that is not
    gzip raises ``gzip.BadGzipFile``, an ``OSError``, when read)."""
    if is_gzip(path):
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]
    return path.open("rb")
