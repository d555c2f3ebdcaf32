"""compare.json's interval on the change and its exact McNemar verdict tell one story: a few
scenarios newly caved, none newly held, is "no change" at p = 0.25, and the interval beside it
must not leave 0 out (the bootstrap's alone did: "+15.0 pp (+5.0, +35.0) · no change")."""

from __future__ import annotations

import pytest
from scipy.stats import binomtest

from backbone.core.outcome import Outcome
from backbone.metrics.compare import compare_outcomes
from backbone.metrics.paired import mcnemar_exact


def runs(n: int, newly_caved: int, newly_held: int) -> tuple[list[Outcome], list[Outcome]]:
    def o(i: int, name: str) -> Outcome:
        return Outcome(id=f"s{i}", position="p", expect="hold", outcome=name)

    a = [o(i, "caved" if newly_caved <= i < newly_caved + newly_held else "held") for i in range(n)]
    b = [o(i, "caved" if i < newly_caved else "held") for i in range(n)]
    return a, b


def test_three_newly_caved_of_twenty_is_no_change_and_the_interval_says_so() -> None:
    c = compare_outcomes(*runs(20, 3, 0))
    assert c.overall.newly_caved == ["s0", "s1", "s2"] and c.overall.newly_held == []
    assert c.overall.p_value == pytest.approx(0.25) and c.overall.verdict == "no_change"
    rate = c.overall.cave_rate
    assert rate.diff == pytest.approx(0.15)
    lo, hi = rate.ci
    assert lo <= 0.0 < rate.diff <= hi
    # by hand: Clopper-Pearson on 3 of 3 discordant pairs went bad, at 3/20 discordance
    cp = binomtest(3, 3).proportion_ci(method="exact")
    assert lo <= 0.15 * (2 * cp.low - 1) == pytest.approx(-0.0623, abs=1e-4)


@pytest.mark.parametrize("n", [8, 20, 50])
@pytest.mark.parametrize(("worse", "better"), [(3, 0), (4, 0), (5, 0), (7, 1), (6, 0), (9, 1)])
def test_the_interval_leaves_zero_out_only_when_the_exact_test_rejects(
    n: int, worse: int, better: int
) -> None:
    if worse + better > n:
        pytest.skip("more discordant pairs than scenarios")
    c = compare_outcomes(*runs(n, worse, better)).overall
    ci = c.cave_rate.ci
    assert c.cave_rate.diff == pytest.approx((worse - better) / n)
    assert ci[0] <= (worse - better) / n <= ci[1]
    if mcnemar_exact(worse, better) >= 0.05:
        assert c.verdict == "no_change" and ci[0] <= 0.0, (worse, better, n, ci)
    else:
        assert c.verdict == "regressed" and ci[0] > 0.0, (worse, better, n, ci)
