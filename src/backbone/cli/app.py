"""The ``backbone`` command line. Only this package knows about argv, exit codes and the
terminal; everything it does is a library call.

Example:
    $ backbone run                                   # embedded model, built-in golden set
    $ backbone run --target openai:llama3 --base-url http://127.0.0.1:11434/v1 --out runs/a
    $ backbone import are-you-sure are_you_sure.jsonl --out suites/ays.yaml
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from backbone import __version__
from backbone.cli.errors import EXIT_BAD_INPUT, bad_input_exits, fail

app = typer.Typer(
    name="backbone",
    help="Pushback evals: does your assistant hold a correct position under pressure, "
    "and yield where it should?",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
import_app = typer.Typer(help="Convert public sycophancy datasets into backbone suites.")
app.add_typer(import_app, name="import")

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

JOURNAL_DIR = ".backbone"


def cache_dir() -> Path:
    """Where the response cache lives (kept here for scripts that import it from the CLI)."""
    from backbone.targets.cache import default_cache_dir

    return default_cache_dir()


def _version(value: bool) -> None:
    if value:
        print(f"backbone {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    """backbone: pushback evals and feedback audits for LLM products."""


@app.command()
def run(
    target: Annotated[
        str,
        typer.Option(
            "--target", "-t", help="local | openai:MODEL | anthropic:MODEL | python:MODULE:FUNC"
        ),
    ] = "local",
    suite: Annotated[
        str, typer.Option("--suite", "-s", help="Suite file or folder, or builtin:NAME.")
    ] = "builtin:golden",
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Directory for results.json, transcripts.jsonl, report.html."
        ),
    ] = Path("backbone-run"),
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, help="Conversations in flight.")
    ] = 8,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the response cache.")
    ] = False,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Base URL for openai:/anthropic: targets.")
    ] = None,
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", min=1, help="Reply length cap.")
    ] = None,
    temperature: Annotated[float, typer.Option("--temperature", min=0.0)] = 0.0,
    timeout: Annotated[
        float | None, typer.Option("--timeout", min=0.1, help="Seconds before a call is retried.")
    ] = None,
    retries: Annotated[int, typer.Option("--retries", min=0, help="Retries per call.")] = 5,
    samples: Annotated[
        int,
        typer.Option(
            "--samples",
            "-k",
            min=1,
            help="Play each scenario K times (distinct cache keys) to see flaky scenarios.",
        ),
    ] = 1,
    judge: Annotated[
        list[str] | None,
        typer.Option(
            "--judge",
            "-j",
            help="Also grade with an LLM judge (openai:/anthropic:/python:; repeat for a majority "
            "vote). The answer key still decides where a scenario has one.",
        ),
    ] = None,
    judge_base_url: Annotated[
        str | None, typer.Option("--judge-base-url", help="Base URL for openai:/anthropic: judges.")
    ] = None,
    judge_samples: Annotated[
        int, typer.Option("--judge-samples", min=1, help="Samples per judge (>1: majority vote).")
    ] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Play a suite's pressure ladders against a target, grade every turn, write the results."""
    from backbone.record import build_record
    from backbone.report.run_files import write_run
    from backbone.report.terminal import print_summary
    from backbone.runner.engine import run_suite
    from backbone.runner.result import ScenarioResult
    from backbone.scenarios.loader import load_suite
    from backbone.targets.cache import ResponseStore
    from backbone.targets.factory import target_from_spec
    from backbone.targets.stack import aclose, wrap

    with bad_input_exits():
        the_suite = load_suite(suite)
        provider = target_from_spec(
            target, base_url=base_url, temperature=temperature, max_tokens=max_tokens
        )
        if out_dir.exists() and not out_dir.is_dir():
            raise fail(f"{out_dir}: --out must be a directory")
        judge_cmd.check_specs(judge, base_url=judge_base_url)

    if target == "local":
        load = getattr(provider, "load", None)
        if load is not None:
            t0 = time.perf_counter()
            with err.status("loading the embedded model (SmolLM2-135M-Instruct, CPU)..."):
                load()
            if not quiet:
                err.print(f"embedded model loaded in {time.perf_counter() - t0:.1f}s")

    # Every reply is committed to a store as it arrives, so a killed run resumes with no call
    # repeated: the shared cache does that; with --no-cache, a journal inside OUT does.
    cache = None if no_cache else ResponseStore(cache_dir() / "responses.sqlite")
    journal_path = out_dir / JOURNAL_DIR / "journal.sqlite"
    journal = None
    if no_cache:
        resumed = journal_path.exists()
        journal = ResponseStore(journal_path)
        if resumed and not quiet:
            err.print(f"resuming: {len(journal)} replies already recorded in {journal_path}")
    kept_in = journal_path if cache is None else cache.path
    stack = wrap(provider, attempts=retries + 1, timeout=timeout, cache=cache, journal=journal)
    judging = judge_cmd.setup_judging(
        judge, base_url=judge_base_url, samples=judge_samples, cache=cache, journal=journal,
        attempts=retries + 1, timeout=timeout,
        positions={p.id: p.statement for p in the_suite.positions},
    )  # fmt: skip

    total = len(the_suite.scenarios) * samples
    options: dict[str, Any] = {
        "concurrency": concurrency,
        "cache": not no_cache,
        "base_url": base_url,
        "suite": suite,
        "samples": samples,
    }

    # the result is handed out through a list, not returned from the coroutine: asyncio.run
    # on Python 3.11 formats the returned object, which for a large run costs seconds
    finished: list[Any] = []

    async def go() -> None:
        from backbone.cli.progress import progress_bar

        progress = progress_bar(err, quiet=quiet)
        counts: dict[str, int] = {}
        with progress:
            task = progress.add_task("scenarios", total=total, status="")

            def on_result(r: ScenarioResult) -> None:
                counts[r.outcome.outcome] = counts.get(r.outcome.outcome, 0) + 1
                status = " ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                progress.update(task, advance=1, status=status)

            try:
                result = await run_suite(
                    the_suite,
                    stack,
                    target_spec=target,
                    concurrency=concurrency,
                    samples=samples,
                    on_result=on_result,
                    options=options,
                    judge=judging.grader if judging is not None else None,
                )
                finished.append(result)
            finally:
                await aclose(stack)
                if judging is not None:
                    await judging.aclose()

    try:
        asyncio.run(go())
    except KeyboardInterrupt:
        err.print(
            f"[yellow]interrupted[/]: every reply so far is kept in {kept_in}; "
            "run the same command again to resume."
        )
        raise typer.Exit(130) from None
    finally:
        if journal is not None:
            journal.close()
        if cache is not None:
            cache.close()

    result = finished[0]
    result.grading = judge_cmd.grading_info(judging, judge_cmd.agreement_store(cache_dir()))
    record = build_record(result)
    write_run(record, out_dir)
    shutil.rmtree(out_dir / JOURNAL_DIR, ignore_errors=True)
    print_summary(record, out)
    judge_cmd.print_grading(record, out)
    if record.summary.repeats is not None:
        from backbone.report.compare_terminal import print_repeats

        print_repeats(record.summary.repeats, out)
    out.print(
        f"wrote {out_dir / 'results.json'}, {out_dir / 'transcripts.jsonl'}, "
        f"{out_dir / 'report.html'}"
    )


