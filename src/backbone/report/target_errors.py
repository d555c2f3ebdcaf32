"""Why the target failed: the distinct errors behind the scenarios that ended "target failed",
for the terminal and the report ("target failed (86)" alone does not say that a ``python:``
function returned a dict, or which status a server answered).
"""

from __future__ import annotations

import re

from backbone.record import RunRecord

TARGET_FAILED = "target failed: "
MAX_ERRORS = 3


def target_errors(record: RunRecord) -> list[tuple[str, int]]:
    """Why the target failed, each distinct error (its turn left out) with how many scenarios
    ended on it, most frequent first, at most :data:`MAX_ERRORS`: "target failed (86)" alone
    does not say that a ``python:`` function returned a dict.

    Example:
        >>> from types import SimpleNamespace as S
        >>> run = S(scenarios=[S(reason="target failed: turn 0: f returned dict, expected str")])
        >>> target_errors(run)  # type: ignore[arg-type]
        [('f returned dict, expected str', 1)]
    """
    found: dict[str, int] = {}
    for s in record.scenarios:
        reason = s.reason or ""
        if reason.startswith(TARGET_FAILED):
            error = re.sub(r"^turn \d+: ", "", reason.removeprefix(TARGET_FAILED))
            found[error] = found.get(error, 0) + 1
    return sorted(found.items(), key=lambda kv: -kv[1])[:MAX_ERRORS]
