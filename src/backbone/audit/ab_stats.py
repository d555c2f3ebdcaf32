"""The A/B figures: each arm's thumbs-up rate and judged accuracy, and the two deltas (B − A)
with their 95% intervals (STATS.md, "Two arms of live traffic"). Pure functions of counts.

An A/B question is about the arms, not about this log: the intervals describe each arm's
underlying rates, so they never collapse, not even when every event is judged (unlike the
audit's exact counts of a whole log).

**Preference** (thumbs-up share of an arm's rated events): the counts x/n per arm; the delta's
interval is Newcombe's hybrid score interval (statsmodels ``confint_proportions_2indep(...,
method="newcomb", compare="diff")``), its p-value the one that goes with that interval (see
**p-values** below).

**Accuracy** (judged-correct share of all an arm's events) is estimated from a stratified
sample of each arm (strata: its thumbs-down, its thumbs-up and its unrated events; N_h events,
m_h scored judgments, c_h correct). The arm's estimate is p̂ = Σ W_h p̂_h, W_h = N_h / N. The arm's
events are themselves a sample of its traffic and the judged events a sample of those, so the
variance has two phases (double sampling for stratification; Cochran 1977, §12.2):

    V̂ = p̂(1 − p̂) / N  +  Σ W_h² s_h² (1/m_h − 1/N_h),   s_h² = m_h p̂_h(1 − p̂_h) / (m_h − 1)

The first term is the arm's traffic (no finite-population correction: it does not vanish);
the second the judging sample (it vanishes when a stratum is judged whole). A sampled stratum
whose judgments are all alike (c_h = 0 or m_h) takes p̂_h = (c_h + 1/2) / (m_h + 1) in s_h²:
a few judgments that agree show a small sample, not a stratum without spread. The arm then
counts as x_eff = n_eff p̂ successes in n_eff = p̂(1 − p̂)/V̂ trials, and the delta's interval
is Newcombe's on the effective counts. Judged whole and with nothing unscored, n_eff = N and
x_eff = the correct count: plain Newcombe. When p̂(1 − p̂) = 0 the effective size is the
design's own, 1 / (1/N + Σ W_h² (1/m_h − 1/N_h)); an arm whose judgments are all correct
(or none) has p̂ exactly 1 (0), not the weights' sum rounded to 1 − 1e-16, which gave it an
effective size of 1e-12 and an interval of almost [−1, 1]. Unscored judgments count as
neither: they shrink m_h. A stratum with no scored judgment leaves the arm's accuracy unknown
(value null, the delta's interval is [−1, 1]).

**Non-inferiority** of accuracy at margin m: the lower bound of the 95% interval (a one-sided
97.5% bound) above −m; its p-value is the one-sided p of H0: delta ≤ −m, below 0.025 exactly
when that bound is above −m.

**p-values** are read off the same Newcombe interval that decides (:func:`newcombe_p_value`):
the two-sided p of delta = v is the α at which the (1 − α) interval's bound reaches v, so the
95% interval leaves v out exactly when p < 0.05. (They were the score test's,
``test_proportions_2indep(method="score")``, a second procedure: near a bound the two
disagreed, so ab.json could say "within the margin" beside a one-sided p of 0.027, or "not
shown" beside 0.0249 (``scripts/ab_p_consistency.py``: 63 of 20,000 random cases). Score
intervals to match the score test are no way out: statsmodels' ``method="score"`` interval
fails on an arm judged all correct (or with none), and its constrained estimate leaves [0, 1]
or is NaN when an arm has no success.)

Example:
    >>> a = ArmCounts(events=1000, rated=1000, up=700)
    >>> b = ArmCounts(events=1000, rated=1000, up=740)
    >>> d = preference_delta(a, b)
    >>> round(d.value, 3), [round(x, 3) for x in d.ci], d.n
    (0.04, [0.001, 0.079], 2000)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from backbone.audit.models import StratumResult

CONFIDENCE = 0.95
# statsmodels is imported where it is used: it takes seconds, and bad input should not wait


@dataclass(frozen=True)
class ArmCounts:
    """An arm's events, rated events and thumbs-up in the whole log."""

    events: int
    rated: int
    up: int

    @property
    def down(self) -> int:
        return self.rated - self.up


@dataclass(frozen=True)
class Proportion:
    """A share with its 95% interval; ``n`` the events (preference: rated) or scored
    judgments (accuracy) behind it, ``x``/``n_eff`` the effective counts the interval uses."""

    value: float | None
    ci: tuple[float, float]
    n: int
    x: float
    n_eff: float

    def as_json(self) -> dict[str, object]:
        return {"value": self.value, "ci": [self.ci[0], self.ci[1]], "n": self.n}


