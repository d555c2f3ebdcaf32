"""Why a judgment went unscored reaches the terminal as text: the audit and ab
commands printed a judge's words raw, so a right-to-left override (U+202E) reordered the
line, an escape sequence (``\\x1b[2J``) reached the terminal and ``[/]`` crashed Rich with a
traceback after the files were written. They are now shown with visible escapes, as the
run and monitor commands show theirs; the JSON files keep the raw text."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.audit.logs import forty_events
from tests.support.loopback import backbone_here, cli_env

HOSTILE = "judge down \u202e\x1b[2J\x07 [/] for maintenance"
SHOWN = "judge down \\u202e\\x1b[2J\\x07 [/] for maintenance"
JUDGES = f"""\
def raises(event):
    if event["rating"] == "down":
        raise RuntimeError({HOSTILE!r})
    return {{"correct": True}}


def returns(event):
    if event["rating"] == "down":
        return {{"verdict": "no", "reason": {HOSTILE!r}}}
    return {{"correct": True}}


def fails(event):
    raise RuntimeError("judge down")
"""
RAW = ("\u202e", "\x1b", "\x07")


def backbone(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # in this process (backbone_here, which forgets the judges.py it imported from tmp, so
    # that the next test's judges.py is read afresh)
    proc = backbone_here(list(args), cwd=tmp, env=cli_env(COLUMNS="250"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def log(path: Path, control: str = "control") -> Path:
    return forty_events(path, control=control)


@pytest.mark.parametrize("judge", ["raises", "returns"])
@pytest.mark.parametrize("command", ["audit", "ab"])
def test_a_judges_unscored_reason_is_printed_with_visible_escapes(
    command: str, judge: str, tmp_path: Path
) -> None:
    (tmp_path / "judges.py").write_text(JUDGES)
    log(tmp_path / "log.jsonl")
    extra = ["--arm-column", "arm"] if command == "ab" else []
    args = ["log.jsonl", "--judge", f"python:judges:{judge}", "--out", "out", "--no-cache"]
    proc = backbone(tmp_path, command, *args, "--retries", "0", *extra)
    line = next(x for x in proc.stdout.splitlines() if x.startswith("20 unscored (not counted)"))
    if judge == "raises":
        assert f"python judge raised RuntimeError: {SHOWN} (20)" in line
    else:  # the reply as the audit quotes it: JSON, which escapes the controls itself
        assert '"reason": "judge down \\u202e\\u001b[2J\\u0007 [/] for maintenance"' in line
    for raw in RAW:
        assert raw not in proc.stdout
    # the file keeps the judge's words as they were
    doc = json.loads((tmp_path / "out" / f"{command}.json").read_text())
    (reason,) = doc["unscored_reasons"]
    assert "\u202e" in reason
    assert (HOSTILE in reason) == (judge == "raises")


def test_ab_prints_an_arms_name_with_visible_escapes(tmp_path: Path) -> None:
    """The arms are named by the log's own column: a name holding ``[/]`` crashed the arms
    table, and the verdict's reason, which names an arm whose accuracy is unknown, printed
    it raw."""
    (tmp_path / "judges.py").write_text(JUDGES)
    log(tmp_path / "log.jsonl", control="ctl \u202e\x1b[2J [/]")
    args = ["log.jsonl", "--arm-column", "arm", "--judge", "python:judges:fails", "--out", "out"]
    proc = backbone(tmp_path, "ab", *args, "--retries", "0", "--no-cache")
    shown = "ctl \\u202e\\x1b[2J [/]"
    assert f"A: {shown}" in proc.stdout
    verdict = next(x for x in proc.stdout.splitlines() if x.startswith("verdict:"))
    assert f"no judged event of {shown} or treatment could be scored" in verdict
    for raw in RAW:
        assert raw not in proc.stdout
    doc = json.loads((tmp_path / "out" / "ab.json").read_text())
    assert doc["per_arm"]["a"]["name"] == "ctl \u202e\x1b[2J [/]"
