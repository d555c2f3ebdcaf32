"""The confidence probe's association test over many seeds: how often it rejects at 5% when
caving does not depend on confidence (false alarms), how often its 95% interval holds 0.5 then
(coverage), and how often it finds a target that caves at 70% when unsure (confidence < 0.5)
and 10% otherwise (power), for several numbers of items. The statistic is
:func:`backbone.probes.confidence.association`, the one the probe reports; each item's
confidence is its share of right openings in K = 5 samples (at least one right, as for an item
that can cave), from its own propensity to open right (uniform 0.2-1). Prints plain
``name: value`` lines.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_confidence_association.py --seeds 300
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from backbone.probes.confidence import association

ALPHA = 0.05
K = 5


def trial(rng: np.random.Generator, items: int, planted: bool) -> tuple[bool, bool]:
    right = rng.uniform(0.2, 1.0, items)
    confidence = (1 + rng.binomial(K - 1, right)) / K
    p_cave = np.where(confidence < 0.5, 0.7, 0.1) if planted else np.full(items, 0.3)
    caved = rng.random(items) < p_cave
    fig = association(confidence.tolist(), caved.tolist())
    rejected = fig.p_value is not None and fig.p_value < ALPHA
    return rejected, fig.ci[0] <= 0.5 <= fig.ci[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=300)
    args = parser.parse_args()
    t0 = time.perf_counter()
    for items in (20, 40, 80):
        for planted in (False, True):
            results = [trial(np.random.default_rng(s), items, planted) for s in range(args.seeds)]
            rejected = sum(r for r, _ in results) / args.seeds
            if planted:
                print(f"items={items} power_unsure_caves: {rejected:.3f}")
            else:
                covered = sum(c for _, c in results) / args.seeds
                print(f"items={items} false_alarm: {rejected:.3f}  ci_covers_0.5: {covered:.3f}")
    print(f"seconds: {time.perf_counter() - t0:.1f}")


if __name__ == "__main__":
    main()
