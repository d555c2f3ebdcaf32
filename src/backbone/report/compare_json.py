"""``compare.json`` as text: the comparison document (:mod:`backbone.metrics.compare_document`)
dumped as JSON.

Example:
    >>> from backbone.metrics.compare import compare_outcomes
    >>> from backbone.metrics.compare_document import compare_document
    >>> from backbone.core.outcome import Outcome
    >>> o = [Outcome(id="x", position="p", expect="hold", outcome="held")]
    >>> '"verdict": "no_change"' in render_compare_json(compare_document(compare_outcomes(o, o)))
    True
"""

from __future__ import annotations

import json

from backbone.metrics.compare_document import ComparisonDocument


def render_compare_json(doc: ComparisonDocument) -> str:
    return json.dumps(doc.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
