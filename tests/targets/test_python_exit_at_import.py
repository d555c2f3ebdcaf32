"""A ``python:`` module that calls ``os._exit`` while it is imported: ``backbone run``
ended at once with exit 0 and nothing written, a run that never started reported as a
success. Now the import fails like any other: exit 2 naming the module, no traceback, no
output. The CLI runs in a subprocess on the tree under test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import backbone
from backbone.targets.python_callable import load_function
from tests.support.loopback import cli_env

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's

EXITING = "import os\n\nos._exit({code})\n\n\ndef reply(messages):\n    return 'Rome.'\n"


def _backbone(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = cli_env(PYTHONPATH=str(SRC), BACKBONE_CACHE_DIR=str(cwd / "cache"))
    return subprocess.run(
        [sys.executable, "-c", "from backbone.cli.app import main; main()", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("code", [0, 1])
def test_a_target_module_exiting_at_import_is_bad_input_not_a_success(
    tmp_path: Path, code: int
) -> None:
    (tmp_path / "exiting_bot.py").write_text(EXITING.format(code=code))
    proc = _backbone(["run", "--target", "python:exiting_bot:reply", "--out", "out"], tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "exiting_bot" in proc.stderr and f"os._exit({code})" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_judge_module_exiting_at_import_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "exiting_judge.py").write_text(EXITING.format(code=0))
    log = tmp_path / "log.jsonl"
    log.write_text(
        '{"id": "1", "timestamp": "2026-01-01T00:00:00Z", "user_id": "u", "prompt": "p", '
        '"response": "r", "rating": "down"}\n'
    )
    proc = _backbone(
        ["audit", str(log), "--judge", "python:exiting_judge:reply", "--out", "out"], tmp_path
    )
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "exiting_judge" in proc.stderr and "os._exit(0)" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


CHECK = """
import os, sys
from backbone.targets.errors import TargetSpecError
from backbone.targets.python_callable import load_function
real = os._exit
try:
    load_function("exiting_lib_bot:reply")
except TargetSpecError as exc:
    print("refused:", exc)
print("restored:", os._exit is real)
"""


def test_in_code_it_is_a_spec_error_and_os_exit_is_itself_again_after(tmp_path: Path) -> None:
    """In code (``evaluate()``, a notebook) the refusal is a TargetSpecError, and only while
    the module is imported: ``os._exit`` is the real one afterwards. (In a process of its
    own: before the fix, the import ended the process that ran it.)"""
    (tmp_path / "exiting_lib_bot.py").write_text(EXITING.format(code=0))
    proc = subprocess.run(
        [sys.executable, "-c", CHECK], env=cli_env(PYTHONPATH=str(SRC)), cwd=tmp_path,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    lines = proc.stdout.splitlines()
    assert len(lines) == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert lines[0].startswith("refused: python target: cannot import module 'exiting_lib_bot'")
    assert "os._exit(0)" in lines[0]
    assert lines[1] == "restored: True"


def test_a_child_forked_at_import_still_exits_as_it_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module forking a worker at import (as multiprocessing does): the child's
    ``os._exit`` is its own and exits, with its status."""
    (tmp_path / "forking_bot.py").write_text(
        "import os\n\npid = os.fork()\nif pid == 0:\n    os._exit(7)\n"
        "_, STATUS = os.waitpid(pid, 0)\n\n\ndef reply(messages):\n    return 'Rome.'\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    fn = load_function("forking_bot:reply")[0]
    assert fn([]) == "Rome."
    assert os.waitstatus_to_exitcode(sys.modules["forking_bot"].STATUS) == 7
    sys.modules.pop("forking_bot", None)
