"""The tells report's charts, inline SVG like :mod:`backbone.report.charts`: a series as points
joined by a line with its Theil–Sen line over it (``series_chart``), and step curves of the
share of users still active (``activity_curves``). Marks carry classes tests can count:
``point``, ``series-line``, ``theil-sen``, ``band``, ``curve``.

Example:
    >>> svg = series_chart(["w1", "w2", "w3"], [0.1, 0.2, 0.3], slope=0.1, intercept=0.1)
    >>> svg.count('class="point"'), 'class="theil-sen"' in svg
    (3, True)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from backbone.report.charts import PALETTE, px, svg_chart, text_width
from backbone.report.escape import isolate

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
AXIS_LABEL = 24  # characters of a period's or release's name under the axis, at most


def _clip(text: str) -> str:
    """``text`` cut in the middle to :data:`AXIS_LABEL` characters (a release's number is
    often at its end).

    >>> _clip("release-2026-03-12-" + "x" * 40 + "-hotfix-2")
    'release-202…xxx-hotfix-2'
    """
    if len(text) <= AXIS_LABEL:
        return text
    head = (AXIS_LABEL - 1) // 2
    return text[:head] + "…" + text[-(AXIS_LABEL - 1 - head) :]


def _ticks(lo: float, hi: float) -> tuple[list[float], float]:
    """Round values between ``lo`` and ``hi`` for the y axis, and their step: the smallest
    of 1, 2, 2.5 or 5 times a power of ten that gives at most five steps. The axis was cut
    in quarters of the data's range, so its labels read '55% 66% 77% 88% 99%' or '-0.126
    0.633 1.39'.

    >>> _ticks(0.55, 0.99)
    ([0.6, 0.7, 0.8, 0.9], 0.1)
    >>> _ticks(-3.71, 3.01)
    ([-2.0, 0.0, 2.0], 2.0)
    """
    span = hi - lo
    mag = 10.0 ** math.floor(math.log10(span / 4))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if span / (m * mag) <= 5)
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    k = first
    while k * step <= hi + 1e-9 * step:
        ticks.append(round(k * step, 12) + 0.0)
        k += 1
    return ticks, step


def series_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    slope: float | None = None,
    intercept: float | None = None,
    bands: Sequence[Sequence[float]] | None = None,
    percent: bool = False,
    label: str = "series with its Theil–Sen line",
    color: str = PALETTE[0],
    width: int = 540,
    height: int = 220,
) -> Markup:
    """Each period's value as a point (with its interval as a band when given), joined by a
    line, and the Theil–Sen line ``intercept + slope * i`` across the periods."""
    # 2026-06-29 -> 06-29; a long name (a release) cut to fit, whole in its tooltip: a
    # 300-character last name made the right margin wider than the chart, which drew the
    # points left of it (off the chart). A ten-character name that is not a date
    # ('release-10') is shown whole.
    shown = [lab[5:] if _DATE.fullmatch(lab) else _clip(lab) for lab in labels]
    # the first and last periods' labels are centred on the plot's edges: half must fit
    right = max(14, 4 + text_width(shown[-1]) // 2) if shown else 14
    top, bottom = 12, 36
    ys = [v for v in values if v is not None]
    for b in bands or []:
        ys.extend(b)
    lo, hi = (min(ys), max(ys)) if ys else (0.0, 1.0)
    if hi - lo < 1e-12:
        lo, hi = lo - 0.5, hi + 0.5
    pad = (hi - lo) * 0.08
    lo, hi = lo - pad, hi + pad
    if percent:
        lo, hi = max(lo, 0.0), min(hi, 1.0)
    n = max(len(values), 2)
    ticks, step = _ticks(lo, hi)
    unit = 100 * step if percent else step
    power = math.floor(math.log10(unit) + 1e-9)
    decimals = max(0, -power) + (unit / 10**power == 2.5)
    marks = [f"{100 * v:.{decimals}f}%" if percent else f"{v:.{decimals}f}" for v in ticks]
    # the y labels sit left of the plot: the margin fits the widest
    left = max(56, 10 + max((text_width(m) for m in marks), default=0))
    if shown:
        left = max(left, 4 + text_width(shown[0]) // 2)
    pw, ph = width - left - right, height - top - bottom

    def x(i: float) -> float:
        return left + pw * i / (n - 1)

    def y(v: float) -> float:
        return top + ph * (1 - (v - lo) / (hi - lo))

    def fmt(v: float) -> str:
        return f"{100 * v:.0f}%" if percent else f"{v:.3g}"

    parts = ['<g class="axis" fill="#636a75">']
    for v, mark in zip(ticks, marks, strict=True):
        parts.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{px(y(v))}" y2="{px(y(v))}" '
            f'stroke="#e5e7eb"/><text class="ytick" x="{left - 6}" y="{px(y(v) + 4)}" '
            f'text-anchor="end">{mark}</text>'
        )
    every = max(1, len(labels) // 6)
    last = len(labels) - 1
    for i in range(len(labels)):
        if (i % every == 0 and last - i >= every / 2) or i == last:
            parts.append(
                f'<text x="{px(x(i))}" y="{height - bottom + 16}" text-anchor="middle">'
                f"<title>{escape(labels[i])}</title>{escape(shown[i])}</text>"
            )
    parts.append("</g>")
    if bands and len(bands) == len(values):
        upper = [f"{px(x(i))},{px(y(b[1]))}" for i, b in enumerate(bands)]
        lower = [f"{px(x(i))},{px(y(b[0]))}" for i, b in enumerate(bands)]
        parts.append(
            f'<polygon class="band" points="{" ".join(upper + lower[::-1])}" fill="{color}" '
            'fill-opacity=".12"/>'
        )
    pts = [(i, v) for i, v in enumerate(values) if v is not None]
    if pts:
        path = " ".join(f"{px(x(i))},{px(y(v))}" for i, v in pts)
        parts.append(
            f'<polyline class="series-line" points="{path}" fill="none" stroke="{color}" '
            'stroke-width="1.5" stroke-opacity=".6"/>'
        )
    for i, v in pts:
        lab = labels[i] if i < len(labels) else str(i)
        parts.append(
            f'<circle class="point" cx="{px(x(i))}" cy="{px(y(v))}" r="3" fill="{color}">'
            f"<title>{escape(isolate(lab))}: {fmt(v)}</title></circle>"
        )
    if slope is not None and intercept is not None and len(values) > 1:
        y0, y1 = intercept, intercept + slope * (len(values) - 1)
        parts.append(
            f'<line class="theil-sen" x1="{px(x(0))}" y1="{px(y(y0))}" '
            f'x2="{px(x(len(values) - 1))}" y2="{px(y(y1))}" stroke="#111" stroke-width="2" '
            f'stroke-dasharray="6 4"><title>Theil–Sen slope {slope:+.3g} per step</title></line>'
        )
    return svg_chart("series", width, height, "".join(parts), label)


def activity_curves(
    curves: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    label: str = "share of users still active after each period (Kaplan–Meier)",
    width: int = 540,
    height: int = 240,
) -> Markup:
    """One step curve per group from 100% at period 0, with its 95% band."""
    left, right, top, bottom = 48, 150, 12, 36
    pw, ph = width - left - right, height - top - bottom
    last = max((int(p["period"]) for c in curves.values() for p in c), default=1)

    def x(t: float) -> float:
        return left + pw * t / max(last, 1)

    def y(v: float) -> float:
        return top + ph * (1 - v)

    parts = ['<g class="axis" fill="#636a75">']
    for v in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{px(y(v))}" y2="{px(y(v))}" '
            f'stroke="#e5e7eb"/><text x="{left - 6}" y="{px(y(v) + 4)}" text-anchor="end">'
            f"{int(100 * v)}%</text>"
        )
    # the periods on the x axis (its title alone left the curves' time unreadable)
    for t in sorted({round(last * k / 4) for k in range(5)}):
        parts.append(
            f'<text class="tick" x="{px(x(t))}" y="{height - bottom + 16}" '
            f'text-anchor="middle">{t}</text>'
        )
    parts.append(
        f'<text x="{px(left + pw / 2)}" y="{height - 4}" text-anchor="middle">periods since '
        "first event</text></g>"
    )
    for k, (name, points) in enumerate(curves.items()):
        color = PALETTE[k % len(PALETTE)]
        path = [f"M{px(x(0))},{px(y(1))}"]
        top_b, bot_b = [], []
        for p in points:
            path.append(f"H{px(x(p['period']))}V{px(y(p['survival']))}")
            top_b.append(f"{px(x(p['period']))},{px(y(p['ci'][1]))}")
            bot_b.append(f"{px(x(p['period']))},{px(y(p['ci'][0]))}")
        parts.append(f'<g class="series" data-series="{escape(name)}">')
        if len(top_b) > 1:
            parts.append(
                f'<polygon class="band" points="{" ".join(top_b + bot_b[::-1])}" '
                f'fill="{color}" fill-opacity=".10"/>'
            )
        parts.append(
            f'<path class="curve" d="{"".join(path)}" fill="none" stroke="{color}" '
            f'stroke-width="2.2"><title>{escape(name)}</title></path>'
        )
        ly = top + 14 + 18 * k
        parts.append(
            f'<line x1="{width - right + 12}" x2="{width - right + 32}" y1="{ly - 4}" '
            f'y2="{ly - 4}" stroke="{color}" stroke-width="3"/><text x="{width - right + 38}" '
            f'y="{ly}">{escape(name)}</text></g>'
        )
    return svg_chart("activity", width, height, "".join(parts), label)
