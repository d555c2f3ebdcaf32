"""The audit's correctness judge reads replies as the run's judge does (one reader): fenced JSON
with trailing prose and trailing commas, Python literals, unquoted keys, curly quotes, a
thinking block with a draft in it, an example before the answer; a repair turn after garbage;
a refusal left unscored. Over real HTTP on 127.0.0.1 (both wire formats) and with
``python:`` judges (a function returning the judge's text, numpy bools, refusals, garbage)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from backbone.audit.judging import AuditJudge, judge_all
from backbone.audit.models import FeedbackEvent, Judgment, SampledEvent
from backbone.evaluation.registry import correctness_judge
from backbone.targets.cache import ResponseStore
from tests.support.loopback import LoopbackServer

# case marker -> (first reply, reply to the repair request or None when none is expected)
REPLIES: dict[str, tuple[str, str | None]] = {
    "[fenced]": (
        '```json\n{"correct": true, "reason": "fenced",}\n```\nLet me know if you need more.',
        None,
    ),
    "[literals]": ("{'correct': False, 'failure_mode': None, 'reason': 'python literals'}", None),
    "[bare-keys]": ('{correct: true, reason: "bare keys"}', None),
    "[curly]": ("{\u201ccorrect\u201d: false, \u201creason\u201d: \u201ccurly quotes\u201d}", None),
    "[think]": (
        '<think>at first glance {"correct": true}, but 2+2 is not 5</think>\n'
        '{"correct": false, "failure_mode": "hallucination", "reason": "2+2 is 4"}',
        None,
    ),
    "[example]": (
        'The format is {"correct": true, "reason": "..."}. '
        'My answer: {"correct": false, "reason": "off by one"}',
        None,
    ),
    "[garbage]": (
        "The answer looks plausible to me overall.",
        '{"correct": true, "reason": "repaired"}',
    ),
    "[refuse]": (
        "I'm sorry, but I can't help with grading this conversation.",
        "As an AI, I cannot evaluate medical answers.",
    ),
}
EXPECTED = {  # case -> (correct, failure_mode, reason, calls)
    "[fenced]": (True, None, "fenced", 1),
    "[literals]": (False, None, "python literals", 1),
    "[bare-keys]": (True, None, "bare keys", 1),
    "[curly]": (False, None, "curly quotes", 1),
    "[think]": (False, "hallucination", "2+2 is 4", 1),
    "[example]": (False, None, "off by one", 1),
    "[garbage]": (True, None, "repaired", 2),
    "[refuse]": (None, None, "", 2),
}


def event(marker: str, i: int = 0, **extra: Any) -> FeedbackEvent:
    return FeedbackEvent(
        id=marker.strip("[]") + (f"-{i}" if i else ""),
        row=i + 1,
        prompt=f"{marker} What is 2+2?",
        response="5",
        rating="down",
        rating_raw="down",
        extra=extra,
    )


def run(judge: AuditJudge, events: list[FeedbackEvent]) -> dict[str, Judgment]:
    async def go() -> list[Judgment]:
        try:
            sampled = [SampledEvent(event=e, stratum="down", weight=1.0) for e in events]
            return await judge_all(judge, sampled, concurrency=3)
        finally:
            await judge.aclose()

    return {j.id: j for j in asyncio.run(go())}


def server_reply(messages: list[dict[str, Any]]) -> str:
    case = messages[1]["content"]
    marker = next(m for m in REPLIES if m in case)
    first, repaired = REPLIES[marker]
    if messages[-1]["content"].startswith("Your reply could not be read"):
        assert repaired is not None, f"{marker} was sent a repair request"
        return repaired
    return first


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_http_judge_replies_read_like_the_run_judges(tmp_path: Path, api: str) -> None:
    with LoopbackServer(server_reply) as server:
        base = server.openai_base_url if api == "openai" else server.anthropic_base_url
        store = ResponseStore(tmp_path / "cache.sqlite")
        judge = correctness_judge(f"{api}:judge-model", base_url=base, cache=store, attempts=2)
        got = run(judge, [event(m) for m in REPLIES])
        calls = {m: sum(1 for c in server.calls if m in c.messages[1]["content"]) for m in REPLIES}
        before = server.total
        again = run(
            correctness_judge(f"{api}:judge-model", base_url=base, cache=store),
            [event(m) for m in REPLIES],
        )
        assert server.total == before  # everything, repairs and refusals included, cached
        store.close()
    for marker, (correct, mode, reason, n) in EXPECTED.items():
        j = got[marker.strip("[]")]
        assert (j.correct, j.failure_mode, j.reason, calls[marker]) == (correct, mode, reason, n)
    refused = got["refuse"]
    assert refused.unscored_reason == (
        "judge refused: 'As an AI, I cannot evaluate medical answers.'"
    )
    assert [got[m.strip("[]")].unscored_reason for m in EXPECTED if m != "[refuse]"] == [None] * 7
    tokens = ("input_tokens", "output_tokens", "uncached_input_tokens", "uncached_output_tokens")
    stats = judge.stats.as_dict()
    # before the re-run every call was made: the tokens spent are all the tokens
    assert stats["uncached_input_tokens"] == stats["input_tokens"] > 0
    assert judge.stats.as_dict() | dict.fromkeys(tokens, 0) == {
        "turns": 8,
        "calls": 10,
        "cached_calls": 0,
        "input_tokens": 0,
        "output_tokens": 0,
        "uncached_input_tokens": 0,
        "uncached_output_tokens": 0,
        "repairs": 2,
        "repaired": 1,
        "refused": 1,
        "unreadable": 0,
        "failed": 0,
        "unscored": 1,
    }
    assert [j.correct for j in again.values()] == [j.correct for j in got.values()]
    assert all(j.cached for j in again.values())


JUDGES = """
from pathlib import Path

