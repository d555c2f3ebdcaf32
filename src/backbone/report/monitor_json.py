"""``monitor.json``: production monitoring's figures (a stable contract, PRODUCT.md).

Shape (every rate is ``{"value": float | null, "ci": [low, high], "n": int}``, a 95% interval;
``n`` counts what is behind it: judged replies for judged figures, conversations for counts)::

    {
      "schema_version": 1,
      "pushback_share": {...},          # conversations with >= 1 pushback turn (detector, count)
      "cave_rate": {...},               # caved / scored pushback replies with a position at stake
      "sycophancy_rate": {...},         # caved / all scored replies
      "over_disagreement_rate": {...},  # over_held / the cave rate's denominator
      "friction": {
        "abandon_after_disagreement": {...},  # judged: held/over_held replies then abandoned
        "argue_back": {...},                  # count: two pushbacks in a row / pushback convs
        "dial_off": {...}                     # count, only when the log has a dial_off column
      },
      "by_domain": {"DOMAIN": {"conversations", "pushback_share", "cave_rate",
                               "sycophancy_rate", "over_disagreement_rate", "friction"}},
      "whole_log": true,                # every conversation judged: judged figures are exact
                                        # (an interval stays open over unscored replies)
      "counts": {"conversations", "with_pushback", "pushback_turns", "judged_conversations",
                 "judged_replies", "scored", "unscored"},
      "labels": {"held": 12, "caved": 3, ...}, "unscored_reasons": {"reason": count},
      "tactics": {"doubt": 40, ...},    # detected pushback turns by tactic (whole log)
      "strata": [{"key", "domain", "pushback", "conversations", "drawn", "weight", "replies",
                  "scored", "unscored", "labels"}],
      "judgments": [{"conversation_id", "turn", "pushback", "tactic", "label", "reason",
                     "unscored_reason"}],
      "caved": [{"conversation_id", "domain", "turn", "messages", "pushback_turns", "tactics",
                 "reason", "position", "claim", "answer", "weight"}],   # for backbone harvest
      "input": {...}, "judge": {"spec", "identity"}, "options": {...}
    }

Example:
    >>> from backbone.audit.models import Estimate
    >>> rate(Estimate(value=0.5, ci=(0.5, 0.5), n=4, exact=True))
    {'value': 0.5, 'ci': [0.5, 0.5], 'n': 4}
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from backbone import __version__
from backbone.audit.models import Estimate
from backbone.core.passwords import without_passwords
from backbone.monitor.models import MONITOR_SCHEMA_VERSION, Figures, MonitorResult

SCHEMA_VERSION = MONITOR_SCHEMA_VERSION
FILE = "monitor.json"


def rate(e: Estimate) -> dict[str, Any]:
    return e.as_json()


def figures_json(f: Figures) -> dict[str, Any]:
    return {
        "conversations": f.conversations,
        "pushback_share": rate(f.pushback_share),
        "cave_rate": rate(f.cave_rate),
        "sycophancy_rate": rate(f.sycophancy_rate),
        "over_disagreement_rate": rate(f.over_disagreement_rate),
        "friction": {k: rate(v) for k, v in f.friction.items()},
    }


def monitor_document(result: MonitorResult) -> dict[str, Any]:
    """The whole ``monitor.json`` document."""
    info = result.log
    judged = len(result.judgments)
    scored = sum(1 for j in result.judgments if j.label is not None)
    overall = figures_json(result.overall)
    del overall["conversations"]
    return {
        "schema_version": SCHEMA_VERSION,
        "backbone_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "input": {
            "file": info.file,
            "format": info.format,
            "shape": info.shape,
            "conversations": info.conversations,
            "messages": info.messages,
            "user_turns": info.user_turns,
            "assistant_turns": info.assistant_turns,
            "column_map": info.column_map,
            "columns": info.columns,
        },
        "judge": {"spec": result.judge, "identity": without_passwords(result.judge_identity)},
        "options": without_passwords(result.options),
        "whole_log": result.whole_log,
        **overall,
        "by_domain": {d: figures_json(f) for d, f in result.by_domain.items()},
        "counts": {
            "conversations": info.conversations,
            "with_pushback": info.with_pushback,
            "pushback_turns": info.pushback_turns,
            "argue_back": info.argue_back,
            "dial_off": info.dial_off,
            "judged_conversations": sum(s.drawn for s in result.strata),
            "judged_replies": judged,
            "scored": scored,
            "unscored": judged - scored,
        },
        "labels": result.labels,
        "unscored_reasons": result.unscored_reasons,
        "tactics": info.tactics,
        "strata": [
            {
                "key": s.key,
                "domain": s.domain,
                "pushback": s.pushback,
                "conversations": s.conversations,
                "drawn": s.drawn,
                "weight": s.conversations / s.drawn if s.drawn else None,
                "replies": s.replies,
                "scored": s.scored,
                "unscored": s.unscored,
                "labels": s.labels,
            }
            for s in result.strata
        ],
        "judgments": [
            {
                "conversation_id": j.conversation_id,
                "turn": j.turn,
                "pushback": j.pushback,
                "tactic": j.tactic,
                "label": j.label,
                "reason": j.reason,
                "unscored_reason": j.unscored_reason,
            }
            for j in result.judgments
        ],
        "caved": [c.model_dump(mode="json") for c in result.caved],
    }


def render_monitor_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
