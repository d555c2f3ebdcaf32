"""Feedback-audit ingest benchmark: a 10-million-row Parquet log, read and aggregated.

Writes a synthetic Parquet log (DuckDB ``COPY``) in a temp dir, then runs each measurement in
its own child process, so that each peak RSS (``resource.getrusage(...).ru_maxrss``) is its
own. Prints plain ``name: value`` lines:

* ``baseline``: a bare DuckDB ``SELECT rating, count(*) ... GROUP BY rating`` on the file;
* ``baseline_checks``: bare DuckDB doing the same checks backbone does (counts per rating,
  missing fields, distinct ids), as one hand-written query: what the work costs without
  backbone's views and reporting;
* ``backbone``: ``open_log`` (validate every record, count the strata) plus ``draw_sample``
  (the seeded stratified draw of 200 per stratum and the fetch of those rows);
* ``backbone_capped``: the same with DuckDB's memory limit at ``--memory-limit`` (default
  256MB), which makes the big aggregates spill to disk: how a log larger than memory goes.

Ratios are against ``baseline`` measured in the same run. Exits non-zero only on a crash.

    .venv/bin/python benchmarks/bench_audit.py                 # 10M rows, about a minute
    .venv/bin/python benchmarks/bench_audit.py --rows 1000000  # quicker
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
  SELECT 'evt-' || i AS id,
         TIMESTAMP '2025-01-01' + to_seconds(i) AS timestamp,
         'user-' || (i % 50000) AS user_id,
         'Question ' || (i % 1000) || ': is the answer still right?' AS prompt,
         'Answer ' || (i % 5000) || '. It is, and here is why.' AS response,
         CASE WHEN hash(i) % 100 < 30 THEN 'down' ELSE 'up' END AS rating,
         ['math', 'code', 'tax', 'health'][1 + (i % 4)::INT] AS task,
         (hash(i * 7) % 20000)::INT AS latency_ms
  FROM range({rows}) t(i)
) TO '{path}' (FORMAT parquet)
"""

CHECKS = """
SELECT rating, count(*),
       count(*) FILTER (WHERE id IS NULL OR trim(id) = ''),
       count(*) FILTER (WHERE prompt IS NULL),
       count(*) FILTER (WHERE response IS NULL)
FROM read_parquet('{path}') GROUP BY rating
"""


def child(mode: str, path: str, memory_limit: str | None) -> dict[str, Any]:
    import duckdb

    from backbone.audit.feedback_log import open_log
    from backbone.audit.sampling import draw_sample

    t0 = time.perf_counter()  # imports are not timed
    if mode == "baseline":
        con = duckdb.connect()
        rows = sum(
            n
            for _, n in con.execute(
                f"SELECT rating, count(*) FROM read_parquet('{path}') GROUP BY rating"
            ).fetchall()
        )
    elif mode == "baseline_checks":
        con = duckdb.connect()
        groups = con.execute(CHECKS.format(path=path)).fetchall()
        con.execute(f"SELECT count(DISTINCT id) FROM read_parquet('{path}')").fetchall()
        rows = sum(int(g[1]) for g in groups)
    else:
        with open_log(path, memory_limit=memory_limit) as log:
            rows = log.info.rows
            sample = draw_sample(log, 200, seed=1)
            assert len(sample.events) == 400
    seconds = time.perf_counter() - t0
    return {"mode": mode, "rows": rows, "seconds": seconds, "peak_mb": peak_mb()}


def run_child(mode: str, path: Path, memory_limit: str | None = None) -> dict[str, Any]:
    return _measure.run_child(__file__, mode, path, memory_limit)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--memory-limit", default="256MB")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, path = args.child
        limit = args.memory_limit if mode == "backbone_capped" else None
        print(json.dumps(child(mode, path, limit)))
        return

    import duckdb

    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        path = Path(tmp) / "feedback.parquet"
        t0 = time.perf_counter()
        con = duckdb.connect()
        con.execute(GENERATE.format(rows=args.rows, path=path))
        con.close()
        print(f"rows: {args.rows}")
        print(f"parquet_mb: {path.stat().st_size / 1e6:.1f}")
        print(f"generate_seconds: {time.perf_counter() - t0:.2f}")
        results = {
            mode: run_child(mode, path, args.memory_limit)
            for mode in ("baseline", "baseline_checks", "backbone", "backbone_capped")
        }
    base = results["baseline"]
    for mode, r in results.items():
        assert r["rows"] == args.rows, (mode, r)
        rate = r["rows"] / r["seconds"]
        print(f"{mode}_seconds: {r['seconds']:.2f}")
        print(f"{mode}_rows_per_second: {rate:,.0f}")
        print(f"{mode}_peak_rss_mb: {r['peak_mb']:.0f}")
        if mode != "baseline":
            print(f"{mode}_time_ratio_vs_baseline: {r['seconds'] / base['seconds']:.1f}")
        if mode.startswith("backbone"):
            ratio = r["seconds"] / results["baseline_checks"]["seconds"]
            print(f"{mode}_time_ratio_vs_baseline_checks: {ratio:.1f}")
    print(f"memory_limit_capped: {args.memory_limit}")


if __name__ == "__main__":
    main()
