"""JSON read from users' files, with one account of what is wrong when a text is not JSON.

Every reader of a ``.json`` or ``.jsonl`` file (suites, labeled sets, importers, a run's
``results.json`` and ``transcripts.jsonl``) reports a text that cannot be read the same way,
after ``not valid JSON:``: the parser's reason and the column, or one of the two limits the
parser has beyond syntax (nesting past Python's recursion limit, an integer past its
4,300-digit limit), which raise ``RecursionError`` and ``ValueError`` rather than
``json.JSONDecodeError`` and were tracebacks where a reader caught only the latter.

Example:
    >>> load_json('{"a": 1}')
    {'a': 1}
    >>> try:
    ...     load_json('{"a": }')
    ... except NotJson as exc:
    ...     print(exc, exc.line)
    Expecting value (column 7) 1
    >>> try:
    ...     load_json("[" * 100_000)
    ... except NotJson as exc:
    ...     print(exc, exc.line)
    nested too deeply None
    >>> try:
    ...     load_json('{"a": 1, "a": 2}', object_pairs_hook=unique_keys)
    ... except DuplicateKey as exc:
    ...     print(exc)
    duplicate key 'a' in one object
"""

from __future__ import annotations

import json
from typing import Any


class NotJson(ValueError):
    """A text that is not JSON: the message says why; ``line`` is the parser's line within
    the text (None for the parser's limits, which name no place)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class DuplicateKey(ValueError):
    """A JSON object that gives one key twice, raised by :func:`unique_keys`."""

    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r} in one object")
        self.key = key


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An ``object_pairs_hook``: a JSON object's pairs as a dict, and :class:`DuplicateKey`
    for a key given twice (``json.loads`` keeps the last value without a word, where DuckDB
    and a person reading the line see the first)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key)
        out[key] = value
    return out


def load_json(text: str, **options: Any) -> Any:
    """``json.loads(text, **options)``, any failure to read it raised as :class:`NotJson`.
    An exception raised by a hook in ``options`` (``object_pairs_hook``) passes through."""
    try:
        return json.loads(text, **options)
    except json.JSONDecodeError as exc:
        raise NotJson(f"{exc.msg} (column {exc.colno})", exc.lineno) from None
    except RecursionError:
        raise NotJson("nested too deeply") from None
    except ValueError as exc:
        if type(exc) is not ValueError:  # a hook's own error (a ValueError subclass)
            raise
        raise NotJson("a number too long to read") from None  # past 4,300 digits


def not_json_lines(items: int, name: str) -> str:
    """What is wrong with a file that is one JSON array where JSON Lines (one object a
    line) is read, with the command that mends it.

    >>> not_json_lines(2, "log.json").split(":")[0]
    'one JSON array of 2 item(s), not JSON Lines'
    """
    return (
        f"one JSON array of {items} item(s), not JSON Lines: write one record a line "
        f"(e.g. jq -c '.[]' {name} > records.jsonl)"
    )
