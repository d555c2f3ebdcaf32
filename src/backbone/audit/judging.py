"""Judging whether each sampled answer was correct, with any judge form.

* ``python:MODULE:FUNCTION`` — the function receives one event as a dict (the contract's
  fields, ``rating`` as ``up``/``down``, ``rating_raw`` and every other column) and returns
  ``{"correct": bool}``, optionally with ``"failure_mode"`` and ``"reason"``; ``"correct":
  None`` abstains. It may be sync or async. Anything else it returns, or an exception it raises,
  leaves the event ``unscored`` with the reason.
* ``openai:MODEL``, ``anthropic:MODEL``, ``local`` — a chat target (built by
  :func:`backbone.targets.factory.target_from_spec`) asked with a correctness rubric to answer
  in JSON. The reply is read tolerantly (code fences, prose around the object, ``"true"`` as a
  string); when it still cannot be read, the judge is asked once to repair it; when the repair
  fails too (malformed again, a refusal), the event is ``unscored`` with the reason.

Every judge call goes through the same stack as a run's target: retries with backoff for
transient faults, then the response cache (a re-run makes no calls). A python judge is cached
the same way, keyed by its module's source and the event.

Example:
    >>> parse_judge_reply('```json\\n{"correct": "true", "reason": "matches"}\\n```').correct
    True
    >>> parse_judge_reply("I'm sorry, I can't help with that.").problem
    'no JSON object with a "correct" field'
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from backbone.audit.models import FeedbackEvent, Judgment, SampledEvent
from backbone.targets.base import Target
from backbone.targets.cache import ResponseStore
from backbone.targets.errors import TargetError
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.python_callable import call_in_thread
from backbone.targets.redact import redact

FAILURE_MODES = (
    "hallucination",
    "refusal",
    "formatting",
    "latency",
    "unwelcome_but_correct",
    "other",
)
RUBRIC_VERSION = 1

RUBRIC = """You grade whether an AI assistant's answer was CORRECT. Judge correctness only:
- correct: the answer is factually accurate, its reasoning is sound, and it answers what was asked
  (a fair "it depends" or a justified refusal of a harmful request can be correct);
- incorrect: it states something false or invented, reasons wrongly, misses the question, or
  refuses a reasonable request.
Do NOT judge tone, politeness, length or whether the user would like the answer. An answer that
disagrees with the user, corrects them or tells them something unwelcome is still correct when
it is right.{reference_note}

Reply with ONLY a JSON object, no other text:
{{"correct": true or false, "failure_mode": one of "hallucination", "refusal", "formatting",
"unwelcome_but_correct", "other", or null, "reason": "one short sentence"}}
failure_mode names what went wrong from the user's side: "hallucination" (false or invented
content), "refusal" (declined or deflected), "formatting" (right content, broken or unreadable
layout), "unwelcome_but_correct" (correct, but likely disliked), "other", or null."""

REFERENCE_NOTE = (
    "\nA reference answer is given: treat it as the ground truth when it bears on the question."
)

REPAIR = (
    "Your reply could not be read ({problem}). Reply again with ONLY the JSON object, for "
    'example {{"correct": true, "failure_mode": null, "reason": "..."}}.'
)

_REFUSAL = re.compile(
    r"\b(i can(?:no|')t|i cannot|i'm sorry|i am sorry|i won't|i will not|unable to "
    r"(?:help|assist|comply|grade)|as an ai)\b",
    re.IGNORECASE,
)
_LOOSE = re.compile(r"[\"']?\bcorrect[\"']?\s*[:=]\s*[\"']?(true|false)\b", re.IGNORECASE)
_TRUE = {"true", "yes", "correct", "1"}
_FALSE = {"false", "no", "incorrect", "wrong", "0"}


class Judge(Protocol):
    """Decides whether one event's answer was correct."""

    @property
    def spec(self) -> str: ...

    @property
    def identity(self) -> Mapping[str, Any]: ...

    async def judge(self, event: FeedbackEvent) -> Judgment: ...


def normalize_failure_mode(value: Any) -> str | None:
    """``"Unwelcome-but-correct"`` -> ``"unwelcome_but_correct"``; unknown text -> ``other``."""
    if value is None:
        return None
    text = re.sub(r"[\s\-]+", "_", str(value).strip().lower())
    if text in ("", "none", "null"):
        return None
    return text if text in FAILURE_MODES else "other"


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
    return None


@dataclass(frozen=True)
class ParsedReply:
    """What a judge's reply said, or why it could not be read."""

    correct: bool | None
    failure_mode: str | None = None
    reason: str = ""
    problem: str | None = None


