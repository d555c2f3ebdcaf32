"""The tells' ``report.html``: one self-contained page (no script, nothing fetched) with the
alarm and the count of tells on, then each tell's series drawn with its Theil–Sen line (the
thumbs-up rate and the task index, the share of shifted tickets, the internal − external gap)
or, for churn, the share of power and casual users still active, each with on/off and why.

Example:
    >>> html = render_tells_html(tells_document(result))  # doctest: +SKIP
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from backbone.report import tells_charts
from backbone.report.charts import PALETTE
from backbone.report.page import render_page
from backbone.report.sections import Section, register

PAGE = "tells"
TITLES = {
    "satisfaction_vs_task": "Satisfaction rising while task metrics do not",
    "power_user_churn": "Power users churning faster than casual users",
    "ticket_shift": "Tickets shifting to vague and agreed-then-burned",
    "eval_divergence": "Internal evals pulling away from external ones",
}

register(PAGE, Section("tells-summary", "Tells and alarm", "tells_summary.html.j2"))
register(PAGE, Section("tells-series", "Each tell's series", "tells_series.html.j2"))


def _rates_chart(
    caption: str, labels: list[str], rates: list[dict[str, Any]], trend: dict[str, Any], color: str
) -> tuple[str, Markup]:
    """A per-period rate with its band and the trend's Theil–Sen line."""
    svg = tells_charts.series_chart(
        labels,
        [r["value"] for r in rates],
        bands=[r["ci"] for r in rates],
        slope=trend.get("slope"),
        intercept=trend.get("intercept"),
        percent=True,
        color=color,
        label=caption,
    )
    return caption, svg


def _values_chart(
    caption: str, labels: list[str], values: list[float], trend: dict[str, Any], color: str
) -> tuple[str, Markup]:
    """A per-period (or per-release) value and the trend's Theil–Sen line."""
    svg = tells_charts.series_chart(
        labels,
        values,
        slope=trend.get("slope"),
        intercept=trend.get("intercept"),
        color=color,
        label=caption,
    )
    return caption, svg


RATE_SERIES = frozenset({"satisfaction", "share"})  # shares per period: slopes in points


def slope_cells(slope: float, ci: list[float], *, rate: bool = False) -> tuple[str, str]:
    """A Theil–Sen slope and its 95% interval at the same decimals, with their signs and no
    exponent: three significant digits of the largest of the three; a share's slope in
    percentage points. The table wrote the slope to four significant digits and its
    interval to three, each on its own ('-2.131e-05' beside '-0.000333 – 0.00026').

    >>> slope_cells(-2.131e-05, [-0.000333, 0.00026])
    ('-0.000021', '-0.000333 – +0.000260')
    >>> slope_cells(0.01239, [0.01031, 0.01381], rate=True)
    ('+1.24 pp', '+1.03 pp – +1.38 pp')
    >>> slope_cells(0.0, [0.0, 0.0])
    ('+0', '+0 – +0')
    """
    scale, unit = (100.0, " pp") if rate else (1.0, "")
    values = [scale * v for v in (slope, *ci)]
    top = max(abs(v) for v in values)
    decimals = 0 if top == 0 else min(12, max(0, 2 - math.floor(math.log10(top))))
    s, lo, hi = (f"{v:+.{decimals}f}{unit}" for v in values)
    return s, f"{lo} – {hi}"


@dataclass
class TellsView:
    """The ``tells.json`` document and its charts."""

    doc: dict[str, Any]

    def title(self, name: str) -> str:
        return TITLES.get(name, name)

    def charts(self, tell: dict[str, Any]) -> list[tuple[str, Markup]]:
        """(caption, svg) for each chart of a tell."""
        s, e, name = tell["series"], tell["evidence"], tell["name"]
        out: list[tuple[str, Markup]] = []
        if name == "satisfaction_vs_task" and s.get("satisfaction"):
            out.append(
                _rates_chart(
                    "thumbs-up rate per period (95% band), Theil–Sen line dashed",
                    s["periods"],
                    s["satisfaction"],
                    e.get("satisfaction", {}),
                    PALETTE[0],
                )
            )
            if s.get("task_index"):
                out.append(
                    _values_chart(
                        "task index (mean of the standardized task metrics; up is better)",
                        s["task_periods"],
                        s["task_index"],
                        e["task_index"],
                        "#16a34a",
                    )
                )
        elif name == "ticket_shift" and s.get("share"):
            out.append(
                _rates_chart(
                    "share of vague + agreed_then_burned tickets per period (95% band)",
                    s["periods"],
                    s["share"],
                    e["share"],
                    "#dc2626",
                )
            )
        elif name == "eval_divergence" and s.get("gap"):
            out.append(
                _values_chart(
                    "standardized gap z(internal) − z(external) per release",
                    s["releases"],
                    s["gap"],
                    e["gap"],
                    "#9333ea",
                )
            )
        elif name == "power_user_churn" and s.get("power"):
            out.append(
                (
                    "share of users still active, power vs casual (Kaplan–Meier, 95% band)",
                    tells_charts.activity_curves({"power": s["power"], "casual": s["casual"]}),
                )
            )
        return out

    def step(self, tell: dict[str, Any]) -> str:
        """What a slope is per: the period of the log, or a release for the evals."""
        return "release" if tell["name"] == "eval_divergence" else str(self.doc["period"])

    def trend_cells(self, label: str, trend: dict[str, Any]) -> tuple[str, str]:
        """A slope and its interval, written by one rule (see :func:`slope_cells`)."""
        return slope_cells(trend["slope"], trend["ci"], rate=label in RATE_SERIES)

    def slope_rows(self, tell: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """The trends in a tell's evidence, named."""
        e = tell["evidence"]
        rows = [(k, v) for k, v in e.items() if isinstance(v, dict) and "slope" in v]
        for metric, v in (e.get("metrics") or {}).items():
            rows.append((f"metric {metric}", v))
        return rows


def render_tells_html(doc: dict[str, Any]) -> str:
    """The report for the tells, from its ``tells.json`` document."""
    d = doc
    subtitle = Markup(
        "log <b>{}</b> ({} events, {} {}s from {} to {}) · alpha {} · {} correction · trend "
        "test {} · {} · backbone {}"
    ).format(
        d["input"]["file"],
        d["input"]["rows"],
        d["input"]["periods"]["count"],
        d["period"],
        d["input"]["periods"]["first"],
        d["input"]["periods"]["last"],
        d["alpha"],
        d["correction"],
        d["trend_test"],
        d["created"],
        d["backbone_version"],
    )
    verdict = "ALARM" if d["alarm"] else "no alarm"
    return render_page(
        PAGE,
        title=Markup("backbone tells: <bdi>{}</bdi> — {} on, {}").format(
            d["input"]["file"], d["on_count"], verdict
        ),
        subtitle=subtitle,
        view=TellsView(doc),
    )
