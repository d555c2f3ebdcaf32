"""No word of a server holds a run for longer than the cap (120 s by default): a 429 whose
``Retry-After`` is a day away, or rate-limit headers that say nothing is left until a reset
hours off (a daily quota, a bogus header), hold calls at most ``max_hold`` seconds, say so
once, and then a call goes to ask again. Before, retry capped its own wait at 120 s but the
rate limiter held every later call for the whole time the server named: the run hung.

The faults are planted on the real loopback server; ``max_hold`` is made small so the tests
are quick, and the limiter's default is checked on its fake clock."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from backbone.targets.anthropic import AnthropicTarget
from backbone.targets.base import Target
from backbone.targets.errors import TargetError
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.ratelimit import AdaptiveLimiter, RateLimitedTarget
from backbone.targets.ratelimit_headers import Quota, RateLimits
from backbone.targets.retry import MAX_RETRY_AFTER, RetryingTarget
from backbone.targets.stack import aclose
from tests.support.loopback import FRANCE, Fault, LoopbackServer

HOLD = 0.3
PARIS = "The capital of France is Paris."


def stack(provider: Target) -> RetryingTarget:
    """retry -> limiter -> provider, as :func:`~backbone.targets.stack.wrap` builds it."""
    return RetryingTarget(
        RateLimitedTarget(provider, max_hold=HOLD),
        attempts=3,
        initial_wait=0.01,
        jitter=0.0,
        max_retry_after=HOLD,
    )


def france() -> Request:
    return Request((ChatMessage("user", FRANCE),))


async def two_calls(target: RetryingTarget) -> list[str]:
    """Two calls one after the other, bounded well below any server's word."""
    try:
        return [(await asyncio.wait_for(target.complete(france()), 10)).text for _ in range(2)]
    finally:
        await aclose(target)


def test_a_retry_after_of_a_day_holds_later_calls_only_up_to_the_cap(
    server: LoopbackServer,
) -> None:
    server.fail(Fault.http(429, retry_after=86_400), on=[1])
    started = time.monotonic()
    texts = asyncio.run(two_calls(stack(OpenAITarget("m", base_url=server.openai_base_url))))
    assert texts == [PARIS, PARIS]
    assert time.monotonic() - started < 5
    first, second, third = server.calls
    assert first.fault is not None and (second.fault, third.fault) == (None, None)
    assert HOLD <= second.received - first.received < HOLD + 1.0


def test_an_openai_quota_spent_for_hours_holds_calls_only_up_to_the_cap(
    server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    spent = {
        "x-ratelimit-limit-requests": "100",
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": "1000h",
    }
    body = (
        b'{"choices": [{"message": {"role": "assistant", "content": "The capital of France is '
        b'Paris."}, "finish_reason": "stop"}]}'
    )
    server.fail(Fault.raw(body, headers=spent), on=[1])
    with caplog.at_level(logging.WARNING, logger="backbone.targets.ratelimit"):
        sent_after = time.monotonic()
        texts = asyncio.run(two_calls(stack(OpenAITarget("m", base_url=server.openai_base_url))))
    assert texts == [PARIS, PARIS]
    first, second = server.calls
    # OpenAI's resets count from when the call was sent (not from when the server got it,
    # which on a loaded machine is some milliseconds later): the hold ends no sooner than
    # HOLD after the first send, and every send comes after ``sent_after``.
    assert second.received - sent_after >= HOLD
    assert second.received - first.received < HOLD + 1.0
    [warning] = [r.getMessage() for r in caplog.records]
    assert "requests quota resets in 3.6e+06s" in warning and f"{HOLD:g}s instead" in warning


def test_an_anthropic_quota_spent_until_a_far_date_holds_calls_only_up_to_the_cap(
    server: LoopbackServer,
) -> None:
    spent = {
        "anthropic-ratelimit-requests-limit": "100",
        "anthropic-ratelimit-requests-remaining": "0",
        "anthropic-ratelimit-requests-reset": "2099-01-01T00:00:00Z",
    }
    body = (
        b'{"type": "message", "role": "assistant", "content": [{"type": "text", "text": '
        b'"The capital of France is Paris."}], "stop_reason": "end_turn"}'
    )
    server.fail(Fault.raw(body, headers=spent), on=[1])
    target = stack(AnthropicTarget("m", base_url=server.anthropic_base_url))
    assert asyncio.run(two_calls(target)) == [PARIS, PARIS]
    first, second = server.calls
    assert HOLD <= second.received - first.received < HOLD + 1.0


def test_the_limiter_holds_at_most_the_retry_cap_by_default() -> None:
    lim = AdaptiveLimiter(start=1)
    assert lim.max_hold == MAX_RETRY_AFTER == 120.0
    assert lim.start(0.0) == 0.0
    lim.finish(0.0, 1.0, rate_limited=True, retry_after=86_400.0)
    assert lim.start(1.0) == pytest.approx(MAX_RETRY_AFTER)
    lim = AdaptiveLimiter(start=1)
    assert lim.start(0.0) == 0.0
    lim.finish(0.0, 1.0, limits=RateLimits(requests=Quota(100, 0, 3_600_000.0)))
    assert lim.start(1.0) == pytest.approx(MAX_RETRY_AFTER - 1.0 + lim.margin)


def test_a_server_still_asking_to_wait_a_day_is_given_up_on_not_waited_for_each_call(
    server: LoopbackServer,
) -> None:
    """A 429 whose ``Retry-After`` is a day, on every call (a daily quota, a proxy's budget
    spent): each call waited the cap before each of its attempts, and as the limiter halved
    to one call in flight, one call went per cap: 12 calls of 6 attempts were held about a
    cap each (120 s by default: hours; 5 scenarios at --retries 1 took 243 s on the CLI).
    Now such a hint is waited out to the cap, twice, as before; said still after that, the
    target is given up on and the limiter holds its queued calls no more: every call fails
    with the reason, within a few caps."""
    server.fail(Fault.http(429, retry_after=86_400), when=lambda call: True)
    target = RetryingTarget(
        RateLimitedTarget(OpenAITarget("m", base_url=server.openai_base_url), max_hold=HOLD),
        attempts=6,
        initial_wait=0.01,
        jitter=0.0,
        max_retry_after=HOLD,
    )

    async def twelve_calls() -> list[BaseException | str]:
        try:
            calls = [asyncio.wait_for(target.complete(france()), 30) for _ in range(12)]
            done = await asyncio.gather(*calls, return_exceptions=True)
            return [r if isinstance(r, BaseException) else r.text for r in done]
        finally:
            await aclose(target)

    started = time.monotonic()
    outcomes = asyncio.run(twelve_calls())
    took = time.monotonic() - started
    assert all(isinstance(o, TargetError) for o in outcomes), outcomes
    said = {str(o) for o in outcomes}
    assert said == {
        "the server still asked to wait 86400s before retrying (Retry-After) after waits of "
        f"{HOLD:g}s, the cap: no further call is made (the last: openai: HTTP 429: "
        '{"error": {"type": "injected", "message": "injected HTTP 429"}})'
    }
    assert took < 8 * HOLD
    assert server.total <= 3 * 12  # attempts at 0, one cap and two caps, at most
