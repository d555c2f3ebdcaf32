"""The Spark session of the engine tests (tests/audit/test_engines.py,
tests/monitor/test_engines.py): local mode, skipped without a Java runtime, stopped at the end
only when the test module started it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backbone.evaluation.engines import spark_session

# The JVM of every local Spark the tests start (in this process or a child: pyspark reads this
# when it launches spark-submit) compiles with C1 only. A test's Spark job is seconds long, and
# the C2 compiler's threads cost CPU the other test worker needs on a 2-core machine. Both
# engine files alone on an idle machine: 296 s of CPU and 195 s wall with the JVM's defaults,
# 257 s and 207 s with this (0.87x CPU, 1.06x wall: the session lives through 65 tests, long
# enough for C2 to pay back some: benchmarks/bench_spark_jvm.py --tests); three short tests
# 107 s against 64 s of CPU; the same engine and answers (the benchmark without --tests: 0.57x
# on one short audit).
# `spark.driver.memory` (--memory-limit) still reaches the JVM. (The serial collector saved 5 s
# more but reports a smaller max heap than -Xmx, which the memory-limit tests read.)
SPARK_TEST_JVM = "-XX:TieredStopAtLevel=1"
os.environ.setdefault(
    "PYSPARK_SUBMIT_ARGS", f'--driver-java-options "{SPARK_TEST_JVM}" pyspark-shell'
)


def local_spark() -> Iterator[Any]:
    """Yield the session (for a module-scoped fixture)."""
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (scripts/test.sh installs openjdk-17-jre-headless)")
    session, created = spark_session()
    yield session
    if created:
        session.stop()


# `backbone ARGS` in this process, then the max heap of the JVM Spark ran in (None: none ran)
_FRESH = """
import json, sys
from typer.testing import CliRunner
from backbone.cli.app import app
res = CliRunner().invoke(app, sys.argv[1:])
from pyspark import SparkContext
gateway = SparkContext._gateway  # the JVM outlives the session the command stopped
heap = None if gateway is None else gateway.jvm.java.lang.Runtime.getRuntime().maxMemory()
print(json.dumps({"code": res.exit_code, "output": res.output, "heap": heap}))
"""


ROOT = Path(__file__).resolve().parents[1]


def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a child process, with the repository's ``src`` and
    root on ``PYTHONPATH``: a ``python:tests...`` judge imports there whether pytest itself
    ran with the root on ``PYTHONPATH`` (a worktree run) or not (``scripts/test.sh``)."""
    paths = [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p), **(env or {})}


def fresh_backbone(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[int, str, int | None]:
    """``backbone ARGS`` in a process of its own, so that Spark starts there with the options
    of the run (a JVM, once started, keeps its memory): the exit code, the output, and the
    max heap of the JVM Spark ran in, in bytes (None when Spark never started)."""
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (scripts/test.sh installs openjdk-17-jre-headless)")
    run = subprocess.run(
        [sys.executable, "-c", _FRESH, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=child_env(env),
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout.strip().splitlines()[-1])
    return got["code"], got["output"], got["heap"]


def empty_logs(folder: Path) -> list[tuple[Path, str]]:
    """Logs with no record, each with an engine that must say "no records": an empty file
    and one of blank lines (both engines), an empty directory of part files (Spark)."""
    (folder / "zero.jsonl").write_text("")
    (folder / "blank.jsonl").write_text("\n\n")
    (folder / "parts").mkdir()
    (folder / "parts" / "_SUCCESS").write_text("")
    files = [folder / "zero.jsonl", folder / "blank.jsonl"]
    return [(f, e) for f in files for e in ("duckdb", "spark")] + [(folder / "parts", "spark")]
