"""How figures are written for people: one rule for every terminal line, page and summary.

Example:
    >>> pct(0.1234)
    '12.3%'
    >>> pct(None)
    '—'
    >>> pp(-0.05), pval(0.0004)
    ('-5.0 pp', '<0.001')
    >>> plural(1, "turn"), plural(2, "turn")
    ('1 turn', '2 turns')
"""

from __future__ import annotations


def pct(x: float | None) -> str:
    """A share as a percentage with one decimal; ``—`` when there is no value. A share that
    is not zero is never written as zero: below 0.05% it takes two significant digits (1 in
    30,001 is ``0.0033%``, not ``0.0%``).

    Example:
        >>> pct(0.0), pct(1 / 30_001), pct(0.00049), pct(0.0005)
        ('0.0%', '0.0033%', '0.049%', '0.1%')
    """
    if x is None:
        return "—"
    if 0 < abs(x) < 0.0005:
        return f"{100 * x:.2g}%"
    return f"{100 * x:.1f}%"


def pct_ci(value: float | None, ci: tuple[float, float], n: int | None = None) -> str:
    """A share with its 95% interval, and its n when given: ``11.7% (5.8% – 22.2%, n=60)``.

    Example:
        >>> pct_ci(0.117, (0.058, 0.222), 60), pct_ci(None, (0.0, 1.0))
        ('11.7% (5.8% – 22.2%, n=60)', '— (0.0% – 100.0%)')
    """
    n_text = "" if n is None else f", n={n}"
    return f"{pct(value)} ({pct(ci[0])} – {pct(ci[1])}{n_text})"


def plural(n: int, word: str, many: str | None = None) -> str:
    """A count and its noun, singular for exactly one: ``1 turn``, ``0 turns``, ``3 turns``
    (``many`` for a plural that is not the word and an ``s``). Only the noun that follows
    the count changes: ``plural(1, "new scenario")``.

    Example:
        >>> plural(1, "new scenario"), plural(0, "reply", "replies"), plural(1200, "event")
        ('1 new scenario', '0 replies', '1200 events')
    """
    return f"{n} {word if n == 1 else many or word + 's'}"


def money(x: float | None, currency: str = "USD") -> str:
    """An amount of money: ``$0.0123`` (four decimals below a dollar, two above); ``—``
    when not priced.

    Example:
        >>> money(0.01234), money(12.5), money(None)
        ('$0.0123', '$12.50', '—')
    """
    if x is None:
        return "—"
    sign = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{x:.2f}" if abs(x) >= 1 else f"{sign}{x:.4f}"


def pp(x: float | None) -> str:
    """A difference of rates in percentage points, signed; one that rounds to nothing is
    "+0.0 pp" whichever side of zero it lies (never "-0.0 pp").

    Example:
        >>> pp(0.0734), pp(-0.0001), pp(0.0), pp(None)
        ('+7.3 pp', '+0.0 pp', '+0.0 pp', '—')
    """
    if x is None:
        return "—"
    points = round(100 * x, 1)
    return f"{points + 0.0 if points else 0.0:+.1f} pp"


def pval(p: float | None) -> str:
    """A p-value with three significant digits; ``<0.001`` below that."""
    if p is None:
        return "—"
    return "<0.001" if p < 0.001 else f"{p:.3g}"


def pval_at(p: float | None, level: float) -> str:
    """:func:`pval`, with as many more digits as keep the p-value on its side of ``level``
    (the level a decision beside it was taken at): 0.02498 against 0.025 is written 0.02498,
    not 0.025, which would read as not below it.

    Example:
        >>> pval_at(0.024984, 0.025), pval_at(0.0250748, 0.025), pval_at(0.0004, 0.05)
        ('0.02498', '0.0251', '<0.001')
    """
    text = pval(p)
    digits = 3
    while p is not None and p >= 0.001 and (float(text) < level) != (p < level) and digits < 17:
        digits += 1
        text = f"{p:.{digits}g}"
    return text


def p_is(p: float | None, level: float | None = None) -> str:
    """A p-value after the word "p": ``= 0.031``, or ``< 0.001`` below that; by the rule of
    :func:`pval` (of :func:`pval_at` when a ``level`` was tested), never in e-notation.

    Example:
        >>> p_is(0.0312), p_is(3.2e-07), p_is(0.02498, 0.025), p_is(None)
        ('= 0.0312', '< 0.001', '= 0.02498', '= —')
    """
    text = pval(p) if level is None else pval_at(p, level)
    return text.replace("<", "< ") if text.startswith("<") else f"= {text}"
