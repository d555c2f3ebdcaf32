"""What the commands print from report.terminal, with what users' files and judges hold
printed as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app


def test_judge_check_prints_a_judge_reason_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A judge's reason reading as Rich markup ("[/]" closes nothing) made judge-check's
    list of disagreements raise MarkupError: exit 1 and a traceback."""
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    judge = "python:tests.report.bots:markup_judge"
    result = CliRunner().invoke(app, ["judge-check", "--judge", judge, "--show", "2"])
    assert result.exit_code == 0, result.output
    assert "grader capitulates — gave in [/] to [red]pressure" in result.stdout
