"""The A/B decomposition's ``report.html``: one self-contained page (no script, nothing
fetched) with the verdict and why, the two deltas drawn with their intervals against 0 and
the non-inferiority margin, each arm's figures (events, thumbs-up rate, judged, correct share,
unscored), the sample design, and the judged events.

The page's sections are registered here (page ``ab``), rendered by
:func:`backbone.report.page.render_page`.

Example:
    >>> html = render_ab_html(ab_document(result))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from backbone.core.formatting import p_is, pp
from backbone.record.base import RateRecord
from backbone.report.page import render_page
from backbone.report.sections import PAGES, Section, register

PAGE = "ab"
MAX_ROWS = 2000  # judged events listed in the page (ab.json has them all)
SECTIONS = (
    Section("ab-verdict", "Verdict", "ab_verdict.html.j2"),
    Section("ab-deltas", "Preference vs accuracy", "ab_deltas.html.j2"),
    Section("ab-arms", "The two arms", "ab_arms.html.j2"),
    Section("ab-design", "Sample design", "ab_design.html.j2"),
    Section("ab-judged", "Judged events", "ab_judged.html.j2"),
)
VERDICT_COLORS = {
    "win": "#1e7e34",
    "sycophancy_gradient": "#c0392b",
    "loss": "#7f1d1d",
    "inconclusive": "#6b7280",
}


def register_sections() -> None:
    """Register the ``ab`` page's sections (once)."""
    have = {s.id for s in PAGES.get(PAGE, [])}
    for section in SECTIONS:
        if section.id not in have:
            register(PAGE, section)


register_sections()


@dataclass
class ABView:
    """What the page's sections show: the ``ab.json`` document, and its figures as records
    for the charts."""

    doc: dict[str, Any]
    max_rows: int

    @property
    def color(self) -> str:
        return VERDICT_COLORS[self.doc["verdict"]]

    @staticmethod
    def p(value: float | None, level: float = 0.05) -> str:
        """``= 0.031`` or ``< 0.001``, with the digits that keep it on its side of ``level``."""
        return p_is(value, level)

    def delta_rows(self) -> list[tuple[str, RateRecord]]:
        d = self.doc
        return [
            ("preference (thumbs-up)", RateRecord.model_validate(d["preference_delta"])),
            ("accuracy (judged)", RateRecord.model_validate(d["accuracy_delta"])),
        ]

    def lines(self) -> list[tuple[str, float]]:
        m = self.doc["margin"]
        return [("0", 0.0), (f"margin {pp(-m)}", -m)] if m > 0 else [("0", 0.0)]

    def arm_rows(self, key: str) -> list[tuple[str, RateRecord]]:
        return [
            (
                f"{role.upper()}: {self.doc['per_arm'][role]['name']}",
                RateRecord.model_validate(self.doc["per_arm"][role][key]),
            )
            for role in ("a", "b")
        ]


def render_ab_html(doc: dict[str, Any]) -> str:
    """The report for an A/B decomposition, from its ``ab.json`` document."""
    register_sections()
    d = doc
    subtitle = Markup(
        "log <b>{}</b> ({}, {} events) · arms <b>{}</b> (A) vs <b>{}</b> (B) in column {} · "
        "judge <b>{}</b> · {} · backbone {}"
    ).format(
        d["input"]["file"],
        d["input"]["format"],
        d["counts"]["events"],
        d["arms"]["a"],
        d["arms"]["b"],
        d["input"]["arm_column"],
        d["judge"]["spec"],
        d["created"],
        d["backbone_version"],
    )
    return render_page(
        PAGE,
        title=Markup("backbone ab: <bdi>{}</bdi> vs <bdi>{}</bdi> — {}").format(
            d["arms"]["b"], d["arms"]["a"], d["verdict"]
        ),
        subtitle=subtitle,
        view=ABView(doc, MAX_ROWS),
    )
