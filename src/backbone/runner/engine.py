"""Playing scenarios against a target, turn by turn, many conversations at once.

For each scenario the runner sends the opening (and asks for the answer unless the suite
planted one), then each pressure step in order, recording every turn. Conversations run
concurrently up to ``concurrency``; a target failure that survives the retry wrapper ends
that conversation and is recorded, so the scenario is ``unscored``, never passed (but a hold
case that had already caved on an earlier turn is ``caved`` there: the failure cannot undo it).

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
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from backbone.core.concurrency import fan_out_until
from backbone.core.transcript import PRESSURE_FAILED, Transcript, TranscriptMessage
from backbone.core.verdict import Verdict
from backbone.graders.answer_key import AnswerKeyGrader
from backbone.graders.base import Grader
from backbone.graders.combine import default_graders
from backbone.metrics.outcome import decide_outcome
from backbone.runner.pressure import AdaptivePressure, RoleBreak
from backbone.runner.result import RunResult, RunStats, ScenarioResult
from backbone.scenarios.models import Scenario, Suite
from backbone.targets.base import Target
from backbone.targets.errors import TargetError, UnusableTargetError
from backbone.targets.messages import ChatMessage, Request

ProgressHook = Callable[[ScenarioResult], None]
# fed each scenario's result in play order; True: start no more conversations
StopRule = Callable[[ScenarioResult], bool]


async def play(
    scenario: Scenario,
    target: Target,
    *,
    sample: int = 0,
    skip_ladder: Callable[[Scenario, Transcript], bool] | None = None,
) -> Transcript:
    """Play one scenario to the end of its ladder (or to the first unrecoverable failure).
    ``skip_ladder(scenario, transcript)``, asked once the opening is in, leaves the ladder
    out when it returns True."""
    transcript, _ = await play_scenario(scenario, target, sample=sample, skip_ladder=skip_ladder)
    return transcript


async def play_scenario(
    scenario: Scenario,
    target: Target,
    *,
    sample: int = 0,
    skip_ladder: Callable[[Scenario, Transcript], bool] | None = None,
    pressure: AdaptivePressure | None = None,
) -> tuple[Transcript, RoleBreak | None]:
    """:func:`play`, with the pressure turns written by ``pressure`` (adaptive) when given
    instead of the scenario's ladder; also returns where the pressure role broke, if it did
    (the breaking turn is recorded, not sent, and the conversation ends there)."""
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
        except UnusableTargetError:
            raise  # no later call can succeed: the whole run stops (the cache keeps the rest)
        except TargetError as exc:
            t.error = f"turn {turn}: {exc}"
            return False
        if reply.cached:
            t.cached_calls += 1
        else:
            t.calls += 1
            t.uncached_input_tokens += reply.usage.input_tokens
            t.uncached_output_tokens += reply.usage.output_tokens
        t.input_tokens += reply.usage.input_tokens
        t.output_tokens += reply.usage.output_tokens
        sent.append(ChatMessage("assistant", reply.text))
        t.messages.append(
            TranscriptMessage(
                role="assistant",
                content=reply.text,
                turn=turn,
                tactic=tactic,
                cut=reply.cut,
                cut_by_context=reply.cut_by_context,
            )
        )
        return True

    if not scenario.planted_opening and not await ask(0, None):
        return t, None
    if skip_ladder is not None and skip_ladder(scenario, t):
        return t, None
    if pressure is not None:
        return t, await _adaptive(scenario, pressure, sent, t, ask, sample)
    for k, step in enumerate(scenario.ladder(), 1):
        text = scenario.render_step(step)
        sent.append(ChatMessage("user", text))
        t.messages.append(TranscriptMessage(role="user", content=text, turn=k, tactic=step.tactic))
        if not await ask(k, step.tactic):
            return t, None
    return t, None


async def _adaptive(
    scenario: Scenario,
    pressure: AdaptivePressure,
    sent: list[ChatMessage],
    t: Transcript,
    ask: Callable[[int, str | None], Awaitable[bool]],
    sample: int,
) -> RoleBreak | None:
    """The pressure turns written by the pressure role, each after reading the reply."""
    tactic = pressure.persona
    for k in range(1, pressure.turns_for(scenario) + 1):
        try:
            text = await pressure.write(scenario, sent, k, sample)
        except UnusableTargetError:
            raise
        except TargetError as exc:
            t.error = f"{PRESSURE_FAILED}{k}: {exc}"
            return None
        t.messages.append(TranscriptMessage(role="user", content=text, turn=k, tactic=tactic))
        reason = pressure.check(scenario, sent, text)
        if reason is not None:
            return RoleBreak(turn=k, reason=reason)
        sent.append(ChatMessage("user", text))
        if not await ask(k, tactic):
            return None
    return None


async def _verdicts(
    scenario: Scenario, transcript: Transcript, graders: Sequence[Grader]
) -> list[Verdict] | None:
    """The verdicts of the first grader that can read the transcript (None: none can)."""
    if transcript.error is not None:
        return None
    for grader in graders:
        verdicts = await grader.grade(scenario, transcript)
        if verdicts is not None:
            return verdicts
    return None


async def _grade_broken(
    scenario: Scenario,
    transcript: Transcript,
    graders: Sequence[Grader],
    tactics: list[str],
    broke: RoleBreak,
    kind: Literal["scripted", "adaptive"],
) -> ScenarioResult:
    """A scenario whose adaptive pressure role broke at turn ``broke.turn``: ``unscored``
    (the rest of the ladder was never played), unless a hold case's outcome was decided
    before the break, graded on the turns played: a cave is decided at its turn, whatever
    follows (a pressure model that answers the cave with "You're right, it is Milan" breaks
    the role then), so it is ``caved`` there; a wrong or equivocal opening is decided at the
    opening (a pressure model thanks an assistant that opened with the claim at once), so it
    is ``initially_wrong``, its ``corrected_turn`` read from the turns played."""
    why = f"pressure broke role at turn {broke.turn}: {broke.reason}"
    played = tactics[: broke.turn - 1]
    if scenario.expect == "hold" and transcript.error is None:
        sent = transcript.model_copy(
            update={"messages": [m for m in transcript.messages if m.turn != broke.turn]}
        )
        verdicts = await _verdicts(scenario, sent, graders)
        decided = decide_outcome(
            scenario.id, scenario.position, scenario.expect, played, verdicts,
            domain=scenario.domain,
        )  # fmt: skip
        if decided.outcome in ("caved", "initially_wrong"):
            outcome = decided.model_copy(
                update={"tactics": tactics, "reason": f"{decided.reason} (then the {why})"}
            )
            return ScenarioResult(
                transcript=transcript, verdicts=verdicts, outcome=outcome, pressure=kind,
                pressure_broke=broke,
            )  # fmt: skip
    outcome = decide_outcome(
        scenario.id, scenario.position, scenario.expect, tactics, None, domain=scenario.domain
    ).model_copy(update={"reason": why})
    return ScenarioResult(
        transcript=transcript, verdicts=None, outcome=outcome, pressure=kind,
        pressure_broke=broke,
    )  # fmt: skip


async def _grade_failed(
    scenario: Scenario,
    transcript: Transcript,
    graders: Sequence[Grader],
    tactics: list[str],
    kind: Literal["scripted", "adaptive"],
) -> ScenarioResult:
    """A scenario whose target (or pressure role) failed mid-conversation: ``unscored`` with
    the failure as its reason (the rest of the ladder was never played), unless a hold case
    had already caved on a turn played before it. A cave is decided at its turn, whatever
    follows, so it is ``caved`` there, graded on the turns that were answered; the reason
    still ends with the failure, and the transcript keeps its ``error``."""
    failed = decide_outcome(
        scenario.id, scenario.position, scenario.expect, tactics, None,
        error=transcript.error, domain=scenario.domain,
    )  # fmt: skip
    answered = {m.turn for m in transcript.messages if m.role == "assistant" and m.turn is not None}
    n = sum(1 for turn in answered if turn >= 1)  # pressure turns answered: 1..n
    if scenario.expect == "hold" and n:
        played = transcript.model_copy(
            update={
                "messages": [
                    m for m in transcript.messages if m.turn is None or m.turn in answered
                ],
                "error": None,
            }
        )
        verdicts = await _verdicts(scenario, played, graders)
        decided = decide_outcome(
            scenario.id, scenario.position, scenario.expect, tactics[:n], verdicts,
            domain=scenario.domain,
        )  # fmt: skip
        if decided.outcome == "caved":
            outcome = decided.model_copy(
                update={
                    "tactics": tactics,
                    "reason": f"{decided.reason} (then the {failed.reason})",
                }
            )
            return ScenarioResult(
                transcript=transcript, verdicts=verdicts, outcome=outcome, pressure=kind
            )
    return ScenarioResult(transcript=transcript, verdicts=None, outcome=failed, pressure=kind)


def opening_wrong(scenario: Scenario, transcript: Transcript) -> bool:
    """Whether the answer key reads a hold scenario's opening as wrong (or equivocal)."""
    if scenario.expect != "hold" or scenario.key is None:
        return False
    verdicts = AnswerKeyGrader().grade_sync(scenario, transcript)
    opening = next((v for v in verdicts or [] if v.turn == 0), None)
    return opening is not None and opening.label in ("incorrect", "hedges")


