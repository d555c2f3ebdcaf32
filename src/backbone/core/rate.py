"""A rate with its interval and its n: the only way backbone reports a proportion.

Example:
    >>> Rate(value=0.3, ci=(0.108, 0.603), n=10, x=3).n
    10
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

CONFIDENCE = 0.95


class Rate(BaseModel):
    """``value`` = x / n with a 95% interval. With n = 0 there is no rate: value is null and
    the interval is the whole of [0, 1]."""

    model_config = ConfigDict(frozen=True)
    value: float | None
    ci: tuple[float, float]
    n: int
    x: int
