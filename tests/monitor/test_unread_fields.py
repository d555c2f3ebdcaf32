"""monitor: a ``--map`` of a field the log's shape does not read (``--map id=nothere`` on a
message a row, ``--map turn=nothere`` on a conversation a line) is refused: exit 2, one message
naming the file, the map, the shape the log was read as and the fields that shape reads;
nothing written. It was dropped without a word, even onto a column the log lacks, and the
monitor ran to exit 0, on every input path (CSV, Parquet, JSONL in both shapes, a database
table). A map of a field the shape reads keeps working."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.monitor.logs import write_rows
from tests.monitor.mapping_cli import (
    TURNS,
    conversations,
    jsonl,
    monitor,
    private_cache,  # noqa: F401 (an autouse fixture)
    refused,
    turns_table,
)

ROW_FIELDS = "conversation_id, turn, role, content, domain, user_id, timestamp, dial_off"
LINE_FIELDS = "id, messages, role and content in each message, domain, user_id, timestamp, dial_off"


@pytest.mark.parametrize("field", ["id", "messages"])
@pytest.mark.parametrize(("name", "kind"), [("chats.csv", "CSV"), ("chats.parquet", "Parquet")])
def test_a_csv_or_parquet_log_refuses_a_map_of_a_field_it_does_not_read(
    tmp_path: Path, name: str, kind: str, field: str
) -> None:
    log = write_rows(tmp_path / name, TURNS)
    line = refused([str(log), "--map", f"{field}=nothere"], tmp_path / "out")
    assert line == (
        f"error: {log}: --map {field}=nothere: field '{field}' is not read from a log of one "
        f"message a row (as every {kind} file is), whose fields are {ROW_FIELDS}"
    )


def test_a_map_onto_a_column_the_log_has_is_refused_as_well(tmp_path: Path) -> None:
    """The column is there, but no field of the shape is read from it: the map did nothing."""
    log = write_rows(tmp_path / "chats.csv", [{**t, "session": "s"} for t in TURNS])
    line = refused([str(log), "--map", "id=session"], tmp_path / "out")
    assert line == (
        f"error: {log}: --map id=session: field 'id' is not read from a log of one message a "
        f"row (as every CSV file is), whose fields are {ROW_FIELDS}"
    )


@pytest.mark.parametrize("field", ["id", "messages"])
def test_a_jsonl_message_a_row_refuses_a_map_of_a_field_it_does_not_read(
    tmp_path: Path, field: str
) -> None:
    log = jsonl(tmp_path / "chats.jsonl", list(TURNS))
    line = refused([str(log), "--map", f"{field}=nothere"], tmp_path / "out")
    messages = "nothere" if field == "messages" else "messages"
    assert line == (
        f"error: {log}: --map {field}=nothere: field '{field}' is not read from a log of one "
        f"message a row (its records have 'conversation_id' and no '{messages}'), whose fields "
        f"are {ROW_FIELDS}"
    )


@pytest.mark.parametrize("field", ["conversation_id", "turn"])
def test_a_jsonl_conversation_a_line_refuses_a_map_of_a_field_it_does_not_read(
    tmp_path: Path, field: str
) -> None:
    log = jsonl(tmp_path / "chats.jsonl", conversations())
    line = refused([str(log), "--map", f"{field}=nothere"], tmp_path / "out")
    assert line == (
        f"error: {log}: --map {field}=nothere: field '{field}' is not read from a log of a "
        f"conversation a line (its records have 'messages'), whose fields are {LINE_FIELDS}"
    )


def test_every_unread_field_is_named_in_one_message(tmp_path: Path) -> None:
    log = write_rows(tmp_path / "chats.csv", TURNS)
    line = refused(
        [str(log), "--map", "id=a", "--map", "content=content", "--map", "messages=b"],
        tmp_path / "out",
    )
    assert line == (
        f"error: {log}: --map id=a, --map messages=b: fields 'id', 'messages' are not read from "
        f"a log of one message a row (as every CSV file is), whose fields are {ROW_FIELDS}"
    )


@pytest.mark.parametrize("field", ["id", "messages"])
def test_a_database_table_refuses_a_map_of_a_field_it_does_not_read(
    tmp_path: Path, field: str
) -> None:
    """The engine path (``--connection``/``--table``) reads one message a row only."""
    url = turns_table(tmp_path)
    args = ["--connection", url, "--table", "chats", "--map", f"{field}=nothere"]
    line = refused(args, tmp_path / "out")
    assert line == (
        f"error: {url} table 'chats': --map {field}=nothere: field '{field}' is not "
        "read from a log of one message a row (the only shape read with --engine spark or "
        f"--connection), whose fields are {ROW_FIELDS}"
    )


@pytest.mark.parametrize("name", ["chats.csv", "chats.parquet", "chats.jsonl"])
def test_a_message_a_row_still_reads_the_fields_it_maps(tmp_path: Path, name: str) -> None:
    rows = [{"session": t["conversation_id"], "n": t["turn"], **t} for t in TURNS]
    for r in rows:
        del r["conversation_id"], r["turn"]
    path = tmp_path / name
    log = jsonl(path, rows) if name.endswith(".jsonl") else write_rows(path, rows)
    out = tmp_path / "out"
    args = [str(log), "--map", "conversation_id=session", "--map", "turn=n"]
    code, stderr = monitor(args, out)
    assert code == 0, stderr
    assert json.loads((out / "monitor.json").read_text())["pushback_share"]["n"] == 2


def test_a_conversation_a_line_still_reads_the_fields_it_maps(tmp_path: Path) -> None:
    records: list[dict[str, object]] = [
        {
            "ident": c,
            "chat": [
                {"who": t["role"], "text": t["content"]} for t in TURNS if t["conversation_id"] == c
            ],
        }
        for c in ("c1", "c2")
    ]
    log = jsonl(tmp_path / "chats.jsonl", records)
    out = tmp_path / "out"
    maps = ["id=ident", "messages=chat", "role=who", "content=text"]
    code, stderr = monitor([str(log), *(a for m in maps for a in ("--map", m))], out)
    assert code == 0, stderr
    assert json.loads((out / "monitor.json").read_text())["pushback_share"]["n"] == 2
