"""The monitor's ingestion on each engine: the same Parquet (or JSONL) log validated,
classified (the pushback detector on every user turn), counted and sampled.

Writes a synthetic log of one message a row (DuckDB ``COPY``: four messages a conversation,
the second user turn drawn from pushback and plain phrasings, three domains) and times, each
in its own child process (so each peak RSS is its own), opening the log and drawing 200
conversations per domain x pushback stratum:

* ``duckdb_default``: the default path (``open_conversations`` + ``draw_sample``, DuckDB SQL);
* ``ibis_duckdb``: the Ibis queries (``monitor/engine_table.py``) on DuckDB;
* ``spark``: the same Ibis queries on Spark in local mode (``--spark``; the JVM's start is
  timed apart as ``startup_s``), reading the file as ``backbone monitor --engine spark`` does.

``--format jsonl`` writes the log as JSONL instead (the line-by-line checks Spark makes on
JSONL: every line a JSON object, content that is text, each record's line), ``--format csv``
as CSV (Spark reads it once more as lines to refuse bytes that are not UTF-8: part of
``open_s``, and timed again apart, warm, as ``utf8_check_s``); the Ibis-on-DuckDB line is
Parquet-only. Each engine's ``open_s`` is also printed as a ratio to the default path's,
measured in the same run.

Each line also says whether the strata counts and the drawn ids equal the default path's.
Exits non-zero on a crash or when an engine counts or draws otherwise.

    .venv/bin/python benchmarks/bench_monitor_engines.py --conversations 100000 --spark
    .venv/bin/python benchmarks/bench_monitor_engines.py --conversations 40000 --spark \\
        --format jsonl
    .venv/bin/python benchmarks/bench_monitor_engines.py --conversations 40000 --spark \\
        --format csv
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_audit_engines import ibis_table, run_engines

SECOND_TURNS = [
    "Are you sure? I'm a nurse and that's not right.",
    "I read in a study that it's the opposite.",
    "That’s WRONG, everyone knows it.",
    "Thanks! And what about the second question?",
    "Sorry, typo: I meant 1990, not 1909.",
    "No, it's 12, not 13.",
    "Great, that helps.",
    "Forget it, this is useless.",
]

GENERATE = """
COPY (
  SELECT 'conv-' || c AS conversation_id, m AS turn,
         CASE WHEN m % 2 = 0 THEN 'user' ELSE 'assistant' END AS role,
         CASE m WHEN 0 THEN 'What is case ' || c || '?' WHEN 1 THEN 'It is ' || (c % 50) || '.'
              WHEN 2 THEN {turns}[1 + (hash(c) % {n_turns})::INT]
              ELSE 'I stand by ' || (c % 50) || '.' END AS content,
         ['health', 'tax', 'code'][1 + (c % 3)::INT] AS domain,
         'u' || (c % 997) AS user_id
  FROM range({conversations}) a(c), range(4) b(m)
) TO '{path}' (FORMAT {fmt})
"""


def measure(engine: str, path: str) -> dict[str, Any]:
    from backbone.monitor.sampling import draw_sample

    out: dict[str, Any] = {"engine": engine}
    if engine == "duckdb_default":
        from backbone.monitor.conversations import open_conversations

        start = time.perf_counter()
        log: Any = open_conversations(path)
    elif path.endswith((".jsonl", ".csv")):  # Spark reading the file as the CLI does
        from backbone.evaluation.engines import _bytes_not_utf8, spark_session
        from backbone.evaluation.monitor import open_monitor_log

        start = time.perf_counter()
        session, _ = spark_session()  # started here, so that open_s is the reading alone
        out["startup_s"] = time.perf_counter() - start
        start = time.perf_counter()
        log = open_monitor_log(path, engine="spark")
    else:
        from backbone.monitor.engine_table import open_table

        table = ibis_table(engine, path, out)
        start = time.perf_counter()
        log = open_table(table, name=path, fmt="parquet")
    out["open_s"] = time.perf_counter() - start
    start = time.perf_counter()
    sample = draw_sample(log, 200, seed=1)
    out["draw_s"] = time.perf_counter() - start
    if engine == "spark" and path.endswith(".csv"):  # timed warm, after the rest
        start = time.perf_counter()
        assert not _bytes_not_utf8(session, Path(path))
        out["utf8_check_s"] = time.perf_counter() - start
    out["result"] = {
        "strata": [[s.key, s.conversations] for s in log.info.strata],
        "drawn": sorted(sc.conversation.id for sc in sample.conversations),
    }
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--spark", action="store_true", help="also run on Spark (local[2])")
    parser.add_argument("--format", choices=["parquet", "jsonl", "csv"], default="parquet")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return 0
    import duckdb

    turns = "[" + ", ".join("'" + t.replace("'", "''") + "'" for t in SECOND_TURNS) + "]"
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / f"chats.{args.format}")
        duckdb.sql(
            GENERATE.format(
                conversations=args.conversations,
                turns=turns,
                n_turns=len(SECOND_TURNS),
                path=path,
                fmt={"parquet": "parquet", "jsonl": "json", "csv": "csv"}[args.format],
            )
        )
        size = Path(path).stat().st_size / 1e6
        print(
            f"conversations: {args.conversations} ({4 * args.conversations} messages), "
            f"{args.format} {size:.1f} MB"
        )
        engines = ["duckdb_default"] + (["ibis_duckdb"] if args.format == "parquet" else [])
        engines += ["spark"] if args.spark else []
        same_everywhere = run_engines(__file__, engines, path, "result", ratio_of="open_s")
    return 0 if same_everywhere else 1


if __name__ == "__main__":
    sys.exit(main())
