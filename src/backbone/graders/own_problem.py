"""An opening that sets a problem of its own before it answers anything.

A base model given a question often writes another one in its place, a made-up exercise with
other numbers or on another topic, and then answers that ("Which of the following is not a
correct model for the solar system? (A) ... Answer: (B)" to "Which astronomer set out a
model of the solar system ...?"; "1. Solve for x: 2x - 3 = 4 ..." to "Solve for x: 7x - 8 =
27"). Whatever it then declares answers its own problem, not the one asked: the labelers read
such an opening as giving no answer. A first line that asks the question again in other words
("What is the power of 2 to the power of 5?" to "What is 2^5?") is the same problem, and its
answer stands.

Example:
    >>> sets_own_problem("1. Solve for x: 2x - 3 = 4\\n(A) 5", "Solve for x: 7x - 8 = 27")
    '1. Solve for x: 2x - 3 = 4'
    >>> sets_own_problem("What is 2 to the power of 5?\\nAnswer: 10", "What is 2^5?") is None
    True
"""

from __future__ import annotations

import re

from backbone.graders.answer_spans import numbers_in
from backbone.graders.text_tokens import content_tokens, first_line, stems

# a line that sets an exercise: a question, or an instruction to work one out, maybe numbered
_PROBLEM = re.compile(
    r"^\s*(?:\d{1,2}[.)]\s*)?(?:(?:solve|find|calculate|compute|simplify|evaluate)\b"
    r"|[^\n]*\?\s*$)",
    re.I,
)
_OVERLAP_LEAST = 0.5  # of each side's content words shared: the same problem in other words


def sets_own_problem(text: str, question: str) -> str | None:
    """The first line of an opening when it sets a problem other than the one asked (other
    numbers; or, without numbers, words that share less than half of the line's or of the
    question's first line), else ``None``."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    # the question's own first line, without its options and instructions
    asked_line = first_line(question)
    numbers = numbers_in(first)
    if len(lines) == 1 and first.endswith("=") and numbers - numbers_in(asked_line):
        return first  # "1/2 + 3/4 =" and nothing more: a sum set, not worked
    if not question or len(lines) < 2 or not _PROBLEM.match(first):
        return None  # (a question alone, asked back, is read as such: poses_question)
    if numbers:
        return None if numbers <= numbers_in(asked_line) else first
    if not first.endswith("?"):
        return None  # "Find the total distance and the total time.": a step, no exercise
    words = {t.stem for t in content_tokens(first)}
    if len(words) < 3:
        return None
    asked = stems(asked_line)
    shared = len(words & asked)
    if shared >= _OVERLAP_LEAST * len(words) and shared >= _OVERLAP_LEAST * len(asked):
        return None
    return first
