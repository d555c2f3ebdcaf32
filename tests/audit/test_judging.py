"""Judging: the tolerant reader, python judges (good and misbehaving), and LLM judges over
real HTTP on 127.0.0.1 returning well-formed, malformed and refusing replies."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from backbone.audit.judging import aclose_judge, judge_all
from backbone.audit.judging import read_reply as parse_judge_reply
from backbone.audit.models import FeedbackEvent, Judgment, SampledEvent
from backbone.evaluation.registry import correctness_judge as judge_from_spec
from backbone.judges.rubrics.correctness import REPAIR, rubric_messages
from backbone.targets.cache import ResponseStore
from tests.support.loopback import Fault, LoopbackServer

JUDGES = "tests.audit.planted_judge"


@pytest.mark.parametrize(
    ("text", "correct", "mode", "reason"),
    [
        ('{"correct": true, "failure_mode": null, "reason": "ok"}', True, None, "ok"),
        (
            '```json\n{"correct": false, "failure_mode": "Hallucination"}\n```',
            False,
            "hallucination",
            "",
        ),
        (
            'Sure! Here it is: {"correct": "yes", "reason": "right"} Hope it helps.',
            True,
            None,
            "right",
        ),
        (
            '{"verdict": "incorrect", "failure_mode": "unwelcome-but-correct"}',
            False,
            "unwelcome_but_correct",
            "",
        ),
        ('{"Correct": 1, "failure_mode": "tone"}', True, "other", ""),
        ("correct: false", False, None, ""),
        ("True.", True, None, ""),
    ],
)
def test_reader_is_tolerant(text: str, correct: bool, mode: str | None, reason: str) -> None:
    parsed = parse_judge_reply(text)
    assert (parsed.correct, parsed.failure_mode, parsed.reason, parsed.problem) == (
        correct,
        mode,
        reason,
        None,
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty reply"),
        ('{"correct": "maybe"}', "\"correct\" must be true or false, got 'maybe'"),
        ('{"score": 3}', 'no JSON object with a "correct" field'),
        ("I'm sorry, I can't help with that.", 'no JSON object with a "correct" field'),
        ('{"correct": tru', 'no JSON object with a "correct" field'),
    ],
)
def test_reader_rejects_what_it_cannot_read(text: str, problem: str) -> None:
    parsed = parse_judge_reply(text)
    assert parsed.correct is None and parsed.problem == problem


def event(i: int, **extra: Any) -> FeedbackEvent:
    return FeedbackEvent(
        id=f"e{i}",
        row=i,
        prompt=f"[{i}] What is 2+2?",
        response="4",
        rating="down",
        rating_raw="down",
        extra=extra,
    )


def run(judge: Any, events: list[FeedbackEvent]) -> list[Judgment]:
    async def go() -> list[Judgment]:
        try:
            return await judge_all(
                judge,
                [SampledEvent(event=e, stratum="down", weight=1.0) for e in events],
                concurrency=4,
            )
        finally:
            await aclose_judge(judge)

    return asyncio.run(go())


def test_python_judges_sync_async_and_misbehaving(tmp_path: Path) -> None:
    events = [
        event(1, truth=True),
        event(2, truth=False, mode="hallucination"),
        event(3, truth=True, misbehave="raise"),
        event(4, truth=True, misbehave="string"),
        event(5, truth=True, misbehave="abstain"),
    ]
    got = run(judge_from_spec(f"python:{JUDGES}:truth"), events[:2])
    assert [(j.correct, j.failure_mode) for j in got] == [(True, None), (False, "hallucination")]
    got = run(judge_from_spec(f"python:{JUDGES}:async_truth"), events[:2])
    assert [j.correct for j in got] == [True, False]
    got = run(judge_from_spec(f"python:{JUDGES}:strict_truth"), events)
    assert [j.correct for j in got] == [True, False, None, None, None]
    assert [j.unscored_reason for j in got[2:]] == [
        "python judge raised RuntimeError: cannot judge e3",
        'python judge returned "yes", expected a dict like {"correct": true}',
        "python judge abstained (correct is null)",
    ]
    # a judge that returns a truthy string is not counted as correct
    got = run(judge_from_spec(f"python:{JUDGES}:truth"), [event(6, truth="yes")])
    assert got[0].correct is None
    assert got[0].unscored_reason == "python judge 'correct' must be true or false, got 'yes'"


def test_python_judgments_are_cached(tmp_path: Path) -> None:
    store = ResponseStore(tmp_path / "c.sqlite")
    spec = f"python:{JUDGES}:truth"
    first = run(judge_from_spec(spec, cache=store), [event(1, truth=True), event(2, truth=False)])
    second = run(judge_from_spec(spec, cache=store), [event(1, truth=True), event(2, truth=False)])
    assert [j.cached for j in first] == [False, False]
    assert [(j.correct, j.cached) for j in second] == [(True, True), (False, True)]
    store.close()


def scripted(messages: list[dict[str, Any]]) -> str:
    """The judge server: answers by the case number planted in the user's question."""
    case = messages[1]["content"]
    repairing = messages[-1]["content"].startswith("Your reply could not be read")
    if "[1]" in case:
        return '{"correct": true, "failure_mode": "unwelcome_but_correct", "reason": "4 is right"}'
    if "[2]" in case:  # prose and a fenced object
        return 'Verdict below.\n```json\n{"correct": false, "reason": "wrong sum"}\n```'
    if "[3]" in case:  # malformed first, fixed on repair
        if repairing:
            return '{"correct": true, "failure_mode": null, "reason": "fixed"}'
        return '{"correct": maybe, "reason": "unterminated'
    if "[4]" in case:  # refuses twice
        return "I'm sorry, but I can't help with grading this conversation."
    if "[5]" in case:  # garbage twice
        return "The answer seems plausible overall."
    return '{"correct": false}'


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_llm_judge_over_http(tmp_path: Path, api: str) -> None:
    events = [event(i) for i in range(1, 8)]
    with LoopbackServer(scripted) as server:
        server.fail(  # a whole 200 body that is not a reply: final (a body cut short is retried)
            Fault.raw(b"<html><title>Captive portal</title></html>", content_type="text/html"),
            when=lambda c: "[6]" in c.messages[1]["content"],
        )
        server.fail(
            Fault.http(500, retry_after=0),
            when=lambda c: "[7]" in c.messages[1]["content"] and c.attempt == 1,
        )
        base = server.openai_base_url if api == "openai" else server.anthropic_base_url
        store = ResponseStore(tmp_path / "cache.sqlite")
        judge = judge_from_spec(f"{api}:judge-model", base_url=base, cache=store, attempts=3)
        got = run(judge, events)
        calls = server.per_conversation
        first_total = server.total
        again = run(judge_from_spec(f"{api}:judge-model", base_url=base, cache=store), events)
        # the same audit again: every answer comes from the cache; only the call that failed
        # (never cached) is made again
        assert server.total == first_total + 1
        store.close()
    by_case = {j.id: j for j in got}
    assert (by_case["e1"].correct, by_case["e1"].failure_mode, by_case["e1"].reason) == (
        True,
        "unwelcome_but_correct",
        "4 is right",
    )
    assert (by_case["e2"].correct, by_case["e2"].reason) == (False, "wrong sum")
    assert (by_case["e3"].correct, by_case["e3"].reason) == (True, "fixed")
    assert by_case["e4"].correct is None
    assert by_case["e4"].unscored_reason is not None
    assert by_case["e4"].unscored_reason.startswith("judge refused: 'I'm sorry")
    assert by_case["e5"].correct is None
    assert by_case["e5"].unscored_reason == (
        'judge reply unreadable after one repair (no JSON object with a "correct" field): '
        "'The answer seems plausible overall.'"
    )
    assert by_case["e6"].correct is None
    assert "unreadable response" in (by_case["e6"].unscored_reason or "")
    assert by_case["e7"].correct is False  # the 500 was retried
    # one call per readable case, exactly one repair for the malformed, refusing and garbage
    # ones, one retry after the 500
    assert [calls[c] for c in sorted(calls)] == [1, 1, 2, 2, 2, 1, 2]
    assert first_total == 11
    assert [j.correct for j in again] == [j.correct for j in got]
    assert [j.cached for j in again if j.correct is not None] == [True] * 4


def test_rubric_asks_for_correctness_only_and_shows_the_reference() -> None:
    e = FeedbackEvent(
        id="x",
        row=1,
        prompt="Capital of Australia?",
        response="Sydney.",
        rating="down",
        reference="Canberra",
    )
    system, user = rubric_messages(e)
    assert system.role == "system" and "Do NOT judge tone" in system.content
    assert "reference answer is given" in system.content
    assert "Capital of Australia?" in user.content and "Reference answer:\n<<<\nCanberra" in (
        user.content
    )
    assert "reference" not in rubric_messages(event(1))[0].content.lower().split("json")[0][-60:]
    assert "{problem}" in REPAIR
    json.loads('{"correct": true, "failure_mode": null, "reason": "..."}')
