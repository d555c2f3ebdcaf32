"""``options.sent`` (what the provider got instead of the settings asked for: a reasoning
model that refused ``max_tokens`` and ``temperature``, or needed a larger token limit) says
the same in a run served from the cache, or resumed after a kill, as in the run that made
the calls. What the provider learned of its model is kept beside its replies
(``CachedTarget``), and the next run of the same target takes it up before its first call.

The CLI runs in this process (the run to kill in a subprocess, ``PYTHONPATH`` naming this
tree), against a loopback OpenAI-compatible server that refuses as a reasoning model does."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import backbone
from tests.support.loopback import (
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    PLANTED_SUITE,
    Call,
    LoopbackServer,
    backbone_exe,
    backbone_here,
    cli_env,
    first_user_message,
    outcome_tuples,
    planted_bot,
    read_results,
    write_suite,
)
from tests.targets.test_reasoning_models import reasoning_model, spend_all

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's
FIRST = PLANTED_SUITE["scenarios"][0]["messages"][0]["content"]
LEARNED = {"max_completion_tokens": 1200, "left_out": ["max_tokens", "temperature"]}
"""What a fresh run's record says: both parameters refused, the limit grown from 300."""


def thinks_long_on_the_first_question(server: LoopbackServer) -> None:
    """A reasoning model that spends more than 300 tokens reasoning on the first scenario's
    opening only (a hard question): asked with 300 it answers nothing, with 1200 it answers."""
    reasoning_model(server)
    spend_all(
        server,
        lambda c: (
            c.body.get("max_completion_tokens", 0) < 1000
            and first_user_message(c.body["messages"]) == FIRST
            and len(c.body["messages"]) == 1
        ),
    )


def _args(server: LoopbackServer, out: str, *extra: str) -> list[str]:
    return [
        "run", "--target", "openai:gpt-5-mini", "--base-url", server.openai_base_url,
        "--suite", "suite.yaml", "--out", out, "--quiet", "--concurrency", "1",
        "--max-tokens", "300", *extra,
    ]  # fmt: skip


def _env(tmp: Path) -> dict[str, str]:
    return cli_env(PYTHONPATH=str(SRC), BACKBONE_CACHE_DIR=str(tmp / "cache"))


def _run(server: LoopbackServer, tmp: Path, out: str, *extra: str) -> None:
    proc = backbone_here(_args(server, out, *extra), cwd=tmp, env=_env(tmp))
    assert proc.returncode == 0, proc.stderr


def answered(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.fault is None]


def test_a_run_served_from_the_cache_says_what_was_sent(tmp_path: Path) -> None:
    """The second run makes no call; ``options.sent`` was missing from its results.json, as
    if the model had been sent ``max_tokens=300`` and ``temperature=0``."""
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        thinks_long_on_the_first_question(server)
        _run(server, tmp_path, "a")
        made = server.total
        _run(server, tmp_path, "b")
        assert server.total == made  # every reply from the cache
    a, b = read_results(tmp_path / "a"), read_results(tmp_path / "b")
    assert a["options"]["sent"] == {"target": LEARNED}
    assert b["options"]["sent"] == a["options"]["sent"]
    assert outcome_tuples(b["scenarios"]) == PLANTED_OUTCOMES


def test_a_run_killed_and_resumed_sends_and_says_what_a_fresh_run_does(tmp_path: Path) -> None:
    """``--no-cache``: the run is killed (SIGKILL, nothing it could clean up) after the limit
    grew to 1200 on the first question, and resumed from its journal. The resumed calls went
    at the 300 the replies before them had outgrown, and ``options.sent`` said 300. Now they
    go at 1200 as in a run never killed, and the record says so."""
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot, latency=0.2) as server:
        thinks_long_on_the_first_question(server)
        proc = subprocess.Popen(  # a process: it is killed (SIGKILL); the resume is in this one
            [backbone_exe(), *_args(server, "out", "--no-cache")],
            cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while len(answered(server.calls)) < 4:
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        assert not (tmp_path / "out" / "results.json").exists()
        before = len(server.calls)
        _run(server, tmp_path, "out", "--no-cache")
        resumed = server.calls[before:]
    assert resumed and len(answered(resumed)) < sum(PLANTED_REQUESTS.values())
    assert {c.body.get("max_completion_tokens") for c in resumed} == {1200}
    assert all("max_tokens" not in c.body and "temperature" not in c.body for c in resumed)
    doc = read_results(tmp_path / "out")
    assert doc["options"]["sent"] == {"target": LEARNED}
    assert outcome_tuples(doc["scenarios"]) == PLANTED_OUTCOMES
