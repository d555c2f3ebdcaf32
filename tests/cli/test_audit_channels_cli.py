"""``backbone audit-channels`` from the command line: what its ``--help`` shows works."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.support.loopback import backbone_exe, cli_env


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = cli_env(COLUMNS="200", BACKBONE_CACHE_DIR=str(cwd / "cache"))
    return subprocess.run(
        [backbone_exe(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_map_example_in_the_help_reads_a_split_feedback_log(tmp_path: Path) -> None:
    # the help showed the audit's '--map rating=thumbs'; the split-feedback log has no
    # 'rating' field, so the example exited 2 with "unknown field 'rating'"
    shown = _cli("audit-channels", "--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    flat = " ".join(shown.stdout.replace("│", " ").split())
    example = re.search(r"e\.g\. ((?:--map \S+=\S+ ?)+)", flat)
    assert example, flat
    maps = [a.rstrip(".") for a in example.group(1).split() if a != "--map"]
    (tmp_path / "judge_all_right.py").write_text(
        "def judge(event):\n    return {'correct': True}\n"
    )
    (tmp_path / "log.csv").write_text(
        "id,question,response,thumbs,disagreed\nx1,q1,a1,up,yes\nx2,q2,a2,down,no\n"
    )
    # the log has the example's columns: one a field of the contract, the others the user's own
    columns = {m.partition("=")[2] for m in maps}
    assert columns <= {"question", "thumbs"}, maps
    done = _cli(
        "audit-channels",
        "log.csv",
        "--judge",
        "python:judge_all_right:judge",
        "--out",
        "out",
        *(a for m in maps for a in ("--map", m)),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "bad experience 50.0%" in done.stdout
    assert (tmp_path / "out" / "channels.json").is_file()
