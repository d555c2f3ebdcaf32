"""Replies that stopped at the token limit: the graders read them as they are, so a run whose
replies were cut mid-answer says how many, for the terminal and the report, and what would
give whole answers: a larger ``--max-tokens`` for a reply cut at it, a shorter conversation or
a larger context window for one that stopped before ``max_tokens`` was used up
(``stats.cut_by_context``: the server said its context window was full, or counted fewer
tokens than ``max_tokens``; said as what is seen, not as a context cut for certain).

Example:
    >>> from types import SimpleNamespace as S
    >>> run = S(stats=S(cut_replies=3, cut_by_context=0, calls=10, cached_calls=2),
    ...         transcripts=None, target=S(identity={"params": {"max_tokens": 160}}))
    >>> cut_replies_note(run)[:59]  # type: ignore[arg-type,index]
    '3 of 12 replies stopped at the token limit (max_tokens 160)'
"""

from __future__ import annotations

import re
from collections import Counter

from backbone.record import RunRecord


def cut_replies_note(record: RunRecord) -> str | None:
    """How many of the target's replies stopped at the token limit (``None``: none did, or
    the run was recorded before they were counted), and what would lift it.

    Example:
        >>> from types import SimpleNamespace as S
        >>> run = S(stats=S(cut_replies=2, cut_by_context=2, calls=10, cached_calls=0),
        ...         transcripts=None, target=S(identity={"params": {"max_tokens": 512}}))
        >>> note = cut_replies_note(run) or ""  # type: ignore[arg-type]
        >>> note[:68], "a larger --max-tokens would not lift" in note
        ('2 of 10 replies stopped at a token limit before max_tokens 512 was u', True)
    """
    cut = record.stats.cut_replies
    if not cut:
        return None
    by_context = min(record.stats.cut_by_context or 0, cut)
    replies = record.stats.calls + record.stats.cached_calls
    params = record.target.identity.get("params")
    limit = params.get("max_tokens") if isinstance(params, dict) else None
    at = f"max_tokens {limit}" if isinstance(limit, int) else "max_tokens"
    shown = f" ({at})" if isinstance(limit, int) else ""
    of = f" of {replies}" if replies >= cut else ""  # a rescore made no call: no total
    loops = looping_cut_replies(record)
    looped = (
        f"; {loops} of them {'repeats' if loops == 1 else 'repeat'} a sentence word for word, "
        "a loop that more tokens would not end"
        if loops
        else ""
    )
    graded = "and are graded as they are, maybe cut mid-answer"
    larger = "a shorter conversation, or a model (or server) with a larger context window"
    # what is seen: the server said the context window was full, or counted fewer tokens than
    # max_tokens (which a server that leaves hidden reasoning out of its count does too)
    other = (
        "the model's context window, filled by the conversation, most likely, or a cap of "
        "the server's own"
    )
    unless = "unless the server leaves a model's hidden reasoning out of its token counts"
    if by_context == cut:
        return (
            f"{cut}{of} replies stopped at a token limit before {at} was used up {graded}: "
            f"the limit they met is another ({other}), which a larger --max-tokens would not "
            f"lift ({unless}); {larger}, would{looped}"
        )
    if by_context:
        return (
            f"{cut}{of} replies stopped at a token limit {graded}: {cut - by_context} at "
            f"{at}, which a larger --max-tokens lifts, and {by_context} before it was used "
            f"up, at another limit ({other}), which it would not lift ({unless}; {larger}, "
            f"would){looped}"
        )
    return (
        f"{cut}{of} replies stopped at the token limit{shown} {graded}: a larger --max-tokens "
        f"gives whole answers{looped}"
    )


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def repeats_itself(text: str) -> bool:
    """Whether a reply says one sentence of five words or more twice, word for word (blanks
    and case aside): a model looping until the token limit (the embedded model's "I'm
    designed to provide information about Russia and other countries." over and over), which
    a larger token limit would not end.

    Example:
        >>> repeats_itself("I can help. I'm here to help with any topic. I'm here to "
        ...                "help with any topic. I'm here")
        True
        >>> repeats_itself("Rome is the capital of Italy. It has been the capital since 1871.")
        False
    """
    sentences = (" ".join(s.split()).casefold() for s in _SENTENCE_BREAK.split(text))
    counts = Counter(s for s in sentences if len(s.split()) >= 5)
    return any(n >= 2 for n in counts.values())


def looping_cut_replies(record: RunRecord) -> int:
    """The replies cut at the token limit that repeat themselves (:func:`repeats_itself`), over
    every sample's conversation; 0 when the transcripts are not loaded."""
    if record.transcripts is None:
        return 0
    conversations = [
        messages
        for t in record.transcripts
        for messages in (t.messages, *(s.messages for s in t.samples or ()))
    ]
    return sum(
        bool(m.cut) and m.role == "assistant" and repeats_itself(m.content)
        for messages in conversations
        for m in messages
    )
