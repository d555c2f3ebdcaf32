"""monitor: a field mapped onto a column the log lacks (``--map domain=nothere``, a typo) is
refused, as audit and tells refuse it: exit 2, one message naming the file (or table) and the
column, nothing written. It was read as no domain, user, time or dial-off, and the monitor ran
to exit 0, on every input path (CSV, JSONL in both shapes, Parquet, a database table). A JSONL
field first given after the records the names come from (``KEY_SAMPLE``) is there all the
same, mapped or not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backbone.audit.source import KEY_SAMPLE
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

OPTIONAL = ("domain", "user_id", "timestamp", "dial_off")
COLUMNS = "conversation_id, turn, role, content"


@pytest.mark.parametrize("field", OPTIONAL)
@pytest.mark.parametrize("name", ["chats.csv", "chats.parquet"])
def test_a_csv_or_parquet_log_refuses_a_field_mapped_onto_no_column(
    tmp_path: Path, name: str, field: str
) -> None:
    log = write_rows(tmp_path / name, TURNS)
    line = refused([str(log), "--map", f"{field}=nothere"], tmp_path / "out")
    assert line == f"error: {log}: no column 'nothere' for field '{field}' (columns: {COLUMNS})"


@pytest.mark.parametrize("field", OPTIONAL)
@pytest.mark.parametrize("shape", ["rows", "conversations"])
def test_a_jsonl_log_refuses_a_field_mapped_onto_a_field_no_record_has(
    tmp_path: Path, shape: str, field: str
) -> None:
    records = TURNS if shape == "rows" else conversations()
    log = jsonl(tmp_path / "chats.jsonl", list(records))
    seen = COLUMNS if shape == "rows" else "id, messages"
    line = refused([str(log), "--map", f"{field}=nothere"], tmp_path / "out")
    assert line == (
        f"error: {log}: no record has a 'nothere' field for field '{field}' (fields seen: {seen})"
    )


@pytest.mark.parametrize("field", OPTIONAL)
def test_a_database_table_refuses_a_field_mapped_onto_no_column(tmp_path: Path, field: str) -> None:
    """The engine path (``--connection``/``--table``) refuses it as the default path does."""
    url = turns_table(tmp_path)
    args = ["--connection", url, "--table", "chats", "--map", f"{field}=nothere"]
    line = refused(args, tmp_path / "out")
    assert line == (
        f"error: {url} table 'chats': no column 'nothere' for field '{field}' (columns: {COLUMNS})"
    )


@pytest.mark.parametrize("shape", ["rows", "conversations"])
def test_a_jsonl_field_first_given_late_is_mapped_all_the_same(tmp_path: Path, shape: str) -> None:
    """A mapped field first given after the first ``KEY_SAMPLE`` records (a field added to a
    running log) is found, not refused as one no record has."""
    early = TURNS if shape == "rows" else conversations()
    records: list[dict[str, object]] = []
    for i in range(KEY_SAMPLE // len(early) + 1):
        key = "conversation_id" if shape == "rows" else "id"
        records += [{**r, key: f"{r[key]}-{i}"} for r in early]
    records += [{**r, "topic": "tax"} for r in early]  # past the sample: a late field
    log = jsonl(tmp_path / "chats.jsonl", records)
    out = tmp_path / "out"
    code, stderr = monitor([str(log), "--map", "domain=topic", "--sample", "1"], out)
    assert code == 0, stderr
    doc = json.loads((out / "monitor.json").read_text())
    assert doc["by_domain"]["tax"]["conversations"] == 2
