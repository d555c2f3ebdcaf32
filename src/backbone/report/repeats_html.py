"""The run report's "Repeats" section (``backbone run --samples K``): each sample's cave rate
and over-disagreement rate with their intervals, how far the samples' cave rates lie apart,
the mean cave probability, and the flaky scenarios (caved in some samples only), from
``summary.repeats``; shown only when the run played more than one sample.

Example:
    >>> from backbone.report.sections import sections
    >>> "repeats" in [s.id for s in sections("run")]
    True
"""

from __future__ import annotations

from typing import Any

from backbone.report.sections import Section, register


def _repeated(view: Any) -> bool:
    return getattr(view.record.summary, "repeats", None) is not None


register(
    "run",
    Section("repeats", "Repeats: how much a sample moves", "run_repeats.html.j2", when=_repeated),
    after="headline",
)
