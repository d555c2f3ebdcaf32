"""The tells' ``report.html``: one self-contained page (no script, nothing fetched) with the
alarm and the count of tells on, then each tell's series drawn with its Theil–Sen line (the
thumbs-up rate and the task index, the share of shifted tickets, the internal − external gap)
or, for churn, the share of power and casual users still active, each with on/off and why.

Example:
    >>> html = render_tells_html(tells_document(result))  # doctest: +SKIP
"""

from __future__ import annotations

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
