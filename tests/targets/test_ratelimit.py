"""The adaptive limiter's logic on a fake clock (no I/O), and the wrapper around a target."""

from __future__ import annotations

import asyncio
import math

import pytest

from backbone.targets.errors import RetryableTargetError
from backbone.targets.messages import ChatMessage, Reply, Request, Usage
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.python_callable import CallableTarget
from backbone.targets.ratelimit import AdaptiveLimiter, RateLimitedTarget, paced
from backbone.targets.ratelimit_headers import Quota, RateLimits
from backbone.targets.retry import RetryingTarget
from backbone.targets.stack import wrap


def requests(remaining: int, reset: float | None, limit: int | None = 40) -> RateLimits:
    return RateLimits(requests=Quota(limit, remaining, reset))


def fill(lim: AdaptiveLimiter, now: float) -> int:
    """Start calls at ``now`` until the limiter refuses; how many it admitted."""
    admitted = 0
    while lim.start(now) == 0.0:
        admitted += 1
        assert admitted < 10_000
    return admitted


def test_without_headers_the_cap_stays_at_the_gentle_start() -> None:
    lim = AdaptiveLimiter()
    t = 0.0
    for _ in range(30):
        assert fill(lim, t) == 8
        assert lim.start(t) == math.inf  # full: wait for a call to finish
        for _ in range(8):
            lim.finish(t, t + 0.1)
        t += 0.1
    assert lim.cap == 8 and lim.stats.peak_in_flight == 8 and not lim.stats.saw_headers


def test_grows_by_one_per_reply_while_full_and_the_headers_show_room() -> None:
    lim = AdaptiveLimiter()
    assert fill(lim, 0.0) == 8
    for i in range(8):  # each reply: one more allowed; the freed slot and the new one refill
        lim.finish(0.0, 0.1, limits=requests(1000 - i, 60.0, limit=1000))
        fill(lim, 0.1)
    assert lim.cap == 16 and lim.in_flight == 16


def test_does_not_grow_when_the_cap_is_not_what_holds_calls_back() -> None:
    lim = AdaptiveLimiter()
    for _ in range(3):
        assert lim.start(0.0) == 0.0
    for i in range(3):
        lim.finish(0.0, 0.1, limits=requests(1000 - i, 60.0, limit=1000))
    assert lim.cap == 8


def test_does_not_grow_when_the_headers_show_no_room() -> None:
    lim = AdaptiveLimiter()
    for k in range(8):
        assert lim.start(0.01 * k) == 0.0
    lim.finish(0.0, 0.1, limits=requests(7, 60.0))  # 7 left, and 7 others sent since
    assert lim.cap == 8


def test_holds_new_calls_at_exhaustion_until_the_reset() -> None:
    lim = AdaptiveLimiter(margin=0.05)
    assert lim.start(0.0) == 0.0
    lim.finish(0.0, 0.1, limits=requests(0, 0.5, limit=3))  # sent at 0: resets at 0.5
    assert lim.start(0.1) == pytest.approx(0.45)
    assert lim.start(0.54) == pytest.approx(0.01)
    assert fill(lim, 0.55) == 3  # back at its limit of 3
    assert lim.start(0.55) == math.inf  # the next reset is not known: wait for a reply
    assert lim.stats.peak_in_flight == 3


def test_an_absolute_reset_counts_from_the_reply_not_the_request() -> None:
    lim = AdaptiveLimiter(margin=0.05)
    assert lim.start(0.0) == 0.0
    stated = RateLimits(requests=Quota(40, 0, 0.5), from_reply=True)  # read at 1.0
    lim.finish(0.0, 1.0, limits=stated)
    assert lim.start(1.0) == pytest.approx(0.55)  # 1.0 + 0.5, not 0.0 + 0.5


