"""The same audit on every engine: the default DuckDB path over a file, the audit's Ibis
queries (audit/engine_table.py) on a DuckDB database table, and on Spark in local mode.

Each engine must count the same strata and draw the same events for the same seed, so the
estimates in audit.json are identical; bad input names the file or table and the column,
exits 2 and writes nothing. The Spark tests share one local session (module fixture).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pytest
from typer.testing import CliRunner

from backbone.audit.engine_table import open_table, quantile_disc
from backbone.audit.feedback_log import open_log
from backbone.audit.sampling import draw_sample
from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.evaluation.audit_engines import open_feedback, redact
from tests.audit.logs import planted_rows, write, write_events
from tests.spark import child_env, empty_logs, fresh_backbone, local_spark

JUDGE = "python:tests.audit.planted_judge:truth"
# Ibis 12's DuckDB backend reads a table's schema through duckdb's deprecated fetch_arrow_table
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


@pytest.fixture(scope="module")
def log_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_events(tmp_path_factory.mktemp("engines") / "events.parquet")


def audit(*args: str, out: Path) -> tuple[int, str, dict[str, Any] | None]:
    """``backbone audit`` in this process (so the Spark tests reuse the module's session)."""
    res = CliRunner().invoke(
        app, ["audit", *args, "--judge", JUDGE, "--out", str(out), "-q", "--no-cache"]
    )
    doc = json.loads((out / "audit.json").read_text()) if (out / "audit.json").exists() else None
    return res.exit_code, res.output, doc


def drawn_ids(doc: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for j in doc["judgments"]:
        out.setdefault(j["stratum"], []).append(j["id"])
    return out


def figures(doc: dict[str, Any]) -> dict[str, Any]:
    """audit.json less what names the input and when it ran."""
    return {k: v for k, v in doc.items() if k not in ("input", "created", "judgments")}


# ---------- the Ibis queries on DuckDB: the same draw as the default path ----------


def test_the_ibis_draw_is_the_default_draw_for_any_seed_size_and_scale(tmp_path: Path) -> None:
    cells = {("down", "math"): (40, 10), ("up", "math"): (90, 60), ("up", None): (70, 50)}
    rows = planted_rows(cells)
    for i, r in enumerate(rows):  # a stars scale: 1-5, 4 and up is thumbs-up
        r["stars"] = 1 + (i * 7) % 5 if r["rating"] == "down" else 4 + i % 2
    path = write(tmp_path / "log.parquet", rows)
    con = ibis.duckdb.connect()
    for strat in (None, "task"):
        for scale, cmap in (("auto", {}), ("stars", {"rating": "stars"})):
            with open_log(path, stratify_by=strat, column_map=cmap, rating_scale=scale) as log:
                table = open_table(
                    con.read_parquet(path),
                    name="log",
                    stratify_by=strat,
                    column_map=cmap,
                    rating_scale=scale,
                )
                assert table.info.strata == log.info.strata
                assert table.info.bottom_cut == log.info.bottom_cut
                assert (table.info.rows, table.info.unrated) == (log.info.rows, log.info.unrated)
                for seed, n in ((0, 1), (7, 13), (3, 10_000)):
                    a, b = draw_sample(log, n, seed), table.draw_sample(n, seed)
                    assert b.strata == a.strata
                    assert [(e.event.id, e.stratum, e.weight) for e in b.events] == [
                        (e.event.id, e.stratum, e.weight) for e in a.events
                    ]
                    # the same event travels to the judge (a table has no row order: row 0)
                    assert [e.event.model_copy(update={"row": 0}) for e in a.events] == [
                        e.event for e in b.events
                    ]
    assert log.info.rating_scale == "stars" and log.info.bottom_cut is not None  # exercised


def test_the_draw_key_orders_ids_as_md5_read_little_endian() -> None:
    # a second computation of the key: Python's md5, the 16 bytes as a little-endian number
    ids = [f"id-{i}" for i in range(300)]
    expected = sorted(
        ids, key=lambda i: int.from_bytes(hashlib.md5(f"5:{i}".encode()).digest(), "little")
    )
    t = ibis.memtable(
        {"id": ids, "prompt": ["p"] * 300, "response": ["r"] * 300, "rating": ["up"] * 300}
    )
    log = open_table(t, name="ids")
    assert [e.event.id for e in log.draw_sample(40, seed=5).events] == expected[:40]
    assert [e.event.id for e in log.draw_sample(300, seed=5).events] == expected


def test_quantile_disc_is_duckdbs() -> None:
    con = duckdb.connect()
    for n in range(1, 40):
        values = [float(1 + (i * i + n) % 5) for i in range(n)]
        (want,) = con.execute(
            "SELECT quantile_disc(v, 0.1) FROM unnest(?) t(v)", [values]
        ).fetchone()
        counts: dict[float, int] = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        assert quantile_disc(counts, 0.1) == want
    assert quantile_disc({}, 0.1) is None


def test_bad_records_are_named_by_table_and_id() -> None:
    t = ibis.memtable(
        {
            "id": ["a", "b", "b", None, "c"],
            "prompt": ["p", "p", "p", "p", None],
            "response": ["r"] * 5,
            "thumbs": ["up", "meh", "down", "up", "up"],
        }
    )
    with pytest.raises(InputError) as err:
        open_table(t, name="prod.feedback", column_map={"rating": "thumbs"}, rating_scale="updown")
    assert [str(p) for p in err.value.problems] == [
        "prod.feedback: a record without an id: id is missing",
        "prod.feedback: record 'b': rating (column 'thumbs') 'meh' is not 'up' or 'down' "
        "(empty: unrated)",
        "prod.feedback: record 'c': prompt is missing",
        "prod.feedback: duplicate id 'b' (2 records)",
    ]
    with pytest.raises(InputError) as err:
        open_table(t, name="prod.feedback", stratify_by="tier")
    assert [str(p) for p in err.value.problems] == [
        "prod.feedback: no column 'rating' for field 'rating' (columns: id, prompt, response, "
        "thumbs); map yours with --map rating=COLUMN",
        "prod.feedback: no column 'tier' for --stratify-by (columns: id, prompt, response, thumbs)",
    ]


def test_a_duckdb_database_table_audits_like_the_file(log_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "prod.db"
    con = duckdb.connect(str(db))
    con.execute(f"CREATE TABLE feedback AS SELECT * FROM '{log_file}'")
    con.close()
    code, output, base = audit(str(log_file), "--stratify-by", "task", out=tmp_path / "file")
    assert code == 0, output
    url = f"duckdb://{db}"
    code, output, doc = audit(
        "--connection", url, "--table", "feedback", "--stratify-by", "task", out=tmp_path / "db"
    )
    assert code == 0, output
    assert base is not None and doc is not None
    assert figures(doc) == figures(base)
    assert drawn_ids(doc) == drawn_ids(base)
    assert doc["input"]["file"] == f"{url} table 'feedback'"
    assert (doc["input"]["format"], doc["input"]["rows"], doc["input"]["rated"]) == (
        "table",
        3000,
        base["input"]["rated"],
    )
    # a missing table or column: exit 2, the table and the column named, nothing written
    for args, message in (
        (["--table", "nope"], f"{url}: no table 'nope'"),
        (
            ["--table", "feedback", "--map", "prompt=question"],
            f"{url} table 'feedback': no column 'question' for field 'prompt'",
        ),
    ):
        code, output, _ = audit("--connection", url, *args, out=tmp_path / "bad")
        assert code == 2 and message in output, output
        assert not (tmp_path / "bad").exists()


def test_a_sqlite_table_audits_like_the_file(log_file: Path, tmp_path: Path) -> None:
    # Ibis' SQLite backend compiles neither TRY_CAST nor md5: `--connection sqlite://...`
    # was a traceback (OperationNotDefinedError: 'TryCast'), exit 1
    rows = duckdb.sql(f"SELECT * FROM '{log_file}'")
    names, values = rows.columns, rows.fetchall()
    db = tmp_path / "app.sqlite"
    with sqlite3.connect(db) as con:  # SQLite's own types: truth 0/1, latency_ms INTEGER
        con.execute(f"CREATE TABLE feedback ({', '.join(names)})")
        con.executemany(f"INSERT INTO feedback VALUES ({', '.join('?' * len(names))})", values)
    con.close()
    judge = "python:tests.audit.planted_judge:truth_0_1"
    args = ["--stratify-by", "task", "--sample", "60", "--judge", judge, "-q", "--no-cache"]
    url = f"sqlite://{db}"
    docs = []
    for source, out in (
        ([str(log_file)], tmp_path / "file"),
        (["--connection", url, "--table", "feedback"], tmp_path / "sqlite"),
    ):
        res = CliRunner().invoke(app, ["audit", *source, *args, "--out", str(out)])
        assert res.exit_code == 0, res.output
        docs.append(json.loads((out / "audit.json").read_text()))
    base, doc = docs
    assert base["counts"]["unscored"] == 0
    assert drawn_ids(doc) == drawn_ids(base) and figures(doc) == figures(base)
    assert doc["input"]["file"] == f"{url} table 'feedback'"


def database(log_file: Path, tmp_path: Path, scheme: str) -> str:
    """The log as the table ``feedback`` of a DuckDB or SQLite database file: its URL."""
    if scheme == "duckdb":
        db = tmp_path / "prod.db"
        with duckdb.connect(str(db)) as con:
            con.execute(f"CREATE TABLE feedback AS SELECT * FROM '{log_file}'")
    else:
        rows = duckdb.sql(f"SELECT * FROM '{log_file}'")
        db = tmp_path / "app.sqlite"
        with sqlite3.connect(db) as lite:
            lite.execute(f"CREATE TABLE feedback ({', '.join(rows.columns)})")
            marks = ", ".join("?" * len(rows.columns))
            lite.executemany(f"INSERT INTO feedback VALUES ({marks})", rows.fetchall())
        lite.close()
    return f"{scheme}://{db}"


@pytest.mark.parametrize("scheme", ["duckdb", "sqlite"])
def test_the_memory_limit_holds_on_a_database_connection(
    log_file: Path, tmp_path: Path, scheme: str
) -> None:
    # --memory-limit was taken with --connection and never set: DuckDB ran the table's
    # queries (and the SQLite table's copy) with its default, 80% of the machine's memory
    url = database(log_file, tmp_path, scheme)
    with open_feedback(None, connection=url, table="feedback", memory_limit="123MiB") as log:
        con = log.events.get_backend().con  # the connection the audit's queries run on
        assert con.execute("SELECT current_setting('memory_limit')").fetchone() == ("123.0 MiB",)
    table = ["--connection", url, "--table", "feedback", "--sample", "20"]
    # in force: the audit that runs in 2 GB runs out of memory in 1 MB, exit 2 naming the table
    code, output, doc = audit(*table, "--memory-limit", "2GB", out=tmp_path / "roomy")
    assert code == 0 and doc is not None and doc["input"]["rows"] == 3000, output
    code, output, doc = audit(*table, "--memory-limit", "1MB", out=tmp_path / "tight")
    said = " ".join(output.split())
    assert code == 2 and doc is None and not (tmp_path / "tight").exists(), output
    assert f"error: {url}" in said and "Out of Memory Error" in said and "Traceback" not in said
    code, output, doc = audit(*table, "--memory-limit", "lots", out=tmp_path / "bad")
    assert code == 2 and doc is None and not (tmp_path / "bad").exists()
    assert "error: --memory-limit: 'lots' is not a memory size such as 2GB or 512MB" in " ".join(
        output.split()
    )


def test_a_database_file_given_as_a_bare_path_audits_as_its_url_form(
    log_file: Path, tmp_path: Path
) -> None:
    # `--connection app.sqlite` (no sqlite://) went to Ibis' own SQLite backend by the
    # extension: a traceback (OperationNotDefinedError: 'TryCast'), exit 1. It is read by what
    # the file holds, whatever its name: a SQLite file through the DuckDB copy, a DuckDB one
    lite = database(log_file, tmp_path, "sqlite").removeprefix("sqlite://")
    duck = database(log_file, tmp_path, "duckdb").removeprefix("duckdb://")
    args = ("--table", "feedback", "--sample", "20", "--seed", "3")
    bases = {}
    for kind, db in (("sqlite", lite), ("duckdb", duck)):
        code, output, bases[kind] = audit("--connection", f"{kind}://{db}", *args,
                                          out=tmp_path / kind)  # fmt: skip
        assert code == 0, output
    for i, (kind, name) in enumerate(
        [("sqlite", "app.sqlite"), ("sqlite", "app.sqlite3"), ("sqlite", "app"),
         ("duckdb", "prod.db"), ("sqlite", "a?b#c.db")]
    ):  # fmt: skip
        bare = tmp_path / name
        if not bare.exists():
            bare.write_bytes(Path(lite if kind == "sqlite" else duck).read_bytes())
        code, output, doc = audit("--connection", str(bare), *args, out=tmp_path / f"bare{i}")
        assert code == 0 and doc is not None, (name, output)
        base = bases[kind]
        assert base is not None and figures(doc) == figures(base), name
        assert drawn_ids(doc) == drawn_ids(base), name
        assert doc["input"]["file"] == f"{bare} table 'feedback'"
    # --memory-limit holds on the copy (it was refused: 'is read by sqlite, not DuckDB')
    with open_feedback(None, connection=lite, table="feedback", memory_limit="123MiB") as log:
        con = log.events.get_backend().con
        assert con.execute("SELECT current_setting('memory_limit')").fetchone() == ("123.0 MiB",)


def test_a_bare_path_that_is_no_database_file_is_refused_and_not_made(
    log_file: Path, tmp_path: Path
) -> None:
    # a missing app.sqlite was created empty by Ibis' SQLite backend (and 'no table'); the
    # log itself given as --connection was read by Ibis into a table of its own naming
    missing = tmp_path / "no-such.sqlite"
    for given, said in (
        (missing, f"{missing}: no such database file: {missing}"),
        (log_file, f"{log_file}: {log_file} is not a DuckDB or SQLite database file: a JSONL, "
         "CSV or Parquet log is given as the file itself, not with --connection"),
        (tmp_path, f"{tmp_path}: {tmp_path} is not a DuckDB or SQLite database file"),
    ):  # fmt: skip
        code, output, doc = audit("--connection", str(given), "--table", "feedback",
                                  out=tmp_path / "o")  # fmt: skip
        assert code == 2 and doc is None and not (tmp_path / "o").exists(), output
        assert f"error: {said}" in " ".join(output.split()) and "Traceback" not in output
    assert not missing.exists()


@pytest.mark.engines  # a JVM in a process of its own
def test_the_memory_limit_is_refused_on_a_connection_duckdb_does_not_read(
    log_file: Path, tmp_path: Path
) -> None:
    # a backend of its own (here Spark through Ibis' pyspark://, in a process of its own: its
    # disconnect stops the session) has no DuckDB memory to limit: refused, not ignored, and
    # before connecting: the refusal started a Spark JVM (25 s in the suite) to say so
    code, output, heap = fresh_backbone(
        ["audit", "--connection", "pyspark://", "--table", "feedback", "--memory-limit", "1GB",
         "--judge", JUDGE, "--out", str(tmp_path / "o"), "-q", "--no-cache"],
        cwd=tmp_path,
    )  # fmt: skip
    assert code == 2 and not (tmp_path / "o").exists(), output
    assert (
        "error: --memory-limit: is DuckDB's memory limit, and pyspark:// is read by pyspark, "
        "not DuckDB: leave --memory-limit out"
    ) in " ".join(output.split())
    assert "Traceback" not in output
    assert heap is None  # no JVM started


def test_a_table_in_a_schema_is_named_as_sql_names_it(log_file: Path, tmp_path: Path) -> None:
    # `--table analytics.feedback` (Postgres' schemas, BigQuery's datasets) was "no table
    # 'analytics.feedback'": the whole name was looked up as one table's
    db = tmp_path / "warehouse.db"
    con = duckdb.connect(str(db))
    con.execute("CREATE SCHEMA analytics")
    con.execute(f"CREATE TABLE analytics.feedback AS SELECT * FROM '{log_file}'")
    con.close()
    code, output, base = audit(str(log_file), out=tmp_path / "file")
    assert code == 0 and base is not None, output
    url = f"duckdb://{db}"
    for name in ("analytics.feedback", "warehouse.analytics.feedback"):
        code, output, doc = audit("--connection", url, "--table", name, out=tmp_path / name)
        assert code == 0 and doc is not None, output
        assert figures(doc) == figures(base) and drawn_ids(doc) == drawn_ids(base)
        assert doc["input"]["file"] == f"{url} table '{name}'"
    for name in ("analytics.nope", "nope.feedback", "feedback.", ".feedback"):
        code, output, _ = audit("--connection", url, "--table", name, out=tmp_path / "bad")
        assert code == 2 and f"{url}: no table '{name}'" in output, output
        assert not (tmp_path / "bad").exists()


def test_connection_urls_lose_their_password_and_options_go_together() -> None:
    assert redact("postgres://ana:pw@db:5432/logs") == "postgres://ana:***@db:5432/logs"
    assert redact("duckdb://prod.db") == "duckdb://prod.db"
    for kwargs, message in (
        ({"table": "t"}, "--connection URL and --table NAME go together"),
        ({"connection": "duckdb://x.db", "table": "t", "engine": "spark"}, "a --connection names"),
        ({"engine": "flink"}, "unknown engine 'flink'"),
    ):
        with pytest.raises(InputError, match=message):
            open_feedback(None, **kwargs)


# ---------- Spark in local mode ----------


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    yield from local_spark()


def test_spark_gives_the_same_audit_as_duckdb(spark: Any, log_file: Path, tmp_path: Path) -> None:
    args = (str(log_file), "--stratify-by", "task", "--sample", "60", "--seed", "11")
    code, output, base = audit(*args, out=tmp_path / "duckdb")
    assert code == 0, output
    code, output, doc = audit(*args, "--engine", "spark", out=tmp_path / "spark")
    assert code == 0, output
    assert base is not None and doc is not None
    assert drawn_ids(doc) == drawn_ids(base)
    assert [s["events"] for s in doc["strata"]] == [s["events"] for s in base["strata"]]
    assert len(doc["strata"]) == 6 and sum(len(v) for v in drawn_ids(doc).values()) == 360
    # identical estimates, and identical judgments down to each event's Parquet row
    assert figures(doc) == figures(base)
    assert doc["judgments"] == base["judgments"]
    assert doc["input"] == base["input"]


@pytest.mark.engines  # a JVM in a process of its own
def test_the_memory_limit_is_the_driver_memory_of_a_local_spark(
    log_file: Path, tmp_path: Path
) -> None:
    # --engine spark took --memory-limit and ignored it: the JVM ran with Spark's default, 1g.
    # It is the driver memory (the heap of the one JVM of a local Spark): 1500MB is 1430 MiB
    out = tmp_path / "out"
    code, output, heap = fresh_backbone(
        ["audit", str(log_file), "--engine", "spark", "--memory-limit", "1500MB",
         "--sample", "20", "--judge", JUDGE, "--out", str(out), "-q", "--no-cache"],
        cwd=tmp_path,
    )  # fmt: skip
    assert code == 0, output
    assert json.loads((out / "audit.json").read_text())["input"]["rows"] == 3000
    assert heap is not None and abs(heap - 1430 * 2**20) <= 8 * 2**20, heap  # regions round it


def test_the_memory_limit_is_refused_where_spark_cannot_hold_it(
    spark: Any, log_file: Path, tmp_path: Path
) -> None:
    # refused, not ignored: a Spark already running here keeps the memory it started with,
    # a cluster's executors have the cluster's, and Spark does not start in less than 450 MiB
    for size, said in (
        ("2GB", "Spark is already running in this process, with the memory it started with: "
         "leave --memory-limit out"),
        ("300MB", "'300MB' is less than the 450MiB a Spark driver needs to start"),
        ("lots", "'lots' is not a memory size such as 2GB or 512MB"),
    ):  # fmt: skip
        code, output, doc = audit(str(log_file), "--engine", "spark", "--memory-limit", size,
                                  out=tmp_path / "o")  # fmt: skip
        assert code == 2 and doc is None and not (tmp_path / "o").exists(), output
        assert f"error: --memory-limit: {said}" in " ".join(output.split())
    code, output, heap = fresh_backbone(
        ["audit", str(log_file), "--engine", "spark", "--memory-limit", "2GB",
         "--judge", JUDGE, "--out", str(tmp_path / "o"), "-q", "--no-cache"],
        cwd=tmp_path,
        env={"BACKBONE_SPARK_MASTER": "spark://head.invalid:7077"},
    )  # fmt: skip
    assert code == 2 and heap is None and not (tmp_path / "o").exists(), output  # no JVM
    assert (
        "error: --memory-limit: sets a local Spark's memory (spark.driver.memory); on master "
        "'spark://head.invalid:7077' the executors' memory is the cluster's "
        "(spark.executor.memory): leave --memory-limit out"
    ) in " ".join(output.split())


def test_spark_reads_a_directory_of_parquet_parts_without_format(
    spark: Any, log_file: Path, tmp_path: Path
) -> None:
    # a hive-partitioned folder as Spark or pyarrow write it (task=math/part-0.parquet...):
    # without --format the audit exited 2 with "cannot tell the format from the extension ''"
    parts = tmp_path / "feedback"
    spark.read.parquet(str(log_file)).write.partitionBy("task").parquet(str(parts))
    args = ("--stratify-by", "task", "--sample", "60", "--seed", "11")
    code, output, base = audit(str(log_file), *args, out=tmp_path / "file")
    assert code == 0 and base is not None, output
    code, output, doc = audit(str(parts), "--engine", "spark", *args, out=tmp_path / "parts")
    assert code == 0 and doc is not None, output
    assert doc["input"]["format"] == "parquet"
    assert drawn_ids(doc) == drawn_ids(base) and figures(doc) == figures(base)
    (parts / "notes.txt").write_text("written by hand")  # two kinds of file: name the format
    code, output, doc = audit(str(parts), "--engine", "spark", out=tmp_path / "mixed")
    assert code == 2 and "name it with --format" in " ".join(output.split()), output


def test_spark_reads_part_files_that_add_columns_as_duckdb_does(
    spark: Any, log_file: Path, tmp_path: Path
) -> None:
    # part files written before and after a column was added (the judge's truth, the task):
    # Spark took one file's schema, so the audit said "no column 'task'", or, not stratified,
    # judged every event without the column the later files hold; DuckDB reads them by name
    parts = tmp_path / "feedback"
    parts.mkdir()
    for i, (where, drop) in enumerate((("i < 1000", ", truth, task"), ("i >= 1000", ""))):
        duckdb.sql(
            f"COPY (SELECT * EXCLUDE (i{drop}) FROM (SELECT row_number() OVER () - 1 AS i, * "
            f"FROM '{log_file}') WHERE {where}) TO '{parts}/part-{i}.parquet' (FORMAT parquet)"
        )
    for args in (("--stratify-by", "task"), ()):
        code, output, base = audit(str(parts), "--sample", "40", *args, out=tmp_path / "duckdb")
        assert code == 0 and base is not None, output
        code, output, doc = audit(
            str(parts), "--engine", "spark", "--sample", "40", *args, out=tmp_path / "spark"
        )
        assert code == 0 and doc is not None, output
        assert figures(doc) == figures(base)
        assert doc["input"]["columns"] == base["input"]["columns"]
        assert [j["correct"] for j in doc["judgments"]] == [j["correct"] for j in base["judgments"]]


def test_spark_reads_csv_and_jsonl_as_duckdb_does(spark: Any, tmp_path: Path) -> None:
    cells = {("down", "tax"): (30, 12), ("up", "tax"): (50, 40), ("up", None): (20, 15)}
    rows = planted_rows(cells)
    rows[3]["rating"] = ""  # unrated
    for suffix in (".csv", ".jsonl"):
        path = write(tmp_path / f"log{suffix}", rows)
        with open_log(path, stratify_by="task") as log:
            base = draw_sample(log, 9, seed=2)
            engine_log = open_feedback(path, engine="spark", stratify_by="task")
            try:
                assert engine_log.info.strata == log.info.strata
                assert engine_log.info.unrated == log.info.unrated == 1
                drawn = engine_log.draw_sample(9, seed=2)
            finally:
                engine_log.close()
        assert [(e.event.id, e.stratum) for e in drawn.events] == [
            (e.event.id, e.stratum) for e in base.events
        ]
        # the judge sees the same event, at the same record index (0, "not known", before)
        assert [(e.event.row, e.event.as_dict()) for e in drawn.events] == [
            (e.event.row, e.event.as_dict()) for e in base.events
        ]


def test_spark_bad_input_exits_2_naming_file_and_column(
    spark: Any, log_file: Path, tmp_path: Path
) -> None:
    code, output, _ = audit(
        str(log_file), "--engine", "spark", "--stratify-by", "tier", out=tmp_path / "out"
    )
    assert code == 2
    assert f"{log_file}: no column 'tier' for --stratify-by" in output
    assert not (tmp_path / "out").exists()
    assert spark.sparkContext._jsc is not None  # the module's session is still running
    # bad records in files Spark reads: named by file and line (a blank line is no record; a
    # quoted CSV value may span lines), as the default path names them (no line before)
    (tmp_path / "bad.jsonl").write_text(
        '{"id": "a", "prompt": "p", "response": "r", "rating": "up"}\n\nnot json\n'
    )
    (tmp_path / "bad.csv").write_text('id,prompt,response,rating\na,"two\nlines",r,up\nb,p,r,meh\n')
    for name, message in (
        ("bad.jsonl:3", "not valid JSON"),
        ("bad.csv:4", "record 'b': rating 'meh' is not 'up' or 'down' (empty: unrated)"),
    ):
        with pytest.raises(InputError) as err:
            open_feedback(tmp_path / name.split(":")[0], engine="spark")
        assert [str(p) for p in err.value.problems] == [f"{tmp_path / name}: {message}"]


def test_spark_names_what_its_reader_refused_as_duckdb_names_it(spark: Any, tmp_path: Path) -> None:
    # Spark's own failures read "An error occurred while calling o160.collectToPython." (a
    # CSV row short of a field; part files giving a column two types), and a header naming a
    # column twice was read as id0, id4 ("no column 'id'"): named now at the line, the column
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("id,prompt,response,rating\n1,p,r,up\n2,p,r\n3,p,r,up,extra\n")
    twice = tmp_path / "twice.csv"
    twice.write_text("id,prompt,response,rating,id\n1,p,r,up,2\n")
    parts = tmp_path / "parts"
    parts.mkdir()
    for i, rating in enumerate(("'up'", "1")):
        duckdb.sql(
            f"COPY (SELECT '{i}' AS id, 'p' AS prompt, 'r' AS response, {rating} AS rating) "
            f"TO '{parts}/part-{i}.parquet' (FORMAT parquet)"
        )
    for log, expected in (
        (ragged, [
            f"{ragged}:3: missing columns (column 'rating'): Expected Number of Columns: 4 "
            "Found: 3",
            f"{ragged}:4: too many columns: Expected Number of Columns: 4 Found: 5",
        ]),
        (twice, [f"{twice}:1: column 'id' appears twice in the header"]),
        (parts, [
            f"{parts}: column 'rating' is VARCHAR in {parts / 'part-0.parquet'} and INTEGER in "
            f"{parts / 'part-1.parquet'}: Spark reads a folder's part files as one table, so "
            "they must give a column one type"
        ]),
    ):  # fmt: skip
        with pytest.raises(InputError) as err:
            open_feedback(log, engine="spark")
        assert [str(p) for p in err.value.problems] == expected
    code, output, doc = audit(str(ragged), "--engine", "spark", out=tmp_path / "out")
    assert code == 2 and doc is None and not (tmp_path / "out").exists()
    assert f"error: {ragged}:3: missing columns" in output


def test_spark_lists_jsonl_fields_in_the_files_order_as_duckdb_does(
    spark: Any, tmp_path: Path
) -> None:
    # Spark's JSON reader sorts the fields by name: audit.json's input.columns, and the
    # columns a "no column" message lists, came out id, prompt, rating... on Spark and in the
    # file's order on the default path
    log = tmp_path / "log.jsonl"
    rows = [{"rating": "up", "response": "r", "prompt": "p", "id": "1", "zone": "eu"},
            {"rating": "down", "response": "r", "prompt": "p", "id": "2", "arm": "b"}]  # fmt: skip
    log.write_text("".join(json.dumps(r) + "\n" for r in rows))
    columns = ["rating", "response", "prompt", "id", "zone", "arm"]
    for engine in ("duckdb", "spark"):
        with open_feedback(log, engine=engine) as opened:
            assert opened.info.columns == columns, engine
        with pytest.raises(InputError) as err:
            open_feedback(log, engine=engine, stratify_by="task")
        assert f"(columns: {', '.join(columns)})" in str(err.value), engine


def test_an_empty_log_has_no_records_on_both_paths(spark: Any, tmp_path: Path) -> None:
    # an empty file, or blank lines only: Spark's path said "no column 'prompt' ... (columns: )"
    # for each field; an empty directory of part files, Spark's UNABLE_TO_INFER_SCHEMA
    for log, engine in empty_logs(tmp_path):
        with pytest.raises(InputError) as err:
            open_feedback(log, engine=engine, fmt="jsonl")
        assert [str(p) for p in err.value.problems] == [f"{log}: no records"]


def test_bytes_that_are_not_utf8_are_refused_at_their_line_on_both_paths(
    spark: Any, tmp_path: Path
) -> None:
    # Spark's CSV reader read a Latin-1 byte as U+FFFD and audited on; the default path named
    # the file at line 1 (its header check decodes ahead); a JSONL line Spark kept, DuckDB not
    rows = b"id,prompt,response,rating\n1,p,r,up\n2,caf\xe9,r,down\n"
    single = tmp_path / "latin.csv"
    single.write_bytes(rows)
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "part-00000.csv").write_bytes(b"id,prompt,response,rating\n0,p,r,up\n")
    (parts / "part-00001.csv").write_bytes(rows)
    jsonl = tmp_path / "latin.jsonl"
    record = b'{"id": "ID", "prompt": "PROMPT", "response": "r", "rating": "up"}\n'
    jsonl.write_bytes(
        record.replace(b"ID", b"1").replace(b"PROMPT", b"p")
        + record.replace(b"ID", b"2").replace(b"PROMPT", b"caf\xe9")
    )
    latin = "not UTF-8 text: save the file as UTF-8"
    cases = [
        (single, "csv", "duckdb", f"{single}:3: {latin}"),
        (single, "csv", "spark", f"{single}:3: {latin}"),
        (parts, "csv", "spark", f"{parts / 'part-00001.csv'}:3: {latin}"),
        (jsonl, "jsonl", "duckdb", f"{jsonl}:2: {latin}"),
        (jsonl, "jsonl", "spark", f"{jsonl}:2: {latin}"),
    ]
    for log, fmt, engine, expected in cases:
        with pytest.raises(InputError) as err:
            open_feedback(log, engine=engine, fmt=fmt)
        assert [str(p) for p in err.value.problems] == [expected], (log, engine)
    header = tmp_path / "header.csv"  # the header's own bytes are named at line 1
    header.write_bytes(b"id,pr\xe9,response,rating\n1,p,r,up\n")
    with pytest.raises(InputError) as err:
        open_feedback(header, engine="duckdb", fmt="csv")
    assert [str(p) for p in err.value.problems] == [
        f"{header}:1: not UTF-8 text: invalid bytes in the header"
    ]


def test_sqlite_text_that_is_not_utf8_is_refused_at_its_row(log_file: Path, tmp_path: Path) -> None:
    """SQLite keeps whatever bytes it was given as TEXT. Python's reader raised on them inside
    DuckDB's reader thread, so the message ended "Detail: Python exception: Traceback (most
    recent call last):" and named no row; now the row and column are named, as a file's bad
    bytes are named at their line, and nothing is written."""
    url = database(log_file, tmp_path, "sqlite")
    with sqlite3.connect(url.removeprefix("sqlite://")) as con:
        con.execute("UPDATE feedback SET prompt = CAST(x'66ff00' AS TEXT) WHERE rowid = 7")
    con.close()
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        ["audit", "--connection", url, "--table", "feedback", "--judge", JUDGE, "-q",
         "--no-cache", "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 2, res.output
    assert f"{url}: table 'feedback' row 7, column 'prompt': text that is not UTF-8" in res.output
    assert "Traceback" not in res.output and not out.exists()


def test_a_sqlite_table_named_in_its_schema_main_is_read(log_file: Path, tmp_path: Path) -> None:
    """SQLite calls a database file's own schema ``main``: ``--table main.feedback`` was
    refused as "no table", though a table in a schema is named as SQL names it (the README)."""
    url = database(log_file, tmp_path, "sqlite")
    code, output, base = audit("--connection", url, "--table", "feedback", out=tmp_path / "a")
    assert code == 0 and base is not None, output
    code, output, doc = audit("--connection", url, "--table", "main.feedback", out=tmp_path / "b")
    assert code == 0 and doc is not None, output
    assert figures(doc) == figures(base) and drawn_ids(doc) == drawn_ids(base)
    code, output, _ = audit("--connection", url, "--table", "temp.feedback", out=tmp_path / "c")
    assert code == 2 and "no table 'temp.feedback'" in output, output


# a zoned timestamp (with a fraction of a second), a double with NaN and the infinities, and
# a naive timestamp, each a segment to stratify by
ODD_SEGMENTS = """
COPY (
  SELECT 'evt-' || i AS id, 'q' || i AS prompt, 'a' || i AS response,
         CASE WHEN i % 3 = 0 THEN 'down' ELSE 'up' END AS rating, i % 2 = 0 AS truth,
         TIMESTAMPTZ '2024-03-01 10:00:00.25+00' + INTERVAL (i % 2) HOUR AS zoned,
         [1.5, 'NaN'::DOUBLE, 'inf'::DOUBLE, '-inf'::DOUBLE, NULL][1 + i % 5] AS score,
         TIMESTAMP '2024-03-01 10:00:00' + INTERVAL (i % 2) HOUR AS naive
  FROM range(40) t(i)
) TO '{path}' (FORMAT parquet)
"""


def test_spark_labels_zoned_timestamp_and_nan_segments_as_duckdb_does(
    spark: Any, tmp_path: Path
) -> None:
    """``backbone audit log.parquet --stratify-by zoned --engine spark``: the same strata, the
    same counts, but labelled '2024-03-01 10:00:00.25' where DuckDB said
    '2024-03-01 10:00:00.25+00', and 'NaN', 'Infinity' where DuckDB said 'nan', 'inf'."""
    path = tmp_path / "odd.parquet"
    duckdb.sql(ODD_SEGMENTS.format(path=path))
    expected = {
        "zoned": {"2024-03-01 10:00:00.25+00", "2024-03-01 11:00:00.25+00"},
        "score": {"1.5", "nan", "inf", "-inf", "(missing)"},
        "naive": {"2024-03-01 10:00:00", "2024-03-01 11:00:00"},
    }
    for column, labels in expected.items():
        args = (str(path), "--stratify-by", column, "--sample", "3", "--seed", "5")
        code, output, base = audit(*args, out=tmp_path / column / "duckdb")
        assert code == 0 and base is not None, output
        code, output, doc = audit(*args, "--engine", "spark", out=tmp_path / column / "spark")
        assert code == 0 and doc is not None, output
        assert {s["segment"] for s in doc["strata"]} == labels, column
        assert doc["strata"] == base["strata"], column
        assert drawn_ids(doc) == drawn_ids(base), column


def test_a_zoned_timestamp_segment_is_labelled_in_utc_whatever_the_machines_zone(
    tmp_path: Path,
) -> None:
    """The default engine wrote a zoned timestamp in the machine's zone: the same log's
    strata were '2024-03-01 15:30:00.25+05:30' on a machine in India and
    '2024-03-01 10:00:00.25+00' on one in UTC (and on every other engine)."""
    path = tmp_path / "odd.parquet"
    duckdb.sql(ODD_SEGMENTS.format(path=path))
    code = (
        "import sys; from typer.testing import CliRunner; from backbone.cli.app import app; "
        "r = CliRunner().invoke(app, sys.argv[1:]); print(r.output); sys.exit(r.exit_code)"
    )
    out = tmp_path / "out"
    args = [str(path), "--stratify-by", "zoned", "--judge", JUDGE, "--out", str(out)]
    run = subprocess.run(
        [sys.executable, "-c", code, "audit", *args, "-q", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=child_env({"TZ": "Asia/Kolkata"}),
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    doc = json.loads((out / "audit.json").read_text())
    segments = {s["segment"] for s in doc["strata"]}
    assert segments == {"2024-03-01 10:00:00.25+00", "2024-03-01 11:00:00.25+00"}


@pytest.mark.parametrize("odd", ["inf", "-Infinity"])
def test_spark_names_an_infinite_rating_at_its_record_as_duckdb_does(
    spark: Any, tmp_path: Path, odd: str
) -> None:
    """A stars log with one rating 'inf': on Spark the scale was told with it among the
    numbers (Ibis writes ``isinf()`` there as ``FALSE OR FALSE``), so the whole log was
    refused, "the ratings ... run from 2 to inf", naming no record; DuckDB names the record."""
    from tests.audit.test_rating_not_finite import star_rows

    path = write(tmp_path / "log.csv", star_rows(odd))
    for engine in ("duckdb", "spark"):
        code, output, doc = audit(str(path), "--engine", engine, out=tmp_path / engine)
        assert code == 2 and doc is None, (engine, output)
        assert "run from" not in output, (engine, output)
        assert f"rating '{odd}' is not a score from 1 to 5" in output, (engine, output)


FLOAT_SEGMENTS = """
COPY (
  SELECT 'evt-' || i AS id, 'q' || i AS prompt, 'a' || i AS response,
         CASE WHEN i % 3 = 0 THEN 'down' ELSE 'up' END AS rating, i % 2 = 0 AS truth,
         [1e20, 2.5e-10, 123456789.0, 0.0001, 1e-5, 1e16, 100.0][1 + i % 7] AS score
  FROM range(42) t(i)
) TO '{path}' (FORMAT parquet)
"""


def test_spark_labels_very_large_and_small_float_segments_as_duckdb_does(
    spark: Any, tmp_path: Path
) -> None:
    """``backbone audit log.parquet --stratify-by score --engine spark`` with scores 1e20,
    123456789.0, 0.0001: the same strata and counts, labelled '1.0E20', '1.23456789E8',
    '1.0E-4' on Spark where DuckDB said '1e+20', '123456789.0', '0.0001'."""
    path = tmp_path / "floats.parquet"
    duckdb.sql(FLOAT_SEGMENTS.format(path=path))
    args = (str(path), "--stratify-by", "score", "--sample", "3", "--seed", "5")
    code, output, base = audit(*args, out=tmp_path / "duckdb")
    assert code == 0 and base is not None, output
    code, output, doc = audit(*args, "--engine", "spark", out=tmp_path / "spark")
    assert code == 0 and doc is not None, output
    labels = {"1e+20", "2.5e-10", "123456789.0", "0.0001", "1e-05", "1e+16", "100.0"}
    assert {s["segment"] for s in base["strata"]} == labels
    assert doc["strata"] == base["strata"]
    assert drawn_ids(doc) == drawn_ids(base)
