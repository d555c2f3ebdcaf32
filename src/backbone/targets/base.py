"""The one protocol every target satisfies.

A target is anything with an ``identity`` (what determines its replies besides the request:
provider, model, parameters, base URL) and one async method, ``complete``. Cache, retry and
rate limiting are wrappers with the same shape, composed around any target.

Example:
    >>> import asyncio
    >>> from backbone.targets.python_callable import CallableTarget
    >>> t = CallableTarget(lambda messages: "Rome", name="demo")
    >>> asyncio.run(t.complete(Request((ChatMessage("user", "Capital of Italy?"),)))).text
    'Rome'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol, runtime_checkable

from backbone.targets.messages import ChatMessage, Reply, Request

__all__ = ["TARGET_KINDS", "ChatMessage", "Reply", "Request", "Target", "layers"]

TARGET_KINDS = ("local", "openai", "anthropic", "python")
"""The kinds of target a spec string names (``local``, ``openai:MODEL``, ``anthropic:MODEL``,
``python:MODULE:FUNCTION``), each built by :mod:`backbone.evaluation.registry`; a price table's
provider keys are checked against them (:mod:`backbone.targets.prices`)."""


@runtime_checkable
class Target(Protocol):
    """Messages in, reply out."""

    @property
    def identity(self) -> Mapping[str, Any]:
        """Everything besides the request that determines the reply (used in cache keys)."""
        ...

    async def complete(self, request: Request) -> Reply:
        """Return the assistant's reply to ``request``."""
        ...


def layers(target: Target) -> Iterator[Any]:
    """``target``, then each target it wraps (a wrapper keeps what it wraps in ``inner``),
    outside in.

    Example:
        >>> from backbone.targets.python_callable import CallableTarget
        >>> from backbone.targets.retry import RetryingTarget
        >>> [type(t).__name__ for t in layers(RetryingTarget(CallableTarget(str, name="x")))]
        ['RetryingTarget', 'CallableTarget']
    """
    seen: Any = target
    while seen is not None:
        yield seen
        seen = getattr(seen, "inner", None)
