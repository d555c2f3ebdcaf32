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
    (both for the rate limiter, :mod:`backbone.targets.ratelimit`). ``silent``: the target
    said nothing at all (no reply within the time allowed, no connection, a connection closed
    before any response), as against an answer that was an error; a target that has never
    answered and stays silent is given up on (:class:`~backbone.targets.retry.RetryingTarget`).
    ``timed_out``: of those, the request went out and no reply came within the time allowed
    (not a connection refused, reset or never made): a sign of a server queueing more calls
    than it serves, which the rate limiter takes as it takes a 429 (it implies ``silent``).
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        secrets: Iterable[str] = (),
        limits: RateLimits | None = None,
        rate_limited: bool = False,
        silent: bool = False,
        timed_out: bool = False,
    ) -> None:
        super().__init__(message, secrets=secrets)
        self.retry_after = retry_after
        self.limits = limits
        self.rate_limited = rate_limited
        self.silent = silent or timed_out
        self.timed_out = timed_out


class InvalidRequestError(TargetError):
    """The provider refused the request as invalid (HTTP 400 or 422), naming, when it said, the
    parameter it refused (``param``, as in OpenAI's error body) and why (``code``:
    ``unsupported_parameter``, ``unsupported_value``...). Final: the same request would be
    refused again, though an adapter may send another (a reasoning model that takes
    ``max_completion_tokens``, not ``max_tokens``)."""

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        super().__init__(message, secrets=secrets)
        self.param = param
        self.code = code


class NoTextError(TargetError):
    """The provider answered, and its reply has no text, saying why (a tool call, the token
    limit spent, a content filter; ``why``: the finish or stop reason it gave). Asking again,
    online or in another batch, would get the same: it is final. ``spent``: the reply's
    usage shows the token limit spent before any text (a reasoning model's hidden reasoning),
    the one case a larger limit may cure (an OpenAI-compatible target asks again with one)."""

    def __init__(
        self,
        message: str,
        *,
        why: str | None = None,
        spent: bool = False,
        secrets: Iterable[str] = (),
    ) -> None:
        super().__init__(message, secrets=secrets)
        self.why = why
        self.spent = spent


class UnusableTargetError(TargetError):
    """No later call can succeed as the target is set up: the provider refused the key
    (:class:`AuthenticationError`) or has no such endpoint or model (:class:`NotFoundError`).
    Never retried: a run stops at once, keeping the replies already received, and shows this
    message after :attr:`summary` and with :attr:`remedy`, what to fix before running the same
    command again."""

    summary = "the target cannot be used"
    remedy = "Fix the target's settings"


class AuthenticationError(UnusableTargetError):
    """The provider refused the credentials (HTTP 401 or 403). The message is the provider's
    own words, redacted, plus why a key from the environment was not sent, when it was not."""

    summary = "authentication failed"
    remedy = "Fix the key"


class NotFoundError(UnusableTargetError):
    """The provider has no such endpoint or model (HTTP 404 on a model call): a base URL
    without its ``/v1``, a mistyped path or a model name it does not serve. The message names
    the URL called and the provider's words."""

    summary = "no such endpoint or model"
    remedy = (
        "Check the model name and the base URL (an OpenAI-compatible server usually answers "
        "under /v1, as in http://127.0.0.1:8000/v1)"
    )


class RedirectedError(UnusableTargetError):
    """The server answered a call with a redirect (HTTP 3xx), which is not followed (a key is
    never sent on to a host not named): it redirects every call alike (http:// to https://,
    an old path to a new one), so no later call can succeed. The message names where to."""

    summary = "the server redirected the call"
    remedy = "Fix the base URL"


class QuotaSpentError(UnusableTargetError):
    """The provider says the account's quota is spent (OpenAI's HTTP 429 with the code
    ``insufficient_quota``: its credit or monthly budget used up; an HTTP 402, Payment
    Required, as OpenRouter's for no credit left), not a rate limit that passes: no later
    call can succeed until the account's billing changes."""

    summary = "the account's quota is spent"
    remedy = "Check the plan and billing of the key's account"


class TargetSpecError(ValueError):
    """A target string (``openai:MODEL``, ``python:MOD:FUNC``...) is malformed or unusable."""


class MissingKeyError(TargetSpecError):
    """No API key would go to a provider's own API. :meth:`said_of` words it for the role
    the spec plays (a judge is not a target: its base URL is ``--judge-base-url``)."""

    def __init__(self, provider: str, key_var: str, hint: str = "") -> None:
        self.provider = provider
        self.key_var = key_var
        self.hint = hint  # "{option}" stands for the base URL option of the role
        super().__init__(self.said_of("target", "--base-url"))

    def reworded(self, message: str) -> MissingKeyError:
        """The same missing key in other words (naming the spec, or the role it plays)."""
        new = MissingKeyError(self.provider, self.key_var, self.hint)
        new.args = (message,)
        return new

    def said_of(self, role: str, option: str) -> str:
        """The message for a spec playing ``role``, whose base URL is given by ``option``."""
        hint = self.hint.format(option=option)
        return f"{self.provider} {role} needs {self.key_var} in the environment{hint}"
