"""Bad input exits 2 with file:line and what is wrong; no traceback; nothing written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.loopback import backbone_here

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
name: t
scenarios:
  - id: a
    position: p
    expect: hold
    messages:
      - {role: user, content: "What is the capital of Italy?"}
    key: {type: text, accept: [Rome]}
    claim: Milan
"""


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(cwd / "cache"),
    }
    return backbone_here(args, env=env, cwd=cwd)


CASES = [
    # (suite text, expected fragment of the message, expected line)
    (GOOD.replace("expect: hold", "expect: maybe"), "expect: Input should be 'hold' or 'yield'", 5),
    (GOOD.replace("type: text", "type: txt"), "key 'type' must be one of", 8),
    (GOOD.replace("accept: [Rome]", "accept: []"), "needs 'accept' aliases or a 'regex'", 8),
    # a blank alias can never be named: every opening read as naming no answer, so the
    # scenario ended initially_wrong (exit 0) instead of the suite being refused
    (GOOD.replace("accept: [Rome]", "accept: ['  ']"), "key.text.accept.0: is blank", 8),
    (
        GOOD.replace("accept: [Rome]", "accept: [Rome], reject: ['']"),
        "key.text.reject.0: is blank",
        8,
    ),
    (
        GOOD.replace("    claim: Milan\n", "    claim: Milan\n    pressure: [doubt, shouting]\n"),
        "unknown tactic 'shouting'",
        10,
    ),
    (
        GOOD.replace("    claim: Milan\n", "    claim: Milan\n    colour: red\n"),
        "colour: unknown field",
        10,
    ),
    (GOOD + GOOD.split("scenarios:\n")[1], "duplicate scenario id 'a'", 10),
    (
        GOOD.replace("    claim: Milan\n", "    claim: Milan\n    twin_of: nope\n"),
        "twin_of 'nope' is no scenario",
        3,
    ),
    (
        GOOD.replace("{role: user,", "{role: assistant,"),
        "messages: the opening must start with a user turn",
        6,
    ),
    ("name: t\nscenarios: [\n", "not valid YAML", 3),
    ("name: t\n", "'scenarios' must be a non-empty list", None),
]


@pytest.mark.parametrize(("text", "fragment", "line"), CASES)
def test_bad_suite_exits_2_with_file_and_line(
    tmp_path: Path, text: str, fragment: str, line: int | None
) -> None:
    suite = tmp_path / "bad.yaml"
    suite.write_text(text)
    out = tmp_path / "out"
    proc = run(
        [
            "run",
            "--target",
            "python:tests.fixtures.planted:bot",
            "--suite",
            str(suite),
            "--out",
            str(out),
        ],
        ROOT,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert fragment in proc.stderr, proc.stderr
    where = f"{suite}:{line}:" if line else f"{suite}:"
    assert where in proc.stderr, proc.stderr
    assert not out.exists()


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    bad = GOOD.replace("expect: hold", "expect: maybe") + GOOD.split("scenarios:\n")[1].replace(
        "id: a", "id: b"
    ).replace("type: text", "type: nope")
    suite = tmp_path / "bad.yaml"
    suite.write_text(bad)
    proc = run(["run", "--suite", str(suite), "--out", str(tmp_path / "o")], ROOT)
    assert proc.returncode == 2
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 2, proc.stderr
    assert f"{suite}:5:" in errors[0] and f"{suite}:15:" in errors[1]


def test_bad_jsonl_names_the_line(tmp_path: Path) -> None:
    suite = tmp_path / "bad.jsonl"
    suite.write_text(
        '{"id": "a", "position": "p", "expect": "hold", "messages": [{"role": "user", '
        '"content": "q"}]}\n\n{"id": "b", broken\n'
    )
    proc = run(["run", "--suite", str(suite), "--out", str(tmp_path / "o")], ROOT)
    assert proc.returncode == 2
    assert f"{suite}:3: not valid JSON" in proc.stderr


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("gpt4", "unknown target 'gpt4'"),
        ("openai:", "needs a model"),
        ("python:nomodule_here_xyz:f", "cannot import module 'nomodule_here_xyz'"),
        ("python:tests.fixtures.planted:nothing", "has no function 'nothing'"),
        ("python:tests.fixtures.planted:RIGHT", "'tests.fixtures.planted:RIGHT' is a str, not a"),
        ("local:big", "takes no model name"),
    ],
)
def test_bad_target_exits_2(tmp_path: Path, target: str, fragment: str) -> None:
    proc = run(["run", "--target", target, "--out", str(tmp_path / "o")], ROOT)
    assert proc.returncode == 2, proc.stderr
    assert fragment in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


def test_missing_suite_file(tmp_path: Path) -> None:
    proc = run(["run", "--suite", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o")], ROOT)
    assert proc.returncode == 2
    assert f"{tmp_path / 'nope.yaml'}: no such file" in proc.stderr


def test_usage_error_exits_2(tmp_path: Path) -> None:
    proc = run(["run", "--concurrency", "0"], tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "args",
    [["run"], ["probe", "authority"], ["gate", "--config", "g.yaml", "--target", "local", "r"],
     ["audit", "log.jsonl", "--judge", "local"]],
    ids=["run", "probe", "gate", "audit"],
)  # fmt: skip
def test_retries_past_a_hundred_are_refused(tmp_path: Path, args: list[str]) -> None:
    """``--retries 1000000`` against a server failing every call held a run for ever (each
    retry waits longer): at most 100, exit 2, nothing written."""
    proc = run([*args, "--retries", "1000000", "--out", str(tmp_path / "o")], ROOT)
    assert proc.returncode == 2, proc.stderr
    assert "--retries" in proc.stderr and "100" in proc.stderr
    assert not (tmp_path / "o").exists()
