"""``evaluate()`` called where an event loop is already running (a notebook cell,
``asyncio.run(main())``, an async test) plays on a thread of its own; a Ctrl-C there stops it
as on the main thread. Before, Jupyter's "interrupt the kernel" waited for the whole run to
end, and under ``asyncio.run`` the Ctrl-C was lost: the run played to the end and returned
as if nothing had been pressed. The script runs in a subprocess (a real SIGINT) on the tree
under test."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import backbone
from backbone.evaluation.sync import run_sync
from tests.support.loopback import cli_env

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's

SCRIPT = """
import asyncio, sys, time
import backbone

def reply(messages):
    time.sleep(0.3)
    with open("calls.txt", "a") as calls:
        calls.write("call\\n")
    return "Tokyo is the capital of Japan."

async def main():
    return backbone.evaluate("builtin:golden", reply, cache=False, concurrency=1, out="run")

try:
    if sys.argv[1] == "asyncio.run":
        asyncio.run(main())
    else:  # a loop with no SIGINT handler of its own, as a Jupyter kernel's
        asyncio.new_event_loop().run_until_complete(main())
    print("finished")
except KeyboardInterrupt as exc:
    print(type(exc).__name__, getattr(exc, "kept_in", None))
"""


@pytest.mark.parametrize("loop", ["asyncio.run", "notebook"])
def test_ctrl_c_stops_a_run_called_from_a_running_loop(tmp_path: Path, loop: str) -> None:
    (tmp_path / "script.py").write_text(SCRIPT)
    proc = subprocess.Popen(
        [sys.executable, "script.py", loop],
        env=cli_env(PYTHONPATH=str(SRC), BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.default_int_handler),
    )  # fmt: skip
    calls = tmp_path / "calls.txt"
    deadline = time.monotonic() + 60
    while not (calls.exists() and len(calls.read_text().splitlines()) >= 2):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    sent = time.monotonic()
    os.kill(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    waited = time.monotonic() - sent
    assert stdout.strip() == "RunInterrupted run/.backbone/journal.sqlite", stderr
    assert waited < 10  # the whole run takes 126 calls x 0.3 s
    assert len(calls.read_text().splitlines()) < 40
    assert "Traceback" not in stderr


def test_a_run_from_a_running_loop_returns_and_raises_as_from_plain_code() -> None:
    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    async def fails() -> int:
        raise ValueError("bad input")

    async def caller() -> tuple[int, str]:
        got = run_sync(answer)  # a loop is running here: played on a thread of its own
        with pytest.raises(ValueError, match="bad input"):
            run_sync(fails)
        return got, threading.current_thread().name

    assert asyncio.run(caller()) == (42, threading.main_thread().name)


ANOTHER_THREAD = """
import asyncio, signal, sys, threading, time
import backbone

calls = 0

def reply(messages):
    global calls
    time.sleep(0.3)
    calls += 1
    if calls == 2:  # the kernel may hand a process's SIGINT to any of its threads
        sent[0] = time.monotonic()
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)
    return "Tokyo is the capital of Japan."

sent = [0.0]

async def main():
    return backbone.evaluate("builtin:golden", reply, cache=False, concurrency=1, out="run")

try:
    asyncio.run(main())
    print("finished", calls)
except KeyboardInterrupt as exc:
    print(type(exc).__name__, calls, round(time.monotonic() - sent[0], 3))
"""


def test_ctrl_c_taken_by_another_thread_stops_a_run_called_from_a_running_loop(
    tmp_path: Path,
) -> None:
    # CI once waited out a whole run (38 s) after a Ctrl-C: the signal went to a thread
    # other than the main one, whose wait for the run, not woken, never ran the handler
    (tmp_path / "script.py").write_text(ANOTHER_THREAD)
    proc = subprocess.run(
        [sys.executable, "script.py"],
        env=cli_env(PYTHONPATH=str(SRC), BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.default_int_handler),
    )  # fmt: skip
    name, calls, waited = proc.stdout.split()
    assert name == "RunInterrupted", proc.stderr
    assert int(calls) < 10  # the whole run takes 126 calls x 0.3 s
    assert float(waited) < 5
    assert "Traceback" not in proc.stderr
