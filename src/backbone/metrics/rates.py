"""A rate with its interval and its n: the only way backbone reports a proportion.

Example:
    >>> r = wilson(3, 10)
    >>> (r.value, r.n, [round(x, 3) for x in r.ci])
    (0.3, 10, [0.108, 0.603])
"""

from __future__ import annotations

from math import sqrt
from statistics import NormalDist

from backbone.core.rate import CONFIDENCE, Rate

__all__ = ["CONFIDENCE", "Rate", "wilson"]


def wilson(x: int, n: int, confidence: float = CONFIDENCE) -> Rate:
    """Wilson score interval (well behaved at small n and near 0 or 1).

    The closed form of ``scipy.stats.binomtest(x, n).proportion_ci(method="wilson")``
    (Newcombe 1998, no continuity correction), written out because importing ``scipy.stats``
    costs every command about a second at start; the tests hold the two equal.
    """
    if n < 0 or x < 0 or x > n:
        raise ValueError(f"need 0 <= x <= n, got x={x}, n={n}")
    if n == 0:
        return Rate(value=None, ci=(0.0, 1.0), n=0, x=0)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = x / n
    denominator = 2 * (n + z * z)
    center = (2 * n * p + z * z) / denominator
    delta = z / denominator * sqrt(4 * n * p * (1 - p) + z * z)
    low = 0.0 if x == 0 else max(0.0, center - delta)
    high = 1.0 if x == n else min(1.0, center + delta)
    return Rate(value=p, ci=(low, high), n=n, x=x)
