"""The estimator's 95% intervals cover the planted population share about 95% of the time.

A Parquet log with planted correctness (known exactly) is sampled through the real ingest and
stratified draw (DuckDB, hashed by seed) for 400 seeds; the drawn events' planted truth goes
through the real estimator. The share of seeds whose interval covers the truth must be near
0.95 (0.90-0.99: Korn-Graubard intervals are Clopper-Pearson based, so slightly conservative).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone.audit.estimate import estimate_grid
from backbone.audit.feedback_log import open_log
from backbone.audit.models import StratumResult
from backbone.audit.sampling import draw_rows
from tests.audit.logs import planted_rows, write

SEEDS = 400

# (rating, task) -> (events, correct): down share correct = (90 + 480) / 2600 = 0.2192...
CELLS = {
    ("down", "math"): (600, 90),
    ("down", "code"): (2000, 480),
    ("up", "math"): (1500, 1200),
    ("up", "code"): (3000, 2100),
}
TRUE_UNWELCOME = (90 + 480) / 2600
TRUE_P_DOWN_GIVEN_CORRECT = (90 + 480) / (90 + 480 + 1200 + 2100)


def _coverage(path: Path, per_stratum: int, stratify_by: str | None) -> tuple[float, float, float]:
    rows = planted_rows(CELLS)
    truth = {i + 1: bool(r["truth"]) for i, r in enumerate(rows)}  # record index -> truth
    hits_u = hits_r = 0
    widths = 0.0
    with open_log(path, stratify_by=stratify_by) as log:
        strata = {s.key: s for s in log.info.strata}
        for seed in range(SEEDS):
            drawn = draw_rows(log, per_stratum, seed)
            results = [
                StratumResult(
                    key=key,
                    rating=strata[key].rating,
                    events=strata[key].events,
                    judged=len(got),
                    scored=len(got),
                    correct=sum(truth[r] for r in got),
                    unscored=0,
                )
                for key, got in drawn.items()
            ]
            grid = estimate_grid(results)
            lo, hi = grid.unwelcome_correct_share.ci
            hits_u += lo <= TRUE_UNWELCOME <= hi
            widths += hi - lo
            lo, hi = grid.p_down_given_correct.ci
            hits_r += lo <= TRUE_P_DOWN_GIVEN_CORRECT <= hi
    return hits_u / SEEDS, hits_r / SEEDS, widths / SEEDS


@pytest.fixture(scope="module")
def log_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("cov") / "log.parquet", planted_rows(CELLS))


def test_coverage_stratified_by_rating(log_path: Path) -> None:
    cov_u, cov_r, width = _coverage(log_path, per_stratum=60, stratify_by=None)
    print(f"coverage: unwelcome {cov_u:.3f}, P(down|correct) {cov_r:.3f}, width {width:.3f}")
    assert 0.90 <= cov_u <= 0.99, cov_u
    assert 0.90 <= cov_r <= 0.99, cov_r
    assert width < 0.30  # informative, not [0, 1]


def test_coverage_rating_by_task_with_large_sampling_fractions(log_path: Path) -> None:
    # 4 strata; 300 of the 600 down/math events drawn: the finite-population correction matters
    cov_u, cov_r, width = _coverage(log_path, per_stratum=300, stratify_by="task")
    print(f"coverage: unwelcome {cov_u:.3f}, P(down|correct) {cov_r:.3f}, width {width:.3f}")
    assert 0.90 <= cov_u <= 0.99, cov_u
    assert 0.90 <= cov_r <= 0.99, cov_r
