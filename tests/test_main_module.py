"""``python -m backbone`` runs the same command line as the ``backbone`` console script:
the same exit codes, and ``backbone`` (not ``python -m backbone``) in its help and usage."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import backbone

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an installed one


def _python_m_backbone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-m", "backbone", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_python_m_backbone_shows_the_help_as_backbone(tmp_path: Path) -> None:
    done = _python_m_backbone("--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Usage: backbone [OPTIONS] COMMAND" in done.stdout
    assert "python -m" not in done.stdout
    assert " run " in done.stdout and " audit " in done.stdout


def test_python_m_backbone_exits_2_on_bad_input_without_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-log.jsonl"
    done = _python_m_backbone("tells", str(missing), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "no-such-log.jsonl" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_python_m_backbone_names_itself_backbone_in_a_usage_error(tmp_path: Path) -> None:
    done = _python_m_backbone("no-such-command", cwd=tmp_path)
    assert done.returncode == 2
    assert "Usage: backbone " in done.stderr
    assert "python -m" not in done.stderr
