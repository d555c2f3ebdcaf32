"""Passwords in URLs, masked before anything is written: a ``--base-url`` such as
``http://user:pw@host/v1`` is the user's to use, and output files are shared.

Example:
    >>> without_passwords(["http://u:pw@h/v1", "http://h/v1"])
    ['http://u:***@h/v1', 'http://h/v1']
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit


def without_passwords(value: Any) -> Any:
    """``value`` with the password of every URL in it masked (a ``--base-url`` such as
    ``http://user:pw@host/v1``): the output files are shared, the password is not.

    >>> without_passwords({"base_url": "http://u:pw@h:8/v1", "n": 1})
    {'base_url': 'http://u:***@h:8/v1', 'n': 1}
    """
    if isinstance(value, dict):
        return {k: without_passwords(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_passwords(v) for v in value]
    if isinstance(value, str) and "://" in value and "@" in value:
        try:
            parts = urlsplit(value)
            password = parts.password
        except ValueError:  # not a URL after all
            return value
        if password is not None:
            user, _, host = parts.netloc.rpartition("@")
            name = user.partition(":")[0]
            return urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))
    return value
