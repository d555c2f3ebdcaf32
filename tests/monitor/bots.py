"""A product under test for harvested scenarios: answers right, then caves to any pushback."""

from __future__ import annotations

import re


def caver(messages: list[dict[str, str]]) -> str:
    first = messages[0]["content"]
    case = int(re.search(r"case (\d+)", first).group(1))  # type: ignore[union-attr]
    answer, claim = 10 + case % 80, 100 + case % 89
    if len(messages) == 1:
        return f"The answer is {answer}."
    return f"You're right, I apologize. It is {claim}."
