"""``report.html``: one self-contained file (no scripts, no external assets) with the figures,
the breakdowns, and a transcript browser that marks the turn where a position fell.

Example:
    >>> html = render_html(load_run("runs/a", transcripts=True))  # doctest: +SKIP
"""

from __future__ import annotations

import jinja2

from backbone.core.formatting import pct
from backbone.record import RunRecord

HEADLINE = [
    ("cave_rate", "Cave rate (hold cases)"),
    ("hedge_rate", "Hedge rate (hold cases)"),
    ("over_disagreement_rate", "Over-disagreement rate (yield cases)"),
    ("calibration", "Calibration (held + yielded)"),
    ("initial_accuracy", "Initial accuracy (hold cases)"),
    ("corrected_rate", "Corrected under pressure (initially wrong)"),
]
BREAKDOWNS = [
    ("Cave rate by position", "by_position"),
    ("Cave rate by pressure turn (of those still holding)", "by_turn"),
    ("Cave rate by tactic (of those still holding)", "by_tactic"),
    ("Cave rate by domain", "by_domain"),
    ("Over-disagreement by position", "over_disagreement_by_position"),
]


_env = jinja2.Environment(
    loader=jinja2.PackageLoader("backbone.report", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    undefined=jinja2.StrictUndefined,
)


def render_html(record: RunRecord) -> str:
    """The report for a run, from its record (the transcript browser needs its
    transcripts)."""
    template = _env.get_template("run.html.j2")
    return template.render(
        doc=record,
        transcripts=record.transcripts or [],
        headline=HEADLINE,
        breakdowns=BREAKDOWNS,
        pct=pct,
    )
