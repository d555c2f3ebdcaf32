"""``backbone audit``, ``backbone audit-channels`` and ``backbone audit-import``.

Example:
    $ backbone audit feedback.parquet --judge python:checks:is_correct --sample 300 --out audit/
    $ backbone audit logs.csv --judge openai:gpt-4o-mini --map prompt=question --map rating=thumbs
    $ backbone audit-channels channels.jsonl --judge python:checks:is_correct --out review/
    $ backbone audit-import oasst oasst_en_100_message.jsonl --out oasst_events.jsonl
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
    fail,
    held_out_dir,
    refuse_out_among_inputs,
    refuse_out_is_input,
)
from backbone.cli.judge_options import TimeoutOpt, single_judge
from backbone.cli.judged_log import JudgeFlags, judged_log
from backbone.cli.progress import progress_bar
from backbone.core.formatting import pct, plural
from backbone.evaluation.arguments import MAX_RETRIES
from backbone.report.escape import terminal

err = console(stderr=True)


def _note(text: str) -> None:
    """A line on stderr for the person watching (batch progress)."""
    err.print(text, markup=False, highlight=False)


out = console()

AUDIT_JSON = "audit.json"
REPORT = "report.html"
CHANNELS_JSON = "channels.json"
QUEUE = "review_queue.jsonl"

JudgeOpt = Annotated[
    list[str],
    single_judge(
        "python:MODULE:FUNC (event dict -> {'correct': bool}) | openai:MODEL | "
        "anthropic:MODEL | local"
    ),
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        "-m",
        help="FIELD=COLUMN: read a field from your own column (repeatable), e.g. "
        "--map prompt=question --map rating=thumbs.",
    ),
]
# the split-feedback log has no 'rating' field: the example above exits 2 there
ChannelMapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        "-m",
        help="FIELD=COLUMN: read a field from your own column (repeatable), e.g. "
        "--map prompt=question --map experience=thumbs.",
    ),
]


def _share(s: dict[str, Any]) -> str:
    return f"{pct(s['value'])} ({pct(s['ci'][0])}–{pct(s['ci'][1])}, n={s['n']})"


def print_audit(doc: dict[str, Any], console: Console) -> None:
    """The audit's figures for the terminal."""
    from rich.table import Table

    from backbone.report.audit_json import p_down_unknown

    table = Table(title="rating × correctness (share of rated events, 95% interval)")
    table.add_column("")
    table.add_column("correct")
    table.add_column("incorrect")
    table.add_column("unscored", justify="right")
    for rating in ("down", "up"):
        row = doc["grid"][rating]
        cells = [
            f"{_share(row[c]['share'])} · {row[c]['sampled']} judged"
            for c in ("correct", "incorrect")
        ]
        table.add_row(f"thumbs-{rating} ({row['events']})", *cells, str(row["unscored"]))
    console.print(table)
    # every event judged, but a judgment that could not be scored leaves the share estimated
    unscored_down = doc["grid"]["down"]["unscored"]
    whole = (
        ""
        if not doc["whole_log"]
        else "  \\[exact: whole log judged]"
        if not unscored_down
        else f"  \\[whole log judged, {unscored_down} unscored: estimated]"
    )
    console.print(
        f"unwelcome-but-correct share (correct | thumbs-down): "
        f"{_share(doc['unwelcome_correct_share'])}{whole}"
    )
    why = p_down_unknown(doc)
    console.print(
        "P(thumbs-down | correct): "
        + (_share(doc["p_down_given_correct"]) if why is None else f"not estimated: {why}")
    )
    counts = doc["counts"]
    if counts["unscored"]:
        reasons = "; ".join(f"{terminal(r)} ({n})" for r, n in doc["unscored_reasons"].items())
        console.print(f"[magenta]{counts['unscored']} unscored[/] (not counted): {reasons}")
    colour = {"ship": "green", "review": "yellow", "stop": "red"}[doc["verdict"]]
    console.print(f"verdict: [bold {colour}]{doc['verdict']}[/] — {doc['verdict_reason']}")


