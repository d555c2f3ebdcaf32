"""A CSV file larger than ``--memory-limit`` is read under it, through the real source on a
real file.

Before: with the longest record raised to 64 MB (``MAX_CSV_LINE``), DuckDB sized its CSV read
buffer at 16 times that, capped at the file's size: a CSV was read in one buffer as large as
the file (up to 1 GB), so a 220 MB CSV under a 160 MB limit failed ("could not allocate block
of size 210 MiB") for audit, ab, tells (log and tables) and monitor alike, and a 400 MB task
table took 550 MB of memory with no limit at all."""

from __future__ import annotations

from pathlib import Path

import duckdb

from backbone.audit.source import MAX_CSV_LINE, open_source


def test_a_csv_larger_than_the_memory_limit_is_read_under_it(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    duckdb.execute(
        f"COPY (SELECT i AS id, repeat('x', 1000) AS text FROM range(220000) t(i)) TO '{path}' "
        "(HEADER)"
    )
    assert path.stat().st_size > 220e6
    source = open_source(path, memory_limit="160MB", threads=1)
    try:
        counted = source.con.execute(
            "SELECT count(*), max(__row), max(length(text)) FROM src"
        ).fetchone()
        limit = source.con.execute("SELECT current_setting('memory_limit')").fetchone()
    finally:
        source.close()
    assert counted == (220000, 220000, 1000)
    assert limit is not None and str(limit[0]).startswith("152.")  # 160 MB in MiB
    assert MAX_CSV_LINE < 160e6  # a buffer is the longest record, and fits
