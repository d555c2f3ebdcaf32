"""``backbone judge-check --judge JUDGE``: measure a grader against the labeled set and record
a judge's figures so that every later run with that judge states them. One call of
:func:`backbone.evaluation.judge_check.check_judges`.

Example:
    $ backbone judge-check --judge answer-key
    $ backbone judge-check --judge openai:llama3.1 --judge-base-url http://127.0.0.1:11434/v1
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from backbone.cli.console import console
from backbone.cli.errors import bad_input_exits, check_out_file, fail, judging_interrupted
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

JUDGE_CHECK_SCHEMA_VERSION = 1
"""The ``schema_version`` of the JSON ``judge-check --out`` writes, as every command's has."""

out = console()
err = console(stderr=True)
LABELED_SUFFIXES = frozenset({".yaml", ".yml", ".jsonl"})
"""The files a labeled-set folder is read from."""


def overwrites_labeled(out_path: Path, labeled: str) -> bool:
    """Whether writing the report to ``out_path`` would replace the labeled set itself (the
    ``--labeled`` file, or a file the ``--labeled`` folder is read from)."""
    from backbone.graders.labeled.loader import BUILTIN, RECORDED

    if labeled in (BUILTIN, RECORDED):
        return False
    source = Path(labeled)
    target = out_path.resolve()
    if source.is_dir():
        return target.parent == source.resolve() and target.suffix.lower() in LABELED_SUFFIXES
    return source.exists() and target == source.resolve()


def register(app: typer.Typer) -> None:
    """Add ``judge-check`` to the app."""

    @app.command("judge-check")
    def judge_check(
        judge: JudgeOpt = None,
        labeled: Annotated[
            str,
            typer.Option(
                "--labeled", help="A labeled-set file or folder (default: the built-in set)."
            ),
        ] = "builtin",
        out_path: Annotated[
            Path | None, typer.Option("--out", "-o", help="Write the full report as JSON here.")
        ] = None,
        judge_base_url: JudgeBaseUrlOpt = None,
        judge_samples: JudgeSamplesOpt = 1,
        judge_temperature: JudgeTemperatureOpt = None,
        concurrency: ConcurrencyOpt = 8,
        no_cache: NoJudgeCacheOpt = False,
        timeout: TimeoutOpt = None,
        retries: RetriesOpt = 5,
        show: Annotated[int, typer.Option("--show", min=0, help="Disagreements to print.")] = 20,
        split: Annotated[
            str | None,
            typer.Option("--split", help="Measure on the set's 'dev' or 'test' half only."),
        ] = None,
    ) -> None:
        """Measure a grader against the labeled set: accuracy, Cohen's kappa, confusion matrix.

        JUDGE is 'answer-key' (the deterministic grader), 'rule-key' (the pattern grader, on the
        cases' rule keys), 'exemplar' (the embedding grader), 'chain' (the three in a run's
        order, each case with its own key) or any judge form.
        """
        from backbone.core.atomic import write_text_atomic
        from backbone.evaluation.judge_check import check_judges
        from backbone.evaluation.registry import BUILTIN_GRADERS
        from backbone.report.terminal import print_check

        if split not in (None, "dev", "test"):
            raise fail(f"--split must be 'dev' or 'test', not {split!r}")
        if not judge:
            raise fail("judge-check needs --judge (answer-key, or a judge form)")
        if not labeled.strip():  # Path("") is the current folder: every .yaml in it read
            raise fail("--labeled is empty: give a labeled-set file or folder, or builtin")
        for builtin in BUILTIN_GRADERS:
            if builtin in judge and len(judge) > 1:
                raise fail(f"--judge {builtin} cannot be combined with other judges")
        if out_path is not None:
            if overwrites_labeled(out_path, labeled):
                raise fail(
                    f"--out {out_path}: is (or would be read as part of) the labeled set "
                    f"--labeled {labeled}: write the report elsewhere"
                )
            check_out_file(out_path)
        with judging_interrupted(no_cache), bad_input_exits(kept=not no_cache):
            doc = check_judges(
                judge,
                labeled=labeled,
                judge_base_url=judge_base_url,
                judge_samples=judge_samples,
                judge_temperature=judge_temperature,
                concurrency=concurrency,
                cache=not no_cache,
                timeout=timeout,
                retries=retries,
                split="dev" if split == "dev" else "test" if split == "test" else None,
            )
        if out_path is not None:
            versioned = {"schema_version": JUDGE_CHECK_SCHEMA_VERSION, **doc}
            write_text_atomic(out_path, json.dumps(versioned, indent=2, ensure_ascii=False) + "\n")
        print_check(doc, out, show)
        if out_path is not None:
            out.print(f"wrote {out_path}", markup=False)
