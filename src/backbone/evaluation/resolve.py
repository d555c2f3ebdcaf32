"""What ``evaluate`` accepts as a target or a judge, turned into a target.

A target is a spec string (``local``, ``openai:MODEL``, ``anthropic:MODEL``,
``python:MODULE:FUNC``), any object with ``identity`` and ``complete`` (a
:class:`~backbone.targets.base.Target`), or a plain function ``messages -> str`` (sync or
async). Spec strings are resolved by :mod:`backbone.evaluation.registry`.

Example:
    >>> target, spec = resolve_target(lambda messages: "Rome")
    >>> spec.startswith("python:"), target.identity["provider"]
    (True, 'python')
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeAlias

from backbone.evaluation.registry import target_from_spec
from backbone.targets.base import Target

TargetLike: TypeAlias = "str | Target | Callable[..., Any]"


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
        made = target_from_spec(
            spec, base_url=base_url, temperature=temperature, max_tokens=max_tokens
        )
        return made, spec
    if hasattr(target, "complete") and hasattr(target, "identity"):
        identity = dict(target.identity)
        spec = str(identity.get("model") or type(target).__name__)
        if type(target).__module__.split(".")[0] == "backbone":
            return target, spec
        from backbone.targets.python_callable import OwnTarget

        return OwnTarget(target), spec  # the user's own: its failures are a target's
    if callable(target):
        from backbone.evaluation.registry import MESSAGES
        from backbone.targets.python_callable import check_one_argument, function_target

        fn = function_target(target)
        check_one_argument(target, str(fn.identity["function"]), "target", MESSAGES)
        return fn, f"python:{fn.identity['function']}"
    raise TypeError(f"cannot use {target!r} as a target")


def load_embedded(provider: Target, on_note: Callable[[str], None] | None) -> None:
    """Load the embedded model now, saying so (a first call would load it without a word:
    the start of a run or a draft looked hung), and how long it took; nothing for a target
    that has no ``load``."""
    load = getattr(provider, "load", None)
    if load is None:
        return
    if on_note is not None:
        on_note("loading the embedded model (SmolLM2-135M-Instruct, CPU)...")
    t0 = time.perf_counter()
    load()
    if on_note is not None:
        on_note(f"embedded model loaded in {time.perf_counter() - t0:.1f}s")