import numpy as np


def judge(event):
    with Path(event["log"]).open("a") as log:
        log.write(event["id"] + "\\n")
    how = event["how"]
    if how == "fenced":
        return '```json\\n{"correct": false, "reason": "text in a fence",}\\n```\\nThat is all.'
    if how == "json-text":
        return '{"correct": true, "failure_mode": "Unwelcome-but-correct"}'
    if how == "numpy":
        return {"correct": np.bool_(event["truth"]), "reason": "numpy"}
    if how == "refuse":
        return "I'm sorry, but I can't help with that."
    if how == "garbage":
        return "looks fine to me"
    if how == "loose":
        return {"correct": "yes"}
    raise RuntimeError("no such case")
"""


def test_python_judges_read_with_the_one_reader(tmp_path: Path) -> None:
    module = tmp_path / "tolerant_judges.py"
    module.write_text(JUDGES)
    hows = ["fenced", "json-text", "numpy", "refuse", "garbage", "loose", "boom"]
    log = tmp_path / "calls.log"
    events = [event(f"[{h}]", i, how=h, truth=True, log=str(log)) for i, h in enumerate(hows, 1)]
    judge = correctness_judge(f"python:{module}:judge")
    got = {j.id.split("-")[0]: j for j in run(judge, events).values()}
    assert (got["fenced"].correct, got["fenced"].reason) == (False, "text in a fence")
    assert (got["json"].correct, got["json"].failure_mode) == (True, "unwelcome_but_correct")
    assert (got["numpy"].correct, got["numpy"].reason) == (True, "numpy")
    assert got["refuse"].correct is None
    assert got["refuse"].unscored_reason == (
        "python judge refused: 'I'm sorry, but I can't help with that.'"
    )
    assert got["garbage"].correct is None
    assert got["garbage"].unscored_reason == (
        'python judge returned "looks fine to me", expected a dict like {"correct": true}'
    )
    # a function is exact: "yes" is a mistake to report, not a value to guess at
    assert got["loose"].unscored_reason == "python judge 'correct' must be true or false, got 'yes'"
    assert got["boom"].unscored_reason == "python judge raised RuntimeError: no such case"
    # the function sees only the event, so a repair turn would ask it the same again: it is
    # called once per event, never twice
    assert sorted(log.read_text().split()) == sorted(e.id for e in events)
    assert judge.stats.repairs == 0 and judge.stats.calls == len(hows) - 1  # one raised
    assert (judge.stats.refused, judge.stats.unreadable, judge.stats.failed) == (1, 2, 1)
