"""``backbone probe KIND``: why does it cave? One call of
:func:`backbone.evaluation.probe.probe`; this module reads the command line and prints the
summary.

Example:
    $ backbone probe authority --target local --out probes/authority
    $ backbone probe persuasion --target openai:my-bot --base-url http://127.0.0.1:11434/v1 \\
        --option turns=4 --out probes/persuasion
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from backbone.cli.console import console
from backbone.cli.errors import bad_input_exits, check_out_dir, fail
from backbone.cli.judge_options import CONCURRENCY_HELP, JudgeOpt, TimeoutOpt
from backbone.evaluation.arguments import MAX_RETRIES
from backbone.report.escape import terminal

err = console(stderr=True)
out = console()


def parse_options(pairs: list[str]) -> dict[str, str]:
    """``KEY=VALUE`` pairs as a dict; :func:`fail` (exit 2) on a malformed one.

    >>> parse_options(["turns=2", "k = 5"])
    {'turns': '2', 'k': '5'}
    """
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise fail(f"--option {pair!r}: expected KEY=VALUE")
        if key.strip() in options:  # which one was meant? (the last one won, silently)
            raise fail(f"--option {pair!r}: {key.strip()!r} is given twice")
        options[key.strip()] = value.strip()
    return options


def print_probe(doc: dict[str, Any], console: Console) -> None:
    """The probe's figures for the terminal: each arm's rates, then each figure."""
    from rich.table import Table

    from backbone.core.formatting import pct, pval
    from backbone.report.probe_html import items_played, show_ci, show_value
    from backbone.report.probe_json import figure_rows

    names: dict[str, None] = {}
    for rates in doc["arms"].values():
        names.update(dict.fromkeys(rates))
    table = Table(title=f"probe {doc['kind']}: {items_played(doc)} (95% intervals)")
    table.add_column("arm")
    for name in names:
        table.add_column(name)
    for arm, rates in doc["arms"].items():
        cells = []
        for name in names:
            r = rates.get(name)
            cells.append(
                "—"
                if r is None
                else f"{pct(r['value'])} ({pct(r['ci'][0])}–{pct(r['ci'][1])}, n={r['n']})"
            )
        table.add_row(arm, *cells)
    console.print(table)
    for name, fig in figure_rows(doc):
        test = f", p={pval(fig['p_value'])}" if "p_value" in fig else ""
        console.print(f"{name}: [bold]{show_value(fig)}[/] ({show_ci(fig)}, n={fig['n']}{test})")
    from backbone.probes.registry import probe_kind

    extra = getattr(probe_kind(doc["kind"]), "summary_lines", None)
    for line in extra(doc) if callable(extra) else []:
        console.print(terminal(line), highlight=False)
    unscored = {label: r["unscored"] for label, r in doc["runs"].items() if r.get("unscored")}
    if unscored:
        counts = ", ".join(f"{label} {n}" for label, n in unscored.items())
        console.print(f"[magenta]unscored[/] (never counted as held): {counts}")
    for note in doc["notes"]:
        console.print(f"[magenta]note[/]: {terminal(note)}", highlight=False)


def probe(
    kind: Annotated[
        str, typer.Argument(help="authority | persuasion | cues | confidence | bombing")
    ],
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
        Path, typer.Option("--out", "-o", help="Directory for probe.json, report.html, runs/.")
    ] = Path("backbone-probe"),
    option: Annotated[
        list[str] | None,
        typer.Option("--option", help="KEY=VALUE, a knob of the kind (repeatable), e.g. turns=2."),
    ] = None,
    judge: JudgeOpt = None,
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", "-c", min=1, help=CONCURRENCY_HELP)
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the response cache.")
    ] = False,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Base URL for openai:/anthropic: targets.")
    ] = None,
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", min=1, help="Reply length cap.")
    ] = None,
    timeout: TimeoutOpt = None,
    retries: Annotated[
        int, typer.Option("--retries", min=0, max=MAX_RETRIES, help="Retries per call.")
    ] = 5,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
) -> None:
    """Probe why the target caves: play matched variants of the suite's hold items (who
    pushes, how, for how long) and report each arm's cave rate and the paired differences."""
    from backbone.evaluation.evaluate import RunInterrupted
    from backbone.evaluation.probe import probe as run_probe
    from backbone.report.probe_json import PROBE_JSON, REPORT, probe_document

    check_out_dir(out_dir)
    options = parse_options(option or [])

    def on_note(text: str) -> None:
        if not quiet:
            err.print(text, markup=False, highlight=False)

    try:
        with bad_input_exits():
            result = run_probe(
                kind,
                suite,
                target,
                out=out_dir,
                options=options,
                judges=judge or (),
                concurrency=concurrency,
                cache=not no_cache,
                retries=retries,
                timeout=timeout,
                base_url=base_url,
                max_tokens=max_tokens,
                on_note=on_note,
            )
    except RunInterrupted as exc:
        if exc.kept_in is None:  # the plays have no journal: a rerun starts over
            why = "--no-cache: " if no_cache else ""  # else stopped before the cache was made
            err.print(f"[yellow]interrupted[/]: nothing written ({why}no reply kept).")
        else:
            err.print(
                f"[yellow]interrupted[/]: replies so far are kept in {exc.kept_in}; "
                "run the same command again to resume."
            )
        raise typer.Exit(130) from None
    print_probe(probe_document(result), out)
    shown = [terminal(str(out_dir / name)) for name in (PROBE_JSON, REPORT, "runs")]
    out.print(f"wrote {shown[0]}, {shown[1]}, {shown[2]}/")


def register(app: typer.Typer) -> None:
    """Add ``probe`` to the app."""
    app.command("probe")(probe)
