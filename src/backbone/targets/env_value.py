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
