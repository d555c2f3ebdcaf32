"""The A/B statistics as pure functions: Newcombe's interval against a second, hand-written
computation; an arm judged whole gives plain Newcombe on its exact counts and an interval that
does not collapse; the two-phase variance of a sampled arm against a simulation of the arm's
traffic; the verdict rules; required_n."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backbone.audit.ab_stats import (
    ArmCounts,
    accuracy_delta,
    arm_accuracy,
    newcombe,
    preference_delta,
)
from backbone.audit.ab_verdict import Effects, decide, required_n, rule, shown
from backbone.audit.models import StratumResult

Z = 1.959963984540054


def wilson_by_hand(x: float, n: float) -> tuple[float, float]:
    centre = (x + Z * Z / 2) / (n + Z * Z)
    half = Z / (n + Z * Z) * math.sqrt(x * (n - x) / n + Z * Z / 4)
    return centre - half, centre + half


def newcombe_by_hand(x1: float, n1: float, x2: float, n2: float) -> tuple[float, float]:
    """Newcombe (1998) method 10 for p1 − p2, from the two Wilson intervals."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_by_hand(x1, n1)
    l2, u2 = wilson_by_hand(x2, n2)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt(
        (u1 - p1) ** 2 + (p2 - l2) ** 2
    )


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"),
    [(740, 1000, 700, 1000), (56, 70, 48, 80), (3, 40, 0, 35), (412.7, 530.2, 388.1, 497.9)],
)
def test_newcombe_matches_a_hand_computation(x1: float, n1: float, x2: float, n2: float) -> None:
    lo, hi = newcombe(x1, n1, x2, n2)
    want = newcombe_by_hand(x1, n1, x2, n2)
    assert (lo, hi) == pytest.approx(want, abs=1e-9)


def strata(arm: str, cells: dict[str, tuple[int, int, int]]) -> list[StratumResult]:
    """cells[rating] = (events N_h, scored m_h, correct c_h); nothing unscored."""
    return [
        StratumResult(
            key=f"{r}|{arm}",
            rating=r,  # type: ignore[arg-type]
            segment=arm,
            events=n,
            judged=m,
            scored=m,
            correct=c,
            unscored=0,
        )
        for r, (n, m, c) in cells.items()
    ]


def test_an_arm_judged_whole_is_plain_newcombe_and_does_not_collapse() -> None:
    a = arm_accuracy(strata("A", {"down": (600, 600, 416), "up": (1400, 1400, 1184)}))
    b = arm_accuracy(strata("B", {"down": (520, 520, 337), "up": (1480, 1480, 1223)}))
    assert a.value == pytest.approx(1600 / 2000) and b.value == pytest.approx(1560 / 2000)
    assert (a.n_eff, a.x_eff) == pytest.approx((2000, 1600))
    assert a.design_effect == pytest.approx(1.0)
    d = accuracy_delta(a, b)
    assert d.value == pytest.approx(-0.02)
    assert d.ci == pytest.approx(newcombe_by_hand(1560, 2000, 1600, 2000), abs=1e-9)
    assert d.ci[1] - d.ci[0] > 0.04  # the arms' rates, not this log's counts
    assert d.n == 4000


def test_preference_delta_is_newcombe_on_the_exact_counts() -> None:
    d = preference_delta(ArmCounts(2000, 2000, 1400), ArmCounts(2000, 1990, 1480))
    assert d.value == pytest.approx(1480 / 1990 - 0.7)
    assert d.ci == pytest.approx(newcombe_by_hand(1480, 1990, 1400, 2000), abs=1e-9)
    assert d.n == 3990 and d.p_value is not None and d.p_value < 0.01


