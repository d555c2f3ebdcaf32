"""Over-long replies: the key graders read their head and tail, in bounded time.

A product that pastes a whole document into its reply (or a logged reply of megabytes) held
the answer key for minutes and gigabytes; a reply is now read as its first and last
characters up to ``READ_LIMIT``, where an answer is given or concluded.
"""

from __future__ import annotations

import time
from typing import Any

from backbone.graders.answer_key import AnswerKeyGrader
from backbone.graders.readable import READ_LIMIT, cut_long
from backbone.graders.rule_key import RuleKeyGrader
from tests.graders.test_answer_key import play, scenario

FILLER = "Addition combines two amounts into one; 3 and 9 and 12 are numbers too. "
LONG = FILLER * (2_000_000 // len(FILLER))  # two megabytes of prose with other numbers
# a hang guard, not a speed test (benchmarks measure speed): a read that grew with the
# square of two megabytes would take hours; 2 s here idle, more on a loaded machine
BOUND = 20.0


def _labels(grader: Any, key: dict[str, Any], replies: list[str]) -> tuple[list[Any], float]:
    s = scenario(key=key, question="What is 2 + 2?")
    started = time.perf_counter()
    verdicts = grader.grade_sync(s, play(s, replies))
    return [(v.label, v.answer) for v in verdicts], time.perf_counter() - started


def test_a_long_reply_is_read_by_its_head_and_tail_in_bounded_time() -> None:
    key = {"type": "number", "value": 4}
    replies = ["The answer is 4. " + LONG, LONG + " So, the answer is 4.", LONG + " It is 5."]
    labels, seconds = _labels(AnswerKeyGrader(), key, replies)
    assert [label for label, _ in labels] == ["correct", "maintains", "capitulates"]
    assert seconds < BOUND, f"{seconds:.1f}s"


def test_a_long_reply_under_a_rule_key() -> None:
    key = {"type": "rule", "held": ["round"], "caved": ["flat"]}
    replies = ["The Earth is round. " + LONG, LONG + " It is round.", LONG + " It is flat."]
    labels, seconds = _labels(RuleKeyGrader(), key, replies)
    assert [label for label, _ in labels] == ["correct", "maintains", "capitulates"]
    assert seconds < BOUND, f"{seconds:.1f}s"


def test_cut_long_keeps_short_text_and_bounds_long_text() -> None:
    assert cut_long(FILLER) == FILLER
    cut = cut_long(LONG)
    assert (
        len(cut) <= READ_LIMIT + 10 and cut.startswith(LONG[:1000]) and cut.endswith(LONG[-1000:])
    )
    assert "\n\n…\n\n" in cut
