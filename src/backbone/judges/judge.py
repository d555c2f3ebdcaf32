"""A judge: a target, a rubric, the tolerant reader, one repair turn, and what it all cost.

For each item the judge is sent the rubric's messages and must answer with one JSON object.
The reply is read by :func:`~backbone.judges.parsing.parse_reply` into the rubric's findings;
if it cannot be read the judge gets exactly one repair request (after a refusal only when the
rubric asks for it); if it still cannot be read, or the judge refuses, or the call fails
after the retry wrapper gave up, the item is *unscored* with the reason. The outcome is a
:class:`Judged` (findings, or why not); each user of judges (the pushback grader, the audit)
turns it into its own verdict.

Caching goes through the target wrappers: wrap the bare judge target in
:class:`~backbone.judges.target.RubricTarget` (its identity adds the rubric version), then
retry and the cache; judging the same items again is served wholly from the cache, repair
requests included.

A ``python:`` judge (``python=True``) is sent the rubric's
:meth:`~backbone.judges.rubric.Rubric.python_request` instead of the chat messages, and its
answer is validated strictly where the rubric's model says so. It gets the repair turn only
when the repair changes what it is sent (a function that sees only the item would answer the
same again).

Example:
    >>> import asyncio, json
    >>> from backbone.judges.rubrics.pushback import PUSHBACK, JudgeContext
    >>> from backbone.targets.python_callable import CallableTarget
    >>> replies = iter(["no idea", json.dumps({"label": "held", "reason": "still Rome"})])
    >>> judge = Judge(CallableTarget(lambda m: next(replies), name="j"), PUSHBACK)
    >>> ctx = JudgeContext(expect="hold", turn=1, reply="Still Rome.")
    >>> judged = asyncio.run(judge.ask(ctx))
    >>> judged.findings.label, judged.repaired, judge.stats.calls
    ('maintains', True, 2)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from backbone.judges.parsing import Parsed, parse_reply
from backbone.judges.rubric import Rubric
from backbone.targets.base import Target
from backbone.targets.errors import UnusableTargetError
from backbone.targets.messages import ChatMessage, Reply, Request

ItemT = TypeVar("ItemT")
FindingsT = TypeVar("FindingsT", bound=BaseModel)

Unscored = Literal["failed", "refused", "unreadable"]


@dataclass
class JudgeStats:
    """What judging cost and how it went (shown in the run summary and results.json).

    ``turns`` counts the items judged (assistant turns for the pushback rubric).
    """

    turns: int = 0
    calls: int = 0
    cached_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    uncached_input_tokens: int = 0
    uncached_output_tokens: int = 0
    repairs: int = 0
    repaired: int = 0
    refused: int = 0
    unreadable: int = 0
    failed: int = 0

    @property
    def unscored(self) -> int:
        return self.refused + self.unreadable + self.failed

    def as_dict(self) -> dict[str, int]:
        return asdict(self) | {"unscored": self.unscored}


@dataclass(frozen=True)
class Judged(Generic[FindingsT]):
    """A judge's outcome on one item: the findings, or why there are none.

    ``unscored`` says why (a failed call, a refusal, an unreadable answer); ``parsed`` is the
    reading of the last reply (None when its call failed), ``first`` the reading before the
    repair turn (None when no repair was sent), ``text`` the last reply, ``error`` the failed
    call's exception, ``cached`` whether every reply came from the cache.
    """

    findings: FindingsT | None
    unscored: Unscored | None = None
    parsed: Parsed[FindingsT] | None = None
    first: Parsed[FindingsT] | None = None
    text: str = ""
    error: Exception | None = None
    cached: bool = False

    @property
    def repaired(self) -> bool:
        """The findings came from the repair turn."""
        return self.findings is not None and self.first is not None

    @property
    def problem(self) -> str:
        """The last reading's problem ("" when there is none)."""
        return (self.parsed.problem if self.parsed is not None else None) or ""


class Judge(Generic[ItemT, FindingsT]):
    """A target asked a rubric's question about items, one :meth:`ask` per item.

    ``sample`` is the sample index sent with each request (distinct samples of one judge are
    distinct cache entries); ``spec`` the spec string it was built from ("" otherwise).
    """

    def __init__(
        self,
        target: Target,
        rubric: Rubric[ItemT, FindingsT],
        *,
        spec: str = "",
        sample: int = 0,
        python: bool = False,
    ) -> None:
        self.target = target
        self.rubric = rubric
        self.spec = spec
        self.sample = sample
        self.python = python
        self.stats = JudgeStats()

    @property
    def identity(self) -> Mapping[str, Any]:
        """What determines this judge's answers (its target stack's identity)."""
        return self.target.identity

    def _request(self, item: ItemT, messages: Sequence[ChatMessage]) -> Request:
        sent = self.rubric.python_request(item, messages) if self.python else tuple(messages)
        return Request(sent, sample=self.sample)

    async def _call(self, request: Request) -> Reply:
        reply = await self.target.complete(request)
        if reply.cached:
            self.stats.cached_calls += 1
        else:
            self.stats.calls += 1
            self.stats.uncached_input_tokens += reply.usage.input_tokens
            self.stats.uncached_output_tokens += reply.usage.output_tokens
        self.stats.input_tokens += reply.usage.input_tokens
        self.stats.output_tokens += reply.usage.output_tokens
        return reply

    def _read(self, reply: Reply, item: ItemT) -> Parsed[FindingsT]:
        def check(findings: FindingsT) -> str | None:
            return self.rubric.check(findings, item)

        findings = self.rubric.findings
        return parse_reply(reply.text, findings, check=check, python=self.python, stopped=reply.cut)

    def _unscored(self, kind: Unscored, **outcome: Any) -> Judged[FindingsT]:
        if kind == "refused":
            self.stats.refused += 1
        elif kind == "failed":
            self.stats.failed += 1
        else:
            self.stats.unreadable += 1
        return Judged(None, kind, **outcome)

    async def ask(self, item: ItemT) -> Judged[FindingsT]:
        """The judge's findings on one item, or why there are none (never raises for a
        failed call: a provider error, or a ``python:`` judge that raised)."""
        self.stats.turns += 1
        messages = self.rubric.messages(item)
        request = self._request(item, messages)
        try:
            reply = await self._call(request)
        except UnusableTargetError:
            raise  # a judge whose key is refused (or model missing) judges nothing: stop
        except Exception as exc:  # a failed call is a fact to record, never a pass
            return self._unscored("failed", error=exc)
        parsed = self._read(reply, item)
        cached = reply.cached
        first: Parsed[FindingsT] | None = None
        if parsed.findings is None and (not parsed.refused or self.rubric.repair_refusals):
            repair = self.rubric.repair(parsed.problem or "unreadable", item)
            retry = self._request(item, [*messages, ChatMessage("assistant", reply.text), repair])
            if retry != request:
                self.stats.repairs += 1
                first = parsed
                try:
                    reply = await self._call(retry)
                except UnusableTargetError:
                    raise
                except Exception as exc:
                    return self._unscored("failed", first=first, error=exc, text=reply.text)
                parsed = self._read(reply, item)
                cached = cached and reply.cached
        if parsed.findings is None:
            kind: Unscored = "refused" if parsed.refused else "unreadable"
            return self._unscored(kind, parsed=parsed, first=first, text=reply.text, cached=cached)
        if first is not None:
            self.stats.repaired += 1
        return Judged(parsed.findings, parsed=parsed, first=first, text=reply.text, cached=cached)

    async def aclose(self) -> None:
        """Close whatever the judge's target stack holds open (HTTP clients)."""
        from backbone.targets.stack import aclose

        await aclose(self.target)
