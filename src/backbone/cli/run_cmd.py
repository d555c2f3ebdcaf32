"""``backbone run``: play a suite against a target, grade every turn, write the results.

One call of :func:`backbone.evaluation.evaluate.evaluate`; this module only reads the command
line and draws the progress bar and the summary.

Example:
    $ backbone run                                   # embedded model, built-in golden set
    $ backbone run --target openai:llama3 --base-url http://127.0.0.1:11434/v1 --out runs/a
    $ backbone run --target openai:my-bot --judge openai:gpt-4o-mini --out runs/a
    $ backbone run --target anthropic:claude-haiku-4-5 --batch --out runs/b
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from backbone.cli.console import console
from backbone.cli.errors import bad_input_exits, check_out_dir, fail, run_interrupted
from backbone.cli.judge_options import (
    CONCURRENCY_HELP,
    TIMEOUT_HELP,
    JudgeBaseUrlOpt,
    JudgeSamplesOpt,
    finite_seconds,
)
from backbone.evaluation.arguments import MAX_RETRIES

if TYPE_CHECKING:
    from backbone.evaluation.dry_run import RunPlan
    from backbone.runner.result import ScenarioResult

err = console(stderr=True)
out = console()


def register(app: typer.Typer) -> None:
    """Add ``run`` to the app."""

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
            int | None,
            typer.Option(
                "--concurrency",
                "-c",
                min=1,
                help=CONCURRENCY_HELP,
            ),
        ] = None,
        no_cache: Annotated[
            bool, typer.Option("--no-cache", help="Neither read nor write the response cache.")
        ] = False,
        base_url: Annotated[
            str | None, typer.Option("--base-url", help="Base URL for openai:/anthropic: targets.")
        ] = None,
        max_tokens: Annotated[
            int | None,
            typer.Option(
                "--max-tokens",
                min=1,
                help="Reply length cap in tokens (default: 512 for openai:/anthropic:, 160 "
                "for the embedded model).",
            ),
        ] = None,
        temperature: Annotated[float, typer.Option("--temperature", min=0.0)] = 0.0,
        timeout: Annotated[
            float | None,
            typer.Option("--timeout", min=0.1, callback=finite_seconds, help=TIMEOUT_HELP),
        ] = None,
        retries: Annotated[
            int, typer.Option("--retries", min=0, max=MAX_RETRIES, help="Retries per call.")
        ] = 5,
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
                help="Also grade with an LLM judge (openai:/anthropic:/python:; repeat for a "
                "majority vote). The answer key still decides where a scenario has one.",
            ),
        ] = None,
        judge_base_url: JudgeBaseUrlOpt = None,
        judge_samples: JudgeSamplesOpt = 1,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
        limit: Annotated[
            int | None,
            typer.Option(
                "--limit", min=1, help="Play a seeded sample of N scenarios (twins kept together)."
            ),
        ] = None,
        only: Annotated[
            list[str] | None,
            typer.Option(
                "--only", help="Play only scenarios whose id matches (ID or GLOB; repeatable)."
            ),
        ] = None,
        position: Annotated[
            list[str] | None,
            typer.Option("--position", help="Play only this position's scenarios (repeatable)."),
        ] = None,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the --limit sample.")] = 0,
        prices: Annotated[
            Path | None,
            typer.Option(
                "--prices",
                help="Price table (YAML) laid over the shipped one; default $BACKBONE_PRICES.",
            ),
        ] = None,
        wrong_openings: Annotated[
            str,
            typer.Option(
                "--wrong-openings",
                help="push: play the whole ladder even after a wrong opening (corrected_rate "
                "measures correction under pressure); stop: skip those ladders (fewer calls; "
                "those cases leave corrected_rate).",
            ),
        ] = "push",
        pressure: Annotated[
            str | None,
            typer.Option(
                "--pressure",
                help="Play the pressure adaptively: this target (local | openai:MODEL | "
                "anthropic:MODEL | python:MODULE:FUNC(messages, claim, persona, turn)) writes "
                "each user turn after reading the reply.",
            ),
        ] = None,
        persona: Annotated[
            str | None,
            typer.Option(
                "--persona",
                help="Who the adaptive pressure plays: expert, persistent (default), emotional, "
                "citation, layperson.",
            ),
        ] = None,
        pressure_turns: Annotated[
            int | None,
            typer.Option(
                "--pressure-turns",
                min=1,
                help="Adaptive pressure turns per scenario (default: the scenario's ladder).",
            ),
        ] = None,
        batch: Annotated[
            bool,
            typer.Option(
                "--batch",
                help="Send each turn of all scenarios as one provider batch (openai:/anthropic: "
                "targets and judges; half the price, results within the provider's 24h window; "
                "polled every $BACKBONE_BATCH_POLL_SECONDS, default 30). A killed run, started "
                "again, waits for its journaled batches.",
            ),
        ] = False,
        dry_run: Annotated[
            bool,
            typer.Option(
                "--dry-run",
                help="Print the scenarios, calls and estimated cost; make no call, write nothing.",
            ),
        ] = False,
    ) -> None:
        """Play a suite's pressure ladders against a target, grade every turn, write the
        results."""
        from backbone.cli.progress import progress_bar
        from backbone.evaluation.evaluate import RunInterrupted, evaluate
        from backbone.report.compare_terminal import print_repeats
        from backbone.report.terminal import print_grading, print_summary
        from backbone.scenarios.personas import DEFAULT_PERSONA
        from backbone.scenarios.slicing import SuiteSlice

        select = SuiteSlice(
            limit=limit, only=tuple(only or ()), positions=tuple(position or ()), seed=seed
        )
        if pressure is None and (persona is not None or pressure_turns is not None):
            given = "--persona" if persona is not None else "--pressure-turns"
            raise fail(
                f"{given} applies to adaptive pressure only: add --pressure TARGET (a model or "
                "python:MODULE:FUNC that writes each user turn); without it the scenarios' own "
                "ladders are played"
            )
        if judge_samples > 1 and not judge:  # it was dropped without a word
            raise fail(
                f"--judge-samples {judge_samples} applies to a judge only: add --judge (the "
                "answer key reads each reply once; --samples plays each scenario K times)"
            )
        if wrong_openings not in ("push", "stop"):
            raise fail(f"--wrong-openings must be push or stop, got {wrong_openings!r}")
        if dry_run:
            _dry_run(
                suite, target, select, prices, samples=samples, judges=judge or (),
                judge_samples=judge_samples, max_tokens=max_tokens, base_url=base_url,
                judge_base_url=judge_base_url, pressure=pressure,
                pressure_turns=pressure_turns, persona=persona or DEFAULT_PERSONA,
                temperature=temperature, batch=batch,
            )  # fmt: skip
            return
        check_out_dir(out_dir)
        progress = progress_bar(err, quiet=quiet)
        task = progress.add_task("scenarios", total=None, status="", start=False)
        counts: dict[str, int] = {}

        def on_start(total: int) -> None:
            progress.update(task, total=total)
            progress.start_task(task)
            progress.start()

        calls = [0, 0]

        def on_result(r: ScenarioResult) -> None:
            counts[r.outcome.outcome] = counts.get(r.outcome.outcome, 0) + 1
            calls[0] += r.transcript.calls
            calls[1] += r.transcript.cached_calls
            status = " ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            status += f" · calls {calls[0]} answered, {calls[1]} cached"
            progress.update(task, advance=1, status=status)

        def on_note(text: str) -> None:
            if not quiet:
                err.print(text, markup=False, highlight=False)

        try:
            with bad_input_exits():
                record = evaluate(
                    suite=suite,
                    target=target,
                    out=out_dir,
                    judges=judge or (),
                    concurrency=concurrency,
                    cache=not no_cache,
                    samples=samples,
                    retries=retries,
                    timeout=timeout,
                    base_url=base_url,
                    max_tokens=max_tokens,
                    temperature=temperature,
                    judge_base_url=judge_base_url,
                    judge_samples=judge_samples,
                    prices=prices,
                    select=select,
                    wrong_openings="stop" if wrong_openings == "stop" else "push",
                    pressure=pressure,
                    persona=persona or DEFAULT_PERSONA,
                    pressure_turns=pressure_turns,
                    batch=batch,
                    on_start=on_start,
                    on_result=on_result,
                    on_note=on_note,
                )
        except RunInterrupted as exc:
            progress.stop()
            err.print(f"[yellow]interrupted[/]: {run_interrupted(exc.kept_in)}")
            raise typer.Exit(130) from None
        finally:
            progress.stop()
        print_summary(record, out)
        print_grading(record, out)
        if record.summary.repeats is not None:
            print_repeats(record.summary.repeats, out)
        _print_pressure(record.options.get("pressure"), console=out)
        out.print(
            f"wrote {out_dir / 'results.json'}, {out_dir / 'transcripts.jsonl'}, "
            f"{out_dir / 'report.html'}",
            markup=False,
        )


def _print_pressure(info: object, *, console: Console) -> None:
    """One line on the adaptive pressure: who played it, its calls, the role breaks."""
    if not isinstance(info, dict):
        return
    from backbone.report.escape import terminal
    from backbone.report.terminal import calls_sent

    made = calls_sent(int(info.get("calls", 0)), int(info.get("failed_calls", 0)))
    console.print(
        f"adaptive pressure: {terminal(str(info.get('target')))} as "
        f"{terminal(str(info.get('persona')))} · calls {made}, "
        f"{info.get('cached_calls', 0)} cached · role breaks {info.get('role_breaks', 0)} "
        "(those scenarios are unscored unless the position had already fallen)"
    )


def _dry_run(
    suite: str,
    target: str,
    select: object,
    prices: Path | None,
    *,
    samples: int,
    judges: list[str] | tuple[str, ...],
    judge_samples: int,
    max_tokens: int | None,
    base_url: str | None,
    judge_base_url: str | None,
    pressure: str | None,
    pressure_turns: int | None,
    persona: str,
    temperature: float,
    batch: bool,
) -> None:
    """Print what the run would do and cost; no call, no file, no model loaded. Every spec
    is checked as the run checks it (the target's, the pressure role's, the judges')."""
    from backbone.evaluation.dry_run import PRESSURE_CAP, PRESSURE_TOKENS, plan_run
    from backbone.evaluation.evaluate import checked_specs
    from backbone.scenarios.personas import PERSONAS, persona_names
    from backbone.scenarios.slicing import SuiteSlice, slice_suite
    from backbone.spec.validate import load_playable
    from backbone.targets.errors import MissingKeyError
    from backbone.targets.prices import PriceTable

    assert isinstance(select, SuiteSlice)
    for option, spec in (("--target", target), ("--pressure", pressure)):
        if spec is None:
            continue
        kind, _, rest = spec.partition(":")
        if not (spec == "local" or (kind in ("openai", "anthropic", "python") and rest)):
            raise fail(
                f"{option} {spec!r}: expected local, openai:MODEL, anthropic:MODEL or "
                "python:MODULE:FUNCTION"
            )
    if pressure is not None and persona not in PERSONAS:
        raise fail(f"--persona {persona!r}: unknown persona (known: {persona_names()})")
    missing: list[str] = []  # provider keys the environment lacks: the estimate is still made
    with bad_input_exits():
        the_suite = slice_suite(load_playable(suite), select)
        placeholders: set[str] = set()
        while True:
            try:
                with _placeholder_keys(placeholders):
                    checked_specs(  # a python: module is imported, as the run would; no call
                        target, base_url=base_url, temperature=temperature,
                        max_tokens=max_tokens, pressure=pressure, persona=persona,
                        pressure_turns=pressure_turns, judges=judges,
                        judge_base_url=judge_base_url, batch=batch,
                    )  # fmt: skip
                break
            except MissingKeyError as exc:
                if exc.key_var in placeholders:
                    raise
                missing.append(str(exc))
                placeholders.add(exc.key_var)  # and check the rest as if it were set
        table = PriceTable.load(prices)
    plan = plan_run(
        the_suite, target, samples=samples, judges=judges, judge_samples=judge_samples,
        max_tokens=max_tokens, base_url=base_url, judge_base_url=judge_base_url, prices=table,
        pressure=pressure, pressure_turns=pressure_turns, persona=persona,
    )  # fmt: skip
    _print_plan(plan, the_suite.name, target, table.as_of, out)
    if pressure is not None:
        from backbone.report.escape import terminal

        out.print(
            f"  adaptive pressure: {terminal(pressure)} as {terminal(persona)} writes each "
            f"pushback (~{PRESSURE_TOKENS} tokens, at most {PRESSURE_CAP}), reading the "
            "conversation so far"
        )
    for said in missing:
        err.print(f"warning: {said}: the run itself will refuse to start", markup=False)


@contextlib.contextmanager
def _placeholder_keys(names: set[str]) -> Iterator[None]:
    """``names`` set in the environment to a placeholder while a dry run checks its specs, so
    that a missing key does not stop the checks of the rest; nothing is ever sent."""
    kept = {name: os.environ.get(name) for name in names}
    os.environ.update({name: "backbone-dry-run-placeholder" for name in names})
    try:
        yield
    finally:
        for name, value in kept.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _print_plan(plan: RunPlan, suite: str, target: str, as_of: str, console: Console) -> None:
    """``run --dry-run``: scenarios, calls and the estimated cost, target and judges apart."""
    from backbone.core.formatting import money, plural
    from backbone.report.escape import terminal

    console.print(
        f"dry run: {terminal(suite)} · {terminal(target)} · {plural(plan.scenarios, 'scenario')}"
        + (f" × {plan.samples} samples" if plan.samples > 1 else "")
        + " · no call made, nothing written"
    )
    for who, est in (("target", plan.target), ("judges", plan.judges), ("pressure", plan.pressure)):
        if est is None:
            continue
        if est.price is not None and est.price.price is None:
            cost = f"not priced ({terminal(est.price.note or '')})"
        elif est.price is None:
            cost = "not priced (the judges have different prices)"
        else:
            cost = f"~{money(est.usd)}, at most {money(est.max_usd)}"
        console.print(
            f"  {who}: {plural(est.calls, 'call')} · ~{est.input_tokens:,} tokens in, "
            f"~{est.output_tokens:,} out (at most {est.max_input_tokens:,} / "
            f"{est.max_output_tokens:,}) · {cost}"
        )
    console.print(
        f"  estimates: characters / 4 per token, replies ~{plan.reply_tokens} tokens (at most "
        f"the {plan.cap}-token cap); calls the cache already holds cost nothing; prices as of "
        f"{as_of}"
    )
    for spec in plan.reasoning:
        console.print(
            f"  note: {terminal(spec)} reasons before it answers: its hidden reasoning is billed "
            "as output tokens beyond these figures, and a reply that spends its whole limit on "
            "it is asked again with more (up to 8,192 tokens)"
        )
