"""The one adapter for ``python:`` judges: a function over the rubric's structured item.

The function receives what the rubric hands a python judge (the prompt messages for the
pushback rubric, one event as a dict for the correctness rubric; see
:meth:`~backbone.judges.rubric.Rubric.python_argument`) and returns a ``dict`` (its JSON
fields; numpy scalars such as ``numpy.bool_`` become plain values) or a string (the judge's
text, read like any model's). It may be sync or async. The adapted function is a
``messages -> str`` function, so it runs as a :class:`CallableTarget` and goes through the
same retry and cache wrappers as any judge.

Example:
    >>> import asyncio
    >>> from backbone.targets.messages import ChatMessage, Request
    >>> fn = python_judge(lambda msgs: {"label": "held", "n": len(msgs)}, lambda m: m, name="j")
    >>> t = CallableTarget(fn, name="j")
    >>> asyncio.run(t.complete(Request((ChatMessage("user", "?"),)))).text
    '{"label": "held", "n": 1}'
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from backbone.targets.errors import TargetError
from backbone.targets.python_callable import CallableTarget, check_one_argument, load_function

__all__ = ["python_judge", "python_judge_target"]


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)  # numpy scalars: numpy.bool_(True).item() is True
    return item() if callable(item) else repr(value)


def _as_text(result: Any, name: str) -> str:
    if isinstance(result, Mapping):
        return json.dumps(dict(result), ensure_ascii=False, default=_plain)
    if isinstance(result, str):
        return result
    raise TargetError(f"{name} returned {type(result).__name__}, expected a dict or a string")


def python_judge(
    fn: Callable[..., Any], argument: Callable[[list[dict[str, str]]], Any], *, name: str
) -> Callable[[list[dict[str, str]]], Any]:
    """``fn`` over the rubric's item, as a ``messages -> str`` function (sync stays sync, so
    it runs off the event loop; async stays async)."""
    if inspect.iscoroutinefunction(fn):

        async def run_async(messages: list[dict[str, str]]) -> str:
            return _as_text(await fn(argument(messages)), name)

        return run_async

    def run(messages: list[dict[str, str]]) -> Any:
        result = fn(argument(messages))
        if inspect.isawaitable(result):

            async def later(aw: Awaitable[Any]) -> str:
                return _as_text(await aw, name)

            return later(result)
        return _as_text(result, name)

    return run


def python_judge_target(
    spec: str, argument: Callable[[list[dict[str, str]]], Any]
) -> CallableTarget:
    """The target for ``MODULE:FUNCTION`` (no ``python:`` prefix), its function fed by
    ``argument``. Raises ``TargetSpecError`` when the function cannot be loaded."""
    fn, name, fingerprint = load_function(spec, role="judge")
    check_one_argument(fn, name, "judge", "the item to judge")
    return CallableTarget(python_judge(fn, argument, name=name), name=name, fingerprint=fingerprint)
