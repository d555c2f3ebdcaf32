"""``backbone tells`` side tables: a per-request task-metrics table read the old way (every
record a Python dict, then averaged) and the new way (counted and averaged inside DuckDB).

Writes a task-metrics table (``timestamp, metric, value``: three metrics over 26 weeks, one row
per request; CSV, or Parquet with ``--format parquet``) in a temp dir with DuckDB ``COPY``,
then runs each reader in its own child process, so that each peak RSS
(``resource.getrusage(...).ru_maxrss``) is its own. Prints plain ``name: value`` lines:

* ``python_startup``: a child that only imports the reader (the floor under the peaks);
* ``old``: ``read_table`` (every record a dict: ``__row``, ``line``, the columns, ``period``)
  and the cells built from those rows (``cells_from_rows``), as ``tells`` read the table
  before;
* ``new``: ``read_cells``, as ``tells`` reads it now (the same checks, the cells counted and
  averaged in DuckDB);
* ``new_capped``: the same under ``--memory-limit`` (default 256MB); a run that fails (DuckDB
  out of memory) prints its error instead.

Time is the reader's wall time (imports not counted). Ratios (old over new) are from this
run. The cells of ``old`` and ``new`` are compared, and ``cells_identical`` printed: the same
keys, periods, counts and means, to the last bit. Exits non-zero only on a crash.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_tells_tables.py                # 2M rows
    PYTHONPATH=src .venv/bin/python benchmarks/bench_tells_tables.py --rows 1000000
    PYTHONPATH=src .venv/bin/python benchmarks/bench_tells_tables.py --format parquet
    PYTHONPATH=src .venv/bin/python benchmarks/bench_tells_tables.py --skip-old --rows 10000000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import _measure
from _measure import peak_mb

GENERATE = """
COPY (
  SELECT strftime(TIMESTAMP '2026-01-05' + to_seconds((i * 7919) % (26 * 7 * 86400)),
                  '%Y-%m-%dT%H:%M:%SZ') AS timestamp,
         ['accuracy', 'closure_rate', 'dispute_rate'][1 + (i % 3)::INT] AS metric,
         round(0.5 + (hash(i) % 10000) / 100000.0, 5) AS value
  FROM range({rows}) t(i)
) TO '{path}' ({options})
"""


def child(mode: str, path: str, memory_limit: str | None) -> dict[str, Any]:
    from backbone.audit.tells.satisfaction import TASK_COLUMNS
    from backbone.audit.tells.tables import Cells, cells_from_rows, read_cells, read_table
    from backbone.core.errors import InputError

    t0 = time.perf_counter()  # imports are not timed
    cells: Cells | None = None
    if mode == "old":
        rows = read_table(path, TASK_COLUMNS, period="week")
        cells = cells_from_rows(rows, "metric", "value")
        del rows
    elif mode.startswith("new"):
        try:
            cells = read_cells(
                path,
                TASK_COLUMNS,
                key="metric",
                value="value",
                lines=True,
                period="week",
                memory_limit=memory_limit,
            )
        except InputError as exc:
            return {"mode": mode, "error": str(exc), "peak_mb": peak_mb()}
    seconds = time.perf_counter() - t0
    listed = (
        sorted([c.key, c.period.isoformat(), c.count, c.mean] for c in cells.cells) if cells else []
    )
    return {"mode": mode, "seconds": seconds, "peak_mb": peak_mb(), "cells": listed}


def run_child(mode: str, path: Path, memory_limit: str | None = None) -> dict[str, Any]:
    return _measure.run_child(__file__, mode, path, memory_limit)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--memory-limit", default="256MB")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--skip-old", action="store_true", help="new path only (large --rows)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, path = args.child
        limit = args.memory_limit if mode == "new_capped" else None
        print(json.dumps(child(mode, path, limit)))
        return

    import duckdb

    with tempfile.TemporaryDirectory(prefix="bench-tells-") as tmp:
        path = Path(tmp) / f"task_metrics.{args.format}"
        t0 = time.perf_counter()
        con = duckdb.connect()
        options = "HEADER" if args.format == "csv" else "FORMAT parquet"
        con.execute(GENERATE.format(rows=args.rows, path=path, options=options))
        con.close()
        print(f"rows: {args.rows}")
        print(f"{args.format}_mb: {path.stat().st_size / 1e6:.1f}")
        print(f"generate_seconds: {time.perf_counter() - t0:.2f}")
        modes = ["python_startup", *([] if args.skip_old else ["old"]), "new", "new_capped"]
        results = {mode: run_child(mode, path, args.memory_limit) for mode in modes}
    floor = results["python_startup"]["peak_mb"]
    for mode, r in results.items():
        if "error" in r:
            print(f"{mode}_error: {' '.join(r['error'].split())}")
            continue
        print(f"{mode}_seconds: {r['seconds']:.2f}")
        print(f"{mode}_peak_rss_mb: {r['peak_mb']:.0f}")
        if mode != "python_startup":
            print(f"{mode}_peak_above_startup_mb: {r['peak_mb'] - floor:.0f}")
            assert len(r["cells"]) == 3 * 26, mode
    if "old" in results:
        old, new = results["old"], results["new"]
        print(f"old_mb_per_million_rows: {(old['peak_mb'] - floor) / args.rows * 1e6:.0f}")
        if "error" not in new:
            print(f"peak_ratio_old_over_new: {old['peak_mb'] / new['peak_mb']:.1f}")
            above = (old["peak_mb"] - floor) / (new["peak_mb"] - floor)
            print(f"peak_above_startup_ratio_old_over_new: {above:.1f}")
            print(f"time_ratio_old_over_new: {old['seconds'] / new['seconds']:.2f}")
            print(f"cells_identical_old_new: {old['cells'] == new['cells']}")
    print(f"memory_limit_capped: {args.memory_limit}")


if __name__ == "__main__":
    main()
