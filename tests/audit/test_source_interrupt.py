"""A Ctrl-C the moment a log's DuckDB scratch folder is made (``backbone-audit-*`` in $TMPDIR,
while DuckDB starts up) left the folder behind: the command exited 130 as it should, but the
folder was made before the clean-up that removes it on an error was in place. The CLI runs in
a subprocess (a real SIGINT), on the code under test."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import backbone
from tests.support.loopback import cli_env

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's


def test_ctrl_c_as_duckdb_starts_leaves_no_scratch_folder(tmp_path: Path) -> None:
    rows = [
        {"id": f"e{i}", "timestamp": "2025-03-01T00:00:00Z", "user_id": f"u{i}",
         "prompt": "2+2?", "response": "4", "rating": "down" if i % 2 else "up"}
        for i in range(20)
    ]  # fmt: skip
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = cli_env(
        PYTHONPATH=f"{SRC}:{SRC.parent}", TMPDIR=str(scratch), BACKBONE_CACHE_DIR=str(tmp_path)
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", "from backbone.cli.app import main; main()", "audit",
         "log.jsonl", "--judge", "python:tests.fixtures.gated_judge:audit", "--out", "out",
         "--no-cache", "-q"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not any(scratch.glob("backbone-audit-*")):  # made: DuckDB is starting
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert not list(scratch.iterdir())  # the scratch folder removed
    assert not (tmp_path / "out").exists()
