"""Composing the standard wrappers around a target, the way httpx stacks transports.

From the inside out: the provider, then the rate limiter (HTTP providers only: it paces calls
to the provider's rate-limit headers and sees every attempt's response, see
:mod:`backbone.targets.ratelimit`), then retry (transient faults), then the shared response
cache, then the run's journal (what makes a killed run resumable even with ``--no-cache``),
then :class:`~backbone.targets.unusable_stop.StopWhenUnusable` (a refused key, or an endpoint
or model the provider does not have, stops new calls and lets those in flight be stored
first). In batch mode the provider batching
(:mod:`backbone.targets.batching`) goes between retry and the cache: cached replies never go
to a batch, and the retrying provider is its online fallback.

Example:
    >>> from backbone.targets.python_callable import CallableTarget
    >>> t = wrap(CallableTarget(lambda m: "ok", name="x"), retry=False)
    >>> type(t).__name__
    'StopWhenUnusable'
"""

from __future__ import annotations

from backbone.targets.base import Target, layers
from backbone.targets.batching import BatchingTarget, BatchSettings
from backbone.targets.cache import CachedTarget, ResponseStore
from backbone.targets.http_provider import HttpProvider
from backbone.targets.local import LocalTarget
from backbone.targets.python_callable import CallableTarget
from backbone.targets.ratelimit import GENTLE, RateLimitedTarget
from backbone.targets.retry import RetryingTarget
from backbone.targets.unusable_stop import StopWhenUnusable

PYTHON_CALL_TIMEOUT = 300.0
"""Seconds each attempt of a Python function target may take when no ``timeout`` is given.
An HTTP provider's client bounds its own calls (120 s); a function has no bound of its own,
so without this one that hangs would hold the run forever."""


def wrap(
    target: Target,
    *,
    retry: bool = True,
    attempts: int = 6,
    timeout: float | None = None,
    cache: ResponseStore | None = None,
    journal: ResponseStore | None = None,
    pace: bool | None = None,
    gentle: int = GENTLE,
    batch: BatchSettings | None = None,
) -> Target:
    """Stack the rate limiter, retry, cache and journal around ``target`` (each only when
    asked for), and the stop on a target that cannot be used around them all. ``pace``:
    None paces HTTP providers only; the limiter starts at ``gentle`` calls in flight.
    ``timeout`` bounds each attempt (with retry on), not counting a wait for the limiter,
    and an HTTP provider's client is let wait that long (its own bound is 120 s); left
    None, a Python function target is bounded by :data:`PYTHON_CALL_TIMEOUT`."""
    if timeout is None and _in_process(target):
        timeout = PYTHON_CALL_TIMEOUT
    if timeout is not None and retry:
        for layer in layers(target):  # its client's own bound (120 s) must not cut it short
            if isinstance(layer, HttpProvider):
                layer.allow(timeout)
    # the embedded model bounds a call from when it takes it up, not while it waits its turn
    local = [t for t in layers(target) if isinstance(t, LocalTarget)] if retry else []
    for model in local:
        model.bound(timeout)
    out: Target = target
    paced = pace if pace is not None else _over_http(target)
    if paced:  # the per-call timeout starts once the limiter admits the call
        out = RateLimitedTarget(out, start=gentle, timeout=timeout if retry else None)
    if retry:
        out = RetryingTarget(out, attempts=attempts, timeout=None if paced or local else timeout)
    if batch is not None:
        out = batch.wrap(out, timeout=timeout)
    if cache is not None:
        out = CachedTarget(out, cache)
    if journal is not None:
        out = CachedTarget(out, journal)
    return StopWhenUnusable(out)


def _in_process(target: Target) -> bool:
    """Whether ``target`` (or a target it wraps) is a Python function."""
    return any(isinstance(t, CallableTarget) for t in layers(target))


def _over_http(target: Target) -> bool:
    """Whether ``target`` (or a target it wraps) is an HTTP provider."""
    return any(isinstance(t, HttpProvider) for t in layers(target))


def failed_calls(target: Target) -> int:
    """The calls this process sent to ``target`` that failed: each attempt its retry layers
    counted as failed, each batch item that failed (sent again, sent online at last, or
    final: :attr:`~backbone.targets.batching.BatchStats.failed_items`), and each call an
    HTTP provider sent again with other settings after a failed one (a refused parameter,
    a token limit spent: :attr:`HttpProvider.resent`). Replies served from the cache or a
    resumed run's journal were made by an earlier process: its failures are not known here.
    It counted the retry layers' only, and a batch run whose items failed said none did."""
    return sum(
        t.stats.failed
        if isinstance(t, RetryingTarget)
        else t.stats.failed_items
        if isinstance(t, BatchingTarget)
        else t.resent
        if isinstance(t, HttpProvider)
        else 0
        for t in layers(target)
    )


async def aclose(target: Target) -> None:
    """Close whatever the stack holds open (HTTP clients)."""
    for t in layers(target):
        close = getattr(t, "aclose", None)
        if close is not None:
            await close()
