"""``--memory-limit -1`` (or ``-2GB``, or ``none``) is refused, exit 2: DuckDB reads a negative
size or ``none`` as no limit at all, so ``audit --memory-limit -1`` ran with none, exit 0,
where the help promises a limit (``e.g. 2GB``) and says nothing of a way to lift it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest

from backbone.audit.source import set_memory_limit
from backbone.core.errors import InputError
from tests.audit.logs import forty_events
from tests.cli.test_out_dir_held import chats_log
from tests.support.loopback import backbone_exe, cli_env

ROOT = Path(__file__).resolve().parents[2]
NO_LIMIT = ["-1", "-2GB", "none"]


@pytest.mark.parametrize("size", NO_LIMIT)
def test_set_memory_limit_refuses_what_duckdb_reads_as_no_limit(size: str) -> None:
    con = duckdb.connect()
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()
    with pytest.raises(InputError) as caught:
        set_memory_limit(con, size)
    assert str(caught.value) == (
        f"--memory-limit: {size!r} is not a memory size such as 2GB or 512MB (DuckDB would "
        "read it as no limit at all: leave --memory-limit out for that)"
    )
    assert con.execute("SELECT current_setting('memory_limit')").fetchone() == before


@pytest.mark.parametrize("command", ["audit", "monitor"])
def test_the_commands_exit_2_on_a_negative_memory_limit(tmp_path: Path, command: str) -> None:
    log = (
        forty_events(tmp_path / "log.jsonl")
        if command == "audit"
        else chats_log(tmp_path / "chats.jsonl")
    )
    judge = f"python:tests.fixtures.gated_judge:{command}"
    args = [command, str(log), "--judge", judge, "--memory-limit", "-1", "--out", "out", "-q"]
    proc = subprocess.run(
        [backbone_exe(), *args],
        cwd=tmp_path,
        env=cli_env(PYTHONPATH=f"{ROOT / 'src'}:{ROOT}", BACKBONE_CACHE_DIR=str(tmp_path / "c")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    said = " ".join(proc.stderr.split())
    assert "error: --memory-limit: '-1' is not a memory size such as 2GB or 512MB" in said
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()
