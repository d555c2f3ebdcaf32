"""Population estimates from the stratified sample (STATS.md, "A population share from a
stratified sample").

For a set of strata h with N_h events, m_h scored judgments and c_h judged correct:

* p̂ = Σ W_h p̂_h with W_h = N_h / Σ N (the same as weighting each judgment by N_h / m_h);
* V̂ = Σ W_h² (1 − m_h/N_h) s_h² / m_h with s_h² = m_h p̂_h (1 − p̂_h) / (m_h − 1), the factor
  (1 − m_h/N_h) being the finite-population correction;
* the interval is Korn–Graubard: n_eff = p̂(1 − p̂)/V̂ (times the degrees-of-freedom factor
  (t_{n−1} / t_{n−H})²), x_eff = n_eff p̂, and a Clopper–Pearson interval on (x_eff, n_eff)
  from ``scipy.stats.beta.ppf``.

Strata judged whole (m_h = N_h) are counted, not estimated: they add a known amount and no
variance, so when every stratum was judged whole the estimate is an exact count and the
interval collapses. When the sampled strata show no spread at all (every judgment the same),
V̂ is 0 and the interval falls back to Clopper–Pearson on Kish's effective sample size
(Σ N_h)² / Σ (N_h² / m_h). A stratum with no scored judgment leaves the share unknown: the value
is null and the interval spans every value that stratum could take. Unscored judgments never
count as correct or incorrect; they shrink m_h.

``P(thumbs-down | correct) = A / (A + B)`` with A = N_down q̂_down, B = N_up q̂_up uses the delta
method, Var ≈ (B² V_A + A² V_B) / (A + B)⁴, with the same Korn–Graubard step; when that variance
is 0 it takes the monotone bounds A_lo / (A_lo + B_hi), A_hi / (A_hi + B_lo) from each part's
interval at 1 − α/2 (so that both hold together at 1 − α).

Example:
    >>> s = StratumResult(key="down", rating="down", events=1000, judged=100, scored=100,
    ...                   correct=30, unscored=0)
    >>> e = share_correct([s])
    >>> round(e.value, 2), [round(x, 3) for x in e.ci], e.n
    (0.3, [0.216, 0.395], 100)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from scipy.stats import beta, t

from backbone.audit.models import Estimate, GridCell, GridRow, StratumResult

CONFIDENCE = 0.95


def clopper_pearson(x: float, n: float, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Clopper–Pearson interval for x successes in n trials (both may be fractional)."""
    if n <= 0:
        return (0.0, 1.0)
    alpha = 1.0 - confidence
    x = min(max(x, 0.0), n)
    lo = 0.0 if x <= 0 else float(beta.ppf(alpha / 2, x, n - x + 1))
    hi = 1.0 if x >= n else float(beta.ppf(1 - alpha / 2, x + 1, n - x))
    return (max(0.0, lo), min(1.0, hi))


def satterthwaite_df(parts: Sequence[tuple[float, float]]) -> float | None:
    """Effective degrees of freedom of a stratified variance Σ_h v_h whose stratum term v_h
    has d_h degrees of freedom (Satterthwaite; Cochran, *Sampling Techniques*, 3rd ed., eq.
    5.16): (Σ v_h)² / Σ (v_h² / d_h). ``parts`` holds the (v_h, d_h); a term with d_h < 1 (a
    stratum of one judgment, its variance the largest possible) counts one. None when every
    term is 0. It is at most Σ d_h, reached when every term has the same share of its degrees
    of freedom; a stratum whose judgments all agree adds 0 and no degrees of freedom.

    Example:
        >>> satterthwaite_df([(1.0, 9), (1.0, 9)]), satterthwaite_df([(1.0, 9), (0.0, 9)])
        (18.0, 9.0)
    """
    total = sum(v for v, _ in parts)
    if total <= 0:
        return None
    return total**2 / sum(v * v / max(d, 1.0) for v, d in parts)


def korn_graubard(
    p: float,
    variance: float,
    n: int,
    strata: int,
    fallback_n: float,
    confidence: float,
    *,
    df: float | None = None,
) -> tuple[float, float]:
    """Korn–Graubard interval for a design-based share ``p`` with variance ``variance`` from
    ``n`` judgments in ``strata`` strata; ``fallback_n`` is the effective size to use when the
    variance is 0 (no spread in the sample) or p is 0 or 1. ``df``: the variance's degrees of
    freedom, by default ``n - strata`` (each judgment drawn alone); when the judgments come in
    clusters (a conversation's replies), the clusters drawn less the strata."""
    if variance > 0 and 0.0 < p < 1.0:
        n_eff = p * (1.0 - p) / variance
        df = n - strata if df is None else df
        if df >= 1 and n > 1:
            alpha = 1.0 - confidence
            n_eff *= (float(t.ppf(1 - alpha / 2, n - 1)) / float(t.ppf(1 - alpha / 2, df))) ** 2
    else:
        n_eff = fallback_n
    return clopper_pearson(n_eff * p, n_eff, confidence)


