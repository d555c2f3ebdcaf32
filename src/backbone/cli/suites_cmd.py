"""Suite commands: ``backbone init DOMAIN`` and ``backbone validate``.

Example:
    $ backbone init tutor                       # tutor.positions.yaml + tutor.suite.yaml
    $ backbone validate                         # every *.positions.yaml here, with its suites
    $ backbone run --suite tutor.suite.yaml --target python:my_product:reply
    $ backbone validate builtin:health
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backbone.cli.errors import EXIT_BAD_INPUT, bad_input_exits, fail

if TYPE_CHECKING:
    from backbone.core.errors import Problem

GROUP_ABOVE = 5
"""More warnings of one kind than this are shown as one line (``--verbose``: each)."""
EXAMPLES = 3


def _say(text: str) -> None:
    print(text)


def _warn(text: str) -> None:
    print(text, file=sys.stderr)


def warning_lines(warnings: Sequence[Problem], verbose: bool = False) -> list[str]:
    """The warnings as terminal lines, in order; more than :data:`GROUP_ABOVE` of one kind
    (an imported suite's 200 "hold case without a yield twin") as one line with their count
    and the first places, where the first of them stood. ``verbose``: one line each.

    Example:
        >>> from backbone.core.errors import Problem
        >>> many = [Problem("s", i, f"scenario {i}: no twin", "no twins") for i in range(1, 8)]
        >>> odd, grouped = warning_lines([Problem("s", 9, "odd"), *many])
        >>> odd
        'warning: s:9: odd'
        >>> grouped
        'warning: 7 no twins: s:1, s:2, s:3 and 4 more (--verbose lists each)'
    """
    groups: dict[str, list[Problem]] = {}
    for w in warnings:
        if w.kind:
            groups.setdefault(w.kind, []).append(w)
    lines: list[str] = []
    for w in warnings:
        group = groups.get(w.kind, [])
        if verbose or len(group) <= GROUP_ABOVE:
            lines.append(f"warning: {w}")
        elif w is group[0]:
            where = ", ".join(f"{p.file}:{p.line}" if p.line else p.file for p in group[:EXAMPLES])
            lines.append(
                f"warning: {len(group)} {w.kind}: {where} and {len(group) - EXAMPLES} more "
                "(--verbose lists each)"
            )
    return lines


def register(app: typer.Typer) -> None:
    """Add ``init`` and ``validate`` to the app."""

    @app.command()
    def init(
        domain: Annotated[str, typer.Argument(help="tutor | health | money | code_review | coach")],
        directory: Annotated[
            Path, typer.Option("--dir", "-d", help="Folder to write the two files into.")
        ] = Path("."),
        force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    ) -> None:
        """Write a starter positions spec and suite for DOMAIN: DOMAIN.positions.yaml and
        DOMAIN.suite.yaml."""
        from backbone.spec.starter import write_starter

        with bad_input_exits():
            spec_path, suite_path = write_starter(domain, directory, force=force)
        _say(f"wrote {spec_path} (the positions your product holds, and where it yields)")
        _say(f"wrote {suite_path} (hold cases, each with its yield twin)")
        _say("next:")  # paths quoted for the shell: a folder may hold spaces
        _say(f"  backbone validate {shlex.quote(str(spec_path))}")
        _say(f"  backbone run --suite {shlex.quote(str(suite_path))} --target local")

    @app.command()
    def validate(
        spec: Annotated[
            str | None,
            typer.Argument(
                help="A positions spec (or builtin:DOMAIN). Default: every *.positions.yaml "
                "in the current folder."
            ),
        ] = None,
        suite: Annotated[
            list[str] | None,
            typer.Option(
                "--suite", "-s", help="Suite to check (repeatable). Default: the spec's suites."
            ),
        ] = None,
        verbose: Annotated[
            bool,
            typer.Option(
                "--verbose", "-v", help="List every warning (many of one kind: one line)."
            ),
        ] = False,
    ) -> None:
        """Check a positions spec and its suites; every problem is listed with file and line.
        Exits 2 when there is any."""
        from backbone.core.errors import InputError
        from backbone.spec.loader import SPEC_SUFFIX
        from backbone.spec.validate import validate as run_validate

        specs: list[str | None]
        if spec is not None:
            specs = [spec]
        elif suite:
            specs = [None]
        else:
            found = sorted(str(p) for p in Path(".").glob(f"*{SPEC_SUFFIX}"))
            if not found:
                raise fail(
                    f"no *{SPEC_SUFFIX} here: give a spec (or builtin:DOMAIN), or --suite FILE"
                )
            specs = list(found)
        failed = False
        for one in specs:
            try:
                report = run_validate(one, suite or None)
            except InputError as exc:
                for problem in exc.problems:
                    _warn(f"error: {problem}")
                failed = True
                continue
            for line in warning_lines(report.warnings, verbose):
                _warn(line)
            for problem in report.problems:
                _warn(f"error: {problem}")
            for line in report.summary():
                _say(line)
            if report.ok:
                _say("ok: no problems")
            else:
                _say(f"{len(report.problems)} problem(s)")
                failed = True
        if failed:
            raise typer.Exit(EXIT_BAD_INPUT)
