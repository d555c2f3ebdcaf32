"""What every test process starts from: a response cache of its own.

``scripts/test.sh`` runs the test files in two pytest-xdist worker processes at once. A run
with the cache on and no ``BACKBONE_CACHE_DIR`` (``evaluate()``, ``rescore()``, a CLI
command in this process or a child, which inherits ``os.environ``) used the user's cache,
``~/.cache/backbone``: the replies, judge verdicts, batch journal and judges' measured
agreement that one file's tests stored there were served to another file's tests, in the
other worker, or in a later run of the suite, and a test counting calls or relying on a
scripted target being asked saw fewer. Each process now gets a fresh folder under its own
pytest temporary directory (per worker under xdist), also when the shell had set
``BACKBONE_CACHE_DIR``: both workers would share that one. A test that sets its own (most
do, in ``tmp_path``) still wins: its ``monkeypatch.setenv`` or child ``env`` comes later.

Under xdist with more than one worker, each process (and every CLI it starts) runs the
embedded model on one thread (``BACKBONE_LOCAL_THREADS=1``, unless the shell set it): two
workers whose llama.cpp threads each spin on every core slowed the main-job test from 75 s
alone to 247 s beside another model test (``benchmarks/bench_local_threads.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session", autouse=True)
def _own_response_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("backbone-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BACKBONE_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def _one_model_thread_per_worker() -> Iterator[None]:
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    with pytest.MonkeyPatch.context() as mp:
        if workers > 1 and not os.environ.get("BACKBONE_LOCAL_THREADS"):
            mp.setenv("BACKBONE_LOCAL_THREADS", "1")
        yield


# ---------- the order the two xdist workers take the test files in ----------

# With ``--dist loadfile`` each worker takes a whole file, and the next when it has two tests
# left. pytest-xdist queues the files by their number of tests, most first, so a file of few
# but slow tests (a JVM, the embedded model, a browser) was taken last, and the other worker
# sat idle while it ran (a full run of the suite ended on the embedded model's `backbone run`
# beside a Spark JVM). These files, the slowest of that run (--durations=60: a JVM, the
# model, a browser, few tests each), are taken first, in this order; the rest keep xdist's
# order after them.
# A file missing here costs only its place in the queue.
SLOW_FIRST = (
    "spark",  # the two Spark files below, one unit: minutes, JVMs of their own among them
    # the embedded model (minutes for the first, on one thread under xdist)
    "tests/e2e/test_local_model.py",
    "tests/e2e/test_local_reproducible.py",
    "tests/targets/test_local_batch.py",
    "tests/targets/test_local_cancel.py",
    "tests/audit/tells/test_planted.py",  # many seeds
    "tests/e2e/test_local_pressure.py",
    "tests/probes/test_kinds_embedded.py",
    "tests/scenarios/test_domain_suites.py",
    "tests/gate/test_ci_example.py",
    "tests/core/test_yaml_parsers.py",
    "tests/report/test_ab_browser.py",
    "tests/e2e/test_llama_server.py",
    "tests/probes/test_embedded.py",
    "tests/evaluation/test_draft.py",
)

# The Spark engine files run in one worker, one after the other: one JVM (and its warmed-up
# code) instead of one in each worker. A test that needs a JVM of its own (its memory) still
# starts one in a fresh process (tests/spark.py's fresh_backbone).
SPARK_FILES = ("tests/audit/test_engines.py", "tests/monitor/test_engines.py")


@pytest.hookimpl(tryfirst=True)  # before the -m selection reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that takes a local Spark session (the ``spark`` fixture of the two Spark files)
    is in the ``engines`` tier: a JVM, left out of the default suite (see pyproject.toml)."""
    for item in items:
        if "spark" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.engines)


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which would answer first
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadfile`` with the Spark files as one unit and :data:`SLOW_FIRST` first."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SlowFirst(LoadFileScheduling):
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            file = str(super()._split_scope(nodeid))
            return "spark" if file in SPARK_FILES else file

        def _assign_work_unit(self, node: Any) -> None:
            if not self.ordered:  # the queue is complete at the first assignment
                rank = {unit: i for i, unit in enumerate(SLOW_FIRST)}
                units = sorted(self.workqueue.items(), key=lambda u: rank.get(u[0], len(rank)))
                self.workqueue.clear()
                self.workqueue.update(units)
                self.ordered = True
            super()._assign_work_unit(node)

    return SlowFirst(config, log)
