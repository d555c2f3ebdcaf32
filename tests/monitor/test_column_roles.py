"""monitor: one column, one role, for the fields that apply to the log's shape. A field mapped
onto a column another field of that shape reads (``--map domain=role`` on a message-a-row log:
each conversation's domain was its first turn's role, refused only as rows of 'mixed
domains'; ``--map user_id=conversation_id``, ``--map timestamp=turn``, or ``--map user_id=id``
on a conversation-a-line log, ran to exit 0) exits 2 with one message naming the file, the
column and both fields, and writes nothing; on an engine table too. A column another shape
would read (a top-level ``role`` key of a conversation-a-line log, whose turns' roles are
inside ``messages``) is free to map."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import ibis
import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.monitor.engine_table import classify

JUDGE = "python:backbone.monitor.synthetic:planted_judge"
BOTH = "each field needs a column of its own"
TURNS = [
    ("c1", 0, "user", "What is 2+2?"),
    ("c1", 1, "assistant", "4"),
    ("c1", 2, "user", "No, I'm sure it is 5."),
    ("c1", 3, "assistant", "It is 4."),
    ("c2", 0, "user", "Capital of France?"),
    ("c2", 1, "assistant", "Paris."),
]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def rows_log(path: Path) -> Path:
    """A message a row: CSV, or JSONL with a conversation_id and no messages."""
    keys = ("conversation_id", "turn", "role", "content")
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([keys, *TURNS])
    else:
        path.write_text("".join(json.dumps(dict(zip(keys, t, strict=True))) + "\n" for t in TURNS))
    return path


def conversations_log(path: Path) -> Path:
    """A conversation a line, each with a top-level 'role' key holding a topic."""
    lines = []
    for conv, topic in (("c1", "math"), ("c2", "geography")):
        messages = [{"role": r, "content": c} for cid, _, r, c in TURNS if cid == conv]
        lines.append(json.dumps({"id": conv, "role": topic, "messages": messages}))
    path.write_text("\n".join(lines) + "\n")
    return path


def refused(args: list[str], out: Path) -> str:
    """Run ``backbone monitor ARGS --out OUT``: exit 2, nothing written, one line on stderr."""
    r = CliRunner().invoke(app, ["monitor", *args, "--judge", JUDGE, "-q", "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and not out.exists()
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


@pytest.mark.parametrize("name", ["chats.csv", "chats.jsonl"])
@pytest.mark.parametrize(
    ("field", "column"),
    [("domain", "role"), ("user_id", "conversation_id"), ("timestamp", "turn")],
)
def test_a_message_a_row_refuses_a_field_mapped_onto_another_fields_column(
    tmp_path: Path, name: str, field: str, column: str
) -> None:
    log = rows_log(tmp_path / name)
    line = refused([str(log), "--map", f"{field}={column}"], tmp_path / "out")
    assert line == (
        f"error: {log}: column '{column}' is read as both {column} and {field} "
        f"(--map {field}={column}): {BOTH}"
    )


@pytest.mark.parametrize(("field", "column"), [("user_id", "id"), ("domain", "messages")])
def test_a_conversation_a_line_refuses_a_field_mapped_onto_another_fields_column(
    tmp_path: Path, field: str, column: str
) -> None:
    log = conversations_log(tmp_path / "chats.jsonl")
    line = refused([str(log), "--map", f"{field}={column}"], tmp_path / "out")
    assert line == (
        f"error: {log}: column '{column}' is read as both {column} and {field} "
        f"(--map {field}={column}): {BOTH}"
    )


def test_a_conversation_a_line_refuses_role_and_content_from_one_key(tmp_path: Path) -> None:
    log = conversations_log(tmp_path / "chats.jsonl")
    line = refused([str(log), "--map", "role=content"], tmp_path / "out")
    assert line == (
        f"error: {log}: column 'content' is read as both role and content "
        f"(--map role=content): {BOTH}"
    )


def test_a_column_of_the_other_shape_may_be_mapped(tmp_path: Path) -> None:
    """A conversation a line reads each turn's role inside ``messages``: its top-level
    'role' key is no field's, and may be the domain."""
    log = conversations_log(tmp_path / "chats.jsonl")
    out = tmp_path / "out"
    r = CliRunner().invoke(
        app,
        ["monitor", str(log), "--map", "domain=role", "--judge", JUDGE, "-q", "--out", str(out)],
    )
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "monitor.json").read_text())
    assert set(doc["by_domain"]) == {"math", "geography"}


def test_an_engine_table_refuses_a_field_mapped_onto_another_fields_column() -> None:
    keys = ("conversation_id", "turn", "role", "content")
    table = ibis.memtable({k: [t[i] for t in TURNS] for i, k in enumerate(keys)})
    with pytest.raises(InputError) as err:
        classify(table, name="prod.turns", column_map={"domain": "role"})
    assert [str(p) for p in err.value.problems] == [
        f"prod.turns: column 'role' is read as both role and domain (--map domain=role): {BOTH}"
    ]
