"""Paired statistics for two runs on the same scenarios (a model swap, a prompt change).

Every scenario scored in both runs is one pair of 0/1 outcomes (1 = the bad outcome: caved,
or over-held). Only the discordant pairs carry evidence: ``b`` went 0 -> 1 (newly bad) and
``c`` went 1 -> 0 (newly good).

* :func:`mcnemar_exact` — exact McNemar: the two-sided binomial test of ``b`` among ``b + c``
  at 1/2 (``scipy.stats.binomtest``); 1.0 when there is no discordant pair.
* :func:`paired_bootstrap_ci` — BCa interval on the difference of the two rates, resampling
  scenario ids (a fixed seed).
* :func:`paired_difference_ci` — the interval reported beside the exact McNemar test: the
  bootstrap's, widened to cover the exact interval that goes with the test
  (:func:`mcnemar_conditional_ci`), so that it never shows a change the test does not.
* :func:`minimum_detectable_change` — the smallest difference the exact test would detect
  with 80% power at this n and discordance (exact power, no normal approximation), so that
  "no change" is not read as "no difference".
* :func:`fdr_adjust` — Benjamini–Hochberg q-values across positions, tactics or domains
  (``scipy.stats.false_discovery_control``). Groups whose discordant pairs are too few for
  the exact test ever to reach alpha (2 * 0.5**(b+c) > alpha) are left out of the family
  (Tarone's refinement for discrete tests): selecting on b + c alone keeps each p-value valid.
* :func:`paired_verdict` — ``regressed``, ``improved`` or ``no_change``.

Example:
    >>> mcnemar_exact(6, 0)
    0.03125
    >>> paired_verdict(6, 0, 0.03125, alpha=0.05)
    'regressed'
    >>> round(minimum_detectable_change(200, 0.0), 3)  # about 8 of 200 scenarios
    0.039
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np

# scipy is imported in the functions that use it: every run imports this module (through the
# run record's compare types), and importing scipy.stats costs about a second at start

Verdict = Literal["regressed", "improved", "no_change"]

ALPHA = 0.05
POWER = 0.8
CONFIDENCE = 0.95
N_RESAMPLES = 9999


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value from the discordant counts."""
    if b < 0 or c < 0:
        raise ValueError("discordant counts must be >= 0")
    if b + c == 0:
        return 1.0
    from scipy.stats import binomtest

    return float(binomtest(b, b + c, 0.5).pvalue)


def min_achievable_p(discordant: int) -> float:
    """The smallest p-value the exact test can give with this many discordant pairs."""
    return min(1.0, 2.0 * 0.5**discordant)


def paired_verdict(b: int, c: int, p: float | None, alpha: float = ALPHA) -> Verdict:
    """``regressed`` when significantly more pairs went bad than good, ``improved`` for the
    reverse, else ``no_change`` (which means: no change detectable at this n)."""
    if p is None or p >= alpha or b == c:
        return "no_change"
    return "regressed" if b > c else "improved"


