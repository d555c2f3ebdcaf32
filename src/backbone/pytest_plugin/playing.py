"""Playing a suite for a test: the session's target and cache settings, then one call of
:func:`backbone.evaluation.evaluate.evaluate` (which wires everything else).

Example:
    >>> run = play(config, "suites/tutor.yaml", "python:tutor.app:reply")  # doctest: +SKIP
    >>> run.assert_cave_rate(below=0.1)  # doctest: +SKIP
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from backbone.pytest_plugin.assertions import SuiteRun, unscored_reasons

if TYPE_CHECKING:
    from backbone.scenarios.models import Suite


class UnscoredScenarios(UserWarning):
    """Some scenarios of a played suite ended ``unscored`` (the product raised, a reply no
    grader could read): every rate leaves them out, so a check on the rest can pass."""


def session_target(config: pytest.Config) -> str:
    """``--backbone-target``, else the ``backbone_target`` ini setting."""
    target = config.getoption("backbone_target") or config.getini("backbone_target") or None
    if not target:
        raise pytest.UsageError(
            "backbone: no target; pass target=..., --backbone-target, or set "
            "backbone_target in the pytest ini file"
        )
    return str(target)


def play(
    config: pytest.Config,
    suite: str | Path | Suite,
    target: Any = None,
    *,
    concurrency: int | None = None,
    samples: int = 1,
    out: Path | None = None,
) -> SuiteRun:
    """Play ``suite`` against ``target`` (default: the session's) with the session's cache
    settings; keep the run's files in ``out`` when given."""
    from backbone.evaluation.evaluate import evaluate

    record = evaluate(
        suite=suite,
        target=target if target is not None else session_target(config),
        out=out,
        cache=not config.getoption("backbone_no_cache"),
        concurrency=concurrency,
        samples=samples,
    )
    unscored = record.summary.counts.get("unscored", 0)
    if unscored:  # shown in pytest's warnings summary, beside whatever the checks decide
        warnings.warn(
            UnscoredScenarios(
                f"backbone: {unscored} of {record.summary.counts.get('total', 0)} scenarios "
                f"of suite {record.suite.name!r} unscored, left out of every rate: "
                + unscored_reasons(record.outcomes)
            ),
            stacklevel=2,
        )
    return SuiteRun(record, out)