@dataclass(frozen=True)
class Delta:
    """B minus A with its 95% interval, the p-value of no difference, ``n`` the events or
    judgments behind it (both arms)."""

    value: float | None
    ci: tuple[float, float]
    n: int
    p_value: float | None

    def as_json(self) -> dict[str, object]:
        return {"value": self.value, "ci": [self.ci[0], self.ci[1]], "n": self.n}


def wilson(x: float, n: float, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson interval for x of n (either may be fractional); [0, 1] when n = 0. The interval
    always holds x / n: statsmodels' bound at x = 0 is a rounding error above 0 (5.6e-17 for
    0 of 3), which put a share of 0.0 outside its own interval.

    Example:
        >>> wilson(0, 3)[0], wilson(3, 3)[1]
        (0.0, 1.0)
    """
    if n <= 0:
        return (0.0, 1.0)
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    p = min(1.0, max(0.0, x / n))
    low = 0.0 if x <= 0 else min(p, max(0.0, float(lo)))
    high = 1.0 if x >= n else max(p, min(1.0, float(hi)))
    return (low, high)


def preference(arm: ArmCounts) -> Proportion:
    """An arm's thumbs-up rate over its rated events (Wilson interval)."""
    value = arm.up / arm.rated if arm.rated else None
    return Proportion(value, wilson(arm.up, arm.rated), arm.rated, arm.up, arm.rated)


