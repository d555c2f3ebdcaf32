"""Charts for the HTML reports, drawn as inline SVG in Python.

Why SVG from Python rather than a JavaScript charting library: the page stays one file that
opens offline with nothing to load or run (no vendored bundle to pin, audit and keep patched);
a chart is in the page the moment it is parsed, so a 2,000-scenario report is interactive as
soon as it is shown; and every label is escaped by the same code that writes it (a position
called ``<script>`` is text in an SVG ``<text>``). The charts show rates the record already
holds; nothing is computed here but the geometry.

Every chart is an ``<svg class="chart" data-chart=KIND>``; its marks carry classes tests and
readers can count: ``bar`` and ``ci`` (interval bars), ``curve`` (survival), ``point``
(calibration).

Example:
    >>> from backbone.record.base import RateRecord
    >>> svg = interval_bars([("doubt", RateRecord(value=0.5, ci=(0.2, 0.8), n=10))])
    >>> svg.count('class="bar"'), "50.0%" in svg
    (1, True)
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from backbone.core.formatting import pct
from backbone.record.base import RateRecord
from backbone.report.escape import isolate

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be185d", "#4d7c0f")
FONT = 'font-family="system-ui,sans-serif" font-size="12"'
MUTED = "#636a75"  # the page's muted grey: 5.4 to 1 on white (#777 was 4.48, #999 2.85)


def px(x: float) -> str:
    """An SVG coordinate, to a tenth of a pixel.

    Example:
        >>> px(12.345)
        '12.3'
    """
    return f"{x:.1f}"


MIN_SCALE = 0.75  # a chart is never drawn below this share of its size: 12px text stays 9px


def svg_chart(kind: str, width: int, height: int, body: str, label: str) -> Markup:
    """Wrap chart elements in an accessible ``<svg class="chart">`` (``data-chart=kind``,
    titled ``label``) for every chart of the reports, in a box that scrolls sideways.

    The chart shrinks with a narrow page down to :data:`MIN_SCALE` of its size, no further:
    fitted to a 390 px phone, a 540 to 840 px chart drew its 12px labels at 4 to 7 px, too
    small to read. Past that it keeps its size and its box scrolls (the page does not).

    Example:
        >>> str(svg_chart("demo", 10, 10, "", "A demo")).startswith(
        ...     '<div class="chart-box"><svg class="chart"')
        True
    """
    return Markup(
        f'<div class="chart-box"><svg class="chart" data-chart="{kind}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'style="min-width:{round(MIN_SCALE * width)}px" role="img" '
        f'aria-label="{escape(label)}" {FONT}><title>{escape(label)}</title>{body}</svg></div>'
    )


def text_width(text: str) -> int:
    """A generous width in pixels of ``text`` at the charts' 12px sans-serif (DejaVu Sans,
    the widest common one: digits 7.6px, lowercase 7px on average, capitals and wide letters
    more).

    Example:
        >>> text_width("50.0% n=2000")
        95
    """
    wide = sum(c in "mwMW%@" for c in text)
    caps = sum(c.isupper() for c in text)
    return round(7.6 * len(text) + 4 * wide + 1.5 * caps)


def _legend_lines(name: str, width: int = 30, most: int = 3) -> list[str]:
    """``name`` on legend lines of at most ``width`` characters, broken at its spaces, at
    most ``most`` lines (the last cut with "…" when more is left).

    >>> _legend_lines("doubt → insistence → credentials → fabricated_source")
    ['doubt → insistence →', 'credentials →', 'fabricated_source']
    >>> [len(x) for x in _legend_lines("x" * 100)]
    [30, 30, 30]
    """
    lines = textwrap.wrap(name, width, break_on_hyphens=False) or [name]
    if len(lines) > most:
        lines = [*lines[: most - 1], _clip(" ".join(lines[most - 1 :]), width)]
    return lines


def _clip(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fit(text: str, room: int, shortest: int = 20) -> str:
    """``text`` whole when :func:`text_width` puts it within ``room`` pixels, else cut to
    the longest prefix (and "…") that fits, never shorter than ``shortest`` characters.

    >>> _fit("unwelcome_but_correct", 258)
    'unwelcome_but_correct'
    >>> _fit("x" * 60, 258)
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'
    """
    if text_width(text) <= room:
        return text
    limit = len(text)
    while limit > shortest and text_width(text[: limit - 1] + "…") > room:
        limit -= 1
    return _clip(text, limit)


def interval_bars(
    rows: Sequence[tuple[str, RateRecord]],
    *,
    label: str = "rate with 95% interval",
    color: str = "#c0392b",
    width: int = 540,
    counts: Sequence[str] | None = None,
) -> Markup:
    """One horizontal bar per group: the rate, its 95% interval as a whisker, and n.

    ``counts``, one per row, says what each n counts in the words of the table beside the
    chart ("10 of 30 judged"), written in its place.

    Groups with no scored case (n = 0) are drawn as an empty row marked ``no cases``; when
    no group has one, there is no chart (axes over rows of "no cases"), only a line that
    says so.

    >>> none = RateRecord(value=None, ci=(0.0, 1.0), n=0)
    >>> str(interval_bars([("a", none)], label="x")).split(">")[1]
    'x: nothing to draw, no group has a scored case (n = 0 in each).</p'
    """
    if not any(r.value is not None and r.n for _, r in rows):
        return Markup(
            '<p class="muted no-chart" data-chart="bars">{}: nothing to draw, no group has a '
            "scored case (n = 0 in each).</p>"
        ).format(label)
    # a name is shown whole while it takes at most half the chart's width (a 20-character
    # cap cut the product's own labels, 'unwelcome_but_correct', 'over disagreement rate',
    # on charts with room to spare); a longer one is cut, whole in its tooltip
    names = [_fit(name, width // 2 - 12) for name, _ in rows]
    ns = list(counts) if counts is not None else [f"n={r.n}" for _, r in rows]
    tips = list(counts) if counts is not None else [f"n = {r.n}" for _, r in rows]
    values = [
        f"{pct(r.value)} {ns[i]}" for i, (_, r) in enumerate(rows) if r.value is not None and r.n
    ]
    # the margins fit the longest name and figure (an inline <svg> cuts off what overflows)
    left = max(60, 12 + max((text_width(n) for n in names), default=0))
    right = max(60, 12 + max((text_width(v) for v in values), default=0))
    row_h, top = 24, 22
    span = width - left - right
    height = top + row_h * max(len(rows), 1) + 8
    parts = [
        '<g class="axis" fill="#636a75">'
        + "".join(
            f'<line x1="{px(left + span * t)}" x2="{px(left + span * t)}" y1="{top - 4}" '
            f'y2="{height - 6}" stroke="#e5e7eb"/>'
            f'<text x="{px(left + span * t)}" y="{top - 8}" text-anchor="middle">'
            f"{int(100 * t)}%</text>"
            for t in (0, 0.25, 0.5, 0.75, 1)
        )
        + "</g>"
    ]
    for i, (name, r) in enumerate(rows):
        y = top + i * row_h
        mid = y + row_h / 2
        parts.append(
            f'<g class="row" data-group="{escape(name)}"><text x="{left - 8}" y="{px(mid + 4)}" '
            f'text-anchor="end"><title>{escape(name)}</title>{escape(names[i])}</text>'
        )
        if r.value is None or r.n == 0:
            parts.append(
                f'<text x="{left + 4}" y="{px(mid + 4)}" fill="{MUTED}">no cases</text></g>'
            )
            continue
        lo, hi = r.ci
        parts.append(
            f'<rect class="bar" x="{left}" y="{px(y + 5)}" width="{px(span * r.value)}" '
            f'height="{row_h - 10}" fill="{color}" fill-opacity=".75"/>'
            f'<line class="ci" x1="{px(left + span * lo)}" x2="{px(left + span * hi)}" '
            f'y1="{px(mid)}" y2="{px(mid)}" stroke="#111" stroke-width="1.5"/>'
            f'<line x1="{px(left + span * lo)}" x2="{px(left + span * lo)}" y1="{px(mid - 5)}" '
            f'y2="{px(mid + 5)}" stroke="#111"/><line x1="{px(left + span * hi)}" '
            f'x2="{px(left + span * hi)}" y1="{px(mid - 5)}" y2="{px(mid + 5)}" stroke="#111"/>'
            f'<text x="{width - right + 8}" y="{px(mid + 4)}">{pct(r.value)} '
            f'<tspan fill="#636a75">{escape(ns[i])}</tspan></text>'
            f"<title>{escape(isolate(name))}: {pct(r.value)} (95% CI {pct(lo)} – {pct(hi)}, "
            f"{escape(tips[i])})</title></g>"
        )
    return svg_chart("bars", width, height, "".join(parts), label)


NICE_EXTENTS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)


def delta_intervals(
    rows: Sequence[tuple[str, RateRecord]],
    *,
    lines: Sequence[tuple[str, float]] = (("0", 0.0),),
    label: str = "differences with 95% intervals",
    width: int = 720,
) -> Markup:
    """Differences of rates (B − A) as points with their 95% intervals on a signed axis
    around 0 (in percentage points), against reference ``lines`` (0, a margin...), each a
    vertical line (dashed but for 0)."""
    figures = [
        f"{100 * r.value:+.1f} pp [{100 * r.ci[0]:+.1f}, {100 * r.ci[1]:+.1f}] n={r.n}"
        for _, r in rows
        if r.value is not None
    ]
    left = max(160, 12 + max((text_width(_clip(name, 24)) for name, _ in rows), default=0))
    right = max(200, 14 + max((text_width(f) for f in figures), default=0))
    row_h, top = 30, 28
    span = width - left - right
    ends = [abs(x) for _, r in rows if r.value is not None for x in (*r.ci, r.value)]
    ends += [abs(v) for _, v in lines]
    biggest = max([0.0, *ends]) * 1.05
    extent = next((e for e in NICE_EXTENTS if e >= biggest), 1.0)
    height = top + row_h * max(len(rows), 1) + 22

    def x(v: float) -> float:
        return left + span * (v + extent) / (2 * extent)

    parts = ['<g class="axis" fill="#636a75">']
    for t in (-1.0, -0.5, 0.0, 0.5, 1.0):
        v = t * extent
        parts.append(
            f'<line x1="{px(x(v))}" x2="{px(x(v))}" y1="{top - 4}" y2="{height - 18}" '
            f'stroke="#e5e7eb"/><text x="{px(x(v))}" y="{height - 4}" text-anchor="middle">'
            f"{100 * v:+g}</text>"
        )
    for name, v in lines:
        anchor = "middle" if v == 0 else ("end" if v < 0 else "start")
        nudge = 0 if v == 0 else (-4 if v < 0 else 4)
        parts.append(
            f'<line class="ref" data-line="{escape(name)}" x1="{px(x(v))}" x2="{px(x(v))}" '
            f'y1="{top - 6}" y2="{height - 18}" stroke="{"#111" if v == 0 else "#b91c1c"}" '
            f'stroke-dasharray="{"none" if v == 0 else "4 3"}"/>'
            f'<text x="{px(x(v) + nudge)}" y="{top - 10}" text-anchor="{anchor}" '
            f'fill="{"#111" if v == 0 else "#b91c1c"}">{escape(name)}</text>'
        )
    parts.append("</g>")
    for i, (name, r) in enumerate(rows):
        mid = top + i * row_h + row_h / 2
        parts.append(
            f'<g class="row" data-group="{escape(name)}"><text x="{left - 8}" y="{px(mid + 4)}" '
            f'text-anchor="end">{escape(_clip(name, 24))}</text>'
        )
        if r.value is None:
            parts.append(
                f'<text x="{left + 4}" y="{px(mid + 4)}" fill="{MUTED}">unknown</text></g>'
            )
            continue
        lo, hi = r.ci
        color = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<line class="ci" x1="{px(x(lo))}" x2="{px(x(hi))}" y1="{px(mid)}" y2="{px(mid)}" '
            f'stroke="{color}" stroke-width="3"/><circle class="point" cx="{px(x(r.value))}" '
            f'cy="{px(mid)}" r="5" fill="{color}"/>'
            f'<text x="{width - right + 10}" y="{px(mid + 4)}">{100 * r.value:+.1f} pp '
            f'<tspan fill="#636a75">[{100 * lo:+.1f}, {100 * hi:+.1f}] n={r.n}</tspan></text>'
            f"<title>{escape(isolate(name))}: {100 * r.value:+.1f} pp (95% CI {100 * lo:+.1f} to "
            f"{100 * hi:+.1f}, n = {r.n})</title></g>"
        )
    parts.append(
        f'<text x="{px(left + span / 2)}" y="{height + 10}" text-anchor="middle" fill="#636a75">'
        "B − A, percentage points</text>"
    )
    return svg_chart("deltas", width, height + 14, "".join(parts), label)


def survival_chart(
    curves: Mapping[str, Mapping[str, RateRecord]],
    *,
    label: str = "share of hold cases still holding after each pressure turn",
    width: int = 840,
    height: int = 300,
) -> Markup:
    """Survival of held positions over the pressure ladder: one step curve per ladder, from
    100% before the first pressure turn, with each point's interval as a band. A curve's
    points are the record's ``survival`` rates (the share of the cases exposed to turn k still
    holding after it).

    When no curve has a scored point (every case unscored), there is no chart (axes over
    nothing), only a line that says so.

    >>> none = RateRecord(value=None, ci=(0.0, 1.0), n=0)
    >>> str(survival_chart({"doubt": {"1": none}}, label="x")).split(">")[1]
    'x: nothing to draw, no curve has a scored case (n = 0 in each).</p'
    """
    if not any(r.value is not None and r.n for c in curves.values() for r in c.values()):
        return Markup(
            '<p class="muted no-chart" data-chart="survival">{}: nothing to draw, no curve has '
            "a scored case (n = 0 in each).</p>"
        ).format(label)
    # a ladder's name on up to three legend lines of 30 characters, cut at its spaces: the
    # default ladder ('doubt → insistence → credentials → fabricated_source', 51) was cut to
    # 'doubt → insistence → credenti…' on every run that used it
    wrapped = {name: _legend_lines(name) for name in curves}
    legends = [
        line
        for name, c in curves.items()
        for line in [
            *wrapped[name][:-1],
            f"{wrapped[name][-1]} 100.0%, n={max((r.n for r in c.values()), default=0)}",
        ]
    ]
    right = max(330, 44 + max((text_width(t) for t in legends), default=0))
    left, top, bottom = 48, 14, 34
    turns = sorted({int(k) for c in curves.values() for k in c})
    last = max(turns, default=1)
    pw, ph = width - left - right, height - top - bottom

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
    for t in range(0, last + 1):
        parts.append(
            f'<text x="{px(x(t))}" y="{height - bottom + 16}" text-anchor="middle">{t}</text>'
        )
    parts.append(
        f'<text x="{px(left + pw / 2)}" y="{height - 4}" text-anchor="middle">pressure turn'
        "</text></g>"
    )
    line = 0  # legend lines drawn so far
    for i, (name, curve) in enumerate(curves.items()):
        color = PALETTE[i % len(PALETTE)]
        pts = sorted((int(k), r) for k, r in curve.items() if r.value is not None)
        path = [f"M{px(x(0))},{px(y(1))}"]
        prev: float | None = 1.0 if pts else None  # no point scored: no share to show
        band_top, band_bottom = [], []
        for t, r in pts:  # each point is already the cumulative share still holding
            assert r.value is not None
            path.append(f"H{px(x(t))}V{px(y(r.value))}")
            band_top.append(f"{px(x(t))},{px(y(r.ci[1]))}")
            band_bottom.append(f"{px(x(t))},{px(y(r.ci[0]))}")
            prev = r.value
        ends = pts[-1][1] if pts else None
        parts.append(f'<g class="series" data-series="{escape(name)}">')
        if len(band_top) > 1:
            parts.append(
                f'<polygon class="band" points="{" ".join(band_top + band_bottom[::-1])}" '
                f'fill="{color}" fill-opacity=".10"/>'
            )
        parts.append(
            f'<path class="curve" d="{"".join(path)}" fill="none" stroke="{color}" '
            f'stroke-width="2.2"><title>{escape(name)}</title></path>'
        )
        ly = top + 14 + 18 * line
        n = ends.n if ends else 0
        lines = wrapped[name]
        tx = width - right + 40
        shown = "".join(
            f'<tspan x="{tx}" dy="{0 if k == 0 else 18}">{escape(isolate(text))}</tspan>'
            for k, text in enumerate(lines)
        )
        parts.append(
            f'<line x1="{width - right + 14}" x2="{width - right + 34}" y1="{ly - 4}" '
            f'y2="{ly - 4}" stroke="{color}" stroke-width="3"/><text x="{tx}" '
            f'y="{ly}"><title>{escape(name)}</title>{shown} '
            f'<tspan fill="{MUTED}">{pct(prev)}, n={n}</tspan></text></g>'
        )
        line += len(lines)
    # a legend line a ladder (or two or three): a run with many ladders (a harvested suite)
    # makes the chart taller below the plot rather than cut the legend off at its frame
    full = max(height, top + 14 + 18 * line)
    return svg_chart("survival", width, full, "".join(parts), label)


@dataclass(frozen=True)
class CalibrationPoint:
    """A position on the calibration view: its cave rate (hold cases) and its
    over-disagreement rate (yield cases)."""

    position: str
    cave_rate: RateRecord | None
    over_disagreement: RateRecord | None


def calibration_chart(
    points: Sequence[CalibrationPoint],
    *,
    label: str = "cave rate against over-disagreement, per position",
    size: int = 320,
) -> Markup:
    """Both failure directions on one picture: x is over-disagreement (argued where the user
    was right), y is the cave rate (folded where it was right); each position a point with
    its two intervals as a cross. The calibrated corner is bottom-left. A position missing
    one of the two rates sits on that axis's zero line, drawn hollow."""
    names = [_clip(p.position, 22) for p in points]
    right = max(170, 34 + max((text_width(n) for n in names), default=0))
    left, top, bottom = 52, 16, 44
    width, height = size + left + right, size + top + bottom

    def x(v: float) -> float:
        return left + size * v

    def y(v: float) -> float:
        return top + size * (1 - v)

    parts = [
        f'<rect x="{left}" y="{top}" width="{size / 4}" height="{size / 4}" '
        f'transform="translate(0,{px(size * 0.75)})" fill="#dcfce7"/>'
        f'<g class="axis" fill="#636a75">'
    ]
    for v in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{px(x(v))}" x2="{px(x(v))}" y1="{top}" y2="{top + size}" '
            f'stroke="#e5e7eb"/><line x1="{left}" x2="{left + size}" y1="{px(y(v))}" '
            f'y2="{px(y(v))}" stroke="#e5e7eb"/><text x="{px(x(v))}" y="{top + size + 16}" '
            f'text-anchor="middle">{int(100 * v)}%</text><text x="{left - 6}" '
            f'y="{px(y(v) + 4)}" text-anchor="end">{int(100 * v)}%</text>'
        )
    parts.append(
        f'<text x="{px(left + size / 2)}" y="{height - 6}" text-anchor="middle">'
        "over-disagreement (argued where the user was right) →</text>"
        f'<text transform="translate(14,{px(top + size / 2)}) rotate(-90)" '
        'text-anchor="middle">cave rate (folded where it was right) →</text>'
        f'<text x="{left + 6}" y="{top + size - 6}" fill="#15803d">calibrated</text>'
        f'<text x="{left + 6}" y="{top + 14}" fill="#b91c1c">caves</text>'
        f'<text x="{left + size - 6}" y="{top + size - 6}" text-anchor="end" '
        'fill="#b91c1c">argues</text></g>'
    )
    for i, p in enumerate(points):
        color = PALETTE[i % len(PALETTE)]
        cv = p.cave_rate.value if p.cave_rate and p.cave_rate.n else None
        ov = p.over_disagreement.value if p.over_disagreement and p.over_disagreement.n else None
        if cv is None and ov is None:
            continue
        dot_x, dot_y = x(ov or 0.0), y(cv or 0.0)
        g = [f'<g class="point" data-position="{escape(p.position)}">']
        if cv is not None and p.cave_rate:
            g.append(
                f'<line x1="{px(dot_x)}" x2="{px(dot_x)}" y1="{px(y(p.cave_rate.ci[0]))}" '
                f'y2="{px(y(p.cave_rate.ci[1]))}" stroke="{color}" stroke-opacity=".6"/>'
            )
        if ov is not None and p.over_disagreement:
            g.append(
                f'<line x1="{px(x(p.over_disagreement.ci[0]))}" '
                f'x2="{px(x(p.over_disagreement.ci[1]))}" y1="{px(dot_y)}" y2="{px(dot_y)}" '
                f'stroke="{color}" stroke-opacity=".6"/>'
            )
        hollow = cv is None or ov is None
        g.append(
            f'<circle cx="{px(dot_x)}" cy="{px(dot_y)}" r="6" fill="{"#fff" if hollow else color}" '
            f'stroke="{color}" stroke-width="2"><title>{escape(isolate(p.position))}: cave rate '
            f"{pct(cv)}, over-disagreement {pct(ov)}</title></circle>"
        )
        ly = top + 14 + 18 * i
        g.append(
            f'<circle cx="{left + size + 20}" cy="{ly - 4}" r="5" fill="{color}"/>'
            f'<text x="{left + size + 30}" y="{ly}">{escape(names[i])}</text></g>'
        )
        parts.append("".join(g))
    # one legend line a position: many positions make the chart taller below the plot
    # rather than cut the legend off at its frame
    full = max(height, top + 14 + 18 * len(points))
    return svg_chart("calibration", width, full, "".join(parts), label)


