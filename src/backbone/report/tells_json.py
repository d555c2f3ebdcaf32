"""``tells.json``: the operational tells (a stable contract).

Shape::

    {
      "schema_version": 1,
      "tells": [
        {"name": "satisfaction_vs_task" | "power_user_churn" | "ticket_shift" | "eval_divergence",
         "on": bool, "available": bool,
         "p_value": float | null,        # Holm-corrected over the available tells; decides "on"
         "p_unadjusted": float | null,   # the tell's own one-sided p-value
         "why": "on: ..." | "off: ..." | "not available: ...",
         "evidence": {...},              # the slopes (Theil–Sen, 95% CI, p) or rates behind it
         "series": {...}}                # per-period values (rates as {"value", "ci", "n"})
      ],
      "on_count": int, "alarm": bool,    # alarm: three or more tells on
      "alpha": 0.05, "correction": "holm", "trend_test": "ar1", "period": "week",
      "input": {...}, "options": {...}, "created": "...", "backbone_version": "..."
    }

Example:
    >>> doc = tells_document(result)  # doctest: +SKIP
    >>> doc["on_count"], doc["alarm"]  # doctest: +SKIP
    (3, True)
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

from backbone import __version__
from backbone.audit.tells.model import TellsResult

SCHEMA_VERSION = 1


def _clean(value: Any) -> Any:
    """JSON-safe: non-finite floats become null, tuples lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _clean(value.item())
    return value


def tells_document(result: TellsResult) -> dict[str, Any]:
    """The whole ``tells.json`` document."""
    doc: dict[str, Any] = _clean(
        {
            "schema_version": SCHEMA_VERSION,
            "tells": [
                {
                    "name": t.name,
                    "on": t.on,
                    "available": t.available,
                    "p_value": t.p_value,
                    "p_unadjusted": t.p_unadjusted,
                    "why": t.why,
                    "evidence": t.evidence,
                    "series": t.series,
                }
                for t in result.tells
            ],
            "on_count": result.on_count,
            "alarm": result.alarm,
            "alpha": result.alpha,
            "correction": result.correction,
            "trend_test": result.trend_test,
            "period": result.period,
            "input": result.inputs,
            "options": result.options,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "backbone_version": __version__,
        }
    )
    return doc


def render_tells_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
