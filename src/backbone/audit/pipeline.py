"""The audit end to end: a validated log -> stratified sample -> judgments -> estimates ->
verdict and failure modes, as one :class:`AuditResult`.

Example:
    >>> from backbone.audit.feedback_log import open_log
    >>> from backbone.evaluation.registry import correctness_judge
    >>> with open_log("feedback.parquet") as log:  # doctest: +SKIP
    ...     judge = correctness_judge("python:my_checks:is_correct")
    ...     result = asyncio.run(run_audit(log, judge, AuditOptions(per_stratum=300)))
    >>> result.verdict.verdict  # doctest: +SKIP
    'review'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from backbone.audit.estimate import estimate_grid
from backbone.audit.failure_modes import Rule, check_rule_columns, failure_modes
from backbone.audit.feedback_log import FeedbackLog
from backbone.audit.judging import AuditJudge, judge_all
from backbone.audit.models import AuditResult, Judgment, LogInfo, Sample, StratumResult
from backbone.audit.sampling import draw_sample
from backbone.audit.verdict import Thresholds, decide

if TYPE_CHECKING:
    from backbone.audit.engine_table import EngineLog


@dataclass
class AuditOptions:
    per_stratum: int = 200
    seed: int = 0
    thresholds: Thresholds = field(default_factory=Thresholds)
    rules: list[Rule] = field(default_factory=list)
    concurrency: int = 8


def tally(sample: Sample, judgments: Sequence[Judgment]) -> list[StratumResult]:
    """Per-stratum counts of judged, scored and correct events."""
    judged: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for se, j in zip(sample.events, judgments, strict=True):
        judged[se.stratum] += 1
        if j.correct is not None:
            scored[se.stratum] += 1
            correct[se.stratum] += int(j.correct)
    return [
        StratumResult(
            key=s.key,
            rating=s.rating,
            segment=s.segment,
            events=s.events,
            judged=judged[s.key],
            scored=scored[s.key],
            correct=correct[s.key],
            unscored=judged[s.key] - scored[s.key],
        )
        for s in sample.strata
    ]


def assemble(
    info: LogInfo,
    sample: Sample,
    judgments: Sequence[Judgment],
    *,
    judge_spec: str,
    judge_identity: dict[str, Any],
    options: AuditOptions,
    extra_options: dict[str, Any] | None = None,
) -> AuditResult:
    """Estimates, verdict and failure modes from a sample and its judgments (no I/O)."""
    strata = tally(sample, judgments)
    grid = estimate_grid(strata)
    verdict = decide(grid.unwelcome_correct_share, options.thresholds)
    pairs = list(zip(sample.events, judgments, strict=True))
    reasons = Counter(j.unscored_reason or "unknown" for j in judgments if j.correct is None)
    return AuditResult(
        log=info,
        judge=judge_spec,
        judge_identity=dict(judge_identity),
        seed=sample.seed,
        per_stratum=sample.per_stratum,
        whole_log=sample.whole_log,
        strata=strata,
        grid=grid.rows,
        unwelcome_correct_share=grid.unwelcome_correct_share,
        p_down_given_correct=grid.p_down_given_correct,
        verdict=verdict,
        failure_modes=failure_modes(pairs, info, options.rules),
        unscored_reasons=dict(reasons.most_common()),
        judgments=pairs,
        options={
            "sample": options.per_stratum,
            "seed": options.seed,
            "thresholds": {"ship": options.thresholds.ship, "stop": options.thresholds.stop},
            "failure_rules": [str(r) for r in options.rules],
            **(extra_options or {}),
        },
    )


async def run_audit(
    log: FeedbackLog | EngineLog,
    judge: AuditJudge,
    options: AuditOptions,
    *,
    on_result: Callable[[Judgment], None] | None = None,
    extra_options: dict[str, Any] | None = None,
) -> AuditResult:
    """Sample ``log`` (a file read by DuckDB, or a table on any engine), judge the sample,
    and put the result together. Raises :class:`~backbone.core.errors.InputError` for a
    failure rule on a column ``log`` lacks."""
    check_rule_columns(options.rules, log.info.columns)
    if isinstance(log, FeedbackLog):
        sample = draw_sample(log, options.per_stratum, options.seed)
    else:  # a table on an engine (audit/engine_table.py): the same draw, run there
        sample = log.draw_sample(options.per_stratum, options.seed)
    judgments = await judge_all(
        judge, sample.events, concurrency=options.concurrency, on_result=on_result
    )
    return assemble(
        log.info,
        sample,
        judgments,
        judge_spec=judge.spec,
        judge_identity=dict(judge.identity),
        options=options,
        extra_options=extra_options,
    )
