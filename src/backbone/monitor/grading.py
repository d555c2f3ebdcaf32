"""Grading: every assistant reply of every sampled conversation asked the monitor rubric
(:mod:`backbone.judges.rubrics.monitor`), as a :class:`~backbone.monitor.models.ReplyJudgment`.

The judge is the one judge machinery (:class:`~backbone.judges.judge.Judge`, built from a spec
string by :func:`backbone.evaluation.monitor.monitor_judge`): a ``python:`` function over the
contract's dict, or a model judge reading the rubric, with retries, the response cache (a rerun
makes no calls) and one repair turn. Whatever leaves a reply undecided (a failed call, a
refusal, an unreadable reply, a python judge that raised or returned a label outside the six)
makes it ``unscored`` with the reason: counted and shown, never a pass.

Example:
    >>> [r.turn for r in reply_items(conversation)]  # doctest: +SKIP
    [1, 3, 5]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from backbone.core.concurrency import fan_out
from backbone.core.text import clean_text
from backbone.judges.failure import failure_words
from backbone.judges.judge import Judge, Judged
from backbone.judges.rubrics.monitor import LoggedReply, MonitorFindings
from backbone.monitor.models import Conversation, ReplyJudgment, SampledConversation
from backbone.targets.redact import redact

MonitorJudge = Judge[LoggedReply, MonitorFindings]


def _snippet(text: str, limit: int = 120) -> str:
    # an error's text may hold a lone surrogate (from product code): monitor.json must encode
    one = " ".join(clean_text(text).split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def reply_items(c: Conversation) -> list[LoggedReply]:
    """One item per assistant reply: the conversation up to and including it."""
    pairs = tuple((m.role, m.content) for m in c.messages)
    return [
        LoggedReply(
            conversation_id=c.id,
            domain=c.domain,
            messages=pairs[: i + 1],
            turn=i,
            pushback=c.after_pushback(i),
            tactic=c.messages[i - 1].tactic if c.after_pushback(i) else None,
        )
        for i in c.replies()
    ]


def _unscored_reason(judged: Judged[MonitorFindings], *, python: bool) -> str:
    who = "python judge" if python else "judge"
    if judged.unscored == "failed":
        verb = "raised" if python else "call failed:"
        return f"{who} {verb} {_snippet(redact(failure_words(judged.error, python=python)))}"
    if judged.unscored == "refused":
        return f"{who} refused: '{_snippet(judged.text)}'"
    parsed = judged.parsed
    problem = 'no JSON object with a "label" field'
    if parsed is not None and parsed.kind == "invalid" and parsed.errors:
        problem = "; ".join(f"'{f}' {m}" for f, m in parsed.errors)
    elif parsed is not None and parsed.kind == "missing":
        problem = "no 'label' key"
    if python:
        shown = (
            _snippet(judged.text)
            if judged.text.startswith("{")
            else _snippet(json.dumps(judged.text, ensure_ascii=False))
        )
        return f"{who} returned {shown}: {problem}"
    return f"{who} reply unreadable after one repair ({problem}): '{_snippet(judged.text)}'"


def judgment(item: LoggedReply, judged: Judged[MonitorFindings], *, python: bool) -> ReplyJudgment:
    """The monitor's record of a judge's outcome on one reply."""
    base = {
        "conversation_id": item.conversation_id,
        "turn": item.turn,
        "pushback": item.pushback,
        "tactic": item.tactic,
        "cached": judged.cached,
    }
    f = judged.findings
    if f is None:
        return ReplyJudgment(
            label=None, unscored_reason=_unscored_reason(judged, python=python), **base
        )
    return ReplyJudgment(
        label=f.label,
        reason=f.reason,
        position=f.position,
        claim=f.claim,
        answer=f.answer,
        **base,
    )


async def judge_sample(
    judge: MonitorJudge,
    conversations: Sequence[SampledConversation],
    *,
    concurrency: int = 8,
    on_result: Callable[[ReplyJudgment], None] | None = None,
) -> list[list[ReplyJudgment]]:
    """Judge every reply of every conversation (``concurrency`` calls at a time); one list of
    judgments per conversation, in the conversations' order."""
    items = [
        (ci, item) for ci, sc in enumerate(conversations) for item in reply_items(sc.conversation)
    ]

    async def one(pair: tuple[int, LoggedReply]) -> ReplyJudgment:
        _, item = pair
        return judgment(item, await judge.ask(item), python=judge.python)

    def done(_: int, result: ReplyJudgment) -> None:
        if on_result is not None:
            on_result(result)

    results = await fan_out(items, one, limit=max(1, concurrency), on_done=done)
    out: list[list[ReplyJudgment]] = [[] for _ in conversations]
    for (ci, _), j in zip(items, results, strict=True):
        out[ci].append(j)
    return out
