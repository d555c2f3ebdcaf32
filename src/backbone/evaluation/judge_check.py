"""``check_judges()``: measure a grader against the labeled set (accuracy, Cohen's kappa, the
confusion matrix) and record a judge's figures, so that every later run with that judge
states them.

The grader is ``answer-key`` (the deterministic grader), ``rule-key`` (the pattern grader, on
the cases' rule keys), ``exemplar`` (the embedding grader; its abstentions count as declined)
or one or more judge specs (several, or ``judge_samples`` > 1: a majority vote). ``split``
measures on the set's ``dev`` or ``test`` half only (the exemplar grader is tuned on dev).

Example:
    >>> doc = check_judges(["answer-key"])
    >>> doc["grader"], doc["accuracy"]["value"]
    ('answer_key', 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from backbone.evaluation.judging import Judging, agreement_store, setup_judging
from backbone.evaluation.registry import (
    BUILTIN_GRADERS,
    CHAIN,
    RULE_KEY,
    check_grader_spec,
    grader_from_spec,
)
from backbone.evaluation.stores import open_stores
from backbone.evaluation.sync import run_sync
from backbone.graders.base import Grader
from backbone.graders.check import CheckReport, check_grader
from backbone.graders.exemplar_split import Split, split_set
from backbone.graders.labeled import load_labeled
from backbone.graders.measured import record


def check_judges(
    judges: Sequence[str],
    *,
    labeled: str | Path = "builtin",
    judge_base_url: str | None = None,
    judge_samples: int = 1,
    judge_temperature: float | None = None,
    concurrency: int = 8,
    cache: bool = True,
    timeout: float | None = None,
    retries: int = 5,
    split: Split | None = None,
) -> dict[str, Any]:
    """The judge-check report document (``judge_calls`` added for judges); a judge's
    figures are stored in the agreement store beside the response cache, unless no turn
    was graded (``agreement_recorded`` is then false and an earlier measurement stands).

    Raises :class:`~backbone.core.errors.InputError` (unreadable labeled set),
    ``TargetSpecError`` (bad judge spec), ``ValueError`` (no grader, or ``answer-key`` /
    ``rule-key`` combined with others).
    """
    judges = list(judges)
    if not judges:
        raise ValueError(
            "judge-check needs a grader: answer-key, rule-key, exemplar, chain or a judge spec"
        )
    for spec in judges:  # 'answer_key' was "unknown judge", the graders unnamed
        check_grader_spec(spec)
    for builtin in BUILTIN_GRADERS:
        if builtin in judges and len(judges) > 1:
            raise ValueError(f"{builtin} cannot be combined with other judges")
    labeled_set = load_labeled(labeled)
    if split is not None:
        labeled_set = split_set(labeled_set, split)
    rule_keys = judges == [RULE_KEY]
    judging: Judging | None = None
    with open_stores(cache=cache and judges[0] not in BUILTIN_GRADERS, out=None) as stores:
        grader = _builtin_grader(judges[0])
        if grader is None:
            judging = setup_judging(
                judges,
                base_url=judge_base_url,
                samples=judge_samples,
                temperature=judge_temperature,
                cache=stores.cache,
                attempts=retries + 1,
                timeout=timeout,
                gentle=concurrency,
            )
            assert judging is not None
            grader = judging.grader
        checked = grader

        async def check() -> CheckReport:
            try:
                return await check_grader(
                    checked,
                    labeled_set,
                    concurrency=concurrency,
                    rule_keys=rule_keys,
                    any_key=judges == [CHAIN],
                )
            finally:
                if judging is not None:
                    await judging.aclose()

        report = run_sync(check)
    doc = report.document()
    if judging is not None:
        doc["judge_calls"] = judging.stats()
        # a check in which no turn was graded (every judge call failed: the judge's server
        # was down) measured nothing: the figures an earlier check recorded stand
        doc["agreement_recorded"] = report.coverage()["graded"] > 0
        if doc["agreement_recorded"]:
            agreement_store().put(judging.identity, record(report))
    return doc


def _builtin_grader(name: str) -> Grader | None:
    """The deterministic grader ``name`` names (None: a judge spec)."""
    return grader_from_spec(name) if name in BUILTIN_GRADERS else None
