"""Ctrl-C while ``backbone probe``, ``backbone gate --target`` or ``backbone run`` plays a
suite: exit 130, no traceback, and a true word on what was kept. The CLI runs in a subprocess
(a real SIGINT), on the code under test, against a slow ``python:`` bot so that the signal
lands mid-play."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import backbone
from tests.probes import bots
from tests.support.loopback import cli_env, write_suite

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's
SLOW_BOT = """
import time


def reply(messages):
    time.sleep(0.1)
    with open("calls.txt", "a") as calls:  # in the working directory: the test's tmp_path
        calls.write("call\\n")
    return "The capital is Rome."
"""


def _replied(cwd: Path, n: int) -> Callable[[], bool]:
    """Whether the slow bot has answered ``n`` calls."""
    calls = cwd / "calls.txt"
    return lambda: calls.exists() and len(calls.read_text().splitlines()) >= n


def _cli(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    env = cli_env(PYTHONPATH=str(SRC), BACKBONE_CACHE_DIR=str(cwd / "cache"))
    return subprocess.Popen(
        [sys.executable, "-c", "from backbone.cli.app import main; main()", *args],
        env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )  # fmt: skip


def _interrupted(
    proc: subprocess.Popen[str],
    started: Callable[[], bool],
    *,
    signals: int = 1,
    sig: signal.Signals = signal.SIGINT,
) -> str:
    """``sig`` (SIGINT: a Ctrl-C) once ``started()`` holds (``signals`` times, 0.3 s apart: a
    second Ctrl-C); the stderr of a prompt exit 130 (143 for SIGTERM) after the last."""
    deadline = time.monotonic() + 30
    while not started():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    for _ in range(signals - 1):
        os.kill(proc.pid, sig)
        time.sleep(0.3)
    sent = time.monotonic()
    os.kill(proc.pid, sig)
    _, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 10
    assert proc.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr
    return stderr


def test_ctrl_c_during_a_probe_without_the_cache_says_nothing_was_kept(tmp_path: Path) -> None:
    """It said 'replies so far are kept in None; run the same command again to resume': a
    probe's plays keep no journal (no run directory of their own until the end)."""
    (tmp_path / "slow_bot.py").write_text(SLOW_BOT)
    suite = bots.items(tmp_path / "s.yaml", 6)
    out = tmp_path / "probe"
    proc = _cli(
        ["probe", "authority", "--target", "python:slow_bot.py:reply", "--suite", str(suite),
         "--out", str(out), "--no-cache", "-c", "1"],
        tmp_path,
    )  # fmt: skip
    stderr = _interrupted(proc, _replied(tmp_path, 3))  # far from the end: 30 calls or so
    assert "interrupted: nothing written (--no-cache: no reply kept)." in stderr
    assert "None" not in stderr and "resume" not in stderr
    assert not (out / "probe.json").exists()


def test_ctrl_c_during_a_gate_play_says_where_the_replies_are_kept_and_it_resumes(
    tmp_path: Path,
) -> None:
    """It exited 130 without a word (run says where the replies are kept)."""
    (tmp_path / "slow_bot.py").write_text(SLOW_BOT)
    write_suite(tmp_path / "suite.yaml")
    (tmp_path / "gate.yaml").write_text("thresholds:\n  - {metric: cave_rate, max: 1.0}\n")
    args = ["gate", "--config", "gate.yaml", "played", "--target", "python:slow_bot.py:reply",
            "--suite", "suite.yaml", "--concurrency", "1", "--no-cache"]  # fmt: skip
    journal = tmp_path / "played" / ".backbone" / "journal.sqlite"
    stderr = _interrupted(_cli(args, tmp_path), _replied(tmp_path, 3))  # of 15
    assert journal.exists()
    said = " ".join(stderr.split())
    assert (
        f"interrupted: every reply so far is kept in {Path('played/.backbone/journal.sqlite')};"
        in said
    )
    assert "run the same command again to resume." in said
    assert not (tmp_path / "played" / "results.json").exists()
    again = _cli(args, tmp_path)
    stdout, stderr = again.communicate(timeout=60)
    assert again.returncode == 0, stdout + stderr
    assert "resuming: " in stderr  # the replies kept were read back
    assert (tmp_path / "played" / "results.json").exists()


