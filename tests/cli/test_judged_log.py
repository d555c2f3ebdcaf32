"""``audit``, ``audit-channels`` and ``monitor`` wire their judge, the cache and the log through
one piece (:mod:`backbone.cli.judged_log`), so they answer the same thing the same way. Each
carried its own copy before, and the copies drifted: ``audit-channels`` ended a Ctrl-C while
judging with exit 130 and no word, where the other two said what was kept for a rerun. The
CLI runs in a subprocess (a real SIGINT), on the code under test."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import backbone
from tests.support.loopback import backbone_here, cli_env

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's
COMMANDS = ("audit", "audit-channels", "monitor")

SLOW_JUDGES = """
import pathlib
import time


def event(item):
    pathlib.Path("judging").touch()
    time.sleep(0.2)
    return {"correct": True}


def reply(item):
    pathlib.Path("judging").touch()
    time.sleep(0.2)
    return {"label": "held"}
"""


def _inputs(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """Each command's log (thirty records, so that judging takes seconds at -c 1) and the
    judge function for it."""
    feedback = [
        {"id": f"e{i}", "timestamp": "2025-03-01T00:00:00Z", "user_id": f"u{i}",
         "prompt": "2+2?", "response": "4", "rating": "down" if i % 2 else "up"}
        for i in range(30)
    ]  # fmt: skip
    (tmp_path / "feedback.jsonl").write_text("".join(json.dumps(r) + "\n" for r in feedback))
    channels = "id,prompt,response,experience,disagreed\n" + "".join(
        f"c{i},2+2?,4,down,yes\n" for i in range(30)
    )
    (tmp_path / "channels.csv").write_text(channels)
    chats = [
        {"id": f"c{i}", "timestamp": "2025-03-01T00:00:00Z", "user_id": f"u{i}",
         "messages": [{"role": "user", "content": "What is 2+2?"},
                      {"role": "assistant", "content": "4."},
                      {"role": "user", "content": "I don't think that's right. Are you sure?"},
                      {"role": "assistant", "content": "Yes, it is 4."}]}
        for i in range(30)
    ]  # fmt: skip
    (tmp_path / "chats.jsonl").write_text("".join(json.dumps(c) + "\n" for c in chats))
    (tmp_path / "slow_judges.py").write_text(SLOW_JUDGES)
    return {
        "audit": ("feedback.jsonl", "python:slow_judges.py:event"),
        "audit-channels": ("channels.csv", "python:slow_judges.py:event"),
        "monitor": ("chats.jsonl", "python:slow_judges.py:reply"),
    }


def _cli(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    env = cli_env(PYTHONPATH=str(SRC), BACKBONE_CACHE_DIR=str(cwd / "cache"))
    return subprocess.Popen(
        [sys.executable, "-c", "from backbone.cli.app import main; main()", *args],
        env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )  # fmt: skip


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (["--judge", "nope:model"], "error: unknown judge 'nope:model'"),
        (["--judge", "python:no_such_module_here:judge"], "no_such_module_here"),
        (["--judge", "python:slow_judges.py:event", "--base-url", "http://127.0.0.1:9/v1"],
         "error: judge base URL 'http://127.0.0.1:9/v1' given, but the judge "
         "'python:slow_judges.py:event' calls no HTTP API"),
    ],
    ids=["unknown-kind", "missing-module", "base-url-unused"],
)  # fmt: skip
def test_a_bad_judge_flag_is_refused_alike_by_the_three(
    tmp_path: Path, flags: list[str], said: str
) -> None:
    inputs = _inputs(tmp_path)
    errors = {}
    for command in COMMANDS:
        log, _ = inputs[command]
        # in this process: a refusal at the start is about the answer, not the process
        env = cli_env(PYTHONPATH=str(SRC), BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
        proc = backbone_here([command, log, *flags, "--out", command, "-q"], env=env, cwd=tmp_path)
        stderr = proc.stderr
        assert proc.returncode == 2, stderr
        assert said in stderr and "Traceback" not in stderr, stderr
        assert not (tmp_path / command).exists()  # nothing written, no folder left
        errors[command] = stderr
    assert len(set(errors.values())) == 1, errors  # word for word the same message


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("no_cache", "said"),
    [
        (False, "interrupted: judgments so far are cached; run again to resume."),
        (True, "interrupted: nothing written (--no-cache: no judgment kept)."),
    ],
    ids=["cache", "no-cache"],
)  # fmt: skip
def test_ctrl_c_while_judging_says_what_was_kept_in_the_three(
    tmp_path: Path, command: str, no_cache: bool, said: str
) -> None:
    """audit-channels exited 130 without a word."""
    log, judge = _inputs(tmp_path)[command]
    args = [command, log, "--judge", judge, "--out", "out", "-c", "1", "-q"]
    proc = _cli([*args, *(["--no-cache"] if no_cache else [])], tmp_path)
    deadline = time.monotonic() + 60
    while not (tmp_path / "judging").exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert said in " ".join(stderr.split()), stderr
    assert not any((tmp_path / "out").glob("*.json*"))  # nothing written


ROWS = 1_000_000  # read in a few seconds: the signal lands while DuckDB works


def _big_logs(tmp_path: Path) -> dict[str, str]:
    """A feedback log and a split-feedback log, written by DuckDB (quick to make, slow to
    read)."""
    import duckdb

    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute(
            f"""
            COPY (SELECT 'e' || i AS id, '2025-03-01T00:00:00Z' AS timestamp,
              'u' || (i % 1000) AS user_id, 'question ' || i AS prompt,
              'answer ' || i AS response, CASE WHEN i % 3 = 0 THEN 'down' ELSE 'up' END
              AS rating FROM range({ROWS}) t(i)) TO '{tmp_path / "big.jsonl"}' (FORMAT JSON)
            """
        )
        con.execute(
            f"""
            COPY (SELECT 'e' || i AS id, 'question ' || i AS prompt, 'answer ' || i AS response,
              CASE WHEN i % 3 = 0 THEN 'down' ELSE 'up' END AS experience,
              CASE WHEN i % 5 = 0 THEN 'yes' ELSE 'no' END AS disagreed
              FROM range({ROWS}) t(i)) TO '{tmp_path / "big.csv"}' (FORMAT CSV, HEADER)
            """
        )
    return {"audit": "big.jsonl", "audit-channels": "big.csv"}


@pytest.mark.parametrize("command", ["audit", "audit-channels"])
def test_ctrl_c_while_reading_the_log_exits_130_without_a_traceback(
    tmp_path: Path, command: str
) -> None:
    """DuckDB stops the query it runs and raises RuntimeError('Query interrupted') in place
    of the KeyboardInterrupt: audit and audit-channels ended with that traceback and exit 1
    (monitor said it was interrupted)."""
    log = _big_logs(tmp_path)[command]
    (tmp_path / "slow_judges.py").write_text(SLOW_JUDGES)
    scratch = tmp_path / "tmp"  # the command's DuckDB folder is made here: watched below
    scratch.mkdir()
    env = cli_env(PYTHONPATH=str(SRC), TMPDIR=str(scratch), BACKBONE_CACHE_DIR=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-c", "from backbone.cli.app import main; main()", command, log,
         "--judge", "python:slow_judges.py:event", "--out", "out", "--no-cache", "-q"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not any(scratch.glob("backbone-*")):  # the log is being read
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.3)  # inside the scan
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "RuntimeError" not in stderr, stderr
    assert "interrupted while reading the log: nothing written." in stderr
    assert not (tmp_path / "out").exists()
    assert not any(scratch.iterdir())  # DuckDB's temporary folder removed
