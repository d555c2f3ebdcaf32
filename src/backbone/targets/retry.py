"""Retry with backoff, as a wrapper around any target.

Retries :class:`RetryableTargetError` (timeouts, connection errors, HTTP 429 and 5xx) with
exponential backoff and jitter, honouring a server's ``Retry-After`` up to ``max_retry_after``
(120 s): a longer hint is capped, and the first capped wait is reported as a warning
(logging, which the CLI shows on stderr), so a run that seems stuck says why. A per-attempt
timeout turns a hung call into a retryable one (one that does not stop when cancelled is
abandoned, see :func:`within`). Anything else (an
:class:`~backbone.targets.errors.UnusableTargetError` included: a refused key, a 404)
propagates at once.

A target that has not answered once, and whose first :data:`UNANSWERED_LIMIT` attempts all
got no word back (no reply within the time allowed, no connection), is given up on: those
attempts, however many calls they belong to, end in one final error that says so, and every
later attempt fails at once with the same error, without a call (the scenarios end
``unscored`` with that reason). A server that accepts connections and never replies used to
hold each call for all its attempts (6 of 120 s), the run for hours. Any reply, even one of
those attempts' arriving late, or an error the server sends (a 503 while a model loads),
shows the target is up: from then on every call has all its
attempts.

The first backoff is 0.5 s (doubling, plus up to twice that in jitter, capped at 30 s);
``$BACKBONE_RETRY_BACKOFF`` (seconds, e.g. ``0.01``) sets it for a whole run, for tests and
soaks against a local server (:func:`backoff_from_env`).

Example:
    >>> from backbone.targets.python_callable import CallableTarget
    >>> t = RetryingTarget(CallableTarget(lambda m: "ok", name="x"), attempts=3)
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
)

from backbone.targets.base import Target
from backbone.targets.env_value import seconds_from_env
from backbone.targets.errors import RetryableTargetError, TargetError
from backbone.targets.messages import Reply, Request

log = logging.getLogger(__name__)
T = TypeVar("T")

BACKOFF_VAR = "BACKBONE_RETRY_BACKOFF"
DEFAULT_BACKOFF = 0.5
MAX_RETRY_AFTER = 120.0
"""Seconds a server's word (a ``Retry-After``, a rate-limit reset) may hold a call at most."""
FAR_HOLDS = 6
"""A ``Retry-After`` longer than this many caps (a call's default attempts, 6 x 120 s) is one
no call of the run can wait out: asked still after :data:`FAR_WAITS` caps' waits, the target
is given up on (:meth:`RetryingTarget._far`), and the rate limiter holds its queued calls no
more."""
FAR_WAITS = 2
"""Caps a server's far ``Retry-After`` is waited out, repeated, before it is believed."""
UNANSWERED_LIMIT = 6
"""Silent attempts (no word back) after which a target that has never answered is given up
on: one whole call's worth at the default number of attempts."""


def backoff_from_env() -> float:
    """The first retry backoff in seconds: ``$BACKBONE_RETRY_BACKOFF`` when it is a finite
    number >= 0, else 0.5 (a bad value is reported once as a warning and ignored).

    Example:
        >>> import os
        >>> os.environ[BACKOFF_VAR] = "0.01"; backoff_from_env()
        0.01
        >>> del os.environ[BACKOFF_VAR]; backoff_from_env()
        0.5
    """
    return seconds_from_env(BACKOFF_VAR, DEFAULT_BACKOFF, log=log)


CANCEL_GRACE = 1.0
"""Seconds a cancelled call (its timeout passed, or the run is being stopped) is given to end;
one still running then is abandoned (see :func:`within`)."""

_abandoned: set[asyncio.Future[Any]] = set()
"""Calls that did not stop when cancelled, held until they end (a task only weakly held by
the loop could be garbage-collected mid-flight)."""


