"""The run report's "Reviewed and not yet reviewed" section: the headline rates of the
scenarios a person reviewed beside those drafted or harvested and not reviewed yet
(``summary.by_review``), shown only when the run has unreviewed scenarios.

Example:
    >>> from backbone.report.sections import sections
    >>> "by-review" in [s.id for s in sections("run")]
    True
"""

from __future__ import annotations

from typing import Any

from backbone.report.sections import Section, register


def _has_unreviewed(view: Any) -> bool:
    return getattr(view.record.summary, "by_review", None) is not None


register(
    "run",
    Section(
        "by-review",
        "Reviewed and not yet reviewed",
        "run_by_review.html.j2",
        when=_has_unreviewed,
    ),
    after="headline",
)
