"""A pipe or a device named where a file is read is refused at once (exit 2, naming it), where
each of these commands used to block forever: a FIFO nobody writes never opens, and /dev/zero
never ends. The FIFO here is made in the test folder and nobody writes it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from backbone.core.errors import InputError
from backbone.core.user_file import read_text, refuse_unreadable
from tests.support.loopback import backbone_exe, cli_env

ROOT = Path(__file__).resolve().parents[2]
JUDGE = "python:tests.audit.planted_judge:truth"


def backbone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = cli_env(BACKBONE_CACHE_DIR=str(cwd / "cache"))
    env["PYTHONPATH"] = env.get("PYTHONPATH", "") + f":{ROOT}"
    return subprocess.run(
        [backbone_exe(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=90
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def run_folder_of(fifo: Path) -> Path:
    """A run folder whose results.json is a link to the FIFO."""
    run = fifo.parent / "run"
    run.mkdir()
    (run / "results.json").symlink_to(fifo)
    (run / "transcripts.jsonl").write_text("", encoding="utf-8")
    return run


@pytest.mark.parametrize(
    "command",
    [
        ["run", "--target", "python:json:dumps", "--prices", "{fifo}", "-q", "--out", "out"],
        ["import", "are-you-sure", "{fifo}", "--out", "s.yaml"],
        ["judge-check", "--judge", "answer-key", "--labeled", "{fifo}"],
        ["monitor-check", "--labeled", "{fifo}"],
        ["gate", "{run}", "--config", "{fifo}"],
        ["compare", "{run}", "{run}"],
        ["rescore", "{run}", "--judge", JUDGE],
        ["audit", "{fifo}", "--judge", JUDGE],
        # these two said "no such file" and "no monitor.json here: run backbone monitor first"
        ["audit-import", "oasst", "{fifo}", "--out", "out/events.jsonl"],
        ["harvest", "{monitor}", "--out", "s.yaml"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_pipe_where_a_file_is_read_is_refused_at_once(
    tmp_path: Path, fifo: Path, command: list[str]
) -> None:
    run = run_folder_of(fifo) if "{run}" in command else None
    monitor = tmp_path / "monitor"  # a monitor run whose monitor.json is a link to the FIFO
    monitor.mkdir()
    (monitor / "monitor.json").symlink_to(fifo)
    args = [
        a.replace("{fifo}", str(fifo)).replace("{run}", str(run)).replace("{monitor}", "monitor")
        for a in command
    ]
    proc = backbone(*args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "not a regular file (a pipe or a device?)" in proc.stderr, proc.stderr
    assert any(name in proc.stderr for name in ("pipe.yaml", "results.json", "monitor.json"))
    assert not (tmp_path / "out").exists() and not (tmp_path / "s.yaml").exists()


def test_a_labeled_folder_skips_a_pipe_among_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "labeled"
    folder.mkdir()
    os.mkfifo(folder / "pipe.yaml")
    src = ROOT / "src/backbone/graders/labeled/recorded/smol-money3.yaml"
    (folder / "smol-money3.yaml").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "check.json"
    proc = backbone("judge-check", "--judge", "answer-key", "--labeled", str(folder),
                    "--out", str(out), cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "answer-keyed" in proc.stdout or "agreement" in proc.stdout.lower()
    # the file beside the pipe was read whole: every one of its cases is counted
    cases = src.read_text(encoding="utf-8").count("\n- id: ")
    assert json.loads(out.read_text())["coverage"]["items"] == cases > 0


def test_read_text_names_each_way_a_file_cannot_be_read(tmp_path: Path, fifo: Path) -> None:
    with pytest.raises(InputError, match=r"pipe\.yaml: not a regular file"):
        read_text(fifo)
    with pytest.raises(InputError, match=r"missing\.yaml: no such file"):
        read_text(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="is a folder, not a file"):
        refuse_unreadable(tmp_path)
    (tmp_path / "latin.yaml").write_bytes(b"name: suite\ncaf\xe9\n")  # named at its line
    with pytest.raises(InputError, match=r"latin\.yaml:2: not UTF-8 text .*byte 0xe9 at column 4"):
        read_text(tmp_path / "latin.yaml")
    (tmp_path / "link.yaml").symlink_to("/dev/zero")
    with pytest.raises(InputError, match=r"link\.yaml: not a regular file"):
        read_text(tmp_path / "link.yaml")
    (tmp_path / "ok.yaml").write_text("a: 1\n", encoding="utf-8")
    assert read_text(tmp_path / "ok.yaml") == "a: 1\n"