async def within(call: Awaitable[T], timeout: float | None) -> T:
    """``await call``, turned into a :class:`RetryableTargetError` after ``timeout`` seconds
    (None: no limit).

    The late call is cancelled and given :data:`CANCEL_GRACE` seconds to end. Code that
    catches ``CancelledError`` and carries on (an async function's ``except: pass`` around an
    ``await``) is then abandoned: the error says so, and neither the run nor the process's
    exit waits for it (``asyncio.wait_for`` waits for the cancelled call to end, so such a
    call held the run forever). A cancellation of the caller (Ctrl-C) is handled the same way.

    Example:
        >>> async def stubborn() -> Reply:
        ...     while True:
        ...         try:
        ...             await asyncio.sleep(60)
        ...         except asyncio.CancelledError:
        ...             pass
        >>> try:
        ...     asyncio.run(within(stubborn(), 0.01))
        ... except RetryableTargetError as exc:
        ...     print(exc)
        no reply within 0.01s, and the call did not stop when cancelled (abandoned)
    """
    if timeout is None:
        return await call
    task = asyncio.ensure_future(call)
    try:
        done, _ = await asyncio.wait((task,), timeout=timeout)
    except asyncio.CancelledError:
        await _stop(task)
        raise
    if not done and not await _stop(task):
        raise RetryableTargetError(
            f"no reply within {timeout:g}s, and the call did not stop when cancelled (abandoned)",
            timed_out=True,
        ) from TimeoutError()
    if task.cancelled():
        raise RetryableTargetError(
            f"no reply within {timeout:g}s", timed_out=True
        ) from TimeoutError()
    return task.result()  # a reply, or the call's error, even one that came in the grace


async def _stop(task: asyncio.Future[Any]) -> bool:
    """Cancel ``task`` and wait up to :data:`CANCEL_GRACE` seconds for it to end: whether it
    did. One that did not is abandoned (:func:`_abandon`), as it is when this wait is
    cancelled in turn."""
    task.cancel()
    try:
        await asyncio.wait((task,), timeout=CANCEL_GRACE)
    finally:
        if task.done():
            _forget(task)  # its exception read: asyncio would report one nobody read
        else:
            _abandon(task)
    return task.done()


def _abandon(task: asyncio.Future[Any]) -> None:
    """Let ``task`` run on without anyone waiting for it: held until it ends, its outcome
    read then (asyncio reports nothing), left out of the tasks ``asyncio.run`` cancels and
    waits for at the end (it would wait forever), and not reported when the loop closes
    with it still pending."""
    _abandoned.add(task)
    task.add_done_callback(_forget)
    if isinstance(task, asyncio.Task):
        asyncio.tasks._unregister_task(task)
        task._log_destroy_pending = False  # type: ignore[attr-defined]


def _forget(task: asyncio.Future[Any]) -> None:
    """Drop the ended ``task`` from :data:`_abandoned` and read its outcome."""
    _abandoned.discard(task)
    if not task.cancelled():
        task.exception()


@dataclass
class RetryStats:
    """How often the wrapper had to retry; ``attempts``: the calls it sent to the target
    (retries included; not those refused once it gave the target up), ``failed``: of them,
    the ones that failed (an error, a timeout)."""

    retries: int = 0
    attempts: int = 0
    failed: int = 0


