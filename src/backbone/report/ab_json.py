"""``ab.json``: the A/B decomposition's figures (a stable contract).

Shape (every rate and delta is ``{"value": float | null, "ci": [low, high], "n": int}``, a
95% interval; deltas are B − A)::

    {
      "schema_version": 1,
      "arms": {"a": "control", "b": "new-prompt"},   # a: --baseline, else the first in order
      "preference_delta": {...},   # thumbs-up rate of B minus A; n: rated events, both arms
      "accuracy_delta": {...},     # judged-correct share of B minus A (weighted); n: scored
      "verdict": "win" | "sycophancy_gradient" | "loss" | "inconclusive",
      "verdict_reason": "...",
      "required_n": 41230 | null,  # events per arm that would decide it; null when decided
      "required_n_basis": {"power": 0.8, "alpha": 0.05, "same_share_judged": true,
                           "accuracy_measured": true},  # false: an arm has nothing scored
      "margin": 0.01,
      "non_inferiority": {"margin", "lower_bound", "shown", "p_value", "alpha"},
                                   # shown: lower_bound > −margin, exactly when p_value < alpha
      "shown": {"preference_up", "preference_down", "accuracy_up", "accuracy_down",
                "accuracy_within_margin"},
      "p_values": {"preference", "accuracy"},  # two-sided, of no difference: below 0.05
                                                # exactly when the delta's ci leaves 0 out
      "per_arm": {"a": {"name", "events", "rated", "unrated", "thumbs_up", "thumbs_down",
                        "thumbs_up_rate": {...}, "judged", "scored", "correct", "unscored",
                        "accuracy": {...}, "effective_n", "design_effect", "judged_whole",
                        "strata": [{"key", "rating", "segment", "events", "judged",
                                    "scored", "correct", "unscored", "weight"}]},
                  "b": {...}},
      "counts": {"events", "rated", "judged", "scored", "unscored"},
      "unscored_reasons": {"reason": count},
      "judgments": [{"id", "row", "arm", "stratum", "rating", "weight", "correct",
                     "reason", "unscored_reason"}],
      "input": {...}, "judge": {"spec", "identity"}, "options": {...}
    }

Accuracy is over all an arm's events (its unrated events are a stratum of the sample, rating
null); the thumbs-up rate over its rated events. An arm's ``accuracy`` interval is Wilson's on
its effective counts (``effective_n``); its ``design_effect`` is the variance against judging
the whole arm (1 when judged whole).

Example:
    >>> doc = ab_document(result)  # doctest: +SKIP
    >>> doc["verdict"], doc["preference_delta"]["value"]  # doctest: +SKIP
    ('sycophancy_gradient', 0.04)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from backbone import __version__
from backbone.audit.ab import ABResult, ArmResult, unmeasured
from backbone.audit.ab_verdict import ALPHA
from backbone.report.audit_json import log_input, stratum_json

SCHEMA_VERSION = 1


def _arm(arm: ArmResult) -> dict[str, Any]:
    c = arm.counts
    return {
        "name": arm.name,
        "events": c.events,
        "rated": c.rated,
        "unrated": c.events - c.rated,
        "thumbs_up": c.up,
        "thumbs_down": c.down,
        "thumbs_up_rate": arm.preference.as_json(),
        "judged": arm.judged,
        "scored": arm.scored,
        "correct": arm.correct,
        "unscored": arm.judged - arm.scored,
        "accuracy": arm.accuracy.proportion().as_json(),
        "effective_n": arm.accuracy.n_eff,
        "design_effect": arm.accuracy.design_effect,
        "judged_whole": arm.whole,
        "strata": [stratum_json(s) for s in arm.strata],
    }


def ab_document(result: ABResult) -> dict[str, Any]:
    """The whole ``ab.json`` document."""
    r = result
    info = r.log
    s = r.verdict.shown
    judged = r.a.judged + r.b.judged
    scored = r.a.scored + r.b.scored
    return {
        "schema_version": SCHEMA_VERSION,
        "backbone_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "input": {**log_input(info), "arm_column": r.arm_column},
        "judge": {"spec": r.judge, "identity": r.judge_identity},
        "options": r.options,
        "arms": {"a": r.a.name, "b": r.b.name},
        "preference_delta": r.preference_delta.as_json(),
        "accuracy_delta": r.accuracy_delta.as_json(),
        "verdict": r.verdict.verdict,
        "verdict_reason": r.verdict.reason,
        "required_n": r.required_n,
        "required_n_basis": {
            "power": r.power,
            "alpha": ALPHA,
            "same_share_judged": True,
            "accuracy_measured": not unmeasured(r.a, r.b),  # else nothing to project
        },
        "margin": r.margin,
        "non_inferiority": {
            "margin": r.margin,
            "lower_bound": r.accuracy_delta.ci[0] if r.accuracy_delta.value is not None else None,
            "shown": s.acc_within_margin,
            "p_value": r.non_inferiority_p,
            "alpha": ALPHA / 2,  # one-sided: shown exactly when p_value is below it
        },
        "shown": {
            "preference_up": s.pref_up,
            "preference_down": s.pref_down,
            "accuracy_up": s.acc_up,
            "accuracy_down": s.acc_down,
            "accuracy_within_margin": s.acc_within_margin,
        },
        "p_values": {
            "preference": r.preference_delta.p_value,
            "accuracy": r.accuracy_delta.p_value,
        },
        "per_arm": {"a": _arm(r.a), "b": _arm(r.b)},
        "counts": {
            "events": info.rows,
            "rated": info.rated,
            "judged": judged,
            "scored": scored,
            "unscored": judged - scored,
        },
        "unscored_reasons": r.unscored_reasons,
        "sample": {"seed": r.seed, "per_stratum": r.per_stratum},
        "judgments": [
            {
                "id": se.event.id,
                "row": se.event.row,
                "arm": se.event.segment,
                "stratum": se.stratum,
                "rating": se.event.rating,
                "weight": se.weight,
                "correct": j.correct,
                "reason": j.reason,
                "unscored_reason": j.unscored_reason,
            }
            for se, j in r.judgments
        ],
    }


def render_ab_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