def test_the_two_phase_variance_matches_a_simulation_of_the_arms_traffic() -> None:
    """Arms of N = 2000 events drawn again and again from the same traffic (P(correct) 0.8,
    P(up | correct) 0.8, P(up | incorrect) 0.4): the variance of the estimate across draws
    against the mean of the estimated variance, with 150 judged per rating and with the arm
    judged whole (where the audit's finite-population view would say 0)."""
    rng = np.random.default_rng(11)
    reps, n, m = 3000, 2000, 150
    correct = rng.random((reps, n)) < 0.8
    up = rng.random((reps, n)) < np.where(correct, 0.8, 0.4)
    keys = rng.random((reps, n))
    cells: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for rating, member in (("down", ~up), ("up", up)):
        order = np.argsort(np.where(member, keys, np.inf), axis=1)[:, :m]
        picked = np.take_along_axis(correct, order, axis=1)
        total = (correct & member).sum(axis=1)
        cells[rating] = (member.sum(axis=1), picked.sum(axis=1), total)
    sampled: list[tuple[float, float]] = []
    whole: list[tuple[float, float]] = []
    for i in range(reps):
        for out, judged in ((sampled, True), (whole, False)):
            arm = {}
            for rating, (events, picked_correct, all_correct) in cells.items():
                big = int(events[i])
                arm[rating] = (
                    (big, m, int(picked_correct[i])) if judged else (big, big, int(all_correct[i]))
                )
            acc = arm_accuracy(strata("A", arm))
            assert acc.value is not None
            out.append((acc.value, acc.variance))
    for got in (sampled, whole):
        values, variances = np.array(got).T
        assert float(np.mean(variances)) == pytest.approx(float(np.var(values, ddof=1)), rel=0.1)
    whole_var = float(np.var(np.array(whole)[:, 0], ddof=1))
    assert whole_var == pytest.approx(0.8 * 0.2 / n, rel=0.1)  # and not 0


def test_unscored_judgments_shrink_the_sample_and_an_empty_stratum_leaves_accuracy_unknown() -> (
    None
):
    whole = strata("A", {"down": (100, 100, 60), "up": (300, 300, 270)})
    with_gaps = [
        StratumResult(
            key="down|A", rating="down", segment="A", events=100, judged=100, scored=90,
            correct=54, unscored=10,
        ),
        whole[1],
    ]  # fmt: skip
    acc = arm_accuracy(with_gaps)
    assert acc.value == pytest.approx(0.25 * 0.6 + 0.75 * 0.9)
    assert acc.scored == 390 and acc.judged == 400
    assert acc.variance > arm_accuracy(whole).variance
    none_scored = [with_gaps[0].model_copy(update={"scored": 0, "correct": 0}), whole[1]]
    unknown = arm_accuracy(none_scored)
    assert unknown.value is None
    d = accuracy_delta(unknown, arm_accuracy(whole))
    assert (d.value, d.ci) == (None, (-1.0, 1.0))


@pytest.mark.parametrize(
    ("pref", "acc", "verdict"),
    [
        ((0.02, 0.06), (-0.04, -0.001), "sycophancy_gradient"),  # accuracy shown down
        ((0.02, 0.06), (-0.03, 0.02), "sycophancy_gradient"),  # not shown within the margin
        ((0.02, 0.06), (-0.009, 0.02), "win"),  # preference up, accuracy within the margin
        ((-0.01, 0.03), (0.005, 0.03), "win"),  # accuracy up, preference not down
        ((-0.05, 0.01), (-0.04, -0.01), "loss"),  # accuracy down, preference not up
        ((-0.05, -0.01), (-0.005, 0.02), "loss"),  # preference down, accuracy not up
        ((-0.05, -0.01), (0.01, 0.03), "inconclusive"),  # the trade-off
        ((-0.02, 0.04), (-0.02, 0.03), "inconclusive"),
        ((-0.02, 0.04), (-0.009, 0.003), "inconclusive"),  # within the margin, nothing up
    ],
)
def test_the_verdict_rules(
    pref: tuple[float, float], acc: tuple[float, float], verdict: str
) -> None:
    assert decide(pref=pref, acc=acc, margin=0.01).verdict == verdict


def test_required_n_is_where_the_projected_bounds_clear() -> None:
    # +1 point of preference at 0.70, +0.5 of accuracy at 0.80, judged whole
    e = Effects(0.01, 0.7 * 0.3 + 0.71 * 0.29, 0.005, 0.8 * 0.2 + 0.805 * 0.195)
    n = required_n(e, margin=0.01, current=1000)
    z2 = (1.959964 + 0.841621) ** 2
    want_pref = math.ceil(z2 * e.pref_variance / 0.01**2)  # preference shown up decides
    assert n == want_pref
    # at that n both bounds clear by the normal approximation
    assert 0.01 - Z * math.sqrt(e.pref_variance / n) > 0
    assert 0.005 - Z * math.sqrt(e.acc_variance / n) > -0.01
    # nothing observed: no size decides; a trade-off is not a matter of size either
    assert required_n(Effects(0.0, 0.42, 0.0, 0.32), margin=0.0, current=1000) is None
    assert required_n(Effects(-0.02, 0.42, 0.02, 0.32), margin=0.01, current=1000) is None
    # accuracy down by more than the margin with preference up: a gradient at the
    # preference's size
    grad = required_n(Effects(0.01, 0.42, -0.02, 0.32), margin=0.01, current=100)
    assert grad == math.ceil(z2 * 0.42 / 0.01**2)
    assert rule(shown((0.001, 0.02), (-0.05, 0.0), 0.01)) == "sycophancy_gradient"


