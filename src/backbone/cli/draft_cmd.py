"""``backbone draft``: candidate hold scenarios and their yield twins for every position of a
positions spec, written by a generator model, deduplicated, ``reviewed: false``.

Example:
    $ backbone draft --spec builtin:money --generator openai:gpt-4o-mini --out suites/money.yaml
    $ backbone validate builtin:money --suite suites/money.yaml   # lists the unreviewed, file:line
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from backbone.cli.console import console
from backbone.cli.errors import bad_input_exits
from backbone.cli.judge_options import finite_seconds
from backbone.core.formatting import plural

DEFAULT_TIMEOUT = 300.0
"""A generator call that has not answered in five minutes is hung, not slow (the embedded
model writes a guided field in seconds)."""

MAX_PER_POSITION = 100
"""Candidates are for a person to review: past a hundred a position, guided mode made calls
without end (--per-position 1000000000 asked a billion candidates of every position)."""

out = console()
err = console(stderr=True)


def print_draft(result: object, suite_out: Path, console: Console, spec: str) -> None:
    """What was drafted, dropped and removed, and what to do next (with ``spec``, the
    positions spec drafted from)."""
    from backbone.evaluation.draft import DraftResult

    assert isinstance(result, DraftResult)
    for p in result.positions:
        console.print(
            f"  {p.position} ({p.kind}): {plural(p.scenarios, 'scenario')}, "
            f"{len(p.dropped)} dropped",
            highlight=False,
        )
        if p.note:
            console.print(f"    {p.note}", highlight=False)
        unit = "candidate" if result.mode == "guided" else "line"
        for d in p.dropped:
            where = f"{unit} {d.line}: " if d.line else ""
            console.print(f"    dropped {where}{d.why}", highlight=False, markup=False)
    for r in result.removed:
        of = "another draft with the same id" if r.duplicate_of == r.id else r.duplicate_of
        console.print(
            f"  removed {r.id}: {r.kind} duplicate of {of} (Jaccard {r.similarity:.2f})",
            highlight=False,
        )
    if result.rewritten:
        err.print(
            f"warning: {suite_out} could not be added to in place (a layout this does not "
            "follow), so it was written whole again: its comments and formatting were not kept",
            highlight=False,
            markup=False,
        )
    console.print(
        f"wrote {suite_out}: {plural(len(result.added), 'new scenario')} (reviewed: false), "
        f"{plural(len(result.removed), 'duplicate')} removed, "
        f"{plural(result.dropped, 'candidate')} dropped, "
        f"{result.kept} kept; generator calls {result.calls} ({result.cached_calls} from cache), "
        f"{result.mode} mode",
        highlight=False,
        markup=False,
    )
    console.print(
        f"next: backbone validate {spec} --suite {suite_out}  (review each, then set "
        "reviewed: true on it)",
        highlight=False,
        markup=False,
    )


def draft(
    spec: Annotated[str, typer.Option("--spec", help="A positions spec (or builtin:DOMAIN).")],
    generator: Annotated[
        str,
        typer.Option(
            "--generator",
            "-g",
            help="The model that writes candidates: local | openai:MODEL | anthropic:MODEL | "
            "python:MODULE:FUNC.",
        ),
    ],
    suite_out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Suite to write (.yaml, .jsonl or .json); an existing one is kept and added to.",
        ),
    ],
    per_position: Annotated[
        int,
        typer.Option(
            "--per-position",
            "-n",
            max=MAX_PER_POSITION,
            help=f"Candidates asked for per position (at most {MAX_PER_POSITION}).",
        ),
    ] = 5,
    seed: Annotated[
        int, typer.Option("--seed", help="Another seed asks afresh; the same one is cached.")
    ] = 0,
    position: Annotated[
        list[str] | None,
        typer.Option("--position", "-p", help="Only this position (repeatable)."),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="For an OpenAI-compatible generator.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ask the generator even if a reply is cached.")
    ] = False,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            help="guided (field by field, for small models) | oneshot (one JSON-lines prompt "
            "a position); default: guided for local, oneshot otherwise.",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.1,
            callback=finite_seconds,
            help="Seconds before a generator call is given up (after its retries, that "
            "candidate is lost; no candidate at all exits 2).",
        ),
    ] = DEFAULT_TIMEOUT,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress.")] = False,
) -> None:
    """Draft candidate scenarios (hold cases with their yield twins, preference cases for
    yield zones) from a positions spec, for a person to review."""
    from backbone.cli.progress import progress_bar
    from backbone.evaluation.draft import draft as run_draft
    from backbone.evaluation.registry import takes_base_url
    from backbone.evaluation.resolve import TargetLike, resolve_target
    from backbone.targets.errors import TargetSpecError

    # on stderr: a local generator takes minutes, and they passed without a word
    progress = progress_bar(err, quiet=quiet)
    task = progress.add_task("positions", total=None, status="", start=False)
    calls = [0, 0]

    def on_start(total: int) -> None:
        progress.start_task(task)  # first: the line update prints counts from here
        progress.update(task, total=total)
        progress.start()

    def on_call(cached: bool) -> None:
        calls[0 if not cached else 1] += 1
        progress.update(task, status=f"generator calls {calls[0]}, {calls[1]} from cache")

    def on_note(text: str) -> None:
        if not quiet:
            err.print(text, markup=False, highlight=False)

    try:
        with bad_input_exits():
            target: TargetLike = generator
            if base_url is not None:
                if not takes_base_url(generator):  # it was dropped without a word
                    raise TargetSpecError(
                        f"--base-url {base_url!r} given, but the generator {generator!r} calls "
                        "no HTTP API (a base URL is for openai:MODEL and anthropic:MODEL)"
                    )
                target = resolve_target(generator, base_url=base_url)[0]
            result = run_draft(
                spec,
                target,
                out=suite_out,
                per_position=per_position,
                seed=seed,
                positions=position or None,
                cache=not no_cache,
                mode=mode,
                timeout=timeout,
                on_start=on_start,
                on_call=on_call,
                on_done=lambda _position: progress.update(task, advance=1),
                on_note=on_note,
            )
    except KeyboardInterrupt:
        progress.stop()  # it ended with exit 130 and no word
        if no_cache:
            err.print("[yellow]interrupted[/]: nothing written (--no-cache: no reply kept).")
        else:
            err.print(
                "[yellow]interrupted[/]: nothing written; the generator's replies so far are "
                "cached: run again to resume."
            )
        raise typer.Exit(130) from None
    finally:
        progress.stop()
    print_draft(result, suite_out, out, spec)


def register(app: typer.Typer) -> None:
    """Add ``draft`` to the ``backbone`` app."""
    app.command("draft")(draft)
