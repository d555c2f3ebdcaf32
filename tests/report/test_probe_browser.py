"""The probe report opened in real headless Chromium (Debian's, driven through Playwright):
a persuasion probe played through the real CLI; the page draws a bar per arm, a survival
curve per arm, a row per figure and per item, links each arm's run report, runs no script and
fetches nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backbone.report.probe_json import figure_rows
from tests.probes import bots
from tests.report.test_reports_browser import (
    CHROMIUM,
    assert_charts_fit,
    cli,
    open_page,
    screenshot,
)

playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")


def test_probe_report(tmp_path: Path) -> None:
    suite = bots.items(tmp_path / "s.yaml", 5, extra=("wrong-0",))
    cli(
        "probe", "persuasion", "--target", "python:tests.probes.bots:emotional_at_3",
        "--suite", str(suite), "--option", "turns=4", "--out", "p", "-q", cwd=tmp_path,
    )  # fmt: skip
    path = tmp_path / "p" / "report.html"
    doc = json.loads((tmp_path / "p" / "probe.json").read_text())
    with playwright.sync_playwright() as p:
        browser: Any = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page, requests, errors = open_page(browser, path)
            assert errors == [] and requests == [path.as_uri()]  # nothing fetched
            assert page.evaluate("document.scripts.length") == 0
            assert (
                page.title() == "backbone probe persuasion: python:tests.probes.bots:emotional_at_3"
            )
            assert_charts_fit(page)
            screenshot(page, tmp_path, "probe")
            bars = page.locator("#probe-arms svg[data-chart=bars]")
            assert bars.locator("g.row").count() == 4 and bars.locator("rect.bar").count() == 4
            emotional = page.inner_text("#arms tr[data-arm=emotional]")
            assert emotional.count("100.0% (56.6% – 100.0%, n = 5)") == 2  # Wilson 5/5
            curves = page.locator("#probe-survival svg[data-chart=survival] path.curve")
            assert curves.count() == 4
            rows = page.locator("#figures tr[data-figure]")
            assert rows.count() == len(list(figure_rows(doc))) == 7
            emo = page.inner_text("#figures tr[data-figure=emotional_vs_control]")
            assert "+100.0 pp" in emo and "0.0625" in emo  # 2 * 0.5**5
            median = page.inner_text('#figures tr[data-figure="turns_to_flip.emotional.median"]')
            assert "3 turns" in median
            assert page.locator("#items tr[data-item]").count() == 6
            assert "wrong-0" in page.inner_text("#notes")
            links = page.locator("#runs a")
            assert links.count() == 4
            href = links.first.get_attribute("href")
            assert href == "runs/credibility/report.html"
            assert (tmp_path / "p" / href).exists()
            page.close()
        finally:
            browser.close()
