"""A DuckDB column that fails only when it is read, and the CLI run the draw-failure tests of
the audit and the monitor share (tests/audit/test_draw_failures.py,
tests/monitor/test_draw_failures.py)."""

from __future__ import annotations

from typer.testing import CliRunner

from backbone.cli.app import app

UNREADABLE = "error('page 7 no longer reads')"
"""A SQL expression that raises when evaluated: a view's column of it fails in the draw only."""


def run(*args: str) -> tuple[int, str]:
    """``backbone ARGS --no-cache -q`` in process: the exit code and the output, one line."""
    res = CliRunner().invoke(app, [*args, "--no-cache", "-q"])
    return res.exit_code, " ".join(res.output.split())