class RetryingTarget:
    """Retries transient failures of the inner target."""

    def __init__(
        self,
        inner: Target,
        *,
        attempts: int = 6,
        initial_wait: float | None = None,
        max_wait: float = 30.0,
        timeout: float | None = None,
        max_retry_after: float = MAX_RETRY_AFTER,
        jitter: float | None = None,
        unanswered_limit: int = UNANSWERED_LIMIT,
    ) -> None:
        """``initial_wait`` defaults to :func:`backoff_from_env`, ``jitter`` to twice it;
        ``unanswered_limit``: silent attempts before a target that never answered is given up
        on."""
        self.inner = inner
        self.attempts = attempts
        self.timeout = timeout
        self.stats = RetryStats()
        self._initial_wait = backoff_from_env() if initial_wait is None else initial_wait
        self._max_wait = max_wait
        self._jitter = 2 * self._initial_wait if jitter is None else jitter
        self._max_retry_after = max_retry_after
        self._warned_cap = False
        self._unanswered_limit = unanswered_limit
        self._answered = False
        self._silent = 0
        self._given_up: tuple[str, Exception] | None = None
        """Once the target is given up on: the message every attempt fails with, and the last
        failure's cause each carries."""
        self._far_since: float | None = None
        """When (monotonic) the server first asked to wait longer than any call's attempts
        can (:meth:`_far`), since the last reply."""

    @property
    def identity(self) -> Mapping[str, Any]:
        return self.inner.identity

    def _delay(self, exc: BaseException | None, failures: int) -> float:
        """Seconds to wait after the ``failures``-th failed attempt."""
        if isinstance(exc, RetryableTargetError) and exc.retry_after is not None:
            asked = max(exc.retry_after, 0.0)
            if asked > self._max_retry_after and not self._warned_cap:
                self._warned_cap = True
                log.warning(
                    "the server asked to wait %gs before retrying (Retry-After); waiting "
                    "%gs instead, the cap (reported once)",
                    asked,
                    self._max_retry_after,
                )
            return min(asked, self._max_retry_after)
        # exponential backoff plus up to ``jitter`` seconds (tenacity's wait_exponential_jitter,
        # written out: its ``initial`` argument is deprecated, and ``multiplier`` is missing
        # from the tenacity versions we support)
        backoff = self._initial_wait * 2.0 ** max(failures - 1, 0)
        return min(backoff + random.uniform(0, self._jitter), self._max_wait)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        return self._delay(exc, state.attempt_number + 1)  # the first failure came before

    def _count(self, state: RetryCallState) -> None:
        self.stats.retries += 1

    async def _attempt(self, request: Request) -> Reply:
        if self._given_up is not None:
            raise self._refusal()
        self.stats.attempts += 1
        try:
            reply = await within(self.inner.complete(request), self.timeout)
        except RetryableTargetError as exc:
            self.stats.failed += 1
            if not exc.silent:
                self._heard()  # an error the server sent (a 503 while it loads): it is up
                if self._far(exc):
                    error = self._give_up_far(exc)
                    raise error from exc
            elif not self._answered:
                self._silent += 1
                if self._silent >= self._unanswered_limit:
                    error = self._give_up(exc)
                    raise error from error.__cause__
            raise
        except TargetError:
            self.stats.failed += 1
            self._heard()
            raise
        self._heard()
        self._far_since = None
        return reply

    def _far(self, exc: RetryableTargetError) -> bool:
        """Whether the server still asks to wait longer than a call's attempts can wait
        (:data:`FAR_HOLDS` caps), :data:`FAR_WAITS` caps after it first did, with no reply
        since. Such a hint may be bogus, and is waited out to the cap as any other, twice;
        said still, the server will not serve within the run (a daily quota), and every
        call waiting the cap each time, one at a time as the rate limiter halves to one in
        flight, held the run for hours (6 attempts x 120 s a call)."""
        asked = exc.retry_after
        if asked is None or asked <= FAR_HOLDS * self._max_retry_after:
            return False
        now = time.monotonic()
        if self._far_since is None:
            self._far_since = now
            return False
        return now - self._far_since >= FAR_WAITS * self._max_retry_after

    def _give_up_far(self, last: RetryableTargetError) -> TargetError:
        """Give the target up (warned of once) after :meth:`_far`: the final error for this
        attempt, and every later one's."""
        if self._given_up is None:
            message = (
                f"the server still asked to wait {last.retry_after:g}s before retrying "
                f"(Retry-After) after waits of {self._max_retry_after:g}s, the cap: no "
                f"further call is made (the last: {last})"
            )
            self._given_up = (message, last)
            log.warning("%s", message)
        return self._refusal()

    def _heard(self) -> None:
        """The target answered (a reply, or an error it sent): it is up."""
        self._answered, self._given_up = True, None

    def _give_up(self, last: RetryableTargetError) -> TargetError:
        """Give the target up (warned of once): the final error for this attempt. Every call
        given up on carries the last failure's cause (a Python function's ``TimeoutError``),
        so a reason that names the cause names the same one for each."""
        if self._given_up is None:
            message = (
                f"no reply to any of the first {self._silent} attempts, so no further call "
                f"is made (the last: {last})"
            )
            cause = last.__cause__
            self._given_up = (message, cause if isinstance(cause, Exception) else last)
            log.warning("%s", message)
        return self._refusal()

    def _refusal(self) -> TargetError:
        """The error an attempt fails with once the target is given up on."""
        assert self._given_up is not None
        message, cause = self._given_up
        error = TargetError(message)
        error.__cause__ = cause
        return error

    async def complete(self, request: Request) -> Reply:
        # the first attempt runs bare: most calls succeed, and need no retry machinery
        try:
            return await self._attempt(request)
        except RetryableTargetError as exc:
            if self.attempts <= 1:
                raise
            await asyncio.sleep(self._delay(exc, 1))
            self.stats.retries += 1
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts - 1),
            wait=self._wait,
            retry=retry_if_exception_type(RetryableTargetError),
            before_sleep=self._count,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._attempt(request)
        raise AssertionError("unreachable")  # pragma: no cover
