"""What the JSONL importers share: reading a file's records once each, and its fields.

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.jsonl"
    >>> _ = p.write_text('{"a": 1}\\n\\n{"a": 1}\\n{oops\\n')
    >>> problems = []
    >>> reader = JsonlRecords(p)
    >>> [(n, r) for n, r in reader.read(problems)], reader.records, reader.duplicates
    ([(1, {'a': 1})], 3, 1)
    >>> str(problems[0]).split(":4: ")[1][:15]
    'not valid JSON:'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from backbone.core.compressed import open_bytes
from backbone.core.errors import InputError, Problem
from backbone.core.json_text import (
    DuplicateKey,
    NotJson,
    load_json,
    not_json_lines,
    unique_keys,
)
from backbone.core.text import clean_text
from backbone.core.user_file import refuse_device

_SLUG_BAD = re.compile(r"[^A-Za-z0-9_.-]+")


def text_field(value: object) -> str | None:
    """A non-blank string, stripped; NaN, null, numbers, lists and blanks are absent. A lone
    surrogate (the JSON escape ``"\\ud83d"`` of a cut emoji) is read as U+FFFD, as a YAML
    suite reads it: it could be neither hashed into an id nor written.

    >>> text_field(" Queen \\ud83d "), text_field(float("nan"))
    ('Queen \ufffd', None)
    """
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str) and value.strip():
        return clean_text(value.strip())
    return None


def answer_field(value: object) -> str | None:
    """An answer as :func:`text_field` reads it, or a JSON number's text: a dataset that
    stores ``"correct_answer": 1969`` (or ``4.5``) gives that answer, not none at all (it
    was dropped as absent: a wrong answer left the key without its ``reject``, a right one
    failed the record as having no answer). A boolean and NaN stay absent.

    >>> answer_field(1969), answer_field(2.0), answer_field(4.5), answer_field(True)
    ('1969', '2', '4.5', None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else repr(value)
    return text_field(value)


def slug(name: str) -> str:
    """``name`` made safe for a scenario or position id."""
    return _SLUG_BAD.sub("-", name).strip("-.") or "unknown"


def read_lines(path: Path) -> list[str]:
    """The file's lines; an unreadable file is an :class:`InputError`."""
    file = str(path)
    refuse_device(path)
    try:
        with open_bytes(path) as f:  # a .gz file gunzipped
            text = f.read().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError.single(file, None, "no such file") from None
    except IsADirectoryError:
        raise InputError.single(file, None, "is a directory, not a .jsonl file") from None
    except UnicodeDecodeError as exc:  # named at its line: the real file has 4,888
        line, column = _place(exc.object, exc.start)
        byte = exc.object[exc.start]
        raise InputError.single(
            file, line, f"not UTF-8 text (byte 0x{byte:02x} at column {column}): save it as UTF-8"
        ) from None
    except OSError as exc:  # (and a .gz that is not gzip)
        raise InputError.single(file, None, f"cannot read: {exc.strerror or exc}") from None
    except EOFError as exc:  # a .gz cut short
        raise InputError.single(file, None, f"cannot read: {exc}") from None
    # split on newlines only: str.splitlines() would also cut at U+2028 inside a JSON string
    return [line.rstrip("\r") for line in text.split("\n")]


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in bytes) of ``offset`` in ``data``.

    >>> _place(b"ab\\ncd", 4)
    (2, 2)
    """
    start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - start + 1


def _refuse_one_array(file: str, lines: list[str]) -> None:
    """A file that is one JSON array (``json.dump(records, f, indent=2)``) is no JSON Lines:
    read line by line it gave an error for nearly every line (100,000 for the real file
    pretty-printed), or "a record must be a JSON object" for an array on one line."""
    first = next((line.strip() for line in lines if line.strip()), "")
    if not first.startswith("["):
        return
    try:
        whole = load_json("\n".join(lines))
    except NotJson:
        return  # not one array after all: each bad line is named below
    if isinstance(whole, list):
        name = Path(file).name
        raise InputError.single(file, None, not_json_lines(len(whole), name))


class JsonlRecords:
    """The decoded records of a JSONL file, each exact line once: blank lines are skipped,
    repeated lines are counted in ``duplicates``, lines that are not JSON (or whose object
    gives a key twice) become problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records = 0
        self.duplicates = 0

    def read(self, problems: list[Problem]) -> Iterator[tuple[int, Any]]:
        """Yield ``(line number, record)``; append a problem for each line that is not JSON."""
        file = str(self.path)
        seen: set[str] = set()
        lines = read_lines(self.path)
        _refuse_one_array(file, lines)
        for line_no, line in enumerate(lines, 1):
            stripped = line.strip()
            if not stripped:
                continue
            self.records += 1
            if stripped in seen:
                self.duplicates += 1
                continue
            seen.add(stripped)
            try:
                record = load_json(stripped, object_pairs_hook=unique_keys)
            except DuplicateKey as exc:  # json.loads would keep the last value silently
                problems.append(Problem(file, line_no, str(exc)))
                continue
            except NotJson as exc:
                problems.append(Problem(file, line_no, f"not valid JSON: {exc}"))
                continue
            yield line_no, record
