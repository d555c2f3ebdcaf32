"""Replies that stopped at the token limit: the graders read them as they are, so a run whose
replies were cut mid-answer says how many, for the terminal and the report.

Example:
    >>> from types import SimpleNamespace as S
    >>> run = S(stats=S(cut_replies=3, calls=10, cached_calls=2),
    ...         target=S(identity={"params": {"max_tokens": 160}}))
    >>> cut_replies_note(run)[:59]  # type: ignore[arg-type,index]
    '3 of 12 replies stopped at the token limit (max_tokens 160)'
"""

from __future__ import annotations

from backbone.record import RunRecord


def cut_replies_note(record: RunRecord) -> str | None:
    """How many of the target's replies stopped at the token limit (``None``: none did, or
    the run was recorded before they were counted)."""
    cut = record.stats.cut_replies
    if not cut:
        return None
    replies = record.stats.calls + record.stats.cached_calls
    params = record.target.identity.get("params")
    limit = params.get("max_tokens") if isinstance(params, dict) else None
    shown = f" (max_tokens {limit})" if isinstance(limit, int) else ""
    of = f" of {replies}" if replies >= cut else ""  # a rescore made no call: no total
    return (
        f"{cut}{of} replies stopped at the token limit{shown} and are graded as they are, "
        "maybe cut mid-answer: a larger --max-tokens gives whole answers"
    )
