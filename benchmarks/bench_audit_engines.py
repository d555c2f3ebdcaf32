"""The audit's queries on each engine: the same Parquet log counted, validated and sampled.

Writes a synthetic log (DuckDB ``COPY``; the columns of ``bench_audit.py``) and times, each in
its own child process (so each peak RSS is its own), opening the log (validation + strata)
and drawing 200 events per rating x task stratum:

* ``duckdb_default``: the default path (``open_log`` + ``draw_sample``, DuckDB SQL);
* ``ibis_duckdb``: the Ibis queries (``audit/engine_table.py``) on DuckDB;
* ``spark``: the same Ibis queries on Spark in local mode (``--spark``; the JVM's start is
  timed apart as ``startup_s``).

Each line also says whether the drawn ids equal the default path's. Exits non-zero on a crash
or when an engine draws other events.

    .venv/bin/python benchmarks/bench_audit_engines.py --rows 1000000 --spark
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_audit import GENERATE


def ibis_table(engine: str, path: str, out: dict[str, Any]) -> Any:
    """The Parquet file as an Ibis table on ``spark`` (JVM start put in ``out``) or DuckDB."""
    import ibis

    if engine == "spark":
        from backbone.evaluation.engines import spark_session

        start = time.perf_counter()
        session, _ = spark_session()
        out["startup_s"] = time.perf_counter() - start
        return ibis.pyspark.connect(session).read_parquet(path)
    return ibis.duckdb.connect().read_parquet(path)


def run_engines(
    script: str, engines: list[str], path: str, what: str, *, ratio_of: str | None = None
) -> bool:
    """Run ``script --child ENGINE PATH`` per engine and print its figures; True when every
    engine's ``what`` (a JSON value the child prints) equals the first one's. With
    ``ratio_of``, each engine's figure of that name is also printed as a ratio to the first
    engine's (measured in the same run)."""
    base: Any = None
    first: float | None = None
    same_everywhere = True
    for engine in engines:
        child = subprocess.run(
            [sys.executable, script, "--child", engine, path],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        got = result.pop(what)
        base = got if base is None else base
        same = got == base
        same_everywhere &= same
        figures = " ".join(f"{k}={v:.2f}" for k, v in result.items() if isinstance(v, float))
        sizes = " ".join(f"{k}={len(v)}" for k, v in got.items())
        ratio = ""
        if ratio_of is not None and isinstance(result.get(ratio_of), float):
            first = result[ratio_of] if first is None else first
            ratio = f" {ratio_of}_vs_{engines[0]}={result[ratio_of] / first:.2f}x"
        print(f"{engine}: {figures} {sizes} same_{what}={same}{ratio}")
    return same_everywhere


def measure(engine: str, path: str) -> dict[str, Any]:
    out: dict[str, Any] = {"engine": engine}
    if engine == "duckdb_default":
        from backbone.audit.feedback_log import open_log
        from backbone.audit.sampling import draw_sample

        start = time.perf_counter()
        with open_log(path, stratify_by="task") as log:
            out["open_s"] = time.perf_counter() - start
            start = time.perf_counter()
            sample = draw_sample(log, 200, seed=1)
            out["draw_s"] = time.perf_counter() - start
    else:
        from backbone.audit.engine_table import open_table

        table = ibis_table(engine, path, out)
        start = time.perf_counter()
        log = open_table(table, name=path, stratify_by="task")
        out["open_s"] = time.perf_counter() - start
        start = time.perf_counter()
        sample = log.draw_sample(200, seed=1)
        out["draw_s"] = time.perf_counter() - start
    out["sample"] = {"drawn": [se.event.id for se in sample.events]}
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--spark", action="store_true", help="also run on Spark (local[2])")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return 0
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "log.parquet")
        duckdb.sql(GENERATE.format(rows=args.rows, path=path))
        print(f"rows: {args.rows}")
        engines = ["duckdb_default", "ibis_duckdb"] + (["spark"] if args.spark else [])
        same_everywhere = run_engines(__file__, engines, path, "sample")
    return 0 if same_everywhere else 1


if __name__ == "__main__":
    sys.exit(main())
