"""DuckDB draws its own progress bar on the process's stdout for any query past 2 s, whatever
stdout is and with --quiet: `backbone monitor big.jsonl -q > summary.txt` began with bars
joined by carriage returns. Every DuckDB connection backbone opens on a user's log has it off:
the one every log is read through (audit, ab, audit-channels, tells, monitor) and an Ibis
DuckDB connection (--connection duckdb://...). Checked in a fresh interpreter: under pytest
DuckDB starts with the bar off."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

import backbone

SRC = str(Path(backbone.__file__).resolve().parents[1])  # the tree under test


def _setting_in_a_fresh_interpreter(code: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_a_log_is_read_without_duckdbs_progress_bar(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text('{"id": "a", "prompt": "p", "response": "r", "rating": 1}\n')
    code = (
        "import sys; from backbone.audit.source import open_source\n"
        "s = open_source(sys.argv[1])\n"
        "print(s.con.execute(\"SELECT current_setting('enable_progress_bar')\").fetchone())"
    )
    # the default in a fresh interpreter is on (what the fix turns off)
    on = (
        "import duckdb\n"
        "con = duckdb.connect()\n"
        "print(con.execute(\"SELECT current_setting('enable_progress_bar')\").fetchone())"
    )
    assert _setting_in_a_fresh_interpreter(on) == "(True,)\n"
    assert _setting_in_a_fresh_interpreter(code, str(log)) == "(False,)\n"


def test_an_ibis_duckdb_connection_draws_no_progress_bar(tmp_path: Path) -> None:
    db = tmp_path / "logs.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE fb AS SELECT 'a' AS id")
    con.close()
    code = (
        "import sys; from backbone.evaluation.engines import open_on_connection\n"
        "def opener(table, name, close):\n"
        "    backend = table._find_backend()\n"
        "    print(backend.raw_sql(\"SELECT current_setting('enable_progress_bar')\").fetchone())\n"
        "open_on_connection(sys.argv[1], 'fb', opener)"
    )
    assert _setting_in_a_fresh_interpreter(code, f"duckdb://{db}") == "(False,)\n"
