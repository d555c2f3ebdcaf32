"""A JSONL record that gives a field twice (``{"rating": "up", "rating": "down"}``) is bad
input wherever a JSONL log is read: DuckDB read the first value and Python's ``json`` the last,
so ``audit`` counted a thumbs-up that the judge's copy of the event called a thumbs-down, and
exited 0. Each command now exits 2 naming the file, the line and the field, and writes nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from backbone.audit.channels import open_channels
from backbone.audit.feedback_log import open_log
from backbone.core.errors import InputError
from tests.audit.logs import planted_rows
from tests.support.loopback import backbone_here, cli_env

ROOT = Path(__file__).resolve().parents[2]
JUDGE = "python:tests.audit.planted_judge:truth"
CELLS = {("down", None): (10, 4), ("up", None): (20, 15)}
TWICE = "field 'rating' appears twice in the record"


def backbone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = cli_env(BACKBONE_CACHE_DIR=str(cwd / "cache"))
    env["PYTHONPATH"] = env.get("PYTHONPATH", "") + f":{ROOT}"  # for the planted judge module
    return backbone_here(list(args), env=env, cwd=cwd)


def log_lines() -> list[str]:
    """Thirty events over ten days, two arms; line 3 gives its rating twice (up, then down)."""
    rows: list[dict[str, Any]] = [
        {**r, "timestamp": f"2025-01-{1 + i % 10:02d}T10:00:00", "arm": "AB"[i % 2]}
        for i, r in enumerate(planted_rows(CELLS))
    ]
    lines = [json.dumps(r) for r in rows]
    assert '"rating": "down"' in lines[2]
    lines[2] = lines[2].replace('"rating": "down"', '"rating": "up", "rating": "down"')
    return lines


COMMANDS = {
    "audit": ["audit", "log.jsonl", "--judge", JUDGE, "-q"],
    "ab": ["ab", "log.jsonl", "--arm-column", "arm", "--judge", JUDGE, "-q"],
    "tells": ["tells", "log.jsonl", "--period", "day"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_field_given_twice_is_refused_at_its_line(tmp_path: Path, command: str) -> None:
    (tmp_path / "log.jsonl").write_text("\n".join(log_lines()) + "\n")
    proc = backbone(*COMMANDS[command], "--out", "out", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"error: log.jsonl:3: {TWICE}" in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()


def test_the_reader_names_the_field_and_its_line(tmp_path: Path) -> None:
    lines = log_lines()
    lines.insert(1, "")  # a blank line: the record is on line 4 now
    lines.append('{"id": "z", "prompt": "p", "response": "r", "rating": "up", "\\u0069d": "y"}')
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert [(p.file, p.line, p.message.split(":")[0]) for p in exc.value.problems] == [
        (str(path), 4, TWICE),
        (str(path), 32, "field 'id' appears twice in the record"),  # "\u0069d" is "id"
    ]


def test_split_channels_refuse_a_field_given_twice(tmp_path: Path) -> None:
    rows = [
        {"id": f"c{i}", "prompt": "q", "response": "a", "disagreed": "yes" if i % 2 else "no"}
        for i in range(6)
    ]
    lines = [json.dumps(r) for r in rows]
    lines[4] = lines[4].replace('"disagreed": "no"', '"disagreed": "no", "disagreed": "yes"')
    path = tmp_path / "ch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as exc:
        open_channels(path)
    assert [(p.line, p.message.split(":")[0]) for p in exc.value.problems] == [
        (5, "field 'disagreed' appears twice in the record")
    ]
