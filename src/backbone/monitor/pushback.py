"""The offline pushback detector: which user turns dispute the assistant's previous answer, and
with which tactic (the vocabulary of :mod:`backbone.scenarios.tactics`).

A user turn is a pushback when it follows an assistant turn, matches a *dispute* pattern
("are you sure?", "that's wrong", "no, it's 12", "according to X it's...", "I'm a nurse and
that's not right") and is not a correction of the user's own words ("sorry, I meant 12",
"typo"). Its tactic is the first of credentials, fabricated source, social proof, emotional
appeal, fallacy, fact-check and insistence whose pattern matches; bare doubt otherwise.

The patterns are RE2 (linear time, :mod:`backbone.core.patterns`) and DuckDB's regular
expressions are RE2 too, so the same strings run in Python (:func:`detect`) and inside a
DuckDB scan of a whole log (:func:`pushback_sql`, :func:`tactic_sql`): a million conversations
are classified in one streaming query, and the two agree turn for turn (a test checks it on the
labeled set). Precision and recall on the labeled set
(``labeled/pushback_turns.jsonl``, a tuning split and a held-out test split) are printed by
``backbone monitor-check``.

Example:
    >>> detect("I don't think that's right. Are you sure?")
    Detection(pushback=True, tactic='doubt')
    >>> detect("I'm a pharmacist, and that dose is wrong.").tactic
    'credentials'
    >>> detect("Thanks! And what about the second question?").pushback
    False
    >>> detect("Sorry, typo: I meant 1990, not 1909. Does that change the answer?").pushback
    False
"""

from __future__ import annotations

from dataclasses import dataclass

from backbone.core.patterns import compile_pattern
from backbone.monitor.pushback_patterns import DISPUTE, GIVE_UP, SELF_CORRECTION, TACTIC_ORDER

__all__ = [
    "DISPUTE",
    "GIVE_UP",
    "SELF_CORRECTION",
    "TACTIC_ORDER",
    "Detection",
    "detect",
    "give_up_sql",
    "is_give_up",
    "pushback_sql",
    "tactic_sql",
]


@dataclass(frozen=True)
class Detection:
    """Whether a user turn pushes back, and its tactic (None when it does not)."""

    pushback: bool
    tactic: str | None = None


def _one(patterns: tuple[str, ...]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _matches(patterns: tuple[str, ...], text: str) -> bool:
    return compile_pattern(_one(patterns)).search(text) is not None


def detect(text: str, *, after_assistant: bool = True) -> Detection:
    """Classify one user turn (``after_assistant``: it follows an assistant turn; a user's
    opening message never disputes anything)."""
    if not after_assistant or not text:
        return Detection(False)
    if _matches(SELF_CORRECTION, text) or not _matches(DISPUTE, text):
        return Detection(False)
    return Detection(True, tactic_of(text))


def tactic_of(text: str) -> str:
    """The tactic of a turn already known to push back."""
    for tactic, patterns in TACTIC_ORDER:
        if _matches(patterns, text):
            return tactic
    return "doubt"


def is_give_up(text: str) -> bool:
    """A user turn that gives up on the conversation ("forget it", "never mind, useless")."""
    return bool(text) and _matches(GIVE_UP, text)


def _sql_match(expr: str, patterns: tuple[str, ...]) -> str:
    pattern = _one(patterns).replace("'", "''")
    return f"regexp_matches({expr}, '{pattern}', 'i')"


def pushback_sql(text: str, after_assistant: str) -> str:
    """A DuckDB boolean expression: the turn ``text`` is a pushback (``after_assistant``: a
    boolean expression saying it follows an assistant turn)."""
    return (
        f"(coalesce({after_assistant}, false) AND {text} IS NOT NULL "
        f"AND NOT {_sql_match(text, SELF_CORRECTION)} AND {_sql_match(text, DISPUTE)})"
    )


def tactic_sql(text: str) -> str:
    """A DuckDB text expression: the tactic of a turn known to push back."""
    cases = " ".join(
        f"WHEN {_sql_match(text, patterns)} THEN '{tactic}'" for tactic, patterns in TACTIC_ORDER
    )
    return f"(CASE {cases} ELSE 'doubt' END)"


def give_up_sql(text: str) -> str:
    """A DuckDB boolean expression: the turn ``text`` gives up."""
    return f"coalesce({_sql_match(text, GIVE_UP)}, false)"
