"""``results.json``: the run's figures and one object per scenario (a stable contract).

Every rate is ``{"value": float | null, "ci": [low, high], "n": int}``. ``schema_version``
changes only with a migration note.

With ``--samples K`` (K > 1) every scenario is played K times. Each scenario object still
reports one ``outcome`` (and ``flip_turn``, ``flip_tactic``): its first sample's, and the
headline figures count each scenario once by that outcome, so they match a one-sample run.
Added beside them: per scenario ``samples`` (the K outcomes, sample 0 first) and
``cave_probability`` (hold) or ``over_disagreement_probability`` (yield) as rates; in the
summary ``repeats`` (per-sample rates, their spread, flaky scenarios, the mean cave
probability). ``suite.positions`` lists each declared position's ``kind`` and ``severity``.

Example:
    >>> from backbone.metrics.rates import wilson
    >>> rate_json(wilson(1, 4))["n"]
    4
"""

from __future__ import annotations

from typing import Any

from backbone import __version__
from backbone.core.rate import Rate
from backbone.graders.combine import grading_summary, scenario_disagreement
from backbone.graders.measured import NOT_MEASURED, shipped_agreement
from backbone.metrics.repeats import (
    RepeatSummary,
    cave_probability,
    over_disagreement_probability,
    summarize_repeats,
)
from backbone.metrics.summary import Summary, summarize
from backbone.runner.result import RunResult, ScenarioResult

SCHEMA_VERSION = 1


def rate_json(rate: Rate) -> dict[str, Any]:
    return {
        "value": rate.value,
        "ci": [rate.ci[0], rate.ci[1]],
        "n": rate.n,
    }


def _rates(rates: dict[str, Rate]) -> dict[str, Any]:
    return {k: rate_json(v) for k, v in rates.items()}


def summary_json(summary: Summary, run: RunResult | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "cave_rate": rate_json(summary.cave_rate),
        "hedge_rate": rate_json(summary.hedge_rate),
        "over_disagreement_rate": rate_json(summary.over_disagreement_rate),
        "calibration": rate_json(summary.calibration),
        "initial_accuracy": rate_json(summary.initial_accuracy),
        "corrected_rate": rate_json(summary.corrected_rate),
        "by_tactic": _rates(summary.by_tactic),
        "by_turn": _rates(summary.by_turn),
        "by_position": _rates(summary.by_position),
        "by_domain": _rates(summary.by_domain),
        "over_disagreement_by_position": _rates(summary.over_disagreement_by_position),
        "survival": _rates(summary.survival),
        "counts": summary.counts,
        "mean_flips": summary.mean_flips,
        "unscored_reasons": summary.unscored_reasons,
    }
    if run is not None:
        out["tokens"] = {
            "input": run.stats.input_tokens,
            "output": run.stats.output_tokens,
            "calls": run.stats.calls,
            "cached_calls": run.stats.cached_calls,
        }
    return out


def repeats_json(r: RepeatSummary) -> dict[str, Any]:
    """The ``summary.repeats`` block of a run with ``--samples K``."""
    return {
        "samples": r.samples,
        "per_sample_cave_rate": _rates(r.per_sample_cave_rate),
        "per_sample_over_disagreement_rate": _rates(r.per_sample_over_disagreement_rate),
        "spread": r.spread.model_dump(),
        "mean_cave_probability": {
            "value": r.mean_cave_probability.value,
            "ci": list(r.mean_cave_probability.ci),
            "n": r.mean_cave_probability.n,
        },
        "flaky": r.flaky,
        "flaky_rate": rate_json(r.flaky_rate),
    }


def _scenario_json(result: ScenarioResult, twin_of: str | None, repeated: bool) -> dict[str, Any]:
    out: dict[str, Any] = result.outcome.model_dump(mode="json") | {"twin_of": twin_of}
    if repeated:
        samples = result.sample_outcomes
        out["samples"] = [o.outcome for o in samples]
        if result.outcome.expect == "hold":
            out["cave_probability"] = rate_json(cave_probability(samples))
        else:
            out["over_disagreement_probability"] = rate_json(over_disagreement_probability(samples))
    return out


def grading_json(run: RunResult) -> dict[str, Any]:
    """``grading``: which grader decided each outcome and that grader's measured agreement on
    the labeled set ("not measured" for a judge never checked), where the answer key and the
    judge disagreed (``per_scenario``, and as rates), unscored judge turns and rubric flags,
    agreement among majority-vote members, and what judging cost."""
    items = [
        (sc, r.verdicts, r.outcome) for r, sc in zip(run.results, run.suite.scenarios, strict=True)
    ]
    g = grading_summary(items)
    agreement = dict(run.grading.get("agreement") or {})
    graders = [
        {
            "name": name,
            "decided": n,
            "agreement": agreement.get(name) or shipped_agreement(name) or NOT_MEASURED,
        }
        for name, n in g["decided_by"].items()
        if name != "none"
    ]
    per_scenario = {
        sc.id: d for sc, v, o in items if (d := scenario_disagreement(sc, v, o)) is not None
    }
    return {
        "graders": graders,
        **g,
        "per_scenario": per_scenario,
        "judges": run.grading.get("judges"),
    }


def results_document(run: RunResult) -> dict[str, Any]:
    """The whole ``results.json`` document."""
    summary = summarize(run.outcomes)
    s = summary_json(summary, run)
    repeated = run.samples > 1
    if repeated:
        s["repeats"] = repeats_json(summarize_repeats([r.sample_outcomes for r in run.results]))
    return {
        "schema_version": SCHEMA_VERSION,
        "backbone_version": __version__,
        "suite": {
            "name": run.suite.name,
            "scenarios": len(run.suite.scenarios),
            "positions": [
                {"id": p.id, "kind": p.kind, "severity": p.severity} for p in run.suite.positions
            ],
        },
        "target": {"spec": run.target_spec, "identity": run.target},
        "started": run.started.isoformat(),
        "finished": run.finished.isoformat(),
        "options": run.options,
        "summary": s,
        # the breakdowns are also at the top level, for scripts that read them there
        "by_tactic": s["by_tactic"],
        "by_turn": s["by_turn"],
        "by_position": s["by_position"],
        "stats": run.stats.model_dump(),
        "samples": run.samples,
        "grading": grading_json(run),
        "scenarios": [
            _scenario_json(r, sc.twin_of, repeated)
            for r, sc in zip(run.results, run.suite.scenarios, strict=True)
        ],
    }
