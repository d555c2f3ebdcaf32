"""The embedded model's thread count: ``BACKBONE_LOCAL_THREADS`` or the cores, at most 4."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from backbone.targets.local import THREADS_VAR, LocalTarget

MODEL = Path("/nowhere/model.gguf")  # never loaded: the thread count is settled at init


def test_the_variable_sets_the_threads_and_an_argument_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(THREADS_VAR, "3")
    assert LocalTarget(MODEL).n_threads == 3
    assert LocalTarget(MODEL, n_threads=2).n_threads == 2
    monkeypatch.delenv(THREADS_VAR)
    assert LocalTarget(MODEL).n_threads == min(os.cpu_count() or 2, 4)


@pytest.mark.parametrize("raw", ["0", "-2", "two", "1.5"])
def test_a_value_that_is_no_thread_count_warns_and_keeps_the_default(
    raw: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(THREADS_VAR, raw)
    with caplog.at_level(logging.WARNING, logger="backbone.targets.local"):
        threads = LocalTarget(MODEL).n_threads
    assert threads == min(os.cpu_count() or 2, 4)
    assert f"{THREADS_VAR}={raw!r} is not a whole number of threads" in caplog.text


def test_the_test_suite_runs_one_thread_per_worker_under_xdist() -> None:
    # tests/conftest.py: with two workers each model thread pool spinning on both cores made
    # the main-job test 3x slower (benchmarks/bench_local_threads.py)
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    if workers > 1:
        assert os.environ.get(THREADS_VAR)
    else:
        pytest.skip("not under xdist with more than one worker")
