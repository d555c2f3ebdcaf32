"""The commands that take one judge (``audit``, ``audit-channels``, ``ab``, ``monitor``)
refuse a repeated ``--judge``: exit 2 naming the judges, nothing written, no judge called.
Before, click kept the last ``--judge`` silently: ``backbone audit log -j A -j B`` (a user
reading it as ``run``'s majority vote) wrote B's figures alone, exit 0."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli.test_judge_auth_stops import command
from tests.support.loopback import LoopbackServer, backbone_here, cli_env


def here(args: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``backbone ARGS`` in this process (:func:`backbone_here`)."""
    return backbone_here(args, env=env, cwd=cwd)


def _env(tmp_path: Path) -> dict[str, str]:
    return cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))


@pytest.mark.parametrize("name", ["audit", "audit-channels", "ab", "monitor"])
def test_a_repeated_judge_is_refused_where_one_judge_is_taken(tmp_path: Path, name: str) -> None:
    with LoopbackServer(lambda messages: '{"correct": true, "label": "held"}') as server:
        args, written = command(name, tmp_path, server.openai_base_url)
        args += ["--judge", "openai:other-judge"]
        proc = here(
            [*args],
            cwd=tmp_path,
            env=_env(tmp_path),
        )
        assert server.total == 0
    assert proc.returncode == 2, proc.stdout + proc.stderr
    said = " ".join(proc.stderr.replace("│", " ").split())
    assert "takes one judge, got 2 (openai:judge, openai:other-judge)" in said
    assert "Traceback" not in proc.stderr
    assert not any(p.exists() for p in written)


def test_one_judge_still_runs(tmp_path: Path) -> None:
    with LoopbackServer(lambda messages: '{"correct": true}') as server:
        args, written = command("audit", tmp_path, server.openai_base_url)
        proc = here(args, env=_env(tmp_path), cwd=tmp_path)  # exit 0 checked below
        assert server.total > 0
    assert proc.returncode == 0, proc.stderr
    assert all(p.exists() for p in written)