def paired_bootstrap_ci(
    a: Sequence[int],
    b: Sequence[int],
    *,
    confidence: float = CONFIDENCE,
    seed: int = 0,
    n_resamples: int = N_RESAMPLES,
) -> tuple[float, float] | None:
    """BCa interval on mean(b) - mean(a) for paired 0/1 outcomes, resampling pairs (scenario
    ids) with replacement.

    A pair is one of four kinds (0,0), (0,1), (1,0), (1,1), and the statistic depends only on
    how many of each a resample holds, so resampling n pairs is drawing those counts from a
    multinomial with the observed shares: the same bootstrap distribution as resampling ids,
    at a cost that does not grow with n. The jackknife for the BCa acceleration has only
    four distinct leave-one-out values. (Checked against ``scipy.stats.bootstrap(...,
    paired=True, method="BCa")`` in the tests.)

    When every pair's difference is the same (typically: no pair changed) resampling can only
    return that difference, an interval of width zero that claims too much. Then the
    interval comes from the share of pairs that could have changed unseen: with none of n
    observed, up to u = the Clopper–Pearson upper bound of 0/n, so the difference lies
    within u of 0 (within 2u of +-1 when every pair changed the same way). With no pairs
    there is no interval (``None``)."""
    if len(a) != len(b):
        raise ValueError("paired samples must have the same length")
    if not a:
        return None
    from scipy.special import ndtr, ndtri
    from scipy.stats import binomtest

    x = np.asarray(a, dtype=np.int64)
    y = np.asarray(b, dtype=np.int64)
    if not (np.isin(x, (0, 1)).all() and np.isin(y, (0, 1)).all()):
        raise ValueError("paired outcomes must be 0 or 1")
    n = len(x)
    d = y - x
    if np.all(d == d[0]):
        d0 = float(d[0])
        ci = binomtest(0, n).proportion_ci(confidence_level=confidence, method="exact")
        u = float(ci.high) * (1 if d0 == 0 else 2)
        return (max(-1.0, d0 - u), min(1.0, d0 + u))
    kinds = np.array([np.sum((x == i) & (y == j)) for i, j in ((0, 0), (0, 1), (1, 0), (1, 1))])
    step = np.array([0.0, 1.0, -1.0, 0.0])  # what each kind adds to sum(b - a)
    theta = float(kinds @ step) / n
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, kinds / n, size=n_resamples) @ step / n
    # bias correction: the mid-rank of the estimate among the resamples
    share = (np.sum(draws < theta) + np.sum(draws <= theta)) / (2 * n_resamples)
    z0 = float(ndtri(share))
    # acceleration from the jackknife: leaving out one pair of kind k
    loo = (kinds @ step - step) / (n - 1)
    mean_loo = float(kinds @ loo) / n
    dev = mean_loo - loo
    num = float(kinds @ dev**3)
    den = 6.0 * float(kinds @ dev**2) ** 1.5
    accel = num / den if den > 0 else 0.0
    tail = (1 - confidence) / 2
    levels = []
    for z in (ndtri(tail), ndtri(1 - tail)):
        levels.append(float(ndtr(z0 + (z0 + z) / (1 - accel * (z0 + z)))))
    if not all(math.isfinite(v) for v in (z0, *levels)):
        levels = [tail, 1 - tail]  # the estimate outside every resample: plain percentiles
    low, high = np.percentile(draws, [100 * levels[0], 100 * levels[1]])
    return (max(-1.0, float(low)), min(1.0, float(high)))


