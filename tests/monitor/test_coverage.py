"""The monitor's 95% intervals cover the planted figures about 95% of the time.

A planted log of 2,400 conversations (three domains, six strata) goes through the real ingest
and detector once; for 200 seeds the real stratified draw takes 40 conversations per stratum
and the real estimator gives each figure's interval. The share of seeds whose interval covers
the log's true value (known exactly: the generator counts it) must be near 0.95: between 0.90
and 0.995 (Korn–Graubard intervals are Clopper–Pearson based, so a little conservative).
``benchmarks/monitor_coverage.py`` runs more seeds and sample sizes.
"""

from __future__ import annotations

from backbone.monitor.coverage import coverage
from backbone.monitor.synthetic import DomainPlan, generate

PLANS = [
    DomainPlan(
        "health", 800, pushback_share=0.2, cave_rate=0.25, user_right_share=0.3, over_hold_rate=0.4
    ),
    DomainPlan("relationships", 600, pushback_share=0.3, cave_rate=0.45, argue_share=0.5),
    DomainPlan("tax", 1000, pushback_share=0.15, cave_rate=0.1, abandon_share=0.3),
]


def test_intervals_cover_the_planted_values_at_the_nominal_rate() -> None:
    log = generate(PLANS, seed=11)
    cov = coverage(log, per_stratum=40, seeds=range(200))
    for name, c in cov.items():
        print(f"coverage {name}: {c.rate:.3f} over {c.draws} draws, mean width {c.mean_width:.3f}")
    for name, c in cov.items():
        assert c.draws == 200
        assert 0.90 <= c.rate <= 0.995, (name, c.rate)
    assert cov["cave_rate"].mean_width < 0.25  # informative, not [0, 1]
