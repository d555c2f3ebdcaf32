"""Why a judge call failed, as the unscored reasons of audit and monitor quote it."""

from __future__ import annotations

from backbone.judges.failure import failure_words
from backbone.targets.errors import RetryableTargetError, TargetError


def _wrapped(cause: Exception, words: str, kind: type[TargetError] = TargetError) -> TargetError:
    try:
        raise kind(words) from cause
    except TargetError as exc:
        return exc


def test_a_python_judge_is_named_by_its_own_exception() -> None:
    error = _wrapped(RuntimeError("db down"), "python judge failed")
    assert failure_words(error, python=True) == "RuntimeError: db down"
    # an HTTP judge's error is the call's own
    assert failure_words(error, python=False) == "TargetError: python judge failed"


def test_an_exception_without_words_takes_the_wrapping_errors() -> None:
    error = _wrapped(TimeoutError(), "no reply within 2s", RetryableTargetError)
    assert failure_words(error, python=True) == "TimeoutError: no reply within 2s"
    assert failure_words(RuntimeError(), python=True) == "RuntimeError: "
