"""A folder of Parquet part files (as Spark and many pipelines write a table) read on the
default DuckDB path by audit, ab, tells and monitor, as the one file the parts make: the same
counts and the same figures; a bad record named at its part file and row there; a folder with
no Parquet file refused, exit 2, naming it. Each folder is two part files written by pyarrow,
beside the _SUCCESS and .crc files Spark leaves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from backbone.audit.feedback_log import open_log
from backbone.audit.synthetic.ab_traffic import ab_rows
from backbone.cli.app import app
from backbone.core.errors import InputError
from tests.audit.logs import planted_rows, write_parquet
from tests.monitor.logs import planted, write_log

CELLS = {("down", "math"): (40, 10), ("down", "code"): (60, 30), ("up", "math"): (200, 150)}
AUDIT_JUDGE = "python:tests.audit.planted_judge:truth"
AB_JUDGE = "python:backbone.audit.synthetic.ab_traffic:planted_truth"
MONITOR_JUDGE = "python:backbone.monitor.synthetic:planted_judge"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def split(file: Path, folder: Path, first: int) -> Path:
    """``file``'s rows as two part files of ``folder``: rows [0, first) and [first, end)."""
    table = pq.read_table(file)
    folder.mkdir()
    pq.write_table(table.slice(0, first), folder / "part-00000-c000.snappy.parquet")
    pq.write_table(table.slice(first), folder / "part-00001-c000.snappy.parquet")
    (folder / "_SUCCESS").write_bytes(b"")
    (folder / ".part-00000-c000.snappy.parquet.crc").write_bytes(b"not parquet")
    return folder


def run(*args: str, out: Path, doc: str) -> tuple[int, str, dict[str, Any] | None]:
    res = CliRunner().invoke(app, [*args, "--out", str(out)])
    path = out / doc
    return res.exit_code, res.output, json.loads(path.read_text()) if path.exists() else None


def same(doc: dict[str, Any], base: dict[str, Any], *keys: str) -> None:
    """The two documents agree but for where the input was and when they were made."""
    drop = {"created", "input", *keys}
    assert {k: v for k, v in doc.items() if k not in drop} == {
        k: v for k, v in base.items() if k not in drop
    }
    assert {k: v for k, v in doc["input"].items() if k != "file"} == {
        k: v for k, v in base["input"].items() if k != "file"
    }


def test_audit_reads_a_folder_of_two_parts_as_the_file(tmp_path: Path) -> None:
    # FILE a folder was "is a directory: give the log file itself", exit 2
    file = write_parquet(tmp_path / "log.parquet", planted_rows(CELLS))
    folder = split(file, tmp_path / "log", 180)
    args = ("--judge", AUDIT_JUDGE, "--stratify-by", "task", "-n", "25", "-q", "--no-cache")
    code, output, base = run("audit", str(file), *args, out=tmp_path / "file", doc="audit.json")
    assert code == 0 and base is not None, output
    code, output, doc = run("audit", str(folder), *args, out=tmp_path / "dir", doc="audit.json")
    assert code == 0 and doc is not None, output
    assert doc["input"]["file"] == str(folder)
    assert (doc["input"]["format"], doc["input"]["rows"], doc["input"]["rated"]) == (
        "parquet",
        300,
        300,
    )
    assert [(s["key"], s["events"]) for s in doc["strata"]] == [
        ("down|code", 60),
        ("down|math", 40),
        ("up|math", 200),
    ]
    # the same draw, and each event's row counted across the parts in path order
    same(doc, base)
    rows = {j["id"]: j["row"] for j in doc["judgments"]}
    assert len(rows) == 75 and all(r == int(i[1:]) + 1 for i, r in rows.items())


def test_ab_reads_a_folder_of_two_parts_as_the_file(tmp_path: Path) -> None:
    rows = ab_rows(n_per_arm=400, preference=(0.6, 0.7), accuracy=(0.8, 0.8), seed=4)
    file = write_parquet(tmp_path / "ab.parquet", rows)
    folder = split(file, tmp_path / "ab", 333)
    args = ("--arm-column", "arm", "--judge", AB_JUDGE, "--sample", "30", "-q", "--no-cache")
    code, output, base = run("ab", str(file), *args, out=tmp_path / "file", doc="ab.json")
    assert code == 0 and base is not None, output
    code, output, doc = run("ab", str(folder), *args, out=tmp_path / "dir", doc="ab.json")
    assert code == 0 and doc is not None, output
    assert doc["input"]["rows"] == 800
    assert [doc["per_arm"][a]["events"] for a in ("a", "b")] == [400, 400]
    same(doc, base)


