"""Ctrl-C while ``backbone probe`` plays its arms: exit 130, no traceback, and a true word on
what was kept. With ``--no-cache`` the plays have no journal (a probe run keeps no run
directory of its own until the end), so nothing is kept: it said 'replies so far are kept in
None; run the same command again to resume'. The CLI runs in a subprocess (a real SIGINT), on
the code under test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import backbone
from tests.probes import bots
from tests.support.loopback import cli_env

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's
SLOW_BOT = """
import time


def reply(messages):
    time.sleep(0.1)
    return "The capital is Rome."
"""


def test_ctrl_c_during_a_probe_without_the_cache_says_nothing_was_kept(tmp_path: Path) -> None:
    (tmp_path / "slow_bot.py").write_text(SLOW_BOT)
    suite = bots.items(tmp_path / "s.yaml", 6)
    out = tmp_path / "probe"
    env = cli_env(PYTHONPATH=str(SRC), BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.Popen(
        [sys.executable, "-c", "from backbone.cli.app import main; main()", "probe",
         "authority", "--target", "python:slow_bot.py:reply", "--suite", str(suite),
         "--out", str(out), "--no-cache", "-c", "1"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )  # fmt: skip
    assert proc.stderr is not None
    first = proc.stderr.readline()  # "authority · expert: 7 scenarios": the first play began
    assert "authority" in first, first + proc.communicate()[1]
    time.sleep(0.3)  # some calls made, far from the end (the plays take several seconds)
    started = time.monotonic()
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted: nothing written (--no-cache: no reply kept)." in stderr
    assert "None" not in stderr and "resume" not in stderr
    assert not (out / "probe.json").exists()