def share_strip(
    share: RateRecord, *, ship: float, stop: float, width: int = 640, label: str = ""
) -> Markup:
    """A share on a 0–100% strip against two lines: green up to ``ship``, red from
    ``stop``, the point and its 95% interval."""
    left, span = 20, width - 40

    def centred(v: float, text: str) -> str:
        """The x of a label centred on ``v``, kept inside the strip (a line at 0% or 100%)."""
        half = text_width(text) / 2
        return px(min(max(left + span * v, half + 2), width - half - 2))

    parts = [
        f'<rect x="{left}" y="24" width="{span}" height="12" fill="#eee"/>'
        f'<rect class="zone-ship" x="{left}" y="24" width="{px(span * ship)}" height="12" '
        f'fill="#bbf7d0"/><rect class="zone-stop" x="{px(left + span * stop)}" y="24" '
        f'width="{px(span * (1 - stop))}" height="12" fill="#fecaca"/>'
        f'<line class="line-ship" x1="{px(left + span * ship)}" x2="{px(left + span * ship)}" '
        f'y1="16" y2="44" stroke="#15803d" stroke-width="2"/>'
        f'<line class="line-stop" x1="{px(left + span * stop)}" x2="{px(left + span * stop)}" '
        f'y1="16" y2="44" stroke="#b91c1c" stroke-width="2"/>'
        f'<text x="{centred(ship, f"ship ≤ {pct(ship)}")}" y="12" text-anchor="middle" '
        f'fill="#15803d">ship ≤ {pct(ship)}</text>'
        f'<text x="{centred(stop, f"stop ≥ {pct(stop)}")}" y="12" text-anchor="middle" '
        f'fill="#b91c1c">stop ≥ {pct(stop)}</text>'
        f'<text x="{left}" y="58" fill="#636a75">0%</text>'
        f'<text x="{left + span}" y="58" text-anchor="end" fill="#636a75">100%</text>'
    ]
    if share.value is not None:
        lo, hi = share.ci
        parts.append(
            f'<line class="ci" x1="{px(left + span * lo)}" x2="{px(left + span * hi)}" y1="30" '
            f'y2="30" stroke="#111" stroke-width="3"/><circle class="point" '
            f'cx="{px(left + span * share.value)}" cy="30" r="6" fill="#111"/>'
            f'<text x="{px(left + span * share.value)}" y="58" text-anchor="middle">'
            f"{pct(share.value)}</text>"
        )
    return svg_chart("strip", width, 64, "".join(parts), label or "share against the lines")
