"""Checking a provider's base URL before any call: one that cannot be right (no http:// or
https://, or the endpoint itself pasted in) is a :class:`TargetSpecError` naming the fix, so
a run does not send a whole suite of calls that all fail the same way.

Example:
    >>> checked_base_url("http://127.0.0.1:8000/v1/", ("/chat/completions",), "openai")
    'http://127.0.0.1:8000/v1'
    >>> try:
    ...     checked_base_url("http://h/v1/chat/completions", ("/chat/completions",), "openai")
    ... except TargetSpecError as exc:
    ...     print(str(exc).split(": ")[-1])
    give 'http://h/v1'
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from backbone.targets.errors import TargetSpecError


def checked_base_url(url: str, endpoints: Sequence[str], provider: str) -> str:
    """``url`` without a trailing slash, when it is an http(s) URL that does not end with one
    of ``endpoints`` (the paths the provider adds to it); else a :class:`TargetSpecError`."""
    base = url.strip().rstrip("/")
    try:
        parts = urlsplit(base)
    except ValueError as exc:  # an unclosed IPv6 bracket: "http://[::1/v1"
        raise TargetSpecError(f"{provider} base URL {url!r} cannot be read: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TargetSpecError(
            f"{provider} base URL {url!r} is not an http:// or https:// URL (a local server: "
            "http://127.0.0.1:8000/v1)"
        )
    try:
        parts.port  # noqa: B018 - read only to check it
    except ValueError:  # every call would fail the same way, each retried with backoff
        raise TargetSpecError(
            f"{provider} base URL {url!r} has no valid port (a number from 0 to 65535, as in "
            "http://127.0.0.1:8000/v1)"
        ) from None
    for endpoint in endpoints:
        if parts.path.endswith(endpoint):
            root = base[: len(base) - len(endpoint)]
            raise TargetSpecError(
                f"{provider} base URL {url!r} ends with {endpoint}, which backbone adds: "
                f"give {root!r}"
            )
    return base
