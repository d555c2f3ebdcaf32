"""CPU of a short local-Spark job with the JVM's default compilers against C1 only.

The Spark tests (tests/spark.py) start their JVMs with ``-XX:TieredStopAtLevel=1``: a test's
job is seconds long, and on a 2-core machine the C2 compiler's threads spent more CPU than the
job itself. This prints, for each JVM option set, the CPU (the Python process and the JVM,
the JVM's read from ``/proc``) and wall time of one child process that starts
Spark and runs the audit's Ibis queries on a synthetic Parquet log (``bench_audit_engines.py``:
open, validate and stratify, then draw 200 events per stratum), its drawn ids compared with
the first set's, and the ratio of CPU against the first (measured in the same run).

    .venv/bin/python benchmarks/bench_spark_jvm.py --rows 100000
    .venv/bin/python benchmarks/bench_spark_jvm.py --tests   # the two Spark test files whole

With ``--tests`` it runs ``pytest -n 0`` on tests/audit/test_engines.py and
tests/monitor/test_engines.py once per option set instead, and prints the CPU of pytest and
every process under it (the JVMs included, polled from ``/proc`` as they run, since a JVM
that pytest never reaps is not in its rusage) and the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_audit import GENERATE

OPTION_SETS = {"jvm_default": "", "c1_only": "-XX:TieredStopAtLevel=1"}


def measure(path: str) -> dict[str, Any]:
    from bench_audit_engines import measure as audit_queries

    start = time.perf_counter()
    out = audit_queries("spark", path)
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    assert gateway is not None
    jvm_pid = gateway.jvm.java.lang.ProcessHandle.current().pid()
    stat = Path(f"/proc/{jvm_pid}/stat").read_text()
    utime, stime = stat[stat.rfind(")") + 2 :].split()[11:13]
    own = resource.getrusage(resource.RUSAGE_SELF)
    jvm_s = (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")
    out["cpu_s"] = jvm_s + own.ru_utime + own.ru_stime
    out["wall_s"] = time.perf_counter() - start
    return out


def tree_cpu(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU seconds of ``cmd`` and all its descendants, polled every 0.5 s, and its wall time."""
    tick = os.sysconf("SC_CLK_TCK")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    seen: dict[int, float] = {}
    while proc.poll() is None:
        parent: dict[int, int] = {}
        cpu: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
            except OSError:
                continue
            if stat:
                fields = stat[stat.rfind(")") + 2 :].split()
                parent[int(entry.name)] = int(fields[1])
                cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
        tree = {proc.pid}
        grown = True
        while grown:
            more = {p for p, pp in parent.items() if pp in tree} - tree
            tree |= more
            grown = bool(more)
        for pid in tree & cpu.keys():
            seen[pid] = max(seen.get(pid, 0.0), cpu[pid])
        time.sleep(0.5)
    if proc.returncode != 0:
        raise SystemExit(f"pytest exited {proc.returncode}")
    return sum(seen.values()), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tests", action="store_true", help="time the Spark test files")
    parser.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return 0
    if args.tests:
        root = Path(__file__).resolve().parents[1]
        files = [str(root / "tests" / d / "test_engines.py") for d in ("audit", "monitor")]
        first = None
        for name, options in OPTION_SETS.items():
            submit = f'--driver-java-options "{options}" pyspark-shell' if options else ""
            env = {**os.environ, "PYSPARK_SUBMIT_ARGS": submit or "pyspark-shell"}
            cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0"]
            cpu, wall = tree_cpu([*cmd, *files], env)
            first = cpu if first is None else first
            print(
                f"{name}: tests cpu_s={cpu:.1f} wall_s={wall:.1f} "
                f"cpu_vs_jvm_default={cpu / first:.2f}x"
            )
        return 0
    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "log.parquet")
        duckdb.sql(GENERATE.format(rows=args.rows, path=path))
        print(f"rows: {args.rows}")
        base: dict[str, Any] | None = None
        for name, options in OPTION_SETS.items():
            submit = f'--driver-java-options "{options}" pyspark-shell' if options else ""
            env = {**os.environ, "PYSPARK_SUBMIT_ARGS": submit or "pyspark-shell"}
            child = subprocess.run(
                [sys.executable, __file__, "--child", path],
                capture_output=True, text=True, check=True, env=env,
            )  # fmt: skip
            got = json.loads(child.stdout.strip().splitlines()[-1])
            base = got if base is None else base
            print(
                f"{name}: cpu_s={got['cpu_s']:.1f} wall_s={got['wall_s']:.1f} "
                f"startup_s={got['startup_s']:.1f} cpu_vs_jvm_default="
                f"{got['cpu_s'] / base['cpu_s']:.2f}x same_sample={got['sample'] == base['sample']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
