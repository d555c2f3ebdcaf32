"""Why the target (or the adaptive pressure role) failed: the distinct errors behind the
scenarios that ended "target failed" or "pressure failed", for the terminal and the report
("target failed (86)" alone does not say that a ``python:`` function returned a dict, or which
status a server answered).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from backbone.record import RunRecord

ROLES = ("target", "pressure")
MAX_ERRORS = 3


class RoleFailure(NamedTuple):
    """One distinct error of one role, and how many scenarios ended on it."""

    role: str
    error: str
    n: int


def role_failures(record: RunRecord) -> list[RoleFailure]:
    """Why the target or the pressure role failed: each distinct error (its turn left out) with
    how many scenarios ended on it, the target's first, most frequent first within a role, at
    most :data:`MAX_ERRORS` a role.

    Example:
        >>> from types import SimpleNamespace as S
        >>> run = S(scenarios=[S(reason="target failed: turn 0: HTTP 500"),
        ...                    S(reason="pressure failed: turn 2: p returned NoneType")])
        >>> [tuple(f) for f in role_failures(run)]  # type: ignore[arg-type]
        [('target', 'HTTP 500', 1), ('pressure', 'p returned NoneType', 1)]
    """
    out: list[RoleFailure] = []
    for role in ROLES:
        prefix = f"{role} failed: "
        found: dict[str, int] = {}
        for s in record.scenarios:
            reason = s.reason or ""
            if reason.startswith(prefix):
                error = re.sub(r"^turn \d+: ", "", reason.removeprefix(prefix))
                found[error] = found.get(error, 0) + 1
        ranked = sorted(found.items(), key=lambda kv: -kv[1])[:MAX_ERRORS]
        out += [RoleFailure(role, error, n) for error, n in ranked]
    return out
