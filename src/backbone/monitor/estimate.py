"""Weighted estimates from the stratified sample of conversations (STATS.md, "A population share
from a stratified sample"), for figures whose unit is a reply while the sampling unit is a
conversation.

Each judged conversation i contributes two totals: y_i (replies that count, e.g. caved replies
to a pushback) and x_i (replies in the denominator, e.g. scored pushback replies with a
position at stake). In stratum h of N_h conversations with n_h judged, the totals are
estimated by N_h ȳ_h and N_h x̄_h (the audit's weights N_h / n_h), and the figure is the
combined ratio R̂ = Σ N_h ȳ_h / Σ N_h x̄_h. Its variance is the linearised (Taylor) one:
V̂(R̂) = Σ_h N_h² (1 − n_h/N_h) s²_{z,h} / n_h / X̂², with z_i = y_i − R̂ x_i and the
finite-population correction (1 − n_h/N_h). The interval is Korn–Graubard on the design's
effective size (:func:`backbone.audit.estimate.korn_graubard`: n_eff = R̂(1 − R̂)/V̂ times the
degrees-of-freedom factor (t_{m−1} / t_{d})², m the judged replies and d the Satterthwaite
degrees of freedom of the stratified variance, each stratum's term with its judged conversations
less one (:func:`~backbone.audit.estimate.satterthwaite_df`), then Clopper–Pearson); with no
spread at all (every reply the same)
it falls back to Clopper–Pearson on Kish's effective number of conversations (those with a
reply in the denominator), not of replies: the replies of one conversation are not independent
draws, and when caves come in whole conversations, 0 caves in 30 judged conversations of three
replies each leaves the rate up to 11.6%, not 4.0% (0 of 90).

A stratum judged whole (n_h = N_h) is counted, not estimated: it adds known totals and no
variance, so a log judged whole gives exact figures whose interval collapses. A figure the
detector gives over the whole log (the pushback share, arguing back, dial-off) is a count, exact
by construction (:func:`census`). Unscored replies never enter y or x; they are counted apart,
and :func:`with_unscored` widens a figure's interval to what they could have been.

Example:
    >>> whole = ratio([StratumUnits(conversations=2, units=[(1, 2), (0, 1)])])
    >>> whole.value, whole.ci, whole.n, whole.exact
    (0.3333333333333333, (0.3333333333333333, 0.3333333333333333), 3, True)
    >>> e = ratio([StratumUnits(conversations=1000, units=[(i % 3 == 0, 1) for i in range(100)])])
    >>> round(e.value, 2), [round(x, 3) for x in e.ci], e.n
    (0.34, [0.252, 0.436], 100)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from backbone.audit.estimate import CONFIDENCE, korn_graubard, satterthwaite_df
from backbone.audit.models import Estimate


@dataclass(frozen=True)
class StratumUnits:
    """A stratum's size (conversations N_h) and the (y_i, x_i) totals of its judged ones."""

    conversations: int
    units: Sequence[tuple[float, float]] = field(default_factory=list)


def census(x: int, n: int) -> Estimate:
    """A share counted over the whole log: exact, the interval collapsed to the value."""
    if n == 0:
        return Estimate(value=None, ci=(0.0, 1.0), n=0)
    v = x / n
    return Estimate(value=v, ci=(v, v), n=n, exact=True)


def _s2(z: Sequence[float], x: Sequence[float]) -> float:
    """Within-stratum variance of the residuals (one unit: the largest a unit with x replies
    could have, x²/4)."""
    n = len(z)
    if n <= 1:
        return max(x[0] if x else 1.0, 1.0) ** 2 / 4.0
    if max(z) == min(z):
        # every residual the same (say a stratum whose every reply caved): no spread, exactly.
        # Summed in floats its deviations from the mean are ~1e-17, not 0, and a variance of
        # 1e-33 made the interval collapse onto the value as if the log had been judged whole
        return 0.0
    mean = sum(z) / n
    return sum((v - mean) ** 2 for v in z) / (n - 1)


