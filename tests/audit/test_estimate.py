"""The stratified estimator: exact counts on a whole log, agreement with second
implementations (statsmodels Clopper-Pearson, a per-event weighted mean, scipy's stratified
bootstrap), and honest handling of degenerate and unscored strata."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy.stats import bootstrap
from statsmodels.stats.proportion import proportion_confint

from backbone.audit.estimate import (
    estimate_grid,
    p_down_given_correct,
    share_correct,
    stratified,
)
from backbone.audit.models import StratumResult


def sr(key: str, events: int, scored: int, correct: int, unscored: int = 0) -> StratumResult:
    rating = key.split("|")[0]
    return StratumResult(
        key=key,
        rating=rating,
        events=events,
        judged=scored + unscored,
        scored=scored,
        correct=correct,
        unscored=unscored,
    )


def test_whole_log_gives_exact_counts_and_collapsed_intervals() -> None:
    strata = [sr("down", 250, 250, 84), sr("up", 750, 750, 250)]
    grid = estimate_grid(strata)
    u = grid.unwelcome_correct_share
    assert u.exact and u.value == 84 / 250 and u.ci == (84 / 250, 84 / 250) and u.n == 250
    cells = grid.rows["down"]
    assert cells.correct.share.value == 84 / 1000 and cells.correct.share.ci == (0.084, 0.084)
    assert cells.incorrect.share.value == 166 / 1000
    assert grid.rows["up"].correct.share.value == 250 / 1000
    assert grid.rows["up"].incorrect.sampled == 500
    r = grid.p_down_given_correct
    assert r.exact and r.value == 84 / (84 + 250) and r.ci[0] == r.ci[1] == r.value


def test_single_stratum_matches_clopper_pearson_when_the_population_is_huge() -> None:
    # n / N negligible: Korn-Graubard reduces to Clopper-Pearson on ~ (x, n)
    e = share_correct([sr("down", 10**9, 100, 30)])
    lo, hi = proportion_confint(30, 100, alpha=0.05, method="beta")
    assert e.value == pytest.approx(0.30)
    assert e.ci[0] == pytest.approx(lo, abs=0.005) and e.ci[1] == pytest.approx(hi, abs=0.006)


def test_stratified_value_is_the_weighted_mean_of_judged_events() -> None:
    strata = [sr("down|a", 600, 50, 10), sr("down|b", 2000, 80, 30), sr("down|c", 90, 90, 45)]
    # second implementation: each judged event weighted N_h / n_h
    ys, ws = [], []
    for s in strata:
        ys += [1] * s.correct + [0] * (s.scored - s.correct)
        ws += [s.events / s.scored] * s.scored
    expected = float(np.average(ys, weights=ws))
    e = share_correct(strata)
    assert e.value == pytest.approx(expected)
    assert e.ci[0] < expected < e.ci[1]
    # the fully judged stratum c adds no variance: dropping it only rescales the rest
    share = stratified(strata)
    assert share.known == pytest.approx(90 / 2690 * 0.5)
    assert share.w_sampled == pytest.approx(2600 / 2690)


def test_finite_population_correction_narrows_the_interval() -> None:
    wide = share_correct([sr("down", 100_000, 100, 40)])
    narrow = share_correct([sr("down", 120, 100, 40)])
    assert narrow.value == wide.value == 0.4
    assert (narrow.ci[1] - narrow.ci[0]) < 0.5 * (wide.ci[1] - wide.ci[0])


def test_no_spread_falls_back_to_clopper_pearson_on_the_effective_size() -> None:
    e = share_correct([sr("down", 5000, 40, 0)])
    assert e.value == 0.0 and e.ci[0] == 0.0
    assert e.ci[1] == pytest.approx(1 - 0.025 ** (1 / 40))  # exact CP upper bound at x = 0


def test_unscored_judgments_shrink_n_and_never_count_as_correct() -> None:
    e = share_correct([sr("down", 1000, 90, 18, unscored=10)])
    assert e.n == 90 and e.value == pytest.approx(0.2)


def test_a_stratum_with_no_scored_judgment_leaves_the_share_unknown() -> None:
    e = share_correct([sr("down|a", 500, 50, 10), sr("down|b", 500, 0, 0, unscored=5)])
    assert e.value is None
    assert e.ci[0] <= 0.5 * 0.2 and e.ci[1] >= 0.5  # spans whatever stratum b could be


def test_p_down_given_correct_matches_a_stratified_bootstrap() -> None:
    n_down, n_up = 4000, 16000
    down = sr("down", n_down, 150, 45)
    up = sr("up", n_up, 150, 120)
    r = p_down_given_correct([down], [up])
    a, b = n_down * 45 / 150, n_up * 120 / 150
    assert r.value == pytest.approx(a / (a + b))
    y_down = np.array([1] * 45 + [0] * 105)
    y_up = np.array([1] * 120 + [0] * 30)

    def ratio(yd: np.ndarray, yu: np.ndarray, axis: int = -1) -> Any:
        ad, bu = n_down * yd.mean(axis=axis), n_up * yu.mean(axis=axis)
        return ad / (ad + bu)

    boot = bootstrap(
        (y_down, y_up),
        ratio,
        paired=False,
        n_resamples=4000,
        method="percentile",
        random_state=np.random.default_rng(1),
    )
    assert r.ci[0] == pytest.approx(boot.confidence_interval.low, abs=0.015)
    assert r.ci[1] == pytest.approx(boot.confidence_interval.high, abs=0.015)


def test_p_down_given_correct_with_no_correct_down_answers() -> None:
    r = p_down_given_correct([sr("down", 3000, 60, 0)], [sr("up", 9000, 60, 40)])
    assert r.value == 0.0 and r.ci[0] == 0.0 and 0.0 < r.ci[1] < 0.2


def test_a_log_with_no_thumbs_down_or_no_thumbs_up() -> None:
    # a rating with no event at all: P(down | correct) was null (n = 40 beside it) and that
    # rating's cells were {"value": null, "ci": [0, 0]}; with no thumbs-down no correct answer
    # got one (0, exactly), with no thumbs-up every correct answer got a thumbs-down (1)
    for strata, ratio in (
        ([sr("up", 40, 40, 20)], 0.0),  # judged whole
        ([sr("up", 4000, 40, 20)], 0.0),  # sampled: the ratio is still exact
        ([sr("down", 40, 40, 20)], 1.0),
    ):
        grid = estimate_grid(strata)
        r = grid.p_down_given_correct
        assert (r.value, r.ci, r.n) == (ratio, (ratio, ratio), 40)
        empty = "down" if ratio == 0.0 else "up"
        for cell in (grid.rows[empty].correct, grid.rows[empty].incorrect):
            assert (cell.share.value, cell.share.ci, cell.estimated_events) == (
                0.0,
                (0.0, 0.0),
                0.0,
            )
        assert grid.rows[empty].events == 0
        # P(correct | that rating) stays unknown: there is no such event to be correct
        shares = {"down": grid.unwelcome_correct_share, "up": grid.p_correct_given_up}
        assert shares[empty].value is None and shares[empty].ci == (0.0, 1.0)
    # no correct answer judged on the other side: still unknown
    r = p_down_given_correct([], [sr("up", 4000, 40, 0)])
    assert r.value is None and r.ci == (0.0, 1.0)
    r = p_down_given_correct([], [sr("up", 4000, 0, 0, unscored=40)])
    assert r.value is None and r.ci == (0.0, 1.0)


def test_a_whole_log_exactly_on_a_line_is_counted_exactly() -> None:
    # 6 of 24 thumbs-down correct over three segments (1/1, 5/11, 0/12): exactly 25%. Summed
    # as floats the share was 0.24999999999999997, and a log on the stop line was 'review'.
    from backbone.audit.verdict import decide

    strata = [sr("down|a", 1, 1, 1), sr("down|b", 11, 11, 5), sr("down|c", 12, 12, 0)]
    share = share_correct(strata)
    assert share.exact and share.value == 0.25 and share.ci == (0.25, 0.25)
    assert decide(share).verdict == "stop"
    # and on the ship line: 3 of 30 (1/7, 2/13, 0/10) is exactly 10%
    ship = share_correct([sr("down|a", 7, 7, 1), sr("down|b", 13, 13, 2), sr("down|c", 10, 10, 0)])
    assert ship.value == 0.1 and decide(ship).verdict == "ship"
