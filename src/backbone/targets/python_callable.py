"""A plain Python function as a target: the user's own product code, or a scripted test bot.

The function takes the chat messages (``[{"role": ..., "content": ...}]``) and returns the
assistant's reply as a string; it may be sync or async. A sync function runs in a worker
thread so that a slow one does not stall other conversations.

Example:
    >>> import asyncio
    >>> from backbone.targets.messages import ChatMessage, Request
    >>> bot = CallableTarget(lambda msgs: "It is still Rome.", name="bot")
    >>> asyncio.run(bot.complete(Request((ChatMessage("user", "Sure?"),)))).text
    'It is still Rome.'
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import importlib.util
import inspect
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from backbone.targets.errors import TargetError, TargetSpecError
from backbone.targets.messages import Reply, Request

MessagesFn = Callable[[list[dict[str, str]]], "str | Awaitable[str]"]


class CallableTarget:
    """Wraps a function ``messages -> str`` (sync or async)."""

    def __init__(self, fn: Callable[..., Any], *, name: str, fingerprint: str = "") -> None:
        self._fn = fn
        self._is_async = inspect.iscoroutinefunction(fn)
        self._identity = {"provider": "python", "function": name, "source": fingerprint}

    @property
    def identity(self) -> Mapping[str, Any]:
        return self._identity

    async def complete(self, request: Request) -> Reply:
        messages = request.as_dicts()
        if self._is_async:
            result = await self._fn(messages)
        else:
            result = await asyncio.to_thread(self._fn, messages)
            if inspect.isawaitable(result):
                result = await result
        if not isinstance(result, str):
            raise TargetError(
                f"{self._identity['function']} returned {type(result).__name__}, expected str"
            )
        return Reply(text=result)


def source_fingerprint(path: str | None) -> str:
    """A short hash of a source file ("" when there is none), so that editing the product
    code invalidates its cached replies."""
    if path and Path(path).is_file():
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    return ""


def function_target(fn: Callable[..., Any]) -> CallableTarget:
    """A plain function as a target, named ``MODULE:QUALNAME`` and fingerprinted by its
    source file (as a ``python:MODULE:FUNC`` target is)."""
    try:
        source = inspect.getsourcefile(fn)
    except TypeError:
        source = None
    name = f"{getattr(fn, '__module__', 'fn')}:{getattr(fn, '__qualname__', 'fn')}"
    return CallableTarget(fn, name=name, fingerprint=source_fingerprint(source))


def load_function(spec: str) -> tuple[Callable[..., Any], str, str]:
    """Resolve ``MODULE:FUNCTION`` (a dotted module or a ``.py`` path) to the function.

    Returns the function, a display name and a fingerprint of its module's source, so that
    editing the product code invalidates cached replies.
    """
    module_name, sep, func_name = spec.rpartition(":")
    if not sep or not module_name or not func_name:
        raise TargetSpecError(
            f"python target must be 'python:MODULE:FUNCTION', got 'python:{spec}'"
        )
    cwd = str(Path.cwd())
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        if module_name.endswith(".py"):
            path = Path(module_name)
            if not path.is_file():
                raise TargetSpecError(f"python target: no such file {module_name}")
            mod_spec = importlib.util.spec_from_file_location(path.stem, path)
            if mod_spec is None or mod_spec.loader is None:
                raise TargetSpecError(f"python target: cannot import {module_name}")
            module = importlib.util.module_from_spec(mod_spec)
            mod_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(module_name)
    except TargetSpecError:
        raise
    except Exception as exc:  # the user's module failed to import: say which and why
        raise TargetSpecError(
            f"python target: cannot import module '{module_name}': {type(exc).__name__}: {exc}"
        ) from exc
    fn = getattr(module, func_name, None)
    if fn is None or not callable(fn):
        raise TargetSpecError(
            f"python target: module '{module_name}' has no function '{func_name}'"
        )
    fingerprint = source_fingerprint(getattr(module, "__file__", None))
    return fn, f"{module_name}:{func_name}", fingerprint
