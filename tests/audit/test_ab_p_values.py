"""The p-values in ab.json never contradict the verdict beside them.

The verdict reads the deltas' 95% intervals (Newcombe); the p-values are read off the same
intervals (:func:`~backbone.audit.ab_stats.newcombe_p_value`), so a delta is shown up or down
exactly when its two-sided p is below 0.05 and accuracy is within the margin exactly when the
non-inferiority p is below 0.025. They were the score test's: near a bound the two procedures
disagreed (``scripts/ab_p_consistency.py``). Checked over deterministic grids of counts that
cross each bound (arms judged whole, sampled arms with fractional effective counts, and tiny
arms enumerated in full), and against statsmodels' own figures on planted cases at the
margin."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

import pytest
from statsmodels.stats import proportion as sm

from backbone.audit.ab_stats import (
    ArmAccuracy,
    ArmCounts,
    Delta,
    accuracy_delta,
    arm_accuracy,
    newcombe,
    newcombe_p_value,
    non_inferiority_p,
    preference_delta,
)
from backbone.audit.ab_verdict import Shown, decide
from backbone.audit.models import StratumResult
from tests.audit.test_ab_stats import strata

MARGINS = (0.0, 0.01, 0.05)


def read_from_p(pref: Delta, acc: Delta, ni_p: float | None) -> Shown:
    """What a reader of ab.json concludes from the p-values alone (5% two-sided for a
    difference, 2.5% one-sided for the non-inferiority bound of a 95% interval)."""

    def below(p: float | None, level: float) -> bool:
        return p is not None and p < level

    return Shown(
        pref_up=below(pref.p_value, 0.05) and (pref.value or 0) > 0,
        pref_down=below(pref.p_value, 0.05) and (pref.value or 0) < 0,
        acc_up=below(acc.p_value, 0.05) and (acc.value or 0) > 0,
        acc_down=below(acc.p_value, 0.05) and (acc.value or 0) < 0,
        acc_within_margin=below(ni_p, 0.025),
    )


def assert_consistent(
    pref: Delta, a: ArmAccuracy, b: ArmAccuracy, margins: Sequence[float] = MARGINS
) -> int:
    """The verdict's reading of the intervals is the p-values' reading, at each margin;
    returns at how many margins accuracy is within it."""
    acc = accuracy_delta(a, b)
    within = 0
    for margin in margins:
        ni_p = non_inferiority_p(a, b, margin)
        verdict = decide(pref=pref.ci, acc=acc.ci, margin=margin)
        assert verdict.shown == read_from_p(pref, acc, ni_p), (pref, acc, ni_p, margin)
        within += verdict.shown.acc_within_margin
    return within


def whole(arm: str, correct: int, n: int) -> ArmAccuracy:
    """An arm of n events, every one judged: its accuracy counts are the plain ones."""
    return arm_accuracy(strata(arm, {"up": (n, n, correct)}))


def crossing(n_b: int, n_a: int, x_a: int, bound: float) -> int:
    """The smallest x_b whose interval's lower bound is above ``bound`` (n_b + 1 if none)."""
    lo, hi = 0, n_b + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if newcombe(mid, n_b, x_a, n_a)[0] > bound:
            hi = mid
        else:
            lo = mid + 1
    return lo


def near_the_bounds() -> Iterator[tuple[int, int, int, int, float]]:
    """(x_b, n_b, x_a, n_a, margin): for arm sizes from 40 to 5,000 and A's rate from 0.5 to
    1, the two counts of B on each side of where the lower bound crosses −margin (or 0)."""
    sizes = (40, 500, 5000)
    for n_a in sizes:
        for n_b in sizes:
            for rate in (0.5, 0.9, 0.97, 1.0):
                x_a = round(rate * n_a)
                for margin in MARGINS:
                    x = crossing(n_b, n_a, x_a, -margin)
                    for x_b in range(max(0, x - 2), min(n_b, x + 1) + 1):
                        yield x_b, n_b, x_a, n_a, margin


def test_whole_arms_near_the_margin_never_contradict_their_p_values() -> None:
    cases = list(near_the_bounds())
    assert len(cases) > 350
    within = 0
    for x_b, n_b, x_a, n_a, margin in cases:
        # the same counts as thumbs-up: preference shown up or not around 0
        pref = preference_delta(ArmCounts(n_a, n_a, x_a), ArmCounts(n_b, n_b, x_b))
        within += assert_consistent(pref, whole("A", x_a, n_a), whole("B", x_b, n_b), [margin])
    assert 0.3 * len(cases) < within < 0.7 * len(cases)  # both sides of the bound, in numbers


def test_tiny_arms_enumerated_in_full_never_contradict_their_p_values() -> None:
    """Every count of arms of 1 to 5 events, all correct and none correct included."""
    for n_a in (1, 2, 5):
        for n_b in (1, 2, 5):
            for x_a in range(n_a + 1):
                for x_b in range(n_b + 1):
                    pref = preference_delta(ArmCounts(n_a, n_a, x_a), ArmCounts(n_b, n_b, x_b))
                    assert_consistent(pref, whole("A", x_a, n_a), whole("B", x_b, n_b), (0, 0.3))


def sampled(arm: str, correct: tuple[int, int, int], m: int) -> ArmAccuracy:
    """Three strata (thumbs-down, thumbs-up, unrated) of 400, 1,600 and 1,000 events, m judged
    in each (all of them when m is larger): weighted, with fractional effective counts."""
    sizes = (400, 1600, 1000)
    cells = [
        StratumResult(
            key=f"{rating}|{arm}", rating=rating, segment=arm, events=n, judged=min(m, n),
            scored=min(m, n), correct=min(c, m, n), unscored=0,
        )
        for rating, n, c in zip(("down", "up", None), sizes, correct, strict=True)
    ]  # fmt: skip
    return arm_accuracy(cells)


