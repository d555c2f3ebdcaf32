"""Pacing calls to a provider's rate limits: an adaptive limiter, as a wrapper around any target.

Hosted APIs are bound by rate limits, not by our CPU. :class:`RateLimitedTarget` passes every
call through an :class:`AdaptiveLimiter`, a small pure class (a clock is passed in, nothing is
awaited, so it is tested without I/O) that decides when the next call may start:

* a **cap on calls in flight** that starts gentle (``start``, 8) and grows by one per reply
  only on evidence from the rate-limit headers: the limiter was full (the cap was what held
  calls back) and every stated quantity still had room after the calls already started. It
  is cut in half on a 429, and on a timeout (no reply within the time allowed; a connection
  refused or never made is not one) while other calls are in flight: a server that queues
  calls, as a local llama.cpp or Ollama serving one at a time does, answers the last of 8
  only after the timeout, and each retry would queue again behind the work abandoned. One
  cut per round of calls: the 429s and timeouts of calls started before the last cut do not
  cut again; never below 1, never above ``ceiling`` (256). With no rate-limit headers at
  all it never grows past ``start``: a local server is never hammered harder than a fixed
  concurrency of 8 would;
* a **pacer**: each header states what ``remaining`` of a quantity (requests, tokens) was
  left just after that call was admitted, and when it is replenished. The limiter anchors
  that on the time *it sent* the call, counts the calls it started since (for tokens, times
  the tokens a call has used on average), and when nothing is left it holds new calls until
  the reset (plus ``margin``, 50 ms: clocks and rounding), or, when the reset is not known,
  until the next reply says more (or nothing is in flight: then one call goes, to ask).
  After a reset the quantity is assumed back at its ``limit``. A 429's ``Retry-After`` holds
  every new call that long.

No word of the server holds calls longer than ``max_hold`` (120 s, the cap retry puts on a
``Retry-After``): a reset or a ``Retry-After`` further off (a daily quota spent, a bogus
header) is taken as ``max_hold``, reported once as a warning, and then a call goes to ask
again; if the quota is still spent the provider's 429 ends it through retry, so a run ends
(its calls ``unscored``) instead of waiting hours with nothing said.

Anchoring on the send time is what makes stale headers useful: with 1 s of latency, a reply
describes the window as it was a second ago, and the calls started since are known exactly.

Where it sits (:func:`~backbone.targets.stack.wrap`): inside retry, directly around the
provider (retry -> limiter -> provider). So every attempt, the first and each retry, waits for
the limiter, and the limiter sees every response: each 429 and each header. Outside retry it
would see only each call's final outcome, and retries would go out unpaced. Its identity is
the inner target's: pacing never changes a cache key.

Example:
    >>> lim = AdaptiveLimiter(start=2)
    >>> lim.start(0.0), lim.start(0.0), lim.start(0.0)   # two may go; the third waits
    (0.0, 0.0, inf)
    >>> lim.finish(0.0, 0.2, limits=RateLimits(requests=Quota(40, 0, 0.5)))
    >>> round(lim.start(0.2), 2)     # none left until 0.5 s after it was sent (+ the margin)
    0.35
    >>> lim.start(0.6)
    0.0
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from backbone.targets.base import Target, layers
from backbone.targets.errors import RetryableTargetError
from backbone.targets.messages import Reply, Request, Usage
from backbone.targets.ratelimit_headers import Quota, RateLimits
from backbone.targets.retry import FAR_HOLDS, FAR_WAITS, MAX_RETRY_AFTER, within

log = logging.getLogger(__name__)

__all__ = ["AdaptiveLimiter", "LimiterStats", "RateLimitedTarget", "paced"]

GENTLE = 8
CEILING = 256
MARGIN = 0.05
_SMOOTHING = 0.2  # weight of the newest call in the tokens-per-call average


@dataclass
class _Budget:
    """What is known of one quantity: ``remaining`` just after the call sent at ``anchor``
    (the limiter's clock), back to ``limit`` at ``reset_at`` (None: not known)."""

    anchor: float
    remaining: float
    reset_at: float | None
    limit: float | None


class _Windows:
    """Where one quantity's windows end, learned from resets (for servers that count in
    fixed windows, as the loopback benchmark's does).

    Each reply says its window ends at ``sent + reset`` at the earliest (the call took some
    time to reach the server); replies whose ends lie close together (within a quarter of the
    longest reset seen) are one window, whose end is the latest of them. When the last
    windows are evenly spaced, about as far apart as the longest reset (a fixed window, not
    a bucket that refills continuously), the next end is guessed: each recent end carried
    forward by whole periods (their mean spacing), the latest of those (each is a lower
    bound). The calls held for it then go at that time instead of a reply later.
    """

    KEEP = 8

    def __init__(self) -> None:
        self.ends: list[float] = []
        self.longest = 0.0

    def end(self, earliest: float, reset: float) -> float:
        """The end of the window a reply saying ``sent + reset = earliest`` belongs to."""
        self.longest = max(self.longest, reset)
        tol = 0.25 * self.longest
        if not self.ends or earliest > self.ends[-1] + tol:
            self.ends = [*self.ends[-(self.KEEP - 1) :], earliest]
            return earliest
        for i in range(len(self.ends) - 1, -1, -1):
            if abs(earliest - self.ends[i]) <= tol:
                self.ends[i] = max(self.ends[i], earliest)
                return self.ends[i]
        return earliest

    def after(self, end: float) -> float | None:
        """The guessed end of the window after the one ending at ``end`` (None: no steady
        period seen)."""
        if len(self.ends) < 3:
            return None
        gaps = [b - a for a, b in zip(self.ends, self.ends[1:], strict=False)]
        period = (self.ends[-1] - self.ends[0]) / len(gaps)
        if max(gaps) > 1.25 * min(gaps) or period < 0.75 * self.longest:
            return None
        return max(e + (round((end - e) / period) + 1) * period for e in self.ends)


@dataclass
class LimiterStats:
    """What the limiter did: calls started, 429s and timeouts seen, calls it held back (and
    for how long in total, seconds), the most calls in flight at once, and the cap now."""

    started: int = 0
    rate_limited: int = 0
    timed_out: int = 0
    held: int = 0
    peak_in_flight: int = 0
    cap: int = GENTLE
    saw_headers: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


class AdaptiveLimiter:
    """When the next call may start, from what replies said (see the module's docstring).

    Times are seconds on one monotonic clock the caller owns. :meth:`start` admits a call
    (returns 0.0) or says how long to wait (``inf``: until a call finishes);
    :meth:`finish` reports a call's end with what its response said.

    Example:
        >>> lim = AdaptiveLimiter(start=1)
        >>> lim.start(0.0)
        0.0
        >>> lim.finish(0.0, 0.2, rate_limited=True, retry_after=1.0)
        >>> lim.start(0.5)                                # Retry-After holds every call
        0.7
    """

    def __init__(
        self,
        *,
        start: int = GENTLE,
        ceiling: int = CEILING,
        margin: float = MARGIN,
        max_hold: float = MAX_RETRY_AFTER,
    ) -> None:
        if start < 1 or ceiling < start:
            raise ValueError("need 1 <= start <= ceiling")
        self.gentle = start
        self.ceiling = ceiling
        self.margin = margin
        self.max_hold = max_hold
        self._warned_hold = False
        self.cap = float(start)
        self.in_flight = 0
        self.stats = LimiterStats(cap=start)
        self._starts: deque[float] = deque()  # send times, non-decreasing
        self._open: dict[float, int] = {}  # send time -> calls from then still in flight
        self._budgets: dict[str, _Budget] = {}
        self._windows: dict[str, _Windows] = {}
        self._cost: dict[str, float] = {}  # tokens per call, on average, by quantity
        self._hold_until = -math.inf
        self._last_cut = -math.inf
        self._far_since: float | None = None  # a hold past FAR_HOLDS caps first asked

    # ---- admitting -------------------------------------------------------------------

    def start(self, now: float) -> float:
        """Admit a call at ``now`` (0.0), or the seconds to wait before asking again
        (``inf``: until some call finishes)."""
        wait = self._wait(now)
        if wait > 0:
            return wait
        self.in_flight += 1
        self._starts.append(now)
        self._open[now] = self._open.get(now, 0) + 1
        self.stats.started += 1
        self.stats.peak_in_flight = max(self.stats.peak_in_flight, self.in_flight)
        return 0.0

    def _wait(self, now: float) -> float:
        if now < self._hold_until:
            return self._hold_until - now
        if self.in_flight >= max(1, math.floor(self.cap)):
            return math.inf
        wait = 0.0
        for name in list(self._budgets):
            budget = self._current(name, now)
            if budget is None or self._left(name, budget) >= self._need(name):
                continue
            if budget.reset_at is not None:
                wait = max(wait, budget.reset_at + self.margin - now)
            elif self.in_flight > 0:
                wait = math.inf
            # else: nothing in flight can tell us more; one call goes, to ask
        return wait

    def _need(self, name: str) -> float:
        return max(self._cost.get(name, 1.0), 1.0)

    def _left(self, name: str, budget: _Budget) -> float:
        """What is left of a quantity after the calls started since its anchor."""
        since = len(self._starts) - bisect_right(self._starts, budget.anchor)
        return budget.remaining - since * self._cost.get(name, 1.0)

    def _current(self, name: str, now: float) -> _Budget | None:
        """The budget as of ``now``: once its reset has passed, back at its limit."""
        budget = self._budgets[name]
        while budget.reset_at is not None and now >= budget.reset_at + self.margin:
            if budget.limit is None:
                del self._budgets[name]
                return None
            budget = self._refilled(name, budget.reset_at, budget.limit)
            self._budgets[name] = budget
        return budget

    def _refilled(self, name: str, at: float, limit: float) -> _Budget:
        windows = self._windows.get(name)
        return _Budget(at, limit, windows.after(at) if windows else None, limit)

    # ---- learning ----------------------------------------------------------------------

    def finish(
        self,
        started: float,
        now: float,
        *,
        limits: RateLimits | None = None,
        usage: Usage | None = None,
        rate_limited: bool = False,
        retry_after: float | None = None,
        timed_out: bool = False,
    ) -> None:
        """A call sent at ``started`` ended at ``now``: with a reply (its ``usage``) or an
        error; ``limits`` is what its headers said, ``rate_limited`` whether it was a 429,
        ``timed_out`` whether no reply came within the time allowed.

        Example:
            >>> lim = AdaptiveLimiter(start=8)
            >>> [lim.start(0.0) for _ in range(3)]
            [0.0, 0.0, 0.0]
            >>> lim.finish(0.0, 1.0, timed_out=True)   # two others in flight: congestion
            >>> lim.finish(0.0, 1.0, timed_out=True)   # the same round: no second cut
            >>> lim.cap
            4.0
        """
        full = self.in_flight >= math.floor(self.cap)
        self.in_flight = max(0, self.in_flight - 1)
        left = self._open.get(started, 0) - 1
        if left > 0:
            self._open[started] = left
        else:
            self._open.pop(started, None)
        if usage is not None:
            self._learn_cost(usage)
            self._far_since = None
        if limits is not None:
            self.stats.saw_headers = True
            since = now if limits.from_reply else started  # what the resets count from
            for name, quota in limits.quotas().items():
                self._observe(name, quota, started, now, since)
        congested = rate_limited or (timed_out and self.in_flight > 0)  # others still in flight
        if congested and started >= self._last_cut:  # one cut per round of calls
            self.cap = max(1.0, self.cap / 2)
            self._last_cut = now
        if rate_limited:
            self.stats.rate_limited += 1
            if retry_after is not None and not self._asked_again_far(retry_after, now):
                held = self._bounded(retry_after, None)  # retry reports a capped wait
                self._hold_until = max(self._hold_until, now + held)
        elif timed_out:  # no reply: nothing to grow on
            self.stats.timed_out += 1
        elif limits is not None:
            if full and self._room(now):
                self.cap = min(float(self.ceiling), self.cap + 1)
        elif self.cap < self.gentle:  # no headers: creep back to the gentle start only
            self.cap = min(float(self.gentle), self.cap + 1 / self.cap)
        self.stats.cap = math.floor(self.cap)
        self._prune(now)

    def _asked_again_far(self, retry_after: float, now: float) -> bool:
        """Whether a ``Retry-After`` past :data:`FAR_HOLDS` caps comes still, ``FAR_WAITS``
        caps after the first did with no reply since: the server will not serve within the
        run (a daily quota), retry gives the target up (``RetryingTarget``), and holding the
        calls queued here a cap more each time, one at a time as the cap halves to one in
        flight, held the run for hours. They go at once instead, to be refused."""
        if retry_after <= FAR_HOLDS * self.max_hold:
            return False
        if self._far_since is None:
            self._far_since = now
            return False
        return now - self._far_since >= FAR_WAITS * self.max_hold

    def _bounded(self, seconds: float, what: str | None) -> float:
        """``seconds`` the server asked calls to be held, at most ``max_hold`` (the first
        longer hold is reported as a warning saying ``what`` the server said)."""
        if seconds <= self.max_hold:
            return seconds
        if what is not None and not self._warned_hold:
            self._warned_hold = True
            log.warning(
                "the server %s %gs; holding calls %gs instead, the cap, then asking again "
                "(reported once)",
                what,
                seconds,
                self.max_hold,
            )
        return self.max_hold

    def _room(self, now: float) -> bool:
        """Whether every quantity stated still has room after the calls started."""
        for name in list(self._budgets):
            budget = self._current(name, now)
            if budget is not None and self._left(name, budget) < self._need(name):
                return False
        return bool(self._budgets)

    def _observe(self, name: str, quota: Quota, started: float, now: float, since: float) -> None:
        if quota.remaining is None:
            return
        known = self._current(name, now) if name in self._budgets else None
        reset_at = None
        if quota.reset is not None:
            reset = self._bounded(quota.reset, f"said its {name} quota resets in")
            windows = self._windows.setdefault(name, _Windows())
            reset_at = windows.end(since + reset, reset)
        limit = float(quota.limit) if quota.limit is not None else None
        seen = _Budget(started, float(quota.remaining), reset_at, limit)
        if reset_at is not None and now >= reset_at + self.margin:
            if limit is None:
                return  # it said how much was left in a window that is over: nothing now
            seen = self._refilled(name, reset_at, limit)
            while seen.reset_at is not None and now >= seen.reset_at + self.margin:
                seen = self._refilled(name, seen.reset_at, limit)
        newer = known is None or (seen.anchor, -seen.remaining) > (known.anchor, -known.remaining)
        if newer:  # a later-sent call's view; at the same send time, the lower count
            self._budgets[name] = seen

    def _learn_cost(self, usage: Usage) -> None:
        spent = {
            "tokens": usage.input_tokens + usage.output_tokens,
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
        }
        for name, value in spent.items():
            if value <= 0:
                continue
            old = self._cost.get(name)
            self._cost[name] = value if old is None else old + _SMOOTHING * (value - old)

    def _prune(self, now: float) -> None:
        """Forget send times no budget and no call in flight can still ask about."""
        keep = min(
            [b.anchor for b in self._budgets.values()] + list(self._open) + [now],
        )
        while self._starts and self._starts[0] < keep:
            self._starts.popleft()


class _Gate:
    """The limiter on an event loop: calls wait in a first-come queue; every finish (and a
    timer, when the wait has a known end) lets in as many as the limiter admits."""

    def __init__(self, limiter: AdaptiveLimiter, clock: Callable[[], float]) -> None:
        self.limiter = limiter
        self.clock = clock
        self._queue: deque[asyncio.Future[float]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def acquire(self) -> float:
        """Wait for the limiter; return the time the call was admitted (its send time)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop: nothing from the old one can wake us
            self._loop, self._queue, self._timer = loop, deque(), None
        if not self._queue:
            now = self.clock()
            if self.limiter.start(now) == 0.0:
                return now
        self.limiter.stats.held += 1
        future: asyncio.Future[float] = loop.create_future()
        self._queue.append(future)
        self._pump()
        try:
            return await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # admitted, then cancelled: give back
                self.limiter.finish(future.result(), self.clock())
                self._pump()
            raise

    def release(self, started: float, **seen: Any) -> None:
        self.limiter.finish(started, self.clock(), **seen)
        self._pump()

    def _pump(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while self._queue:
            if self._queue[0].done():  # cancelled while waiting
                self._queue.popleft()
                continue
            now = self.clock()
            wait = self.limiter.start(now)
            if wait > 0:
                if math.isfinite(wait) and self._loop is not None:
                    self._timer = self._loop.call_later(wait, self._pump)
                return
            self._queue.popleft().set_result(now)


class RateLimitedTarget:
    """Paces calls to ``inner`` by an :class:`AdaptiveLimiter` (``start`` calls in flight at
    first, up to ``ceiling``; no server's word holds a call more than ``max_hold`` seconds).
    The identity is ``inner``'s. ``timeout`` bounds each call once admitted (a wait for the
    limiter is not a slow provider), as a retryable error.

    Example:
        >>> from backbone.targets.python_callable import CallableTarget
        >>> t = RateLimitedTarget(CallableTarget(lambda m: "ok", name="x"))
        >>> t.identity == t.inner.identity, t.limiter.cap
        (True, 8.0)
    """

    def __init__(
        self,
        inner: Target,
        *,
        start: int = GENTLE,
        ceiling: int = CEILING,
        timeout: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_hold: float = MAX_RETRY_AFTER,
    ) -> None:
        self.inner = inner
        self.timeout = timeout
        self.limiter = AdaptiveLimiter(start=start, ceiling=max(start, ceiling), max_hold=max_hold)
        self._gate = _Gate(self.limiter, clock)

    @property
    def identity(self) -> Mapping[str, Any]:
        return self.inner.identity

    async def complete(self, request: Request) -> Reply:
        started = await self._gate.acquire()
        try:
            reply = await within(self.inner.complete(request), self.timeout)
        except RetryableTargetError as exc:
            self._gate.release(
                started,
                limits=exc.limits,
                rate_limited=exc.rate_limited,
                retry_after=exc.retry_after if exc.rate_limited else None,
                timed_out=exc.timed_out,
            )
            raise
        except BaseException:
            self._gate.release(started)
            raise
        self._gate.release(started, limits=reply.limits, usage=reply.usage)
        return reply


def paced(target: Target) -> RateLimitedTarget | None:
    """The :class:`RateLimitedTarget` in ``target``'s stack (None: it is not paced).

    Example:
        >>> from backbone.targets.python_callable import CallableTarget
        >>> paced(CallableTarget(lambda m: "ok", name="x")) is None
        True
    """
    return next((t for t in layers(target) if isinstance(t, RateLimitedTarget)), None)
