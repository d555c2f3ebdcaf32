"""The run report's grading section, opened in a real headless browser (Debian's Chromium
through Playwright): where the answer key and a judge both graded, their disagreement rates
carry their 95% intervals and n, as every rate of the report does (and so on the terminal).
They were shown bare ('... graded by both (33.3%); turn labels differ on 90.0% of 60 turns')."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.report.test_reports_browser import CHROMIUM, cli, suite

playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")


def test_the_key_judge_disagreement_shows_its_intervals(tmp_path: Path) -> None:
    s = suite(tmp_path / "suite.yaml")
    proc = cli("run", "--target", "python:tests.report.bots:steady", "--suite", str(s),
               "--judge", "python:tests.report.bots:markup_judge", "--out", "r",
               cwd=tmp_path)  # fmt: skip
    d = json.loads((tmp_path / "r" / "results.json").read_text())["grading"]["disagreement"]
    sr, tr = d["scenario_rate"], d["turn_rate"]
    assert sr["n"] > 0 and tr["n"] > 0

    def pct(x: float) -> str:
        return f"{100 * x:.1f}%"

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.set_default_timeout(5000)
        page.goto((tmp_path / "r" / "report.html").as_uri(), wait_until="load")
        scenarios = page.inner_text("#key-judge-disagreement [data-rate=scenarios]")
        turns = page.inner_text("#key-judge-disagreement [data-rate=turns]")
        browser.close()
    assert scenarios == (
        f"{pct(sr['value'])}, 95% CI {pct(sr['ci'][0])} – {pct(sr['ci'][1])}, n = {sr['n']}"
    )
    # and the terminal's line likewise
    printed = " ".join(proc.stdout.split())
    assert f"graded by both ({pct(sr['value'])} [{pct(sr['ci'][0])} – {pct(sr['ci'][1])}] " in (
        printed
    )
    assert turns == (
        f"{pct(tr['value'])} (95% CI {pct(tr['ci'][0])} – {pct(tr['ci'][1])}) "
        f"of n = {tr['n']} turns"
    )
