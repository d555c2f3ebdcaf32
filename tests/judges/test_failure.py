"""Why a judge call failed, as the unscored reasons of audit and monitor quote it."""

from __future__ import annotations

import asyncio

import pytest

from backbone.judges.failure import failure_words
from backbone.targets.errors import RetryableTargetError, TargetError
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.python_callable import CallableTarget


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


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), KeyboardInterrupt("stop")])
def test_a_base_exception_a_python_judge_raised_is_named_by_itself(exc: BaseException) -> None:
    # a python judge's KeyboardInterrupt on its own thread fails that call; the reason named
    # the class carrying it back: 'python judge raised _ProductBaseException: KeyboardInterrupt'
    def judge(messages: list[dict[str, str]]) -> str:
        raise exc

    with pytest.raises(TargetError) as failed:
        asyncio.run(
            CallableTarget(judge, name="m:judge").complete(Request((ChatMessage("user", "?"),)))
        )
    said = "KeyboardInterrupt" + (f": {exc}" if str(exc) else "")
    assert failure_words(failed.value, python=True) == said


class _NoWords(Exception):
    """A product's exception whose ``__str__`` fails (an attribute its ``__init__`` never
    set, say)."""

    def __str__(self) -> str:
        raise AttributeError("code")


def test_a_judge_exception_whose_str_raises_is_named_not_raised_on() -> None:
    # failure_words called str() on it: the AttributeError escaped the audit's or the
    # monitor's reason-writing
    error = _wrapped(_NoWords(), "python judge failed")
    assert failure_words(error, python=True) == (
        "_NoWords: (its text could not be read: its __str__ raised)"
    )


def test_a_judge_exception_of_megabytes_is_cut() -> None:
    error = _wrapped(ValueError("z" * 5_000_000), "python judge failed")
    words = failure_words(error, python=True)
    assert len(words) < 400
    assert words.endswith("… (5,000,000 characters)")