@dataclass(frozen=True)
class StratifiedShare:
    """A stratified share split into its known part (strata judged whole) and its sampled
    part: value = known + w_sampled * q, the interval mapped from q's."""

    value: float | None
    known: float  # Σ W_h p_h over strata judged whole
    w_sampled: float  # Σ W_h over sampled strata
    w_missing: float  # Σ W_h over strata with no scored judgment
    q: float  # share over the sampled strata alone
    q_var: float  # its variance (with the finite-population correction)
    n: int  # scored judgments in all strata
    n_sampled: int  # scored judgments in sampled strata
    h_sampled: int  # sampled strata
    kish: float  # Kish's effective sample size of the sampled part
    population: int  # Σ N_h
    # each sampled stratum's term of q_var and its degrees of freedom (m_h - 1)
    parts: tuple[tuple[float, float], ...] = ()

    @property
    def exact(self) -> bool:
        return self.w_sampled == 0 and self.w_missing == 0 and self.population > 0

    @property
    def variance(self) -> float:
        return self.w_sampled**2 * self.q_var

    def interval(self, confidence: float = CONFIDENCE) -> tuple[float, float]:
        if self.population == 0:
            return (0.0, 1.0)
        if self.w_sampled > 0:
            lo_q, hi_q = korn_graubard(
                self.q,
                self.q_var,
                self.n_sampled,
                self.h_sampled,
                self.kish,
                confidence,
                df=satterthwaite_df(self.parts),
            )
        else:
            lo_q = hi_q = 0.0
        lo = self.known + self.w_sampled * lo_q
        hi = self.known + self.w_sampled * hi_q + self.w_missing
        return (max(0.0, min(lo, 1.0)), max(0.0, min(hi, 1.0)))


def _s2(p: float, m: int) -> float:
    """Within-stratum variance of the 0/1 judgments; with one judgment it cannot be
    estimated and the largest possible value (1/4) is used."""
    if m <= 1:
        return 0.25
    return m * p * (1.0 - p) / (m - 1)


def stratified(strata: Sequence[StratumResult]) -> StratifiedShare:
    """The stratified share correct over ``strata`` (weights N_h / Σ N)."""
    population = sum(s.events for s in strata)
    n = sum(s.scored for s in strata)
    if population == 0:
        return StratifiedShare(None, 0.0, 0.0, 0.0, 0.0, 0.0, n, 0, 0, 0.0, 0)
    w_sampled = w_missing = 0.0
    # the strata judged whole are counted exactly (a sum of floats would make 6 of 24 correct
    # 0.24999999999999997, and a whole log exactly on the stop line would not be 'stop')
    counted = Fraction(0)
    sampled = []
    for s in strata:
        if s.events == 0:
            continue
        w = s.events / population
        if s.scored == 0:
            w_missing += w
        elif s.scored >= s.events:
            counted += Fraction(s.events * s.correct, population * s.scored)
        else:
            w_sampled += w
            sampled.append(s)
    q = q_var = kish = 0.0
    n_sampled = sum(s.scored for s in sampled)
    parts: list[tuple[float, float]] = []
    if sampled:
        n_s = sum(s.events for s in sampled)
        for s in sampled:
            w = s.events / n_s
            p = s.correct / s.scored
            q += w * p
            term = w * w * (1.0 - s.scored / s.events) * _s2(p, s.scored) / s.scored
            q_var += term
            parts.append((term, s.scored - 1))
        kish = n_s**2 / sum(s.events**2 / s.scored for s in sampled)
    known = float(counted)
    value = None if w_missing > 0 else known + w_sampled * q
    return StratifiedShare(
        value,
        known,
        w_sampled,
        w_missing,
        q,
        q_var,
        n,
        n_sampled,
        len(sampled),
        kish,
        population,
        tuple(parts),
    )


def share_correct(strata: Sequence[StratumResult], confidence: float = CONFIDENCE) -> Estimate:
    """Estimated share of correct answers over ``strata``, with its interval and n."""
    share = stratified(strata)
    return Estimate(value=share.value, ci=share.interval(confidence), n=share.n, exact=share.exact)


