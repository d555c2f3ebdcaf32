"""DuckDB failing after a log was opened and counted, in the draw or the fetch of the drawn
records: a database page that no longer reads (a ``duckdb://`` table, here a view whose
column raises only when the draw reads it), or ``--memory-limit`` too low for the draw of a
big sample. The log was validated already, so the failure came as DuckDB's own traceback
(exit 1) from ``audit`` and ``ab`` (``monitor``: tests/monitor/test_draw_failures.py); now
it is bad input: exit 2, naming the file or table and what DuckDB said, nothing written.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.support.duckdb_faults import UNREADABLE, run

# Ibis 12's DuckDB backend reads a table's schema through duckdb's deprecated fetch_arrow_table
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


def test_an_audit_table_that_fails_in_the_draw_exits_2_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "prod.db"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE feedback AS SELECT 'evt-' || i AS id, 'q ' || i AS prompt, "
            "'a ' || i AS response, CASE WHEN i % 3 = 0 THEN 'down' ELSE 'up' END AS rating, "
            "i % 2 = 0 AS truth FROM range(60) t(i)"
        )
        # a column the counts never read, only the drawn records: it fails there
        con.execute(f"CREATE VIEW broken AS SELECT *, {UNREADABLE} AS note FROM feedback")
    url = f"duckdb://{db}"
    out = tmp_path / "out"
    judge = "python:tests.audit.planted_judge:truth"
    code, said = run(
        "audit", "--connection", url, "--table", "broken", "--judge", judge, "--out", str(out)
    )
    assert code == 2, said
    assert f"error: {url} table 'broken': Invalid Input Error: page 7 no longer reads" in said
    assert "Traceback" not in said and not out.exists()
    code, said = run(
        "audit", "--connection", url, "--table", "feedback", "--judge", judge, "--out", str(out)
    )
    assert code == 0 and (out / "audit.json").exists(), said  # the table itself audits


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 events of 500 bytes of text each, in two arms: ~100 MB once read."""
    path = tmp_path_factory.mktemp("big") / "events.parquet"
    duckdb.sql(
        "COPY (SELECT 'evt-' || i AS id, repeat('q', 200) || i AS prompt, "
        "repeat('a', 300) || i AS response, CASE WHEN i % 3 = 0 THEN 'down' ELSE 'up' END "
        "AS rating, CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END AS arm, true AS truth "
        f"FROM range(200000) t(i)) TO '{path}' (FORMAT parquet)"
    )
    return path


@pytest.mark.parametrize("limit", ["20MB", "25MB", "30MB"])
def test_a_big_draw_under_a_low_memory_limit_works_or_exits_2(
    big_log: Path, tmp_path: Path, limit: str
) -> None:
    # 5,000 events a stratum fetched whole (prompt and response): the draw ran out of memory
    # after the log was counted under the limit, and ab crashed with DuckDB's traceback
    judge = "python:tests.audit.planted_judge:truth"
    for command in (["audit"], ["ab", "--arm-column", "arm"]):
        out = tmp_path / command[0]
        code, said = run(*command, str(big_log), "--judge", judge, "-n", "5000",
                         "--memory-limit", limit, "--out", str(out))  # fmt: skip
        assert code in (0, 2) and "Traceback" not in said, said
        if code == 2:
            assert f"error: {big_log}: Out of Memory Error" in said and not out.exists(), said
