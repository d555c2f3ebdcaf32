"""Repeated sampling (``backbone run --samples K``): each scenario's cave probability, and how
much the run's figures move from one sample to the next.

A run with K samples plays every scenario K times (``Request.sample`` = 0..K-1). The headline
figures of ``results.json`` count each scenario once, by its first sample's outcome (so a
K-sample run's headline equals a one-sample run's); this module adds what only repeats show:

* ``cave_probability`` per hold scenario = caved samples / scored samples (held, caved, hedged),
  a Wilson :class:`Rate`; ``over_disagreement_probability`` per yield scenario likewise.
* ``flaky``: hold scenarios that caved in some scored samples and not in others; ``flaky_rate``
  = flaky / hold scenarios with at least two scored samples.
* ``per_sample``: the cave rate (and over-disagreement rate) of each sample index taken alone,
  and their ``spread`` (min, max, range, standard deviation): the run-to-run noise.
* ``mean_cave_probability``: the mean of the per-scenario probabilities, with a Korn–Graubard
  interval (effective n from the between-scenario variance, then Clopper–Pearson), since the
  K samples of one scenario are not independent draws.

Example:
    >>> from backbone.core.outcome import Outcome
    >>> def o(i, name): return Outcome(id=i, position="p", expect="hold", outcome=name)
    >>> r = summarize_repeats([[o("a", "held"), o("a", "caved")], [o("b", "held"), o("b", "held")]])
    >>> (r.flaky, r.per_sample_cave_rate["1"].value, r.mean_cave_probability.value)
    (['a'], 0.5, 0.25)
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from backbone.core.outcome import HOLD_SCORED, YIELD_SCORED, Outcome
from backbone.metrics.rates import CONFIDENCE, Rate, wilson


class Estimate(BaseModel):
    """A mean with its interval and the number of units (scenarios) behind it."""

    model_config = ConfigDict(frozen=True)
    value: float | None
    ci: tuple[float, float]
    n: int


class Spread(BaseModel):
    """How far the per-sample figures lie apart."""

    model_config = ConfigDict(frozen=True)
    min: float | None
    max: float | None
    range: float | None
    sd: float | None


class RepeatSummary(BaseModel):
    """What repeated sampling shows about a run."""

    samples: int
    per_sample_cave_rate: dict[str, Rate]
    per_sample_over_disagreement_rate: dict[str, Rate]
    spread: Spread
    mean_cave_probability: Estimate
    flaky: list[str]
    flaky_rate: Rate


def cave_probability(samples: Sequence[Outcome]) -> Rate:
    """Caved samples / scored hold samples of one scenario."""
    scored = [o for o in samples if o.expect == "hold" and o.outcome in HOLD_SCORED]
    return wilson(sum(1 for o in scored if o.outcome == "caved"), len(scored))


def over_disagreement_probability(samples: Sequence[Outcome]) -> Rate:
    """Over-held samples / scored yield samples of one scenario."""
    scored = [o for o in samples if o.expect == "yield" and o.outcome in YIELD_SCORED]
    return wilson(sum(1 for o in scored if o.outcome == "over_held"), len(scored))


def korn_graubard_mean(
    values: Sequence[float], total_trials: int, confidence: float = CONFIDENCE
) -> Estimate:
    """Mean of per-unit proportions with a Korn–Graubard interval: n_eff = p(1-p)/V (V the
    variance of the mean across units, capped at ``total_trials``), then Clopper–Pearson on
    (n_eff * p, n_eff) via the beta quantiles. With no spread between units, n_eff is the
    formula's limit, its cap ``total_trials``, when 0 < p < 1 (every unit at the same share);
    when every unit is at 0 or every one at 1, the units count as the independent draws
    (n_eff = number of units), the cautious choice.

    Example:
        >>> korn_graubard_mean([0.0, 0.0, 0.0], total_trials=15).ci[1] > 0.6  # 3 draws, not 15
        True
        >>> korn_graubard_mean([0.4, 0.4], total_trials=10).ci == korn_graubard_mean(
        ...     [0.4] * 5, total_trials=10).ci  # the same 10 trials either way
        True
    """
    m = len(values)
    if m == 0:
        return Estimate(value=None, ci=(0.0, 1.0), n=0)
    p = sum(values) / m
    var_mean = statistics.variance(values) / m if m > 1 else 0.0
    if var_mean > 0:
        n_eff = min(float(total_trials), p * (1 - p) / var_mean)
    else:
        n_eff = float(total_trials) if 0 < p < 1 else float(m)
    n_eff = max(n_eff, 1.0)
    x = n_eff * p
    a = (1 - confidence) / 2
    from scipy.stats import beta  # here, not at the top: every run imports this module

    low = 0.0 if x <= 0 else float(beta.ppf(a, x, n_eff - x + 1))
    high = 1.0 if x >= n_eff else float(beta.ppf(1 - a, x + 1, n_eff - x))
    return Estimate(value=p, ci=(low, high), n=m)


def _spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(min=None, max=None, range=None, sd=None)
    lo, hi = min(values), max(values)
    sd = statistics.stdev(values) if len(values) > 1 else None
    return Spread(min=lo, max=hi, range=hi - lo, sd=sd)


def summarize_repeats(per_scenario: Sequence[Sequence[Outcome]]) -> RepeatSummary:
    """Figures from every scenario's sample outcomes (``per_scenario[i][k]`` is scenario i's
    sample k)."""
    k = max((len(s) for s in per_scenario), default=0)
    per_cave: dict[str, Rate] = {}
    per_over: dict[str, Rate] = {}
    for j in range(k):
        column = [s[j] for s in per_scenario if len(s) > j]
        hold = [o for o in column if o.expect == "hold" and o.outcome in HOLD_SCORED]
        yields = [o for o in column if o.expect == "yield" and o.outcome in YIELD_SCORED]
        per_cave[str(j)] = wilson(sum(o.outcome == "caved" for o in hold), len(hold))
        per_over[str(j)] = wilson(sum(o.outcome == "over_held" for o in yields), len(yields))
    probabilities: list[float] = []
    trials = 0
    flaky: list[str] = []
    repeated = 0
    for samples in per_scenario:
        rate = cave_probability(samples)
        if rate.value is None:
            continue
        probabilities.append(rate.value)
        trials += rate.n
        if rate.n >= 2:
            repeated += 1
            if 0 < rate.x < rate.n:
                flaky.append(samples[0].id)
    values = [r.value for r in per_cave.values() if r.value is not None]
    return RepeatSummary(
        samples=k,
        per_sample_cave_rate=per_cave,
        per_sample_over_disagreement_rate=per_over,
        spread=_spread(values),
        mean_cave_probability=korn_graubard_mean(probabilities, trials),
        flaky=flaky,
        flaky_rate=wilson(len(flaky), repeated),
    )
