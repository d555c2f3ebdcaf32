"""The decision: correct the family of available tells, switch each on or off, count, alarm.

The family is the available tells' one-sided p-values, corrected with **Holm**
(:func:`statsmodels.stats.multitest.multipletests`, ``method="holm"``). Why Holm rather than
Benjamini–Hochberg: the decision that matters is the alarm (three or more on), and Holm bounds
the chance that *any* tell without a real trend is on at alpha (family-wise), so a false
alarm — three on when fewer than three are real — happens at most alpha of the time. BH
bounds only the expected share of false tells among those on, and with two real tells it lets
a third, null one on at up to 3α/4 alone (the alarm then false well above alpha). Each tell
alone stays at or below alpha under either.

A tell is on when it is available, its corrected p-value is at most alpha and its own condition
holds (satisfaction: the task index not rising). Unavailable tells are not tested, not on and
not counted, and do not enlarge the family.

Example:
    >>> from backbone.audit.tells.model import Measured
    >>> ms = [Measured(name="ticket_shift", available=True, p_raw=0.01),
    ...       Measured(name="eval_divergence", available=True, p_raw=0.04),
    ...       Measured(name="power_user_churn", available=False, reason="no user_id column")]
    >>> [(t.on, t.p_value and round(t.p_value, 2)) for t in decide(ms, alpha=0.05)]
    [(True, 0.02), (True, 0.04), (False, None)]
"""

from __future__ import annotations

from collections.abc import Sequence

from backbone.audit.tells.model import Measured, Tell
from backbone.core.formatting import p_is, pval_at

CORRECTION = "holm"


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values (statsmodels)."""
    if not p_values:
        return []
    from statsmodels.stats.multitest import multipletests

    return [float(p) for p in multipletests(list(p_values), method="holm")[1]]


def decide(measured: Sequence[Measured], *, alpha: float) -> list[Tell]:
    """Each measured tell decided at ``alpha`` after the family correction."""
    tested = [m for m in measured if m.available and m.p_raw is not None]
    adjusted = dict(
        zip((m.name for m in tested), holm([m.p_raw or 0.0 for m in tested]), strict=True)
    )
    out = []
    for m in measured:
        p = adjusted.get(m.name)
        if not m.available or p is None:
            on, why = False, f"not available: {m.reason}"
        elif p > alpha:
            on, why = (
                False,
                (
                    f"off: no significant trend ({m.reason}; p {p_is(m.p_raw)}, "
                    f"Holm-corrected {pval_at(p, alpha)} > alpha {alpha:g})"
                ),
            )
        elif not m.condition:
            on, why = (
                False,
                f"off: significant (corrected p {p_is(p, alpha)}), but {m.condition_reason}",
            )
        else:
            extra = f"; {m.condition_reason}" if m.condition_reason else ""
            on, why = (
                True,
                (
                    f"on: {m.reason}, p {p_is(m.p_raw)}, Holm-corrected {pval_at(p, alpha)} "
                    f"<= alpha {alpha:g}{extra}"
                ),
            )
        out.append(
            Tell(
                name=m.name,
                on=on,
                available=m.available,
                p_value=p,
                p_unadjusted=m.p_raw if m.available else None,
                why=why,
                evidence=m.evidence,
                series=m.series,
            )
        )
    return out