def test_counts_the_calls_started_after_the_reply_it_reads() -> None:
    lim = AdaptiveLimiter()
    assert lim.start(0.0) == 0.0
    for k in range(4):
        assert lim.start(0.01 * (k + 1)) == 0.0
    # the first call's reply: 6 left just after it; 4 calls went out since, so 2 more
    lim.finish(0.0, 0.2, limits=requests(6, 10.0))
    assert fill(lim, 0.2) == 2
    assert lim.start(0.2) == pytest.approx(10.05 - 0.2)


def test_halves_on_a_429_once_per_round_and_honours_retry_after() -> None:
    lim = AdaptiveLimiter(start=16)
    assert fill(lim, 0.0) == 16
    lim.finish(0.0, 0.1, rate_limited=True)
    assert lim.cap == 8
    for _ in range(8):  # 429s of calls sent before the cut: the same round, no new cut
        lim.finish(0.0, 0.15, rate_limited=True)
    assert lim.cap == 8 and lim.in_flight == 7
    assert lim.start(0.2) == 0.0  # 7 in flight, cap 8
    lim.finish(0.2, 0.4, rate_limited=True, retry_after=2.0)  # sent after the cut: cut again
    assert lim.cap == 4 and lim.stats.rate_limited == 10
    assert lim.start(0.5) == pytest.approx(1.9)  # Retry-After holds every new call


def caps_while_replies_flow(lim: AdaptiveLimiter, t: float, rounds: int = 40) -> list[float]:
    """Fill the limiter from ``t`` and let every call reply, 0.1 s a round: the cap after
    each round."""
    caps = []
    for _ in range(rounds):
        fill(lim, t)
        while lim.in_flight:
            lim.finish(t, t + 0.1)
        t += 0.1
        caps.append(lim.cap)
    return caps


def test_after_a_429_without_headers_it_creeps_back_to_the_gentle_start_only() -> None:
    lim = AdaptiveLimiter()
    fill(lim, 0.0)
    lim.finish(0.0, 0.1, rate_limited=True)
    assert lim.cap == 4
    caps = caps_while_replies_flow(lim, 0.1)
    assert caps[0] < 8 and max(caps) == 8 and lim.cap == 8


def test_one_call_asks_when_nothing_in_flight_can_tell_more() -> None:
    lim = AdaptiveLimiter()
    assert lim.start(0.0) == 0.0
    lim.finish(0.0, 0.1, limits=requests(0, None, limit=None))  # none left, no reset given
    assert lim.start(0.1) == 0.0  # nothing in flight: one call goes, to ask
    assert lim.start(0.1) == math.inf
    lim.finish(0.1, 0.3, limits=requests(5, None, limit=None))
    assert fill(lim, 0.3) == 5


def test_a_token_budget_is_spent_at_the_tokens_a_call_uses() -> None:
    lim = AdaptiveLimiter()
    assert lim.start(0.0) == 0.0
    tokens = RateLimits(tokens=Quota(10_000, 100, 60.0))
    lim.finish(0.0, 0.1, limits=tokens, usage=Usage(20, 10))  # 30 tokens a call
    assert fill(lim, 0.1) == 3  # 100 left: 3 calls of 30
    assert lim.start(0.1) == pytest.approx(60.05 - 0.1)


def test_learns_a_fixed_window_and_holds_calls_until_the_next_one_starts() -> None:
    """A server admitting 2 calls per 1 s window: after three windows the limiter knows
    when the next one starts, so a held call waits for that time, not for a reply."""
    lim = AdaptiveLimiter(margin=0.05)
    for k in range(3):
        t = k + 0.1
        assert fill(lim, t) == (8 if k == 0 else 2)
        if k == 0:  # the first window: nothing known, the gentle cap admits 8
            for _ in range(6):
                lim.finish(t, t + 0.05, rate_limited=False)
        else:  # the window is used up and its end not yet known: wait for a reply
            assert lim.start(t) == math.inf
        lim.finish(t, t + 0.2, limits=requests(1, 0.9, limit=2))  # the window ends at k+1
        lim.finish(t, t + 0.2, limits=requests(0, 0.9, limit=2))
    assert fill(lim, 3.1) == 2
    assert lim.start(3.1) == pytest.approx(4.05 - 3.1)


