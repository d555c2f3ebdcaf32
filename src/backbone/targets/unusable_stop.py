"""Stopping a run's calls once the target cannot be used, without throwing away replies
already on their way.

A refused key (401/403, :class:`~backbone.targets.errors.AuthenticationError`) or an endpoint
or model the provider does not have (404, :class:`~backbone.targets.errors.NotFoundError`)
means no later call can succeed, so the run stops: but when it comes, other calls are
usually in flight, and the provider may already have answered them. Cancelling them would
lose those replies, and the re-run would ask (and pay) for them again. This wrapper, the
outermost layer of a stack (outside the cache and the journal), makes the error wait until
the calls in flight have finished and been stored (at most ``grace`` seconds), and refuses
every new call without making it; then the error propagates and the run stops.

Example:
    >>> import asyncio
    >>> from backbone.targets.python_callable import CallableTarget
    >>> from backbone.targets.messages import ChatMessage, Request
    >>> t = StopWhenUnusable(CallableTarget(lambda m: "ok", name="x"))
    >>> asyncio.run(t.complete(Request((ChatMessage("user", "?"),)))).text
    'ok'
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

from backbone.targets.base import Target
from backbone.targets.errors import UnusableTargetError
from backbone.targets.messages import Reply, Request

GRACE = 10.0
"""Seconds a refusal waits for the calls in flight (their own ``--timeout`` bounds them too)."""


class StopWhenUnusable:
    """After the first :class:`UnusableTargetError`, no new call is made; the error is
    raised once the calls already in flight have finished (or ``grace`` seconds passed)."""

    def __init__(self, inner: Target, *, grace: float = GRACE) -> None:
        self.inner = inner
        self.grace = grace
        self.refused: UnusableTargetError | None = None
        self._in_flight = 0
        self._changed = asyncio.Event()

    @property
    def identity(self) -> Mapping[str, Any]:
        return self.inner.identity

    async def _drain(self) -> None:
        """Wait until no call is in flight, or ``grace`` seconds from now."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.grace
        while self._in_flight > 0 and (left := deadline - loop.time()) > 0:
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)

    async def complete(self, request: Request) -> Reply:
        if self.refused is not None:  # no call can succeed: make no new one
            await self._drain()
            raise type(self.refused)(str(self.refused))
        self._in_flight += 1
        error: UnusableTargetError | None = None
        try:
            reply = await self.inner.complete(request)
        except UnusableTargetError as exc:
            if self.refused is None:
                self.refused = exc
            error = exc
        finally:
            self._in_flight -= 1
            self._changed.set()
        if error is not None:
            await self._drain()
            raise error
        return reply
