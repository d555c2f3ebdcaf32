"""``audit.json``: the feedback audit's figures (a stable contract).

Shape (every share is ``{"value": float | null, "ci": [low, high], "n": int}``, a 95% interval;
``n`` is the number of scored judgments behind it)::

    {
      "schema_version": 1,
      "grid": {                                  # rating x correctness, 2x2
        "down": {
          "correct":   {"sampled": 41, "share": {...}, "estimated_events": 5230.0},
          "incorrect": {"sampled": 157, "share": {...}, "estimated_events": 19804.0},
          "events": 25034,                       # thumbs-down events in the log
          "judged": 200,                         # of them, drawn and sent to the judge
          "unscored": 2                          # judged, but no verdict (never in a cell)
        },
        "up": {... the same keys ...}
      },
      "unwelcome_correct_share": {...},          # P(correct | thumbs-down)
      "p_down_given_correct": {...},             # P(thumbs-down | correct)
      "verdict": "ship" | "review" | "stop",
      "verdict_reason": "...", "thresholds": {"ship": 0.1, "stop": 0.25},
      "whole_log": false,                        # true: every rated event judged, shares exact
      "counts": {"events", "rated", "unrated", "judged", "scored", "unscored"},
      "unscored_reasons": {"reason": count},
      "strata": [{"key", "rating", "segment", "events", "judged", "scored", "correct",
                  "unscored", "weight"}],        # weight = N_h / m_h
      "failure_modes": {"population", "judged", "unscored",
                        "labels": {"hallucination": {"count", "share", "examples"}, ...}},
                                                 # share: of the labelled bottom-set events
      "judgments": [{"id", "row", "stratum", "rating", "rating_raw", "weight", "correct",
                     "failure_mode", "reason", "unscored_reason"}],
      "input": {...}, "judge": {"spec", "identity"}, "options": {...}
    }

A cell's ``share`` is its estimated share of all rated events (the four cells' values add up to
1 when nothing is unscored in a whole stratum); ``sampled`` is how many judged events fell in it.
When ``whole_log`` is true the shares are exact counts over the log and each interval collapses
to its value.

Example:
    >>> from backbone.audit.models import Estimate
    >>> share_json(Estimate(value=0.25, ci=(0.1, 0.4), n=40))
    {'value': 0.25, 'ci': [0.1, 0.4], 'n': 40}
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from backbone import __version__
from backbone.audit.channels import ChannelsResult
from backbone.audit.models import AuditResult, Estimate, GridCell, LogInfo, StratumResult
from backbone.record.base import RateRecord

SCHEMA_VERSION = 1


def share_json(e: Estimate) -> dict[str, Any]:
    return e.as_json()


def p_down_unknown(doc: dict[str, Any]) -> str | None:
    """Why an ``audit.json`` document's ``p_down_given_correct`` has no value, in words
    (None when it has one): a rating whose share correct is unknown (a stratum of it has no
    scored judgment), or no correct answer at all, a ratio of 0 to 0. Its interval then
    spans 0 to 1 and says nothing, so it is not shown beside these words.

    Example:
        >>> def row(judged, unscored, value):
        ...     share = {"value": value}
        ...     return {"events": 20, "judged": judged, "unscored": unscored,
        ...             "correct": {"share": share}}
        >>> doc = {"p_down_given_correct": {"value": None, "ci": [0.0, 1.0], "n": 13},
        ...        "grid": {"down": row(20, 20, None), "up": row(20, 7, 0.5)}}
        >>> p_down_unknown(doc)
        'how many thumbs-down answers were correct is unknown (none of the 20 judged was scored)'
        >>> doc["grid"] = {"down": row(20, 0, 0.0), "up": row(20, 0, 0.0)}
        >>> p_down_unknown(doc)
        'no judged answer was correct, so there is no correct answer to divide by'
    """
    if doc["p_down_given_correct"]["value"] is not None:
        return None
    grid = doc["grid"]
    if not grid["down"]["events"] and not grid["up"]["events"]:
        return "no rated event"
    unknown = []
    for r in ("down", "up"):
        row = grid[r]
        if row["events"] and row["correct"]["share"]["value"] is None:
            judged = row["judged"]
            detail = (
                f"none of the {judged} judged was scored"
                if judged == row["unscored"]
                else "a stratum of them has no scored judgment"
            )
            unknown.append(f"how many thumbs-{r} answers were correct is unknown ({detail})")
    if unknown:
        return "; ".join(unknown)
    return "no judged answer was correct, so there is no correct answer to divide by"


def _cell(cell: GridCell) -> dict[str, Any]:
    est = cell.estimated_events
    if est is not None and cell.share.exact:
        est = float(round(est))
    return {"sampled": cell.sampled, "share": share_json(cell.share), "estimated_events": est}


def log_input(info: LogInfo) -> dict[str, Any]:
    """What was read: the log's file, format, counts, rating scale and columns."""
    return {
        "file": info.file,
        "format": info.format,
        "rows": info.rows,
        "rated": info.rated,
        "unrated": info.unrated,
        "rating_scale": info.rating_scale,
        "threshold": info.threshold,
        "column_map": info.column_map,
        "columns": info.columns,
        "stratify_by": info.stratify_by,
    }


