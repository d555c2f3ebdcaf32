"""Do ``backbone ab``'s verdict flags and the p-values printed beside them ever disagree?

Draws random two-arm counts (seeded) and runs them through the functions that ``ab.json`` is
made of (:mod:`backbone.audit.ab_stats`, :func:`backbone.audit.ab_verdict.shown`), then counts
the cases where what the interval shows and what the p-value says contradict:

* ``non_inferiority``: ``accuracy_within_margin`` (the interval's lower bound above −margin)
  against its one-sided p-value below 0.025 (the one-sided level of a 95% bound);
* ``preference`` / ``accuracy``: the delta shown up or down (the interval leaves out 0)
  against its two-sided p-value below 0.05.

Accuracy is drawn both judged whole and sampled per stratum (weighted, effective counts).
Each contradiction is printed with its counts, the bound's distance from its threshold and
the p-value; ``None`` p-values are counted apart (a figure the reader cannot check at all).

    PYTHONPATH=src .venv/bin/python scripts/ab_p_consistency.py [--cases 3000] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src")]

from backbone.audit.ab_stats import (  # noqa: E402
    ArmCounts,
    accuracy_delta,
    arm_accuracy,
    non_inferiority_p,
    preference_delta,
)
from backbone.audit.ab_verdict import shown  # noqa: E402
from backbone.audit.models import StratumResult  # noqa: E402

ALPHA_TWO, ALPHA_ONE = 0.05, 0.025


def _strata(arm: str, rng: np.random.Generator, acc: float, sampled: bool) -> list[StratumResult]:
    """Three strata (down, up, unrated) of random size; judged whole or a sample of each."""
    out = []
    for rating in ("down", "up", None):
        events = int(rng.integers(20, 3000))
        m = min(events, int(rng.integers(2, 400))) if sampled else events
        p = float(np.clip(acc + rng.normal(0, 0.05), 0, 1))
        out.append(
            StratumResult(
                key=f"{rating}|{arm}", rating=rating, segment=arm, events=events,
                judged=m, scored=m, correct=int(rng.binomial(m, p)), unscored=0,
            )
        )  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    bad: Counter[str] = Counter()
    none: Counter[str] = Counter()
    checked: Counter[str] = Counter()

    def check(kind: str, agree: bool, p: float | None, detail: str) -> None:
        checked[kind] += 1
        if p is None:
            none[kind] += 1
            print(f"{kind}: p is None: {detail}")
        elif not agree:
            bad[kind] += 1
            print(f"{kind}: CONTRADICTION {detail} p={p:.6g}")

    for _ in range(args.cases):
        margin = float(rng.choice([0.005, 0.01, 0.02, 0.05]))
        # preference: rated counts per arm
        pa = rng.uniform(0.02, 0.98)
        pb = float(np.clip(pa + rng.normal(0, 0.03), 0, 1))
        na, nb = (int(x) for x in rng.integers(10, 5000, 2))
        a = ArmCounts(na, na, int(rng.binomial(na, pa)))
        b = ArmCounts(nb, nb, int(rng.binomial(nb, pb)))
        d = preference_delta(a, b)
        s = shown(d.ci, (-1.0, 1.0), margin)
        p = d.p_value
        check(
            "preference", p is not None and (s.pref_up or s.pref_down) == (p < ALPHA_TWO), p,
            f"A {a.up}/{a.rated} B {b.up}/{b.rated} ci={d.ci}",
        )  # fmt: skip
        # accuracy: judged whole, or sampled per stratum (weighted)
        for sampled in (False, True):
            qa = rng.uniform(0.3, 0.995)
            qb = float(np.clip(qa + rng.normal(-margin / 2, 0.02), 0, 1))
            arm_a = arm_accuracy(_strata("A", rng, qa, sampled))
            arm_b = arm_accuracy(_strata("B", rng, qb, sampled))
            acc = accuracy_delta(arm_a, arm_b)
            s = shown((-1.0, 1.0), acc.ci, margin)
            tag = "sampled" if sampled else "whole"
            counts = f"A {arm_a.x_eff:.6g}/{arm_a.n_eff:.6g} B {arm_b.x_eff:.6g}/{arm_b.n_eff:.6g}"
            p = acc.p_value
            check(
                f"accuracy_{tag}", p is not None and (s.acc_up or s.acc_down) == (p < ALPHA_TWO),
                p, f"{counts} ci={acc.ci}",
            )  # fmt: skip
            p = non_inferiority_p(arm_a, arm_b, margin)
            check(
                f"non_inferiority_{tag}",
                p is not None and s.acc_within_margin == (p < ALPHA_ONE),
                p,
                f"{counts} margin={margin} lower_bound={acc.ci[0]:.6g} "
                f"(bound + margin = {acc.ci[0] + margin:+.2e}) shown={s.acc_within_margin}",
            )
    for kind in checked:
        print(
            f"{kind}: {bad[kind]} contradictions, {none[kind]} without a p-value, "
            f"of {checked[kind]} cases"
        )


if __name__ == "__main__":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # statsmodels' odds ratio on 0 cells
        main()
