"""What ``evaluate`` accepts as a target or a judge, turned into a target.

A target is a spec string (``local``, ``openai:MODEL``, ``anthropic:MODEL``,
``python:MODULE:FUNC``), any object with ``identity`` and ``complete`` (a
:class:`~backbone.targets.base.Target`), or a plain function ``messages -> str`` (sync or
async). :func:`target_for` and :func:`judge_for` are the only places evaluation parses a spec
string.

Example:
    >>> target, spec = resolve_target(lambda messages: "Rome")
    >>> spec.startswith("python:"), target.identity["provider"]
    (True, 'python')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from backbone.targets.base import Target

TargetLike: TypeAlias = "str | Target | Callable[..., Any]"


def target_for(
    spec: str,
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = None,
) -> Target:
    """The target a spec string names (raises ``TargetSpecError`` when malformed)."""
    # the one call site that parses a target spec: switch to backbone.evaluation.registry
    from backbone.targets.factory import target_from_spec

    return target_from_spec(spec, base_url=base_url, temperature=temperature, max_tokens=max_tokens)


def judge_for(spec: str, *, base_url: str | None = None, temperature: float = 0.0) -> Target:
    """The bare judge target a ``--judge`` spec names (raises ``TargetSpecError``)."""
    # the one call site that parses a judge spec: switch to backbone.evaluation.registry
    from backbone.graders.judge import judge_target

    return judge_target(spec, base_url=base_url, temperature=temperature)


def resolve_target(
    target: TargetLike,
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = None,
) -> tuple[Target, str]:
    """The target and the spec string a run records for it."""
    if isinstance(target, str):
        spec = target.strip()
        made = target_for(spec, base_url=base_url, temperature=temperature, max_tokens=max_tokens)
        return made, spec
    if hasattr(target, "complete") and hasattr(target, "identity"):
        identity = dict(target.identity)
        return target, str(identity.get("model") or type(target).__name__)
    if callable(target):
        from backbone.targets.python_callable import function_target

        fn = function_target(target)
        return fn, f"python:{fn.identity['function']}"
    raise TypeError(f"cannot use {target!r} as a target")
