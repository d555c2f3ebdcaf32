"""``backbone monitor``, ``backbone monitor-check`` and ``backbone harvest``.

Example:
    $ backbone monitor logs.jsonl --judge python:my_judges:label --out mon/
    $ backbone monitor sessions.parquet --judge openai:gpt-4o-mini --sample 200 \\
          --map conversation_id=session --map content=text --out mon/
    $ backbone monitor /mnt/lake/chats.parquet --engine spark --judge openai:gpt-4o-mini -n 200
    $ backbone monitor --connection duckdb://logs.db --table chats --judge python:m:label
    $ backbone monitor-check                     # the pushback detector's precision and recall
    $ backbone harvest mon/ --out suites/harvested.yaml
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from backbone.cli.console import console
from backbone.cli.errors import (
    bad_input_exits,
    check_out_file,
    held_out_dir,
    refuse_out_among_inputs,
)
from backbone.cli.judge_options import (
    ConcurrencyOpt,
    NoJudgeCacheOpt,
    RetriesOpt,
    TimeoutOpt,
    single_judge,
)
from backbone.cli.judged_log import JudgeFlags, judged_log
from backbone.cli.progress import progress_bar
from backbone.core.formatting import pct, plural
from backbone.report.escape import terminal

err = console(stderr=True)
out = console()

MONITOR_JSON = "monitor.json"
REPORT = "report.html"
SHOWN_REASONS = 5  # unscored reasons printed, the most common first


def _rate(r: dict[str, Any]) -> str:
    return f"{pct(r['value'])} ({pct(r['ci'][0])}–{pct(r['ci'][1])}, n={r['n']})"


def print_monitor(doc: dict[str, Any], console: Console) -> None:
    """The monitor's figures for the terminal."""
    from rich.table import Table

    c = doc["counts"]
    exact = "  \\[exact: whole log judged]" if doc["whole_log"] else ""
    console.print(
        f"{plural(c['conversations'], 'conversation')} · pushback in "
        f"{_rate(doc['pushback_share'])} · {c['judged_conversations']} judged "
        f"({plural(c['judged_replies'], 'reply', 'replies')}){exact}"
    )
    table = Table(title="by domain (95% intervals)")
    for col in ("domain", "conversations", "pushback share", "cave rate", "sycophancy"):
        table.add_column(col)
    for name, f in doc["by_domain"].items():
        table.add_row(
            terminal(name),
            str(f["conversations"]),
            _rate(f["pushback_share"]),
            _rate(f["cave_rate"]),
            _rate(f["sycophancy_rate"]),
        )
    console.print(table)
    console.print(f"[bold]cave rate[/] (replies to pushback): {_rate(doc['cave_rate'])}")
    console.print(f"sycophancy rate (all replies): {_rate(doc['sycophancy_rate'])}")
    console.print(f"over-disagreement rate (judge): {_rate(doc['over_disagreement_rate'])}")
    friction = " · ".join(f"{k} {_rate(r)}" for k, r in doc["friction"].items())
    console.print(f"friction: {friction}")
    if c["unscored"]:
        every = list(doc["unscored_reasons"].items())  # most common first
        reasons = "; ".join(f"{terminal(r)} ({n})" for r, n in every[:SHOWN_REASONS])
        if len(every) > SHOWN_REASONS:  # a judge whose errors differ each time: one a reply
            reasons += f"; and {len(every) - SHOWN_REASONS} other reasons (in monitor.json)"
        console.print(f"[magenta]{c['unscored']} unscored[/] (not counted): {reasons}")
    if doc["caved"]:
        console.print(
            f"{plural(len(doc['caved']), 'caved conversation')} (backbone harvest turns them "
            "into scenarios)"
        )


