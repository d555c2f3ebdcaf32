"""The audit's ``report.html``: one self-contained page (no script at all, nothing fetched)
with the verdict, the unwelcome-but-correct share and its interval drawn against the ship and
stop lines, the 2x2 grid with each cell's estimate and interval (as a table and a chart), the
sample design, the failure modes of the lowest-rated outputs with examples, and the judged
events.

Example:
    >>> html = render_audit_html(audit_document(result))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from backbone.record.base import RateRecord
from backbone.report.audit_json import p_down_unknown
from backbone.report.page import render_page

MAX_ROWS = 2000  # judged events listed in the page (audit.json has them all)


@dataclass
class AuditView:
    """What the audit report's sections show: the ``audit.json`` document, and its rates
    as records for the charts."""

    doc: dict[str, Any]
    max_rows: int

    def share(self, key: str) -> RateRecord:
        return RateRecord.model_validate(self.doc[key])

    def p_down_unknown(self) -> str | None:
        """Why P(thumbs-down | correct) has no value (None when it has one)."""
        return p_down_unknown(self.doc)

    def grid_bars(self) -> list[tuple[str, RateRecord]]:
        """Each cell's estimated share of all rated events, with its interval."""
        grid = self.doc["grid"]
        return [
            (f"thumbs-{rating} · {col}", RateRecord.model_validate(grid[rating][col]["share"]))
            for rating in ("down", "up")
            for col in ("correct", "incorrect")
        ]

    def grid_counts(self) -> list[str]:
        """What each cell's n counts, in the table's words: the cell's judged events of its
        rating's judged ("10 of 30 judged"; "of 28 scored" when some were unscored), not a
        bare "n=30" beside a cell the table says has 10."""
        grid = self.doc["grid"]
        out = []
        for rating in ("down", "up"):
            row = grid[rating]
            for col in ("correct", "incorrect"):
                n = row[col]["share"]["n"]
                word = "judged" if n == row["judged"] else "scored"
                out.append(f"{row[col]['sampled']} of {n} {word}")
        return out

    def failure_bars(self) -> list[tuple[str, RateRecord]]:
        """Each failure mode's weighted share of the bottom decile, with its interval and n
        (the labelled events of the bottom decile)."""
        labels = self.doc["failure_modes"]["labels"]
        return [
            (label, RateRecord.model_validate(c["share"]))
            for label, c in labels.items()
            if c["share"]["value"] is not None
        ]


def render_audit_html(doc: dict[str, Any]) -> str:
    """The report for an audit, from its ``audit.json`` document."""
    d = doc
    subtitle = Markup(
        "log <b>{}</b> ({}, {} events, rating scale {}) · judge <b>{}</b> · {} · backbone {}"
    ).format(
        d["input"]["file"],
        d["input"]["format"],
        d["counts"]["events"],
        d["input"]["rating_scale"],
        d["judge"]["spec"],
        d["created"],
        d["backbone_version"],
    )
    return render_page(
        "audit",
        title=Markup("backbone audit: <bdi>{}</bdi> — {}").format(d["input"]["file"], d["verdict"]),
        subtitle=subtitle,
        view=AuditView(doc, MAX_ROWS),
    )
