"""Internal eval scores diverging from external ones: a trend in the standardized gap.

The evals table has one row per release: ``release, timestamp, internal, external``. Releases
are put in time order; each score series is standardized over the releases (z-scores, so a
0–100 internal score and a 0–1 external one compare), and the gap ``z(internal) − z(external)``
is tested for an upward trend over the release index (one-sided modified Mann–Kendall): the
internal numbers pulling ahead of what outsiders measure. Both scores moving together leave
the gap flat.

Example:
    >>> gap = standardized_gap([70, 72, 75, 79], [0.60, 0.61, 0.60, 0.61])
    >>> [round(g, 2) for g in gap]
    [-0.16, -1.38, 1.12, 0.41]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from backbone.audit.tells.model import Measured
from backbone.audit.tells.tables import Kind
from backbone.audit.tells.trend import (
    MIN_POINTS,
    TrendTestName,
    combined,
    standardized,
    trend_test,
)
from backbone.core.errors import InputError, Problem

EVAL_COLUMNS: dict[str, Kind] = {
    "release": "text",
    "timestamp": "timestamp",
    "internal": "number",
    "external": "number",
}


def standardized_gap(
    internal: Sequence[float] | np.ndarray, external: Sequence[float] | np.ndarray
) -> list[float]:
    """z(internal) − z(external), release by release (exactly 0 where they move in step)."""
    return combined(standardized(internal) - standardized(external))


def measure(
    rows: Sequence[Mapping[str, Any]] | None, *, file: str | None, test: TrendTestName
) -> Measured:
    """The eval-divergence tell (unavailable without an evals table)."""
    if rows is None or file is None:
        return Measured(name="eval_divergence", available=False, reason="no --evals table")
    seen: dict[str, int] = {}
    problems = []
    for r in rows:
        if r["release"] in seen:
            problems.append(
                Problem(
                    file,
                    int(r["line"]),
                    f"column 'release': release {r['release']!r} appears twice (first at line "
                    f"{seen[r['release']]})",
                )
            )
        seen.setdefault(r["release"], int(r["line"]))
    if problems:
        raise InputError(problems)
    if len(rows) < MIN_POINTS:
        raise InputError.single(
            file, None, f"{len(rows)} releases; a trend needs at least {MIN_POINTS}"
        )
    ordered = sorted(rows, key=lambda r: (r["timestamp"], int(r["__row"])))
    internal = [float(r["internal"]) for r in ordered]
    external = [float(r["external"]) for r in ordered]
    gap = standardized_gap(internal, external)
    trend = trend_test(gap, test=test)
    return Measured(
        name="eval_divergence",
        available=True,
        reason="standardized internal − external gap rising over releases (one-sided)",
        p_raw=trend.p_value,
        evidence={
            "gap": trend.as_json(),
            "internal": trend_test(internal, test=test).as_json(),
            "external": trend_test(external, test=test).as_json(),
            "releases": len(ordered),
        },
        series={
            "releases": [str(r["release"]) for r in ordered],
            "timestamps": [r["timestamp"].isoformat() for r in ordered],
            "internal": internal,
            "external": external,
            "gap": gap,
        },
    )
