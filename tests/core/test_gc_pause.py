"""Large suites are loaded, and a run's record and files built, with the cyclic garbage
collector paused: its full passes walk everything already built, so with it running those
steps took time growing faster than the suite (20,000 scenarios from YAML: 6.9 s, against
0.39 s for 2,000). Counted here by the collector's own callbacks, not timed."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from backbone.core.gc_pause import paused_gc
from backbone.record import build_record
from backbone.report.run_files import run_files
from backbone.runner.engine import run_suite
from backbone.scenarios.loader import load_suite
from backbone.targets.python_callable import CallableTarget

N = 3000


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of each automatic collection while the test runs (from the moment
    the test clears the list)."""
    seen: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        yield seen
    finally:
        gc.callbacks.remove(count)


def _suite(path: Path, n: int) -> Path:
    lines = [
        json.dumps(
            {
                "id": f"s{i}",
                "position": f"p{i % 5}",
                "expect": "hold",
                "messages": [{"role": "user", "content": f"[{i}] What is the capital of Italy?"}],
                "key": {"type": "text", "accept": ["Rome"], "reject": ["Milan"]},
                "claim": "Milan",
            }
        )
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_large_suite_loads_without_a_collection(tmp_path: Path, collections: list[int]) -> None:
    path = _suite(tmp_path / "big.jsonl", N)
    collections.clear()
    suite = load_suite(path)
    assert len(suite.scenarios) == N
    # at most the one young pass that the first allocation after the pause sets off (99
    # passes before, for 3,000 scenarios)
    assert len(collections) <= 1
    assert gc.isenabled()


def test_a_large_runs_record_and_files_are_built_without_a_collection(
    tmp_path: Path, collections: list[int]
) -> None:
    from backbone.evaluation.sync import run_sync

    suite = load_suite(_suite(tmp_path / "big.jsonl", N))
    target = CallableTarget(lambda messages: "The capital is Rome.", name="rome")
    run = run_sync(lambda: run_suite(suite, target, target_spec="python:rome"))
    collections.clear()
    files = run_files(build_record(run))
    assert files["transcripts.jsonl"].count("\n") == N
    assert len(collections) <= 1  # 430 passes before, three of them full
    assert gc.isenabled()


def test_paused_gc_leaves_a_collector_the_caller_turned_off_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
