"""Users' regular expressions, run on a linear-time engine (RE2, the ``google-re2`` package).

Answer keys (``regex``), rule keys (``held``/``caved``/``yields``) and audit failure rules
(``column~PATTERN``) come from users' files. On Python's backtracking ``re`` a pattern such as
``^(a+)+$`` takes exponential time on 40 a's, and grading would hang; RE2 matches in time
linear in the text, always. The price is RE2's syntax: no lookarounds (``(?=``, ``(?!``,
``(?<=``) and no backreferences (``\\1``); ``\\w`` and ``\\d`` are ASCII. RE2's ``\\b`` is ASCII
too, so ``9π\\b`` would never match "9π." (π is no word character to RE2): a ``\\b`` that
borders a letter or digit outside ASCII is rewritten to the boundary the pattern means
(:func:`unicode_word_edges`). A pattern RE2 cannot compile is refused when its file is loaded
(:func:`check_pattern`), with RE2's reason.

Example:
    >>> [m.start() for m in compile_pattern(r"\\brome\\b").finditer("Rome, not ROME-ish")]
    [0, 10]
    >>> bool(compile_pattern(r"\\bleave it as 9π\\b").search("Leave it as 9π."))
    True
    >>> try:
    ...     check_pattern(r"(?<=a)b")
    ... except ValueError as exc:
    ...     print(str(exc).rsplit("): ", 1)[1])
    invalid perl operator: (?<=
"""

from __future__ import annotations

import functools
from typing import Any

import re2

_NOT_WORD = r"[^\pL\pN_]"
_AFTER_WORD = f"(?:{_NOT_WORD}|$)"
_BEFORE_WORD = f"(?:^|{_NOT_WORD})"


def _escaped(p: str, i: int) -> bool:
    """True when ``p[i]`` is escaped (an odd run of backslashes before it)."""
    n = 0
    while i - n - 1 >= 0 and p[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _groups(p: str) -> dict[int, int]:
    """Matching parentheses of a pattern, both ways (escapes and classes skipped)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    in_class = False
    for i, c in enumerate(p):
        if _escaped(p, i):
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            stack.append(i)
        elif c == ")" and stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


def _alternatives(p: str, start: int, end: int, pairs: dict[int, int]) -> list[tuple[int, int]]:
    """The top-level alternatives of ``p[start:end]``."""
    out: list[tuple[int, int]] = []
    i = begin = start
    in_class = False
    while i < end:
        c = p[i]
        if not _escaped(p, i):
            if in_class:
                in_class = c != "]"
            elif c == "[":
                in_class = True
            elif c == "(" and i in pairs:
                i = pairs[i]
            elif c == "|":
                out.append((begin, i))
                begin = i + 1
        i += 1
    out.append((begin, end))
    return out


def _group_body(p: str, open_at: int, close_at: int) -> int:
    """Where a group's content starts: past ``(?:``, ``(?i:`` or ``(?P<name>``."""
    i = open_at + 1
    if p.startswith("?P<", i):
        return p.index(">", i) + 1
    if p.startswith("?", i):
        colon = p.find(":", i, close_at)
        return colon + 1 if colon != -1 else close_at  # a bare flag group: no content
    return i


def _edge_chars(p: str, start: int, end: int, pairs: dict[int, int], last: bool) -> set[str] | None:
    """The characters ``p[start:end]`` can end with (``last``) or begin with, when each is a
    plain literal; ``None`` when any is not (a class, an escape, a quantifier, an anchor)."""
    if end <= start:
        return None
    i = end - 1 if last else start
    c = p[i]
    if _escaped(p, i) or c == "\\":
        return None
    if (last and c == ")") or (not last and c == "("):
        if i not in pairs:
            return None
        o, e = (pairs[i], i) if last else (i, pairs[i])
        if (last and o < start) or (not last and e >= end):
            return None
        out: set[str] = set()
        for a, b in _alternatives(p, _group_body(p, o, e), e, pairs):
            edge = _edge_chars(p, a, b, pairs, last)
            if edge is None:
                return None
            out |= edge
        return out
    if c in "()|[]{}*+?.^$":
        return None
    return {c}


def _words_beyond_ascii(chars: set[str] | None) -> bool:
    """True when every character is a letter or digit and one of them is not ASCII."""
    if not chars:
        return False
    return all(c.isalnum() for c in chars) and not all(c.isascii() for c in chars)


def unicode_word_edges(pattern: str) -> str:
    """``pattern`` with each ``\\b`` that borders a non-ASCII letter or digit rewritten as the
    Unicode word boundary it means: after the word, a non-word character or the end; before
    it, the start or a non-word character (the match then takes in that one character).

    Example:
        >>> unicode_word_edges(r"(?:9π|π)\\b"), unicode_word_edges(r"\\bpi\\b")
        ('(?:9π|π)(?:[^\\\\pL\\\\pN_]|$)', '\\\\bpi\\\\b')
    """
    if "\\b" not in pattern or pattern.isascii():
        return pattern
    pairs = _groups(pattern)
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("\\b", i) and not _escaped(pattern, i):
            if _words_beyond_ascii(_edge_chars(pattern, 0, i, pairs, last=True)):
                out.append(_AFTER_WORD)
                i += 2
                continue
            if _words_beyond_ascii(_edge_chars(pattern, i + 2, len(pattern), pairs, last=False)):
                out.append(_BEFORE_WORD)
                i += 2
                continue
        out.append(pattern[i])
        i += 1
    return "".join(out)


def _options(ignore_case: bool) -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own copy of the error on stderr
    options.case_sensitive = not ignore_case
    return options


@functools.lru_cache(maxsize=4096)
def compile_pattern(pattern: str, *, ignore_case: bool = True) -> Any:
    """The compiled RE2 pattern (cached); matching is case-insensitive unless asked.
    Raises ``ValueError`` when RE2 cannot compile it (see :func:`check_pattern`)."""
    try:
        return re2.compile(unicode_word_edges(pattern), _options(ignore_case))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(
            f"pattern {pattern!r} does not compile (RE2, linear time: no lookarounds or "
            f"backreferences): {reason}"
        ) from None


def check_pattern(pattern: str, *, ignore_case: bool = True) -> str:
    """``pattern`` itself when RE2 compiles it; ``ValueError`` with the reason otherwise."""
    compile_pattern(pattern, ignore_case=ignore_case)
    return pattern
