"""CSV read with cells of any length.

The ``csv`` module refuses a cell longer than its field limit (128 KB by default) with
``_csv.Error``, and the limit is one setting for the whole process: raising it in one reader
changed what another read, so a command's behaviour depended on which module ran first. Every
CSV reader of backbone goes through here, and a long cell (a reply pasted whole, a long
pushback) is read everywhere.

Example:
    >>> import io
    >>> rows = list(reader(io.StringIO('a,b\\n"' + "x" * 200_000 + '",1\\n')))
    >>> len(rows[1][0])
    200000
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from typing import Any


def _uncapped() -> None:
    if csv.field_size_limit() < sys.maxsize:
        csv.field_size_limit(sys.maxsize)


def reader(lines: Iterable[str]) -> Any:
    """``csv.reader(lines)`` taking cells of any length."""
    _uncapped()
    return csv.reader(lines)


def dict_reader(lines: Iterable[str]) -> csv.DictReader[str]:
    """``csv.DictReader(lines)`` taking cells of any length."""
    _uncapped()
    return csv.DictReader(lines)