HANGING_BOT = """
import pathlib
import time


def reply(messages):
    pathlib.Path("entered").touch()
    time.sleep(60)  # the first call never answers in time: no reply is kept
    return "The capital is Rome."
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_no_cache_run_interrupted_before_any_reply_leaves_no_journal(
    tmp_path: Path, sig: signal.Signals
) -> None:
    """A Ctrl-C (or a SIGTERM) before the first reply left an empty
    ``out/.backbone/journal.sqlite``, and said every reply so far was kept in it: there was
    none to resume from. A ``--no-cache`` run that fails before any reply leaves no folder;
    so does one interrupted then, saying nothing was kept (and naming no journal)."""
    (tmp_path / "hanging_bot.py").write_text(HANGING_BOT)
    write_suite(tmp_path / "suite.yaml")
    args = ["run", "--target", "python:hanging_bot.py:reply", "--suite", "suite.yaml", "--out",
            "out", "--concurrency", "1", "--no-cache", "-q"]  # fmt: skip
    stderr = _interrupted(_cli(args, tmp_path), (tmp_path / "entered").exists, sig=sig)
    said = " ".join(stderr.split())
    assert "interrupted: nothing written (no reply kept)." in said, said
    assert "journal" not in said and "resume" not in said, said
    out = tmp_path / "out"
    left = sorted(str(p.relative_to(tmp_path)) for p in out.rglob("*")) if out.exists() else []
    assert not out.exists(), left


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_no_cache_run_interrupted_after_one_reply_keeps_its_journal(
    tmp_path: Path, sig: signal.Signals
) -> None:
    """One reply kept is one to resume from (README): the journal stays and is named."""
    (tmp_path / "slow_bot.py").write_text(SLOW_BOT)
    write_suite(tmp_path / "suite.yaml")
    args = ["run", "--target", "python:slow_bot.py:reply", "--suite", "suite.yaml", "--out",
            "out", "--concurrency", "1", "--no-cache", "-q"]  # fmt: skip
    # concurrency 1: once the second call is noted, the first reply is journaled
    stderr = _interrupted(_cli(args, tmp_path), _replied(tmp_path, 2), sig=sig)
    said = " ".join(stderr.split())
    journal = Path("out/.backbone/journal.sqlite")
    assert f"interrupted: every reply so far is kept in {journal};" in said, said
    assert (tmp_path / journal).exists()


LOOP_BLOCKING_BOT = """
import pathlib
import time


async def reply(messages):
    pathlib.Path("entered").touch()
    time.sleep(60)  # a blocking call in an async function: the event loop stops with it
    return "The capital is Rome."
"""


def test_a_second_ctrl_c_in_an_async_target_that_blocks_the_loop_ends_the_run_cleanly(
    tmp_path: Path,
) -> None:
    """The first Ctrl-C cannot stop a loop held by the target's blocking call; the second
    lands inside it as a KeyboardInterrupt. asyncio's clean-up met it again from the task
    group, and the run ended with 'Task was destroyed but it is pending!', 'Task exception
    was never retrieved' and tracebacks (exit 130 still)."""
    (tmp_path / "blocking_bot.py").write_text(LOOP_BLOCKING_BOT)
    write_suite(tmp_path / "suite.yaml")
    proc = _cli(
        ["run", "--target", "python:blocking_bot.py:reply", "--suite", "suite.yaml", "--out",
         "out", "--no-cache", "-q"],
        tmp_path,
    )  # fmt: skip
    # the first Ctrl-C asks the run to stop, which the blocked loop cannot hear yet
    stderr = _interrupted(proc, (tmp_path / "entered").exists, signals=2)
    assert "Traceback" not in stderr and "Task" not in stderr, stderr
    # no reply came before the Ctrl-C: no journal is left, and none is named
    assert "interrupted: nothing written (no reply kept)." in " ".join(stderr.split())
    assert not (tmp_path / "out").exists()


