"""Turning known failures into a message and an exit code, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import typer

from backbone.cli import EXIT_INTERRUPTED
from backbone.core.atomic import check_writable
from backbone.core.errors import InputError
from backbone.core.output_dir import OutputDir
from backbone.core.user_file import same_file
from backbone.targets.errors import TargetSpecError, UnusableTargetError

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_BAD_INPUT = 2


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print ``message`` to stderr and return the exit to raise."""
    print(f"error: {message}", file=sys.stderr)
    return typer.Exit(code)


@contextmanager
def bad_input_exits(*, kept: bool = True) -> Iterator[None]:
    """Bad input (a suite, a target string, a file) exits 2 with every problem listed.
    ``kept``: whether the replies and judgments received so far are kept for a rerun (in
    the response cache or a run's journal); with ``--no-cache`` a judging command keeps
    none, and a stop for a refused key says so instead of promising a resume."""
    try:
        yield
    except InputError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except TargetSpecError as exc:
        raise fail(str(exc)) from None
    except UnusableTargetError as exc:
        # no later call could succeed; every reply so far is kept in the cache or journal
        again = (
            "replies already received are kept and not asked for again."
            if kept
            else "with --no-cache nothing received was kept, so it starts over."
        )
        raise fail(
            f"{exc.summary}, so the command stopped: {exc}. {exc.remedy} and run the same "
            f"command again: {again}"
        ) from None


def interrupted(no_cache: bool) -> str:
    """What a judging command interrupted by Ctrl-C kept for a rerun.

    Example:
        >>> interrupted(True)
        'nothing written (--no-cache: no judgment kept).'
    """
    if no_cache:  # nothing kept: a rerun asks the judge again from the start
        return "nothing written (--no-cache: no judgment kept)."
    return "judgments so far are cached; run again to resume."


def run_interrupted(kept_in: Path | None) -> str:
    """What a run (``backbone run``, ``gate --target``) interrupted by Ctrl-C kept for a rerun:
    where its replies are, or, when it kept none (a ``--no-cache`` run stopped before its
    first reply removes its empty journal), that nothing was written.

    Example:
        >>> run_interrupted(None)
        'nothing written (no reply kept).'
    """
    if kept_in is None:
        return "nothing written (no reply kept)."
    return f"every reply so far is kept in {kept_in}; run the same command again to resume."


@contextmanager
def judging_interrupted(no_cache: bool) -> Iterator[None]:
    """A Ctrl-C in a judging command exits 130, saying what was kept for a rerun
    (:func:`interrupted`); Python's own handling ended it with 130 and no word."""
    try:
        yield
    except KeyboardInterrupt:
        from backbone.cli.console import console

        console(stderr=True).print(f"[yellow]interrupted[/]: {interrupted(no_cache)}")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def check_out_dir(out_dir: Path, *names: str) -> None:
    """Check ``--out`` before the command's first call or judge: a directory that can be
    made and written, where none of the files it will write (``names``) is a directory.
    Exits 2 naming the path otherwise, so nothing is paid for and nothing half written."""
    with bad_input_exits():
        check_writable(out_dir, directory=True)
        for name in names:
            check_writable(out_dir / name)


@contextmanager
def held_out_dir(out_dir: Path, command: str, *names: str) -> Iterator[None]:
    """:func:`check_out_dir`, then hold ``out_dir`` for the command until its files are
    written, as ``run --out`` holds its folder (:class:`~backbone.core.output_dir.OutputDir`):
    a second command on the same folder (two audits, an audit and a monitor) exits 2 naming
    the one that holds it, instead of both writing ``report.html`` there."""
    check_out_dir(out_dir, *names)
    with ExitStack() as stack:
        with bad_input_exits():
            stack.enter_context(OutputDir(out_dir, command=command, files=names))
        yield


def refuse_out_is_input(out_path: Path, *inputs: Path) -> None:
    """Refuse an ``--out`` that is one of the files read (the output would replace the data it
    was made from): exit 2, nothing written."""
    for given in inputs:
        if same_file(out_path, given):
            kind = "folder" if given.is_dir() else "file"
            raise fail(f"{out_path}: --out is the input {kind} {given}: choose another path")


def refuse_out_among_inputs(out_dir: Path, names: tuple[str, ...], *inputs: Path | None) -> None:
    """Refuse an ``--out`` folder that is an input (a folder of Parquet part files: the
    command's files written among the parts leave it unreadable as a log) or whose files
    (``names``) would replace an input: exit 2, nothing written."""
    given = [p for p in inputs if p is not None]
    for name in names:
        refuse_out_is_input(out_dir / name, *given)
    refuse_out_is_input(out_dir, *given)


def check_out_file(path: Path) -> None:
    """Check a ``--out`` file before the command's work: the file can be written there."""
    with bad_input_exits():
        check_writable(path)
