"""The monitor's ``report.html``: one self-contained page (no script, nothing fetched) with the
headline figures and their intervals, the figures by domain, the friction signals beside the
over-disagreement rate, the detected pushback tactics, the sample design, the caved
conversations (the reply that caved marked) and the judged replies.

Its sections are registered on the ``monitor`` page here (:mod:`backbone.report.sections`);
templates are ``templates/sections/monitor_*.html.j2``.

Example:
    >>> html = render_monitor_html(monitor_document(result))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from backbone.record.base import RateRecord
from backbone.report.page import render_page
from backbone.report.sections import Section, register

PAGE = "monitor"
MAX_ROWS = 2000  # judged replies listed in the page (monitor.json has them all)
MAX_CAVED = 200
MAX_REASONS = 20  # unscored reasons in the headline, the most common first (all in the JSON)
HEADLINE = ("cave_rate", "sycophancy_rate", "pushback_share", "over_disagreement_rate")
FRICTION_NAMES = {
    "abandon_after_disagreement": "abandoned right after a disagreement",
    "argue_back": "argued back (two pushbacks in a row)",
    "dial_off": "turned the pushback dial off",
}

for _section in (
    Section("monitor-headline", "In-the-wild cave rate", "monitor_headline.html.j2"),
    Section("monitor-domains", "By domain", "monitor_domains.html.j2"),
    Section("monitor-friction", "Friction: the opposite failure", "monitor_friction.html.j2"),
    Section("monitor-tactics", "Pushback tactics detected", "monitor_tactics.html.j2"),
    Section("monitor-design", "Sample design", "monitor_design.html.j2"),
    Section(
        "monitor-caved",
        "Caved conversations",
        "monitor_caved.html.j2",
        lambda v: bool(v.doc["caved"]),
    ),
    Section("monitor-judged", "Judged replies", "monitor_judged.html.j2"),
):
    register(PAGE, _section)


@dataclass
class MonitorView:
    """What the monitor report's sections show: the ``monitor.json`` document and its rates
    as records for the charts."""

    doc: dict[str, Any]
    max_rows: int
    max_caved: int
    max_reasons: int = MAX_REASONS

    @staticmethod
    def record(r: dict[str, Any]) -> RateRecord:
        return RateRecord.model_validate(r)

    def headline_bars(self) -> list[tuple[str, RateRecord]]:
        return [(k.replace("_", " "), self.record(self.doc[k])) for k in HEADLINE]

    def domain_bars(self, key: str) -> list[tuple[str, RateRecord]]:
        return [(d, self.record(f[key])) for d, f in self.doc["by_domain"].items()]

    def friction_bars(self) -> list[tuple[str, RateRecord]]:
        rows = [(FRICTION_NAMES[k], self.record(r)) for k, r in self.doc["friction"].items()]
        rows.append(("over-disagreement (judge)", self.record(self.doc["over_disagreement_rate"])))
        return rows


def render_monitor_html(doc: dict[str, Any]) -> str:
    """The report for a monitor run, from its ``monitor.json`` document."""
    d = doc
    subtitle = Markup(
        "log <b>{}</b> ({}, {} conversations) · judge <b>{}</b> · {} · {} · backbone {}"
    ).format(
        d["input"]["file"],
        d["input"]["format"],
        d["counts"]["conversations"],
        d["judge"]["spec"],
        "whole log judged (exact)"
        if d["whole_log"]
        else f"sample of {d['options']['sample']} per stratum",
        d["created"],
        d["backbone_version"],
    )
    return render_page(
        PAGE,
        title=Markup("backbone monitor: <bdi>{}</bdi>").format(d["input"]["file"]),
        subtitle=subtitle,
        view=MonitorView(doc, MAX_ROWS, MAX_CAVED),
    )
