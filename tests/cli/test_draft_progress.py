"""``backbone draft`` shows its progress on stderr: with a local generator it ran for minutes
with nothing on the terminal (the model loading, then every generator call, in silence).
Now a line per advance goes to stderr (plain lines when stderr is not a terminal) and stdout
carries only the summary; ``--quiet`` shows none."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.loopback import backbone_exe, cli_env

ROOT = Path(__file__).resolve().parents[2]  # a python:tests... spec imports from here

GEN = "python:tests.evaluation.test_draft:generator"


def _draft(tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [backbone_exe(), "draft", "--spec", "builtin:tutor", "--generator", GEN,
         "--out", str(tmp / "d.yaml"), "--no-cache", *extra],
        cwd=tmp, capture_output=True, text=True, timeout=120,
        env=cli_env(PYTHONPATH=f"{ROOT / 'src'}:{ROOT}", BACKBONE_PROGRESS_SECONDS="0",
                    BACKBONE_CACHE_DIR=str(tmp / "cache")),
    )  # fmt: skip


def test_draft_reports_progress_on_stderr_not_stdout(tmp_path: Path) -> None:
    r = _draft(tmp_path)
    assert r.returncode == 0, r.stderr
    lines = [line for line in r.stderr.splitlines() if line.startswith("positions ")]
    assert lines, r.stderr
    total = int(lines[-1].split()[1].split("/")[1])
    assert lines[-1].startswith(f"positions {total}/{total} (100%)")
    assert "generator calls " in lines[-1] and "from cache" in lines[-1]
    assert "positions " not in r.stdout  # stdout: the summary only
    assert "new scenarios (reviewed: false)" in r.stdout


def test_quiet_draft_shows_no_progress(tmp_path: Path) -> None:
    r = _draft(tmp_path, "--quiet")
    assert r.returncode == 0, r.stderr
    assert "positions " not in r.stderr
