"""Text that can always be encoded: lone surrogates replaced.

A Python ``str`` may hold a lone UTF-16 surrogate (``"\\ud800"``): JSON and YAML escapes
produce one, and so can product code. Such a string cannot be encoded as UTF-8, so storing,
writing or hashing it fails far from where it came in. Every reply, message and YAML scalar
passes through :func:`clean_text` where it enters backbone.

Example:
    >>> clean_text("ok \\ud800 done")
    'ok \\ufffd done'
    >>> clean_text("\\ud83d\\ude00") == "\\U0001f600"  # a pair written as two code points
    True
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def written(text: str) -> str:
    """``text`` when a person wrote something in it; spaces alone say nothing (a blank
    statement gives a judge no position to grade against, a blank user turn asks nothing).

    >>> written("  ")
    Traceback (most recent call last):
    ValueError: is blank: write it out
    """
    if not text.strip():
        raise ValueError("is blank: write it out")
    return text


WrittenText = Annotated[str, AfterValidator(written)]
"""A pydantic field of text that must not be blank (see :func:`written`)."""


def clean_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (and surrogate pairs joined);
    ``text`` itself when it is already encodable, which is the fast, common case."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text
