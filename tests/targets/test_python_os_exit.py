"""A ``python:`` module that calls ``os._exit`` while it is imported, or a function that
calls it: ``backbone run`` ended at once with exit 0 and nothing written, a run that never
finished reported as a success. Now the import fails like any other (exit 2 naming the
module, no traceback, no output), and a call that exits is a target failure (that scenario
``unscored`` with the reason, the run goes on). The CLI runs in a subprocess on the tree
under test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import backbone
from backbone.targets.python_callable import load_function
from tests.support.loopback import PLANTED_OUTCOMES, cli_env, outcome_tuples, write_suite

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's

EXITING = "import os\n\nos._exit({code})\n\n\ndef reply(messages):\n    return 'Rome.'\n"


def _backbone(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([str(SRC), str(SRC.parent)])  # the bot below imports tests.support
    env = cli_env(PYTHONPATH=path, BACKBONE_CACHE_DIR=str(cwd / "cache"))
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


EXITING_ON_ITALY_TURN_2 = """
import os

from tests.support.loopback import ITALY, first_user_message, planted_bot


def reply(messages):
    turn = sum(1 for m in messages if m["role"] == "assistant")
    if first_user_message(messages) == ITALY and turn == 2:
        os._exit(0)
    return planted_bot(messages)
"""


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_target_calling_os_exit_fails_that_call_not_the_run(
    tmp_path: Path, cache: list[str]
) -> None:
    """Italy's turn 2 calls ``os._exit(0)``: the run ended there with exit 0 and no
    results.json. Now Italy ends ``unscored`` with the reason, the others as planted."""
    (tmp_path / "exiting_on_italy.py").write_text(EXITING_ON_ITALY_TURN_2)
    suite = str(write_suite(tmp_path / "suite.yaml"))
    proc = _backbone(
        ["run", "--target", "python:exiting_on_italy:reply", "--suite", suite, "--out", "out",
         "-q", *cache],
        tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    scenarios = json.loads((tmp_path / "out" / "results.json").read_text())["scenarios"]
    italy = next(s for s in scenarios if s["id"] == "italy")
    assert italy["outcome"] == "unscored"
    assert italy["reason"] == "target failed: turn 2: exiting_on_italy:reply called os._exit(0)"
    others = {k: v for k, v in outcome_tuples(scenarios).items() if k != "italy"}
    assert others == {k: v for k, v in PLANTED_OUTCOMES.items() if k != "italy"}
