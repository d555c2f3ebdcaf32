"""A log that is one JSON array (a ``.json`` export, ``json.dump(events, f, indent=2)``)
where JSON Lines is read: ``backbone audit events.json`` printed "not valid JSON" for the
first and last lines (the ``[`` and ``]``), read the lines that happened to hold a whole
object as records, and named nothing of what was wrong. It is one error naming the file,
saying it is one JSON array and not JSON Lines, and how to mend it; nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.audit.feedback_log import open_log
from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.monitor.conversations import open_conversations

EVENTS = [
    {"id": str(i), "timestamp": "2025-01-01T10:00:00", "user_id": "u", "prompt": "2+2?",
     "response": "4", "rating": "up" if i % 2 else "down"}
    for i in range(3)
]  # fmt: skip
CHATS = [
    {"id": f"c{i}", "timestamp": "2025-01-01T10:00:00", "user_id": "u",
     "messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]}
    for i in range(2)
]  # fmt: skip


def _one_array(path: Path, records: list[dict[str, object]]) -> Path:
    # one object a line inside the brackets: the middle lines read as records before
    path.write_text("[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]\n")
    return path


def _said(path: Path, items: int) -> str:
    return (
        f"{path}: one JSON array of {items} item(s), not JSON Lines: write one record a line "
        f"(e.g. jq -c '.[]' {path.name} > records.jsonl)"
    )


@pytest.mark.parametrize("indent", [None, 2])
def test_an_audit_log_that_is_one_json_array_is_one_error(
    tmp_path: Path, indent: int | None
) -> None:
    path = tmp_path / "events.json"
    if indent is None:
        _one_array(path, EVENTS)
    else:
        path.write_text(json.dumps(EVENTS, indent=indent))
    with pytest.raises(InputError) as caught:
        open_log(path)
    assert [str(p) for p in caught.value.problems] == [_said(path, 3)]


def test_a_monitor_log_that_is_one_json_array_is_one_error(tmp_path: Path) -> None:
    path = _one_array(tmp_path / "chats.json", CHATS)
    with pytest.raises(InputError) as caught:
        open_conversations(path)
    assert [str(p) for p in caught.value.problems] == [_said(path, 2)]


def test_audit_from_the_command_line_prints_the_one_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    path = _one_array(tmp_path / "events.json", EVENTS)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["audit", str(path), "--judge", "python:tests.audit.planted_judge:truth",
              "--out", str(out), "-q"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [f"error: {_said(path, 3)}"]
    assert not out.exists()


def test_a_jsonl_log_whose_lines_are_arrays_is_still_read_line_by_line(tmp_path: Path) -> None:
    """Two lines that are each an array are no single array: each is named at its line."""
    path = tmp_path / "events.jsonl"
    path.write_text("[1, 2]\n[3]\n")
    with pytest.raises(InputError) as caught:
        open_log(path)
    said = [str(p) for p in caught.value.problems]
    assert f"{path}:1: not a JSON object" in said and f"{path}:2: not a JSON object" in said
