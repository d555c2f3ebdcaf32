"""``audit``, ``audit-channels``, ``monitor``, ``ab``, ``tells``, ``compare`` and ``gate --out``
hold their ``--out`` folder as ``run`` does: a second command on a folder another one is
writing exits 2 naming the holder. Before, an audit and a monitor run at once into one folder
both wrote ``report.html`` there, and the one that finished last replaced the other's report
beside the other's JSON; ``audit-channels``, ``compare`` and ``gate --out`` took no hold at
all, and wrote into a folder another command held (two ``audit-channels`` at once each wrote
channels.json and review_queue.jsonl over the other's)."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

from tests.audit.logs import forty_events
from tests.support.loopback import backbone_exe, backbone_here, cli_env

ROOT = Path(__file__).resolve().parents[2]
PLAIN = ROOT / "tests" / "fixtures" / "runs" / "plain"


def _env(tmp_path: Path, *, gated: bool = False) -> dict[str, str]:
    return cli_env(
        PYTHONPATH=f"{ROOT / 'src'}:{ROOT}",
        BACKBONE_CACHE_DIR=str(tmp_path / "cache"),
        BACKBONE_TEST_GO=str(tmp_path / "go") if gated else None,
    )


def chats_log(path: Path) -> Path:
    row = {
        "id": "c1",
        "timestamp": "2026-01-01T00:00:00Z",
        "user_id": "u1",
        "messages": [
            {"role": "user", "content": "What is the capital of Italy?"},
            {"role": "assistant", "content": "Rome."},
        ],
    }
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    log = str(forty_events(tmp_path / "log.jsonl", control="control"))
    chats = str(chats_log(tmp_path / "chats.jsonl"))
    channels = tmp_path / "channels.csv"
    channels.write_text("id,prompt,response,experience,disagreed\nx1,q1,a1,up,yes\n")
    run = tmp_path / "run"
    if not run.exists():
        shutil.copytree(PLAIN, run)
    (tmp_path / "gate.yaml").write_text("thresholds: [{metric: cave_rate, max: 0.99}]\n")
    return {
        "audit-channels": [
            "audit-channels",
            str(channels),
            "--judge",
            "python:tests.fixtures.gated_judge:audit",
        ],
        "compare": ["compare", str(run), str(run)],
        "gate": ["gate", "--config", str(tmp_path / "gate.yaml"), str(run)],
        "audit": ["audit", log, "--judge", "python:tests.fixtures.gated_judge:audit"],
        "monitor": ["monitor", chats, "--judge", "python:tests.fixtures.gated_judge:monitor"],
        "ab": [
            "ab",
            log,
            "--arm-column",
            "arm",
            "--judge",
            "python:tests.fixtures.gated_judge:audit",
        ],
        "tells": ["tells", log],
    }


def _hold(tmp_path: Path, args: list[str]) -> subprocess.Popen[str]:
    """Start ``args`` on ``out`` and wait until it is judging (its judge waits for ``go``)."""
    holder = subprocess.Popen(
        [backbone_exe(), *args, "--out", "out", "-q"],
        cwd=tmp_path,
        env=_env(tmp_path, gated=True),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = tmp_path / "go.started"
    deadline = time.monotonic() + 60
    while not started.exists() and holder.poll() is None:
        assert time.monotonic() < deadline, "the holder never called its judge"
        time.sleep(0.05)
    return holder


def _second(tmp_path: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    """The second command, in this process (the holder is another one, as it must be)."""
    return backbone_here([*args, "--out", "out"], cwd=tmp_path, env=_env(tmp_path))


def _refused(proc: subprocess.CompletedProcess[str], holder: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "error: out: in use by another backbone process" in proc.stderr
    assert f"'{holder} " in proc.stderr  # names the command holding it
    assert "Traceback" not in proc.stderr


def test_a_second_command_on_an_audits_folder_is_refused(tmp_path: Path) -> None:
    commands = _commands(tmp_path)
    holder = _hold(tmp_path, commands["audit"])
    try:
        assert holder.poll() is None, holder.communicate()
        for name in ("monitor", "audit", "ab", "tells"):
            _refused(_second(tmp_path, commands[name]), "audit")
        assert not (tmp_path / "out" / "monitor.json").exists()
        assert not (tmp_path / "out" / "report.html").exists()
    finally:
        (tmp_path / "go").touch()
        stdout, stderr = holder.communicate(timeout=120)
    assert holder.returncode == 0, stdout + stderr
    assert (tmp_path / "out" / "audit.json").exists()
    assert not (tmp_path / "out" / ".backbone").exists()  # the lock is gone with its holder
    # and the folder is free again once the holder is done
    (tmp_path / "out" / "audit.json").unlink()
    assert _second(tmp_path, commands["monitor"]).returncode == 0


def test_an_audit_on_a_monitors_folder_is_refused(tmp_path: Path) -> None:
    commands = _commands(tmp_path)
    holder = _hold(tmp_path, commands["monitor"])
    try:
        assert holder.poll() is None, holder.communicate()
        _refused(_second(tmp_path, commands["audit"]), "monitor")
        assert not (tmp_path / "out" / "audit.json").exists()
    finally:
        (tmp_path / "go").touch()
        stdout, stderr = holder.communicate(timeout=120)
    assert holder.returncode == 0, stdout + stderr
    assert json.loads((tmp_path / "out" / "monitor.json").read_text())["schema_version"]


def test_audit_channels_compare_and_gate_are_refused_on_an_audits_folder(tmp_path: Path) -> None:
    """They wrote channels.json, compare.json or gate.json into the folder the audit held,
    exit 0."""
    commands = _commands(tmp_path)
    holder = _hold(tmp_path, commands["audit"])
    try:
        assert holder.poll() is None, holder.communicate()
        for name in ("audit-channels", "compare", "gate"):
            _refused(_second(tmp_path, commands[name]), "audit")
        written = sorted(p.name for p in (tmp_path / "out").iterdir())
        assert written == [".backbone"], written  # the holder's lock, nothing else
    finally:
        (tmp_path / "go").touch()
        stdout, stderr = holder.communicate(timeout=120)
    assert holder.returncode == 0, stdout + stderr
    # the folder free again: each writes there
    for name, file in (("compare", "compare.json"), ("gate", "gate.json")):
        done = _second(tmp_path, commands[name])
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads((tmp_path / "out" / file).read_text())["schema_version"]


def test_a_second_audit_channels_on_its_folder_is_refused(tmp_path: Path) -> None:
    """Two audit-channels into one folder both ran to the end, each writing over the other's
    review queue."""
    commands = _commands(tmp_path)
    holder = _hold(tmp_path, commands["audit-channels"])
    try:
        assert holder.poll() is None, holder.communicate()
        for name in ("audit-channels", "audit"):
            _refused(_second(tmp_path, commands[name]), "audit-channels")
        assert not (tmp_path / "out" / "channels.json").exists()
        assert not (tmp_path / "out" / "audit.json").exists()
    finally:
        (tmp_path / "go").touch()
        stdout, stderr = holder.communicate(timeout=120)
    assert holder.returncode == 0, stdout + stderr
    assert (tmp_path / "out" / "review_queue.jsonl").exists()
    assert not (tmp_path / "out" / ".backbone").exists()