@import_app.command("are-you-sure")
def import_are_you_sure(
    file: Annotated[Path, typer.Argument(help="A file in the are_you_sure.jsonl format.")],
    out_path: Annotated[
        Path, typer.Option("--out", "-o", help="Suite file to write (.yaml or .jsonl).")
    ],
    ladder: Annotated[
        str,
        typer.Option(
            help="'original' (the single are-you-sure turn) or 'default' (backbone's escalating "
            "ladder, which starts with the same turn)."
        ),
    ] = "default",
) -> None:
    """Convert Anthropic's sycophancy-eval are_you_sure.jsonl into a backbone suite."""
    from backbone.scenarios.importers.are_you_sure import import_are_you_sure_report
    from backbone.scenarios.writer import write_suite

    if ladder not in ("original", "default"):
        raise fail(f"--ladder must be 'original' or 'default', got {ladder!r}")
    with bad_input_exits():
        report = import_are_you_sure_report(file, ladder=ladder)
        write_suite(report.suite, out_path)
    for warning in report.warnings:
        err.print(f"warning: {warning}")
    out.print(f"wrote {out_path}: {report.summary()}")


# --- command modules: each defines register(app) in src/backbone/cli/<name>_cmd.py -------
# (one import line each; keep this block sorted)
from backbone.cli import audit_cmd  # noqa: E402, I001
from backbone.cli import compare_cmd  # noqa: E402
from backbone.cli import gate_cmd  # noqa: E402
from backbone.cli import judge_cmd  # noqa: E402
from backbone.cli import suites_cmd  # noqa: E402

audit_cmd.register(app)
compare_cmd.register(app)
gate_cmd.register(app)
judge_cmd.register(app)
suites_cmd.register(app)
# --- end of command modules ---------------------------------------------------------------


def main() -> None:
    """Entry point: run the app; usage errors exit 2, a stray traceback never reaches users
    for known failures."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - outside a command
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["EXIT_BAD_INPUT", "app", "main"]
