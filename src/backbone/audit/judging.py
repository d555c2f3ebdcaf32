"""The audit's judging: each sampled event asked the correctness rubric, as a :class:`Judgment`.

The judge is the one judge machinery (:class:`~backbone.judges.judge.Judge`) with the
correctness rubric (:mod:`backbone.judges.rubrics.correctness`), built from a spec string by
:func:`backbone.evaluation.registry.correctness_judge`: ``openai:MODEL``, ``anthropic:MODEL``,
``local`` (a chat target asked to answer in JSON, read tolerantly, with one repair turn), or
``python:MODULE:FUNCTION`` (the function receives one event as a dict and returns
``{"correct": bool}``, optionally with ``"failure_mode"`` and ``"reason"``; ``None``
abstains). Every call goes through retries and the response cache (a re-run makes no calls).
Whatever leaves an event undecided (a failed call, a refusal, a reply unreadable after the
repair, a python judge that raised, returned no dict or abstained) makes it ``unscored`` with
the reason, counted and shown, never folded in.

Example:
    >>> read_reply('```json\\n{"correct": "true", "reason": "matches"}\\n```').correct
    True
    >>> read_reply("I'm sorry, I can't help with that.").problem
    'no JSON object with a "correct" field'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from backbone.audit.models import Judgment, SampledEvent
from backbone.core.concurrency import fan_out
from backbone.judges.failure import failure_words
from backbone.judges.judge import Judge, Judged
from backbone.judges.parsing import Parsed, parse_reply
from backbone.judges.rubrics.correctness import Answered, CorrectnessFindings
from backbone.targets.redact import redact

__all__ = ["AuditJudge", "ParsedReply", "aclose_judge", "judge_all", "judgment", "read_reply"]

AuditJudge = Judge[Answered, CorrectnessFindings]
"""A judge with the correctness rubric (what ``run_audit`` and the channels review take)."""

NO_OBJECT = 'no JSON object with a "correct" field'


def _text(text: str) -> str:
    """``text`` with any lone surrogate (a JSON escape such as ``\\ud83d`` cut from its pair,
    as a reply cut at the token limit ends) replaced: written out as it was, UTF-8 refused
    it, a traceback after all the judging."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _snippet(text: str, limit: int = 120) -> str:
    one = " ".join(_text(text).split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def _problem(parsed: Parsed[CorrectnessFindings], *, python: bool, text: str) -> str:
    """A reading's problem, in the audit's words (a python judge's, or a model's)."""
    if parsed.kind == "invalid" and parsed.errors:
        q = "'" if python else '"'
        return "; ".join(f"{q}{field}{q} {message}" for field, message in parsed.errors)
    if python:
        if parsed.kind == "missing":
            return f"returned {_snippet(text)} with no 'correct' key"
        shown = _snippet(json.dumps(text, ensure_ascii=False))
        return f'returned {shown}, expected a dict like {{"correct": true}}'
    if parsed.kind == "empty":
        return "empty reply"
    if parsed.kind == "rejected":
        return parsed.problem or NO_OBJECT
    return NO_OBJECT


@dataclass(frozen=True)
class ParsedReply:
    """What a model judge's reply said, or why it could not be read (the audit's words)."""

    correct: bool | None
    failure_mode: str | None = None
    reason: str = ""
    problem: str | None = None


def read_reply(text: str) -> ParsedReply:
    """Read ``{"correct": ..., "failure_mode": ..., "reason": ...}`` from a judge's reply."""
    parsed = parse_reply(text, CorrectnessFindings)
    f = parsed.findings
    if f is None:
        return ParsedReply(None, problem=_problem(parsed, python=False, text=text))
    abstained = "abstained (correct is null)" if f.correct is None else None
    return ParsedReply(f.correct, f.failure_mode, _text(f.reason), abstained)


def judgment(event_id: str, judged: Judged[CorrectnessFindings], *, python: bool) -> Judgment:
    """The audit's record of a judge's outcome on one event."""
    who = "python judge" if python else "judge"
    f = judged.findings
    if f is not None:
        if f.correct is None:
            return Judgment(
                id=event_id,
                correct=None,
                reason=_text(f.reason),
                unscored_reason=f"{who} abstained (correct is null)",
                cached=judged.cached,
            )
        return Judgment(
            id=event_id,
            correct=f.correct,
            failure_mode=f.failure_mode,
            reason=_text(f.reason),
            cached=judged.cached,
        )
    if judged.unscored == "failed":
        verb = "raised" if python else "call failed:"
        why = f"{who} {verb} {_snippet(redact(failure_words(judged.error, python=python)))}"
        return Judgment(id=event_id, correct=None, unscored_reason=why)
    text = judged.text
    if judged.unscored == "refused":
        why = f"{who} refused: '{_snippet(text)}'"
    else:
        parsed = judged.parsed if judged.parsed is not None else Parsed(None, kind="no_object")
        problem = _problem(parsed, python=python, text=text)
        if python and judged.first is None:
            why = f"{who} {problem}"
        else:
            why = f"{who} reply unreadable after one repair ({problem}): '{_snippet(text)}'"
    return Judgment(id=event_id, correct=None, unscored_reason=why, cached=judged.cached)


async def judge_all(
    judge: AuditJudge,
    events: Sequence[SampledEvent],
    *,
    concurrency: int = 8,
    on_result: Callable[[Judgment], None] | None = None,
) -> list[Judgment]:
    """Judge every sampled event (``concurrency`` at a time); results in the events' order."""

    async def one(se: SampledEvent) -> Judgment:
        return judgment(se.event.id, await judge.ask(se.event), python=judge.python)

    def done(_: int, result: Judgment) -> None:
        if on_result is not None:
            on_result(result)

    return await fan_out(events, one, limit=max(1, concurrency), on_done=done)


async def aclose_judge(judge: AuditJudge) -> None:
    """Close whatever the judge's target stack holds open."""
    await judge.aclose()