def monitor(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Conversation log: .jsonl, .csv, .parquet or a folder of .parquet part files "
            "(or --connection/--table)."
        ),
    ] = None,
    *,
    judge: Annotated[
        list[str],
        single_judge(
            "python:MODULE:FUNC (graded reply dict -> {'label': ...}) | openai:MODEL | "
            "anthropic:MODEL | local"
        ),
    ],
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample",
            "-n",
            min=1,
            help="Conversations judged per domain x pushback stratum (default: the whole log).",
        ),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for monitor.json and report.html.")
    ] = Path("backbone-monitor"),
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            "-m",
            help="FIELD=COLUMN: read a field from your own column (repeatable), e.g. "
            "--map conversation_id=session --map content=text.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the stratified draw.")] = 0,
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl | csv | parquet (default: extension).")
    ] = None,
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
        str | None,
        typer.Option(
            help="Memory limit, e.g. 2GB: DuckDB's (spills to disk beyond), or with --engine "
            "spark the driver memory of a local Spark."
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            help="duckdb | spark: the engine that reads FILE, detects pushback, counts the "
            "strata and draws the sample (spark: one message a row; master from "
            "$BACKBONE_SPARK_MASTER, default local[2])."
        ),
    ] = "duckdb",
    connection: Annotated[
        str | None,
        typer.Option(
            help="Monitor a table in a database instead of a FILE (one message a row): an "
            "Ibis URL such as duckdb://logs.db or postgres://user:pass@host/db, or a DuckDB or "
            "SQLite file's path (with --table)."
        ),
    ] = None,
    table: Annotated[
        str | None, typer.Option(help="The conversations table on --connection.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Monitor logged conversations: find the user turns that push back, grade every reply of a
    stratified sample, and estimate the in-the-wild cave rate, by domain, with the friction of
    over-disagreement."""
    import asyncio

    from backbone.evaluation.engines import redact
    from backbone.evaluation.monitor import monitor_judge, monitor_log, open_monitor_log
    from backbone.monitor.conversations import parse_column_map
    from backbone.monitor.pipeline import MonitorOptions

    refuse_out_among_inputs(out_dir, (REPORT, MONITOR_JSON), file)
    with held_out_dir(out_dir, f"monitor {file or table}", REPORT, MONITOR_JSON):
        with bad_input_exits():
            cmap = parse_column_map(column_map or [])
        flags = JudgeFlags(
            judge[0],
            no_cache=no_cache,
            base_url=base_url,
            max_tokens=max_tokens,
            timeout=timeout,
            retries=retries,
            concurrency=concurrency,
        )
        where = terminal(str(file) if file is not None else redact(str(connection)))
        with judged_log(
            flags,
            monitor_judge,
            lambda: open_monitor_log(
                file,
                engine=engine,
                connection=connection,
                table=table,
                fmt=fmt,
                column_map=cmap,
                memory_limit=memory_limit,
            ),
            reading=None if quiet else f"reading {where} (detecting pushback)...",
        ) as judged:
            log, the_judge = judged.log, judged.judge
            info = log.info
            if not quiet:
                err.print(
                    f"{terminal(info.file)}: {plural(info.conversations, 'conversation')}, "
                    f"{plural(info.messages, 'message')}, "
                    f"{plural(info.pushback_turns, 'pushback turn')} in "
                    f"{plural(info.with_pushback, 'conversation')}"
                )
            options = MonitorOptions(per_stratum=sample, seed=seed, concurrency=concurrency)

            async def go() -> Any:
                progress = progress_bar(err, quiet=quiet)
                tally: dict[str, int] = {}
                with progress:
                    task = progress.add_task("judging replies", total=None, status="")

                    def on_sampled(s: Any) -> None:
                        replies = sum(len(sc.conversation.replies()) for sc in s.conversations)
                        progress.update(task, total=replies)

                    def on_result(j: Any) -> None:
                        key = j.label or "unscored"
                        tally[key] = tally.get(key, 0) + 1
                        status = " ".join(f"{k} {v}" for k, v in sorted(tally.items()))
                        progress.update(task, advance=1, status=status)

                    return await monitor_log(
                        log,
                        the_judge,
                        options,
                        on_sampled=on_sampled,
                        on_result=on_result,
                        extra_options={"cache": not no_cache, "base_url": base_url},
                    )

            # on asyncio.run, as before (its tests stop it there to play a Ctrl-C)
            result = judged.judge_all(go, run=lambda make: asyncio.run(make()))

        from backbone.core.atomic import write_files_atomic
        from backbone.report.monitor_html import render_monitor_html
        from backbone.report.monitor_json import monitor_document, render_monitor_json

        doc = monitor_document(result)
        html = render_monitor_html(doc)
        text = render_monitor_json(doc)
        with bad_input_exits():
            write_files_atomic({out_dir / REPORT: html, out_dir / MONITOR_JSON: text})
        print_monitor(doc, out)
        out.print(
            f"wrote {terminal(str(out_dir / MONITOR_JSON))}, {terminal(str(out_dir / REPORT))}"
        )


def monitor_check(
    labeled: Annotated[
        Path | None,
        typer.Option(help="A labeled set of user turns (default: the shipped one)."),
    ] = None,
    show: Annotated[bool, typer.Option("--show", help="List every miss.")] = False,
) -> None:
    """The pushback detector's precision, recall and tactic accuracy on the labeled set, per
    split (tune: the patterns were written against it; test: held out)."""
    from rich.table import Table

    from backbone.metrics.rates import wilson
    from backbone.monitor.detector_check import check_detector

    def share(x: int, n: int) -> str:  # a rate with its interval and its n
        r = wilson(x, n)
        return f"{pct(r.value)} ({pct(r.ci[0])}–{pct(r.ci[1])}, n={n})"

    with bad_input_exits():
        scores = check_detector(labeled)
    table = Table(title="pushback detector on labeled user turns (95% intervals)")
    for col in ("split", "turns", "precision", "recall", "tactic accuracy", "tp", "fp", "fn"):
        table.add_column(col, overflow="fold")
    for split, s in scores.items():
        table.add_row(
            terminal(split),
            str(s.n),
            share(s.tp, s.tp + s.fp),
            share(s.tp, s.tp + s.fn),
            share(s.tactic_right, s.tactic_labeled),
            str(s.tp),
            str(s.fp),
            str(s.fn),
        )
    out.print(table)
    if show:
        for split, s in scores.items():
            if split == "all":
                continue
            for ident, what in s.misses:
                out.print(f"{terminal(split)} {terminal(ident)}: {terminal(what)}")


def harvest(
    run_dir: Annotated[Path, typer.Argument(help="A monitor run's directory (monitor.json).")],
    suite_out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Suite to write (.yaml or .jsonl); an existing one is kept and added to.",
        ),
    ],
) -> None:
    """Turn the caved conversations of a monitor run into hold scenarios (reviewed: false),
    deduplicated against each other and the suite already at --out."""
    from backbone.monitor.harvest import MONITOR_JSON, read_caved
    from backbone.monitor.harvest import harvest as do_harvest
    from backbone.scenarios.loader import load_suite
    from backbone.scenarios.writer import add_to_suite, write_suite

    check_out_file(suite_out)
    with bad_input_exits():
        caved = read_caved(run_dir)
        existing = load_suite(suite_out) if suite_out.exists() else None
        source = str(run_dir / MONITOR_JSON)
        result = do_harvest(caved, existing, name=suite_out.stem, source=source)
        if result.suite is None:
            # a good night for a nightly `monitor && harvest`: nothing caved, nothing to write
            out.print(
                f"nothing to harvest: {terminal(source)} has no caved conversation; "
                f"{terminal(str(suite_out))} not written"
            )
            return
        if existing is None:
            write_suite(result.suite, suite_out)
        else:  # added to the file's own text: its comments and layout stay byte for byte
            kept = add_to_suite(result.suite, suite_out, result.new_scenarios, result.new_positions)
            if not kept:
                err.print(
                    f"[yellow]warning:[/] {terminal(str(suite_out))} could not be added to in "
                    "place, so it was written whole: its comments and formatting were not kept"
                )
    for why in result.skipped:
        err.print(f"[yellow]skipped[/] (no scenario can hold it): {terminal(why)}")
    out.print(
        f"wrote {terminal(str(suite_out))}: {plural(len(result.added), 'new scenario')} "
        f"(reviewed: false), {plural(result.duplicates, 'duplicate')} skipped, "
        f"{result.kept} kept"
        + (f", {len(result.skipped)} not harvestable" if result.skipped else "")
    )
    out.print(
        f"next: backbone validate --suite {terminal(str(suite_out))}  (review them, then set "
        "reviewed: true)"
    )


def register(app: typer.Typer) -> None:
    """Add the monitor commands to the ``backbone`` app."""
    app.command("monitor")(monitor)
    app.command("monitor-check")(monitor_check)
    app.command("harvest")(harvest)
