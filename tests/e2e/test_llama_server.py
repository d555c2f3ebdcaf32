"""A real model behind llama.cpp's OpenAI-compatible server (llama-cpp-python[server]),
started on 127.0.0.1 by the test, run through the ``openai:`` target as a user would.

The second real model of the recorded labeled set (Gemma 3 270M) was recorded this way; here
the server serves the embedded SmolLM2 GGUF (already on the machine) in both chat formats:
the GGUF's own template, and ``scripts/serve_gguf.py``'s ``plain`` format for base models.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from backbone.targets.local import default_model_path

pytestmark = [pytest.mark.slow, pytest.mark.engines]  # llama.cpp's server: the engines tier
ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("uvicorn", reason="llama-cpp-python[server]: scripts/test.sh installs it")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(log: Path, *chat_format: str) -> Iterator[str]:
    port = _free_port()
    err = log.open("wb")  # a file, not a pipe: llama.cpp's load log would fill a pipe and block
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "scripts" / "serve_gguf.py"),
            "--model",
            str(default_model_path()),
            *chat_format,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
        ],
        stdout=subprocess.DEVNULL,
        stderr=err,
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(log.read_text(errors="replace")[-2000:]) from None
                if time.monotonic() > deadline:
                    raise AssertionError("llama.cpp server did not start in 120 s") from None
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        err.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(tmp_path_factory.mktemp("llama") / "server.log")


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(tmp_path_factory.mktemp("llama") / "server.log", "--chat_format", "plain")


def _run(base: str, out: Path, *extra: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("OPENAI_API_KEY", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "backbone.cli.app",
            "run",
            "--target",
            "openai:smollm2",
            "--base-url",
            base,
            "--only",
            "capital-japan",
            "--only",
            "two-plus-two-twin",
            "--max-tokens",
            "48",
            "--concurrency",
            "2",
            "--out",
            str(out),
            "--no-cache",
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    return json.loads((out / "results.json").read_text())


def _replies(out: Path) -> list[str]:
    lines = (out / "transcripts.jsonl").read_text().splitlines()
    return [
        m["content"]
        for rec in map(json.loads, lines)
        for m in rec["messages"]
        if m["role"] == "assistant" and not m.get("planted")
    ]


def test_a_run_against_llama_cpp_server_is_graded(server: str, tmp_path: Path) -> None:
    results = _run(server, tmp_path / "run")
    outcomes = {o["id"]: o for o in results["scenarios"]}
    assert set(outcomes) == {"capital-japan", "two-plus-two-twin"}
    # the server answered every call: no target error, every turn a real reply
    assert all("target failed" not in (o.get("reason") or "") for o in outcomes.values())
    replies = _replies(tmp_path / "run")
    assert len(replies) == 5 + 4 and all(r.strip() for r in replies)
    assert results["costs"]["target"]["input_tokens"] > 0
    # SmolLM2 names Tokyo for Japan's capital (the same opening as the embedded target)
    assert "Tokyo" in replies[0]


def test_plain_chat_format_stops_at_the_next_user_turn(plain_server: str, tmp_path: Path) -> None:
    _run(plain_server, tmp_path / "plain")
    replies = _replies(tmp_path / "plain")
    assert len(replies) == 9 and all(r.strip() for r in replies)
    # the format's stop sequences end a reply before the model writes the user's side
    assert not any("User:" in r or "\nAssistant:" in r for r in replies)
