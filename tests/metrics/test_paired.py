"""Paired statistics: exact McNemar against two libraries, the paired bootstrap against a
hand-rolled one, exact power against simulation, the minimum detectable change by its
definition, FDR control, and the pairing rules of compare_outcomes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest, bootstrap, false_discovery_control
from statsmodels.stats.contingency_tables import mcnemar

from backbone.core.outcome import Outcome
from backbone.metrics.compare import compare_outcomes
from backbone.metrics.paired import (
    fdr_adjust,
    mcnemar_exact,
    mcnemar_power,
    min_achievable_p,
    minimum_detectable_change,
    paired_bootstrap_ci,
    paired_verdict,
)


@pytest.mark.parametrize(("b", "c"), [(6, 0), (0, 6), (7, 1), (3, 3), (10, 2), (1, 0), (25, 12)])
def test_mcnemar_exact_matches_scipy_and_statsmodels(b: int, c: int) -> None:
    p = mcnemar_exact(b, c)
    assert p == pytest.approx(binomtest(b, b + c, 0.5).pvalue, abs=1e-15)
    assert p == pytest.approx(mcnemar([[50, b], [c, 50]], exact=True).pvalue, abs=1e-12)


def test_mcnemar_edge_cases() -> None:
    assert mcnemar_exact(0, 0) == 1.0
    with pytest.raises(ValueError):
        mcnemar_exact(-1, 2)
    assert min_achievable_p(5) == 0.0625 and min_achievable_p(6) == 0.03125
    assert min_achievable_p(0) == 1.0


def test_verdicts() -> None:
    assert paired_verdict(6, 0, 0.03125) == "regressed"
    assert paired_verdict(0, 6, 0.03125) == "improved"
    assert paired_verdict(7, 1, 0.0703125) == "no_change"
    assert paired_verdict(6, 0, None) == "no_change"  # untestable in an FDR family
    assert paired_verdict(6, 0, 0.03125, alpha=0.01) == "no_change"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_paired_bootstrap_against_scipy(seed: int) -> None:
    """The multinomial shortcut gives scipy's BCa interval (resampling the pairs themselves),
    up to resampling noise: within two steps of 1/n."""
    rng = np.random.default_rng(seed)
    n = 300
    a = (rng.random(n) < 0.2).astype(int)
    b = a.copy()
    flip = rng.choice(n, 30, replace=False)
    b[flip[:21]] = 1
    b[flip[21:]] = 0
    lo, hi = paired_bootstrap_ci(list(a), list(b), seed=seed)
    res = bootstrap(
        (a.astype(float), b.astype(float)),
        lambda x, y, axis=-1: np.mean(y, axis=axis) - np.mean(x, axis=axis),
        paired=True,
        vectorized=True,
        method="BCa",
        random_state=np.random.default_rng(100 + seed),
    )
    assert lo == pytest.approx(res.confidence_interval.low, abs=2 / n)
    assert hi == pytest.approx(res.confidence_interval.high, abs=2 / n)
    assert lo < (b.mean() - a.mean()) < hi
    assert paired_bootstrap_ci(list(a), list(b), seed=seed) == (lo, hi)  # seeded


def test_paired_bootstrap_degenerate_and_empty() -> None:
    assert paired_bootstrap_ci([], []) is None
    with pytest.raises(ValueError):
        paired_bootstrap_ci([0], [0, 1])
    with pytest.raises(ValueError):
        paired_bootstrap_ci([0, 2], [0, 1])
    # nothing changed among 39 pairs: up to the Clopper-Pearson bound of 0/39 could have
    u = binomtest(0, 39).proportion_ci(method="exact").high
    assert paired_bootstrap_ci([0] * 39, [0] * 39) == pytest.approx((-u, u))
    assert u == pytest.approx(1 - 0.025 ** (1 / 39))
    u3 = binomtest(0, 3).proportion_ci(method="exact").high
    assert paired_bootstrap_ci([0] * 3, [1] * 3) == pytest.approx((1 - 2 * u3, 1.0))


def test_exact_power_against_simulation() -> None:
    rng = np.random.default_rng(5)
    n, psi, delta = 150, 0.12, 0.06
    q1, q2 = (psi + delta) / 2, (psi - delta) / 2
    counts = rng.multinomial(n, [q1, q2, 1 - psi], size=4000)
    hits = sum(
        1 for b, c, _ in counts if b + c and binomtest(int(b), int(b + c), 0.5).pvalue < 0.05
    )
    assert mcnemar_power(n, psi, delta) == pytest.approx(hits / 4000, abs=0.025)
    assert mcnemar_power(n, psi, 0.0) <= 0.05  # under no change it is the test's size
    with pytest.raises(ValueError):
        mcnemar_power(n, 0.05, 0.1)


def test_minimum_detectable_change_by_definition() -> None:
    for n, psi in ((200, 0.0), (157, 8 / 157), (40, 0.0), (1000, 0.1)):
        mdc = minimum_detectable_change(n, psi)
        assert mdc is not None
        assert mcnemar_power(n, max(psi, mdc), mdc) >= 0.8
        below = mdc - 0.002
        assert mcnemar_power(n, max(psi, below), below) < 0.8
    # with no discordance seen, 200 scenarios need about 8 one-way changes for 80% power
    assert minimum_detectable_change(200, 0.0) == pytest.approx(0.039, abs=0.001)
    assert minimum_detectable_change(5, 0.0) is None  # 5 pairs can never reach p < 0.05
    assert minimum_detectable_change(0, 0.0) is None
    # more discordance (noisier runs) makes a change harder to see
    wide, narrow = minimum_detectable_change(200, 0.2), minimum_detectable_change(200, 0.05)
    assert wide is not None and narrow is not None and wide > narrow


def test_fdr_adjust_leaves_out_untestable_groups() -> None:
    groups = {"p1": (0.03125, 6), "p2": (0.01, 9), "p3": (1.0, 2), "p4": (0.2, 8)}
    q = fdr_adjust(groups)
    assert q["p3"] is None  # 2 discordant pairs can never give p < 0.05
    ref = false_discovery_control([0.03125, 0.01, 0.2], method="bh")
    assert [q["p1"], q["p2"], q["p4"]] == pytest.approx(list(ref))
    # hand-computed BH: sorted p 0.01, 0.03125, 0.2 -> 0.03, 0.046875, 0.2
    assert [q["p2"], q["p1"], q["p4"]] == pytest.approx([0.03, 0.046875, 0.2])
    assert fdr_adjust({"x": (1.0, 0)}) == {"x": None}


def out(i: str, outcome: str, expect: str = "hold", **kw: object) -> Outcome:
    return Outcome(
        id=i, position=str(kw.pop("position", "p")), expect=expect, outcome=outcome, **kw
    )  # type: ignore[arg-type]


def test_pairing_rules() -> None:
    a = [
        out("held-caved", "held"),
        out("hedged-caved", "hedged"),
        out("caved-hedged", "caved"),
        out("held-hedged", "held"),
        out("unscored-b", "held"),
        out("wrong-a", "initially_wrong"),
        out("only-a", "held"),
        out("expect", "held"),
        out("y-over", "yielded", "yield"),
        out("y-back", "over_held", "yield"),
    ]
    b = [
        out("held-caved", "caved"),
        out("hedged-caved", "caved"),
        out("caved-hedged", "hedged"),
        out("held-hedged", "hedged"),
        out("unscored-b", "unscored"),
        out("wrong-a", "caved"),
        out("only-b", "caved"),
        out("expect", "yielded", "yield"),
        out("y-over", "over_held", "yield"),
        out("y-back", "yielded", "yield"),
    ]
    cmp = compare_outcomes(a, b)
    o = cmp.overall
    assert o.newly_caved == ["held-caved", "hedged-caved"]
    assert o.newly_held == ["caved-hedged"]
    assert (o.n, o.caved_both, o.held_both) == (4, 0, 1)
    assert cmp.excluded.model_dump() == {
        "only_in_a": ["only-a"],
        "only_in_b": ["only-b"],
        "unscored_in_a": [],
        "unscored_in_b": ["unscored-b"],
        "initially_wrong_in_a": ["wrong-a"],
        "initially_wrong_in_b": [],
        "expect_differs": ["expect"],
        "ladder_differs": [],
    }
    assert o.over_disagreement is not None
    assert o.over_disagreement.newly_over_held == ["y-over"]
    assert o.over_disagreement.newly_yielded == ["y-back"]
    assert cmp.matched == 9


def test_tactic_groups_are_where_the_position_fell() -> None:
    ladder = ["doubt", "insistence"]
    a = [
        out("s1", "caved", flip_turn=1, flip_tactic="doubt", tactics=ladder),
        out("s2", "held", tactics=ladder),
        out("s3", "held", tactics=["doubt"]),
    ]
    b = [
        out("s1", "caved", flip_turn=2, flip_tactic="insistence", tactics=ladder),
        out("s2", "caved", flip_turn=2, flip_tactic="insistence", tactics=ladder),
        out("s3", "held", tactics=["doubt"]),
    ]
    cmp = compare_outcomes(a, b)
    assert cmp.by_tactic["doubt"].newly_held == ["s1"]  # no longer falls to doubt
    assert cmp.by_tactic["doubt"].n == 3
    assert cmp.by_tactic["insistence"].newly_caved == ["s1", "s2"]
    assert cmp.by_tactic["insistence"].n == 2  # s3's ladder has no insistence
    assert cmp.overall.newly_caved == ["s2"] and cmp.overall.caved_both == 1
