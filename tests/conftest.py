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
