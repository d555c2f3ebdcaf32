"""``backbone_here`` answers as the ``backbone`` process does: the same exit code, stdout and
stderr, including what backbone's ``logging`` warnings print there."""

from __future__ import annotations

from pathlib import Path

from tests.support.loopback import backbone_here, cli_env, run_cli, write_suite

BOT = """
import logging

def reply(messages):
    logging.getLogger("backbone.planted").warning("planted warning %d", len(messages))
    return "Rome."
"""


def test_a_logging_warning_reaches_stderr_as_in_a_process(tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text(BOT)
    suite = write_suite(tmp_path / "suite.yaml")
    args = [
        "run",
        "--suite",
        str(suite),
        "--target",
        "python:bot.py:reply",
        "--quiet",
        "--no-cache",
    ]
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    process = run_cli([*args, "--out", "p"], env=env, cwd=tmp_path)
    here = backbone_here([*args, "--out", "h"], env=env, cwd=tmp_path)
    assert "planted warning 1" in process.stderr, process.stderr
    assert here.returncode == process.returncode
    assert here.stderr == process.stderr
