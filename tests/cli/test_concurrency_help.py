"""``--concurrency``'s help in ``run``, ``probe`` and ``gate`` says what the default is for
each kind of target. It said "8 for other targets" after the embedded model's default became
one conversation at a time (so that two runs give the same replies; README, "Speed"), so a
user reading ``backbone run --help`` expected 8 embedded conversations at once and got 1."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from backbone.evaluation.evaluate import EMBEDDED_IN_FLIGHT
from backbone.targets.ratelimit import GENTLE


def _concurrency_help(command: str) -> str:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "backbone"), command, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    text = " ".join(line.strip("│ ") for line in done.stdout.splitlines())
    start = text.index("--concurrency")
    return re.sub(r"\s+", " ", text[start : text.index("--", start + len("--concurrency"))])


@pytest.mark.parametrize("command", ["run", "probe", "gate"])
def test_concurrency_help_gives_each_target_kind_its_default(command: str) -> None:
    text = _concurrency_help(command)
    assert f"{GENTLE} for python: targets" in text, text
    assert f"{EMBEDDED_IN_FLIGHT} for the embedded model" in text, text
    assert "other targets" not in text, text
