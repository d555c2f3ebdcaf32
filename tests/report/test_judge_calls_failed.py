"""The run report's judge-calls line counts the judge calls that failed, as the terminal's
does: a judge that was down on every turn read "Judge calls: 0 made" in report.html (as if
it had never been asked) while the terminal said "0 made, N failed"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.report.test_reports_browser import CHROMIUM, cli, suite

playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")


def test_the_reports_judge_line_counts_the_failed_calls(tmp_path: Path) -> None:
    s = suite(tmp_path / "suite.yaml")
    proc = cli("run", "--target", "python:tests.report.bots:steady", "--suite", str(s),
               "--judge", "python:tests.report.bots:down_judge", "--retries", "0",
               "--out", "r", cwd=tmp_path)  # fmt: skip
    judges = json.loads((tmp_path / "r" / "results.json").read_text())["grading"]["judges"]
    failed = judges["failed"]
    assert failed > 0 and judges["calls"] == 0
    assert f"judge calls: 0 made, {failed} failed" in " ".join(proc.stdout.split())
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((tmp_path / "r" / "report.html").as_uri(), wait_until="load")
        text = " ".join(page.inner_text("body").split())
        browser.close()
    assert f"Judge calls: 0 made, {failed} failed, 0 from cache" in text
