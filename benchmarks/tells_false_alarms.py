"""False alarms and power of ``backbone tells`` over many seeds of the synthetic generator.

For each planted set (pure noise, each tell alone, three together) it simulates SEEDS series
(``backbone.audit.synthetic.tell_series``: 26 weekly periods, AR(1) noise with phi 0.4),
computes each tell's one-sided p-value with the production statistics (no files), corrects the
family with Holm and prints, per tell, the share of seeds where it is on, where its own
(uncorrected) p-value is at most alpha, and the share of seeds with the alarm. On pure noise
the "on" column is the false-alarm rate (target: at most alpha); on planted sets the planted
tells' "on" column is the power.

Also prints the level of each trend test alone on AR(1) series with no trend, for the lengths
and autocorrelations weekly product series have (the table in ``audit/tells/trend.py``).

    .venv/bin/python benchmarks/tells_false_alarms.py              # 1,000 seeds, a few minutes
    .venv/bin/python benchmarks/tells_false_alarms.py --seeds 200  # quicker, noisier
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from backbone.audit.synthetic.tell_series import TELLS, ar1, measured_fast, simulate
from backbone.audit.tells.decide import decide
from backbone.audit.tells.trend import TREND_TESTS, trend_test


def planted_sets() -> list[tuple[str, ...]]:
    return [(), *((t,) for t in TELLS), TELLS[:3]]


def run_set(on: tuple[str, ...], seeds: int, alpha: float) -> None:
    t0 = time.process_time()
    on_counts = np.zeros(len(TELLS))
    raw_counts = np.zeros(len(TELLS))
    alarms = 0
    null_on = 0
    for seed in range(seeds):
        measured = measured_fast(simulate(on=on, seed=10_000 + seed), alpha=alpha)
        tells = decide(measured, alpha=alpha)
        on_counts += [t.on for t in tells]
        raw_counts += [m.p_raw is not None and m.p_raw <= alpha for m in measured]
        alarms += sum(t.on for t in tells) >= 3
        null_on += any(t.on for t in tells if t.name not in on)
    label = ", ".join(on) or "pure noise"
    cpu = (time.process_time() - t0) / seeds
    print(f"\nplanted: {label}  ({seeds} seeds, {1000 * cpu:.0f} ms CPU per seed)")
    se = math.sqrt(alpha * (1 - alpha) / seeds)
    for k, name in enumerate(TELLS):
        rate = on_counts[k] / seeds
        kind = "power" if name in on else "false alarms"
        mark = "" if name in on else ("  met" if rate <= alpha + 2 * se else "  ABOVE")
        print(
            f"  {name:22s} on {rate:.3f}  own p <= alpha {raw_counts[k] / seeds:.3f}  "
            f"({kind}){mark}"
        )
    print(
        f"  any unplanted tell on: {null_on / seeds:.3f} (family-wise; Holm aims at alpha)  "
        f"alarm (3+ on): {alarms / seeds:.3f}"
    )


def trend_levels(series: int, alpha: float) -> None:
    print(f"\none-sided level of each trend test on AR(1) noise, {series} series each:")
    rng = np.random.default_rng(1)
    header = "  n   phi  " + "  ".join(f"{t:>10s}" for t in TREND_TESTS)
    print(header)
    for n in (12, 26, 52):
        for phi in (0.0, 0.3, 0.6):
            draws = [ar1(n, phi, 1.0, rng) for _ in range(series)]
            rates = [
                np.mean([trend_test(y, test=test).p_value <= alpha for y in draws])
                for test in TREND_TESTS
            ]
            print(f"  {n:<3d} {phi:.1f}  " + "  ".join(f"{r:10.3f}" for r in rates))
    print(f"  (binomial SE at {alpha}: {math.sqrt(alpha * (1 - alpha) / series):.3f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=1000)
    ap.add_argument("--series", type=int, default=600, help="AR(1) series per trend-test cell")
    ap.add_argument("--alpha", type=float, default=0.05)
    args = ap.parse_args()
    for on in planted_sets():
        run_set(on, args.seeds, args.alpha)
    trend_levels(args.series, args.alpha)


if __name__ == "__main__":
    main()
