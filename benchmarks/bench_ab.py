"""``backbone ab``'s operating characteristics over many seeds: for each planted scenario, the
share of each verdict and how often the two 95% intervals cover the arms' true differences.

Each repetition draws the arms' events afresh from their traffic and a sample per rating
stratum (``tests/support/ab_simulation.py``), then runs the real statistics. Prints one plain
line per scenario:

* ``null`` (no difference), judged whole and sampled: the false calls (each verdict other than
  inconclusive) and the coverage; the false ``sycophancy_gradient`` and ``win`` rates stay near
  the 2.5% of a one-sided bound;
* ``gradient`` (+4 points of preference, −2 of accuracy, 5,000 events per arm, 300 judged per
  stratum): how often it is called a gradient (the power);
* ``win`` (+6 / +10 points, 1,500 per arm, 250 per stratum) and ``small`` (+1 / +0.5 at 1,000
  per arm, judged whole: inconclusive).

    .venv/bin/python benchmarks/bench_ab.py              # 2,000 repetitions each, about a minute
    .venv/bin/python benchmarks/bench_ab.py --reps 500   # quicker
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path[:0] = [
    str(Path(__file__).resolve().parents[1]),
    str(Path(__file__).resolve().parents[1] / "src"),
]

from tests.support.ab_simulation import simulate  # noqa: E402

SCENARIOS = {
    "null_whole": dict(n=2000, preference=(0.70, 0.70), accuracy=(0.80, 0.80), per_stratum=10**6),
    "null_sampled": dict(n=2000, preference=(0.70, 0.70), accuracy=(0.80, 0.80), per_stratum=150),
    "gradient": dict(n=5000, preference=(0.70, 0.74), accuracy=(0.80, 0.78), per_stratum=300),
    "win": dict(n=1500, preference=(0.60, 0.66), accuracy=(0.70, 0.80), per_stratum=250),
    "small": dict(n=1000, preference=(0.70, 0.71), accuracy=(0.80, 0.805), per_stratum=10**6),
}
VERDICTS = ("win", "sycophancy_gradient", "loss", "inconclusive")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for name, kw in SCENARIOS.items():
        start = time.perf_counter()
        s = simulate(reps=args.reps, seed=args.seed, **kw)  # type: ignore[arg-type]
        shares = " ".join(f"{v}={s.share(v):.3f}" for v in VERDICTS)
        print(
            f"{name}: {shares} preference_ci_coverage={s.preference_covered:.3f} "
            f"accuracy_ci_coverage={s.accuracy_covered:.3f} "
            f"accuracy_ci_width={s.accuracy_width:.4f} reps={args.reps} "
            f"seconds={time.perf_counter() - start:.1f}"
        )


if __name__ == "__main__":
    main()
