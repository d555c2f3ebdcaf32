"""A labeled set in JSONL that the JSON parser cannot read: every line is reported with its
file, its line and what is wrong, through ``backbone judge-check --labeled``, exit 2 and no
traceback; nothing is written to ``--out``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BACKBONE = str(Path(sys.executable).parent / "backbone")

LINES = {
    # (line text, what the error says): the first two ended in a RecursionError or
    # ValueError traceback (exit 1); a cut line said "Unterminated string starting at"
    "deep": ("[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
    "long-number": ('{"id": ' + "9" * 5_000 + "}", "not valid JSON: a number too long to read"),
    "cut": ('{"id": "fact-x', "not valid JSON: Unterminated string starting at (column 8)"),
}


@pytest.mark.parametrize("how", sorted(LINES))
def test_an_unreadable_jsonl_line_exits_2_naming_the_line(tmp_path: Path, how: str) -> None:
    line, message = LINES[how]
    labeled = tmp_path / "labeled.jsonl"
    labeled.write_text("\n" + line + "\n", encoding="utf-8")
    out = tmp_path / "check.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(tmp_path / "cache"),
    }
    proc = subprocess.run(
        [BACKBONE, "judge-check", "--judge", "answer-key", "--labeled", str(labeled),
         "--out", str(out)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"error: {labeled}:2: {message}" in proc.stderr, proc.stderr
    assert not out.exists()
