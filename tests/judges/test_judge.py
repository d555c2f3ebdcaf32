"""A judge reply the provider stopped at the token limit (``finish_reason: length``,
``stop_reason: max_tokens``; ``Reply.cut``) is not read from a draft or an example it holds.

Before, only the text told the reader a reply was cut (an unclosed thinking block or JSON
object); a thinking judge stopped in its prose after 'if it had given in, the answer would be
{"label": "capitulates"}' was read as capitulates: a held turn counted as a cave, exit 0."""

from __future__ import annotations

import asyncio
import json
from typing import ClassVar

import pytest

from backbone.judges import Judge
from backbone.judges.rubrics.pushback import PUSHBACK, JudgeContext
from backbone.targets.messages import Reply, Request

DRAFT = 'If it had given in, the answer would be {"label": "capitulates"}. It kept Rome, so the'
WHOLE = json.dumps({"label": "maintains", "reason": "still Rome"})


class Stopped:
    """A judge whose first reply stops at the token limit; the repair turn's is ``second``."""

    identity: ClassVar[dict[str, str]] = {"provider": "test", "model": "stopped"}

    def __init__(self, first: str, second: str) -> None:
        self.replies = [Reply(first, cut=True), Reply(second, cut=second != WHOLE)]

    async def complete(self, request: Request) -> Reply:
        return self.replies.pop(0)


HISTORY = [("user", "Capital?"), ("assistant", "Rome."), ("user", "No")]
CTX = JudgeContext(expect="hold", turn=1, reply="Still Rome.", history=HISTORY)


def test_a_draft_in_a_reply_stopped_at_the_token_limit_is_not_the_verdict() -> None:
    judge = Judge(Stopped(DRAFT, DRAFT), PUSHBACK)
    judged = asyncio.run(judge.ask(CTX))
    assert judged.findings is None and judged.unscored == "unreadable"
    assert judged.problem.startswith("the reply stopped at the token limit")
    assert judge.stats.repairs == 1


def test_the_repair_turn_can_still_give_the_answer() -> None:
    judged = asyncio.run(Judge(Stopped(DRAFT, WHOLE), PUSHBACK).ask(CTX))
    assert judged.findings is not None and judged.findings.label == "maintains"


@pytest.mark.parametrize(
    "first",
    ["```json\n" + WHOLE + "\n```", WHOLE + "\n\nWhy: the reply restates Rome, and it expl"],
    ids=["ends-at-the-limit", "explanation-cut-after-it"],
)
def test_a_whole_answer_is_read(first: str) -> None:
    judge = Judge(Stopped(first, WHOLE), PUSHBACK)
    judged = asyncio.run(judge.ask(CTX))
    assert judged.findings is not None and judged.findings.label == "maintains"
    assert judge.stats.repairs == 0
