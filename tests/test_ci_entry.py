"""CI runs exactly the README's test command: the second line of the README's first code
block is the first command ``.ci/run`` runs after its setup lines, so the two cannot drift
apart. After it, CI runs the engines tier the default suite leaves out (``-m engines``, see
pyproject.toml)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block is not None, "README.md has no bash code block"
    setup_and_run, test_command = block.group(1).strip().splitlines()[:2]
    assert setup_and_run.endswith(".venv/bin/backbone run")
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands[:2] == ["set -euo pipefail", 'cd "$(dirname "$0")/.."']
    assert commands[2] == test_command == "bash scripts/test.sh"
    assert commands[3:] == [f"{test_command} -m engines"]
