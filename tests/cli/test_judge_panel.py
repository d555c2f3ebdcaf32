"""``backbone run`` with a panel of two judges where one fails on every turn: the other judge
decides each turn, and the run says so. Before, the run printed "unscored 0" and nothing
about the panel; each verdict's reason read "1 of 2 agree" as if the other judge disagreed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.loopback import cli_env, run_cli, write_suite

GOOD = "python:tests.cli.test_rescore:judge_b"
BROKEN = "python:tests.cli.test_judge_panel:broken_judge"


def broken_judge(messages: list[dict[str, Any]]) -> str:
    raise ConnectionError("the judge's server went away")


def test_a_panel_missing_a_judge_is_counted_and_said(tmp_path: Path) -> None:
    suite = write_suite(tmp_path / "suite.yaml")
    proc = run_cli(
        ["run", "--target", "python:tests.support.loopback:planted_bot", "--suite", str(suite),
         "--out", "out", "-j", GOOD, "-j", BROKEN, "--retries", "0"],
        env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        cwd=tmp_path,
        timeout=120,
    )  # fmt: skip
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    majority = doc["grading"]["majority"]
    turns = majority["turns"]
    assert turns > 0 and majority["decided_with_unscored_votes"] == turns
    said = " ".join(proc.stdout.split())
    assert (
        f"majority vote: {turns} of {turns} turns decided on fewer votes than judges asked"
    ) in said
    lines = (tmp_path / "out" / "transcripts.jsonl").read_text().splitlines()
    reasons = [
        o["reason"]
        for line in lines
        for m in json.loads(line)["messages"]
        if "verdict" in m
        for o in [m["verdict"], *m["verdict"].get("others", [])]
        if "votes" in (o.get("rubric") or {})
    ]
    assert len(reasons) == turns
    assert all(
        r.startswith("1 of 2 agree, 1 vote unscored (judge failed: ConnectionError: ")
        for r in reasons
    )
