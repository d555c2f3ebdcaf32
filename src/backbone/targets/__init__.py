"""Targets: what is tested. One async method, ``complete(request) -> reply``; cache and
retry are wrappers that compose around any target. Spec strings (``openai:MODEL``...) are
resolved by :mod:`backbone.evaluation.registry`."""

from backbone.targets.base import Target
from backbone.targets.cache import CachedTarget, ResponseStore, cache_key
from backbone.targets.errors import RetryableTargetError, TargetError, TargetSpecError
from backbone.targets.messages import ChatMessage, Reply, Request, Usage
from backbone.targets.retry import RetryingTarget

__all__ = [
    "CachedTarget",
    "ChatMessage",
    "Reply",
    "Request",
    "ResponseStore",
    "RetryableTargetError",
    "RetryingTarget",
    "Target",
    "TargetError",
    "TargetSpecError",
    "Usage",
    "cache_key",
]
