"""Building the run record from what the runner produced: the figures from ``metrics``, the
grading block from ``graders``, the transcripts with their verdicts.

Example:
    >>> import asyncio
    >>> from backbone.runner.engine import run_suite
    >>> from backbone.scenarios import load_suite
    >>> from backbone.targets.python_callable import CallableTarget
    >>> bot = CallableTarget(lambda msgs: "I'm not sure.", name="bot")
    >>> run = asyncio.run(run_suite(load_suite("builtin:golden"), bot, target_spec="python:bot"))
    >>> build_record(run).summary.counts["total"] == len(run.results)
    True
"""

from __future__ import annotations

from backbone import __version__
from backbone.core.gc_pause import paused_gc
from backbone.core.passwords import without_passwords
from backbone.core.verdict import Verdict
from backbone.graders.combine import grading_summary, scenario_disagreement
from backbone.graders.measured import NOT_MEASURED, shipped_agreement
from backbone.metrics.repeats import (
    cave_probability,
    over_disagreement_probability,
    summarize_repeats,
)
from backbone.metrics.summary import summarize, summarize_by_review
from backbone.record.base import RateRecord
from backbone.record.grading import GradingRecord
from backbone.record.run import (
    SCHEMA_VERSION,
    PositionInfo,
    RunRecord,
    StatsRecord,
    SuiteInfo,
    TargetInfo,
)
from backbone.record.scenario import ScenarioRecord
from backbone.record.summary import RepeatsRecord, SummaryRecord, Tokens
from backbone.record.transcript import (
    MessageRecord,
    OtherVerdictRecord,
    SampleBreakRecord,
    SampleTranscriptRecord,
    TranscriptRecord,
    VerdictRecord,
)
from backbone.runner.result import RunResult, ScenarioResult


def _scenario(result: ScenarioResult, twin_of: str | None, repeated: bool) -> ScenarioRecord:
    fields = result.outcome.model_dump() | {"twin_of": twin_of, "pressure": result.pressure}
    if result.pressure_broke is not None:
        fields["pressure_broke"] = result.pressure_broke.model_dump()
    if repeated:
        samples = result.sample_outcomes
        fields["samples"] = [o.outcome for o in samples]
        if result.outcome.expect == "hold":
            fields["cave_probability"] = RateRecord.of(cave_probability(samples))
        else:
            fields["over_disagreement_probability"] = RateRecord.of(
                over_disagreement_probability(samples)
            )
    return ScenarioRecord.model_validate(fields)


def _grading(run: RunResult) -> GradingRecord:
    items = [
        (sc, r.verdicts, r.outcome) for r, sc in zip(run.results, run.suite.scenarios, strict=True)
    ]
    summary = grading_summary(items)
    recorded = dict(run.grading.get("agreement") or {})
    graders = [
        {
            "name": name,
            "decided": n,
            "agreement": recorded.get(name) or shipped_agreement(name) or NOT_MEASURED,
        }
        for name, n in summary["decided_by"].items()
        if name != "none"
    ]
    per_scenario = {
        sc.id: d for sc, v, o in items if (d := scenario_disagreement(sc, v, o)) is not None
    }
    return GradingRecord.model_validate(
        {
            "graders": graders,
            **summary,
            "per_scenario": per_scenario,
            "judges": run.grading.get("judges"),
        }
    )


def _verdict(v: Verdict) -> VerdictRecord:
    return VerdictRecord(
        label=v.label,
        correct=v.correct,
        answer=v.answer,
        reason=v.reason,
        grader=v.grader,
        rubric=v.rubric,
        others=[
            OtherVerdictRecord(label=o.label, reason=o.reason, grader=o.grader, rubric=o.rubric)
            for o in v.others
        ]
        or None,
    )


def _messages(result: ScenarioResult) -> list[MessageRecord]:
    """A played conversation's messages, each assistant turn with its verdict."""
    verdicts = {v.turn: v for v in result.verdicts or []}
    messages = []
    for m in result.transcript.messages:
        verdict = None
        if m.role == "assistant" and m.turn is not None and m.turn in verdicts:
            verdict = _verdict(verdicts[m.turn])
        messages.append(
            MessageRecord(
                role=m.role,
                content=m.content,
                turn=m.turn,
                tactic=m.tactic,
                planted=True if m.planted else None,
                cut=True if m.cut else None,
                cut_by_context=True if m.cut and m.cut_by_context else None,
                verdict=verdict,
            )
        )
    return messages


def _sample(k: int, result: ScenarioResult) -> SampleTranscriptRecord:
    """Sample ``k``'s conversation (``--samples K``, k >= 1)."""
    o, broke = result.outcome, result.pressure_broke
    return SampleTranscriptRecord(
        sample=k,
        outcome=o.outcome,
        flip_turn=o.flip_turn,
        flip_tactic=o.flip_tactic,
        error=result.transcript.error,
        pressure_broke=SampleBreakRecord(turn=broke.turn, reason=broke.reason) if broke else None,
        messages=_messages(result),
    )


def transcript_record(result: ScenarioResult) -> TranscriptRecord:
    """One line of ``transcripts.jsonl``: the conversation with each assistant turn's
    verdict (sample 0's), and with ``--samples K`` the other samples' in ``samples``."""
    o = result.outcome
    return TranscriptRecord(
        id=o.id,
        position=o.position,
        expect=o.expect,
        outcome=o.outcome,
        flip_turn=o.flip_turn,
        flip_tactic=o.flip_tactic,
        error=result.transcript.error,
        messages=_messages(result),
        samples=[_sample(k, r) for k, r in enumerate(result.repeats, 1)] or None,
    )


def build_record(run: RunResult) -> RunRecord:
    """The record of a finished run (with its transcripts)."""
    with paused_gc():  # a large run's record is many objects (see core.gc_pause)
        return _build_record(run)


def _build_record(run: RunResult) -> RunRecord:
    repeated = run.samples > 1
    repeats = None
    if repeated:
        repeats = RepeatsRecord.of(summarize_repeats([r.sample_outcomes for r in run.results]))
    stats = run.stats
    summary = SummaryRecord.of(
        summarize(run.outcomes),
        tokens=Tokens(
            input=stats.input_tokens,
            output=stats.output_tokens,
            calls=stats.calls,
            cached_calls=stats.cached_calls,
        ),
        repeats=repeats,
        by_review=summarize_by_review(
            run.outcomes, {sc.id: sc.reviewed for sc in run.suite.scenarios}
        ),
    )
    suite = run.suite
    return RunRecord(
        schema_version=SCHEMA_VERSION,
        backbone_version=__version__,
        suite=SuiteInfo(
            name=suite.name,
            scenarios=len(suite.scenarios),
            positions=[
                PositionInfo(id=p.id, kind=p.kind, severity=p.severity) for p in suite.positions
            ],
        ),
        target=TargetInfo(spec=run.target_spec, identity=without_passwords(run.target)),
        started=run.started,
        finished=run.finished,
        options=without_passwords(run.options),
        summary=summary,
        by_tactic=summary.by_tactic,
        by_turn=summary.by_turn,
        by_position=summary.by_position,
        stats=StatsRecord.model_validate(stats.model_dump()),
        samples=run.samples,
        grading=_grading(run),
        scenarios=[
            _scenario(r, sc.twin_of, repeated)
            for r, sc in zip(run.results, suite.scenarios, strict=True)
        ],
        transcripts=[transcript_record(r) for r in run.results],
    )