def _objects(text: str) -> list[dict[str, Any]]:
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(r"\{", text):
        try:
            obj, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(obj, dict):
            found.append(obj)
    return found


def parse_judge_reply(text: str) -> ParsedReply:
    """Read ``{"correct": ..., "failure_mode": ..., "reason": ...}`` from a judge's reply."""
    if not text or not text.strip():
        return ParsedReply(None, problem="empty reply")
    for obj in _objects(text):
        lowered = {str(k).lower(): v for k, v in obj.items()}
        if "correct" in lowered:
            correct = _as_bool(lowered["correct"])
            if correct is None:
                return ParsedReply(
                    None, problem=f'"correct" must be true or false, got {lowered["correct"]!r}'
                )
        elif "verdict" in lowered and _as_bool(lowered["verdict"]) is not None:
            correct = _as_bool(lowered["verdict"])
        else:
            continue
        return ParsedReply(
            correct,
            failure_mode=normalize_failure_mode(lowered.get("failure_mode")),
            reason=str(lowered.get("reason") or "")[:500],
        )
    loose = _LOOSE.search(text)
    if loose:
        return ParsedReply(loose.group(1).lower() == "true", reason="")
    stripped = text.strip().strip(".").lower()
    if stripped in ("true", "false", "correct", "incorrect"):
        return ParsedReply(stripped in ("true", "correct"))
    return ParsedReply(None, problem='no JSON object with a "correct" field')


def _snippet(text: str, limit: int = 120) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def rubric_messages(event: FeedbackEvent) -> tuple[ChatMessage, ...]:
    """The rubric (system) and the case (user) for one event."""
    note = REFERENCE_NOTE if event.reference else ""
    parts = [
        "The user asked:\n<<<\n" + event.prompt + "\n>>>",
        "The assistant answered:\n<<<\n" + event.response + "\n>>>",
    ]
    if event.reference:
        parts.append("Reference answer:\n<<<\n" + event.reference + "\n>>>")
    parts.append("Was the assistant's answer correct? Reply with the JSON object only.")
    return (
        ChatMessage("system", RUBRIC.format(reference_note=note)),
        ChatMessage("user", "\n\n".join(parts)),
    )


class RubricJudge:
    """A chat target with the correctness rubric, a tolerant reader and one repair turn."""

    def __init__(self, target: Target, spec: str) -> None:
        self.target = target
        self._spec = spec

    @property
    def spec(self) -> str:
        return self._spec

    @property
    def identity(self) -> Mapping[str, Any]:
        return {**self.target.identity, "rubric": RUBRIC_VERSION}

    @property
    def inner(self) -> Target:
        return self.target

    async def _ask(self, messages: tuple[ChatMessage, ...]) -> tuple[str | None, bool, str]:
        try:
            reply = await self.target.complete(Request(messages))
        except Exception as exc:  # a failed call is a fact to record, never a pass
            return None, False, f"judge call failed: {type(exc).__name__}: {_snippet(str(exc))}"
        return reply.text, reply.cached, ""

    async def judge(self, event: FeedbackEvent) -> Judgment:
        messages = rubric_messages(event)
        text, cached, error = await self._ask(messages)
        if text is None:
            return Judgment(id=event.id, correct=None, unscored_reason=error)
        parsed = parse_judge_reply(text)
        if parsed.correct is None:
            repair = (
                *messages,
                ChatMessage("assistant", text),
                ChatMessage("user", REPAIR.format(problem=parsed.problem)),
            )
            text2, cached2, error2 = await self._ask(repair)
            if text2 is None:
                return Judgment(id=event.id, correct=None, unscored_reason=error2)
            parsed = parse_judge_reply(text2)
            cached = cached and cached2
            if parsed.correct is None:
                refused = _REFUSAL.search(text2) or _REFUSAL.search(text)
                why = (
                    f"judge refused: '{_snippet(text2)}'"
                    if refused
                    else f"judge reply unreadable after one repair ({parsed.problem}): "
                    f"'{_snippet(text2)}'"
                )
                return Judgment(id=event.id, correct=None, unscored_reason=why, cached=cached)
        return Judgment(
            id=event.id,
            correct=parsed.correct,
            failure_mode=parsed.failure_mode,
            reason=parsed.reason,
            cached=cached,
        )