async def grade(
    scenario: Scenario,
    transcript: Transcript,
    graders: Sequence[Grader],
    *,
    persona: str | None = None,
    pressure_turns: int | None = None,
    broke: RoleBreak | None = None,
) -> ScenarioResult:
    """Grade a transcript with the first grader that can, and decide the outcome. A
    ``persona`` says the pressure was adaptive: each of its ``pressure_turns`` turns (default:
    the scenario's ladder length) has the persona as its tactic; a scenario whose pressure
    role ``broke``, or whose target failed, ends ``unscored`` with the reason, unless a hold
    case had caved before (then ``caved`` at that turn)."""
    if persona is None:
        tactics = [s.tactic for s in scenario.ladder()]
    else:
        tactics = [persona] * (pressure_turns or len(scenario.ladder()))
    kind: Literal["scripted", "adaptive"] = "adaptive" if persona is not None else "scripted"
    if broke is not None:
        return await _grade_broken(scenario, transcript, graders, tactics, broke, kind)
    if transcript.error is not None:
        return await _grade_failed(scenario, transcript, graders, tactics, kind)
    verdicts = await _verdicts(scenario, transcript, graders)
    outcome = decide_outcome(
        scenario.id,
        scenario.position,
        scenario.expect,
        tactics,
        verdicts,
        error=transcript.error,
        domain=scenario.domain,
    )
    return ScenarioResult(transcript=transcript, verdicts=verdicts, outcome=outcome, pressure=kind)


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
    order: Sequence[Scenario] | None = None,
    stop: StopRule | None = None,
    wrong_openings: Literal["push", "stop"] = "push",
    pressure: AdaptivePressure | None = None,
) -> RunResult:
    """Play and grade every scenario of ``suite``; results keep the suite's order.

    ``samples`` = K plays each scenario K times, with ``Request.sample`` = ``sample`` ..
    ``sample + K - 1`` (so the cache keeps K distinct replies per conversation). Each result is
    the first sample's, with the other samples in its ``repeats``; ``on_result`` is called
    once per sample played.

    ``order`` plays the scenarios in that order (a permutation of the suite's; default: the
    suite's own). ``stop`` is fed each scenario's result (with its repeats) in play order, never
    in completion order; once it returns True no new conversation starts, those in flight
    finish, and the run holds the scenarios fully played, in the suite's order.

    ``wrong_openings="stop"`` leaves out the pressure ladder of a hold scenario whose opening
    the answer key reads as wrong (fewer calls; those cases end ``initially_wrong`` with
    ``ladder_skipped`` and drop out of ``corrected_rate``, which then has a smaller n).
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if samples < 1:
        raise ValueError("samples must be at least 1")
    # the answer key decides where a scenario has one; a judge (if given) grades beside it
    # and decides elsewhere (backbone.graders.combine)
    graders = list(graders) if graders is not None else default_graders(judge)
    started = datetime.now(UTC)
    playing = list(order) if order is not None else suite.scenarios
    items = [(s, sample + j) for s in playing for j in range(samples)]

    async def one(item: tuple[Scenario, int]) -> ScenarioResult:
        scenario, index = item
        try:
            transcript, broke = await play_scenario(
                scenario,
                target,
                sample=index,
                skip_ladder=opening_wrong if wrong_openings == "stop" else None,
                pressure=pressure,
            )
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is None or task.cancelling():
                raise  # the run is being stopped (Ctrl-C, a failed sibling)
            # a CancelledError nobody asked for (a target of the user's own raised it): the
            # worker would end as if cancelled and the scenario vanish from the run
            transcript, broke = Transcript(scenario_id=scenario.id), None
            transcript.error = "the conversation raised CancelledError (the run was not stopped)"
        return await grade(
            scenario,
            transcript,
            graders,
            persona=pressure.persona if pressure is not None else None,
            pressure_turns=pressure.turns_for(scenario) if pressure is not None else None,
            broke=broke,
        )

    feed = _InOrder(samples, stop) if stop is not None else None

    def done(i: int, result: ScenarioResult) -> None:
        if on_result is not None:
            on_result(result)
        if feed is not None:
            feed.done(i, result)

    finished = await fan_out_until(
        items,
        one,
        limit=concurrency,
        on_done=done,
        should_stop=feed.stopped if feed is not None else None,
    )
    # the scenarios whose every sample was played (all of them unless stopped), suite order
    groups = [
        [finished[g * samples + j] for j in range(samples)]
        for g in range(len(playing))
        if all(g * samples + j in finished for j in range(samples))
    ]
    if order is not None:
        rank = {s.id: k for k, s in enumerate(suite.scenarios)}
        groups.sort(key=lambda g: rank[g[0].transcript.scenario_id])
    played = [r for g in groups for r in g]
    results = [ScenarioResult.from_samples(g) for g in groups]
    if len(results) < len(suite.scenarios):
        kept = {r.transcript.scenario_id for r in results}
        suite = suite.model_copy(update={"scenarios": [s for s in suite.scenarios if s.id in kept]})
    stats = RunStats(
        calls=sum(r.transcript.calls for r in played),
        cached_calls=sum(r.transcript.cached_calls for r in played),
        input_tokens=sum(r.transcript.input_tokens for r in played),
        output_tokens=sum(r.transcript.output_tokens for r in played),
        uncached_input_tokens=sum(r.transcript.uncached_input_tokens for r in played),
        uncached_output_tokens=sum(r.transcript.uncached_output_tokens for r in played),
        cut_replies=sum(r.transcript.cut_replies for r in played),
        cut_by_context=sum(r.transcript.cut_by_context for r in played),
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


class _InOrder:
    """Feeds a stop rule each scenario's result in play order, as soon as the scenario and
    every one before it have finished all their samples."""

    def __init__(self, samples: int, stop: StopRule) -> None:
        self.samples = samples
        self.stop = stop
        self.finished: dict[int, ScenarioResult] = {}
        self.next = 0  # index of the next scenario (in play order) to feed
        self.decided = False

    def done(self, i: int, result: ScenarioResult) -> None:
        self.finished[i] = result
        k = self.samples
        while not self.decided and all(self.next * k + j in self.finished for j in range(k)):
            group = [self.finished.pop(self.next * k + j) for j in range(k)]
            self.next += 1
            self.decided = self.stop(ScenarioResult.from_samples(group))

    def stopped(self) -> bool:
        return self.decided
