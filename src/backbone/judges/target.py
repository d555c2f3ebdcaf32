"""A judge's target: any target, with the rubric version and the judge role in its identity.

The identity is part of every cache key, so a judge never shares cache entries with a product
that happens to be the same model, and a new rubric version never reads an old verdict.

Example:
    >>> from backbone.targets.python_callable import CallableTarget
    >>> t = RubricTarget(CallableTarget(lambda m: "{}", name="j"), rubric_version="r-2")
    >>> t.identity["role"], t.identity["rubric"]
    ('judge', 'r-2')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backbone.judges.rubrics.pushback import RUBRIC_VERSION
from backbone.targets.base import Target
from backbone.targets.messages import Reply, Request


class RubricTarget:
    """The inner target, with ``role: judge`` and the rubric version in its identity."""

    def __init__(self, inner: Target, *, rubric_version: str = RUBRIC_VERSION) -> None:
        self.inner = inner
        self.rubric_version = rubric_version

    @property
    def identity(self) -> Mapping[str, Any]:
        return {**self.inner.identity, "role": "judge", "rubric": self.rubric_version}

    async def complete(self, request: Request) -> Reply:
        return await self.inner.complete(request)
