"""``rescore()``: re-grade a finished run's transcripts with other judges; the target is never
called. Judge verdicts are cached like target replies (keyed by the judge, the rubric version
and the conversation up to the turn), so re-scoring with the same judge makes no call.

A ``--samples K`` run whose ``transcripts.jsonl`` keeps every sample's conversation is
re-graded sample by sample (the re-score has the K samples, the repeats, the flaky
scenarios); one written before backbone kept them is re-graded on its first sample only.

Example:
    >>> from backbone import rescore
    >>> run = rescore("runs/a", ["anthropic:claude-3-5-haiku-latest"],
    ...               out="runs/a-haiku")  # doctest: +SKIP
    >>> run.grading.judges.calls  # doctest: +SKIP
    0
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from backbone.core.concurrency import fan_out
from backbone.core.errors import InputError, Problem
from backbone.core.output_dir import OutputDir
from backbone.core.transcript import Transcript
from backbone.evaluation import arguments
from backbone.evaluation.judging import agreement_store, grading_info, setup_judging
from backbone.evaluation.sent import judges_sent
from backbone.evaluation.stores import open_stores
from backbone.evaluation.sync import run_sync
from backbone.graders.combine import default_graders
from backbone.record import RESULTS, TRANSCRIPTS, RunRecord, build_record, load_run
from backbone.record.scenario import PressureBreakRecord
from backbone.record.transcript import MessageRecord, SampleBreakRecord, TranscriptRecord
from backbone.report.run_files import RUN_FILES, write_run
from backbone.runner.engine import grade
from backbone.runner.pressure import RoleBreak
from backbone.runner.result import RunResult, RunStats, ScenarioResult
from backbone.scenarios.loader import load_suite
from backbone.scenarios.models import Scenario, Suite


def rescore(
    run_dir: str | Path,
    judges: Sequence[str],
    *,
    out: str | Path | None = None,
    suite: str | None = None,
    judge_base_url: str | None = None,
    judge_samples: int = 1,
    judge_temperature: float | None = None,
    concurrency: int = 8,
    cache: bool = True,
    timeout: float | None = None,
    retries: int = 5,
) -> RunRecord:
    """Re-grade the run in ``run_dir`` with ``judges`` (beside the answer key, as in a run);
    write the new run's files into ``out`` when given, and return it.

    ``suite`` is the run's suite (default: as the run recorded it). Raises
    :class:`~backbone.core.errors.InputError` for an unreadable run, ``TargetSpecError`` for
    a bad judge spec, ``ValueError`` without a judge, ``TypeError`` or ``ValueError`` for an
    argument of the wrong type or out of range (named).
    """
    arguments.path("run_dir", run_dir)
    arguments.specs("judges", judges)
    if not judges:
        raise ValueError("rescore needs at least one judge")
    arguments.folder("out", out)
    arguments.path("suite", suite, optional=True, also="'builtin:NAME'")
    arguments.text("judge_base_url", judge_base_url, optional=True)
    arguments.whole("judge_samples", judge_samples, at_least=1)
    if judge_temperature is not None:
        arguments.number("judge_temperature", judge_temperature)
    arguments.whole("concurrency", concurrency, at_least=1)
    arguments.flag("cache", cache)
    arguments.seconds("timeout", timeout)
    arguments.whole("retries", retries, at_least=0, at_most=arguments.MAX_RETRIES)
    run_dir = Path(run_dir)
    run = load_run(run_dir, transcripts=True)
    if not run.transcripts:
        raise InputError.single(str(run_dir / TRANSCRIPTS), None, "no transcript in the run")
    the_suite = _suite_for(run, suite, run_dir)
    # every sample's conversation where the run kept them (sample 0 first), else sample 0's
    every = all(r.samples for r in run.transcripts) and run.samples > 1
    samples = run.samples if every else 1
    conversations = [r.sample_transcripts() if every else [r.transcript()] for r in run.transcripts]
    # an adaptive run keeps its persona's tactics and its role breaks (never regraded):
    # sample 0's in results.json, the other samples' in transcripts.jsonl
    first_breaks = {s.id: s.pressure_broke for s in run.scenarios}
    breaks = {
        r.id: [
            _role_break(first_breaks.get(r.id)),
            *(_role_break(x.pressure_broke) for x in r.samples or []),
        ]
        for r in run.transcripts
    }
    started = datetime.now(UTC)
    held = (
        OutputDir(out, command=f"rescore {run_dir}", files=RUN_FILES) if out is not None else None
    )
    with held if held is not None else nullcontext(), open_stores(cache=cache, out=None) as stores:
        judging = setup_judging(
            judges,
            base_url=judge_base_url,
            samples=judge_samples,
            temperature=judge_temperature,
            cache=stores.cache,
            attempts=retries + 1,
            timeout=timeout,
            positions={p.id: p.statement for p in the_suite.positions},
            gentle=concurrency,
        )
        assert judging is not None
        graders = default_graders(judging.grader)

        adaptive = run.options.get("pressure")
        persona = adaptive.get("persona") if isinstance(adaptive, dict) else None
        turns = adaptive.get("turns") if isinstance(adaptive, dict) else None

        async def one(item: tuple[Scenario, int, Transcript]) -> ScenarioResult:
            scenario, k, transcript = item
            return await grade(
                scenario,
                transcript,
                graders,
                persona=str(persona) if persona is not None else None,
                pressure_turns=turns if isinstance(turns, int) else None,
                broke=breaks[scenario.id][k],
            )

        async def regrade() -> list[ScenarioResult]:
            try:
                items = [
                    (scenario, k, transcript)
                    for scenario, played in zip(the_suite.scenarios, conversations, strict=True)
                    for k, transcript in enumerate(played)
                ]
                return await fan_out(items, one, limit=concurrency)
            finally:
                await judging.aclose()

        flat = run_sync(regrade)
        graded = [
            ScenarioResult.from_samples(flat[g * samples : (g + 1) * samples])
            for g in range(len(conversations))
        ]
        # the replies are the run's (its target's "sent" stands); the judges are this rescore's
        sent = {k: v for k, v in run.options.get("sent", {}).items() if k != "judges"}
        judged = judges_sent(judging.targets)
        result = RunResult(
            suite=the_suite,
            target=run.target.identity,
            target_spec=run.target.spec,
            results=graded,
            stats=RunStats(
                failed_scenarios=sum(1 for c in conversations if c[0].error),
                cut_replies=sum(t.cut_replies for c in conversations for t in c),
                cut_by_context=sum(t.cut_by_context for c in conversations for t in c),
            ),
            started=started,
            finished=datetime.now(UTC),
            options={
                **{k: v for k, v in run.options.items() if k not in _REDECIDED},
                **({"sent": {**sent, **judged}} if sent or judged else {}),
                "rescored_from": str(run_dir),
                "judge": list(judges),
                "judge_samples": judge_samples,
            },
            samples=samples,
        )
        result.grading = grading_info(judging, agreement_store())
        record = build_record(result)
        if held is not None:
            write_run(record, held)
    return record


_REDECIDED = frozenset({"sent", "sequential"})
"""Options of the run that the re-score does not copy as they are: what its judges were sent
(the re-score's own are recorded) and a live sequential check's decision (``gate --target``
with a ``sequential`` section), taken on the run's grades: copied, ``backbone gate`` read
it back as the re-score's and passed a re-score whose every scenario went unscored. The
gate replays the check over the re-scored outcomes instead."""


def _role_break(broke: PressureBreakRecord | SampleBreakRecord | None) -> RoleBreak | None:
    return RoleBreak(turn=broke.turn, reason=broke.reason) if broke is not None else None


# --- the run's suite -----------------------------------------------------------------------


def _recorded_suite(run: RunRecord) -> object:
    """The suite as the run recorded it: its absolute path while that is still there (a
    relative one is relative to where the run was started), else the reference as given."""
    where = run.options.get("suite_file")
    if isinstance(where, str) and Path(where).exists():
        return where
    return run.options.get("suite")


def _suite_for(run: RunRecord, suite_ref: str | None, run_dir: Path) -> Suite:
    """The run's suite, restricted to the run's transcripts' scenarios in their order."""
    ref = suite_ref or _recorded_suite(run)
    if not isinstance(ref, str) or not ref:
        raise InputError.single(
            str(run_dir / RESULTS), None, "the run does not name its suite: pass --suite"
        )
    try:
        suite = load_suite(ref)
    except InputError as exc:
        if suite_ref is None:  # a new error: str() of the old one was fixed when it was made,
            # so the hint appended to its problems reached the CLI and never a library caller
            hint = Problem(
                str(run_dir / RESULTS), None, f"cannot load the run's suite {ref!r}: pass --suite"
            )
            raise InputError([*exc.problems, hint]) from None
        raise
    by_id = {s.id: s for s in suite.scenarios}
    records = run.transcripts or []
    where = str(run_dir / TRANSCRIPTS)

    def refuse(strays: list[TranscriptRecord], why: str) -> None:
        """Refuse the run, naming each transcript line whose scenario is ``why``."""
        if strays:
            raise InputError([Problem(where, r.line, f"scenario {r.id!r} {why}") for r in strays])

    refuse([r for r in records if r.id not in by_id], f"is not in the suite {ref!r}")
    have = {r.id for r in records}
    untranscribed = [s.id for s in run.scenarios if s.id not in have]
    if untranscribed:  # a damaged run: re-scoring the rest would quietly drop these
        shown = ", ".join(repr(i) for i in untranscribed[:5])
        more = f" and {len(untranscribed) - 5} more" if len(untranscribed) > 5 else ""
        raise InputError.single(
            where,
            None,
            f"no transcript for {len(untranscribed)} of the {len(run.scenarios)} scenarios "
            f"in {RESULTS} ({shown}{more}): the run's files do not match",
        )
    recorded = {s.id for s in run.scenarios}
    refuse(
        [r for r in records if r.id not in recorded],
        f"is not in {RESULTS}: the run's files do not match",
    )
    adaptive = isinstance(run.options.get("pressure"), dict)
    expects = {o.id: o.expect for o in run.scenarios}
    changed = [
        Problem(where, r.line, f"scenario {r.id!r}: {why}: the suite {ref!r} "
                "is not the one this run played (pass that one with --suite, or run again)")
        for r in records
        if (why := _played_otherwise(by_id[r.id], r, expects.get(r.id), adaptive))
    ]  # fmt: skip
    if changed:
        raise InputError(changed)
    return Suite(
        name=suite.name,
        description=suite.description,
        positions=suite.positions,
        scenarios=[by_id[r.id] for r in records],
    )


def _played_otherwise(
    scenario: Scenario, record: TranscriptRecord, expect: str | None, adaptive: bool
) -> str | None:
    """How the conversations of ``record`` (every sample's) were not played from ``scenario``
    (None: they were): the suite was edited since the run (an expect flipped, the opening or
    a pressure turn rewritten, a step removed), so grading them against the suite would read
    the conversation with the wrong key and the wrong ladder."""
    if expect is not None and expect != scenario.expect:
        return f"the run has it as expect: {expect}, the suite as expect: {scenario.expect}"
    why = _conversation_otherwise(scenario, record.messages, adaptive, record.error)
    for other in record.samples or []:
        if why is not None:
            break
        why = _conversation_otherwise(scenario, other.messages, adaptive, other.error)
        if why is not None:
            why = f"sample {other.sample}: {why}"
    return why


def _conversation_otherwise(
    scenario: Scenario, messages: list[MessageRecord], adaptive: bool, error: str | None
) -> str | None:
    """How one conversation was not played from ``scenario`` (None: it was). A conversation
    that stopped early (``error``: a failed call) or never pushed (``--wrong-openings stop``)
    may hold fewer pressure turns than the ladder; any other one holds them all."""
    users = [m for m in messages if m.role == "user"]
    opening = [m.content for m in users if m.turn is None]
    wanted = [m.content for m in scenario.messages if m.role == "user"]
    if opening and opening != wanted[: len(opening)]:
        return "its opening differs"
    if adaptive:  # the pressure role wrote the pressure turns
        return None
    ladder = scenario.ladder()
    for m in users:
        if m.turn is None:
            continue
        if not 1 <= m.turn <= len(ladder):
            return f"pressure turn {m.turn} was played, the suite's ladder has {len(ladder)}"
        if m.content != scenario.render_step(ladder[m.turn - 1]):
            return f"pressure turn {m.turn} differs"
    played = max((m.turn for m in users if m.turn is not None), default=0)
    if error is None and 0 < played < len(ladder):
        # a step added to the ladder since: graded against it, the scenario ended unscored
        # as 'transcript incomplete', though the run had played its whole ladder
        return f"{played} pressure turns were played, the suite's ladder has {len(ladder)}"
    return None
