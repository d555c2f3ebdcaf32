"""A one-sided trend test on a short, possibly autocorrelated series, with its Theil–Sen slope.

The slope and its 95% interval come from :func:`scipy.stats.theilslopes` (robust to outliers;
the interval assumes independent points, so it is evidence for a reader, not the decision).
The decision is a Mann–Kendall test made robust to autocorrelation by one of pymannkendall's
modified tests; the z it returns gives a one-sided p-value in the direction the tell watches
(``up``: P(Z >= z)).

Which modified test. The default, ``ar1``, is Mann–Kendall's S and variance from
:func:`pymannkendall.original_test`, the variance multiplied by Hamed & Rao's factor for an AR(1)
rank autocorrelation whose lag-1 value is estimated on the Theil–Sen-detrended series and
corrected for its small-sample bias (:func:`lag1_autocorrelation`). Measured on AR(1) noise with
no trend (benchmarks/tells_false_alarms.py, 300 series a cell, one-sided at 0.05, SE 0.013):

====  ====  =====  =========  =========  ========  ========
n     phi   ar1    prewhiten  hamed_rao  yue_wang  original
====  ====  =====  =========  =========  ========  ========
12    0.3   0.043  0.057      0.070      0.073     0.073
26    0.3   0.067  0.060      0.093      0.073     0.100
26    0.6   0.083  0.060      0.150      0.127     0.197
52    0.6   0.060  0.063      0.117      0.100     0.197
====  ====  =====  =========  =========  ========  ========

pymannkendall's variance-correction tests (Hamed–Rao, Yue–Wang at lag 1) let through two to
three times the false alarms of a weekly series with realistic autocorrelation; pre-whitening
holds its level but removes most of a real trend along with the autocorrelation the trend itself
creates (power 0.47 where ``ar1`` has 0.78: n = 26, phi = 0.4, a rise of 0.1 sd per period). So
``ar1`` is the default; it runs somewhat above its level at n = 26 with strong autocorrelation
(0.07–0.08), which the Holm correction over the four tells absorbs (each tell on at most 0.04 of
pure-noise seeds). All stay selectable (``test=``, ``--trend-test``).

Example:
    >>> t = trend_test([0.50, 0.52, 0.51, 0.55, 0.56, 0.58, 0.57, 0.61, 0.62, 0.64])
    >>> round(t.slope, 4), t.p_value < 0.001, t.direction
    (0.015, True, 'up')
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pymannkendall as mk
from pydantic import BaseModel, ConfigDict
from scipy.stats import norm, rankdata, theilslopes

TrendTestName = Literal["ar1", "prewhiten", "hamed_rao", "yue_wang", "original"]
TREND_TESTS: tuple[TrendTestName, ...] = ("ar1", "prewhiten", "hamed_rao", "yue_wang", "original")
AR1_CAP = 0.9  # the largest lag-1 autocorrelation the ar1 correction assumes
MIN_POINTS = 6  # shorter series cannot show a trend through a modified test
CONFIDENCE = 0.95
Z_DIGITS = 9
"""Decimals kept of a sum or difference of z-scores (:func:`combined`): past them it is
rounding error, which a trend test would read as a trend."""
FLAT = 1e-12
"""The largest spread, relative to the series' size, that is rounding error and not a change:
a metric logged as 0.1 every day averages to 0.09999999999999999, 0.1 or 0.10000000000000002 a
week depending on how many days the week holds, and those last bits, standardized, were a
'rising' task index (p < 0.001) that switched the satisfaction tell off."""


class Trend(BaseModel):
    """A series' Theil–Sen slope (per period or per release) with its 95% interval, and the
    one-sided p-value of a modified Mann–Kendall test in ``direction``."""

    model_config = ConfigDict(frozen=True)
    slope: float
    ci: tuple[float, float]
    intercept: float
    z: float
    p_value: float
    direction: Literal["up", "down"] = "up"
    test: TrendTestName = "ar1"
    n: int

    def as_json(self) -> dict[str, object]:
        return {
            "slope": self.slope,
            "ci": list(self.ci),
            "intercept": self.intercept,
            "z": self.z,
            "p_value": self.p_value,
            "direction": self.direction,
            "test": self.test,
            "n": self.n,
        }


def flat(y: Sequence[float] | np.ndarray) -> bool:
    """Whether a series has no spread beyond rounding error (:data:`FLAT`).

    >>> flat([0.09999999999999999, 0.1, 0.10000000000000002]), flat([0.1, 0.1000001])
    (True, False)
    """
    arr = np.asarray(y, dtype=float)
    return len(arr) == 0 or float(np.ptp(arr)) <= FLAT * float(np.max(np.abs(arr)))


def lag1_autocorrelation(y: np.ndarray, slope: float | None = None) -> float:
    """The lag-1 autocorrelation of the ranks of ``y`` after removing its Theil–Sen line,
    corrected for its small-sample bias (E[r] ~ r - (1 + 4r)/n, so r ~ (n r + 1)/(n - 4)),
    clipped to [0, AR1_CAP].

    >>> round(lag1_autocorrelation(np.array([1.0, 2, 1, 2, 1, 2, 1, 2])), 3)
    0.0
    """
    n = len(y)
    t = np.arange(n, dtype=float)
    if slope is None:
        slope = float(theilslopes(y, t).slope) if np.ptp(y) else 0.0
    ranks = rankdata(y - slope * t)
    ranks = ranks - ranks.mean()
    denom = float(np.sum(ranks * ranks))
    if denom == 0 or n <= 4:
        return 0.0
    r = float(np.sum(ranks[1:] * ranks[:-1]) / denom)
    return min(max((n * r + 1) / (n - 4), 0.0), AR1_CAP)


def ar1_variance_ratio(n: int, r: float) -> float:
    """Hamed & Rao's (1998) factor n/n* on the Mann–Kendall variance, with the rank
    autocorrelation at lag k taken as r**k (an AR(1) model) instead of estimated lag by lag."""
    k = np.arange(1, n - 1, dtype=float)
    total = np.sum((n - k) * (n - k - 1) * (n - k - 2) * r**k)
    return float(1 + 2 / (n * (n - 1) * (n - 2)) * total)


def _mk(y: np.ndarray, test: TrendTestName, slope: float | None = None) -> float:
    with warnings.catch_warnings():  # a constant series gives 0/0 inside pymannkendall
        warnings.simplefilter("ignore", RuntimeWarning)
        if test == "ar1":
            base = mk.original_test(y)
            s, var = (
                float(base.s),
                float(base.var_s) * ar1_variance_ratio(len(y), lag1_autocorrelation(y, slope)),
            )
            if s == 0 or var <= 0:
                return 0.0
            return (s - math.copysign(1.0, s)) / math.sqrt(var)
        if test == "prewhiten":
            r = mk.pre_whitening_modification_test(y)
        elif test == "hamed_rao":
            r = mk.hamed_rao_modification_test(y, lag=1)
        elif test == "yue_wang":
            r = mk.yue_wang_modification_test(y, lag=1)
        else:
            r = mk.original_test(y)
    z = float(r.z)
    return z if math.isfinite(z) else 0.0


def trend_test(
    y: Sequence[float] | np.ndarray,
    t: Sequence[float] | np.ndarray | None = None,
    *,
    direction: Literal["up", "down"] = "up",
    test: TrendTestName = "ar1",
) -> Trend:
    """Theil–Sen slope of ``y`` over ``t`` (default 0, 1, 2, ...) and a one-sided modified
    Mann–Kendall p-value for a trend in ``direction``. ``y`` must be in time order."""
    arr = np.asarray(y, dtype=float)
    if len(arr) < MIN_POINTS:
        raise ValueError(f"a trend needs at least {MIN_POINTS} points, got {len(arr)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("a trend needs finite values")
    x = np.arange(len(arr), dtype=float) if t is None else np.asarray(t, dtype=float)
    if flat(arr):  # no change but rounding error: the trend test must not rank its last bits
        arr = np.full(len(arr), arr[0])
        slope, intercept, lo, hi = 0.0, float(arr[0]), 0.0, 0.0
    else:
        res = theilslopes(arr, x, alpha=CONFIDENCE)
        slope, intercept = float(res.slope), float(res.intercept)
        lo, hi = float(res.low_slope), float(res.high_slope)
    z = _mk(arr, test, slope if t is None else None)
    p = float(norm.sf(z) if direction == "up" else norm.cdf(z))
    return Trend(
        slope=slope,
        ci=(lo, hi),
        intercept=intercept,
        z=z,
        p_value=p,
        direction=direction,
        test=test,
        n=len(arr),
    )


def standardized(y: Sequence[float] | np.ndarray) -> np.ndarray:
    """``y`` as z-scores (mean 0, sd 1; a constant series, or one whose spread is rounding
    error (:func:`flat`), is all zeros).

    >>> standardized([1.0, 2.0, 3.0]).tolist()
    [-1.0, 0.0, 1.0]
    """
    arr = np.asarray(y, dtype=float)
    if len(arr) < 2 or flat(arr):
        return np.zeros_like(arr)
    return np.asarray((arr - arr.mean()) / np.std(arr, ddof=1), dtype=float)


def combined(z: np.ndarray) -> list[float]:
    """A sum or difference of z-scores (each of size about 1) rounded to :data:`Z_DIGITS`
    decimals: two series that move in step standardize to the same z-scores but for their last
    bits, and their difference, 1e-16 of rounding error, is exactly 0 again, not a series with
    a trend in it.

    >>> combined(standardized([70.0, 71, 72]) - standardized([0.50, 0.51, 0.52]))
    [0.0, 0.0, 0.0]
    """
    return [float(x) + 0.0 for x in np.round(np.asarray(z, dtype=float), Z_DIGITS)]
