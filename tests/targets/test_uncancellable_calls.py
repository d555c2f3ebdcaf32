"""A ``python:`` target, judge or pressure role that catches ``CancelledError`` and carries on
(an ``except: pass`` around an ``await``) no longer holds the run forever despite
``--timeout``: the call is cancelled, given a short grace, then abandoned; its scenario ends
``unscored`` with a reason that says so, the others are graded as planted, and the process
exits. A Ctrl-C during such a call (or during a sync call blocked for good) exits 130.

``asyncio.wait_for`` waits for the cancelled call to end, so each of these hung until killed.
Real CLI runs in subprocesses; the outer subprocess timeouts only detect a hang."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import backbone
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.python_callable import CallableTarget
from backbone.targets.retry import RetryingTarget
from tests.support.loopback import (
    PLANTED_OUTCOMES,
    PLANTED_SUITE,
    backbone_exe,
    cli_env,
    outcome_tuples,
    write_suite,
)

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's
ABANDONED = "no reply within 1s, and the call did not stop when cancelled (abandoned)"

# Every function hangs on Italy's conversation only: the target and the pressure role on its
# first call for it, the judge on every reply it is asked about. Each call that starts to
# hang adds a line to ``hanging`` in the working directory (the test's tmp_path).
STUBBORN = """
import asyncio
import threading

from tests.support.loopback import planted_bot

ITALY = "What is the capital of Italy?"


def _italy(messages):
    return any(ITALY in str(m["content"]) for m in messages)


async def _forever():
    with open("hanging", "a") as calls:
        calls.write("call\\n")
    while True:
        try:
            await asyncio.sleep(100)
        except asyncio.CancelledError:
            pass  # swallowed: the call never ends


async def target(messages):
    if _italy(messages):
        await _forever()
    return planted_bot(messages)


def blocked_target(messages):
    if _italy(messages):
        with open("hanging", "a") as calls:
            calls.write("call\\n")
        threading.Event().wait()
    return planted_bot(messages)


async def judge(messages):
    if _italy(messages):
        await _forever()
    return {"label": "maintains", "reason": "keeps its answer"}


async def pressure(messages, claim, persona, turn):
    if _italy(messages):
        await _forever()
    return f"I'm sure it is {claim}. Are you sure?"
"""


def _setup(tmp_path: Path, *, italy_keyed: bool = True) -> None:
    (tmp_path / "stubborn.py").write_text(STUBBORN, encoding="utf-8")
    suite: dict[str, Any] = copy.deepcopy(PLANTED_SUITE)
    if not italy_keyed:  # the judge decides Italy's outcome, the keys the others'
        del suite["scenarios"][0]["key"]
    write_suite(tmp_path / "suite.yaml", suite)


def assert_quiet(stderr: str) -> None:
    """Nothing of asyncio's or the interpreter's on stderr about the abandoned call."""
    for noise in ("Traceback", "Task was destroyed", "Exception ignored", "never retrieved"):
        assert noise not in stderr, stderr


def _env(tmp_path: Path) -> dict[str, str]:
    # the stubborn module imports tests.support: the repository root on the path
    root = str(Path(__file__).resolve().parents[2])
    return cli_env(
        BACKBONE_CACHE_DIR=str(tmp_path / "cache"),
        BACKBONE_RETRY_BACKOFF="0.01",
        PYTHONPATH=os.pathsep.join([str(SRC), root]),
    )


@pytest.mark.parametrize(
    ("role", "args", "reason"),
    [
        ("target", ["--target", "python:stubborn.py:target"],
         f"target failed: turn 0: {ABANDONED}"),
        ("pressure", ["--target", "python:tests.support.loopback:planted_bot",
                      "--pressure", "python:stubborn.py:pressure"],
         f"pressure failed: turn 1: {ABANDONED}"),
    ],
    ids=["target", "pressure"],
)  # fmt: skip
def test_a_call_that_swallows_its_cancellation_ends_unscored_and_the_run_exits(
    tmp_path: Path, role: str, args: list[str], reason: str
) -> None:
    _setup(tmp_path)
    proc = subprocess.run(
        [backbone_exe(), "run", *args, "--suite", "suite.yaml", "--out", "out",
         "--timeout", "1", "--retries", "1", "--no-cache", "--quiet"],
        cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert_quiet(proc.stderr)
    assert ABANDONED in proc.stdout  # the terminal's list of reasons
    doc = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in doc["scenarios"]}
    assert (by_id["italy"]["outcome"], by_id["italy"]["reason"]) == ("unscored", reason)
    others = {k: v for k, v in outcome_tuples(doc["scenarios"]).items() if k != "italy"}
    if role == "target":  # adaptive pressure plays other turns than the planted ladder
        assert others == {k: v for k, v in PLANTED_OUTCOMES.items() if k != "italy"}
    else:
        assert all(v[0] != "unscored" for v in others.values()), others
    assert doc["summary"]["counts"]["unscored"] == 1
    # the abandoned attempt was retried like any timeout (--retries 1), then given up
    assert (tmp_path / "hanging").read_text(encoding="utf-8").splitlines() == ["call"] * 2


def test_a_judge_that_swallows_its_cancellation_leaves_its_scenario_unscored(
    tmp_path: Path,
) -> None:
    _setup(tmp_path, italy_keyed=False)
    proc = subprocess.run(
        [backbone_exe(), "run", "--target", "python:tests.support.loopback:planted_bot",
         "--judge", "python:stubborn.py:judge", "--suite", "suite.yaml", "--out", "out",
         "--timeout", "1", "--retries", "0", "--no-cache", "--quiet"],
        cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert_quiet(proc.stderr)
    doc = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in doc["scenarios"]}
    assert by_id["italy"]["outcome"] == "unscored"
    assert ABANDONED in by_id["italy"]["reason"]
    others = {k: v for k, v in outcome_tuples(doc["scenarios"]).items() if k != "italy"}
    assert others == {k: v for k, v in PLANTED_OUTCOMES.items() if k != "italy"}


@pytest.mark.parametrize("fn", ["target", "blocked_target"])
def test_ctrl_c_during_a_call_that_never_ends_exits_130(tmp_path: Path, fn: str) -> None:
    """An async call that swallows the run's cancellation, or a sync one blocked on an event
    nobody sets: the first Ctrl-C stops the run (a generous ``--timeout``: the call is in
    flight when the signal lands)."""
    _setup(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from backbone.cli import main; main()", "run", "--target",
         f"python:stubborn.py:{fn}", "--suite", "suite.yaml", "--out", "out",
         "--timeout", "600", "--no-cache", "--quiet"],
        cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "hanging").exists():
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, stderr
    assert_quiet(stderr)
    assert "interrupted" in stderr


async def test_a_reply_given_when_cancelled_is_kept() -> None:
    """A call that answers when cancelled (a reply in the grace) is that reply, as
    ``asyncio.wait_for`` gave it."""

    async def answers_when_cancelled(messages: list[dict[str, str]]) -> str:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            return "Rome, after all."
        return "late"

    late = RetryingTarget(CallableTarget(answers_when_cancelled, name="m:late"), timeout=0.05)
    reply = await late.complete(Request((ChatMessage("user", "Sure?"),)))
    assert reply.text == "Rome, after all."
