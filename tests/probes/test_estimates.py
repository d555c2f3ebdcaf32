"""The clustered rate of the cues and bombing probes: its interval holds the reply-level rate
as often as it says when few conversations carry many replies."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import beta, t

from backbone.probes.estimates import clustered_rate


def test_few_conversations_widen_the_interval_by_their_degrees_of_freedom() -> None:
    # 6 conversations of 1-7 replies each, the long ones giving way far more often (0.6 a
    # reply against 0.1). Before: n_eff came from the conversations' variance but Clopper-
    # Pearson read it as that many independent replies, and the 95% interval held the
    # reply-level rate 92% of the time (0.921 of these draws); now 0.976.
    rng = np.random.default_rng(4)
    sizes = np.arange(1, 8)
    truth = sum(x * (0.6 if x > 5 else 0.1) for x in sizes) / sizes.sum()
    draws = 2000
    hits = 0
    for _ in range(draws):
        x = rng.integers(1, 8, 6)
        y = rng.binomial(x, np.where(x > 5, 0.6, 0.1))
        lo, hi = clustered_rate(list(zip(y.tolist(), x.tolist(), strict=True))).ci
        hits += lo <= truth <= hi
    assert hits / draws >= 0.94, hits / draws


def test_the_degrees_of_freedom_factor_by_hand() -> None:
    groups = [(1, 2), (0, 1), (2, 3), (0, 2)]  # 3 of 8 replies in 4 conversations
    fig = clustered_rate(groups)
    p = 3 / 8
    var = 4 / 3 * sum((x - p * n) ** 2 for x, n in groups) / 8**2
    n_eff = p * (1 - p) / var * (t.ppf(0.975, 8 - 1) / t.ppf(0.975, 4 - 1)) ** 2
    x = n_eff * p
    assert fig.ci == pytest.approx(
        (beta.ppf(0.025, x, n_eff - x + 1), beta.ppf(0.975, x + 1, n_eff - x))
    )
    assert fig.n == 8 and fig.model_extra["clusters"] == 4
