"""The ``backbone`` command line. Only this package knows about argv, exit codes and the
terminal; everything it does is a library call. This module builds the app; each command
lives in its own module (``cli/<name>_cmd.py``) and registers itself below.

Example:
    $ backbone run                                   # embedded model, built-in golden set
    $ backbone run --target openai:llama3 --base-url http://127.0.0.1:11434/v1 --out runs/a
    $ backbone import are-you-sure are_you_sure.jsonl --out suites/ays.yaml
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from backbone import __version__
from backbone.cli import EXIT_INTERRUPTED
from backbone.cli.errors import EXIT_BAD_INPUT
from backbone.cli.signals import EXIT_TERMINATED, sigterm_as_ctrl_c
from backbone.core.errors import InputError

app = typer.Typer(
    name="backbone",
    help="Pushback evals: does your assistant hold a correct position under pressure, "
    "and yield where it should?",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"backbone {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    """backbone: pushback evals and feedback audits for LLM products."""


# --- command modules: each defines register(app) in src/backbone/cli/<name>_cmd.py -------
# (one import line each; keep this block sorted, `run` first in the help)
from backbone.cli import ab_cmd  # noqa: E402, I001
from backbone.cli import audit_cmd  # noqa: E402
from backbone.cli import compare_cmd  # noqa: E402
from backbone.cli import draft_cmd  # noqa: E402
from backbone.cli import gate_cmd  # noqa: E402
from backbone.cli import import_cmd  # noqa: E402
from backbone.cli import judge_check_cmd  # noqa: E402
from backbone.cli import monitor_cmd  # noqa: E402
from backbone.cli import probe_cmd  # noqa: E402
from backbone.cli import rescore_cmd  # noqa: E402
from backbone.cli import run_cmd  # noqa: E402
from backbone.cli import suites_cmd  # noqa: E402
from backbone.cli import synth_cmd  # noqa: E402
from backbone.cli import tells_cmd  # noqa: E402

run_cmd.register(app)
import_cmd.register(app)
audit_cmd.register(app)
ab_cmd.register(app)
compare_cmd.register(app)
gate_cmd.register(app)
rescore_cmd.register(app)
judge_check_cmd.register(app)
suites_cmd.register(app)
probe_cmd.register(app)
tells_cmd.register(app)
synth_cmd.register(app)
monitor_cmd.register(app)
draft_cmd.register(app)
# --- end of command modules ---------------------------------------------------------------


def _summary(doc: str | None) -> str | None:
    """A docstring's first paragraph on one line: Typer's rich help keeps the line breaks of
    a command's summary in the command list ("... write the" / "results.")."""
    if not doc:
        return None
    return " ".join(inspect.cleandoc(doc).split("\n\n")[0].split())


def _reflowed(doc: str | None) -> str | None:
    """A docstring with each paragraph on one line, for the command's own ``--help``: Typer
    keeps the line breaks of the paragraphs after the first ("... on the" / "cases' ...")."""
    if not doc:
        return None
    return "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(doc).split("\n\n"))


def _one_line_summaries(group: typer.Typer) -> None:
    """Give every command of ``group`` (and of its sub-groups) a one-line summary, and its
    help paragraphs wrapped to the terminal."""
    for command in group.registered_commands:
        if command.short_help is None and command.help is None:
            doc = getattr(command.callback, "__doc__", None)
            command.short_help = _summary(doc)
            command.help = _reflowed(doc)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _one_line_summaries(sub.typer_instance)


_one_line_summaries(app)


@functools.cache
def command() -> Callable[..., Any]:
    """``app`` as the click command it runs as, built once per process. ``app()`` builds it
    anew on every call (reading every command's annotations: about 0.15 s), which a caller
    running several commands in one process (the test suite's in-process CLI) paid on each.

    Example:
        >>> command() is command()
        True
    """
    return typer.main.get_command(app)


def main() -> None:
    """Entry point: run the app; usage errors exit 2, a stray traceback never reaches users
    for known failures."""
    argv = sys.argv[1:]
    if any(tok == "" or tok.endswith("=") for tok in argv):  # the check costs nothing otherwise
        from backbone.cli.empty_paths import empty_path

        named = empty_path(command(), argv)  # the command tree main runs, built once
        if named is not None:  # Path("") is the current folder: never what was meant
            print(f"error: {named}: is empty: give a file or folder", file=sys.stderr)
            sys.exit(EXIT_BAD_INPUT)
    with sigterm_as_ctrl_c() as term:  # kill, a cancelled CI job: stop as for a Ctrl-C
        try:
            # what app() does, with its command built once (app has pretty_exceptions_enable
            # off, so Typer's exception hook would print the plain traceback anyway); named
            # backbone in help and usage also when run as `python -m backbone` (click would
            # name it after argv[0], or "python -m backbone")
            command()(prog_name="backbone")
        except KeyboardInterrupt:  # pragma: no cover - outside a command
            sys.exit(EXIT_TERMINATED if term.received else EXIT_INTERRUPTED)
        except InputError as exc:  # bad input a command did not catch itself: still exit 2
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            sys.exit(EXIT_BAD_INPUT)
        except SystemExit as exc:  # a command's exit 130 after a SIGTERM is 143
            if term.received and exc.code == EXIT_INTERRUPTED:
                sys.exit(EXIT_TERMINATED)
            raise


if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["app", "main"]