def newcombe(
    x_b: float, n_b: float, x_a: float, n_a: float, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Newcombe's interval for p_B − p_A (counts may be fractional)."""
    return _newcombe(x_b, n_b, x_a, n_a, 1 - confidence)


def _newcombe(x_b: float, n_b: float, x_a: float, n_a: float, alpha: float) -> tuple[float, float]:
    from statsmodels.stats.proportion import confint_proportions_2indep

    lo, hi = confint_proportions_2indep(
        x_b, n_b, x_a, n_a, method="newcomb", compare="diff", alpha=alpha
    )
    return (max(-1.0, float(lo)), min(1.0, float(hi)))


Z_MAX = 37.0  # a bound this many standard errors away: p = 2·Φ(−37) ≈ 1e-299, reported as 0


def newcombe_p_value(
    x_b: float,
    n_b: float,
    x_a: float,
    n_a: float,
    *,
    value: float = 0.0,
    larger: bool = False,
    confidence: float = CONFIDENCE,
) -> float | None:
    """The p-value that goes with Newcombe's interval for p_B − p_A (its inversion).

    Two-sided (H0: p_B − p_A = ``value``): the α at which the (1 − α) interval's nearer bound
    reaches ``value``, 1 when ``value`` is the estimate. ``larger`` (H0: p_B − p_A ≤
    ``value``): half that when the estimate is above ``value``, else one minus half that. So
    :func:`newcombe` at ``confidence`` leaves ``value`` out exactly when the two-sided p is below
    1 − ``confidence``, and has its lower bound above ``value`` exactly when the ``larger`` p is
    below (1 − ``confidence``) / 2: the interval and the p never disagree. None when an arm
    has no trials.

    Example:
        >>> newcombe(740, 1000, 700, 1000)[0] > 0, newcombe_p_value(740, 1000, 700, 1000) < 0.05
        (True, True)
        >>> round(newcombe_p_value(740, 1000, 700, 1000, value=-0.01, larger=True), 5)
        0.00639
    """
    if min(n_a, n_b) <= 0:
        return None
    estimate = x_b / n_b - x_a / n_a  # as statsmodels works it out: the interval at z = 0
    if value == estimate:
        return 0.5 if larger else 1.0
    two = _two_sided_p(x_b, n_b, x_a, n_a, value, 1 - confidence)
    if not larger:
        return two
    return two / 2 if value < estimate else 1 - two / 2


def _two_sided_p(
    x_b: float, n_b: float, x_a: float, n_a: float, value: float, alpha: float
) -> float:
    """The α' at which Newcombe's (1 − α') interval has its bound on ``value`` (≠ the
    estimate), found on z = Φ⁻¹(1 − α'/2), where the interval widens with z. The search is
    bracketed on the side of z_α that :func:`newcombe` at ``alpha`` itself shows (the same
    call, so the same bound to the last bit), which puts the answer on the right side of
    ``alpha`` whatever the root finder's tolerance: below it exactly when the interval leaves
    ``value`` out."""
    from scipy.optimize import brentq
    from scipy.stats import norm

    lower = value < x_b / n_b - x_a / n_a  # the bound that moves toward value as z grows
    z_alpha = float(norm.isf(alpha / 2))

    def gap(z: float) -> float:
        """How far the interval at z stays off ``value`` (> 0: it leaves value out)."""
        lo, hi = _newcombe(x_b, n_b, x_a, n_a, alpha if z == z_alpha else 2 * norm.sf(z))
        return lo - value if lower else value - hi

    if gap(z_alpha) > 0:  # left out at alpha: the bound reaches value further out
        if gap(Z_MAX) > 0:
            return 0.0
        z = brentq(gap, z_alpha, Z_MAX)
        return min(float(2 * norm.sf(z)), math.nextafter(alpha, 0.0))
    z = brentq(gap, 0.0, z_alpha)  # gap(0) = |estimate − value| > 0
    return max(float(2 * norm.sf(z)), alpha)


def preference_delta(a: ArmCounts, b: ArmCounts) -> Delta:
    """Thumbs-up rate of B minus A over the rated events, Newcombe interval."""
    if not a.rated or not b.rated:
        return Delta(None, (-1.0, 1.0), a.rated + b.rated, None)
    value = b.up / b.rated - a.up / a.rated
    ci = newcombe(b.up, b.rated, a.up, a.rated)
    return Delta(value, ci, a.rated + b.rated, newcombe_p_value(b.up, b.rated, a.up, a.rated))


@dataclass(frozen=True)
class ArmAccuracy:
    """An arm's weighted judged-correct share: the estimate, its two-phase variance, and its
    effective counts (what the delta's interval uses)."""

    value: float | None
    variance: float
    n_eff: float
    scored: int
    judged: int
    population: int  # N: the arm's events
    design_effect: float | None  # V̂ / (p̂(1 − p̂)/N): 1 when judged whole

    @property
    def x_eff(self) -> float:
        return 0.0 if self.value is None else self.n_eff * self.value

    def proportion(self) -> Proportion:
        ci = wilson(self.x_eff, self.n_eff) if self.value is not None else (0.0, 1.0)
        return Proportion(self.value, ci, self.scored, self.x_eff, self.n_eff)


def _s2(correct: int, m: int) -> float:
    """Within-stratum variance of the 0/1 judgments (1/4, the largest, from one judgment).
    Judgments all alike (every one correct, or none) do not show a stratum without spread,
    only a small sample: its spread is then read at (c + 1/2) / (m + 1), never 0. (At 0 a
    stratum of two judgments, both correct, counted as if its events were all judged: with
    2 judged per stratum the accuracy delta's 95% interval covered the truth 80% of the time
    and could call a win on an arm planted 10 points less accurate.)"""
    if m <= 1:
        return 0.25
    p = (correct + 0.5) / (m + 1) if correct in (0, m) else correct / m
    return m * p * (1.0 - p) / (m - 1)


def arm_accuracy(strata: Sequence[StratumResult]) -> ArmAccuracy:
    """The arm's accuracy from its strata (see the module docstring for the variance)."""
    population = sum(s.events for s in strata)
    scored = sum(s.scored for s in strata)
    judged = sum(s.judged for s in strata)
    live = [s for s in strata if s.events > 0]
    if population == 0 or any(s.scored == 0 for s in live):
        return ArmAccuracy(None, 0.0, 0.0, scored, judged, population, None)
    p = sum(s.events / population * s.correct / s.scored for s in live)
    for alike in (0.0, 1.0):  # every judgment correct (or none): exactly 1 (0), not 1 − 1e-16
        if all(s.correct == alike * s.scored for s in live):
            p = alike
    phase2 = 0.0
    design = 0.0  # the same with s_h² = 1, for the fallback size
    for s in live:
        w = s.events / population
        shrink = max(0.0, 1.0 / s.scored - 1.0 / s.events)
        phase2 += w * w * _s2(s.correct, s.scored) * shrink
        design += w * w * shrink
    variance = p * (1.0 - p) / population + phase2
    if p * (1.0 - p) > 0 and variance > 0:
        n_eff = p * (1.0 - p) / variance
        deff: float | None = population / n_eff
    else:
        n_eff = 1.0 / (1.0 / population + design)
        deff = None
    return ArmAccuracy(p, variance, n_eff, scored, judged, population, deff)


def accuracy_delta(a: ArmAccuracy, b: ArmAccuracy) -> Delta:
    """Accuracy of B minus A: Newcombe on the arms' effective counts."""
    n = a.scored + b.scored
    if a.value is None or b.value is None:
        return Delta(None, (-1.0, 1.0), n, None)
    ci = newcombe(b.x_eff, b.n_eff, a.x_eff, a.n_eff)
    p = newcombe_p_value(b.x_eff, b.n_eff, a.x_eff, a.n_eff)
    return Delta(b.value - a.value, ci, n, p)


def non_inferiority_p(a: ArmAccuracy, b: ArmAccuracy, margin: float) -> float | None:
    """One-sided p-value of H0: accuracy(B) − accuracy(A) ≤ −margin, the one that goes with
    the accuracy delta's interval: below 0.025 exactly when its lower bound is above −margin."""
    if a.value is None or b.value is None:
        return None
    return newcombe_p_value(b.x_eff, b.n_eff, a.x_eff, a.n_eff, value=-margin, larger=True)
