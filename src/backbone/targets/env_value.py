"""A setting read from an environment variable, with a warning for a value that will not do.

Example:
    >>> import logging, os
    >>> os.environ["BACKBONE_EXAMPLE"] = "3"
    >>> env_value("BACKBONE_EXAMPLE", int, lambda v: v >= 1, wanted="a count >= 1",
    ...           using="the default", log=logging.getLogger("example"))
    3
    >>> del os.environ["BACKBONE_EXAMPLE"]
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def env_value(
    var: str,
    parse: Callable[[str], T],
    valid: Callable[[T], bool],
    *,
    wanted: str,
    using: str,
    log: logging.Logger,
) -> T | None:
    """What ``$var`` holds, read by ``parse`` and accepted by ``valid``; ``None`` when it is
    unset or blank, and ``None`` with a warning ("VAR='x' is not WANTED; using USING") when
    ``parse`` refuses it (``ValueError``) or ``valid`` does."""
    raw = os.environ.get(var, "").strip()
    if not raw:
        return None
    value: T | None
    try:
        value = parse(raw)
    except ValueError:
        value = None
    if value is None or not valid(value):
        log.warning("%s=%r is not %s; using %s", var, raw, wanted, using)
        return None
    return value


def seconds_from_env(var: str, default: float, *, log: logging.Logger, zero: bool = True) -> float:
    """``$var`` as a finite number of seconds (at least 0, or above 0 when ``zero`` is false),
    else ``default``; a value that will not do is warned of, as :func:`env_value` does.

    Example:
        >>> import logging, os
        >>> os.environ["BACKBONE_EXAMPLE_SECONDS"] = "5s"
        >>> seconds_from_env("BACKBONE_EXAMPLE_SECONDS", 10.0, log=logging.getLogger("x"))
        10.0
        >>> del os.environ["BACKBONE_EXAMPLE_SECONDS"]
    """
    value = env_value(
        var,
        float,
        lambda v: math.isfinite(v) and (v >= 0 if zero else v > 0),
        wanted=f"a number of seconds {'>=' if zero else '>'} 0",
        using=f"{default:g}s",
        log=log,
    )
    return default if value is None else value