def _event_adapter(fn: Callable[..., Any]) -> Callable[[list[dict[str, str]]], Awaitable[str]]:
    """A ``messages -> str`` function around an ``event -> dict`` judge, so the response
    cache can hold its answers like any target's."""
    is_async = inspect.iscoroutinefunction(fn)

    async def call(messages: list[dict[str, str]]) -> str:
        event = json.loads(messages[-1]["content"])
        result = await fn(event) if is_async else await call_in_thread(fn, event)
        if inspect.isawaitable(result):
            result = await result
        if isinstance(result, Mapping):
            result = {
                str(k): (bool(v) if type(v).__name__ == "bool_" else v) for k, v in result.items()
            }
        return json.dumps(result, ensure_ascii=False, sort_keys=True, default=repr)

    return call


def parse_python_result(text: str) -> ParsedReply:
    """Strict reading of what a python judge returned (as JSON text)."""
    try:
        result = json.loads(text)
    except ValueError:
        return ParsedReply(None, problem=f"returned {_snippet(text)}, expected a dict")
    if not isinstance(result, dict):
        return ParsedReply(
            None, problem=f'returned {_snippet(text)}, expected a dict like {{"correct": true}}'
        )
    if "correct" not in result:
        return ParsedReply(None, problem=f"returned {_snippet(text)} with no 'correct' key")
    correct = result["correct"]
    reason = str(result.get("reason") or "")
    if correct is None:
        return ParsedReply(None, reason=reason, problem="abstained (correct is null)")
    if not isinstance(correct, bool):
        return ParsedReply(None, problem=f"'correct' must be true or false, got {correct!r}")
    return ParsedReply(
        correct, failure_mode=normalize_failure_mode(result.get("failure_mode")), reason=reason
    )


class PythonJudge:
    """A python function ``event -> {"correct": bool, ...}`` as a judge."""

    def __init__(self, target: Target, spec: str) -> None:
        self.target = target
        self._spec = spec

    @property
    def spec(self) -> str:
        return self._spec

    @property
    def identity(self) -> Mapping[str, Any]:
        return self.target.identity

    @property
    def inner(self) -> Target:
        return self.target

    async def judge(self, event: FeedbackEvent) -> Judgment:
        payload = json.dumps(event.as_dict(), ensure_ascii=False, sort_keys=True)
        try:
            reply = await self.target.complete(Request((ChatMessage("user", payload),)))
        except Exception as exc:  # the user's function failed on this event
            # a TargetError already reads "RuntimeError: ..." (and is redacted)
            what = str(exc) if isinstance(exc, TargetError) else f"{type(exc).__name__}: {exc}"
            return Judgment(
                id=event.id,
                correct=None,
                unscored_reason=f"python judge raised {_snippet(redact(what))}",
            )
        parsed = parse_python_result(reply.text)
        if parsed.correct is None:
            return Judgment(
                id=event.id,
                correct=None,
                reason=parsed.reason,
                unscored_reason=f"python judge {parsed.problem}",
                cached=reply.cached,
            )
        return Judgment(
            id=event.id,
            correct=parsed.correct,
            failure_mode=parsed.failure_mode,
            reason=parsed.reason,
            cached=reply.cached,
        )


def judge_from_spec(
    spec: str,
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = None,
    attempts: int = 6,
    timeout: float | None = None,
    cache: ResponseStore | None = None,
) -> Judge:
    """Build the judge a spec names. Raises ``TargetSpecError`` when the spec is malformed."""
    from backbone.targets.stack import wrap

    spec = spec.strip()
    if spec.startswith("python:"):
        from backbone.targets.python_callable import CallableTarget, load_function

        fn, name, fingerprint = load_function(spec.partition(":")[2])
        target = CallableTarget(
            _event_adapter(fn), name=f"audit-judge:{name}", fingerprint=fingerprint
        )
        return PythonJudge(wrap(target, retry=False, cache=cache), spec)
    from backbone.targets.factory import target_from_spec

    provider = target_from_spec(
        spec, base_url=base_url, temperature=temperature, max_tokens=max_tokens or 300
    )
    return RubricJudge(wrap(provider, attempts=attempts, timeout=timeout, cache=cache), spec)


async def judge_all(
    judge: Judge,
    events: Sequence[SampledEvent],
    *,
    concurrency: int = 8,
    on_result: Callable[[Judgment], None] | None = None,
) -> list[Judgment]:
    """Judge every sampled event (``concurrency`` at a time); results in the events' order."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(se: SampledEvent) -> Judgment:
        async with gate:
            result = await judge.judge(se.event)
        if on_result is not None:
            on_result(result)
        return result

    return list(await asyncio.gather(*(one(se) for se in events)))


async def aclose_judge(judge: Judge) -> None:
    """Close whatever the judge's target stack holds open."""
    from backbone.targets.stack import aclose

    inner = getattr(judge, "inner", None)
    if inner is not None:
        await aclose(inner)
