"""A rate with its interval and its n: the only way backbone reports a proportion.

Example:
    >>> r = wilson(3, 10)
    >>> (r.value, r.n, [round(x, 3) for x in r.ci])
    (0.3, 10, [0.108, 0.603])
"""

from __future__ import annotations

from scipy.stats import binomtest

from backbone.core.rate import CONFIDENCE, Rate

__all__ = ["CONFIDENCE", "Rate", "wilson"]


def wilson(x: int, n: int, confidence: float = CONFIDENCE) -> Rate:
    """Wilson score interval (well behaved at small n and near 0 or 1)."""
    if n < 0 or x < 0 or x > n:
        raise ValueError(f"need 0 <= x <= n, got x={x}, n={n}")
    if n == 0:
        return Rate(value=None, ci=(0.0, 1.0), n=0, x=0)
    ci = binomtest(x, n).proportion_ci(confidence_level=confidence, method="wilson")
    return Rate(value=x / n, ci=(max(0.0, float(ci.low)), min(1.0, float(ci.high))), n=n, x=x)
