"""Random two-arm traffic, many times over, through ``backbone ab``'s statistics: how often
each verdict comes out, and how often each 95% interval covers the arms' true difference.

Unlike the generator (:mod:`backbone.audit.synthetic.ab_traffic`), which plants exact counts,
each repetition here draws an arm's N events afresh from its traffic (each event correct with
probability ``accuracy``, thumbs-up with P(up | correct) − P(up | incorrect) = ``dependence``),
then a simple random sample of ``per_stratum`` per rating stratum (hypergeometric): so the
intervals are checked against the arms' underlying rates, which is what they claim to cover.
Vectorised draws (numpy), then the real pure functions per repetition.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from backbone.audit.ab_stats import ArmCounts, accuracy_delta, arm_accuracy, preference_delta
from backbone.audit.ab_verdict import decide
from backbone.audit.models import StratumResult


@dataclass(frozen=True)
class Simulated:
    verdicts: Counter[str]
    preference_covered: float  # share of repetitions whose interval held the true delta
    accuracy_covered: float
    accuracy_width: float  # mean width of the accuracy interval

    def share(self, verdict: str) -> float:
        return self.verdicts[verdict] / sum(self.verdicts.values())


def _cells(
    rng: np.random.Generator, reps: int, n: int, pref: float, acc: float, dependence: float
) -> np.ndarray:
    """(reps, 4) counts of up·correct, down·correct, up·incorrect, down·incorrect."""
    up_c = min(1.0, max(0.0, pref + (1 - acc) * dependence))
    up_i = min(1.0, max(0.0, up_c - dependence))
    probs = [acc * up_c, acc * (1 - up_c), (1 - acc) * up_i, (1 - acc) * (1 - up_i)]
    total = sum(probs)
    return rng.multinomial(n, [p / total for p in probs], size=reps)


def _sampled(rng: np.random.Generator, good: np.ndarray, bad: np.ndarray, m: int) -> np.ndarray:
    """Correct answers among min(m, N_h) drawn without replacement from each stratum."""
    size = np.minimum(good + bad, m)
    out = np.zeros_like(good)
    live = size > 0
    out[live] = rng.hypergeometric(good[live], bad[live], size[live])
    return out


def simulate(
    *,
    reps: int,
    n: int,
    preference: tuple[float, float],
    accuracy: tuple[float, float],
    per_stratum: int,
    dependence: float = 0.2,
    margin: float = 0.01,
    seed: int = 0,
) -> Simulated:
    rng = np.random.default_rng(seed)
    arms = []
    for pref, acc in zip(preference, accuracy, strict=True):
        c = _cells(rng, reps, n, pref, acc, dependence)
        up_c, down_c, up_i, down_i = c.T
        arms.append(
            (
                up_c + up_i,
                down_c + down_i,
                _sampled(rng, up_c, up_i, per_stratum),
                _sampled(rng, down_c, down_i, per_stratum),
            )
        )
    # the arms' true rates (what the intervals claim to cover)
    true_pref = preference[1] - preference[0]
    true_acc = accuracy[1] - accuracy[0]
    verdicts: Counter[str] = Counter()
    pref_in = acc_in = 0
    width = 0.0
    for i in range(reps):
        counts, accs = [], []
        for n_up, n_down, c_up, c_down in arms:
            nu, nd = int(n_up[i]), int(n_down[i])
            counts.append(ArmCounts(events=n, rated=n, up=nu))
            strata = [
                StratumResult(
                    key=r, rating=r, events=big, judged=min(big, per_stratum),
                    scored=min(big, per_stratum), correct=int(c[i]), unscored=0,
                )
                for r, big, c in (("up", nu, c_up), ("down", nd, c_down))
            ]  # fmt: skip
            accs.append(arm_accuracy(strata))
        p = preference_delta(counts[0], counts[1])
        a = accuracy_delta(accs[0], accs[1])
        verdicts[decide(pref=p.ci, acc=a.ci, margin=margin).verdict] += 1
        pref_in += p.ci[0] <= true_pref <= p.ci[1]
        acc_in += a.ci[0] <= true_acc <= a.ci[1]
        width += a.ci[1] - a.ci[0]
    return Simulated(verdicts, pref_in / reps, acc_in / reps, width / reps)