SLOW_JUDGE = """
import pathlib
import time


def judge(item):
    pathlib.Path("judging").touch()
    time.sleep(0.2)
    return {"label": "maintains"}
"""


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["judge-check", "--out", "check.json", "--no-cache"],
         "interrupted: nothing written (--no-cache: no judgment kept)."),
        (["rescore", "played", "-o", "again", "-q"],
         "interrupted: judgments so far are cached; run again to resume."),
    ],
    ids=["judge-check", "rescore"],
)  # fmt: skip
def test_ctrl_c_while_a_judge_grades_says_what_was_kept(
    tmp_path: Path, command: list[str], said: str
) -> None:
    """judge-check and rescore exited 130 without a word (audit, ab and monitor say it)."""
    (tmp_path / "slow_judge.py").write_text(SLOW_JUDGE)
    if command[0] == "rescore":  # a run to re-grade, played at once
        write_suite(tmp_path / "suite.yaml")
        (tmp_path / "quick_bot.py").write_text("def reply(messages):\n    return 'Rome.'\n")
        played = _cli(["run", "--target", "python:quick_bot.py:reply", "--suite", "suite.yaml",
                       "--out", "played", "-q"], tmp_path)  # fmt: skip
        assert played.wait(60) == 0, played.communicate()
    proc = _cli([*command, "--judge", "python:slow_judge.py:judge", "-c", "1"], tmp_path)
    stderr = _interrupted(proc, (tmp_path / "judging").exists)
    assert said in " ".join(stderr.split())
    assert not (tmp_path / "check.json").exists() and not (tmp_path / "again").exists()


SLOW_GENERATOR = """
import pathlib
import time


def write(messages):
    pathlib.Path("drafting").touch()
    time.sleep(0.2)
    return "not a scenario"
"""


@pytest.mark.parametrize(
    ("no_cache", "said"),
    [
        (True, "interrupted: nothing written (--no-cache: no reply kept)."),
        (False, "interrupted: nothing written; the generator's replies so far are cached: run "
                "again to resume."),
    ],
    ids=["no-cache", "cache"],
)  # fmt: skip
def test_ctrl_c_while_drafting_says_what_was_kept(
    tmp_path: Path, no_cache: bool, said: str
) -> None:
    """draft exited 130 without a word."""
    (tmp_path / "slow_generator.py").write_text(SLOW_GENERATOR)
    proc = _cli(
        ["draft", "--spec", "builtin:money", "--generator", "python:slow_generator.py:write",
         "-n", "2", "--out", "drafted.yaml", *(["--no-cache"] if no_cache else [])],
        tmp_path,
    )  # fmt: skip
    stderr = _interrupted(proc, (tmp_path / "drafting").exists)
    assert said in " ".join(stderr.split())
    assert not (tmp_path / "drafted.yaml").exists()


WRITING_BOT = """
import pathlib
import signal
import sys


def _ctrl_c_while_writing(event, args):
    # a real SIGINT once the command stages its first output file (the atomic writer's
    # temporary '.results.json.*' or '.probe.json.*'): after the play, inside the writing
    if event == "open" and isinstance(args[0], str) and args[0].endswith(".tmp"):
        name = pathlib.Path(args[0]).name
        fired = pathlib.Path("fired")
        if name.startswith((".results.json.", ".probe.json.")) and not fired.exists():
            fired.touch()
            signal.raise_signal(signal.SIGINT)


sys.addaudithook(_ctrl_c_while_writing)


def reply(messages):
    return "The capital is Rome."
"""


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["run", "--out", "out"],
         f"interrupted: every reply so far is kept in {Path('out/.backbone/journal.sqlite')}; "
         "run the same command again to resume."),
        (["probe", "authority", "--out", "out"],
         "interrupted: nothing written (--no-cache: no reply kept)."),
    ],
    ids=["run", "probe"],
)  # fmt: skip
def test_ctrl_c_while_the_files_are_written_says_what_was_kept(
    tmp_path: Path, command: list[str], said: str
) -> None:
    """A Ctrl-C after the play, while the report and the results were being written, ended
    the command with exit 130 and no word (one during the play says what was kept)."""
    (tmp_path / "writing_bot.py").write_text(WRITING_BOT)
    suite = bots.items(tmp_path / "s.yaml", 2)
    args = [*command, "--target", "python:writing_bot.py:reply", "--suite", str(suite),
            "--no-cache", "-q"]  # fmt: skip
    proc = _cli(args, tmp_path)
    _, stderr = proc.communicate(timeout=60)
    assert (tmp_path / "fired").exists()  # the Ctrl-C landed while the files were written
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert said in " ".join(stderr.split())
    out = tmp_path / "out"
    left = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert left == ([".backbone"] if command[0] == "run" else []), left  # the journal, no file
    again = _cli(args, tmp_path)
    stdout, stderr = again.communicate(timeout=60)
    assert again.returncode == 0, stdout + stderr
    if command[0] == "run":  # every reply read back from the journal: none asked again
        stats = json.loads((out / "results.json").read_text())["stats"]
        assert stats["calls"] == 0 and stats["cached_calls"] > 0, stats
    else:
        assert (out / "probe.json").exists()


