"""``backbone audit --batch``: the whole sample goes to an HTTP judge as one provider batch
(the repair turns as a second), and audit.json equals the online audit's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from tests.audit.logs import planted_rows, write
from tests.audit.test_audit_cli import load
from tests.support.batch_server import BatchServer


def test_audit_batch_equals_online_audit_in_one_batch_plus_repairs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = planted_rows({("down", None): (30, 12), ("up", None): (30, 27)})
    for i, row in enumerate(rows):
        row["response"] = f"answer {i} [{'right' if row['truth'] else 'wrong'}]"
        if i in (0, 1, 2):
            row["response"] = f"answer {i} [refuse]"  # refused twice: unscored
    log = write(tmp_path / "log.jsonl", rows)

    def reply(messages: list[dict[str, Any]]) -> str:
        case = messages[1]["content"]
        if "[refuse]" in case:
            return "I'm sorry, I can't help with that."
        return json.dumps({"correct": "[right]" in case, "reason": "planted"})

    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BACKBONE_BATCH_POLL_SECONDS", "0.05")
    with BatchServer(reply) as server:
        args = ["audit", str(log), "--judge", "openai:judge", "--base-url",
                server.openai_base_url, "--sample", "100"]  # fmt: skip
        batch = CliRunner().invoke(app, [*args, "--batch", "--out", str(tmp_path / "b")])
        assert batch.exit_code == 0, batch.output
        assert server.total == 0  # nothing online
        assert [len(b.items) for b in server.batches.values()] == [60, 3]  # sample; repairs
        assert "batch batch_1: 60/60 done (completed)" in batch.stderr
        online = CliRunner().invoke(app, [*args, "--no-cache", "-q", "--out", str(tmp_path / "o")])
        assert online.exit_code == 0, online.output
        assert server.total == 63 and server.creates == 2
    b, o = load(tmp_path / "b"), load(tmp_path / "o")
    for key in ("grid", "unwelcome_correct_share", "verdict", "unscored_reasons"):
        assert b[key] == o[key]
    assert b["grid"]["down"]["unscored"] == 3
    assert b["options"]["batch"] is True


def test_audit_batch_needs_an_http_judge(tmp_path: Path) -> None:
    log = write(tmp_path / "log.jsonl", planted_rows({("down", None): (4, 2)}))
    res = CliRunner().invoke(app, ["audit", str(log), "--judge",
                                   "python:tests.audit.planted_judge:truth", "--batch", "--out",
                                   str(tmp_path / "o"), "-q", "--no-cache"])  # fmt: skip
    assert res.exit_code == 2
    assert "--batch needs an openai:MODEL or anthropic:MODEL target" in res.stderr
    assert not (tmp_path / "o" / "audit.json").exists()
