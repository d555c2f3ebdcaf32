"""Each test process has a response cache of its own (tests/conftest.py): not the user's
``~/.cache/backbone``, which the two xdist workers and every earlier run of the suite shared,
and the same one in the CLI runs it starts through ``cli_env()``."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import platformdirs
import pytest

from backbone.targets.cache import RESPONSES_FILE, default_cache_dir
from tests.support.loopback import backbone_exe, cli_env


def test_this_process_has_a_cache_under_its_own_temporary_folder(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = default_cache_dir()
    assert folder != Path(platformdirs.user_cache_dir("backbone"))
    assert folder.is_relative_to(tmp_path_factory.getbasetemp())
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # the basetemp of a worker is its own (popen-gw0, popen-gw1)
        assert tmp_path_factory.getbasetemp().name.endswith(worker)


def test_a_cli_run_started_with_cli_env_caches_there(tmp_path: Path) -> None:
    folder = default_cache_dir()

    def rows() -> int:
        if not (folder / RESPONSES_FILE).exists():
            return 0
        with sqlite3.connect(folder / RESPONSES_FILE) as con:
            count: int = con.execute("SELECT count(*) FROM responses").fetchone()[0]
        return count

    # a bot of its own (its source, so its cache keys, name this test's folder): no other
    # test is served these replies
    (tmp_path / "bot.py").write_text(f"# {tmp_path}\ndef reply(messages):\n    return 'Tokyo.'\n")
    before = rows()
    proc = subprocess.run(
        [backbone_exe(), "run", "--target", "python:bot.py:reply", "--limit", "1", "--out",
         "out", "--quiet"],
        cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert rows() > before
