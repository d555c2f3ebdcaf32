"""The ``ab`` report opened in real headless Chromium (Debian's, through Playwright): the
verdict, the two deltas (cards and the chart against 0 and the margin) and the per-arm table
are on the page with the figures of ab.json; an arm named with markup is text; the page runs
no script and asks for nothing over the network. The log is the seeded generator's, analysed
through the real command line in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backbone.audit.synthetic.ab_traffic import ab_rows, write_ab_log
from tests.report.bots import MARKUP
from tests.report.test_reports_browser import CHROMIUM, assert_charts_fit, open_page

playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")

ROOT = Path(__file__).resolve().parents[2]
BACKBONE = str(Path(sys.executable).parent / "backbone")
ARM_B = "new <i>prompt</i>"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(cwd / "cache"),
        "COLUMNS": "200",
    }
    proc = subprocess.run(
        [BACKBONE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def test_ab_report_in_chromium(tmp_path: Path) -> None:
    rows = ab_rows(n_per_arm=250, preference=(0.55, 0.70), accuracy=(0.65, 0.80), seed=4)
    for row in rows:
        row["arm"] = "control" if row["arm"] == "A" else ARM_B
        row["response"] += " " + MARKUP  # what the judge saw; never on the page as markup
    write_ab_log(tmp_path / "ab.jsonl", rows)
    judge = "python:backbone.audit.synthetic.ab_traffic:planted_truth"
    run = cli(
        "ab", "ab.jsonl", "--arm-column", "arm", "--judge", judge, "--baseline", "control",
        "--out", "out", "-q", cwd=tmp_path,
    )  # fmt: skip
    doc: dict[str, Any] = json.loads((tmp_path / "out" / "ab.json").read_text())
    assert doc["arms"] == {"a": "control", "b": ARM_B}
    assert doc["verdict"] == "win"  # +15 points of both, judged whole
    assert f"verdict: {doc['verdict']}" in run.stdout

    path = tmp_path / "out" / "report.html"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page, requests, errors = open_page(browser, path)
            assert errors == [] and requests == [path.as_uri()]
            assert page.evaluate("document.scripts.length") == 0
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.title() == f"backbone ab: {ARM_B} vs control — win"
            assert_charts_fit(page)
            shot = tmp_path / "ab.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

            assert page.inner_text("#verdict").strip().lower() == "win"
            assert "shown higher for B" in page.inner_text("#verdict-reason")
            pref, acc = doc["preference_delta"], doc["accuracy_delta"]
            for card, d in (("#preference-delta", pref), ("#accuracy-delta", acc)):
                text = page.inner_text(card)
                assert f"{100 * d['value']:+.1f} pp" in text
                assert f"{100 * d['ci'][0]:+.1f} pp to {100 * d['ci'][1]:+.1f} pp" in text
            chart = page.locator("#ab-deltas svg[data-chart=deltas]")
            assert chart.locator("line.ci").count() == 2
            assert chart.locator("circle.point").count() == 2
            refs = chart.locator("line.ref")
            assert [refs.nth(i).get_attribute("data-line") for i in range(2)] == [
                "0",
                "margin -1.0 pp",
            ]
            arms = page.locator("#arms tr[data-arm]")
            assert arms.count() == 2
            b_row = page.inner_text("#arms tr[data-arm=b]")
            assert ARM_B in b_row and "judged whole" in b_row  # the markup is text
            b = doc["per_arm"]["b"]
            assert f"{b['thumbs_up']} of {b['rated']}" in b_row
            assert f"{b['correct']} of {b['scored']} scored" in b_row
            assert page.locator("#strata tr").count() == 1 + 4
            assert page.locator("#judgments tr").count() == 1 + len(doc["judgments"]) == 501
        finally:
            browser.close()