def ratio(strata: Sequence[StratumUnits], confidence: float = CONFIDENCE) -> Estimate:
    """The combined ratio estimate Σ N_h ȳ_h / Σ N_h x̄_h with its interval; ``n`` is the
    number of judged replies in the denominator (Σ x_i over judged conversations)."""
    y_tot = x_tot = 0.0
    n_units = 0.0
    sampled: list[StratumUnits] = []
    kish_num = kish_den = 0.0
    for s in strata:
        if s.conversations == 0:
            continue
        m = len(s.units)
        if m == 0:
            return Estimate(value=None, ci=(0.0, 1.0), n=int(n_units))
        ys = sum(float(y) for y, _ in s.units)
        xs = sum(float(x) for _, x in s.units)
        n_units += xs
        w = s.conversations / m if m < s.conversations else 1.0
        y_tot += w * ys
        x_tot += w * xs
        drawn = sum(1 for _, x in s.units if float(x) > 0)  # conversations with a reply
        kish_num += w * drawn
        kish_den += w * w * drawn
        if m < s.conversations:
            sampled.append(s)
    n = round(n_units)
    if x_tot <= 0:
        return Estimate(value=None, ci=(0.0, 1.0), n=n)
    r = y_tot / x_tot
    if not sampled:
        return Estimate(value=r, ci=(r, r), n=n, exact=True)
    variance = 0.0
    parts: list[tuple[float, float]] = []
    for s in sampled:
        m, big_n = len(s.units), s.conversations
        z = [float(y) - r * float(x) for y, x in s.units]
        xs_list = [float(x) for _, x in s.units]
        term = big_n**2 * (1.0 - m / big_n) * _s2(z, xs_list) / m
        variance += term
        parts.append((term, sum(1 for x in xs_list if x > 0) - 1))
    variance /= x_tot**2
    # Korn-Graubard's degrees-of-freedom factor (t_{n-1} / t_df)^2: n the replies, df the
    # Satterthwaite degrees of freedom of the stratified variance, each stratum's term with
    # its conversations drawn (with a reply in the denominator) less one. With n the
    # conversations the factor was 1 in one stratum whatever the clustering; with df the
    # conversations less the strata, a heavy stratum whose few judged all agreed added no
    # variance but its degrees of freedom (3 judged a stratum: coverage 0.82)
    replies = round(sum(float(x) for s in sampled for _, x in s.units))
    df = satterthwaite_df(parts)
    fallback = kish_num**2 / kish_den if kish_den > 0 else 0.0
    lo, hi = korn_graubard(r, variance, replies, len(sampled), fallback, confidence, df=df)
    return Estimate(value=r, ci=(min(lo, r), max(hi, r)), n=n)


def with_unscored(scored: Estimate, fewest: Estimate, most: Estimate) -> Estimate:
    """The figure over the scored replies (``scored``: its value and n), its interval
    widened to cover what the unscored replies could have been: ``fewest`` counts each as
    not counting toward the figure, ``most`` each as counting. With none unscored the three
    agree; judged whole, an unscored reply is then no longer "exact": the interval runs
    between the two extremes instead of collapsing on a value part of the log never gave.

    Example:
        >>> s = Estimate(value=0.0, ci=(0.0, 0.0), n=8, exact=True)
        >>> lo = Estimate(value=0.0, ci=(0.0, 0.0), n=10, exact=True)
        >>> hi = Estimate(value=0.2, ci=(0.2, 0.2), n=10, exact=True)
        >>> e = with_unscored(s, lo, hi)
        >>> e.value, e.ci, e.n, e.exact
        (0.0, (0.0, 0.2), 8, False)
    """
    if (fewest.n, most.n) == (scored.n, scored.n) and fewest.value == most.value == scored.value:
        return scored  # nothing unscored in its units
    low = min(scored.ci[0], fewest.ci[0])
    high = max(scored.ci[1], most.ci[1])
    return Estimate(value=scored.value, ci=(low, high), n=scored.n, exact=False)
