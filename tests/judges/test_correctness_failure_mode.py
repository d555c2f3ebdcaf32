"""A correctness judge's ``failure_mode`` that is not text (``5``, ``true``, a list, an
object) is garbage, as a ``correct`` of ``"maybe"`` is: the model judge gets its one repair
turn, and a reply still garbage leaves the event ``unscored`` with the reason; a ``python:``
judge's is reported at once. It was filed as ``other`` (``str(5)`` is no failure mode), and
the event counted as judged. Text the rubric does not list ("tone") is still ``other``, the
rubric's own catch-all, as before."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from backbone.audit.judging import aclose_judge, judge_all, read_reply
from backbone.audit.models import FeedbackEvent, Judgment, SampledEvent
from backbone.evaluation.registry import correctness_judge
from tests.support.loopback import LoopbackServer

JUDGES = "tests.audit.planted_judge"


@pytest.mark.parametrize(
    ("mode", "shown"),
    [("5", "5"), ("2.5", "2.5"), ("true", "True"), ('["refusal"]', "['refusal']"),
     ('{"kind": "refusal"}', "{'kind': 'refusal'}")],
    ids=["int", "float", "bool", "list", "object"],
)  # fmt: skip
def test_a_failure_mode_that_is_not_text_is_a_problem(mode: str, shown: str) -> None:
    parsed = read_reply(f'{{"correct": false, "failure_mode": {mode}, "reason": "wrong"}}')
    assert (parsed.correct, parsed.failure_mode) == (None, None)
    assert parsed.problem == f'"failure_mode" must be text or null, got {shown}'


@pytest.mark.parametrize(
    ("mode", "read"),
    [('"tone"', "other"), ('"Hallucination"', "hallucination"), ("null", None), ('""', None)],
)
def test_text_the_rubric_does_not_list_is_still_other(mode: str, read: str | None) -> None:
    parsed = read_reply(f'{{"correct": false, "failure_mode": {mode}}}')
    assert (parsed.correct, parsed.failure_mode, parsed.problem) == (False, read, None)


def event(i: int, **extra: Any) -> FeedbackEvent:
    return FeedbackEvent(
        id=f"e{i}", row=i, prompt=f"[{i}] What is 2+2?", response="5", rating="down",
        rating_raw="down", extra=extra,
    )  # fmt: skip


def judged(judge: Any, events: list[FeedbackEvent]) -> dict[str, Judgment]:
    async def go() -> list[Judgment]:
        try:
            sampled = [SampledEvent(event=e, stratum="down", weight=1.0) for e in events]
            return await judge_all(judge, sampled, concurrency=2)
        finally:
            await aclose_judge(judge)

    return {j.id: j for j in asyncio.run(go())}


def scripted(messages: list[dict[str, Any]]) -> str:
    """Case [1] answers a numeric failure mode, then a good one on the repair turn; case [2]
    answers a numeric one both times."""
    repairing = messages[-1]["content"].startswith("Your reply could not be read")
    if "[1]" in messages[1]["content"] and repairing:
        return '{"correct": false, "failure_mode": "hallucination", "reason": "2+2 is 4"}'
    return '{"correct": false, "failure_mode": 5, "reason": "2+2 is 4"}'


def test_a_model_judge_gets_its_repair_turn_then_the_event_is_unscored() -> None:
    with LoopbackServer(scripted) as server:
        judge = correctness_judge("openai:judge-model", base_url=server.openai_base_url)
        got = judged(judge, [event(1), event(2)])
        calls = dict(server.per_conversation)
    assert (got["e1"].correct, got["e1"].failure_mode) == (False, "hallucination")
    assert got["e2"].correct is None and got["e2"].failure_mode is None
    assert got["e2"].unscored_reason == (
        'judge reply unreadable after one repair ("failure_mode" must be text or null, got 5): '
        '\'{"correct": false, "failure_mode": 5, "reason": "2+2 is 4"}\''
    )
    assert sorted(calls.values()) == [2, 2]  # one repair each, no more


def test_a_python_judges_numeric_failure_mode_leaves_the_event_unscored() -> None:
    got = judged(
        correctness_judge(f"python:{JUDGES}:truth"),
        [event(1, truth=False, mode=5), event(2, truth=False, mode="latency")],
    )
    assert got["e1"].correct is None
    assert got["e1"].unscored_reason == "python judge 'failure_mode' must be text or null, got 5"
    assert (got["e2"].correct, got["e2"].failure_mode) == (False, "latency")