def p_down_given_correct(
    down: Sequence[StratumResult],
    up: Sequence[StratumResult],
    confidence: float = CONFIDENCE,
) -> Estimate:
    """Estimated P(thumbs-down | correct answer) = A / (A + B) (delta method)."""
    sd, su = stratified(down), stratified(up)
    n = sd.n + su.n
    for empty, other, r in ((sd, su, 0.0), (su, sd, 1.0)):
        # no event rated this way: its part is exactly 0 (no thumbs-down at all: no correct
        # answer got one), so the ratio is known once the other part is shown to be above 0
        if empty.population == 0 and other.population > 0:
            if other.value is None or other.value == 0.0:
                return Estimate(value=None, ci=(0.0, 1.0), n=n)
            return Estimate(value=r, ci=(r, r), n=n, exact=other.exact)
    if sd.value is None or su.value is None:
        return Estimate(value=None, ci=(0.0, 1.0), n=n)
    big_n_d, big_n_u = sd.population, su.population
    a, b = big_n_d * sd.value, big_n_u * su.value
    if a + b == 0:
        return Estimate(value=None, ci=(0.0, 1.0), n=n, exact=sd.exact and su.exact)
    r = a / (a + b)
    if sd.exact and su.exact:
        return Estimate(value=r, ci=(r, r), n=n, exact=True)
    va, vb = big_n_d**2 * sd.variance, big_n_u**2 * su.variance
    var = (b * b * va + a * a * vb) / (a + b) ** 4
    if var > 0 and 0.0 < r < 1.0:
        ci = korn_graubard(
            r, var, sd.n_sampled + su.n_sampled, sd.h_sampled + su.h_sampled, 0.0, confidence
        )
    else:
        part = 1.0 - (1.0 - confidence) / 2
        lo_d, hi_d = sd.interval(part)
        lo_u, hi_u = su.interval(part)
        a_lo, a_hi = big_n_d * lo_d, big_n_d * hi_d
        b_lo, b_hi = big_n_u * lo_u, big_n_u * hi_u
        lo = a_lo / (a_lo + b_hi) if a_lo + b_hi > 0 else 0.0
        hi = a_hi / (a_hi + b_lo) if a_hi + b_lo > 0 else 1.0
        ci = (min(lo, r), max(hi, r))
    return Estimate(value=r, ci=ci, n=n)


def _scaled(weight: float, e: Estimate, *, complement: bool) -> Estimate:
    """``weight * e`` (or ``weight * (1 - e)``): a known weight times an estimated share."""
    lo, hi = e.ci
    if complement:
        value = None if e.value is None else weight * (1.0 - e.value)
        ci = (weight * (1.0 - hi), weight * (1.0 - lo))
    else:
        value = None if e.value is None else weight * e.value
        ci = (weight * lo, weight * hi)
    return Estimate(value=value, ci=ci, n=e.n, exact=e.exact)


@dataclass(frozen=True)
class Grid:
    """The 2x2 and the two headline figures."""

    rows: dict[str, GridRow]
    unwelcome_correct_share: Estimate  # P(correct | down)
    p_correct_given_up: Estimate
    p_down_given_correct: Estimate


def estimate_grid(strata: Sequence[StratumResult], confidence: float = CONFIDENCE) -> Grid:
    """Each cell's share of all rated events: W_r (known from the full log) times the
    estimated share correct (or incorrect) within rating r."""
    rated = sum(s.events for s in strata)
    by_rating = {r: [s for s in strata if s.rating == r] for r in ("down", "up")}
    shares = {r: share_correct(by_rating[r], confidence) for r in ("down", "up")}
    rows: dict[str, GridRow] = {}
    for r in ("down", "up"):
        group = by_rating[r]
        events = sum(s.events for s in group)
        weight = events / rated if rated else 0.0
        cells = {}
        for name, complement in (("correct", False), ("incorrect", True)):
            sampled = sum(s.correct if not complement else s.scored - s.correct for s in group)
            if events == 0:  # no event rated this way: its cells are empty, exactly
                share = Estimate(value=0.0, ci=(0.0, 0.0), n=0, exact=True)
            elif shares[r].exact:  # counted, not estimated: say the count's share exactly
                v = sampled / rated
                share = Estimate(value=v, ci=(v, v), n=shares[r].n, exact=True)
            else:
                share = _scaled(weight, shares[r], complement=complement)
            cells[name] = GridCell(
                sampled=sampled,
                share=share,
                estimated_events=None if share.value is None else share.value * rated,
            )
        rows[r] = GridRow(
            correct=cells["correct"],
            incorrect=cells["incorrect"],
            events=events,
            judged=sum(s.judged for s in group),
            unscored=sum(s.unscored for s in group),
        )
    return Grid(
        rows=rows,
        unwelcome_correct_share=shares["down"],
        p_correct_given_up=shares["up"],
        p_down_given_correct=p_down_given_correct(by_rating["down"], by_rating["up"], confidence),
    )