def audit(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Feedback log: .jsonl, .csv, .parquet or a folder of .parquet part files (or "
            "--connection/--table)."
        ),
    ] = None,
    *,
    judge: JudgeOpt,
    sample: Annotated[
        int, typer.Option("--sample", "-n", min=1, help="Events judged per rating stratum.")
    ] = 200,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for audit.json and report.html.")
    ] = Path("backbone-audit"),
    column_map: MapOpt = None,
    seed: Annotated[int, typer.Option(help="Seed of the stratified draw.")] = 0,
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl | csv | parquet (default: extension).")
    ] = None,
    rating_scale: Annotated[
        str,
        typer.Option(
            help="auto | updown (up/down) | signed (1/-1/0) | binary (1/0, true/false) | stars "
            "(1-5, see --threshold)."
        ),
    ] = "auto",
    threshold: Annotated[
        float, typer.Option(help="Stars: a score at or above this is thumbs-up.")
    ] = 4.0,
    stratify_by: Annotated[
        str | None,
        typer.Option(
            help="Also stratify by this column (task type, user segment); --sample is then "
            "per rating x segment stratum."
        ),
    ] = None,
    ship: Annotated[
        float, typer.Option(help="Ship when the whole interval is at or below this share.")
    ] = 0.10,
    stop: Annotated[
        float, typer.Option(help="Stop when the whole interval is at or above this share.")
    ] = 0.25,
    failure_rule: Annotated[
        list[str] | None,
        typer.Option(
            "--failure-rule",
            help="COLUMN OP VALUE:LABEL, a column that decides a failure mode, e.g. "
            "'latency_ms>8000:latency' (repeatable).",
        ),
    ] = None,
    fail_on: Annotated[
        str, typer.Option(help="Exit 1 on this verdict or worse: never | stop | review.")
    ] = "never",
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1)] = 8,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the response cache.")
    ] = False,
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
    retries: Annotated[
        int, typer.Option("--retries", min=0, max=MAX_RETRIES, help="Retries per call.")
    ] = 5,
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
            help="duckdb | spark: the engine that reads FILE, counts the strata and draws the "
            "sample (spark: master from $BACKBONE_SPARK_MASTER, default local[2])."
        ),
    ] = "duckdb",
    connection: Annotated[
        str | None,
        typer.Option(
            help="Audit a table in a database instead of a FILE: an Ibis URL such as "
            "duckdb://feedback.db or postgres://user:pass@host/db, or a DuckDB or SQLite "
            "file's path (with --table)."
        ),
    ] = None,
    table: Annotated[str | None, typer.Option(help="The table to audit on --connection.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    batch: Annotated[
        bool,
        typer.Option(
            "--batch",
            help="Send the whole sample to an openai:/anthropic: judge as one provider batch "
            "(half the price; polled every $BACKBONE_BATCH_POLL_SECONDS, default 30).",
        ),
    ] = False,
) -> None:
    """Audit a thumbs-up/down log: judge a stratified sample for correctness, estimate the 2x2
    and the share of thumbs-down on correct answers, and give a release verdict."""
    from backbone.audit.failure_modes import check_rule_columns, parse_rules
    from backbone.audit.feedback_log import parse_column_map
    from backbone.audit.judging import aclose_judge
    from backbone.evaluation.registry import correctness_judge

    if fail_on not in ("never", "stop", "review"):
        raise fail(f"--fail-on must be never, stop or review, got {fail_on!r}")
    if not 0.0 <= ship <= stop <= 1.0:
        raise fail(f"need 0 <= --ship <= --stop <= 1, got ship={ship}, stop={stop}")
    refuse_out_among_inputs(out_dir, (REPORT, AUDIT_JSON), file)
    with held_out_dir(out_dir, f"audit {file or table}", REPORT, AUDIT_JSON):
        with bad_input_exits():
            cmap = parse_column_map(column_map or [])
            rules = parse_rules(failure_rule or [])
        flags = JudgeFlags(
            judge[0],
            no_cache=no_cache,
            base_url=base_url,
            max_tokens=max_tokens,
            timeout=timeout,
            retries=retries,
            concurrency=concurrency,
        )
        from backbone.evaluation.audit_engines import open_feedback, redact

        where = terminal(str(file) if file is not None else redact(str(connection)))
        with judged_log(
            flags,
            correctness_judge,
            lambda: open_feedback(
                file,
                engine=engine,
                connection=connection,
                table=table,
                fmt=fmt,
                column_map=cmap,
                rating_scale=rating_scale,
                threshold=threshold,
                stratify_by=stratify_by,
                memory_limit=memory_limit,
            ),
            reading=None if quiet else f"reading {where}...",
            batch=batch,
            on_note=None if quiet else _note,
        ) as judged:
            log, the_judge = judged.log, judged.judge
            with bad_input_exits():
                check_rule_columns(rules, log.info.columns)
            from backbone.audit.pipeline import AuditOptions, run_audit
            from backbone.audit.verdict import Thresholds
            from backbone.evaluation.sent import record_judge_sent

            options = AuditOptions(
                per_stratum=sample,
                seed=seed,
                thresholds=Thresholds(ship=ship, stop=stop),
                rules=rules,
                concurrency=concurrency,
            )
            info = log.info
            if not quiet:
                strata = ", ".join(f"{terminal(str(s.key))} {s.events}" for s in info.strata)
                err.print(
                    f"{terminal(str(info.file))}: {plural(info.rows, 'event')} "
                    f"({info.rated} rated: {strata}; "
                    f"{info.unrated} unrated), rating scale {info.rating_scale}"
                )
            total = sum(min(sample, s.events) for s in info.strata)
            if batch:  # the whole sample at once: one batch
                options.concurrency = max(concurrency, total)

            async def go() -> Any:
                progress = progress_bar(err, quiet=quiet)
                tally = {"correct": 0, "incorrect": 0, "unscored": 0}
                with progress:
                    task = progress.add_task("judging", total=total, status="")

                    def on_result(j: Any) -> None:
                        key = (
                            "unscored"
                            if j.correct is None
                            else ("correct" if j.correct else "incorrect")
                        )
                        tally[key] += 1
                        status = " ".join(f"{k} {v}" for k, v in tally.items())
                        progress.update(task, advance=1, status=status)

                    try:
                        result = await run_audit(
                            log,
                            the_judge,
                            options,
                            on_result=on_result,
                            extra_options={
                                "concurrency": concurrency,
                                "cache": not no_cache,
                                "base_url": base_url,
                                **({"batch": True} if batch else {}),
                            },
                        )
                    finally:
                        await aclose_judge(the_judge)
                    record_judge_sent(result.options, the_judge.target)
                    return result

            result = judged.judge_all(go)  # a refused judge key stops it: exit 2

        from backbone.core.atomic import write_files_atomic
        from backbone.report.audit_html import render_audit_html
        from backbone.report.audit_json import audit_document, render_audit_json

        doc = audit_document(result)
        with bad_input_exits():
            write_files_atomic(
                {
                    out_dir / REPORT: render_audit_html(doc),
                    out_dir / AUDIT_JSON: render_audit_json(doc),
                }
            )
        print_audit(doc, out)
        written = ", ".join(terminal(str(out_dir / name)) for name in (AUDIT_JSON, REPORT))
        out.print(f"wrote {written}")
        bad = {"never": (), "stop": ("stop",), "review": ("review", "stop")}[fail_on]
        if doc["verdict"] in bad:
            raise typer.Exit(1)


