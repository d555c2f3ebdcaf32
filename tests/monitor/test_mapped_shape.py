"""monitor: the shape of a JSONL log whose records have neither ``messages`` nor
``conversation_id`` (each as mapped) is the one the map names. A typo in ``--map
conversation_id=nothere`` on a message a row made the log read as a conversation a line, and
the error named ``'id'``, a field the user never meant, instead of the column they mistyped: it
now names ``'nothere'`` and the field it was mapped for. Records with ``messages`` are still
a conversation a line, records with ``conversation_id`` a message a row, and a log with
neither and no such map is still read as a conversation a line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from tests.monitor.mapping_cli import (
    JUDGE,
    TURNS,
    jsonl,
    monitor,
    private_cache,  # noqa: F401 (an autouse fixture)
    refused,
)

SESSIONS: list[dict[str, object]] = [  # the conversation's key in a column of the user's own
    {"session": t["conversation_id"], "role": t["role"], "content": t["content"], "turn": t["turn"]}
    for t in TURNS
]


@pytest.mark.parametrize(
    ("records", "mapped", "message"),
    [
        # a mistyped conversation_id column is named
        (
            TURNS,
            "conversation_id=nothere",
            "no column 'nothere' for field 'conversation_id' "
            "(columns: conversation_id, turn, role, content)",
        ),
        # a typo of the user's own column is named
        (
            SESSIONS,
            "conversation_id=sesion",
            "no column 'sesion' for field 'conversation_id' "
            "(columns: session, role, content, turn)",
        ),
        # a map of turn reads a message a row, and names the key it lacks
        (
            SESSIONS,
            "turn=turn",
            "no column 'conversation_id' for field 'conversation_id' "
            "(columns: session, role, content, turn); map yours with --map conversation_id=COLUMN",
        ),
    ],
    ids=["mistyped-key", "users-own-column", "map-of-turn"],
)
def test_a_map_that_names_the_shape_names_the_column_it_lacks(
    tmp_path: Path, records: list[dict[str, object]], mapped: str, message: str
) -> None:
    log = jsonl(tmp_path / "chats.jsonl", list(records))
    line = refused([str(log), "--map", mapped], tmp_path / "out")
    assert line == f"error: {log}: {message}"


@pytest.mark.parametrize("mapped", [[], ["--map", "content=content"]])
def test_a_log_with_neither_key_and_no_such_map_is_refused_naming_both_shapes(
    tmp_path: Path, mapped: list[str]
) -> None:
    # read as a conversation a line for want of a sign of either shape; the error says what
    # each shape needs, not only the conversation-a-line key it lacks
    log = jsonl(tmp_path / "chats.jsonl", SESSIONS)
    out = tmp_path / "out"
    code, stderr = monitor([str(log), *mapped], out)
    assert code == 2, stderr
    assert not out.exists()
    assert stderr.splitlines() == [
        f"error: {log}: no column 'id' for field 'id' (columns: session, role, content, turn); "
        "map yours with --map id=COLUMN",
        f"error: {log}: its records have neither 'messages' (a conversation a line: id, "
        "messages) nor 'conversation_id' (a message a row: conversation_id, turn, role, "
        "content); name your fields with --map messages=FIELD or --map conversation_id=FIELD",
    ]


def test_the_mapped_key_of_a_message_a_row_is_read(tmp_path: Path) -> None:
    log = jsonl(tmp_path / "chats.jsonl", SESSIONS)
    out = tmp_path / "out"
    r = CliRunner().invoke(
        app,
        [
            *("monitor", str(log), "--map", "conversation_id=session"),
            *("--judge", JUDGE, "-q", "--out", str(out)),
        ],
    )
    assert r.exit_code == 0, r.output
    assert json.loads((out / "monitor.json").read_text())["pushback_share"]["n"] == 2
