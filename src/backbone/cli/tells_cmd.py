"""``backbone tells``: the operational tells of a sycophancy gradient.

Example:
    $ backbone tells feedback.jsonl --task-metrics task.csv --tickets tickets.csv \\
        --evals evals.csv --period week --out tells/
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from backbone.cli.console import console
from backbone.cli.errors import bad_input_exits, held_out_dir, refuse_out_among_inputs
from backbone.core.formatting import pval

out = console()

TELLS_JSON = "tells.json"
REPORT = "report.html"


def _trend(t: dict[str, Any] | None) -> str:
    if not t:
        return ""
    return f"slope {t['slope']:+.3g} ({t['ci'][0]:.3g} to {t['ci'][1]:.3g}), p {pval(t['p_value'])}"


def _decisive(tell: dict[str, Any]) -> str:
    e = tell["evidence"]
    name = tell["name"]
    if name == "satisfaction_vs_task":
        text = f"thumbs-up {_trend(e.get('satisfaction'))}"
        if "task_index" in e:
            text += f"; task index {_trend(e['task_index'])}"
        return text
    if name == "power_user_churn" and "logrank" in e:
        lr = e["logrank"]
        return (
            f"power {e['power']['churned']}/{e['power']['users']} churned vs casual "
            f"{e['casual']['churned']}/{e['casual']['users']}; observed {lr['observed_power']} "
            f"vs expected {lr['expected_power']:.1f}"
        )
    if name == "ticket_shift" and "share" in e:
        return f"shifted share {_trend(e['share'])}"
    if name == "eval_divergence" and "gap" in e:
        return f"gap {_trend(e['gap'])} over {e['releases']} releases"
    return ""


_SERIES = {"day": "daily", "week": "weekly"}


def print_tells(doc: dict[str, Any], console: Console) -> None:
    """The tells for the terminal: one row per tell, then the count and the alarm."""
    from rich.table import Table

    table = Table(
        title=f"operational tells ({_SERIES.get(doc['period'], doc['period'])} series, "
        f"alpha {doc['alpha']}, "
        f"{doc['correction']} correction)"
    )
    table.add_column("tell")
    table.add_column("state")
    table.add_column("p (corr.)", justify="right")
    table.add_column("evidence")
    for t in doc["tells"]:
        state = "[bold red]on[/]" if t["on"] else ("off" if t["available"] else "[dim]n/a[/]")
        table.add_row(
            t["name"],
            state,
            pval(t["p_value"]),
            _decisive(t) if t["available"] else t["why"].removeprefix("not available: "),
        )
    console.print(table)
    colour = "bold red" if doc["alarm"] else "green"
    console.print(
        f"{doc['on_count']} tell(s) on: [{colour}]{'ALARM' if doc['alarm'] else 'no alarm'}[/]"
        + (" (three or more on)" if doc["alarm"] else " (the alarm needs three)")
    )


def tells(
    file: Annotated[
        Path,
        typer.Argument(help="Feedback log: .jsonl, .csv, .parquet or a folder of .parquet files."),
    ],
    task_metrics: Annotated[
        Path | None,
        typer.Option(help="Table timestamp, metric, value (higher is better; dispute_rate lower)."),
    ] = None,
    tickets: Annotated[
        Path | None, typer.Option(help="Table timestamp, category (support tickets).")
    ] = None,
    evals: Annotated[
        Path | None, typer.Option(help="Table release, timestamp, internal, external.")
    ] = None,
    period: Annotated[str, typer.Option(help="day | week: the length of a period.")] = "week",
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for tells.json and report.html.")
    ] = Path("backbone-tells"),
    alpha: Annotated[
        float, typer.Option(help="Level of each tell after the Holm correction.")
    ] = 0.05,
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            "-m",
            help="FIELD=COLUMN for the log (repeatable): timestamp, user_id, rating, ... and "
            "power_user.",
        ),
    ] = None,
    ticket_map: Annotated[
        list[str] | None,
        typer.Option(
            help="CATEGORY=BUCKET (wrong, vague, agreed_then_burned, other), repeatable; wins "
            "over the built-in synonyms."
        ),
    ] = None,
    lower_is_better: Annotated[
        list[str] | None,
        typer.Option(
            help="A task metric where lower is better (repeatable; default dispute_rate)."
        ),
    ] = None,
    trend_test: Annotated[
        str,
        typer.Option(help="ar1 (default) | prewhiten | hamed_rao | yue_wang | original."),
    ] = "ar1",
    active_window: Annotated[
        int,
        typer.Option(
            help="Churn: a user with an event in the last K periods is still active (default 1)."
        ),
    ] = 1,
    landmark: Annotated[
        int | None,
        typer.Option(
            help="Churn without a power_user column: power status from each user's events in "
            "their first K periods, churn followed from there (default a tenth of the log, at "
            "least 2)."
        ),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl | csv | parquet for the log.")
    ] = None,
    rating_scale: Annotated[
        str, typer.Option(help="auto | updown | signed | binary | stars (see backbone audit).")
    ] = "auto",
    threshold: Annotated[
        float, typer.Option(help="Stars: a score at or above this is thumbs-up.")
    ] = 4.0,
    memory_limit: Annotated[
        str | None, typer.Option(help="DuckDB memory limit, e.g. 2GB (spills to disk beyond).")
    ] = None,
    fail_on_alarm: Annotated[
        bool, typer.Option("--fail-on-alarm", help="Exit 1 when the alarm is on.")
    ] = False,
) -> None:
    """The operational tells: satisfaction vs task metrics, power-user churn, ticket shift,
    eval divergence; each a one-sided trend (or log-rank) test, Holm-corrected; three on is
    the alarm."""
    from backbone.audit.feedback_log import parse_column_map
    from backbone.core.atomic import write_files_atomic
    from backbone.evaluation.tells import run_tells
    from backbone.report.tells_html import render_tells_html
    from backbone.report.tells_json import render_tells_json, tells_document

    refuse_out_among_inputs(out_dir, (REPORT, TELLS_JSON), file, task_metrics, tickets, evals)
    with held_out_dir(out_dir, f"tells {file}", REPORT, TELLS_JSON):
        pairs = list(column_map or [])
        power = [p for p in pairs if p.partition("=")[0].strip() == "power_user"]
        with bad_input_exits():
            cmap = parse_column_map([p for p in pairs if p not in power])
            parse_column_map(power, fields=("power_user",))  # 'power_user=' names no column
            result = run_tells(
                file,
                task_metrics=task_metrics,
                tickets=tickets,
                evals=evals,
                period=period,
                alpha=alpha,
                column_map=cmap,
                power_column=power[-1].partition("=")[2].strip() if power else "power_user",
                rating_scale=rating_scale,
                threshold=threshold,
                fmt=fmt,
                ticket_map=ticket_map or [],
                lower_is_better=lower_is_better or ["dispute_rate"],
                trend_test=trend_test,  # type: ignore[arg-type]
                active_window=active_window,
                memory_limit=memory_limit,
                landmark=landmark,
            )
            doc = tells_document(result)
            html = render_tells_html(doc)
            write_files_atomic(
                {out_dir / REPORT: html, out_dir / TELLS_JSON: render_tells_json(doc)}
            )
        print_tells(doc, out)
        out.print(f"wrote {out_dir / TELLS_JSON}, {out_dir / REPORT}", markup=False)
        if fail_on_alarm and doc["alarm"]:
            raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``tells`` to the ``backbone`` app."""
    app.command("tells")(tells)
