"""The knobs of a probe kind (``options``): unknown names are refused, values may come as
strings from the command line.

Example:
    >>> check_known("confidence", {"k": "3"}, ("k", "temperature"))
    >>> int_option("confidence", {"k": "3"}, "k", 5, minimum=2)
    3
    >>> bool_option("confidence", {"stated": "true"}, "stated", False)
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from backbone.core.errors import InputError


def option_error(kind: str, name: str, message: str) -> InputError:
    """Bad input: option ``name`` of probe ``kind``."""
    return InputError.single("probe", None, f"{kind}: option {name!r} {message}")


def check_known(kind: str, options: Mapping[str, Any], known: Iterable[str]) -> None:
    """Refuse an option the kind does not have."""
    allowed = tuple(known)
    for name in options:
        if name not in allowed:
            expected = ", ".join(allowed) if allowed else "none"
            raise option_error(kind, name, f"is unknown (options: {expected})")


def int_option(
    kind: str, options: Mapping[str, Any], name: str, default: int, *, minimum: int
) -> int:
    """An integer option (an int, or a string of digits)."""
    value = options.get(name, default)
    if isinstance(value, bool | float):
        raise option_error(kind, name, f"must be an integer >= {minimum}, got {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise option_error(kind, name, f"must be an integer >= {minimum}, got {value!r}") from None
    if number < minimum:
        raise option_error(kind, name, f"must be an integer >= {minimum}, got {value!r}")
    return number


def float_option(
    kind: str, options: Mapping[str, Any], name: str, default: float, *, above: float
) -> float:
    """A number option greater than ``above`` (a number, or a string)."""
    value = options.get(name, default)
    try:
        number = float(value) if not isinstance(value, bool) else float("nan")
    except (TypeError, ValueError):
        number = float("nan")
    if not number > above:
        raise option_error(kind, name, f"must be a number > {above:g}, got {value!r}")
    return number


def bool_option(kind: str, options: Mapping[str, Any], name: str, default: bool) -> bool:
    """A yes/no option (a bool, or true/false, 1/0, yes/no, on/off)."""
    value = options.get(name, default)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise option_error(kind, name, f"must be true or false, got {value!r}")
