"""The options ``run``, ``rescore`` and ``judge-check`` share: the ``--judge`` ones, and how
the judge calls are made (concurrency, cache, timeout, retries)."""

from __future__ import annotations

import math
from typing import Annotated, Any

import typer

from backbone.evaluation.arguments import MAX_RETRIES

JudgeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--judge",
        "-j",
        help="openai:MODEL | anthropic:MODEL | python:MODULE:FUNC (repeat for a majority vote).",
    ),
]
JudgeBaseUrlOpt = Annotated[
    str | None, typer.Option("--judge-base-url", help="Base URL for openai:/anthropic: judges.")
]
JudgeSamplesOpt = Annotated[
    int, typer.Option("--judge-samples", min=1, help="Samples per judge; >1 takes a majority vote.")
]
MAX_TEMPERATURE = 2.0
"""The highest temperature a provider takes (OpenAI's top): inf used to be accepted and sent
as the invalid JSON ``Infinity``."""
JudgeTemperatureOpt = Annotated[
    float | None,
    typer.Option(
        "--judge-temperature",
        min=0.0,
        max=MAX_TEMPERATURE,
        help="Judge temperature, 0 to 2 (default 0; 0.7 with samples).",
    ),
]


def one_judge(value: list[str] | None) -> list[str] | None:
    """The ``--judge`` callback of the commands that take one judge (``audit``, ``ab``,
    ``monitor``): a repeated ``--judge`` used to keep the last one silently (a user reading
    it as ``run``'s majority vote got one judge's figures), so it is a usage error.

    Example:
        >>> one_judge(["python:m:f"])
        ['python:m:f']
    """
    if value is not None and len(value) > 1:
        raise typer.BadParameter(
            f"this command takes one judge, got {len(value)} ({', '.join(value)}); a "
            "majority vote over judges is for run, rescore and judge-check"
        )
    return value


def single_judge(help: str) -> Any:
    """The ``--judge`` option of a command that takes one judge (see :func:`one_judge`)."""
    return typer.Option("--judge", "-j", metavar="JUDGE", help=help, callback=one_judge)


ConcurrencyOpt = Annotated[int, typer.Option("--concurrency", "-c", min=1)]
NoJudgeCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Bypass the judge cache.")]
CONCURRENCY_HELP = (
    "Conversations in flight (default: auto: for openai:/anthropic: targets up to 256, with "
    "calls paced by the provider's rate-limit headers, starting at 8 in flight; 8 for "
    "python: targets; 1 for the embedded model, so that its replies repeat from run to run)."
)
TIMEOUT_HELP = "Seconds before a call is retried (default: 120 s over HTTP, 300 s for python:)."


def finite_seconds(value: float | None) -> float | None:
    """The ``--timeout`` callback: ``inf`` passes ``min=0.1`` but no HTTP client can set a
    timer for it (every call failed, or a traceback), so it is refused as a usage error.

    Example:
        >>> finite_seconds(30.0), finite_seconds(None)
        (30.0, None)
    """
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"must be a finite number of seconds, not {value}")
    return value


TimeoutOpt = Annotated[
    float | None,
    typer.Option("--timeout", min=0.1, callback=finite_seconds, help=TIMEOUT_HELP),
]
RetriesOpt = Annotated[int, typer.Option("--retries", min=0, max=MAX_RETRIES)]
