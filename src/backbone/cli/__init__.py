"""The ``backbone`` command line: argv, exit codes and the terminal (see ``app``).

A regular package (not a namespace one) so that import-linter sees it: nothing else of
backbone may import it (``[tool.importlinter]`` in ``pyproject.toml``).

The console script calls :func:`main` here, which imports the app itself: importing it takes
about 0.2 s (Typer, Rich, every command's options), and a Ctrl-C in that time was a
KeyboardInterrupt traceback instead of the quiet exit 130 a Ctrl-C gets later.

Example:
    $ backbone --help
"""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130


def main() -> None:
    """The ``backbone`` console script: load the app, then run it (``app.main``)."""
    try:
        from backbone.cli.app import main as run_app
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    run_app()