def stratum_json(s: StratumResult) -> dict[str, Any]:
    """One stratum's counts and its weight N_h / m_h."""
    return {
        "key": s.key,
        "rating": s.rating,
        "segment": s.segment,
        "events": s.events,
        "judged": s.judged,
        "scored": s.scored,
        "correct": s.correct,
        "unscored": s.unscored,
        "weight": s.weight,
    }


def audit_document(result: AuditResult) -> dict[str, Any]:
    """The whole ``audit.json`` document."""
    info = result.log
    judged = sum(s.judged for s in result.strata)
    scored = sum(s.scored for s in result.strata)
    grid = {
        rating: {
            "correct": _cell(row.correct),
            "incorrect": _cell(row.incorrect),
            "events": row.events,
            "judged": row.judged,
            "unscored": row.unscored,
        }
        for rating, row in result.grid.items()
    }
    fm = result.failure_modes
    return {
        "schema_version": SCHEMA_VERSION,
        "backbone_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "input": log_input(info),
        "judge": {"spec": result.judge, "identity": result.judge_identity},
        "options": result.options,
        "whole_log": result.whole_log,
        "grid": grid,
        "unwelcome_correct_share": share_json(result.unwelcome_correct_share),
        "p_down_given_correct": share_json(result.p_down_given_correct),
        "verdict": result.verdict.verdict,
        "verdict_reason": result.verdict.reason,
        "thresholds": {"ship": result.verdict.ship, "stop": result.verdict.stop},
        "counts": {
            "events": info.rows,
            "rated": info.rated,
            "unrated": info.unrated,
            "judged": judged,
            "scored": scored,
            "unscored": judged - scored,
        },
        "unscored_reasons": result.unscored_reasons,
        "strata": [stratum_json(s) for s in result.strata],
        "failure_modes": {
            "population": fm.population,
            "bottom_cut": info.bottom_cut,
            "judged": fm.judged,
            "unscored": fm.unscored,
            "labels": {
                c.label: {
                    "count": c.count,
                    "share": share_json(c.share),
                    "examples": [e.model_dump(mode="json") for e in c.examples],
                }
                for c in fm.labels
            },
        },
        "judgments": [
            {
                "id": se.event.id,
                "row": se.event.row,
                "stratum": se.stratum,
                "rating": se.event.rating,
                "rating_raw": se.event.rating_raw,
                "weight": se.weight,
                "correct": j.correct,
                "failure_mode": j.failure_mode,
                "reason": j.reason,
                "unscored_reason": j.unscored_reason,
            }
            for se, j in result.judgments
        ],
    }


def render_audit_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def channels_document(result: ChannelsResult) -> dict[str, Any]:
    """``channels.json``: the split-feedback signals and the judged disagreements.

    ``counts`` per signal (``was_correct``: yes/no/unsure/not_asked, ``experience``:
    good/bad/none, ``disagreed``: yes/no/not_asked), ``crosstab`` (disagreed -> experience ->
    count), ``rates`` (``bad_experience``, ``disagreed``, ``reported_incorrect``: each over the
    events where the signal was given), ``disagree`` (the judged disagreements and
    ``correct_share``, the estimated share of disagreements on correct answers) and
    ``review_queue`` (how many disagree-but-correct cases ``review_queue.jsonl`` lists).
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "backbone_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "input": {
            "file": result.file,
            "rows": result.rows,
            "signals_present": result.present,
            "column_map": result.column_map,
        },
        "judge": {"spec": result.judge},
        "options": {"limit": result.limit, "seed": result.seed},
        "counts": result.counts,
        "crosstab": result.crosstab,
        "rates": {k: RateRecord.of(v).model_dump(mode="json") for k, v in result.rates.items()},
        "disagree": {
            "events": result.disagreed,
            "judged": result.judged,
            "correct": result.correct,
            "incorrect": result.incorrect,
            "unscored": result.unscored,
            "unscored_reasons": result.unscored_reasons,
            "correct_share": share_json(result.disagree_correct_share),
        },
        "review_queue": {"count": len(result.queue), "file": "review_queue.jsonl"},
    }