def test_over_many_draws_the_intervals_cover_the_arms_true_difference() -> None:
    """Random traffic with no difference between the arms (the small version of
    benchmarks/bench_ab.py): judged whole, the accuracy interval still covers the arms' true
    difference about 95% of the time (an interval about this log's counts would collapse to
    a point and cover it almost never); sampled, too; the false calls stay at the level of the
    one-sided bounds."""
    from tests.support.ab_simulation import simulate

    for per_stratum in (10_000, 150):
        s = simulate(
            reps=300, n=2000, preference=(0.7, 0.7), accuracy=(0.8, 0.8),
            per_stratum=per_stratum, seed=per_stratum,
        )  # fmt: skip
        assert s.accuracy_covered >= 0.91 and s.preference_covered >= 0.91
        assert s.accuracy_width > 0.04
        assert s.share("sycophancy_gradient") <= 0.06 and s.share("win") <= 0.08
        assert s.share("inconclusive") >= 0.8


def test_a_few_judgments_that_agree_do_not_narrow_the_interval() -> None:
    """Strata judged two or three at a time whose judgments all agree took s_h² = 0, as if
    judged whole. `backbone synth ab --n-per-arm 3000 --unrated 0.5 --preference 0.7,0.8
    --accuracy 0.8,0.7` then `backbone ab --sample 2` drew these strata and called B's
    accuracy +32.5 points (95% CI +18.9 to +47.3): a win, on an arm planted 10 points less
    accurate."""

    def arm(name: str, cells: dict[str, tuple[int, int, int]]) -> list[StratumResult]:
        unrated = StratumResult(
            key=f"unrated|{name}", rating=None, segment=name, events=1500, judged=2, scored=2,
            correct=2, unscored=0,
        )  # fmt: skip
        return [*strata(name, cells), unrated]

    a = arm_accuracy(arm("A", {"down": (450, 2, 1), "up": (1050, 2, 0)}))
    b = arm_accuracy(arm("B", {"down": (300, 2, 0), "up": (1200, 2, 2)}))
    d = accuracy_delta(a, b)
    assert d.value == pytest.approx(0.325)
    assert d.ci[0] < -0.10 < d.ci[1]  # six judgments per arm cannot exclude the truth
    assert decide(pref=(0.07, 0.13), acc=d.ci, margin=0.01).verdict == "sycophancy_gradient"
    # over many draws of two, three and five per stratum, the interval covers the planted
    # difference at least at its level, and a planted gradient is (almost) never a win
    from tests.support.ab_simulation import simulate

    for m in (2, 3, 5):
        s = simulate(
            reps=300, n=2000, preference=(0.7, 0.8), accuracy=(0.8, 0.7), per_stratum=m, seed=m
        )
        assert s.accuracy_covered >= 0.95, (m, s.accuracy_covered)
        assert s.share("win") <= 0.01, (m, dict(s.verdicts))


def test_an_arm_judged_all_correct_has_accuracy_one_and_the_designs_size() -> None:
    """Three sampled strata whose judgments are all correct: the weights 360/2323, 88/2323 and
    1875/2323 summed to 0.9999999999999999, so p̂(1 − p̂) was 1e-16 rather than 0 and the arm
    counted as 7.9e-13 effective trials (design effect 3e15): B's accuracy interval was
    almost [−1, 1], never within any margin, whatever B's sample showed."""
    cells = {"down": (360, 9, 9), "up": (88, 88, 88)}
    unrated = StratumResult(
        key="unrated|B", rating=None, segment="B", events=1875, judged=388, scored=388,
        correct=388, unscored=0,
    )  # fmt: skip
    b = arm_accuracy([*strata("B", cells), unrated])
    assert b.value == 1.0 and b.design_effect is None
    design = 1 / (1 / 2323 + sum((n / 2323) ** 2 * (1 / m - 1 / n) for n, m in
                                 ((360, 9), (88, 88), (1875, 388))))  # fmt: skip
    assert b.n_eff == pytest.approx(design) and b.n_eff > 200
    a = arm_accuracy(strata("A", {"down": (400, 400, 390), "up": (1600, 1600, 1590)}))
    d = accuracy_delta(a, b)
    assert d.ci[0] > -0.01  # within a one-point margin: B was right every time it was judged
