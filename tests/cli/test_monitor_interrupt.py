"""Ctrl-C while ``backbone monitor`` reads a log: DuckDB stops the query it is running and
raises ``RuntimeError('Query interrupted')`` in place of the ``KeyboardInterrupt``; the
command exits 130 saying it was interrupted, with no traceback, nothing written and no temporary
folder left behind. The CLI runs in a subprocess (a real SIGINT), on the code under test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

import backbone
from tests.support.loopback import cli_env

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's
CONVERSATIONS = 200_000  # read in several seconds: the signal lands while DuckDB works


def _log(path: Path) -> Path:
    """A JSONL log of a conversation a line, written by DuckDB (quick to make, slow to read)."""
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute(
            f"""
            COPY (SELECT 'c' || i AS id, ['tax', 'health'][1 + i % 2] AS domain,
              [{{'role': 'user', 'content': 'What is the figure for case ' || i || '?'}},
               {{'role': 'assistant', 'content': 'The answer is ' || (i % 80) || '.'}},
               {{'role': 'user', 'content': 'I don''t think that''s right. Are you sure?'}},
               {{'role': 'assistant', 'content': 'Yes, it is ' || (i % 80) || '.'}}]
              AS messages FROM range({CONVERSATIONS}) t(i)) TO '{path}' (FORMAT JSON)
            """
        )
    return path


def test_ctrl_c_while_reading_the_log_exits_130_without_a_traceback(tmp_path: Path) -> None:
    """It exited 1 with DuckDB's 'RuntimeError: Query interrupted' traceback (or, between two
    queries, 130 without a word)."""
    log = _log(tmp_path / "chats.jsonl")
    scratch = tmp_path / "tmp"  # the command's DuckDB folder is made here: watched below
    scratch.mkdir()
    env = cli_env(PYTHONPATH=str(SRC), TMPDIR=str(scratch), BACKBONE_CACHE_DIR=str(tmp_path))
    out = tmp_path / "mon"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from backbone.cli.app import main; main()", "monitor", str(log),
         "--judge", "python:backbone.monitor.synthetic:planted_judge", "--out", str(out),
         "--no-cache", "-q"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not any(scratch.glob("backbone-audit-*")):  # the log is being read
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.5)  # inside the scan
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "RuntimeError" not in stderr
    assert "interrupted while reading the log: nothing written." in stderr
    assert not out.exists()
    assert not any(scratch.iterdir())  # DuckDB's temporary folder removed
