"""``backbone audit-import oasst --out PATH`` where PATH cannot take the log: exit 2 naming it,
the input untouched, nothing written. Before, a folder or a path below a file raised
InputError out of the command (a traceback, exit 1), the input file itself was replaced by
the events made from it (the trees lost), and a named pipe was replaced by a regular file
(as root, ``--out /dev/full`` turned the device into a file)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backbone.cli.app import app

TREE = {
    "message_id": "p1",
    "text": "What is 2 + 2?",
    "role": "prompter",
    "replies": [{"message_id": "a1", "text": "4.", "role": "assistant", "emojis": {"+1": 2}}],
}


def trees(tmp_path: Path) -> Path:
    path = tmp_path / "trees.jsonl"
    path.write_text(json.dumps(TREE) + "\n")
    return path


def run(src: Path, out: Path) -> Result:
    return CliRunner().invoke(app, ["audit-import", "oasst", str(src), "--out", str(out)])


def refused(r: Result, message: str) -> None:
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output
    assert r.stderr == f"error: {message}\n"


def test_out_a_folder_or_below_a_file_exits_2(tmp_path: Path) -> None:
    src = trees(tmp_path)
    folder = tmp_path / "events"
    folder.mkdir()
    refused(run(src, folder), f"{folder}: cannot write: it is a directory")
    assert list(folder.iterdir()) == []
    below = src / "events.jsonl"
    refused(run(src, below), f"{below}: cannot write: trees.jsonl is a file")


def test_out_the_input_file_is_refused_and_the_trees_kept(tmp_path: Path) -> None:
    src = trees(tmp_path)
    before = src.read_bytes()
    (tmp_path / "sub").mkdir()
    same = tmp_path / "sub" / ".." / "trees.jsonl"  # another spelling of the same file
    refused(run(src, same), f"{same}: --out is the input file {src}: choose another path")
    assert src.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_out_a_pipe_is_refused_and_the_pipe_kept(tmp_path: Path) -> None:
    src = trees(tmp_path)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    refused(run(src, pipe), f"{pipe}: cannot write: not a regular file (a pipe or a device?)")
    assert pipe.is_fifo()


def test_a_good_out_is_written(tmp_path: Path) -> None:
    out = tmp_path / "new" / "events.jsonl"
    r = run(trees(tmp_path), out)
    assert r.exit_code == 0, r.output
    (event,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert (event["id"], event["prompt"], event["rating"]) == ("a1", "What is 2 + 2?", "up")


@pytest.mark.parametrize("name", ["events.csv", "events.parquet", "events.jsonl.gz", "events"])
def test_out_named_as_another_format_is_refused(tmp_path: Path, name: str) -> None:
    # JSON lines were written under any name: 'backbone audit events.csv' then read them as
    # a CSV ("no column 'response'"), events.parquet and events.jsonl.gz were unreadable
    out = tmp_path / name
    refused(run(trees(tmp_path), out), f"{out}: the feedback log is written as JSONL: give a "
            ".jsonl path")  # fmt: skip
    assert not out.exists()
    for fine in ("EVENTS.JSONL", "events.ndjson"):  # as the audit reads them: JSONL
        assert run(trees(tmp_path), tmp_path / fine).exit_code == 0
