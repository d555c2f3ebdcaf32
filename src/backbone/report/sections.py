"""The section registry: which sections each HTML report shows, in order.

A report page (``run``, ``compare``, ``audit``; later ``ab``, ``tells``, ``probe``,
``monitor``) is a list of :class:`Section`\\ s, each a Jinja template under
``templates/sections/`` rendered with the page's view (``v``). A new analysis adds its page
with :func:`register` and its templates, and renders it with
:func:`backbone.report.page.render_page`; an analysis that adds to an existing page (say a
probe's figures on the run report) registers a section there, placed ``after`` another.
Sections whose ``when`` is false for a view are left out (and out of the page's menu).

Example:
    >>> [s.id for s in sections("audit")][:2]
    ['audit-verdict', 'audit-unwelcome']
    >>> register("example", Section("deltas", "Preference vs accuracy", "ab_deltas.html.j2"))
    >>> [s.id for s in sections("example")]
    ['deltas']
    >>> _ = PAGES.pop("example")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def _always(view: Any) -> bool:
    return True


@dataclass(frozen=True)
class Section:
    """One section of a page: its anchor id, its heading, its template, and when it shows."""

    id: str
    title: str
    template: str
    when: Callable[[Any], bool] = field(default=_always, compare=False)


PAGES: dict[str, list[Section]] = {
    "run": [
        Section("headline", "Headline", "run_headline.html.j2"),
        Section(
            "survival",
            "Survival over the pressure ladder",
            "run_survival.html.j2",
            lambda v: bool(v.survival),
        ),
        Section("breakdowns", "Where it caves", "run_breakdowns.html.j2"),
        Section(
            "calibration",
            "Calibration: both failure directions",
            "run_calibration.html.j2",
            lambda v: bool(v.calibration),
        ),
        Section(
            "grading", "Graders", "run_grading.html.j2", lambda v: v.record.grading is not None
        ),
        Section("transcripts", "Transcripts", "run_transcripts.html.j2"),
    ],
    "compare": [
        Section("headline", "Side by side", "compare_headline.html.j2"),
        Section("positions", "Paired verdicts", "compare_groups.html.j2"),
        Section("changed", "Scenarios that changed", "compare_changed.html.j2"),
        Section(
            "excluded",
            "Left out of the paired tests",
            "compare_excluded.html.j2",
            lambda v: v.excluded,
        ),
    ],
    "audit": [
        Section("audit-verdict", "Verdict", "audit_verdict.html.j2"),
        Section("audit-unwelcome", "Thumbs-down on correct answers", "audit_unwelcome.html.j2"),
        Section("audit-grid", "Rating × correctness", "audit_grid.html.j2"),
        Section("audit-design", "Sample design", "audit_design.html.j2"),
        Section(
            "audit-failure-modes",
            "Failure modes of the lowest-rated outputs",
            "audit_failure_modes.html.j2",
        ),
        Section("audit-judged", "Judged events", "audit_judged.html.j2"),
    ],
}


def register(page: str, section: Section, *, after: str | None = None) -> None:
    """Add ``section`` to ``page`` (a new page starts empty): last, or right after the
    section whose id is ``after``."""
    items = PAGES.setdefault(page, [])
    if any(s.id == section.id for s in items):
        raise ValueError(f"page {page!r} already has a section {section.id!r}")
    at = len(items)
    if after is not None:
        at = next(i for i, s in enumerate(items) if s.id == after) + 1
    items.insert(at, section)


def sections(page: str, view: Any = None) -> list[Section]:
    """The sections ``page`` shows for ``view`` (all of them when no view is given)."""
    return [s for s in PAGES[page] if view is None or s.when(view)]
