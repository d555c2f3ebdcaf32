"""``$BACKBONE_PROGRESS_SECONDS`` (README: "at most every 10 seconds") sets the interval of
the plain progress lines. A value that is not a number of seconds ("5s", "ten") ended every
command that shows progress with a ValueError traceback before it did any work; now it is
reported once, as the other BACKBONE_* settings are, and the default is used."""

from __future__ import annotations

import io
import logging
import subprocess
from pathlib import Path

import pytest
from rich.console import Console

from backbone.cli.progress import PlainProgress, progress_bar
from tests.support.loopback import backbone_exe, cli_env

BOT = "def reply(messages):\n    return 'It is Tokyo.'\n"


def _plain(monkeypatch: pytest.MonkeyPatch, value: str) -> PlainProgress:
    monkeypatch.setenv("BACKBONE_PROGRESS_SECONDS", value)
    bar = progress_bar(Console(file=io.StringIO(), force_terminal=False), quiet=False)
    assert isinstance(bar, PlainProgress)
    return bar


@pytest.mark.parametrize("value", ["5s", "ten", "nan", "-1", "inf"])
def test_a_value_that_is_no_interval_is_reported_and_the_default_used(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    with caplog.at_level(logging.WARNING):
        bar = _plain(monkeypatch, value)
    assert bar.every == 10.0
    assert f"BACKBONE_PROGRESS_SECONDS={value!r}" in caplog.text


@pytest.mark.parametrize(("value", "every"), [("2.5", 2.5), ("0", 0.0), (" 30 ", 30.0)])
def test_a_number_of_seconds_is_the_interval(
    monkeypatch: pytest.MonkeyPatch, value: str, every: float
) -> None:
    assert _plain(monkeypatch, value).every == every


def test_run_with_a_bad_interval_runs_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text(BOT, encoding="utf-8")
    proc = subprocess.run(
        [backbone_exe(), "run", "--target", "python:bot.py:reply", "--only", "capital-japan",
         "--no-cache", "--out", "out"],
        cwd=tmp_path, env=cli_env(BACKBONE_PROGRESS_SECONDS="5s"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "BACKBONE_PROGRESS_SECONDS='5s'" in proc.stderr
    assert (tmp_path / "out" / "results.json").exists()
