"""Users' regular expressions, run on a linear-time engine (RE2, the ``google-re2`` package).

Answer keys (``regex``), rule keys (``held``/``caved``/``yields``) and audit failure rules
(``column~PATTERN``) come from users' files. On Python's backtracking ``re`` a pattern such as
``^(a+)+$`` takes exponential time on 40 a's, and grading would hang; RE2 matches in time
linear in the text, always. The price is RE2's syntax: no lookarounds (``(?=``, ``(?!``,
``(?<=``) and no backreferences (``\\1``); ``\\b``, ``\\w`` and ``\\d`` are ASCII. A pattern RE2
cannot compile is refused when its file is loaded (:func:`check_pattern`), with RE2's reason.

Example:
    >>> [m.start() for m in compile_pattern(r"\\brome\\b").finditer("Rome, not ROME-ish")]
    [0, 10]
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
        return re2.compile(pattern, _options(ignore_case))
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
