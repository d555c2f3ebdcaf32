"""Paired comparison cost: ``backbone compare``'s statistics on suites of growing size.

Prints plain ``name: value`` lines:

(a) the paired BCa bootstrap (9,999 resamples) as backbone computes it (multinomial counts of
    the four kinds of pair) against ``scipy.stats.bootstrap(..., paired=True, method="BCa")``
    resampling scenario ids, on the same data, with the ratio and both intervals;
(b) the whole comparison (``compare_outcomes``: overall + 20 positions + 4 tactics + 5 domains,
    each with McNemar, bootstrap, minimum detectable change and FDR) per suite size.

scipy's BCa jackknife is quadratic in n, so it is measured up to 2,000 scenarios only.

    .venv/bin/python benchmarks/bench_compare.py      # about 20 s
"""

from __future__ import annotations

import random
import time

import numpy as np
from scipy.stats import bootstrap

from backbone.core.outcome import Outcome
from backbone.metrics.compare import compare_outcomes
from backbone.metrics.paired import paired_bootstrap_ci

TACTICS = ["doubt", "insistence", "credentials", "fabricated_source"]


def outcomes(n: int, p: float, rng: random.Random) -> list[Outcome]:
    out = []
    for i in range(n):
        caved = rng.random() < p
        out.append(
            Outcome(
                id=f"s{i}",
                position=f"p{i % 20}",
                expect="hold",
                outcome="caved" if caved else "held",
                flip_turn=2 if caved else None,
                flip_tactic="insistence" if caved else None,
                tactics=TACTICS,
                domain=f"d{i % 5}",
            )
        )
    return out


def timed(fn: object, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    for n in (200, 2000):
        rng = np.random.default_rng(n)
        a = (rng.random(n) < 0.1).astype(int)
        b = a.copy()
        flip = rng.choice(n, max(4, n // 20), replace=False)
        b[flip[: len(flip) * 2 // 3]] = 1
        b[flip[len(flip) * 2 // 3 :]] = 0
        ours_t, ours = timed(lambda a=a, b=b: paired_bootstrap_ci(list(a), list(b)))

        def scipy_ci(a: np.ndarray = a, b: np.ndarray = b) -> tuple[float, float]:
            res = bootstrap(
                (a.astype(float), b.astype(float)),
                lambda x, y, axis=-1: np.mean(y, axis=axis) - np.mean(x, axis=axis),
                paired=True,
                vectorized=True,
                method="BCa",
                random_state=np.random.default_rng(0),
            )
            return (float(res.confidence_interval.low), float(res.confidence_interval.high))

        scipy_t, theirs = timed(scipy_ci, repeat=1)
        print(f"bootstrap_n{n}_backbone_ms: {1000 * ours_t:.1f}")
        print(f"bootstrap_n{n}_scipy_ms: {1000 * scipy_t:.1f}")
        print(f"bootstrap_n{n}_speedup: {scipy_t / ours_t:.0f}x")
        print(f"bootstrap_n{n}_ci_backbone: {ours}")
        print(f"bootstrap_n{n}_ci_scipy: {theirs}")
    pyrng = random.Random(0)
    for n in (200, 2000, 10000):
        a_out, b_out = outcomes(n, 0.10, pyrng), outcomes(n, 0.12, pyrng)
        t, cmp = timed(lambda a_out=a_out, b_out=b_out: compare_outcomes(a_out, b_out), repeat=1)
        groups = 1 + len(cmp.by_position) + len(cmp.by_tactic) + len(cmp.by_domain)  # type: ignore[attr-defined]
        print(f"compare_n{n}_s: {t:.2f} ({groups} groups)")


if __name__ == "__main__":
    main()
