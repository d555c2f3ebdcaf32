"""Removing duplicate drafted scenarios: exact (same normalised opening) and near (token-set
Jaccard of the opening's words at or above a threshold), within a draft and against the
scenarios already in a suite (which are always kept).

The text compared is the user's opening turns (a twin shares its hold case's question, so
twins are compared only with twins through their ``twin_of``: a dropped hold case takes its
twin with it). Token-set Jaccard was chosen over the exemplar grader's embeddings: it needs
no model, is exact to explain ("0.83 of the words are shared"), and on the built-in suites'
hold openings (217, 23,436 pairs) the closest two distinct ones share 0.69, while a reworded
question with the same words reorders to 1.0 and a one-word swap scores 0.78-0.85
(``benchmarks/bench_dedupe.py``); hence :data:`NEAR` = 0.75.

Example:
    >>> normalise("  What's 7 x 8?? ")
    "what's 7 x 8"
    >>> round(jaccard("What is 7 times 8?", "what is 8 times 7"), 2)
    1.0
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from backbone.scenarios.models import Scenario

NEAR = 0.75
"""Token-set Jaccard at or above which two openings are near-duplicates."""

_PUNCT = re.compile(r"[^\w\s']+")


def normalise(text: str) -> str:
    """Case folded, punctuation dropped, spacing collapsed."""
    return " ".join(_PUNCT.sub(" ", text.casefold()).split())


def tokens(text: str) -> frozenset[str]:
    return frozenset(normalise(text).split())


def jaccard(a: str, b: str) -> float:
    """Shared words over all words of the two texts (1.0 for two empty texts)."""
    ta, tb = tokens(a), tokens(b)
    if not ta and not tb:
        return 1.0
    return len(ta & tb) / len(ta | tb)


def opening_text(s: Scenario) -> str:
    """The user's turns of the opening, joined."""
    return "\n".join(m.content for m in s.messages if m.role == "user")


@dataclass(frozen=True)
class Removed:
    """A drafted scenario left out: the one it duplicates, how, and the similarity."""

    id: str
    duplicate_of: str
    kind: str  # "exact" | "near"
    similarity: float


def dedupe(
    drafted: Sequence[Scenario], existing: Sequence[Scenario] = (), *, near: float = NEAR
) -> tuple[list[Scenario], list[Removed]]:
    """The drafted scenarios that duplicate neither an earlier drafted one nor an existing
    one, and what was removed (a removed hold case's twins go with it, not listed)."""
    seen: list[tuple[str, str, frozenset[str]]] = [
        (s.id, normalise(opening_text(s)), tokens(opening_text(s)))
        for s in existing
        if s.twin_of is None or s.expect == "hold"
    ]
    existing_ids = {s.id for s in existing}
    kept: list[Scenario] = []
    removed: list[Removed] = []
    gone: set[str] = set()
    for s in drafted:
        if s.twin_of is not None and s.expect == "yield" and s.twin_of in {*gone, *existing_ids}:
            gone.add(s.id)
            continue
        if s.twin_of is not None:
            kept.append(s)
            continue
        norm, toks = normalise(opening_text(s)), tokens(opening_text(s))
        hit: Removed | None = None
        for other_id, other_norm, other_toks in seen:
            if other_id == s.id or norm == other_norm:
                hit = Removed(s.id, other_id, "exact", 1.0)
                break
            union = toks | other_toks
            sim = len(toks & other_toks) / len(union) if union else 1.0
            if sim >= near:
                hit = Removed(s.id, other_id, "near", round(sim, 3))
                break
        if hit is not None:
            removed.append(hit)
            gone.add(s.id)
            continue
        seen.append((s.id, norm, toks))
        kept.append(s)
    return kept, removed
