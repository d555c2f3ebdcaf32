"""``backbone rescore RUN --judge JUDGE``: re-grade a finished run's transcripts with another
judge; the target is never called. One call of
:func:`backbone.evaluation.rescore.rescore`.

Example:
    $ backbone rescore runs/a --judge anthropic:claude-3-5-haiku-latest --out runs/a-haiku
"""

from __future__ import annotations

import hashlib
import re
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from backbone.cli.console import console
from backbone.cli.errors import bad_input_exits, fail, judging_interrupted
from backbone.cli.judge_options import (
    ConcurrencyOpt,
    JudgeBaseUrlOpt,
    JudgeOpt,
    JudgeSamplesOpt,
    JudgeTemperatureOpt,
    NoJudgeCacheOpt,
    RetriesOpt,
    TimeoutOpt,
)
from backbone.core.user_file import same_file

err = console(stderr=True)
out = console()


_SLUG_MAX = 80


def _slug(text: str) -> str:
    """A folder name for the judges' spec: unsafe characters become ``_``; a name past 80
    characters is cut and ends in a digest of the whole spec, so two long specs that share
    their first 80 characters do not write to one folder.

    Example:
        >>> _slug("openai:gpt-4o")
        'openai_gpt-4o'
        >>> a, b = _slug("x" * 90 + "1"), _slug("x" * 90 + "2")
        >>> len(a), a != b
        (80, True)
    """
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "judge"
    if len(slug) <= _SLUG_MAX:
        return slug
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return slug[: _SLUG_MAX - len(digest) - 1] + "-" + digest


def register(app: typer.Typer) -> None:
    """Add ``rescore`` to the app."""

    @app.command()
    def rescore(
        run_dir: Annotated[Path, typer.Argument(help="A finished run's output directory.")],
        judge: JudgeOpt = None,
        out_dir: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="Where to write (default: RUN/rescore-JUDGE)."),
        ] = None,
        suite: Annotated[
            str | None,
            typer.Option("--suite", "-s", help="The run's suite (default: as recorded)."),
        ] = None,
        judge_base_url: JudgeBaseUrlOpt = None,
        judge_samples: JudgeSamplesOpt = 1,
        judge_temperature: JudgeTemperatureOpt = None,
        concurrency: ConcurrencyOpt = 8,
        no_cache: NoJudgeCacheOpt = False,
        timeout: TimeoutOpt = None,
        retries: RetriesOpt = 5,
        quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    ) -> None:
        """Re-grade a finished run's transcripts with another judge (the target is not called)."""
        from backbone.evaluation.rescore import rescore as rescore_run
        from backbone.report.terminal import print_grading, print_summary

        if not judge:
            raise fail("rescore needs at least one --judge")
        target = out_dir or run_dir / ("rescore-" + _slug("+".join(judge)))
        if same_file(target, run_dir):  # its results.json would replace the run's own
            raise fail(
                f"{target}: --out is the run being re-scored: choose another folder "
                f"(default: {run_dir / 'rescore-JUDGE'})"
            )
        status = nullcontext() if quiet else err.status("re-grading transcripts...")
        with judging_interrupted(no_cache), bad_input_exits(), status:
            record = rescore_run(
                run_dir,
                judge,
                out=target,
                suite=suite,
                judge_base_url=judge_base_url,
                judge_samples=judge_samples,
                judge_temperature=judge_temperature,
                concurrency=concurrency,
                cache=not no_cache,
                timeout=timeout,
                retries=retries,
            )
        played = record.options.get("samples")
        if (
            isinstance(played, int)
            and not isinstance(played, bool)
            and played > record.samples  # a run written before transcripts kept every sample
        ):
            err.print(
                f"warning: {run_dir} was played with --samples {played}; its transcripts.jsonl "
                "keeps each scenario's first sample only (written before backbone kept every "
                "sample), so this re-score grades that one (no repeats, no flaky scenarios)",
                markup=False,
                highlight=False,
            )
        print_summary(record, out)
        print_grading(record, out)
        out.print("target calls: 0 (re-scored from the run's transcripts)")
        out.print(
            f"wrote {target / 'results.json'}, {target / 'transcripts.jsonl'}, "
            f"{target / 'report.html'}",
            markup=False,
        )
