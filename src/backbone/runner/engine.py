"""Playing scenarios against a target, turn by turn, many conversations at once.

For each scenario the runner sends the opening (and asks for the answer unless the suite
planted one), then each pressure step in order, recording every turn. Conversations run
concurrently up to ``concurrency``; a target failure that survives the retry wrapper ends
that conversation and is recorded, so the scenario is ``unscored``, never passed.

Example:
    >>> import asyncio
    >>> from backbone.scenarios import load_suite
    >>> from backbone.targets.python_callable import CallableTarget
    >>> suite = load_suite("builtin:golden")
    >>> bot = CallableTarget(lambda msgs: "I'm not sure.", name="bot")
    >>> result = asyncio.run(run_suite(suite, bot, target_spec="python:bot"))
    >>> len(result.results) == len(suite.scenarios)
    True
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from backbone.core.transcript import Transcript, TranscriptMessage
from backbone.core.verdict import Verdict
from backbone.graders.base import Grader
from backbone.graders.combine import default_graders
from backbone.metrics.outcome import decide_outcome
from backbone.runner.result import RunResult, RunStats, ScenarioResult
from backbone.scenarios.models import Scenario, Suite
from backbone.targets.base import Target
from backbone.targets.errors import TargetError
from backbone.targets.messages import ChatMessage, Request

ProgressHook = Callable[[ScenarioResult], None]


async def play(scenario: Scenario, target: Target, *, sample: int = 0) -> Transcript:
    """Play one scenario to the end of its ladder (or to the first unrecoverable failure)."""
    t = Transcript(scenario_id=scenario.id)
    sent: list[ChatMessage] = []
    if scenario.system:
        sent.append(ChatMessage("system", scenario.system))
        t.messages.append(TranscriptMessage(role="system", content=scenario.system))
    for i, m in enumerate(scenario.messages):
        sent.append(ChatMessage(m.role, m.content))
        last = i == len(scenario.messages) - 1
        t.messages.append(
            TranscriptMessage(
                role=m.role,
                content=m.content,
                turn=0 if (m.role == "assistant" and last) else None,
                planted=m.role == "assistant",
            )
        )

    async def ask(turn: int, tactic: str | None) -> bool:
        try:
            reply = await target.complete(Request(tuple(sent), sample=sample))
        except TargetError as exc:
            t.error = f"turn {turn}: {exc}"
            return False
        if reply.cached:
            t.cached_calls += 1
        else:
            t.calls += 1
        t.input_tokens += reply.usage.input_tokens
        t.output_tokens += reply.usage.output_tokens
        sent.append(ChatMessage("assistant", reply.text))
        t.messages.append(
            TranscriptMessage(role="assistant", content=reply.text, turn=turn, tactic=tactic)
        )
        return True

    if not scenario.planted_opening and not await ask(0, None):
        return t
    for k, step in enumerate(scenario.ladder(), 1):
        text = scenario.render_step(step)
        sent.append(ChatMessage("user", text))
        t.messages.append(TranscriptMessage(role="user", content=text, turn=k, tactic=step.tactic))
        if not await ask(k, step.tactic):
            return t
    return t


async def grade(
    scenario: Scenario, transcript: Transcript, graders: Sequence[Grader]
) -> ScenarioResult:
    """Grade a transcript with the first grader that can, and decide the outcome."""
    verdicts: list[Verdict] | None = None
    if transcript.error is None:
        for grader in graders:
            verdicts = await grader.grade(scenario, transcript)
            if verdicts is not None:
                break
    outcome = decide_outcome(
        scenario.id,
        scenario.position,
        scenario.expect,
        [s.tactic for s in scenario.ladder()],
        verdicts,
        error=transcript.error,
        domain=scenario.domain,
    )
    return ScenarioResult(transcript=transcript, verdicts=verdicts, outcome=outcome)


async def run_suite(
    suite: Suite,
    target: Target,
    *,
    target_spec: str,
    graders: Sequence[Grader] | None = None,
    concurrency: int = 8,
    sample: int = 0,
    samples: int = 1,
    on_result: ProgressHook | None = None,
    options: dict[str, Any] | None = None,
    judge: Grader | None = None,
) -> RunResult:
    """Play and grade every scenario of ``suite``; results keep the suite's order.

    ``samples`` = K plays each scenario K times, with ``Request.sample`` = ``sample`` ..
    ``sample + K - 1`` (so the cache keeps K distinct replies per conversation). Each result is
    the first sample's, with the other samples in its ``repeats``; ``on_result`` is called
    once per sample played.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if samples < 1:
        raise ValueError("samples must be at least 1")
    # the answer key decides where a scenario has one; a judge (if given) grades beside it
    # and decides elsewhere (backbone.graders.combine)
    graders = list(graders) if graders is not None else default_graders(judge)
    started = datetime.now(UTC)
    gate = asyncio.Semaphore(concurrency)

    async def one(scenario: Scenario, index: int) -> ScenarioResult:
        async with gate:
            transcript = await play(scenario, target, sample=index)
        result = await grade(scenario, transcript, graders)
        if on_result is not None:
            on_result(result)
        return result

    played = await asyncio.gather(
        *(one(s, sample + j) for s in suite.scenarios for j in range(samples))
    )
    results = list(played)
    if samples > 1:
        results = [
            played[i].model_copy(update={"repeats": list(played[i + 1 : i + samples])})
            for i in range(0, len(played), samples)
        ]
    stats = RunStats(
        calls=sum(r.transcript.calls for r in played),
        cached_calls=sum(r.transcript.cached_calls for r in played),
        input_tokens=sum(r.transcript.input_tokens for r in played),
        output_tokens=sum(r.transcript.output_tokens for r in played),
        failed_scenarios=sum(1 for r in results if r.transcript.error),
    )
    return RunResult(
        suite=suite,
        target=dict(target.identity),
        target_spec=target_spec,
        results=results,
        stats=stats,
        started=started,
        finished=datetime.now(UTC),
        options=options or {},
        samples=samples,
    )
