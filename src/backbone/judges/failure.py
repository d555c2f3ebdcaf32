"""Why a judge call failed, in the words an unscored reason quotes.

A ``python:`` judge's own exception is the one to name (the call wraps it); an exception with
no words of its own (the ``TimeoutError`` of a judge that overran ``--timeout``) takes the
wrapping error's words, so the reason says what happened rather than "TimeoutError: ".

Example:
    >>> from backbone.targets.errors import RetryableTargetError
    >>> try:
    ...     try:
    ...         raise TimeoutError()
    ...     except TimeoutError as exc:
    ...         raise RetryableTargetError("no reply within 2s") from exc
    ... except RetryableTargetError as wrapped:
    ...     failure_words(wrapped, python=True)
    'TimeoutError: no reply within 2s'
"""

from __future__ import annotations

from backbone.targets.errors import TargetError
from backbone.targets.python_callable import _ProductBaseException, exception_words


def failure_words(error: Exception | None, *, python: bool) -> str:
    """``"TypeName: words"`` for a failed judge call: a python judge's own exception (the
    cause the call wrapped), an HTTP judge's error as the call raised it; words taken from
    the wrapping error when the exception has none."""
    exc = error
    if python and isinstance(error, TargetError) and isinstance(error.__cause__, Exception):
        exc = error.__cause__
        if isinstance(exc, _ProductBaseException):  # a KeyboardInterrupt the judge raised,
            return str(exc)  # carried as an Exception: named by it, not by the carrier
    words = exception_words(exc) if exc is not None else ""
    if not words.strip() and error is not None and exc is not error:
        words = str(error)
    return f"{type(exc).__name__}: {words}"
