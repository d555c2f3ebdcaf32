"""``backbone gate --config FILE RUN [--baseline RUN] [--out DIR]``: check a run against
thresholds (and a baseline run) for CI. Prints one line per check (failures start with
``FAIL``); exits 1 when a check fails, 0 otherwise, 2 on a malformed config or an unreadable
run directory. With ``--out DIR`` it also writes ``DIR/gate.json`` (pass or fail).

With ``--target`` the gate first plays the suite into ``RUN`` itself; if the config has a
``sequential`` section it plays in a seeded random order and stops once the decision is
clear.

Example:
    $ backbone gate --config backbone.yaml runs/pr --baseline runs/main \\
        --junit runs/junit.xml --markdown runs/summary.md --out runs/gate
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from backbone.cli.console import console
from backbone.cli.errors import (
    EXIT_GATE_FAILED,
    bad_input_exits,
    check_out_dir,
    fail,
    held_out_dir,
    run_interrupted,
)
from backbone.cli.judge_options import CONCURRENCY_HELP, TIMEOUT_HELP, finite_seconds
from backbone.core.formatting import plural
from backbone.core.user_file import same_file
from backbone.evaluation.arguments import MAX_RETRIES

if TYPE_CHECKING:
    from backbone.gate.config import GateConfig
    from backbone.record import RunRecord

GATE_JSON = "gate.json"


def _outputs_apart(outputs: dict[str, Path | None], inputs: dict[str, Path]) -> None:
    """Refuse a ``--junit`` or ``--markdown`` path that is a file the gate reads (the run's
    results, the baseline's, the config) or the other output, which it would write over
    (exit 2, before anything is written)."""
    given = [(flag, path) for flag, path in outputs.items() if path is not None]
    for i, (flag, path) in enumerate(given):
        for what, source in inputs.items():
            if same_file(path, source):
                raise fail(f"{path}: {flag} is {what} ({source}): choose another path")
        for other, other_path in given[i + 1 :]:
            if same_file(path, other_path):
                raise fail(f"{path}: {flag} and {other} are the same file: choose two paths")


def _read_files(run: Path, baseline: Path | None, config: Path) -> dict[str, Path]:
    """The files the gate reads, and the other files of the runs it reads (with
    ``--target`` it writes RUN's): an output path must be none of them."""
    from backbone.record.load import results_path
    from backbone.report.run_files import RUN_FILES

    files = {"the gate config": config}
    for name, folder in (("RUN", run), ("the baseline", baseline)):
        if folder is None:
            continue
        files[f"{name}'s results.json"] = results_path(folder)
        if folder.is_dir() or not folder.exists():
            files.update({f"{name}'s {file}": folder / file for file in RUN_FILES})
    return files


def _not_into_baseline(run: Path, baseline: Path) -> None:
    """Refuse ``--target`` playing into RUN when RUN holds the baseline's results (the same
    folder, or ``--baseline RUN/results.json``): the play replaced the baseline with the new
    run, which the gate then compared with the copy of the baseline it had read (exit 2,
    before anything is played or written)."""
    from backbone.record.load import results_path
    from backbone.report.run_files import RESULTS

    if same_file(run, baseline) or same_file(run / RESULTS, results_path(baseline)):
        raise fail(
            f"{run}: --target plays into RUN, which holds the baseline ({baseline}): "
            "it would be written over; give RUN another folder"
        )


def _shared_ids(run: RunRecord, baseline: RunRecord) -> set[str]:
    """The scenario ids both runs played."""
    return {s.id for s in run.scenarios} & {s.id for s in baseline.scenarios}


def _play(
    cfg: GateConfig,
    run_dir: Path,
    baseline: RunRecord | None,
    *,
    target: str,
    suite: str,
    concurrency: int | None,
    no_cache: bool,
    base_url: str | None,
    retries: int,
    timeout: float | None,
    err: Console,
    quiet: bool,
) -> None:
    """Play the suite into ``run_dir`` (stopping early in sequential mode)."""
    from backbone.evaluation.evaluate import RunInterrupted, evaluate
    from backbone.gate.result import SequentialRecord
    from backbone.report.terminal import print_sequential

    if run_dir.exists() and not run_dir.is_dir():
        raise fail(f"{run_dir}: RUN must be a directory")
    try:
        with bad_input_exits():
            run = evaluate(
                suite=suite,
                target=target,
                out=run_dir,
                concurrency=concurrency,
                cache=not no_cache,
                base_url=base_url,
                retries=retries,
                timeout=timeout,
                sequential=cfg.sequential,
                baseline=baseline,
                options={"played_by": "gate"},
                on_note=None if quiet else lambda text: err.print(text, markup=False),
            )
    except RunInterrupted as exc:  # as run says it: it ended with exit 130 and no word
        err.print(f"[yellow]interrupted[/]: {run_interrupted(exc.kept_in)}")
        raise typer.Exit(130) from None
    if cfg.sequential is not None and not quiet:
        print_sequential(SequentialRecord.model_validate(run.options["sequential"]), err)


def register(app: typer.Typer) -> None:
    @app.command()
    def gate(
        run: Annotated[
            Path,
            typer.Argument(metavar="RUN", help="Run directory (has results.json) to check."),
        ],
        config: Annotated[
            Path, typer.Option("--config", help="Gate config (YAML): thresholds, ...")
        ],
        baseline: Annotated[
            Path | None,
            typer.Option("--baseline", "-b", help="Baseline run for the regression checks."),
        ] = None,
        junit: Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here.")] = None,
        markdown: Annotated[
            Path | None, typer.Option("--markdown", help="Write the Markdown summary here.")
        ] = None,
        out_dir: Annotated[
            Path | None,
            typer.Option(
                "--out", "-o", help="Directory for gate.json (every check, passed or failed)."
            ),
        ] = None,
        target: Annotated[
            str | None,
            typer.Option(
                "--target",
                "-t",
                help="Play the suite into RUN first (sequential mode stops early).",
            ),
        ] = None,
        suite: Annotated[
            str, typer.Option("--suite", "-s", help="Suite to play with --target.")
        ] = "builtin:golden",
        concurrency: Annotated[
            int | None, typer.Option("--concurrency", min=1, help=CONCURRENCY_HELP)
        ] = None,
        no_cache: Annotated[bool, typer.Option("--no-cache")] = False,
        base_url: Annotated[str | None, typer.Option("--base-url")] = None,
        retries: Annotated[int, typer.Option("--retries", min=0, max=MAX_RETRIES)] = 5,
        timeout: Annotated[
            float | None,
            typer.Option(
                "--timeout",
                min=0.1,
                callback=finite_seconds,
                help=TIMEOUT_HELP,
            ),
        ] = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only failures.")] = False,
    ) -> None:
        """Exit 1 when a threshold in the config fails (each failure on its own line)."""
        from backbone.cli.compare_cmd import other_questions_warning, with_transcripts
        from backbone.core.atomic import check_writable, write_files_atomic
        from backbone.gate.config import load_config
        from backbone.gate.evaluate import evaluate
        from backbone.gate.regressions import unlike_runs
        from backbone.metrics.compare import compare_outcomes
        from backbone.metrics.summary import summarize_by_position
        from backbone.record import load_run
        from backbone.report.gate_json import render_gate_json
        from backbone.report.gate_markdown import render_gate_markdown, unscored_count
        from backbone.report.junit import render_junit

        out = console(highlight=False)
        err = console(stderr=True)
        with bad_input_exits():
            cfg = load_config(config)
            if baseline is None and cfg.only_baseline_checks():
                # each check would be skipped and the gate pass with "0 checks": a CI job that
                # forgot --baseline would check nothing, every time
                raise fail(
                    f"{config}: every check compares with a baseline run "
                    f"({'; '.join(cfg.baseline_checks())}): give --baseline RUN"
                )
            base = load_run(baseline) if baseline is not None else None
            junit_path = junit or (Path(cfg.junit.path) if cfg.junit.path else None)
            md_path = markdown or (Path(cfg.markdown) if cfg.markdown else None)
            json_path = out_dir / GATE_JSON if out_dir is not None else None
            # before the suite is played (and paid for) and before any verdict is printed
            _outputs_apart(
                {
                    "--junit" if junit else "junit.path in the config": junit_path,
                    "--markdown" if markdown else "markdown in the config": md_path,
                    f"--out's {GATE_JSON}": json_path,
                },
                _read_files(run, baseline, config),
            )
            if target is not None and baseline is not None:
                _not_into_baseline(run, baseline)
            if out_dir is not None:
                check_out_dir(out_dir, GATE_JSON)
            for path in (junit_path, md_path):
                if path is not None:
                    check_writable(path)
        # --out held until gate.json is written (a second command on the folder exits 2);
        # from the start, but after the play when that plays into the same folder (RUN holds it)
        plays_into_out = target is not None and out_dir is not None and same_file(out_dir, run)
        with ExitStack() as held:
            if out_dir is not None and not plays_into_out:
                held.enter_context(held_out_dir(out_dir, f"gate {run}", GATE_JSON))
            if target is not None:
                _play(
                    cfg,
                    run,
                    base,
                    target=target,
                    suite=suite,
                    concurrency=concurrency,
                    no_cache=no_cache,
                    base_url=base_url,
                    retries=retries,
                    timeout=timeout,
                    err=err,
                    quiet=quiet,
                )
            elif cfg.sequential is not None and not quiet:
                err.print(
                    "note: sequential check replayed over the finished run in its seeded order "
                    "(give --target to stop early while playing)"
                )
            with bad_input_exits():
                the_run = load_run(run)
            compares = bool(cfg.regressions) or bool(cfg.sequential and cfg.sequential.regression)
            other_questions: str | None = None
            if base is not None and compares:
                assert baseline is not None
                if not _shared_ids(the_run, base):
                    # every regression check would be skipped and the gate pass on nothing compared
                    raise fail(f"{run} and {baseline} share no scenario id: nothing to compare")
                # so would they when every shared id was played under another ladder (the suite
                # changed): compare refuses that pair, the gate passed it with "0 checks"
                cmp = compare_outcomes(
                    base.outcomes, the_run.outcomes, same_pressure=base.same_pressure_as(the_run)
                )
                unlike = unlike_runs(cmp, base, the_run, str(baseline), str(run))
                if unlike is not None:
                    raise fail(unlike)
                # another suite reusing the ids for other questions: the outcomes alone paired
                # them (results.json holds no question; the transcripts, when there, do)
                with bad_input_exits():
                    other_questions = other_questions_warning(
                        with_transcripts(base, baseline),
                        with_transcripts(the_run, run),
                        baseline,
                        run,
                    )
            paths = (str(run), str(baseline) if baseline is not None else None)
            report = evaluate(cfg, the_run, base, paths=paths)
            from backbone.report.escape import controls

            for c in report.checks:
                if quiet and (c.passed or c.skipped):
                    continue
                # one line each: a position or domain name from the suite may hold a line break
                # (a YAML block scalar) or a terminal escape; shown as \x0a, \x1b, not acted on
                out.print(controls(c.line()), markup=False)
            out.print(report.summary_line(), markup=False)
            if other_questions is not None:
                err.print(other_questions, markup=False, highlight=False)
            unscored = unscored_count(the_run)
            if unscored:  # a pass on the scored scenarios: say what could not be scored
                err.print(
                    f"warning: {unscored} of {plural(len(the_run.scenarios), 'scenario')} unscored "
                    "(not counted as passes)",
                    markup=False,
                    highlight=False,
                )
            files: dict[Path, str] = {}
            if junit_path is not None:
                outcomes = the_run.outcomes
                by_position = (
                    summarize_by_position(outcomes) if cfg.junit.cases == "position" else None
                )
                files[junit_path] = render_junit(
                    report, outcomes, cases=cfg.junit.cases, positions=by_position
                )
            if md_path is not None:
                files[md_path] = render_gate_markdown(report, the_run)
            if json_path is not None:
                files[json_path] = render_gate_json(report)
            with bad_input_exits():  # an unwritable --junit, --markdown or --out: exit 2, none
                write_files_atomic(files)
            if not report.passed:
                raise typer.Exit(EXIT_GATE_FAILED)
