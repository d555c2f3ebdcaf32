"""Spark jobs and Py4J round trips per open and per draw, monitor and audit, each format.

On a small log a Spark query costs its planning and its jobs, not its data: the engine tests
spend their time there. This starts one local Spark session (``local[2]``, the tests' C1-only
JVM), writes the logs of the engine tests (monitor: 300 conversations of one message a row,
as Parquet, JSONL and CSV; audit: 3,000 events as Parquet, a small planted log as CSV and
JSONL) and, for each, prints the Spark jobs (each job group's ids from the status tracker),
the Py4J calls and the wall time of ``open_monitor_log``/``open_feedback`` with
``engine="spark"``, of one draw and of ``close``. The first round warms the JVM and is not
printed unless ``--rounds`` asks for more than the last.

    .venv/bin/python benchmarks/bench_spark_jobs.py
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

sys.path[:0] = [
    str(Path(__file__).resolve().parents[1]),
    str(Path(__file__).resolve().parents[1] / "src"),
]
os.environ.setdefault(  # the engine tests' JVM (tests/spark.py): C1 only
    "PYSPARK_SUBMIT_ARGS", '--driver-java-options "-XX:TieredStopAtLevel=1" pyspark-shell'
)

import py4j.java_gateway as gateway  # noqa: E402
from tests.audit.logs import planted_rows, write, write_events  # noqa: E402
from tests.monitor.logs import write_rows  # noqa: E402

from backbone.evaluation.audit_engines import open_feedback  # noqa: E402
from backbone.evaluation.engines import spark_session  # noqa: E402
from backbone.evaluation.monitor import open_monitor_log  # noqa: E402
from backbone.monitor.sampling import draw_sample  # noqa: E402
from backbone.monitor.synthetic import DomainPlan, generate  # noqa: E402

T = TypeVar("T")
PLANS = [  # tests/monitor/test_engines.py's log
    DomainPlan("health", 160, pushback_share=0.3, cave_rate=0.3, dial_off_share=0.05),
    DomainPlan("tax", 140, pushback_share=0.25, cave_rate=0.2, argue_share=0.5),
]
CALLS = [0]
_send = gateway.GatewayClient.send_command


def _counted(self: Any, *args: Any, **kwargs: Any) -> Any:
    CALLS[0] += 1
    return _send(self, *args, **kwargs)


gateway.GatewayClient.send_command = _counted  # type: ignore[method-assign]


def logs(tmp: Path) -> tuple[dict[str, Path], dict[str, Path]]:
    rows = list(generate(PLANS, seed=4).rows())
    jsonl = tmp / "chats.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows))
    monitor = {
        "parquet": write_rows(tmp / "chats.parquet", rows),
        "jsonl": jsonl,
        "csv": write_rows(tmp / "chats.csv", rows),
    }
    events = write_events(tmp / "events.parquet")
    cells = {("down", "tax"): (30, 12), ("up", "tax"): (50, 40), ("up", None): (20, 15)}
    audit = {
        "parquet": events,
        "csv": write(tmp / "log.csv", planted_rows(cells)),
        "jsonl": write(tmp / "log.jsonl", planted_rows(cells)),
    }
    return monitor, audit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="the last is printed")
    args = parser.parse_args()
    session, _ = spark_session()
    context = session.sparkContext
    groups = [0]
    printed = [False]

    def measure(what: str, run: Callable[[], T]) -> T:
        groups[0] += 1
        group = f"bench-{groups[0]}"
        context.setJobGroup(group, what)
        calls, start = CALLS[0], time.perf_counter()
        out = run()
        took = time.perf_counter() - start
        jobs = len(context.statusTracker().getJobIdsForGroup(group))
        if printed[0]:
            print(f"{what}: jobs={jobs} py4j_calls={CALLS[0] - calls} wall_s={took:.2f}")
        return out

    with tempfile.TemporaryDirectory() as tmp:
        monitor, audit = logs(Path(tmp))
        for round_ in range(args.rounds):
            printed[0] = round_ == args.rounds - 1
            for fmt, path in monitor.items():
                log = measure(
                    f"monitor open {fmt}", partial(open_monitor_log, path, engine="spark")
                )
                measure(f"monitor draw {fmt}", partial(draw_sample, log, 15, 9))
                measure(f"monitor close {fmt}", log.close)
            for fmt, path in audit.items():
                opened = measure(
                    f"audit open {fmt}",
                    partial(open_feedback, path, engine="spark", stratify_by="task"),
                )
                measure(f"audit draw {fmt}", partial(opened.draw_sample, 60, 11))
                measure(f"audit close {fmt}", opened.close)
    session.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
