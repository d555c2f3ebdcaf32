"""The rate-limit facts a provider's response headers state, read into one small value.

Two header families are read:

* OpenAI-compatible servers: ``x-ratelimit-{limit,remaining,reset}-{requests,tokens}``,
  resets given as Go-style durations (``"1s"``, ``"6m0s"``, ``"250ms"``, ``"2m59.56s"``);
* Anthropic: ``anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,
  remaining,reset}``, resets given as RFC 3339 times (``"2026-12-02T05:30:01Z"``).

Every reset becomes seconds on the consumer's clock: an OpenAI duration counts from when the
server admitted the request (about when it was sent); an Anthropic time is turned into
seconds from the moment the response was read (``now``), and ``RateLimits.from_reply`` says
so. A header that is absent or unreadable is simply not known
(``None``); a response with no readable rate-limit header at all gives ``None``.

Example:
    >>> limits = parse_rate_limits({
    ...     "x-ratelimit-limit-requests": "40",
    ...     "x-ratelimit-remaining-requests": "12",
    ...     "x-ratelimit-reset-requests": "250ms",
    ... })
    >>> limits.requests
    Quota(limit=40, remaining=12, reset=0.25)
    >>> parse_duration("2m59.56s")
    179.56
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

__all__ = ["Quota", "RateLimits", "parse_duration", "parse_rate_limits", "parse_rfc3339"]

_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|ns|h|m|s)")


@dataclass(frozen=True, slots=True)
class Quota:
    """One limited quantity: the ``limit``, what ``remaining`` of it, and ``reset``: seconds
    until it is replenished (each ``None`` when the server did not say)."""

    limit: int | None = None
    remaining: int | None = None
    reset: float | None = None


@dataclass(frozen=True, slots=True)
class RateLimits:
    """What one response's headers say about each limited quantity (``None``: not stated).
    ``from_reply``: the resets count from when the response was read (they were absolute
    times), not from when the request was sent."""

    requests: Quota | None = None
    tokens: Quota | None = None
    input_tokens: Quota | None = None
    output_tokens: Quota | None = None
    from_reply: bool = False

    def quotas(self) -> dict[str, Quota]:
        """The quantities stated, by name.

        Example:
            >>> list(RateLimits(tokens=Quota(remaining=5)).quotas())
            ['tokens']
        """
        named = {
            "requests": self.requests,
            "tokens": self.tokens,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
        }
        return {k: q for k, q in named.items() if q is not None}


def parse_duration(value: str) -> float | None:
    """Seconds in a Go-style duration (``"1s"``, ``"6m0s"``, ``"250ms"``, ``"1h2m3.5s"``),
    or a bare number of seconds; ``None`` when unreadable.

    Example:
        >>> parse_duration("6m0s"), parse_duration("250ms"), parse_duration("0.5")
        (360.0, 0.25, 0.5)
        >>> parse_duration("soon") is None
        True
    """
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    total = 0.0
    pos = 0
    for match in _PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text):
        return None
    return round(total, 9)


def parse_rfc3339(value: str, *, now: float | None = None) -> float | None:
    """Seconds from ``now`` (default: the wall clock) until an RFC 3339 time, never negative;
    ``None`` when unreadable or without a time zone.

    Example:
        >>> parse_rfc3339("2026-12-02T05:30:01Z", now=1796189400.0)
        1.0
        >>> parse_rfc3339("tomorrow") is None
        True
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    clock = time.time() if now is None else now
    return max(0.0, when.timestamp() - clock)


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return int(number) if math.isfinite(number) and number >= 0 else None


def _quota(limit: str | None, remaining: str | None, reset: float | None) -> Quota | None:
    quota = Quota(_int(limit), _int(remaining), reset)
    return None if quota == Quota() else quota


def _openai(headers: Mapping[str, str], what: str) -> Quota | None:
    reset = headers.get(f"x-ratelimit-reset-{what}")
    return _quota(
        headers.get(f"x-ratelimit-limit-{what}"),
        headers.get(f"x-ratelimit-remaining-{what}"),
        parse_duration(reset) if reset is not None else None,
    )


def _anthropic(headers: Mapping[str, str], what: str, now: float | None) -> Quota | None:
    reset = headers.get(f"anthropic-ratelimit-{what}-reset")
    return _quota(
        headers.get(f"anthropic-ratelimit-{what}-limit"),
        headers.get(f"anthropic-ratelimit-{what}-remaining"),
        parse_rfc3339(reset, now=now) if reset is not None else None,
    )


def parse_rate_limits(headers: Mapping[str, str], *, now: float | None = None) -> RateLimits | None:
    """The rate-limit facts in ``headers`` (lower-cased names); ``now`` is the wall-clock
    time the response was read (for Anthropic's absolute resets). When Anthropic's family is
    there it is read alone (its resets count from the reply); ``None`` when nothing is stated.

    Example:
        >>> parse_rate_limits({"content-type": "application/json"}) is None
        True
        >>> parse_rate_limits({
        ...     "anthropic-ratelimit-requests-remaining": "0",
        ...     "anthropic-ratelimit-requests-reset": "2026-12-02T05:30:02Z",
        ... }, now=1796189400.0).requests
        Quota(limit=None, remaining=0, reset=2.0)
    """
    if not any(k.startswith(("x-ratelimit-", "anthropic-ratelimit-")) for k in headers):
        return None
    anthropic = {
        what.replace("-", "_"): _anthropic(headers, what, now)
        for what in ("requests", "tokens", "input-tokens", "output-tokens")
    }
    if any(anthropic.values()):
        return RateLimits(**anthropic, from_reply=True)
    limits = RateLimits(requests=_openai(headers, "requests"), tokens=_openai(headers, "tokens"))
    return None if limits == RateLimits() else limits
