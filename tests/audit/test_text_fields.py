"""A feedback log's prompt and response are text: a JSON object or list, or a Parquet column of
lists, structs, maps or bytes, is refused (exit 2, naming the line or the column) rather than
read as its printed form ("[question 3]", "{'a': question 3}") and sent to the judge."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import ibis
import pytest

from backbone.audit.channels import open_channels
from backbone.audit.engine_table import open_table
from backbone.audit.feedback_log import open_log
from backbone.core.errors import InputError
from tests.audit.logs import write_jsonl
from tests.support.loopback import backbone_here

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"prompt": "p", "response": "r", "rating": "up"}


def problems(exc: pytest.ExceptionInfo[InputError]) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in exc.value.problems]


def test_a_jsonl_prompt_or_response_that_is_an_object_or_a_list_is_named_at_its_line(
    tmp_path: Path,
) -> None:
    lines = [
        {"id": "a", **GOOD},
        {**GOOD, "id": "b", "prompt": {"text": "p"}},
        {**GOOD, "id": "c", "response": ["r", "s"]},
        {**GOOD, "id": "d", "prompt": 42, "response": True},  # scalars read as their text
    ]
    path = tmp_path / "log.jsonl"
    write_jsonl(path, lines)
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert problems(exc) == [
        (2, "prompt is an object, not text"),
        (3, "response is a list, not text"),
    ]


def test_a_mapped_jsonl_field_is_named_with_its_column(tmp_path: Path) -> None:
    rows = [{"id": "a", "question": ["p"], "response": "r", "rating": "up"}]
    path = tmp_path / "log.jsonl"
    write_jsonl(path, rows)
    with pytest.raises(InputError) as exc:
        open_log(path, column_map={"prompt": "question"})
    assert problems(exc) == [(1, "prompt (column 'question') is a list, not text")]


@pytest.mark.parametrize(
    ("expr", "kind"),
    [
        ("[prompt]", "VARCHAR[]"),
        ("{'text': prompt}", 'STRUCT("text" VARCHAR)'),
        ("MAP {'text': prompt}", "MAP(VARCHAR, VARCHAR)"),
        ("encode(prompt)", "BLOB"),
    ],
)
def test_a_parquet_prompt_column_that_is_not_text_is_refused(
    tmp_path: Path, expr: str, kind: str
) -> None:
    path = tmp_path / "log.parquet"
    duckdb.connect().execute(
        f"""COPY (SELECT 'e' || i AS id, {expr.replace("prompt", "'p' || i")} AS prompt,
                 'r' AS response, 'up' AS rating FROM range(3) t(i))
            TO '{path}' (FORMAT parquet)"""
    )
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert problems(exc) == [
        (None, f"column 'prompt' for field 'prompt' holds {kind} values, not text")
    ]


def test_a_parquet_of_numbers_still_reads_as_text(tmp_path: Path) -> None:
    path = tmp_path / "log.parquet"
    duckdb.connect().execute(
        f"""COPY (SELECT 'e' || i AS id, i AS prompt, i * 2 AS response, 'up' AS rating
            FROM range(3) t(i)) TO '{path}' (FORMAT parquet)"""
    )
    with open_log(path) as log:
        (event,) = log.fetch([2])
    assert (event.prompt, event.response) == ("1", "2")


def test_audit_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(
        json.dumps({"id": "a", **GOOD})
        + "\n"
        + json.dumps({**GOOD, "id": "b", "prompt": {}})
        + "\n"
    )
    (tmp_path / "judge.py").write_text("def judge(event):\n    return {'correct': True}\n")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(tmp_path / "cache"),
    }
    proc: subprocess.CompletedProcess[str] = backbone_here(
        ["audit", str(path), "--judge", "python:judge:judge", "--out", "out", "-q"],
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stderr
    assert f"{path}:2: prompt is an object, not text" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


# ---------- audit-channels reads the same fields through its own views ----------

CHANNEL = {"prompt": "p", "response": "r", "experience": "bad", "disagreed": "yes"}


def test_audit_channels_names_a_jsonl_prompt_that_is_an_object_or_a_list(tmp_path: Path) -> None:
    lines = [
        {"id": "a", **CHANNEL},
        {**CHANNEL, "id": "b", "prompt": {"text": "p"}},
        {**CHANNEL, "id": "c", "response": ["r"]},
    ]
    path = tmp_path / "ch.jsonl"
    write_jsonl(path, lines)
    with pytest.raises(InputError) as exc:
        open_channels(path)
    assert problems(exc) == [
        (2, "prompt is an object, not text"),
        (3, "response is a list, not text"),
    ]


def test_audit_channels_refuses_a_parquet_response_column_of_lists(tmp_path: Path) -> None:
    path = tmp_path / "ch.parquet"
    duckdb.connect().execute(
        f"""COPY (SELECT 'e' || i AS id, 'p' AS prompt, ['r'] AS response,
                 'bad' AS experience FROM range(3) t(i)) TO '{path}' (FORMAT parquet)"""
    )
    with pytest.raises(InputError) as exc:
        open_channels(path)
    assert problems(exc) == [
        (None, "column 'response' for field 'response' holds VARCHAR[] values, not text")
    ]


# ---------- the engine path (--connection/--table, --engine spark) ----------


@pytest.mark.parametrize("column", ["prompt", "response"])
def test_a_table_column_of_lists_is_refused_where_it_lives(column: str) -> None:
    data: dict[str, object] = {
        "id": ["a", "b"],
        "prompt": ["p", "q"],
        "response": ["r", "s"],
        "rating": ["up", "down"],
    }
    data[column] = [["x"], ["y"]]
    with pytest.raises(InputError) as exc:
        open_table(ibis.memtable(data), name="feedback")
    assert problems(exc) == [
        (None, f"column '{column}' for field '{column}' holds array<string> values, not text")
    ]


def test_a_table_of_numbers_still_reads_as_text() -> None:
    t = ibis.memtable({"id": ["a"], "prompt": [1], "response": [2.5], "rating": ["up"]})
    log = open_table(t, name="feedback")
    assert [s.events for s in log.info.strata] == [1]
