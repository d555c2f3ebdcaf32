"""Turning a target string from the command line into a target.

Forms: ``local``, ``openai:MODEL``, ``anthropic:MODEL``, ``python:MODULE:FUNCTION``.
Provider modules are imported only when their form is used.

Example:
    >>> t = target_from_spec("openai:gpt-4o-mini", base_url="http://127.0.0.1:8000/v1")
    >>> t.identity["model"]
    'gpt-4o-mini'
"""

from __future__ import annotations

import math

from backbone.targets.base import Target
from backbone.targets.errors import TargetSpecError

FORMS = "local, openai:MODEL, anthropic:MODEL, python:MODULE:FUNCTION"


def target_from_spec(
    spec: str,
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = None,
) -> Target:
    """Build the target a spec string names. Raises :class:`TargetSpecError` when malformed,
    or when ``temperature`` is not a finite number (JSON has no ``Infinity`` or ``NaN``)."""
    if not math.isfinite(temperature):
        raise TargetSpecError(f"--temperature must be a finite number, got {temperature}")
    spec = spec.strip()
    kind, _, rest = spec.partition(":")
    if kind == "local":
        if rest:
            raise TargetSpecError(f"'local' takes no model name (got '{spec}')")
        from backbone.targets.local import LocalTarget

        return LocalTarget(max_tokens=max_tokens or 160, temperature=temperature)
    if kind == "openai":
        if not rest:
            raise TargetSpecError("openai target needs a model: 'openai:MODEL'")
        from backbone.targets.openai_compat import OpenAITarget

        return OpenAITarget(
            rest, base_url=base_url, temperature=temperature, max_tokens=max_tokens or 512
        )
    if kind == "anthropic":
        if not rest:
            raise TargetSpecError("anthropic target needs a model: 'anthropic:MODEL'")
        from backbone.targets.anthropic import AnthropicTarget

        return AnthropicTarget(
            rest, base_url=base_url, temperature=temperature, max_tokens=max_tokens or 512
        )
    if kind == "python":
        from backbone.targets.python_callable import CallableTarget, load_function

        fn, name, fingerprint = load_function(rest)
        return CallableTarget(fn, name=name, fingerprint=fingerprint)
    raise TargetSpecError(f"unknown target '{spec}': expected one of {FORMS}")
