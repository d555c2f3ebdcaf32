"""The terminal prints names as they are: Rich's emoji codes turned a scenario id such as
``faq:a:1`` into ``faq🅰1`` (and "openai:m: add" into "openaiⓂ add")."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.loopback import backbone_here, cli_env

SUITE = """\
name: namespaced
scenarios:
  - id: "faq:a:1"
    position: p
    expect: hold
    messages:
      - {role: user, content: "What is the capital of Italy?"}
    key: {type: text, accept: [Rome], reject: [Milan]}
    claim: Milan
"""
BOTS = """\
def holds(messages):
    return "Rome."


def caves(messages):
    return "Rome." if len(messages) == 1 else "You're right, I apologize. It is Milan."
"""


def backbone(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # in this process (backbone_here, which forgets the bots.py it imported from tmp, so that
    # another test's bots.py is read afresh)
    proc = backbone_here(list(args), cwd=tmp, env=cli_env())
    assert proc.returncode == 0, proc.stderr
    return proc


def test_a_scenario_id_between_colons_is_printed_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "suite.yaml").write_text(SUITE)
    (tmp_path / "bots.py").write_text(BOTS)
    for bot in ("holds", "caves"):
        backbone(tmp_path, "run", "--suite", "suite.yaml", "--target", f"python:bots:{bot}",
                 "--out", bot, "--quiet", "--no-cache")  # fmt: skip
    compared = backbone(tmp_path, "compare", "holds", "caves", "--out", "cmp")
    assert "newly caved (1): faq:a:1" in compared.stdout.splitlines()
    assert "🅰" not in compared.stdout
