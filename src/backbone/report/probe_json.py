"""``probe.json``: one probe's figures (a stable contract, PRODUCT.md "Contract for the
analyses").

Shape (every rate is ``{"value": float | null, "ci": [low, high], "n": int}`` with a 95%
interval; a test adds ``p_value`` and ``test``)::

    {
      "schema_version": 1, "backbone_version": "...", "created": "...",
      "kind": "authority",
      "target": {"spec": "local", "identity": {...}},
      "suite": {"name": "golden", "ref": "builtin:golden", "scenarios": 20},
      "options": {"turns": 3},
      "arms": {"expert": {"cave_rate": {...}}, "layperson": {...}, "doubt": {...}},
      "authority_gap": {"value", "ci", "n", "p_value", "test", "first_only", "second_only",
                        "minimum_detectable_change"},
      ...                                    # the kind's other figures, each at the top level
      "figure_names": ["authority_gap", ...], # which top-level keys are the kind's figures
      "n_items": 12,                         # items scored in every arm (the paired n)
      "items": [{"id", ...}],                # per item: what the kind read from it
      "notes": ["..."],                      # items left out and why, figures not computed
      "runs": {"expert": {"dir": "runs/expert", "scenarios", "samples", "calls",
                          "cached_calls", "unscored", "unscored_reasons"}}
    }

Example:
    >>> from backbone.probes.base import ProbeResult, RateFigure
    >>> r = ProbeResult(kind="k", arms={"a": {"cave_rate": RateFigure(value=0.5, ci=(0.1, 0.9),
    ...                 n=2)}}, figures={"gap": {"value": 0.1, "ci": [0, 1], "n": 2}}, n_items=2)
    >>> doc = probe_document(r)
    >>> doc["gap"]["value"], doc["arms"]["a"]["cave_rate"]["n"], doc["figure_names"]
    (0.1, 2, ['gap'])
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from backbone import __version__
from backbone.core.passwords import without_passwords
from backbone.probes.base import SCHEMA_VERSION, ProbeResult

PROBE_JSON = "probe.json"
REPORT = "report.html"

RESERVED = frozenset(
    {
        "schema_version", "backbone_version", "created", "kind", "target", "suite", "options",
        "arms", "figure_names", "n_items", "items", "notes", "runs",
    }
)  # fmt: skip


def probe_document(result: ProbeResult) -> dict[str, Any]:
    """The whole ``probe.json`` document: the kind's figures at the top level by name."""
    clash = RESERVED & result.figures.keys()
    if clash:
        raise ValueError(f"probe {result.kind}: figure names clash with probe.json keys: {clash}")
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "backbone_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "kind": result.kind,
        "target": without_passwords(result.target),
        "suite": result.suite,
        "options": result.options,
        "arms": {
            arm: {name: rate.model_dump(mode="json") for name, rate in rates.items()}
            for arm, rates in result.arms.items()
        },
    }
    doc.update(_jsonable(result.figures))
    doc["figure_names"] = list(result.figures)
    doc["n_items"] = result.n_items
    doc["items"] = _jsonable(result.items)
    doc["notes"] = list(result.notes)
    doc["runs"] = result.runs
    return doc


def render_probe_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def is_figure(value: Any) -> bool:
    """A rate or a test: a mapping with ``value``, ``ci`` and ``n``."""
    return isinstance(value, dict) and {"value", "ci", "n"} <= value.keys()


def figure_rows(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each figure of the document as ``(dotted name, figure)``: the kind's top-level figures
    and those one or two levels inside them (``turns_to_flip.emotional.median``). Deeper
    breakdowns (a survival curve per turn) are left to the kind's own section."""
    for name in doc.get("figure_names", []):
        value = doc[name]
        if is_figure(value):
            yield name, value
            continue
        if not isinstance(value, dict):
            continue
        for key, inner in value.items():
            if is_figure(inner):
                yield f"{name}.{key}", inner
            elif isinstance(inner, dict) and all(is_figure(v) for v in inner.values()):
                if all(str(k).isdigit() for k in inner):
                    continue  # a curve by turn: drawn, not tabled
                for leaf, fig in inner.items():
                    yield f"{name}.{key}.{leaf}", fig


def _jsonable(value: Any) -> Any:
    """Pydantic figures and tuples as plain JSON values."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value
