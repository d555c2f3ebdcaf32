"""Checks of what a library caller passes to :func:`~backbone.evaluation.evaluate.evaluate`,
made before anything is loaded, called or written.

The CLI's options are typed and bounded by its parser; a Python caller's arguments are not.
Unchecked, ``timeout="5"`` failed 22 frames deep inside asyncio, ``samples=1.5`` inside the
runner, ``suite=None`` as an ``AttributeError`` in the loader, ``wrong_openings="maybe"``
was read as ``"push"``, ``cache="no"`` as on, and ``timeout=0`` (no call can answer in no
time) played a run whose every scenario was ``unscored``. Each is now a ``TypeError`` or a
``ValueError`` naming the argument, what it must be and what it got.

Example:
    >>> whole("samples", 2, at_least=1)
    >>> try:
    ...     whole("samples", "2", at_least=1)
    ... except TypeError as exc:
    ...     print(exc)
    samples must be a whole number, got '2' (str)
    >>> try:
    ...     seconds("timeout", 0)
    ... except ValueError as exc:
    ...     print(exc)
    timeout must be more than 0 seconds (None: the default), got 0
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from typing import Any


def _got(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


MAX_RETRIES = 100
"""Retries per call at the most: each waits longer than the one before, so a server failing
every call held a run of ``--retries 1000000`` for ever."""


def whole(
    name: str, value: Any, *, at_least: int, at_most: int | None = None, optional: bool = False
) -> None:
    """``value`` is an ``int`` (not a bool) of at least ``at_least`` and at most ``at_most``
    (or None if ``optional``)."""
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, got {_got(value)}")
    if value < at_least:
        raise ValueError(f"{name} must be at least {at_least}, got {value}")
    if at_most is not None and value > at_most:
        raise ValueError(f"{name} must be at most {at_most}, got {value}")


def number(name: str, value: Any) -> None:
    """``value`` is a real number (an ``int`` or a ``float``, not a bool). A temperature's
    finiteness is checked where the target is built (:func:`~backbone.evaluation.registry.
    target_from_spec`), whose error the CLI turns into exit 2 naming ``--temperature``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {_got(value)}")


def seconds(name: str, value: Any) -> None:
    """``value`` is None or a finite number of seconds above 0."""
    if value is None:
        return
    number(name, value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number of seconds, got {value}")
    if value <= 0:
        raise ValueError(f"{name} must be more than 0 seconds (None: the default), got {value}")


def flag(name: str, value: Any) -> None:
    """``value`` is True or False (a string such as ``"no"`` would read as True)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {_got(value)}")


def choice(name: str, value: Any, choices: Iterable[str]) -> None:
    """``value`` is one of ``choices``."""
    known = list(choices)
    if value not in known:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, known))}, got {value!r}")


def path(name: str, value: Any, *, optional: bool = False, also: str = "") -> None:
    """``value`` is a path (a ``str`` or a :class:`os.PathLike`), or None if ``optional``;
    ``also`` names another accepted type for the message (the check of it is the caller's)."""
    if value is None and optional:
        return
    if not isinstance(value, str | os.PathLike):
        alternative = f" or {also}" if also else ""
        raise TypeError(f"{name} must be a path (str or Path){alternative}, got {_got(value)}")


def folder(name: str, value: Any) -> None:
    """``value`` is None or a path to write into, not an empty string: ``Path("")`` is the
    working directory, so ``out=""`` wrote the run's files there, where ``--out ''`` is
    refused."""
    path(name, value, optional=True)
    if isinstance(value, str) and not value.strip():
        raise ValueError(f"{name} is empty: give a folder (or None: write no files)")


def specs(name: str, value: Any) -> None:
    """``value`` is a list (or tuple) of spec strings, not one string, which would be read
    one character at a time."""
    if isinstance(value, str):
        raise TypeError(f"{name} must be a list of specs, got one string: {name}=[{value!r}]?")
    if value is None:
        return
    if not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of specs, got {_got(value)}")
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"{name} must be a list of spec strings, got {_got(item)} in it")


def text(name: str, value: Any, *, optional: bool = False) -> None:
    """``value`` is a ``str`` (or None if ``optional``): ``base_url=5`` was an
    ``AttributeError`` from deep inside the target's set-up."""
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {_got(value)}")


def function(name: str, value: Any) -> None:
    """``value`` is None or something to call: ``on_result=5`` failed at the first scenario
    played, the run stopped there and its journal left behind."""
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a function (or None), got {_got(value)}")


def instance(name: str, value: Any, kinds: tuple[type, ...], what: str) -> None:
    """``value`` is None or one of ``kinds`` (``what`` names them for the message)."""
    if value is not None and not isinstance(value, kinds):
        raise TypeError(f"{name} must be {what}, got {_got(value)}")


__all__ = [
    "choice", "flag", "folder", "function", "instance", "number", "path", "seconds", "specs",
    "text", "whole",
]  # fmt: skip