SLOW_AUDIT_JUDGE = """
import pathlib
import time


def judge(event):
    pathlib.Path("judging").touch()
    time.sleep(0.2)
    return {"correct": True}
"""


def test_sigterm_during_a_run_stops_it_as_ctrl_c_does_and_it_resumes(tmp_path: Path) -> None:
    """SIGTERM (kill, a cancelled CI job) ended the process at once: no word on what was
    kept, the output directory's lock file left behind."""
    (tmp_path / "slow_bot.py").write_text(SLOW_BOT)
    write_suite(tmp_path / "suite.yaml")
    args = ["run", "--target", "python:slow_bot.py:reply", "--suite", "suite.yaml", "--out",
            "out", "--concurrency", "1", "--no-cache", "-q"]  # fmt: skip
    # the bot notes a call before it returns, and its reply is journaled after: once the
    # fourth call is noted (concurrency 1), the first three replies are surely journaled
    stderr = _interrupted(_cli(args, tmp_path), _replied(tmp_path, 4), sig=signal.SIGTERM)
    said = " ".join(stderr.split())
    assert (
        f"interrupted: every reply so far is kept in {Path('out/.backbone/journal.sqlite')};"
        in said
    )
    kept = sorted(p.name for p in (tmp_path / "out" / ".backbone").iterdir())
    assert kept == ["journal.sqlite"], kept  # no lock file, the journal checkpointed
    again = _cli(args, tmp_path)
    stdout, stderr = again.communicate(timeout=60)
    assert again.returncode == 0, stdout + stderr
    stats = json.loads((tmp_path / "out" / "results.json").read_text())["stats"]
    assert stats["cached_calls"] >= 3, stats  # the replies before the SIGTERM: not asked again


def test_sigterm_during_an_audit_leaves_no_scratch_folder(tmp_path: Path) -> None:
    """It left the DuckDB scratch folder (backbone-audit-*) in $TMPDIR and said nothing."""
    (tmp_path / "slow_judge.py").write_text(SLOW_AUDIT_JUDGE)
    rows = [
        {"id": f"e{i}", "timestamp": "2025-03-01T00:00:00Z", "user_id": f"u{i}",
         "prompt": "2+2?", "response": "4", "rating": "down" if i % 2 else "up"}
        for i in range(20)
    ]  # fmt: skip
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from backbone.cli.app import main; main()", "audit", "log.jsonl",
         "--judge", "python:slow_judge.py:judge", "--out", "audit", "-c", "1", "-q"],
        env=cli_env(PYTHONPATH=str(SRC), BACKBONE_CACHE_DIR=str(tmp_path / "cache"),
                    TMPDIR=str(scratch)),
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    stderr = _interrupted(proc, (tmp_path / "judging").exists, sig=signal.SIGTERM)
    assert "interrupted: judgments so far are cached; run again to resume." in stderr
    assert list(scratch.iterdir()) == []
    assert not (tmp_path / "audit").exists()
