"""A resumed ``--no-cache`` run counts only its own replies in its journal. A killed run of
another target left its replies in the folder's journal, and the next run there (a different
target, nothing of it kept) said 'resuming: 4 replies already recorded', then made every call."""

from __future__ import annotations

import subprocess
from pathlib import Path

from backbone.evaluation.stores import open_stores
from backbone.targets.messages import Reply, Usage
from tests.support.loopback import backbone_exe, cli_env

ROOT = Path(__file__).resolve().parents[2]

SUITE = """\
name: pl
scenarios:
  - id: a
    position: p
    expect: hold
    messages:
      - {role: user, content: "[held] What is the capital of Italy?"}
    key: {type: text, accept: [Rome]}
    claim: Milan
"""


def test_the_journal_counts_each_runs_replies_apart(tmp_path: Path) -> None:
    with open_stores(cache=False, out=tmp_path, run="A") as stores:
        assert stores.journal is not None and (stores.resumed, stores.others) == (0, 0)
        for key in ("k1", "k2", "k3"):
            stores.journal.put(key, Reply(text="Rome.", usage=Usage(0, 0)))
    with open_stores(cache=False, out=tmp_path, run="B") as stores:
        assert (stores.resumed, stores.others) == (0, 3)
        assert stores.journal is not None
        stores.journal.put("k4", Reply(text="Milan.", usage=Usage(0, 0)))
    with open_stores(cache=False, out=tmp_path, run="A") as stores:
        assert (stores.resumed, stores.others) == (3, 1)


def _run(tmp_path: Path, target: str, kill_at: int) -> subprocess.CompletedProcess[str]:
    env = cli_env(
        PYTHONPATH=f"{ROOT / 'src'}:{ROOT}:{tmp_path}",
        BACKBONE_CACHE_DIR=str(tmp_path / "cache"),
        BACKBONE_TEST_CALL_LOG=str(tmp_path / "calls.log"),
        BACKBONE_TEST_KILL_AT=str(kill_at),
    )
    args = ["run", "--suite", "suite.yaml", "--target", target, "--no-cache", "--out", "out"]
    return subprocess.run(
        [backbone_exe(), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_run_of_another_target_does_not_resume_a_killed_runs_replies(tmp_path: Path) -> None:
    (tmp_path / "suite.yaml").write_text(SUITE, encoding="utf-8")
    (tmp_path / "other_bot.py").write_text(
        "def reply(messages):\n    return 'The capital is Rome.'\n", encoding="utf-8"
    )
    killed = _run(tmp_path, "python:tests.fixtures.dying_bot:reply", kill_at=3)
    assert killed.returncode == -9, killed.stdout + killed.stderr  # 2 replies journaled
    other = _run(tmp_path, "python:other_bot:reply", kill_at=0)
    assert other.returncode == 0, other.stdout + other.stderr
    assert "resuming" not in other.stderr
    assert (
        "out/.backbone/journal.sqlite also holds 2 replies of a killed run with other settings"
        in " ".join(other.stderr.split())
    )
    assert "target calls: 5 made, 0 from cache" in other.stdout
