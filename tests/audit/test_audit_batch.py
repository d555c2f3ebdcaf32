"""``backbone audit --batch``: the whole sample goes to an HTTP judge as one provider batch
(the repair turns as a second), and audit.json equals the online audit's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.audit.logs import planted_rows, write
from tests.audit.test_audit_cli import backbone, load
from tests.support.batch_server import BatchServer


def test_audit_batch_equals_online_audit_in_one_batch_plus_repairs(tmp_path: Path) -> None:
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

    with BatchServer(reply) as server:
        args = ["audit", str(log), "--judge", "openai:judge", "--base-url",
                server.openai_base_url, "--sample", "100"]  # fmt: skip
        batch = backbone(*args, "--batch", "--out", "b", cwd=tmp_path,
                         env={"BACKBONE_BATCH_POLL_SECONDS": "0.05"})  # fmt: skip
        assert batch.returncode == 0, batch.stderr
        assert server.total == 0  # nothing online
        assert [len(b.items) for b in server.batches.values()] == [60, 3]  # sample; repairs
        assert "batch batch_1: 60/60 done (completed)" in batch.stderr
        online = backbone(*args, "--no-cache", "-q", "--out", "o", cwd=tmp_path)
        assert online.returncode == 0, online.stderr
        assert server.total == 63 and server.creates == 2
    b, o = load(tmp_path / "b"), load(tmp_path / "o")
    for key in ("grid", "unwelcome_correct_share", "verdict", "unscored_reasons"):
        assert b[key] == o[key]
    assert b["grid"]["down"]["unscored"] == 3
    assert b["options"]["batch"] is True


def test_audit_batch_needs_an_http_judge(tmp_path: Path) -> None:
    log = write(tmp_path / "log.jsonl", planted_rows({("down", None): (4, 2)}))
    r = backbone("audit", str(log), "--judge", "python:tests.audit.planted_judge:truth",
                 "--batch", "--out", "o", "-q", cwd=tmp_path)  # fmt: skip
    assert r.returncode == 2
    assert "--batch needs an openai:MODEL or anthropic:MODEL target" in r.stderr
    assert not (tmp_path / "o" / "audit.json").exists()