def audit_channels(
    file: Annotated[Path, typer.Argument(help="Split-feedback log: .jsonl, .csv or .parquet.")],
    judge: JudgeOpt,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Directory for channels.json, review_queue.jsonl.")
    ] = Path("backbone-channels"),
    column_map: ChannelMapOpt = None,
    limit: Annotated[
        int | None,
        typer.Option(min=1, help="Judge at most this many disagreements (a seeded sample)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the sample when --limit applies.")] = 0,
    fmt: Annotated[str | None, typer.Option("--format", help="jsonl | csv | parquet.")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1)] = 8,
    no_cache: Annotated[bool, typer.Option("--no-cache")] = False,
    base_url: Annotated[str | None, typer.Option("--base-url", "--judge-base-url")] = None,
    max_tokens: Annotated[int | None, typer.Option("--max-tokens", min=1)] = None,
    timeout: TimeoutOpt = None,
    retries: Annotated[int, typer.Option("--retries", min=0, max=MAX_RETRIES)] = 5,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Split feedback (was it correct / was the experience good / did you disagree): count the
    signals, judge the disagreements, and write the disagree-but-correct review queue."""
    import json

    from backbone.audit.channels import open_channels, parse_channel_map, queue_records
    from backbone.audit.channels import review_queue as build_queue
    from backbone.audit.judging import aclose_judge
    from backbone.core.atomic import write_files_atomic
    from backbone.evaluation.registry import correctness_judge
    from backbone.report.audit_json import channels_document, render_audit_json

    refuse_out_among_inputs(out_dir, (QUEUE, CHANNELS_JSON), file)
    with held_out_dir(out_dir, f"audit-channels {file}", QUEUE, CHANNELS_JSON):
        with bad_input_exits():
            cmap = parse_channel_map(column_map or [])
        flags = JudgeFlags(
            judge[0],
            no_cache=no_cache,
            base_url=base_url,
            max_tokens=max_tokens,
            timeout=timeout,
            retries=retries,
            concurrency=concurrency,
        )
        with judged_log(
            flags, correctness_judge, lambda: open_channels(file, fmt=fmt, column_map=cmap)
        ) as judged:
            log, the_judge = judged.log, judged.judge
            total = log.counts["disagreed"]["yes"]
            total = min(total, limit) if limit else total

            async def go() -> Any:
                progress = progress_bar(err, quiet=quiet)
                with progress:
                    task = progress.add_task("judging disagreements", total=total, status="")
                    try:
                        return await build_queue(
                            log,
                            the_judge,
                            limit=limit,
                            seed=seed,
                            concurrency=concurrency,
                            on_result=lambda j: progress.update(task, advance=1),
                        )
                    finally:
                        await aclose_judge(the_judge)

            result = judged.judge_all(go)  # a refused judge key stops it: exit 2
        doc = channels_document(result)
        records = queue_records(result)
        queue = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        with bad_input_exits():
            channels = render_audit_json(doc)
            write_files_atomic({out_dir / QUEUE: queue, out_dir / CHANNELS_JSON: channels})
    rates = doc["rates"]
    out.print(
        f"{plural(doc['input']['rows'], 'event')} · bad experience "
        f"{_share(rates['bad_experience'])} · "
        f"disagreed {_share(rates['disagreed'])} · reported incorrect "
        f"{_share(rates['reported_incorrect'])}"
    )
    d = doc["disagree"]
    out.print(
        f"disagreements judged: {d['judged']} of {d['events']} — correct {d['correct']}, "
        f"incorrect {d['incorrect']}, unscored {d['unscored']}; "
        f"share on correct answers {_share(d['correct_share'])}"
    )
    if d["unscored"]:  # why, as the audit says it (a judge down for every call, say)
        reasons = "; ".join(f"{terminal(r)} ({n})" for r, n in d["unscored_reasons"].items())
        out.print(f"{d['unscored']} unscored (not counted): {reasons}")
    written = f"{terminal(str(out_dir / CHANNELS_JSON))}, {terminal(str(out_dir / QUEUE))}"
    out.print(f"wrote {written} ({len(records)} to review)")


def import_oasst(
    file: Annotated[Path, typer.Argument(help="OpenAssistant message trees (.jsonl).")],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Feedback log to write (.jsonl).")],
) -> None:
    """Flatten OpenAssistant message trees into a feedback log: one event per assistant reply,
    rated up/down from its +1/-1 votes (ties and no votes: unrated)."""
    from backbone.audit.importers.oasst import import_oasst as do_import
    from backbone.audit.importers.oasst import write_events
    from backbone.audit.source import FORMATS

    refuse_out_is_input(out_path, file)  # the log would replace the trees it was made from
    check_out_file(out_path)  # before reading: a folder or a path below a file exits 2
    if FORMATS.get(out_path.suffix.lower()) != "jsonl":  # the audit reads a log by its extension
        raise fail(f"{out_path}: the feedback log is written as JSONL: give a .jsonl path")
    with bad_input_exits():
        result = do_import(file)
        write_events(result.events, out_path)
    out.print(f"wrote {terminal(str(out_path))}: {terminal(result.summary())}")


def register(app: typer.Typer) -> None:
    """Add the audit commands to the ``backbone`` app."""
    app.command("audit")(audit)
    app.command("audit-channels")(audit_channels)
    importers = typer.Typer(help="Convert public feedback datasets into backbone feedback logs.")
    importers.command("oasst")(import_oasst)
    app.add_typer(importers, name="audit-import")
