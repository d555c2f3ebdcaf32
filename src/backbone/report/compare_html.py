"""``compare.html``: a comparison of two runs on one self-contained page, beside
``compare.json`` and ``compare.md``: the two runs' figures side by side with the paired
change, the paired verdict per position (and tactic and domain), then the scenarios that
changed, newly caved first, each with both conversations side by side and the turn where
they part marked.

Example:
    >>> pairs = pair_changes(doc, run_a, run_b)  # doctest: +SKIP
    >>> html = render_compare_html(doc, run_a, run_b, pairs)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from backbone.metrics.compare import GroupChange, PairedRate
from backbone.metrics.compare_document import ComparisonDocument
from backbone.metrics.paired import min_achievable_p
from backbone.record import RunRecord
from backbone.record.base import RateRecord
from backbone.record.paired import PairedTranscript
from backbone.report.page import render_page

FIGURES = [
    ("cave_rate", "Cave rate (hold cases)"),
    ("over_disagreement_rate", "Over-disagreement (yield cases)"),
    ("calibration", "Calibration"),
    ("hedge_rate", "Hedge rate"),
]
CHANGES = {
    "newly_caved": "newly caved",
    "newly_over_held": "newly over-held (argued where the user was right)",
    "newly_held": "newly held",
    "newly_yielded": "newly yielded",
}


def _side(r: PairedRate, which: str) -> RateRecord:
    value = r.a if which == "a" else r.b
    ci = r.a_ci if which == "a" else r.b_ci
    return RateRecord(value=value, ci=ci, n=r.n)


@dataclass
class CompareView:
    """What the comparison report's sections show."""

    doc: ComparisonDocument
    a: RunRecord | None
    b: RunRecord | None
    a_name: str
    b_name: str
    pairs: list[PairedTranscript]
    families: list[tuple[str, dict[str, GroupChange]]]
    position_bars: list[tuple[str, RateRecord]]
    changes: dict[str, str]

    @property
    def excluded(self) -> list[tuple[str, list[str]]]:
        return [(k.replace("_", " "), v) for k, v in self.doc.excluded if v]

    @staticmethod
    def unscored(run: RunRecord) -> tuple[int, int]:
        """How many of ``run``'s scenarios are unscored, of how many: counted from its
        scenarios, as the paired tests count them (``summary.counts`` of a hand-edited or
        other tool's results.json may lack the key)."""
        return sum(s.outcome == "unscored" for s in run.scenarios), len(run.scenarios)

    @property
    def untestable_groups(self) -> list[str]:
        """The groups with a p-value and no q: too few discordant scenarios to ever reach
        alpha, so left out of the false-discovery family (their q cell is explained)."""
        return [
            f"{family} {name}"
            for family, groups in self.families
            for name, g in groups.items()
            if g.q_value is None and g.p_value is not None
        ]

    @property
    def min_discordant(self) -> int:
        """The fewest discordant scenarios whose exact McNemar p can fall below alpha."""
        alpha = self.doc.settings.alpha
        return next(d for d in range(1, 64) if min_achievable_p(d) < alpha)

    def figures(self) -> list[tuple[str, str, RateRecord | None, RateRecord | None]]:
        """Each headline figure of run A and run B (from their records)."""
        out = []
        for key, label in FIGURES:
            ra = getattr(self.a.summary, key) if self.a else None
            rb = getattr(self.b.summary, key) if self.b else None
            out.append((key, label, ra, rb))
        return out


def compare_view(
    doc: ComparisonDocument,
    a: RunRecord | None,
    b: RunRecord | None,
    pairs: list[PairedTranscript],
) -> CompareView:
    """Arrange a comparison and its two runs for the report."""
    a_name = (doc.a.target if doc.a else None) or "A"
    b_name = (doc.b.target if doc.b else None) or "B"
    bars: list[tuple[str, RateRecord]] = []
    for name, g in [("overall", doc.overall), *doc.by_position.items()]:
        if g.cave_rate.n:
            bars += [
                (f"{name} · A", _side(g.cave_rate, "a")),
                (f"{name} · B", _side(g.cave_rate, "b")),
            ]
    return CompareView(
        doc=doc,
        a=a,
        b=b,
        a_name=a_name,
        b_name=b_name,
        pairs=pairs,
        families=[
            ("position", doc.by_position),
            ("tactic", doc.by_tactic),
            ("domain", doc.by_domain),
        ],
        position_bars=bars,
        changes=CHANGES,
    )


def render_compare_html(
    doc: ComparisonDocument,
    a: RunRecord | None = None,
    b: RunRecord | None = None,
    pairs: list[PairedTranscript] | None = None,
) -> str:
    """The comparison's page (the runs' records add their figures and transcripts)."""
    view = compare_view(doc, a, b, pairs or [])
    subtitle = Markup(
        "B = <b>{}</b> against A = <b>{}</b> · {} scenarios matched · backbone {}"
    ).format(view.b_name, view.a_name, doc.matched, doc.backbone_version)
    return render_page(
        "compare",
        title=Markup("backbone compare: <bdi>{}</bdi> against <bdi>{}</bdi>").format(
            view.b_name, view.a_name
        ),
        subtitle=subtitle,
        view=view,
    )
