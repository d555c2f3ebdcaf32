"""A panel of two judges where one fails on every turn.

``backbone run``: the other judge decides each turn, and the run says so. Before, the run
printed "unscored 0" and nothing about the panel; each verdict's reason read "1 of 2 agree" as
if the other judge disagreed.

``backbone judge-check``: a turn on which a member's call failed says nothing of the panel's
reading, as a single judge's failed call says nothing of its own: it is counted as failed and
left out. Before, the panel was credited with the other judge's agreement (97.8%, failed 0)
and that figure was recorded for the panel, for later runs with it to quote."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.support.loopback import cli_env, run_cli, write_suite

# the CLI runs in tmp_path: the python: specs name modules of this repository
ROOT = Path(__file__).resolve().parents[2]
IMPORTS = os.pathsep.join([str(ROOT / "src"), str(ROOT)])  # this tree's backbone, not an install
GOOD = "python:tests.cli.test_rescore:judge_b"
BROKEN = "python:tests.cli.test_judge_panel:broken_judge"


def broken_judge(messages: list[dict[str, Any]]) -> str:
    raise ConnectionError("the judge's server went away")


def test_a_panel_missing_a_judge_is_counted_and_said(tmp_path: Path) -> None:
    suite = write_suite(tmp_path / "suite.yaml")
    proc = run_cli(
        ["run", "--target", "python:tests.support.loopback:planted_bot", "--suite", str(suite),
         "--out", "out", "-j", GOOD, "-j", BROKEN, "--retries", "0"],
        env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=IMPORTS),
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


def test_judge_check_leaves_out_the_turns_a_member_failed_on(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    proc = run_cli(
        ["judge-check", "-j", "python:tests.fixtures.scripted_judge:judge", "-j", BROKEN,
         "--retries", "0", "--out", "check.json"],
        env=cli_env(BACKBONE_CACHE_DIR=str(cache), PYTHONPATH=IMPORTS),
        cwd=tmp_path,
        timeout=120,
    )  # fmt: skip
    doc = json.loads((tmp_path / "check.json").read_text())
    coverage = doc["coverage"]
    assert coverage["failed"] == coverage["items"] > 0 and coverage["graded"] == 0
    assert doc["accuracy"]["n"] == 0 and doc["agreement_recorded"] is False
    assert not (cache / "judge_agreement.json").exists()
    assert "no turn was graded, so nothing was measured" in " ".join(proc.stdout.split())
