"""Composing the standard wrappers around a target, the way httpx stacks transports.

From the inside out: the provider, then retry (transient faults), then the shared response
cache, then the run's journal (what makes a killed run resumable even with ``--no-cache``),
then :class:`~backbone.targets.auth_stop.StopOnAuthentication` (a refused key stops new calls
and lets those in flight be stored first).

Example:
    >>> from backbone.targets.python_callable import CallableTarget
    >>> t = wrap(CallableTarget(lambda m: "ok", name="x"), retry=False)
    >>> type(t).__name__
    'StopOnAuthentication'
"""

from __future__ import annotations

from backbone.targets.auth_stop import StopOnAuthentication
from backbone.targets.base import Target
from backbone.targets.cache import CachedTarget, ResponseStore
from backbone.targets.retry import RetryingTarget


def wrap(
    target: Target,
    *,
    retry: bool = True,
    attempts: int = 6,
    timeout: float | None = None,
    cache: ResponseStore | None = None,
    journal: ResponseStore | None = None,
) -> Target:
    """Stack retry, cache and journal around ``target`` (each only when asked for), and
    the stop on a refused key around them all."""
    out: Target = target
    if retry:
        out = RetryingTarget(out, attempts=attempts, timeout=timeout)
    if cache is not None:
        out = CachedTarget(out, cache)
    if journal is not None:
        out = CachedTarget(out, journal)
    return StopOnAuthentication(out)


async def aclose(target: Target) -> None:
    """Close whatever the stack holds open (HTTP clients)."""
    seen: Target | None = target
    while seen is not None:
        close = getattr(seen, "aclose", None)
        if close is not None:
            await close()
        seen = getattr(seen, "inner", None)
