"""The tells' statistics against second computations: Theil–Sen against the median of the
pairwise slopes, Mann–Kendall's S against Kendall's tau, the ar1 correction against the plain
test when there is no autocorrelation, the one-sided log-rank against lifelines' chi-square
(O − E and its hypergeometric variance by hand), Holm against the step-down by hand, the task
index and the standardized gap, and the ticket synonyms."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pymannkendall as mk
import pytest
from scipy.stats import kendalltau, norm

from backbone.audit.tells.churn import durations, logrank_one_sided, power_flags
from backbone.audit.tells.decide import decide, holm
from backbone.audit.tells.evals import standardized_gap
from backbone.audit.tells.feedback import UserActivity
from backbone.audit.tells.model import Measured
from backbone.audit.tells.satisfaction import task_index
from backbone.audit.tells.tickets import TicketMapper
from backbone.audit.tells.trend import ar1_variance_ratio, lag1_autocorrelation, trend_test
from backbone.core.errors import InputError

SERIES = [3.0, 5.0, 4.0, 6.0, 9.0, 7.0, 8.0, 12.0, 10.0, 11.0, 15.0, 13.0]


def test_theil_sen_slope_is_the_median_pairwise_slope_and_p_is_one_sided() -> None:
    t = trend_test(SERIES)
    pairs = [(SERIES[j] - SERIES[i]) / (j - i) for i, j in itertools.combinations(range(12), 2)]
    assert t.slope == pytest.approx(float(np.median(pairs)))
    assert t.ci[0] <= t.slope <= t.ci[1]
    down = trend_test(SERIES, direction="down")
    assert t.p_value + down.p_value == pytest.approx(1.0)  # the two tails of one z
    assert t.p_value < 0.01 < 0.99 < down.p_value
    assert trend_test(SERIES[::-1]).p_value > 0.99


def test_mann_kendall_s_is_kendalls_tau_and_ar1_reduces_to_it_without_autocorrelation() -> None:
    base = mk.original_test(SERIES)
    tau = kendalltau(np.arange(12), SERIES).statistic
    assert base.s == pytest.approx(tau * 12 * 11 / 2)  # no ties: S = tau * n(n-1)/2
    # with r = 0 the variance is untouched and the ar1 test is the original one-sided test
    assert ar1_variance_ratio(12, 0.0) == 1.0
    zigzag = np.array([1.0, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8])  # residual lag-1 correlation < 0
    assert lag1_autocorrelation(zigzag) == 0.0
    plain = mk.original_test(zigzag)
    assert trend_test(zigzag).p_value == pytest.approx(norm.sf(plain.z))
    # positive autocorrelation inflates the variance, so the same S is less significant
    assert ar1_variance_ratio(26, 0.5) > ar1_variance_ratio(26, 0.2) > 1.0
    smooth = np.array([0, 0.2, 0.5, 0.6, 0.4, 0.3, 0.5, 0.8, 1.0, 0.9, 0.7, 0.8, 1.1, 1.3])
    assert lag1_autocorrelation(smooth) > 0
    assert trend_test(smooth).p_value > trend_test(smooth, test="original").p_value


def test_log_rank_one_sided_matches_lifelines_and_points_at_faster_churn() -> None:
    rng = np.random.default_rng(7)
    users = []
    for i in range(120):
        power = i < 20
        first = int(rng.integers(0, 5))
        life = int(rng.geometric(0.35 if power else 0.1))
        users.append(UserActivity(f"u{i}", first, min(first + life - 1, 11), 3, power))
    t, churned, pw = durations(users, 12, [u.power is True for u in users])
    res = logrank_one_sided(t, churned, pw)
    # O - E and the hypergeometric variance by hand give lifelines' chi-square
    o, e, v = 0.0, 0.0, 0.0
    for time in np.unique(t[churned]):
        at_risk = t >= time
        n, n1 = at_risk.sum(), (at_risk & pw).sum()
        d = (churned & (t == time)).sum()
        o += (churned & (t == time) & pw).sum()
        e += d * n1 / n
        v += d * (n1 / n) * (1 - n1 / n) * (n - d) / max(n - 1, 1)
    assert res["observed_power"] == o and res["expected_power"] == pytest.approx(e)
    assert res["chi2"] == pytest.approx((o - e) ** 2 / v, rel=1e-6)
    assert o > e and res["p_value"] == pytest.approx(res["p_two_sided"] / 2)
    # the other way round (casual churning faster) is far from significant one-sided
    flipped = logrank_one_sided(t, churned, ~pw)
    assert flipped["p_value"] == pytest.approx(1 - res["p_two_sided"] / 2)


def test_power_users_are_the_column_or_the_top_decile_by_events_before_the_landmark() -> None:
    # activity is the events before the landmark (``early``), the same span for every user:
    # u24's 60 events in all (most after the landmark) rank below u23's 23 before it
    users = [
        UserActivity(f"u{i:02d}", 0, 9, events=60 if i == 24 else i, power=None, early=i)
        for i in range(24)
    ]
    users.append(UserActivity("u24", 0, 9, events=60, power=None, early=20))
    users.append(UserActivity("old", 0, 9, events=50, power=None, early=2))
    flags, how = power_flags(users, from_column=False)
    assert [u.user for u, f in zip(users, flags, strict=True) if f] == ["u21", "u22", "u23"]
    assert "top decile" in how and "events before their landmark" in how
    assert "3 users, 21+ each" in how
    marked = [UserActivity("a", 0, 1, 1, True), UserActivity("b", 0, 1, 99, False)]
    assert power_flags(marked, from_column=True)[0] == [True, False]
    with pytest.raises(ValueError, match="before the landmark"):
        power_flags(marked, from_column=False)  # not counted: the log had a column


def test_churn_is_no_event_in_the_last_period_or_the_active_window() -> None:
    users = [
        UserActivity(f"u{i}", first=1, last=last, events=3, power=None)
        for i, last in enumerate((3, 7, 8, 9))
    ]
    t, churned, _ = durations(users, 10, [False] * 4)
    assert t.tolist() == [3.0, 7.0, 8.0, 9.0]
    assert churned.tolist() == [True, True, True, False]  # only u3 posted in period 9
    _, within3, _ = durations(users, 10, [False] * 4, window=3)
    assert within3.tolist() == [True, False, False, False]  # periods 7-9 count as active


def test_holm_matches_the_step_down_and_decides_only_available_tells() -> None:
    p = [0.01, 0.04, 0.03]
    # by hand: sorted 0.01*3, 0.03*2, 0.04*1 with the running maximum
    assert holm(p) == pytest.approx([0.03, 0.06, 0.06])
    measured = [
        Measured(
            name="satisfaction_vs_task",
            available=True,
            p_raw=0.001,
            condition=False,
            condition_reason="the task index is rising too",
        ),
        Measured(name="power_user_churn", available=True, p_raw=0.01),
        Measured(name="ticket_shift", available=True, p_raw=0.03),
        Measured(name="eval_divergence", available=False, reason="no --evals table"),
    ]
    tells = {t.name: t for t in decide(measured, alpha=0.05)}
    assert tells["satisfaction_vs_task"].on is False
    assert "task index is rising too" in tells["satisfaction_vs_task"].why
    # Holm over three: 0.001 * 3, 0.01 * 2, 0.03 * 1
    assert tells["power_user_churn"].on and tells["power_user_churn"].p_value == pytest.approx(0.02)
    assert tells["ticket_shift"].on and tells["ticket_shift"].p_value == pytest.approx(0.03)
    strict = {t.name: t for t in decide(measured, alpha=0.025)}
    assert strict["power_user_churn"].on and not strict["ticket_shift"].on
    assert "Holm-corrected 0.03 > alpha 0.025" in strict["ticket_shift"].why
    ev = tells["eval_divergence"]
    assert (ev.on, ev.available, ev.p_value) == (False, False, None)


def test_task_index_negates_lower_is_better_and_gap_is_standardized() -> None:
    index = task_index({"accuracy": [1.0, 2.0, 3.0], "dispute_rate": [3.0, 2.0, 1.0]})
    assert index == pytest.approx([-1.0, 0.0, 1.0])  # both improving, equally
    gap = standardized_gap([10.0, 20.0, 30.0], [0.5, 0.5, 0.5])
    assert gap == pytest.approx([-1.0, 0.0, 1.0])
    same = standardized_gap([70.0, 75.0, 80.0, 90.0], [0.70, 0.75, 0.80, 0.90])
    assert max(abs(g) for g in same) < 1e-9  # moving together: no gap


def test_ticket_categories_map_by_synonym_then_by_the_users_pairs() -> None:
    m = TicketMapper.build(["Refund please=agreed_then_burned", "wrong=other"])
    assert m.bucket("  The AI was WRONG ") == "wrong"
    assert m.bucket("agreed-with-me") == "agreed_then_burned"
    assert m.bucket("refund please") == "agreed_then_burned"
    assert m.bucket("Wrong") == "other"  # the user's pair wins over the built-in synonym
    assert m.bucket("login") == "other"
    with pytest.raises(InputError) as err:
        TicketMapper.build(["nonsense", "x=maybe"])
    text = str(err.value)
    assert "'nonsense': expected CATEGORY=BUCKET" in text and "unknown bucket 'maybe'" in text


def test_few_churns_take_the_permutation_p_value() -> None:
    """One power user of five leaving among 20 users, nobody else: the chi-square gave
    p = 0.042 and switched the tell on (tells.json: power_user_churn on, alone enough at
    alpha 0.05); one deal of the labels in four puts that churn on a power user, p = 0.25."""
    t = np.array([4.0] + [10.0] * 19)
    churned = np.arange(20) == 0
    power = np.arange(20) < 5
    res = logrank_one_sided(t, churned, power)
    assert res["chi2"] == pytest.approx(3.0) and res["expected_power"] == pytest.approx(0.25)
    assert res["p_value"] == pytest.approx(0.25, abs=0.01)
    assert res["method"].startswith("permutation")
    # against every deal of the labels, on a small case with ties and censoring
    rng = np.random.default_rng(3)
    t = rng.integers(1, 6, 12).astype(float)
    churned = rng.random(12) < 0.5
    power = np.arange(12) < 4

    def z(labels: np.ndarray) -> float:
        o = e = v = 0.0
        for time in np.unique(t[churned]):
            at_risk = t >= time
            n, n1 = at_risk.sum(), (at_risk & labels).sum()
            d = (churned & (t == time)).sum()
            o += (churned & (t == time) & labels).sum()
            e += d * n1 / n
            v += d * (n1 / n) * (1 - n1 / n) * (n - d) / max(n - 1, 1)
        return float((o - e) / math.sqrt(v)) if v > 0 else 0.0

    deals = []
    for chosen in itertools.combinations(range(12), 4):
        labels = np.zeros(12, dtype=bool)
        labels[list(chosen)] = True
        deals.append(z(labels))
    exact = float(np.mean(np.array(deals) >= z(power) - 1e-9))
    assert logrank_one_sided(t, churned, power)["p_value"] == pytest.approx(exact, abs=0.01)
    # with enough churns on both sides the chi-square p-value stays (see the test above)
    many = logrank_one_sided(
        np.array([1.0, 2.0] * 30), np.array([True] * 60), power=np.arange(60) < 20
    )
    assert many["method"] == "log-rank chi-square"