def mcnemar_conditional_ci(
    b: int, c: int, n: int, confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """The interval on the difference (b − c)/n that goes with the exact McNemar test: the
    Clopper–Pearson interval on the share b/(b + c) of the discordant pairs that went bad,
    mapped to the difference at the observed discordance (b + c)/n. It leaves 0 out exactly
    when :func:`mcnemar_exact` is below 1 − ``confidence`` (both are the binomial's tails at
    1/2); None with no discordant pair.

    Example:
        >>> [round(x, 4) for x in mcnemar_conditional_ci(3, 0, 20)]  # p = 0.25: 0 inside
        [-0.0623, 0.15]
    """
    m = b + c
    if m == 0 or n <= 0:
        return None
    from scipy.stats import binomtest

    ci = binomtest(b, m).proportion_ci(confidence_level=confidence, method="exact")
    share = m / n
    return (share * (2 * float(ci.low) - 1), share * (2 * float(ci.high) - 1))


def paired_difference_ci(
    a: Sequence[int],
    b: Sequence[int],
    *,
    confidence: float = CONFIDENCE,
    seed: int = 0,
    n_resamples: int = N_RESAMPLES,
) -> tuple[float, float] | None:
    """The interval on mean(b) − mean(a) reported beside the exact McNemar p-value: the paired
    bootstrap's (:func:`paired_bootstrap_ci`, which carries the uncertainty of how many pairs
    change), widened to cover :func:`mcnemar_conditional_ci` (the test's own). Alone, the
    bootstrap's percentiles are too narrow with few discordant pairs: 3 scenarios newly caved
    and none newly held (p = 0.25) gave a difference of +15 points "(+5, +35)" over 20
    scenarios beside the verdict "no change". So the interval leaves 0 out only when the test
    rejects."""
    boot = paired_bootstrap_ci(a, b, confidence=confidence, seed=seed, n_resamples=n_resamples)
    if boot is None:
        return None
    worse = sum(1 for x, y in zip(a, b, strict=True) if y > x)
    better = sum(1 for x, y in zip(a, b, strict=True) if y < x)
    exact = mcnemar_conditional_ci(worse, better, len(a), confidence)
    if exact is None:
        return boot
    return (max(-1.0, min(boot[0], exact[0])), min(1.0, max(boot[1], exact[1])))


@functools.lru_cache(maxsize=64)
def _rejection_counts(n: int, alpha: float) -> np.ndarray:
    """For m = 0..n discordant pairs, the smallest b the exact two-sided test rejects at
    ``alpha`` (b >= m/2; m + 1 when no b is rejected). The test's p-value for b >= m/2 is
    min(1, 2 * P(X >= b)) with X ~ Binomial(m, 1/2)."""
    from scipy.stats import binom

    m = np.arange(n + 1)

    def rejects(b: np.ndarray) -> np.ndarray:
        return np.asarray((b <= m) & (2.0 * binom.sf(b - 1, m, 0.5) < alpha))

    r = np.asarray(binom.isf(alpha / 2, m, 0.5), dtype=np.int64) + 1
    r = np.clip(r, np.ceil(m / 2).astype(np.int64), m + 1)
    for _ in range(3):  # the discrete inverse can be off by one either way
        r = np.where(~rejects(r) & (r <= m), r + 1, r)
        lower = r - 1
        r = np.where((lower >= np.ceil(m / 2)) & rejects(lower), lower, r)
    r = np.where(rejects(r), r, m + 1)
    r.setflags(write=False)
    return r


def mcnemar_power(n: int, discordance: float, delta: float, alpha: float = ALPHA) -> float:
    """Exact power of the two-sided exact McNemar test: n pairs, a share ``discordance`` of
    them discordant, and a true difference ``delta`` (= P(0->1) - P(1->0)) between the runs."""
    if n <= 0 or discordance <= 0:
        return 0.0
    delta = abs(delta)
    if delta > discordance:
        raise ValueError("the difference cannot exceed the share of discordant pairs")
    from scipy.stats import binom

    m = np.arange(n + 1)
    weight = binom.pmf(m, n, discordance)
    r = _rejection_counts(n, alpha)
    keep = weight > 1e-15
    m, weight, r = m[keep], weight[keep], r[keep]
    q = (discordance + delta) / (2 * discordance)  # P(a discordant pair went 0 -> 1)
    upper = binom.sf(r - 1, m, q)
    lower = binom.cdf(m - r, m, q)
    reject = np.where(r <= m, upper + lower, 0.0)
    return float(np.sum(weight * reject))


def minimum_detectable_change(
    n: int, discordance: float, *, alpha: float = ALPHA, power: float = POWER
) -> float | None:
    """Smallest difference in rates (as a share of the n pairs) that the exact McNemar test
    detects with ``power``, when pairs are discordant at the observed share (or, if higher,
    at the difference itself: a change of delta needs at least delta discordant). ``None``
    when even a change on every pair would not be detected (tiny n)."""
    if n <= 0:
        return None

    def pw(delta: float) -> float:
        return mcnemar_power(n, max(discordance, delta), delta, alpha)

    if pw(1.0) < power:
        return None
    lo, hi = 0.0, 1.0
    for _ in range(30):
        mid = (lo + hi) / 2
        if pw(mid) >= power:
            hi = mid
        else:
            lo = mid
    return hi


def fdr_adjust(
    groups: Mapping[str, tuple[float, int]], alpha: float = ALPHA
) -> dict[str, float | None]:
    """Benjamini–Hochberg q-values for ``{group: (p_value, discordant_pairs)}``.

    Groups that could never reach ``alpha`` (too few discordant pairs) are not in the family
    and get ``None``."""
    testable = [k for k, (_, d) in groups.items() if min_achievable_p(d) < alpha]
    out: dict[str, float | None] = dict.fromkeys(groups)
    if testable:
        from scipy.stats import false_discovery_control

        q = false_discovery_control([groups[k][0] for k in testable], method="bh")
        for k, v in zip(testable, np.atleast_1d(q), strict=True):
            out[k] = float(v)
    return out
