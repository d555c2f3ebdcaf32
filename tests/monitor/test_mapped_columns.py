"""monitor: a field mapped onto a column the log lacks (``--map domain=nothere``, a typo) is
refused, as audit and tells refuse it: exit 2, one message naming the file (or table) and the
column, nothing written. It was read as no domain, user, time or dial-off, and the monitor ran
to exit 0, on every input path (CSV, JSONL in both shapes, Parquet, a database table). A JSONL
field first given after the records the names come from (``KEY_SAMPLE``) is there all the
same, mapped or not."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from backbone.audit.source import KEY_SAMPLE
from backbone.cli.app import app
from tests.monitor.logs import write_rows

JUDGE = "python:backbone.monitor.synthetic:planted_judge"
OPTIONAL = ("domain", "user_id", "timestamp", "dial_off")
TURNS = [
    {"conversation_id": "c1", "turn": 0, "role": "user", "content": "What is 2+2?"},
    {"conversation_id": "c1", "turn": 1, "role": "assistant", "content": "4"},
    {"conversation_id": "c2", "turn": 0, "role": "user", "content": "Capital of France?"},
    {"conversation_id": "c2", "turn": 1, "role": "assistant", "content": "Paris."},
]
COLUMNS = "conversation_id, turn, role, content"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def conversations() -> list[dict[str, object]]:
    """The turns as a conversation a line."""
    return [
        {
            "id": c,
            "messages": [
                {"role": t["role"], "content": t["content"]}
                for t in TURNS
                if t["conversation_id"] == c
            ],
        }
        for c in ("c1", "c2")
    ]


def monitor(args: list[str], out: Path) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["monitor", *args, "--judge", JUDGE, "-q", "--out", str(out)])
    assert "Traceback" not in r.output
    return r.exit_code, r.stderr


def refused(args: list[str], out: Path) -> str:
    """Run ``backbone monitor ARGS --out OUT``: exit 2, nothing written, one line on stderr."""
    code, stderr = monitor(args, out)
    assert code == 2, stderr
    assert not out.exists()
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


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
    db = tmp_path / "logs.db"
    log = write_rows(tmp_path / "chats.parquet", TURNS)
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE chats AS SELECT * FROM '{log}'")
    args = ["--connection", f"duckdb://{db}", "--table", "chats", "--map", f"{field}=nothere"]
    line = refused(args, tmp_path / "out")
    assert line == (
        f"error: duckdb://{db} table 'chats': no column 'nothere' for field '{field}' "
        f"(columns: {COLUMNS})"
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