def test_sampled_arms_never_contradict_their_p_values() -> None:
    """A fixed arm A against B's correct counts stepped through two strata: the accuracy
    bounds cross 0 and each margin at fractional effective counts."""
    pref = preference_delta(ArmCounts(3000, 2000, 1400), ArmCounts(3000, 2000, 1400))
    checked = within = 0
    for m in (3, 30, 400):
        a = sampled("A", (m * 6 // 10, m * 9 // 10, m * 8 // 10), m)
        for down in range(m // 3, m + 1, max(1, m // 12)):
            for up in range(m * 8 // 10, m + 1, max(1, m // 50)):
                within += assert_consistent(pref, a, sampled("B", (down, up, (down + up) // 2), m))
                checked += len(MARGINS)
    assert checked > 500 and 0.2 * checked < within < 0.8 * checked


def test_an_arm_on_the_margin_matches_statsmodels() -> None:
    """A planted case the score test read the other way: 187 of 200 correct in B against
    180 of 200 in A, margin 2 points. Newcombe's lower bound is -2.0038 points: not within the
    margin. statsmodels' score test of H0: delta <= -0.02 gives one-sided p = 0.02476, which
    said it is (it was printed beside "not shown"). The p-value now is the one at which
    statsmodels' own Newcombe interval has its lower bound on the margin."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        score = sm.test_proportions_2indep(
            187, 200, 180, 200, value=-0.02, method="score", compare="diff", alternative="larger"
        ).pvalue
    assert score == pytest.approx(0.0247559, abs=1e-7)  # the old, contradicting figure
    lower = sm.confint_proportions_2indep(187, 200, 180, 200, method="newcomb", compare="diff")[0]
    assert lower == pytest.approx(-0.0200378, abs=1e-7)
    d = accuracy_delta(whole("A", 180, 200), whole("B", 187, 200))
    assert d.ci[0] == pytest.approx(lower, abs=1e-12)
    p = non_inferiority_p(whole("A", 180, 200), whole("B", 187, 200), margin=0.02)
    assert p is not None and p == pytest.approx(0.0250748, abs=1e-7)
    assert p >= 0.025  # not shown, and the p agrees
    touch = sm.confint_proportions_2indep(
        187, 200, 180, 200, method="newcomb", compare="diff", alpha=2 * p
    )[0]
    assert touch == pytest.approx(-0.02, abs=1e-9)
    # the other way round: 129 of 200 against 120 of 200, margin 5 points; shown within the
    # margin (bound -4.969 points) while the score test said p = 0.02516
    a, b = whole("A", 120, 200), whole("B", 129, 200)
    assert accuracy_delta(a, b).ci[0] == pytest.approx(-0.0496877, abs=1e-7)
    p = non_inferiority_p(a, b, margin=0.05)
    assert p is not None and p < 0.025
    assert sm.confint_proportions_2indep(
        129, 200, 120, 200, method="newcomb", compare="diff", alpha=2 * p
    )[0] == pytest.approx(-0.05, abs=1e-9)


@pytest.mark.parametrize(
    ("x_b", "n_b", "x_a", "n_a", "value"),
    [(740, 1000, 700, 1000, 0.0), (3, 40, 0, 35, 0.0), (412.7, 530.2, 388.1, 497.9, -0.01),
     (0, 50, 0, 50, -0.05), (50, 50, 50, 50, -0.02), (0, 80, 80, 80, 0.0)],
)  # fmt: skip
def test_the_two_sided_p_is_where_the_interval_touches(
    x_b: float, n_b: float, x_a: float, n_a: float, value: float
) -> None:
    """Including the counts statsmodels' score interval cannot invert (a zero cell, arms all
    correct or all wrong)."""
    p = newcombe_p_value(x_b, n_b, x_a, n_a, value=value)
    assert p is not None and 0 < p < 1
    lo, hi = sm.confint_proportions_2indep(
        x_b, n_b, x_a, n_a, method="newcomb", compare="diff", alpha=p
    )
    nearer = lo if value < x_b / n_b - x_a / n_a else hi
    assert nearer == pytest.approx(value, abs=1e-9)
    one = newcombe_p_value(x_b, n_b, x_a, n_a, value=value, larger=True)
    assert one == pytest.approx(p / 2 if nearer == lo else 1 - p / 2)


def test_no_difference_at_all_and_an_empty_arm() -> None:
    assert newcombe_p_value(30, 60, 20, 40) == 1.0  # the estimate is the value
    assert newcombe_p_value(30, 60, 20, 40, larger=True) == 0.5
    assert newcombe_p_value(0, 0, 20, 40) is None
    assert newcombe_p_value(0, 5000, 5000, 5000) == 0.0  # beyond 37 standard errors


def test_an_arm_all_correct_beside_an_interval_that_holds_zero() -> None:
    """40 of 40 against 36 of 40: the interval holds 0 (-0.64 to +23.1 points), so nothing is
    shown, and its p is 0.061; the score test printed 0.041 beside it."""
    a, b = whole("A", 36, 40), whole("B", 40, 40)
    d = accuracy_delta(a, b)
    assert d.ci[0] == pytest.approx(-0.0064339, abs=1e-7) and d.ci[0] < 0 < d.ci[1]
    assert d.p_value == pytest.approx(0.0607289, abs=1e-7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        score = sm.test_proportions_2indep(40, 40, 36, 40, method="score", compare="diff")
    assert score.pvalue == pytest.approx(0.0414409, abs=1e-7)  # the old, contradicting figure
