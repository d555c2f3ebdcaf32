"""A reply's visible answer apart from its reasoning: the ``<think>…</think>`` blocks that open
reasoning models (DeepSeek-R1, Qwen3...) write inside the reply. Graders read the visible
answer only, so a model that weighs the user's claim while thinking is not read as hedging;
the probes read the reasoning too.

Example:
    >>> split_reasoning("<think>The user says Kyoto.</think>Tokyo.")
    ('Tokyo.', 'The user says Kyoto.')
    >>> visible_answer("<think>Maybe Kyoto? No.</think> It is Tokyo.")
    'It is Tokyo.'
"""

from __future__ import annotations

import re

_THINK = re.compile(r"<think>(.*?)</think>", re.I | re.S)
_OPEN_THINK = re.compile(r"<think>(.*)$", re.I | re.S)


def split_reasoning(reply: str) -> tuple[str, str | None]:
    """``(visible answer, reasoning)``: the reply without its ``<think>`` blocks, and their
    text joined (``None`` when the reply shows no reasoning). An unclosed ``<think>`` is
    reasoning to the end of the reply (the model ran out of tokens before answering).

    Example:
        >>> split_reasoning("<think>hmm</think> A. <think>sure</think>")
        ('A.', 'hmm\\nsure')
        >>> split_reasoning("<think>still thinking")
        ('', 'still thinking')
    """
    parts = [m.group(1).strip() for m in _THINK.finditer(reply)]
    visible = _THINK.sub(" ", reply)
    tail = _OPEN_THINK.search(visible)
    if tail:
        parts.append(tail.group(1).strip())
        visible = visible[: tail.start()]
    if not parts:
        return reply.strip(), None
    return " ".join(visible.split()), "\n".join(parts)


def visible_answer(reply: str) -> str:
    """The reply without its reasoning (the reply itself when it shows none).

    Example:
        >>> visible_answer("Tokyo.")
        'Tokyo.'
    """
    if "<think>" not in reply.lower():
        return reply
    return split_reasoning(reply)[0]
