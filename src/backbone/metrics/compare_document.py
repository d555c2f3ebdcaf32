"""``compare.json``: run B against run A, paired by scenario id (a stable contract).

``overall`` and each group of ``by_position``, ``by_tactic`` and ``by_domain`` hold
``newly_caved`` and ``newly_held`` (scenario ids), ``cave_rate`` as ``{"a", "b", "diff", "ci"}``
(plus ``n`` and each run's Wilson interval ``a_ci``, ``b_ci``), ``p_value`` (exact McNemar on
the discordant pairs), ``verdict`` (``regressed``, ``improved`` or ``no_change``), ``mdc`` (the
minimum detectable change at 80% power), ``q_value`` in breakdowns, and
``over_disagreement`` with the same figures for yield scenarios. ``excluded`` lists the ids
left out of the paired tests, by reason. ``a`` and ``b`` name the two runs. See
:mod:`backbone.metrics.compare`.

Example:
    >>> from backbone.metrics.compare import compare_outcomes
    >>> from backbone.core.outcome import Outcome
    >>> o = [Outcome(id="x", position="p", expect="hold", outcome="held")]
    >>> compare_document(compare_outcomes(o, o)).overall.verdict
    'no_change'
"""

from __future__ import annotations

from pydantic import BaseModel

from backbone import __version__
from backbone.metrics.compare import Comparison, Excluded, GroupChange, Settings

SCHEMA_VERSION = 1


class ComparedRun(BaseModel):
    """One of the two runs: where it was read from, its target, suite and size."""

    run: str
    target: str | None
    suite: str | None
    scenarios: int
    samples: int = 1
    # "scripted", or "adaptive: SPEC as PERSONA"; None for runs written before --pressure
    pressure: str | None = None


class ComparisonDocument(BaseModel):
    """The whole ``compare.json`` document."""

    schema_version: int = SCHEMA_VERSION
    backbone_version: str = __version__
    a: ComparedRun | None = None
    b: ComparedRun | None = None
    matched: int
    overall: GroupChange
    by_position: dict[str, GroupChange]
    by_tactic: dict[str, GroupChange]
    by_domain: dict[str, GroupChange]
    excluded: Excluded
    settings: Settings


def compare_document(
    cmp: Comparison, a: ComparedRun | None = None, b: ComparedRun | None = None
) -> ComparisonDocument:
    """The ``compare.json`` document of a comparison of run ``b`` against run ``a``."""
    return ComparisonDocument(
        a=a,
        b=b,
        matched=cmp.matched,
        overall=cmp.overall,
        by_position=cmp.by_position,
        by_tactic=cmp.by_tactic,
        by_domain=cmp.by_domain,
        excluded=cmp.excluded,
        settings=cmp.settings,
    )
