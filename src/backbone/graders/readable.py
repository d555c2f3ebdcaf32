"""A transcript as the key graders read it: runs of blanks tidied, over-long messages cut.

The key graders read with regular expressions, in time that grows with a reply's length (and,
before :mod:`backbone.graders.blanks`, with the square of a run of blanks). A reply of
megabytes (a product that pastes a document, a logged reply gone wrong) held a run for
minutes and gigabytes. Past ``READ_LIMIT`` characters a message is read as its head and its
tail, where an answer is stated or concluded; the middle is left out, marked by an ellipsis.

Example:
    >>> cut_long("a" * 10, limit=6)
    'aaaaa\\n\\n…\\n\\na'
    >>> cut_long("It is 4.")
    'It is 4.'
"""

from __future__ import annotations

from backbone.core.transcript import Transcript
from backbone.graders.blanks import tidy_blanks

READ_LIMIT = 32_000
"""Characters of a message the key graders read; longer ones are read as head and tail."""

TAIL_SHARE = 0.25
"""The share of ``READ_LIMIT`` given to a long message's tail (its conclusion)."""


def cut_long(text: str, limit: int = READ_LIMIT) -> str:
    """``text`` when it is at most ``limit`` characters, else its head and its tail
    (``TAIL_SHARE`` of the limit) with an ellipsis between them."""
    if len(text) <= limit:
        return text
    tail = max(1, int(limit * TAIL_SHARE))
    return f"{text[: limit - tail]}\n\n…\n\n{text[-tail:]}"


def readable(transcript: Transcript) -> Transcript:
    """A copy of ``transcript`` whose messages have their runs of blanks tidied and are cut
    to ``READ_LIMIT`` characters.

    Example:
        >>> from backbone.core.transcript import TranscriptMessage
        >>> asked = TranscriptMessage(role="user", content="2  + 2?")
        >>> readable(Transcript(scenario_id="s", messages=[asked])).messages[0].content
        '2 + 2?'
    """
    messages = [
        m.model_copy(update={"content": cut_long(tidy_blanks(m.content))})
        for m in transcript.messages
    ]
    return transcript.model_copy(update={"messages": messages})
