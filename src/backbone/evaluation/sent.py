"""What a run's HTTP parties were sent instead of the settings asked for: a reasoning model
that takes ``max_completion_tokens``, refuses ``temperature``, or needed a larger token limit
(:meth:`~backbone.targets.openai_compat.OpenAITarget.sent_instead`). The identity, and so the
cache key, keeps the settings asked for; ``options["sent"]`` in ``results.json`` says what
the provider got.

Example:
    >>> from backbone.targets.python_callable import CallableTarget
    >>> sent_instead(CallableTarget(lambda m: "ok", name="x"), [])
    {}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from backbone.targets.base import Target, layers
from backbone.targets.openai_compat import OpenAITarget


def _provider_sent(stack: Target) -> dict[str, Any]:
    for layer in layers(stack):
        if isinstance(layer, OpenAITarget):
            return layer.sent_instead()
    return {}


def judges_sent(judge_stacks: Sequence[Target]) -> dict[str, Any]:
    """``{"judges": [{...}, ...]}`` (each judge in the order given) when any judge was sent
    something other than its settings, else ``{}``."""
    judges = [_provider_sent(j) for j in judge_stacks]
    return {"judges": judges} if any(judges) else {}


def record_judge_sent(options: dict[str, Any], judge_stack: Target) -> None:
    """Put in ``options["sent"]`` what the one judge of an audit, an A/B or a monitor run was
    sent instead of its settings (``{"judges": [{...}]}``: a reasoning model that refused
    ``temperature``); nothing when it was sent its settings."""
    sent = judges_sent([judge_stack])
    if sent:
        options["sent"] = sent


def sent_instead(
    stack: Target, judge_stacks: Sequence[Target], pressure: Target | None = None
) -> dict[str, Any]:
    """``{"target": {...}, "judges": [{...}, ...], "pressure": {...}}`` for the parties that
    were sent something other than their settings (``pressure``: the adaptive pressure
    role's model, when there is one), or ``{}``. The pressure model was left out: a
    reasoning model playing the role, sent no ``temperature``, was recorded as sent one."""
    target = _provider_sent(stack)
    role = _provider_sent(pressure) if pressure is not None else {}
    return {
        **({"target": target} if target else {}),
        **judges_sent(judge_stacks),
        **({"pressure": role} if role else {}),
    }