def test_tells_reads_a_folder_of_two_parts_as_the_file(tmp_path: Path) -> None:
    made = CliRunner().invoke(app, ["synth", "tells", "--out", str(tmp_path / "s"), "--seed", "1"])
    assert made.exit_code == 0, made.output
    file = tmp_path / "feedback.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM read_json_auto('{tmp_path / 's' / 'feedback.jsonl'}')) "
        f"TO '{file}' (FORMAT parquet)"
    )
    total = pq.read_metadata(file).num_rows
    folder = split(file, tmp_path / "feedback", total // 3)
    code, output, base = run("tells", str(file), out=tmp_path / "file", doc="tells.json")
    assert code == 0 and base is not None, output
    code, output, doc = run("tells", str(folder), out=tmp_path / "dir", doc="tells.json")
    assert code == 0 and doc is not None, output
    assert doc["input"]["rows"] == total and doc["input"]["periods"]["count"] == 26
    same(doc, base)


def test_monitor_reads_a_folder_of_two_parts_as_the_file(tmp_path: Path) -> None:
    file = write_log(tmp_path / "chats.parquet", planted())
    total = pq.read_metadata(file).num_rows
    folder = split(file, tmp_path / "chats", total // 2 + 1)  # a conversation cut in two
    args = ("--judge", MONITOR_JUDGE, "-n", "6", "-q", "--no-cache")
    code, output, base = run("monitor", str(file), *args, out=tmp_path / "file", doc="monitor.json")
    assert code == 0 and base is not None, output
    code, output, doc = run("monitor", str(folder), *args, out=tmp_path / "dir", doc="monitor.json")
    assert code == 0 and doc is not None, output
    assert (doc["input"]["messages"], doc["input"]["conversations"]) == (total, 400)
    # the judgments in any order: the file's own come in an order that varies run to run
    assert sorted(map(json.dumps, doc["judgments"])) == sorted(map(json.dumps, base["judgments"]))
    same(doc, base, "judgments")


def test_bad_records_are_named_at_their_part_file_and_row(tmp_path: Path) -> None:
    rows = planted_rows(CELLS)
    rows[183]["rating"] = "meh"  # the fourth row of the second part
    rows[250]["id"] = rows[5]["id"]  # an id first given in the first part (its sixth row)
    folder = split(write_parquet(tmp_path / "log.parquet", rows), tmp_path / "log", 180)
    with pytest.raises(InputError) as err:
        open_log(folder)
    first, second = sorted(folder.glob("part-*"))
    assert [str(p) for p in err.value.problems] == [
        f"{second}:4: rating 'meh' is not 'up' or 'down' (empty: unrated)",
        f"{second}:71: duplicate id 'e5' (first at {first} line 6)",
    ]


def test_hive_partition_folders_are_columns(tmp_path: Path) -> None:
    # task=math/part-0.parquet, as Spark's partitionBy("task") writes it: the column is the
    # folder's name, not in the files
    file = write_parquet(tmp_path / "log.parquet", planted_rows(CELLS))
    table = pq.read_table(file)
    folder = tmp_path / "log"
    for task in ("code", "math"):
        part = folder / f"task={task}"
        part.mkdir(parents=True)
        mine = table.filter(pc.equal(table["task"], task)).drop_columns(["task"])
        pq.write_table(mine, part / "part-0.parquet")
    with open_log(folder, stratify_by="task") as log:
        assert log.info.rows == 300
        assert [(s.key, s.events) for s in log.info.strata] == [
            ("down|code", 60),
            ("down|math", 40),
            ("up|math", 200),
        ]


@pytest.mark.parametrize(
    "command",
    [
        ["audit", "--judge", AUDIT_JUDGE],
        ["ab", "--arm-column", "arm", "--judge", AB_JUDGE],
        ["tells"],
        ["monitor", "--judge", MONITOR_JUDGE],
    ],
)
def test_a_folder_without_parquet_files_exits_2_naming_it(
    tmp_path: Path, command: list[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "_SUCCESS").write_bytes(b"")
    other = tmp_path / "exports"
    other.mkdir()
    (other / "feedback.jsonl").write_text('{"id": "a"}\n')
    for folder, held in ((empty, ""), (other, " (it holds feedback.jsonl)")):
        out = tmp_path / "out"
        res = CliRunner().invoke(app, [command[0], str(folder), *command[1:], "--out", str(out)])
        said = " ".join(res.output.split())
        assert res.exit_code == 2 and not out.exists(), res.output
        assert (
            f"error: {folder}: is a directory with no Parquet files{held}: give the log file "
            "itself (JSONL, CSV or Parquet), or a folder of Parquet part files"
        ) in said
        assert "Traceback" not in said


def test_a_folder_the_parts_do_not_make_one_table_is_refused_naming_why(tmp_path: Path) -> None:
    file = write_parquet(tmp_path / "log.parquet", planted_rows(CELLS))

    def refused(folder: Path, fmt: str | None = None) -> list[str]:
        with pytest.raises(InputError) as err:
            open_log(folder, fmt=fmt)
        return [str(p) for p in err.value.problems]

    folder = split(file, tmp_path / "mixed", 100)
    (folder / "notes.csv").write_text("id\n1\n")  # read with the parts, it would be dropped
    assert refused(folder) == [
        f"{folder / 'notes.csv'}: not a Parquet file, in a folder read as Parquet part files "
        "(the other files: part-00000-c000.snappy.parquet, part-00001-c000.snappy.parquet): "
        "move it out, or name the format with --format parquet if it is one"
    ]
    assert refused(folder, "csv") == [
        f"{folder}: is a directory: a folder is read as Parquet part files, not csv (give the "
        "csv file itself, or read the folder with --engine spark)"
    ]
    # --format parquet: every file is a part, whatever its name (part-00000, as MapReduce)
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "part-00000").write_bytes(file.read_bytes())
    with open_log(bare, fmt="parquet") as log:
        assert log.info.rows == 300
    # partition folders: the same keys in every part, and no key that is a column as well
    table = pq.read_table(file)
    uneven = tmp_path / "uneven"
    for name in ("task=math/part-0.parquet", "part-1.parquet"):
        (uneven / name).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.slice(0, 10), uneven / name)
    assert refused(uneven) == [
        f"{uneven / 'task=math' / 'part-0.parquet'}: partition folders (task) are not the first "
        "part file's (none): a folder of part files is one table"
    ]
    clash = tmp_path / "clash"
    (clash / "task=math").mkdir(parents=True)
    pq.write_table(table, clash / "task=math" / "part-0.parquet")
    assert refused(clash) == [
        f"{clash}: column 'task' is both in the part files and a partition folder's name "
        "(task=...): which one is it?"
    ]


@pytest.mark.parametrize("command", ["audit", "ab", "tells", "monitor"])
def test_an_out_that_is_the_input_folder_of_parts_is_refused(tmp_path: Path, command: str) -> None:
    # the command's files were written among the part files, and the folder could no longer
    # be read as a log (report.html, audit.json: "no .parquet files" or a mixed table)
    if command == "monitor":
        file = write_log(tmp_path / "log.parquet", planted())
        args = ["--judge", MONITOR_JUDGE, "-n", "6"]
    elif command == "ab":
        rows = ab_rows(n_per_arm=50, preference=(0.6, 0.7), accuracy=(0.8, 0.8), seed=4)
        file = write_parquet(tmp_path / "log.parquet", rows)
        args = ["--arm-column", "arm", "--judge", AB_JUDGE, "--sample", "10"]
    elif command == "tells":
        made = CliRunner().invoke(app, ["synth", "tells", "--out", str(tmp_path / "s")])
        assert made.exit_code == 0, made.output
        file = tmp_path / "log.parquet"
        duckdb.sql(
            f"COPY (SELECT * FROM read_json_auto('{tmp_path / 's' / 'feedback.jsonl'}')) "
            f"TO '{file}' (FORMAT parquet)"
        )
        args = []
    else:
        file = write_parquet(tmp_path / "log.parquet", planted_rows(CELLS))
        args = ["--judge", AUDIT_JUDGE, "-n", "10"]
    folder = split(file, tmp_path / "parts", 40)
    before = sorted(p.name for p in folder.iterdir())
    if command != "tells":  # tells calls no judge
        args += ["-q", "--no-cache"]
    res = CliRunner().invoke(app, [command, str(folder), *args, "--out", str(folder)])
    assert res.exit_code == 2, res.output
    assert f"--out is the input folder {folder}" in " ".join(res.output.split())
    assert sorted(p.name for p in folder.iterdir()) == before
