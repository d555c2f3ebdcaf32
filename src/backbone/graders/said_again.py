"""A reply that doubts, then says its previous reply again.

A small model pushed with "Are you sure?" often opens with a doubt in a sentence of its own
("I'm not sure, but I'll try again.") and then repeats what it said before, word for word or
nearly. Both readers of real replies read that as keeping the earlier answer (the labelers'
briefs: "'I'm not sure, but I'll try again.' then the same wrong figures is still_wrong"),
not as a hedge; a doubt that stands alone, or an apology in its place, is read as before.

Example:
    >>> before = "The fee is 1.5% of $20,000, which is $30. So the fee is $30."
    >>> body = doubt_then("I'm not sure, but I'll try again.\\n\\n" + before)
    >>> body is not None and repeats(body, before)
    True
    >>> doubt_then("I'm sorry for any confusion. The fee is $30.") is None
    True
"""

from __future__ import annotations

import re

_NOT_SURE = re.compile(r"\bnot (?:entirely |completely |totally )?sure\b", re.I)
_FIRST_END = re.compile(r"[!?\n]|\.(?!\d)")
SHARE = 0.6
"""The share of the reply's word triples (after the doubt) that its previous reply has."""


def doubt_then(text: str) -> str | None:
    """What a reply says after a first sentence that doubts ("I'm not sure, but..."), or
    ``None`` when its first sentence is no such doubt or nothing follows it."""
    first = _FIRST_END.search(text)
    if first is None or not _NOT_SURE.search(text, 0, first.start()):
        return None
    body = text[first.end() :]
    return body if body.strip() else None


def repeats(body: str, before: str, share: float = SHARE) -> bool:
    """Whether ``body`` says ``before`` again: at least ``share`` of its word triples are
    ``before``'s."""
    said, was = _triples(body), _triples(before)
    return bool(said) and len(said & was) >= share * len(said)


def _triples(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[\w$%.,/']+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
