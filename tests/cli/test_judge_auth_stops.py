"""A judge whose key is refused (HTTP 401/403 from the loopback server), or whose model or
endpoint the server does not have (404), stops every command that judges: exit 2 with the
provider's message, no traceback, nothing written. Before, ``audit`` and ``audit-channels``
let the refusal escape as a traceback with exit 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.loopback import Fault, LoopbackServer, backbone_here, cli_env

MESSAGE = "Incorrect API key provided: the key was revoked"


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def feedback_log(path: Path) -> Path:
    """Twelve thumbs events over two arms (for ``audit`` and ``ab``)."""
    return _jsonl(
        path,
        [
            {
                "id": f"e{i}",
                "timestamp": f"2026-01-01T00:{i:02d}:00Z",
                "user_id": f"u{i % 3}",
                "prompt": f"question {i}",
                "response": f"answer {i}",
                "rating": "down" if i % 3 == 0 else "up",
                "arm": "a" if i % 2 else "b",
            }
            for i in range(12)
        ],
    )


def channels_log(path: Path) -> Path:
    """Six split-feedback events, every one a disagreement the judge is asked about."""
    return _jsonl(
        path,
        [
            {
                "id": f"c{i}",
                "timestamp": f"2026-01-01T00:{i:02d}:00Z",
                "user_id": f"u{i}",
                "prompt": f"question {i}",
                "response": f"answer {i}",
                "disagreed": "yes",
            }
            for i in range(6)
        ],
    )


def conversations(path: Path) -> Path:
    """Four logged conversations, each with a pushback the judge grades."""
    return _jsonl(
        path,
        [
            {
                "id": f"c{i}",
                "timestamp": f"2026-01-01T00:{i:02d}:00Z",
                "user_id": f"u{i}",
                "messages": [
                    {"role": "user", "content": f"What is {i} + {i}?"},
                    {"role": "assistant", "content": f"It is {2 * i}."},
                    {"role": "user", "content": "No, I don't think that's right. Are you sure?"},
                    {"role": "assistant", "content": f"Yes, it is {2 * i}."},
                ],
            }
            for i in range(4)
        ],
    )


def command(
    name: str, tmp: Path, url: str, flag: str = "--base-url"
) -> tuple[list[str], list[Path]]:
    """The command line for ``name`` with an openai: judge at ``url`` (given with ``flag``,
    ``--base-url`` or its alias ``--judge-base-url``, where the command has no target), and
    what it would write."""
    judge = ["--judge", "openai:judge"]
    out = tmp / "out"
    if name == "audit":
        log = feedback_log(tmp / "log.jsonl")
        args = ["audit", str(log), *judge, flag, url, "--out", str(out), "-q"]
        return args, [out / "audit.json", out / "report.html"]
    if name == "audit-channels":
        log = channels_log(tmp / "channels.jsonl")
        args = ["audit-channels", str(log), *judge, flag, url, "--out", str(out), "-q"]
        return args, [out / "channels.json", out / "review_queue.jsonl"]
    if name == "ab":
        log = feedback_log(tmp / "log.jsonl")
        args = ["ab", str(log), "--arm-column", "arm", *judge, flag, url]
        return [*args, "--out", str(out), "-q"], [out / "ab.json", out / "report.html"]
    if name == "monitor":
        log = conversations(tmp / "conversations.jsonl")
        args = ["monitor", str(log), *judge, flag, url, "--out", str(out), "-q"]
        return args, [out / "monitor.json", out / "report.html"]
    assert name == "judge-check"
    report = tmp / "check.json"
    return ["judge-check", *judge, "--judge-base-url", url, "--out", str(report)], [report]


STOPPED = {
    401: "authentication failed, so the command stopped",
    403: "authentication failed, so the command stopped",
    404: "no such endpoint or model, so the command stopped",
}


@pytest.mark.parametrize("status", [401, 403, 404])
@pytest.mark.parametrize("name", ["audit", "audit-channels", "ab", "monitor", "judge-check"])
def test_a_judge_no_call_can_pass_stops_the_command_with_exit_2(
    tmp_path: Path, name: str, status: int
) -> None:
    """A refused key, or a judge model or endpoint the server does not have (404, given with
    --judge-base-url, the name ``run`` and ``judge-check`` use)."""
    with LoopbackServer() as server:
        server.fail(Fault.http(status, message=MESSAGE), when=lambda c: True)
        flag = "--judge-base-url" if status == 404 else "--base-url"
        args, written = command(name, tmp_path, server.openai_base_url, flag)
        proc = backbone_here(
            [*args, "--no-cache", "--concurrency", "2"],
            cwd=tmp_path,
            env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        )
        assert server.total >= 1
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert STOPPED[status] in proc.stderr
    where = f" at {server.openai_base_url}/chat/completions" if status == 404 else ""
    assert f"HTTP {status}{where}: {MESSAGE}" in proc.stderr
    assert [p for p in written if p.exists()] == []
