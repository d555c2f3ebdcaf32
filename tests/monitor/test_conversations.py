"""The conversation reader on a JSONL column first given late, as the audit reads one.

JSONL's field names come from the first ``KEY_SAMPLE`` records (``Source.names``); a column
first given after them (a field added to a running log) is found by one more scan, through
``Source.names_with``, the one way the audit, its channels and the tells find it too. On a
log of ``KEY_SAMPLE + 1`` records whose ``topic`` and ``user_id`` are in its last record only,
in both shapes: ``--map domain=topic`` reads the last conversation's domain, and ``--map
domain=user_id`` is refused as one column read for two fields (as ``audit --map
reference=user_id`` is on such a log). This pins behaviour that was already right when the
reader found late columns its own way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.audit.source import KEY_SAMPLE
from backbone.cli.app import app
from backbone.monitor.conversations import open_conversations
from tests.audit.logs import write_jsonl

JUDGE = "python:backbone.monitor.synthetic:planted_judge"
ASKED = {"role": "user", "content": "What is 2+2?"}
ANSWERED = {"role": "assistant", "content": "4"}


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def late_log(path: Path, shape: str) -> tuple[Path, int]:
    """``KEY_SAMPLE + 1`` records, the last one alone with ``topic`` and ``user_id``; and the
    number of conversations. A message a row: the first conversation has a third message (a
    question left unanswered), the others two, so the records come to ``KEY_SAMPLE + 1``."""
    late = {"topic": "tax", "user_id": "u1"}
    rows: list[dict[str, Any]]
    if shape == "conversations":
        rows = [{"id": f"c{i}", "messages": [ASKED, ANSWERED]} for i in range(KEY_SAMPLE + 1)]
        rows[-1].update(late)
        return write_jsonl(path, rows), len(rows)
    count = KEY_SAMPLE // 2
    rows = []
    for i in range(count):
        messages = [ASKED, ANSWERED, ASKED] if i == 0 else [ASKED, ANSWERED]
        rows += [{"conversation_id": f"c{i}", "turn": t, **m} for t, m in enumerate(messages)]
    assert len(rows) == KEY_SAMPLE + 1
    rows[-1].update(late)
    return write_jsonl(path, rows), count


@pytest.mark.parametrize("shape", ["conversations", "messages"])
def test_a_mapped_column_first_given_in_the_last_record_is_read(tmp_path: Path, shape: str) -> None:
    path, count = late_log(tmp_path / "late.jsonl", shape)
    with open_conversations(path, column_map={"domain": "topic"}) as log:
        found = {d: f["conversations"] for d, f in log.info.by_domain.items()}
        assert found == {"(none)": count - 1, "tax": 1}
        assert {"topic", "user_id"} <= set(log.info.columns)


@pytest.mark.parametrize("shape", ["conversations", "messages"])
def test_a_column_first_given_in_the_last_record_has_one_role(tmp_path: Path, shape: str) -> None:
    path, _ = late_log(tmp_path / "late.jsonl", shape)
    out = tmp_path / "out"
    args = ["monitor", str(path), "--map", "domain=user_id", "--judge", JUDGE, "-q"]
    r = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and not out.exists()
    assert r.stderr.splitlines() == [
        f"error: {path}: column 'user_id' is read as both domain and user_id "
        "(--map domain=user_id): each field needs a column of its own"
    ]
