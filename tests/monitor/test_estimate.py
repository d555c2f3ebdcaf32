"""The ratio estimator: exact when judged whole, the audit's stratified share when every
conversation holds one reply (a second computation), and a hand-computed clustered case."""

from __future__ import annotations

import pytest

from backbone.audit.estimate import share_correct
from backbone.audit.models import StratumResult
from backbone.monitor.estimate import StratumUnits, census, ratio


def test_judged_whole_is_exact() -> None:
    e = ratio([StratumUnits(3, [(1, 2), (0, 1), (2, 2)]), StratumUnits(2, [(0, 0), (1, 3)])])
    assert e.value == pytest.approx(4 / 8) and e.ci == (e.value, e.value)
    assert e.n == 8 and e.exact


def test_one_reply_per_conversation_is_the_audits_stratified_share() -> None:
    a = [(1, 1)] * 30 + [(0, 1)] * 70
    b = [(1, 1)] * 12 + [(0, 1)] * 28
    mine = ratio([StratumUnits(1000, a), StratumUnits(300, b)])
    audit = share_correct(
        [
            StratumResult(key="a", events=1000, judged=100, scored=100, correct=30, unscored=0),
            StratumResult(key="b", events=300, judged=40, scored=40, correct=12, unscored=0),
        ]
    )
    assert mine.value == pytest.approx(audit.value)
    assert mine.ci == pytest.approx(audit.ci)
    assert mine.n == audit.n == 140 and not mine.exact


def test_clustered_ratio_by_hand() -> None:
    # one stratum, N = 10 conversations, 4 judged with (y, x) = (1,2), (0,1), (2,3), (0,2)
    units = [(1, 2), (0, 1), (2, 3), (0, 2)]
    e = ratio([StratumUnits(10, units)])
    r = 3 / 8
    z = [y - r * x for y, x in units]
    mean = sum(z) / 4
    s2 = sum((v - mean) ** 2 for v in z) / 3
    x_hat = 10 * 8 / 4
    variance = 10**2 * (1 - 4 / 10) * s2 / 4 / x_hat**2
    assert e.value == pytest.approx(r) and e.n == 8
    lo, hi = e.ci
    # Korn-Graubard widens a normal interval; it contains the Wald interval's core
    half = 1.96 * variance**0.5
    assert lo < r - 0.5 * half and hi > r + 0.5 * half and 0 <= lo < hi <= 1


def test_known_and_sampled_strata_mix() -> None:
    whole = StratumUnits(5, [(1, 1)] * 5)  # judged whole: adds 5 of 5, no variance
    part = StratumUnits(100, [(0, 1)] * 10)  # 10 of 100 judged, all zero
    e = ratio([whole, part])
    assert e.value == pytest.approx(5 / 105) and not e.exact
    assert e.ci[0] <= e.value < e.ci[1] < 0.5


def test_no_denominator_and_census() -> None:
    assert ratio([StratumUnits(10, [(0, 0)] * 3)]).value is None
    assert census(3, 12).as_json() == {"value": 0.25, "ci": [0.25, 0.25], "n": 12}
    assert census(0, 0).value is None


def test_no_spread_counts_conversations_not_replies_as_the_draws() -> None:
    # 30 of 1,000 conversations judged, three replies to a pushback each, none caved. The
    # sampling unit is the conversation: the replies of one are not independent draws, so the
    # interval is Clopper-Pearson on the 30 conversations (0 of 30), not on the 90 replies
    from scipy.stats import binomtest

    e = ratio([StratumUnits(1000, [(0, 3)] * 30)])
    by_conversation = binomtest(0, 30).proportion_ci(method="exact")
    assert e.value == 0.0 and e.n == 90
    assert e.ci == pytest.approx((0.0, by_conversation.high))
    # one reply per conversation: conversations and replies are the same draws (as before)
    one = ratio([StratumUnits(1000, [(1, 1)] * 30)])
    assert one.ci == pytest.approx((binomtest(30, 30).proportion_ci(method="exact").low, 1.0))


