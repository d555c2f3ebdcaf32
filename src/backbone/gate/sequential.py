"""Anytime-valid confidence sequences for a rate, and the monitor that stops a gate early.

A fixed-n interval is wrong if you look after every scenario and stop when it looks good. The
beta-binomial mixture martingale is not: with S successes in n Bernoulli(p) draws,

    M_n(p) = B(a + S, b + n - S) / B(a, b) / (p^S (1 - p)^(n - S))

is a nonnegative martingale with mean 1 under p, so by Ville's inequality the sets
{p : M_n(p) < 1/alpha}, intersected over time, all hold at once with probability 1 - alpha.
(``scipy.special.betaln`` for the logs; each set is an interval since log M_n is convex in p.)
Expect wider intervals than fixed-n at the same n: that is the price of stopping early.

A :class:`Monitor` turns the sequence into a decision: for ``max`` a limit is *passed* once
the whole interval is at or below it and *failed* once it is wholly above; for a regression
test the stream is the discordant pairs (1 = newly caved) and the null is 1/2.

Example:
    >>> cs = ConfidenceSequence(alpha=0.05)
    >>> for x in [0] * 80:
    ...     cs.update(x)
    >>> round(cs.high, 3) < 0.1
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

Decision = Literal["pass", "fail"]


def log_mixture_martingale(s: int, n: int, p: float, a: float = 1.0, b: float = 1.0) -> float:
    """log M_n(p) for S = ``s`` successes in ``n`` draws."""
    from scipy.special import betaln  # here: every run imports this module, few use it

    if p <= 0.0:
        return math.inf if s > 0 else betaln(a, b + n) - betaln(a, b)
    if p >= 1.0:
        return math.inf if s < n else betaln(a + n, b) - betaln(a, b)
    return float(
        betaln(a + s, b + n - s) - betaln(a, b) - s * math.log(p) - (n - s) * math.log1p(-p)
    )


def mixture_interval(
    s: int, n: int, alpha: float, a: float = 1.0, b: float = 1.0
) -> tuple[float, float]:
    """{p : M_n(p) < 1/alpha} at one time n (not yet intersected over time)."""
    if n == 0:
        return (0.0, 1.0)
    bound = math.log(1.0 / alpha)
    p_hat = s / n

    def f(p: float) -> float:
        return log_mixture_martingale(s, n, p, a, b) - bound

    from scipy.optimize import brentq  # here: every run imports this module, few use it

    eps = 1e-12
    low = 0.0
    if s > 0 and f(eps) > 0:
        low = float(brentq(f, eps, max(p_hat, eps * 2), xtol=1e-12))
    high = 1.0
    if s < n and f(1 - eps) > 0:
        high = float(brentq(f, min(p_hat, 1 - eps * 2), 1 - eps, xtol=1e-12))
    return (low, high)


@dataclass
class ConfidenceSequence:
    """A running anytime-valid interval for a Bernoulli rate."""

    alpha: float = 0.05
    a: float = 1.0
    b: float = 1.0
    n: int = 0
    s: int = 0
    low: float = 0.0
    high: float = 1.0

    def update(self, x: int | bool) -> None:
        self.n += 1
        self.s += int(bool(x))
        lo, hi = mixture_interval(self.s, self.n, self.alpha, self.a, self.b)
        if max(self.low, lo) <= min(self.high, hi):
            self.low, self.high = max(self.low, lo), min(self.high, hi)
        else:  # no constant rate fits every look (a drifting stream, or a chance <= alpha)
            self.low, self.high = lo, hi

    @property
    def estimate(self) -> float | None:
        return self.s / self.n if self.n else None


@dataclass
class Monitor:
    """Decides as soon as the confidence sequence clears a limit (or the null 1/2 of a
    regression test). ``min_observations`` holds the decision back until that many."""

    max: float | None = None
    min: float | None = None
    regression: bool = False
    alpha: float = 0.05
    prior: tuple[float, float] = (1.0, 1.0)
    min_observations: int = 0
    cs: ConfidenceSequence = field(init=False)
    decision: Decision | None = None
    decided_at: int | None = None
    verdict: str | None = None

    def __post_init__(self) -> None:
        self.cs = ConfidenceSequence(alpha=self.alpha, a=self.prior[0], b=self.prior[1])

    def observe(self, x: int | bool) -> Decision | None:
        """Feed one observation; returns the decision once there is one (and keeps it)."""
        if self.decision is not None:
            self.cs.update(x)
            return self.decision
        self.cs.update(x)
        if self.cs.n < self.min_observations:
            return None
        lo, hi = self.cs.low, self.cs.high
        if self.regression:
            if lo > 0.5:
                self._decide("fail", "regressed")
            elif hi < 0.5:
                self._decide("pass", "improved")
        elif self.max is not None:
            if hi <= self.max:
                self._decide("pass", "below")
            elif lo > self.max:
                self._decide("fail", "above")
        elif self.min is not None:
            if lo >= self.min:
                self._decide("pass", "above")
            elif hi < self.min:
                self._decide("fail", "below")
        return self.decision

    def _decide(self, decision: Decision, verdict: str) -> None:
        self.decision = decision
        self.decided_at = self.cs.n
        self.verdict = verdict
