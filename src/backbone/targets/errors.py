"""Errors a target raises. Retry wrappers decide from the type alone.

Every message passes through :func:`~backbone.targets.redact.redact` (and the exact
``secrets`` the raiser names), so an error that echoes a credential never stores or prints
it.

Example:
    >>> str(TargetError("openai: HTTP 400: bad key sk-abcdef1234567890"))
    'openai: HTTP 400: bad key sk-[redacted]'
"""

from __future__ import annotations

from collections.abc import Iterable

from backbone.targets.ratelimit_headers import RateLimits
from backbone.targets.redact import redact


class TargetError(Exception):
    """A call failed and retrying will not help (bad request, refusal to parse)."""

    def __init__(self, message: str, *, secrets: Iterable[str] = ()) -> None:
        super().__init__(redact(str(message), secrets))


class RetryableTargetError(TargetError):
    """A transient failure: timeout, connection reset, HTTP 429 or 5xx.

    ``retry_after`` carries the server's Retry-After hint in seconds, when it gave one;
    ``limits`` what its rate-limit headers said, and ``rate_limited`` whether it was a 429
    (both for the rate limiter, :mod:`backbone.targets.ratelimit`).
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        secrets: Iterable[str] = (),
        limits: RateLimits | None = None,
        rate_limited: bool = False,
    ) -> None:
        super().__init__(message, secrets=secrets)
        self.retry_after = retry_after
        self.limits = limits
        self.rate_limited = rate_limited


class NoTextError(TargetError):
    """The provider answered, and its reply has no text, saying why (a tool call, the token
    limit spent, a content filter). Asking again, online or in another batch, would get the
    same: it is final."""


class AuthenticationError(TargetError):
    """The provider refused the credentials (HTTP 401 or 403). Never retried, and no later
    call can succeed: a run should stop at once and show this message (the provider's own
    words, redacted, plus why a key from the environment was not sent, when it was not)."""


class TargetSpecError(ValueError):
    """A target string (``openai:MODEL``, ``python:MOD:FUNC``...) is malformed or unusable."""
