"""Reading the providers' rate-limit headers: both families, every reset format, and the
facts reaching ``Reply.limits`` and the 429 error through the real HTTP providers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from backbone.targets.anthropic import AnthropicTarget
from backbone.targets.cache import CachedTarget, ResponseStore
from backbone.targets.errors import RetryableTargetError
from backbone.targets.messages import ChatMessage, Reply, Request, Usage
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.ratelimit_headers import (
    Quota,
    RateLimits,
    parse_duration,
    parse_rate_limits,
    parse_rfc3339,
)
from tests.support.ratelimit_server import RateLimitedServer

NOON = 1796212800.0  # 2026-12-02T12:00:00Z


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1s", 1.0),
        ("6m0s", 360.0),
        ("250ms", 0.25),
        ("2m59.56s", 179.56),
        ("1h2m3.5s", 3723.5),
        ("17ms", 0.017),
        ("0.5", 0.5),
        ("20", 20.0),
        (".5s", 0.5),
        ("500us", 0.0005),
    ],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds, abs=1e-9)


@pytest.mark.parametrize("text", ["", "soon", "1x", "s", "1s2", "-1s", "-3", "nan", "1 s"])
def test_unreadable_durations_are_unknown(text: str) -> None:
    assert parse_duration(text) is None


def test_rfc3339_resets() -> None:
    assert parse_rfc3339("2026-12-02T12:00:01Z", now=NOON) == 1.0
    assert parse_rfc3339("2026-12-02T12:00:00.250Z", now=NOON) == pytest.approx(0.25)
    assert parse_rfc3339("2026-12-02T14:00:30+02:00", now=NOON) == 30.0  # an offset
    assert parse_rfc3339("2026-12-02T11:59:00Z", now=NOON) == 0.0  # past: now
    assert parse_rfc3339("2026-12-02T12:00:01", now=NOON) is None  # no time zone
    assert parse_rfc3339("noon", now=NOON) is None


def test_openai_family() -> None:
    limits = parse_rate_limits(
        {
            "x-ratelimit-limit-requests": "60",
            "x-ratelimit-remaining-requests": "59",
            "x-ratelimit-reset-requests": "1s",
            "x-ratelimit-limit-tokens": "150000",
            "x-ratelimit-remaining-tokens": "149984",
            "x-ratelimit-reset-tokens": "6m0s",
            "content-type": "application/json",
        }
    )
    assert limits == RateLimits(requests=Quota(60, 59, 1.0), tokens=Quota(150000, 149984, 360.0))
    assert list(limits.quotas()) == ["requests", "tokens"]


def test_anthropic_family() -> None:
    headers = {
        "anthropic-ratelimit-requests-limit": "50",
        "anthropic-ratelimit-requests-remaining": "49",
        "anthropic-ratelimit-requests-reset": "2026-12-02T12:00:01Z",
        "anthropic-ratelimit-tokens-limit": "90000",
        "anthropic-ratelimit-tokens-remaining": "89000",
        "anthropic-ratelimit-tokens-reset": "2026-12-02T12:00:06Z",
        "anthropic-ratelimit-input-tokens-limit": "80000",
        "anthropic-ratelimit-input-tokens-remaining": "79500",
        "anthropic-ratelimit-input-tokens-reset": "2026-12-02T12:00:02Z",
        "anthropic-ratelimit-output-tokens-limit": "16000",
        "anthropic-ratelimit-output-tokens-remaining": "15500",
        "anthropic-ratelimit-output-tokens-reset": "2026-12-02T12:00:03Z",
    }
    assert parse_rate_limits(headers, now=NOON) == RateLimits(
        requests=Quota(50, 49, 1.0),
        tokens=Quota(90000, 89000, 6.0),
        input_tokens=Quota(80000, 79500, 2.0),
        output_tokens=Quota(16000, 15500, 3.0),
        from_reply=True,  # absolute times: seconds from when the reply was read
    )


def test_partial_and_garbled_headers() -> None:
    assert parse_rate_limits({"content-type": "text/plain"}) is None
    assert parse_rate_limits({"x-ratelimit-remaining-requests": "lots"}) is None
    only = parse_rate_limits(
        {"x-ratelimit-remaining-requests": "3", "x-ratelimit-reset-requests": "whenever"}
    )
    assert only == RateLimits(requests=Quota(None, 3, None))
    both = parse_rate_limits(
        {
            "x-ratelimit-remaining-requests": "3",
            "anthropic-ratelimit-requests-remaining": "7",
        }
    )
    assert both == RateLimits(requests=Quota(None, 7, None), from_reply=True)  # Anthropic's


def test_limits_take_no_part_in_equality() -> None:
    plain = Reply("Rome", Usage(3, 1))
    limited = Reply("Rome", Usage(3, 1), limits=RateLimits(requests=Quota(1, 0, 1.0)))
    assert plain == limited
    assert "limits" not in repr(limited)


@pytest.fixture(scope="module")
def openai_server() -> Iterator[RateLimitedServer]:
    with RateLimitedServer(rate=2, window=30.0, headers="openai") as server:
        yield server


ASK = Request((ChatMessage("user", "Capital of Italy?"),))


def test_openai_reply_and_429_carry_the_headers(
    openai_server: RateLimitedServer, tmp_path: Path
) -> None:
    async def go() -> tuple[Reply, Reply, RetryableTargetError, Reply]:
        target = OpenAITarget("m", base_url=openai_server.openai_base_url)
        cached = CachedTarget(target, ResponseStore(tmp_path / "c.sqlite"))
        try:
            first = await cached.complete(ASK)
            second = await target.complete(ASK)
            with pytest.raises(RetryableTargetError) as refused:
                await target.complete(ASK)
            again = await cached.complete(ASK)  # from the cache: no call, no limits
            return first, second, refused.value, again
        finally:
            await target.aclose()

    first, second, refused, again = asyncio.run(go())
    assert first.limits is not None and first.limits.requests is not None
    assert first.limits.requests.limit == 2 and first.limits.requests.remaining == 1
    assert 0 < (first.limits.requests.reset or 0) <= 30.0
    assert first.limits.tokens is not None and first.limits.tokens.reset == 360.0
    assert second.limits is not None and second.limits.requests is not None
    assert second.limits.requests.remaining == 0
    assert refused.rate_limited and refused.retry_after is not None
    assert refused.limits is not None and refused.limits.requests is not None
    assert refused.limits.requests.remaining == 0
    assert again.cached and again.limits is None and again == Reply(first.text, first.usage, True)
    assert openai_server.stats()["rate_limited"] == 1


def test_anthropic_reply_carries_the_headers() -> None:
    with RateLimitedServer(rate=5, window=30.0, headers="anthropic") as server:

        async def go() -> Reply:
            target = AnthropicTarget("m", base_url=server.url, api_key="k")
            try:
                return await target.complete(ASK)
            finally:
                await target.aclose()

        reply = asyncio.run(go())
    assert reply.limits is not None and reply.limits.requests is not None
    assert reply.limits.requests.limit == 5 and reply.limits.requests.remaining == 4
    assert 28.0 < (reply.limits.requests.reset or 0) <= 30.0  # an RFC 3339 time, read back
    assert reply.limits.tokens is not None and reply.limits.tokens.limit == 10_000_000
