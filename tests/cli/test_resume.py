"""A run killed mid-way resumes where it stopped: no call is made twice, nothing is lost, and
the results equal those of an uninterrupted run."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_run_planted import planted_suite
from tests.fixtures import dying_bot
from tests.support.loopback import backbone_here

ROOT = Path(__file__).resolve().parents[2]
BACKBONE = str(Path(sys.executable).parent / "backbone")
TARGET = "python:tests.fixtures.dying_bot:reply"


def run(
    tmp: Path, out: Path, log: Path, *extra: str, kill_at: int = 0
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(tmp / "cache"),
        "BACKBONE_TEST_CALL_LOG": str(log),
        "BACKBONE_TEST_KILL_AT": str(kill_at),
        # the bot dies once every reply it logged is stored there (a reply not yet stored
        # is a call in flight, which a resumed run may ask again: README)
        "BACKBONE_TEST_STORE": str(
            out / ".backbone" / "journal.sqlite"
            if "--no-cache" in extra
            else tmp / "cache" / "responses.sqlite"
        ),
    }
    args = [
        "run",
        "--target",
        TARGET,
        "--suite",
        str(tmp / "suite.yaml"),
        "--out",
        str(out),
        "--quiet",
        "--concurrency",
        "2",
        *extra,
    ]
    if kill_at:  # a process: the bot SIGKILLs the process it runs in
        return subprocess.run(
            [BACKBONE, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
    try:
        return backbone_here(args, env=env, cwd=ROOT)
    finally:
        dying_bot._calls = 0  # the bot counts its calls per process: a new process's count


def scenarios(out: Path) -> list[dict[str, Any]]:
    return list(json.loads((out / "results.json").read_text())["scenarios"])


@pytest.mark.parametrize("cache_flag", [[], ["--no-cache"]], ids=["cache", "no-cache"])
def test_killed_run_resumes_without_repeating_a_call(tmp_path: Path, cache_flag: list[str]) -> None:
    planted_suite(tmp_path / "suite.yaml")
    clean_log = tmp_path / "clean.log"
    clean = run(tmp_path, tmp_path / "clean", clean_log, "--no-cache")
    assert clean.returncode == 0, clean.stderr
    total_calls = len(clean_log.read_text().splitlines())
    assert total_calls == 11 * 5 + 3 * 4  # hold: opening + 4 turns; yield: 4 turns

    log = tmp_path / "calls.log"
    out = tmp_path / "out"
    killed = run(tmp_path, out, log, *cache_flag, kill_at=30)
    assert killed.returncode == -9
    assert not (out / "results.json").exists()
    done_before = log.read_text().splitlines()
    assert 25 <= len(done_before) < 30

    resumed = run(tmp_path, out, log, *cache_flag)
    assert resumed.returncode == 0, resumed.stderr
    calls = log.read_text().splitlines()
    assert len(calls) == len(set(calls)) == total_calls  # each request made exactly once
    assert scenarios(out) == scenarios(tmp_path / "clean")
    assert not (out / ".backbone").exists()  # the journal is cleared once results are written
    doc = json.loads((out / "results.json").read_text())
    assert doc["stats"]["cached_calls"] == len(done_before)
    assert doc["stats"]["calls"] == total_calls - len(done_before)


def test_cached_rerun_makes_no_calls(tmp_path: Path) -> None:
    planted_suite(tmp_path / "suite.yaml")
    log = tmp_path / "calls.log"
    assert run(tmp_path, tmp_path / "a", log).returncode == 0
    first = len(log.read_text().splitlines())
    assert run(tmp_path, tmp_path / "b", log).returncode == 0
    assert len(log.read_text().splitlines()) == first
    assert scenarios(tmp_path / "a") == scenarios(tmp_path / "b")
    db = tmp_path / "cache" / "responses.sqlite"
    assert rows(db) == first
    # --no-cache neither reads nor writes the cache: a new suite's replies are not stored
    (tmp_path / "suite.yaml").write_text(
        (tmp_path / "suite.yaml").read_text().replace("capital of Italy", "capital city of Italy")
    )
    assert run(tmp_path, tmp_path / "c", log, "--no-cache").returncode == 0
    assert len(log.read_text().splitlines()) == 2 * first  # nothing was read from it either
    assert rows(db) == first


def rows(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT COUNT(*) FROM responses").fetchone()[0])
