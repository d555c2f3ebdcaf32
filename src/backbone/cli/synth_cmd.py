"""``backbone synth``: seeded synthetic data to try the analyses on.

Example:
    $ backbone synth tells --out demo/ --on satisfaction_vs_task,ticket_shift --periods 26
    $ backbone tells demo/feedback.jsonl --task-metrics demo/task_metrics.csv \\
        --tickets demo/tickets.csv --evals demo/evals.csv --out demo/tells
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from backbone.cli.errors import bad_input_exits, fail

out = Console(soft_wrap=True)
synth = typer.Typer(help="Seeded synthetic data with planted effects, to try the analyses on.")


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
    periods: Annotated[int, typer.Option(min=6, help="Number of periods.")] = 26,
    period: Annotated[str, typer.Option(help="day | week.")] = "week",
    seed: Annotated[int, typer.Option(help="Seed: the same seed writes the same files.")] = 0,
) -> None:
    """A feedback log and the three tables (task metrics, tickets, evals) over PERIODS periods
    with the chosen tells planted and pure autocorrelated noise elsewhere."""
    from backbone.audit.synthetic.tell_series import TELLS, write_tell_series

    chosen = [t.strip() for t in on.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in TELLS]
    if unknown:
        raise fail(f"--on: unknown tell(s) {', '.join(unknown)} (tells: {', '.join(TELLS)})")
    if period not in ("day", "week"):
        raise fail(f"--period: {period!r}: expected day or week")
    if out_dir.exists() and not out_dir.is_dir():
        raise fail(f"{out_dir}: --out must be a directory")
    with bad_input_exits():
        paths = write_tell_series(out_dir, on=chosen, periods=periods, seed=seed, period=period)
    out.print(
        f"wrote {', '.join(str(p) for p in paths.values())} "
        f"({periods} {period}s, planted: {', '.join(chosen) or 'nothing'}, seed {seed})"
    )


def register(app: typer.Typer) -> None:
    """Add the ``synth`` group to the ``backbone`` app."""
    app.add_typer(synth, name="synth")