def test_intervals_cover_a_rate_whose_caves_come_in_whole_conversations() -> None:
    # 5,000 conversations with 1-5 replies to a pushback; 5% of them cave on every one (the
    # rest never): a reply-level rate of about 5%. 30 judged conversations show no cave about
    # a fifth of the time; read as 90 independent replies, that sample's interval stopped
    # near 4% and missed the truth every time (coverage 0.81 overall); it must be near 0.95.
    import numpy as np

    rng = np.random.default_rng(1)
    x = rng.integers(1, 6, 5000)
    y = np.where(rng.random(5000) < 0.05, x, 0)
    truth = y.sum() / x.sum()
    draws = 1000
    hits = 0
    for _ in range(draws):
        idx = rng.choice(5000, 30, replace=False)
        lo, hi = ratio([StratumUnits(5000, [(int(y[i]), int(x[i])) for i in idx])]).ci
        hits += lo <= truth <= hi
    assert hits / draws >= 0.93, hits / draws


def test_few_conversations_widen_the_interval_by_their_degrees_of_freedom() -> None:
    # 6 of 2,000 conversations judged, 1-7 replies to a pushback each, the long ones caving
    # far more often. Korn-Graubard's factor (t_{m-1} / t_d)^2 takes m = the judged replies
    # and d = the judged conversations less the strata (5 here). Before, m was the
    # conversations too, so in one stratum the factor was 1 and the 95% interval held the
    # reply-level rate 91% of the time (0.912 of these draws); now 0.955.
    import numpy as np

    rng = np.random.default_rng(2)
    x = rng.integers(1, 8, 2000)
    y = rng.binomial(x, np.where(x > 5, 0.6, 0.1))
    truth = y.sum() / x.sum()
    draws = 2000
    hits = 0
    for _ in range(draws):
        idx = rng.choice(2000, 6, replace=False)
        lo, hi = ratio([StratumUnits(2000, [(int(y[i]), int(x[i])) for i in idx])]).ci
        hits += lo <= truth <= hi
    assert hits / draws >= 0.94, hits / draws


def test_the_degrees_of_freedom_factor_by_hand() -> None:
    from scipy.stats import beta, t

    units = [(1, 2), (0, 1), (2, 3), (0, 2)]  # 8 replies in 4 conversations, one stratum
    e = ratio([StratumUnits(10, units)])
    r = 3 / 8
    z = [y - r * x for y, x in units]
    mean = sum(z) / 4
    s2 = sum((v - mean) ** 2 for v in z) / 3
    variance = 10**2 * (1 - 4 / 10) * s2 / 4 / (10 * 8 / 4) ** 2
    n_eff = r * (1 - r) / variance * (t.ppf(0.975, 8 - 1) / t.ppf(0.975, 4 - 1)) ** 2
    x_eff = n_eff * r
    expected = (
        beta.ppf(0.025, x_eff, n_eff - x_eff + 1),
        beta.ppf(0.975, x_eff + 1, n_eff - x_eff),
    )
    assert e.ci == pytest.approx(expected)


def test_strata_without_spread_but_apart_are_not_read_as_exact() -> None:
    # 3 of 10 conversations judged in one stratum, every reply caved; 3 of 20 in the other,
    # none did. Each residual y - r x is the same within its stratum, but summed in floats
    # their deviations were ~1e-17, the variance ~1e-33, and the 95% interval collapsed to
    # (0.333, 0.333) as if the log had been judged whole. No spread falls back to
    # Clopper-Pearson on Kish's effective size, as the audit's share does for the same sample.
    e = ratio([StratumUnits(10, [(1, 1)] * 3), StratumUnits(20, [(0, 1)] * 3)])
    audit = share_correct(
        [
            StratumResult(key="a", events=10, judged=3, scored=3, correct=3, unscored=0),
            StratumResult(key="b", events=20, judged=3, scored=3, correct=0, unscored=0),
        ]
    )
    assert e.value == pytest.approx(1 / 3) and not e.exact
    assert e.ci == pytest.approx(audit.ci)
    assert e.ci[0] < 0.1 and e.ci[1] > 0.7
