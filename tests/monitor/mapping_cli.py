"""What the monitor tests of ``--map`` share: a small log in both shapes, and ``monitor``
run through the CLI with the planted judge (``refused`` asserts the bad-input rule: exit 2,
nothing written, one line on stderr)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from tests.monitor.logs import write_rows

JUDGE = "python:backbone.monitor.synthetic:planted_judge"
TURNS = [
    {"conversation_id": "c1", "turn": 0, "role": "user", "content": "What is 2+2?"},
    {"conversation_id": "c1", "turn": 1, "role": "assistant", "content": "4"},
    {"conversation_id": "c2", "turn": 0, "role": "user", "content": "Capital of France?"},
    {"conversation_id": "c2", "turn": 1, "role": "assistant", "content": "Paris."},
]


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A response cache of the test's own (imported by the test modules that use it)."""
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


def turns_table(tmp_path: Path) -> str:
    """The turns as table ``chats`` of a DuckDB database file; its ``--connection`` URL."""
    db = tmp_path / "logs.db"
    log = write_rows(tmp_path / "chats.parquet", TURNS)
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE chats AS SELECT * FROM '{log}'")
    return f"duckdb://{db}"
