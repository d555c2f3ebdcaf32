"""A probe's paired figure (authority gap, tactic vs control, cue effect) never shows a change
its own exact McNemar test does not: with 4 of 8 items caving in the first arm only, the
bootstrap's percentiles alone gave an interval leaving 0 out beside p = 0.125 ("no effect")."""

from __future__ import annotations

import pytest

from backbone.probes.common import paired_figure


@pytest.mark.parametrize(("n", "first_only", "second_only"), [(8, 4, 0), (20, 3, 0), (12, 5, 1)])
def test_the_interval_leaves_zero_out_only_when_the_test_rejects(
    n: int, first_only: int, second_only: int
) -> None:
    first = {f"i{k}": int(k < first_only) for k in range(n)}
    second = {f"i{k}": int(first_only <= k < first_only + second_only) for k in range(n)}
    fig = paired_figure(first, second)
    assert fig.first_only == first_only and fig.second_only == second_only
    assert fig.value == pytest.approx((first_only - second_only) / n)
    assert fig.p_value is not None and fig.p_value > 0.05
    low, high = fig.ci
    assert low <= 0.0 <= high
    assert low <= fig.value <= high


def test_a_change_the_test_rejects_keeps_an_interval_without_zero() -> None:
    n = 30
    first = {f"i{k}": int(k < 12) for k in range(n)}
    second = dict.fromkeys(first, 0)
    fig = paired_figure(first, second)
    assert fig.p_value is not None and fig.p_value < 0.05
    assert fig.ci[0] > 0.0
