"""Wilson intervals agree with a second implementation (statsmodels) and behave at the edges."""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import proportion_confint

from backbone.metrics.rates import wilson


@pytest.mark.parametrize(
    ("x", "n"), [(0, 1), (1, 1), (0, 10), (3, 10), (10, 10), (7, 200), (199, 200)]
)
def test_wilson_matches_statsmodels(x: int, n: int) -> None:
    r = wilson(x, n)
    lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
    assert r.value == pytest.approx(x / n)
    assert r.ci == pytest.approx((lo, hi), abs=1e-9)
    assert r.n == n
    assert 0.0 <= r.ci[0] <= r.value <= r.ci[1] <= 1.0


def test_empty_rate_has_no_value_and_the_whole_interval() -> None:
    r = wilson(0, 0)
    assert (r.value, r.ci, r.n) == (None, (0.0, 1.0), 0)


def test_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        wilson(3, 2)
    with pytest.raises(ValueError):
        wilson(-1, 2)


def test_interval_narrows_with_n() -> None:
    small, large = wilson(3, 10), wilson(300, 1000)
    assert (small.ci[1] - small.ci[0]) > 3 * (large.ci[1] - large.ci[0])


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_wilson_matches_scipy_on_every_count_up_to_sixty(confidence: float) -> None:
    from scipy.stats import binomtest

    for n in range(1, 61):
        for x in range(n + 1):
            ci = binomtest(x, n).proportion_ci(confidence_level=confidence, method="wilson")
            assert wilson(x, n, confidence).ci == pytest.approx((ci.low, ci.high), abs=1e-12), (
                x,
                n,
            )
