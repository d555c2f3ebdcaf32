"""``backbone ab``: two arms of logged traffic, preference against accuracy.

Example:
    $ backbone synth ab --out ab.jsonl --preference 0.70,0.74 --accuracy 0.80,0.78
    $ backbone ab ab.jsonl --arm-column arm \\
        --judge python:backbone.audit.synthetic.ab_traffic:planted_truth --out ab/
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from backbone.audit.ab_verdict import ALPHA
from backbone.cli.audit_cmd import JudgeOpt, MapOpt
from backbone.cli.console import console
from backbone.cli.errors import (
    bad_input_exits,
    fail,
    held_out_dir,
    judging_interrupted,
    refuse_out_among_inputs,
)
from backbone.cli.judge_options import ConcurrencyOpt, NoJudgeCacheOpt, RetriesOpt, TimeoutOpt
from backbone.cli.progress import progress_bar
from backbone.core.formatting import pct, pp, pval_at
from backbone.report.escape import terminal

err = console(stderr=True)
out = console()

AB_JSON = "ab.json"
REPORT = "report.html"
FAIL_ON: dict[str, tuple[str, ...]] = {
    "never": (),
    "harm": ("sycophancy_gradient", "loss"),
    "not-win": ("sycophancy_gradient", "loss", "inconclusive"),
}
COLORS = {"win": "green", "sycophancy_gradient": "red", "loss": "red", "inconclusive": "yellow"}


def _rate(r: dict[str, Any]) -> str:
    return f"{pct(r['value'])} ({pct(r['ci'][0])}–{pct(r['ci'][1])}, n={r['n']})"


def _delta(d: dict[str, Any]) -> str:
    return f"{pp(d['value'])} (95% CI {pp(d['ci'][0])} to {pp(d['ci'][1])}, n={d['n']})"


def print_ab(doc: dict[str, Any], console: Console) -> None:
    """The A/B figures for the terminal: per-arm table, the two deltas, the verdict."""
    from rich.table import Table

    table = Table(title="arms (95% intervals)")
    for name in ("arm", "events", "thumbs-up rate", "judged", "correct share", "unscored"):
        table.add_column(name, justify="left" if "rate" in name or name == "arm" else "right")
    table.columns[4].justify = "left"
    for role in ("a", "b"):
        arm = doc["per_arm"][role]
        table.add_row(
            f"{role.upper()}: {terminal(arm['name'])}",
            str(arm["events"]),
            _rate(arm["thumbs_up_rate"]),
            str(arm["judged"]) + (" (whole)" if arm["judged_whole"] else ""),
            _rate(arm["accuracy"]),
            str(arm["unscored"]),
        )
    console.print(table)
    console.print(
        f"preference delta (B − A): {_delta(doc['preference_delta'])}, "
        f"p={pval_at(doc['p_values']['preference'], ALPHA)}"
    )
    console.print(
        f"accuracy delta (B − A):   {_delta(doc['accuracy_delta'])}, "
        f"p={pval_at(doc['p_values']['accuracy'], ALPHA)}"
    )
    ni = doc["non_inferiority"]
    console.print(
        f"accuracy within {100 * doc['margin']:.1f} points of A: "
        f"{'yes' if ni['shown'] else 'not shown'} (lower bound {pp(ni['lower_bound'])}, "
        f"one-sided p={pval_at(ni['p_value'], ni['alpha'])}, shown below {ni['alpha']:g})"
    )
    if doc["counts"]["unscored"]:
        reasons = "; ".join(f"{terminal(r)} ({n})" for r, n in doc["unscored_reasons"].items())
        console.print(f"[magenta]{doc['counts']['unscored']} unscored[/] (not counted): {reasons}")
    verdict = doc["verdict"]
    reason = terminal(doc["verdict_reason"])  # names the arms, as the log spells them
    console.print(f"verdict: [bold {COLORS[verdict]}]{verdict}[/] — {reason}")
    if verdict == "inconclusive":
        need = doc["required_n"]
        console.print(
            f"events per arm that would decide it: {need:,} "
            f"({pct(doc['required_n_basis']['power'])} power, same share judged)"
            if need is not None
            else "no number of events decides it at the observed effects"
            if doc["required_n_basis"]["accuracy_measured"]
            else "no size can be projected: an arm has no judged event that could be scored"
        )


def ab(
    file: Annotated[
        Path,
        typer.Argument(help="Feedback log: .jsonl, .csv, .parquet or a folder of .parquet files."),
    ],
    arm_column: Annotated[
        str, typer.Option("--arm-column", help="The column naming each event's arm (two arms).")
    ],
    judge: JudgeOpt,
    baseline: Annotated[
        str | None,
        typer.Option("--baseline", help="The arm that is A (default: the first in sort order)."),
    ] = None,
    sample: Annotated[
        int,
        typer.Option(
            "--sample",
            "-n",
            min=1,
            help="Events judged per arm × rating stratum (thumbs-down, thumbs-up, unrated).",
        ),
    ] = 500,
    margin: Annotated[
        float,
        typer.Option("--margin", help="Non-inferiority margin for accuracy (0.01 = one point)."),
    ] = 0.01,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for ab.json and report.html.")
    ] = Path("backbone-ab"),
    column_map: MapOpt = None,
    seed: Annotated[int, typer.Option(help="Seed of the stratified draw.")] = 0,
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl | csv | parquet (default: extension).")
    ] = None,
    rating_scale: Annotated[
        str, typer.Option(help="auto | updown | signed | binary | stars (see --threshold).")
    ] = "auto",
    threshold: Annotated[
        float, typer.Option(help="Stars: a score at or above this is thumbs-up.")
    ] = 4.0,
    concurrency: ConcurrencyOpt = 8,
    no_cache: NoJudgeCacheOpt = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            "--judge-base-url",
            help="Base URL for openai:/anthropic: judges (--judge-base-url, as in run).",
        ),
    ] = None,
    max_tokens: Annotated[int | None, typer.Option("--max-tokens", min=1)] = None,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = 5,
    memory_limit: Annotated[
        str | None, typer.Option(help="DuckDB memory limit, e.g. 2GB (spills to disk beyond).")
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            help="Exit 1 on: never | harm (sycophancy_gradient or loss) | not-win (anything "
            "but win)."
        ),
    ] = "never",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Two arms of logged traffic: the thumbs-up delta and the judged-accuracy delta (B − A)
    with their intervals, and a verdict (win, sycophancy_gradient, loss, inconclusive)."""
    from backbone.core.atomic import write_files_atomic
    from backbone.evaluation.ab import run_ab
    from backbone.report.ab_html import render_ab_html
    from backbone.report.ab_json import ab_document, render_ab_json

    if not 0.0 <= margin < 1.0:
        raise fail(f"--margin must be in [0, 1), got {margin}")
    if fail_on not in FAIL_ON:
        raise fail(f"--fail-on must be {', '.join(FAIL_ON)}, got {fail_on!r}")
    refuse_out_among_inputs(out_dir, (REPORT, AB_JSON), file)
    with held_out_dir(out_dir, f"ab {file}", REPORT, AB_JSON):
        from backbone.audit.feedback_log import parse_column_map

        with bad_input_exits():
            cmap = parse_column_map(column_map or [])
        progress = progress_bar(err, quiet=quiet)
        tally = {"correct": 0, "incorrect": 0, "unscored": 0}
        with progress:
            task = progress.add_task("judging", total=None, status="")

            def on_result(j: Any) -> None:
                key = "unscored" if j.correct is None else ("correct" if j.correct else "incorrect")
                tally[key] += 1
                progress.update(
                    task, advance=1, status=" ".join(f"{k} {v}" for k, v in tally.items())
                )

            with judging_interrupted(no_cache), bad_input_exits(kept=not no_cache):
                result = run_ab(
                    file,
                    arm_column=arm_column,
                    judge=judge[0],
                    baseline=baseline,
                    per_stratum=sample,
                    margin=margin,
                    seed=seed,
                    concurrency=concurrency,
                    cache=not no_cache,
                    column_map=cmap,
                    fmt=fmt,
                    rating_scale=rating_scale,
                    threshold=threshold,
                    base_url=base_url,
                    max_tokens=max_tokens,
                    timeout=timeout,
                    retries=retries,
                    memory_limit=memory_limit,
                    on_result=on_result,
                    on_sampled=lambda n: progress.update(task, total=n),
                )
        doc = ab_document(result)
        with bad_input_exits():
            write_files_atomic(
                {out_dir / REPORT: render_ab_html(doc), out_dir / AB_JSON: render_ab_json(doc)}
            )
        print_ab(doc, out)
        out.print(f"wrote {out_dir / AB_JSON}, {out_dir / REPORT}", markup=False)
        if doc["verdict"] in FAIL_ON[fail_on]:
            raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``backbone ab`` to the app."""
    app.command("ab")(ab)
