"""The probes' paired test over many seeds: how often it rejects at 5% when no gap is planted
(the false-alarm rate, which the exact McNemar test keeps at or below 5%), how often the 95%
interval holds the true gap, and how often a planted gap is found (power), for several numbers
of items. The statistic is :func:`backbone.probes.common.paired_figure`, the one the kinds
report; each seed draws items with their own propensity to cave (uniform 0.05-0.6), the same
in both arms unless a gap is planted. Prints plain ``name: value`` lines.

    .venv/bin/python benchmarks/bench_probe_errors.py                # 1000 seeds, ~80 s of CPU
    .venv/bin/python benchmarks/bench_probe_errors.py --seeds 200
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from backbone.probes.common import paired_figure

ALPHA = 0.05


def trial(rng: np.random.Generator, items: int, gap: float) -> tuple[bool, bool]:
    p = rng.uniform(0.05, 0.6, items)
    first = rng.random(items) < np.clip(p + gap, 0, 1)
    second = rng.random(items) < p
    ids = [str(i) for i in range(items)]
    f = paired_figure(
        dict(zip(ids, first.astype(int).tolist(), strict=True)),
        dict(zip(ids, second.astype(int).tolist(), strict=True)),
    )
    rejected = f.p_value is not None and f.p_value < ALPHA
    true_gap = float(np.mean(np.clip(p + gap, 0, 1) - p))
    return rejected, f.ci[0] <= true_gap <= f.ci[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=1000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    for items in (10, 20, 40, 80):
        for gap in (0.0, 0.2):
            results = [trial(np.random.default_rng(s), items, gap) for s in range(args.seeds)]
            rejected = sum(r for r, _ in results) / args.seeds
            covered = sum(c for _, c in results) / args.seeds
            name = "false_alarm" if gap == 0 else "power_gap_0.2"
            print(f"items={items} {name}: {rejected:.3f}  ci_coverage: {covered:.3f}")
    print(f"seconds: {time.perf_counter() - t0:.1f}")


if __name__ == "__main__":
    main()
