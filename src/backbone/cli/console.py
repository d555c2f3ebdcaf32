"""The consoles every command prints through: soft-wrapped, and without Rich's emoji codes,
which would turn text such as a target ``python:bots:ok`` followed by a colon, or a scenario
id between colons, into pictures ("openai:m: add" printed as "openaiⓂ add").

Example:
    >>> import io
    >>> c = console(file=io.StringIO())
    >>> c.print("no price for openai:m: add it"); c.file.getvalue()
    'no price for openai:m: add it\\n'
"""

from __future__ import annotations

from typing import IO

from rich.console import Console


def console(
    *, stderr: bool = False, highlight: bool = True, file: IO[str] | None = None
) -> Console:
    """A console for standard output (or standard error, or ``file``)."""
    return Console(stderr=stderr, soft_wrap=True, emoji=False, highlight=highlight, file=file)