# ---- the wrapper -------------------------------------------------------------------------

ASK = Request((ChatMessage("user", "Capital of Italy?"),))


def test_only_http_providers_are_paced_and_the_limiter_sits_inside_retry() -> None:
    http = OpenAITarget("m", base_url="http://127.0.0.1:9/v1")
    stack = wrap(http)
    assert paced(stack) is not None
    retry = stack.inner  # type: ignore[attr-defined]
    assert isinstance(retry, RetryingTarget) and isinstance(retry.inner, RateLimitedTarget)
    assert retry.inner.inner is http
    assert stack.identity == http.identity  # pacing never changes a cache key
    assert paced(wrap(CallableTarget(lambda m: "ok", name="x"))) is None
    assert paced(wrap(http, gentle=20)).limiter.cap == 20  # type: ignore[union-attr]


class Scripted:
    """A target whose calls wait until released; counts how many are in it at once."""

    def __init__(self, fail: RetryableTargetError | None = None) -> None:
        self.identity = {"provider": "scripted"}
        self.fail = fail
        self.inside = 0
        self.most = 0
        self.go = asyncio.Event()

    async def complete(self, request: Request) -> Reply:
        self.inside += 1
        self.most = max(self.most, self.inside)
        try:
            await self.go.wait()
            if self.fail is not None:
                raise self.fail
            return Reply("Rome", limits=requests(1000, 60.0, limit=1000))
        finally:
            self.inside -= 1


def test_the_wrapper_gates_calls_and_a_cancelled_waiter_takes_no_slot() -> None:
    async def go() -> tuple[int, float]:
        inner = Scripted()
        target = RateLimitedTarget(inner, start=2)
        calls = [asyncio.create_task(target.complete(ASK)) for _ in range(5)]
        await asyncio.sleep(0.05)
        inside = inner.inside  # two in, three waiting
        calls[3].cancel()
        inner.go.set()
        done = await asyncio.gather(*calls, return_exceptions=True)
        assert sum(isinstance(d, asyncio.CancelledError) for d in done) == 1
        assert all(isinstance(d, Reply) for i, d in enumerate(done) if i != 3)
        return inside, target.limiter.in_flight

    inside, left = asyncio.run(go())
    assert inside == 2 and left == 0


def test_the_wrapper_reports_a_429_to_the_limiter() -> None:
    async def go() -> AdaptiveLimiter:
        refused = RetryableTargetError(
            "HTTP 429", retry_after=0.0, limits=requests(0, 0.01), rate_limited=True
        )
        inner = Scripted(fail=refused)
        inner.go.set()
        target = RateLimitedTarget(inner, start=8)
        with pytest.raises(RetryableTargetError):
            await target.complete(ASK)
        return target.limiter

    lim = asyncio.run(go())
    assert lim.cap == 4 and lim.stats.rate_limited == 1 and lim.in_flight == 0


class Sleepy:
    """Answers after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.identity = {"provider": "sleepy"}
        self.seconds = seconds

    async def complete(self, request: Request) -> Reply:
        await asyncio.sleep(self.seconds)
        return Reply("Rome")


def test_the_timeout_bounds_the_call_not_the_wait_for_the_limiter() -> None:
    async def go(stack: object) -> list[object]:
        calls = [stack.complete(ASK) for _ in range(3)]  # type: ignore[attr-defined]
        return await asyncio.gather(*calls, return_exceptions=True)

    # one call at a time, 0.15 s each: the third waits 0.3 s, longer than the 0.2 s timeout
    paced_stack = wrap(Sleepy(0.15), pace=True, gentle=1, timeout=0.2, attempts=1)
    assert all(isinstance(r, Reply) for r in asyncio.run(go(paced_stack)))
    slow = wrap(Sleepy(0.3), pace=True, gentle=1, timeout=0.2, attempts=1)
    failed = asyncio.run(go(slow))
    assert all(isinstance(r, RetryableTargetError) for r in failed)
    assert "no reply within 0.2s" in str(failed[0])
