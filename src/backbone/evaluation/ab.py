"""``run_ab()``: the A/B decomposition as a library call, from a file name and a judge spec.

This is where the judge is wired: the spec (``python:MODULE:FUNC``, ``openai:MODEL``,
``anthropic:MODEL``, ``local``) with the correctness rubric, retries, and the response cache,
so a re-run judges nothing again (every judgment is served from the cache).

Example:
    >>> result = run_ab(  # doctest: +SKIP
    ...     "ab.parquet",
    ...     arm_column="arm",
    ...     judge="python:backbone.audit.synthetic.ab_traffic:planted_truth",
    ... )
    >>> result.verdict.verdict, result.preference_delta.value  # doctest: +SKIP
    ('sycophancy_gradient', 0.04)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from backbone.audit.ab import DEFAULT_MARGIN, DEFAULT_PER_STRATUM, ABOptions, ABResult
from backbone.audit.ab import run_ab as run_ab_log
from backbone.audit.ab_arms import open_ab_log
from backbone.audit.judging import aclose_judge
from backbone.audit.models import Judgment
from backbone.evaluation.registry import correctness_judge
from backbone.evaluation.sent import record_judge_sent
from backbone.evaluation.sync import run_sync
from backbone.targets.cache import open_response_cache


def run_ab(
    file: str | Path,
    *,
    arm_column: str,
    judge: str,
    baseline: str | None = None,
    per_stratum: int = DEFAULT_PER_STRATUM,
    margin: float = DEFAULT_MARGIN,
    seed: int = 0,
    concurrency: int = 8,
    cache: bool = True,
    column_map: Mapping[str, str] | None = None,
    fmt: str | None = None,
    rating_scale: str = "auto",
    threshold: float = 4.0,
    base_url: str | None = None,
    max_tokens: int | None = None,
    timeout: float | None = None,
    retries: int = 5,
    memory_limit: str | None = None,
    on_result: Callable[[Judgment], None] | None = None,
    on_sampled: Callable[[int], None] | None = None,
) -> ABResult:
    """Compare the two arms of the feedback log ``file`` (see :mod:`backbone.audit.ab`).
    ``on_sampled`` hears how many events will be judged, ``on_result`` each judgment.

    Raises :class:`~backbone.core.errors.InputError` (bad file, arm column or baseline),
    ``TargetSpecError`` (bad judge spec), ``ValueError`` (margin outside [0, 1)).
    """
    if not 0.0 <= margin < 1.0:
        raise ValueError(f"--margin must be in [0, 1), got {margin}")
    store = open_response_cache() if cache else None
    try:
        the_judge = correctness_judge(
            judge,
            base_url=base_url,
            max_tokens=max_tokens,
            attempts=retries + 1,
            timeout=timeout,
            cache=store,
            gentle=concurrency,
        )
        options = ABOptions(
            arm_column=arm_column,
            baseline=baseline,
            per_stratum=per_stratum,
            margin=margin,
            seed=seed,
            concurrency=concurrency,
        )
        extra: dict[str, Any] = {"concurrency": concurrency, "cache": cache, "base_url": base_url}
        with open_ab_log(
            file,
            arm_column=arm_column,
            fmt=fmt,
            column_map=column_map,
            rating_scale=rating_scale,
            threshold=threshold,
            memory_limit=memory_limit,
        ) as log:

            async def go() -> ABResult:
                try:
                    result = await run_ab_log(
                        log,
                        the_judge,
                        options,
                        on_result=on_result,
                        on_sampled=on_sampled,
                        extra_options=extra,
                    )
                finally:
                    await aclose_judge(the_judge)
                record_judge_sent(result.options, the_judge.target)
                return result

            return run_sync(go)
    finally:
        if store is not None:
            store.close()
