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
import zlib
from pathlib import Path
from typing import IO

GZIP = ".gz"
"""The extension of a gzip-compressed file."""


def is_gzip(path: Path) -> bool:
    """Whether ``path`` is named as a gzip-compressed file."""
    return path.suffix.lower() == GZIP


class _CheckedGzipFile(gzip.GzipFile):
    """A ``GzipFile`` whose damaged compressed data raises ``gzip.BadGzipFile`` (an
    ``OSError``, as a bad header does) instead of ``zlib.error``, which no reader expects."""

    def read(self, size: int | None = -1) -> bytes:
        try:
            return super().read(size)
        except zlib.error as exc:
            raise gzip.BadGzipFile(f"damaged gzip data ({exc})") from None

    def read1(self, size: int = -1) -> bytes:
        try:
            return super().read1(size)
        except zlib.error as exc:
            raise gzip.BadGzipFile(f"damaged gzip data ({exc})") from None

    def peek(self, n: int) -> bytes:
        try:
            return super().peek(n)
        except zlib.error as exc:
            raise gzip.BadGzipFile(f"damaged gzip data ({exc})") from None

    def readline(self, size: int | None = -1) -> bytes:
        try:
            return super().readline(size)
        except zlib.error as exc:
            raise gzip.BadGzipFile(f"damaged gzip data ({exc})") from None


def open_bytes(path: Path) -> IO[bytes]:
    """The file's bytes, gunzipped when its name ends in ``.gz`` (a file so named that is not
    gzip, or whose compressed data is damaged, raises ``gzip.BadGzipFile``, an ``OSError``,
    when read; one cut short ``EOFError``)."""
    if is_gzip(path):
        return _CheckedGzipFile(path, "rb")  # type: ignore[return-value]
    return path.open("rb")
