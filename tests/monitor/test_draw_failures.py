"""DuckDB failing after a conversation table was opened and validated, in the draw or the
fetch of the drawn conversations (a page of a ``duckdb://`` database that no longer reads:
here a view whose column raises only when the fetch reads it) came as DuckDB's own traceback
(exit 1); now it is bad input: exit 2, naming the table and what DuckDB said, nothing written.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.support.duckdb_faults import UNREADABLE, run

# Ibis 12's DuckDB backend reads a table's schema through duckdb's deprecated fetch_arrow_table
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


def test_a_monitor_table_that_fails_in_the_fetch_exits_2_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "logs.db"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE chats AS SELECT 'c' || (i // 4) AS conversation_id, i % 4 AS turn, "
            "CASE WHEN i % 2 = 0 THEN 'user' ELSE 'assistant' END AS role, "
            "CASE WHEN i % 4 = 2 THEN 'Are you sure?' ELSE 'text ' || i END AS content "
            "FROM range(40) t(i)"
        )
        # user_id is read for the drawn conversations only
        con.execute(f"CREATE VIEW broken AS SELECT *, {UNREADABLE} AS user_id FROM chats")
    url = f"duckdb://{db}"
    out = tmp_path / "out"
    judge = "python:backbone.monitor.synthetic:planted_judge"
    code, said = run(
        "monitor", "--connection", url, "--table", "broken", "--judge", judge, "--out", str(out)
    )
    assert code == 2, said
    assert f"error: {url} table 'broken': Invalid Input Error: page 7 no longer reads" in said
    assert "Traceback" not in said and not out.exists()
