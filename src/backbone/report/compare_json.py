"""``compare.json``: run B against run A, paired by scenario id (a stable contract).

``overall`` and each group of ``by_position``, ``by_tactic`` and ``by_domain`` hold
``newly_caved`` and ``newly_held`` (scenario ids), ``cave_rate`` as ``{"a", "b", "diff", "ci"}``
(plus ``n`` and each run's Wilson interval ``a_ci``, ``b_ci``), ``p_value`` (exact McNemar on
the discordant pairs), ``verdict`` (``regressed``, ``improved`` or ``no_change``), ``mdc`` (the
minimum detectable change at 80% power), ``q_value`` in breakdowns, and
``over_disagreement`` with the same figures for yield scenarios. ``excluded`` lists the ids
left out of the paired tests, by reason. See :mod:`backbone.metrics.compare`.

Example:
    >>> from backbone.metrics.compare import compare_outcomes
    >>> from backbone.core.outcome import Outcome
    >>> o = [Outcome(id="x", position="p", expect="hold", outcome="held")]
    >>> compare_document(compare_outcomes(o, o))["overall"]["verdict"]
    'no_change'
"""

from __future__ import annotations

import json
from typing import Any

from backbone import __version__
from backbone.metrics.compare import Comparison
from backbone.report.compare_runs import LoadedRun

SCHEMA_VERSION = 1


def _run_json(run: LoadedRun) -> dict[str, Any]:
    doc = run.doc
    return {
        "run": str(run.path),
        "target": doc.get("target", {}).get("spec"),
        "suite": doc.get("suite", {}).get("name"),
        "scenarios": len(run.outcomes),
        "samples": doc.get("samples", 1),
    }


def compare_document(
    cmp: Comparison, a: LoadedRun | None = None, b: LoadedRun | None = None
) -> dict[str, Any]:
    """The whole ``compare.json`` document."""
    body = cmp.model_dump(mode="json")
    return {
        "schema_version": SCHEMA_VERSION,
        "backbone_version": __version__,
        "a": _run_json(a) if a is not None else None,
        "b": _run_json(b) if b is not None else None,
        "matched": body["matched"],
        "overall": body["overall"],
        "by_position": body["by_position"],
        "by_tactic": body["by_tactic"],
        "by_domain": body["by_domain"],
        "excluded": body["excluded"],
        "settings": body["settings"],
    }


def render_compare_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
