"""The way out of replies no grader could read: when a run had no judge and some of its
scenarios are unscored because a reply was unreadable (a free-form answer the rule keys and
exemplars could not place), the terminal and the report say that a judge reads them.

Example:
    >>> print(JUDGE_HINT[:40])
    no judge ran: --judge openai:MODEL (or a
"""

from __future__ import annotations

from backbone.record import RunRecord

JUDGE_HINT = (
    "no judge ran: --judge openai:MODEL (or anthropic:MODEL, python:MODULE:FUNC) reads the "
    "replies the keys could not; backbone rescore RUN --judge ... grades this run again "
    "without calling the target"
)


def judge_hint(record: RunRecord) -> str | None:
    """:data:`JUDGE_HINT` when no judge ran and a reply was left unread (an unscored
    scenario's reason), else None."""
    if record.grading.judges is not None:
        return None
    unread = any("unreadable" in reason for reason in record.summary.unscored_reasons)
    return JUDGE_HINT if unread else None
