"""``backbone synth``: seeded synthetic data to try the analyses on.

Example:
    $ backbone synth ab --out ab.jsonl --n-per-arm 5000 --preference 0.70,0.74 --accuracy 0.80,0.78
    $ backbone synth tells --out demo/ --on satisfaction_vs_task,ticket_shift --periods 26
    $ backbone tells demo/feedback.jsonl --task-metrics demo/task_metrics.csv \\
        --tickets demo/tickets.csv --evals demo/evals.csv --out demo/tells
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backbone.cli.console import console
from backbone.cli.errors import bad_input_exits, check_out_dir, check_out_file, fail

out = console()
err = console(stderr=True)
# Above these the data no longer fits a laptop's memory and minutes: 200,000 events per arm
# is about 5 s and 0.5 GB, 1,000 periods about 8 s (a million per arm took 22 s and 2.6 GB,
# 20,000 periods ran past a minute and 4 GB).
MAX_N_PER_ARM = 200_000
MAX_PERIODS = 1_000
AB_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".parquet", ".pq")
synth = typer.Typer(help="Seeded synthetic data with planted effects, to try the analyses on.")


def _pair(text: str, option: str) -> tuple[float, float]:
    """``"0.70,0.74"`` -> ``(0.70, 0.74)``: two rates between 0 and 1."""
    parts = [p.strip() for p in text.split(",")]
    try:
        a, b = (float(p) for p in parts)
    except ValueError:
        raise fail(f"{option} must be two rates A,B such as 0.70,0.74, got {text!r}") from None
    if not (0.0 <= a <= 1.0 and 0.0 <= b <= 1.0):
        raise fail(f"{option} rates must be between 0 and 1, got {text!r}")
    return a, b


@synth.command("ab")
def synth_ab(
    out_path: Annotated[
        Path, typer.Option("--out", "-o", help="Feedback log to write (.jsonl, .csv, .parquet).")
    ],
    n_per_arm: Annotated[
        int,
        typer.Option("--n-per-arm", min=1, max=MAX_N_PER_ARM, help="Events per arm."),
    ] = 2000,
    preference: Annotated[
        str, typer.Option("--preference", help="Thumbs-up rates of arms A,B.")
    ] = "0.70,0.74",
    accuracy: Annotated[
        str, typer.Option("--accuracy", help="Shares of correct answers of arms A,B.")
    ] = "0.80,0.78",
    dependence: Annotated[
        float,
        typer.Option("--dependence", min=0.0, max=1.0, help="P(up | correct) − P(up | incorrect)."),
    ] = 0.2,
    unrated: Annotated[
        float,
        typer.Option("--unrated", min=0.0, max=0.99, help="Share of each arm's events unrated."),
    ] = 0.0,
    seed: Annotated[
        # Python's random seeds with the number's absolute value: -5 wrote seed 5's file
        int, typer.Option("--seed", min=0, help="Seed of the row order (0 or more).")
    ] = 0,
) -> None:
    """Two arms (A, B) with exactly the planted thumbs-up rates and accuracies, and a
    ground-truth 'correct' column for the judge
    python:backbone.audit.synthetic.ab_traffic:planted_truth."""
    from backbone.audit.synthetic.ab_traffic import (
        ARMS,
        ab_rows,
        max_dependence,
        write_ab_log,
        written_rates,
    )

    pref = _pair(preference, "--preference")
    acc = _pair(accuracy, "--accuracy")
    for arm, p, a in zip(ARMS, pref, acc, strict=True):
        if dependence > max_dependence(p, a):  # it used to be clipped without a word
            raise fail(
                f"--dependence {dependence:g} cannot be planted in arm {arm} (thumbs-up {p:g}, "
                f"accuracy {a:g}): P(up | correct) would pass 1 or P(up | incorrect) fall "
                f"below 0; at most {max_dependence(p, a):g} with these rates"
            )
    if n_per_arm - round(n_per_arm * unrated) < 1:  # as ab_rows counts the unrated events
        raise fail(
            f"--unrated {unrated} leaves no rated event of {n_per_arm} per arm: no thumbs-up "
            "rate to plant (lower --unrated or raise --n-per-arm)"
        )
    if out_path.suffix.lower() not in AB_SUFFIXES:
        raise fail(
            f"{out_path}: cannot tell the format from '{out_path.suffix}': "
            "use .jsonl, .csv or .parquet"
        )
    check_out_file(out_path)  # before the rows are built
    rows = ab_rows(
        n_per_arm=n_per_arm,
        preference=pref,
        accuracy=acc,
        dependence=dependence,
        unrated=unrated,
        seed=seed,
    )
    with bad_input_exits():
        write_ab_log(out_path, rows)
    # the rates in the file, in whole events: with few events an arm they are not the planted
    # ones (0.70 and 0.74 of 10 events are 7 thumbs-up each), and the line said the planted
    got = written_rates(rows)
    up, right = (got[a][0] for a in ARMS), (got[a][1] for a in ARMS)
    out.print(
        f"wrote {out_path}: {len(rows)} events, arms A and B in column 'arm' "
        f"(thumbs-up {' vs '.join(f'{x:.3f}' for x in up)}, "
        f"accuracy {' vs '.join(f'{x:.3f}' for x in right)})",
        markup=False,
    )
    for option, asked, i in (("--preference", pref, 0), ("--accuracy", acc, 1)):
        written = tuple(got[a][i] for a in ARMS)
        if any(abs(w - a) > 0.0005 for w, a in zip(written, asked, strict=True)):
            err.print(
                f"[yellow]warning:[/] {option} {asked[0]:g},{asked[1]:g} is "
                f"{written[0]:.3f},{written[1]:.3f} in whole events of {n_per_arm} an arm: "
                "raise --n-per-arm to plant it"
            )


@synth.command("tells")
def synth_tells(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Directory for the four files.")],
    on: Annotated[
        str,
        typer.Option(
            help="Comma-separated tells to plant: satisfaction_vs_task, power_user_churn, "
            "ticket_shift, eval_divergence (empty: pure noise)."
        ),
    ] = "",
    periods: Annotated[int, typer.Option(min=6, max=MAX_PERIODS, help="Number of periods.")] = 26,
    period: Annotated[str, typer.Option(help="day | week.")] = "week",
    seed: Annotated[
        int, typer.Option(min=0, help="Seed (0 or more): the same seed writes the same files.")
    ] = 0,
) -> None:
    """A feedback log and the three tables (task metrics, tickets, evals) over PERIODS periods
    with the chosen tells planted and pure autocorrelated noise elsewhere."""
    from backbone.audit.synthetic.tell_series import TELLS, write_tell_series

    chosen = list(dict.fromkeys(t.strip() for t in on.split(",") if t.strip()))  # once each
    unknown = [t for t in chosen if t not in TELLS]
    if unknown:
        raise fail(f"--on: unknown tell(s) {', '.join(unknown)} (tells: {', '.join(TELLS)})")
    if period not in ("day", "week"):
        raise fail(f"--period: {period!r}: expected day or week")
    check_out_dir(out_dir)
    with bad_input_exits():
        paths = write_tell_series(out_dir, on=chosen, periods=periods, seed=seed, period=period)
    out.print(
        f"wrote {', '.join(str(p) for p in paths.values())} "
        f"({periods} {period}s, planted: {', '.join(chosen) or 'nothing'}, seed {seed})",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add the ``synth`` group to the ``backbone`` app."""
    app.add_typer(synth, name="synth")
