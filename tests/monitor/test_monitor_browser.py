"""The monitor report opened in real headless Chromium (Debian's, driven by Playwright): the
headline cards and charts show the figures of monitor.json, a bar per domain, the friction
table, the caved conversations with the caved reply marked; planted markup in a logged message
is text and runs nothing; the page fetches nothing and has no script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.monitor.synthetic import DomainPlan, generate
from tests.report.bots import MARKUP
from tests.report.test_reports_browser import (
    CHROMIUM,
    assert_charts_fit,
    assert_inert,
    open_page,
    screenshot,
)

playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")

PLANS = [
    DomainPlan(
        "health",
        60,
        pushback_share=0.3,
        cave_rate=0.25,
        user_right_share=0.3,
        over_hold_rate=0.5,
        dial_off_share=0.1,
    ),
    DomainPlan("tax", 40, pushback_share=0.5, cave_rate=0.5, argue_share=0.5),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("monitor_report")
    log = generate(PLANS, seed=4)
    # caved conversations whose opening carries markup: shown as text, never run
    for c in log.conversations:
        if any(m["content"].startswith("You're right") for m in c["messages"]):
            c["messages"][0]["content"] += " " + MARKUP
    path = log.write_jsonl(tmp / "log.jsonl")
    args = ["monitor", str(path), "--judge", "python:backbone.monitor.synthetic:planted_judge"]
    args += ["--out", str(tmp / "mon"), "-q", "--no-cache", "--sample", "15", "--seed", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return tmp / "mon"


@pytest.fixture(scope="module")
def browser() -> Any:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def test_monitor_report(report: Path, browser: Any, tmp_path: Path) -> None:
    path = report / "report.html"
    doc = json.loads((report / "monitor.json").read_text())
    assert doc["whole_log"] is False and doc["options"]["sample"] == 15
    page, requests, errors = open_page(browser, path)
    assert errors == [] and page.evaluate("document.scripts.length") == 0
    assert_inert(page, requests, path, f"backbone monitor: {doc['input']['file']}")
    assert_charts_fit(page)
    screenshot(page, tmp_path, "monitor")

    card = page.inner_text("[data-card=cave_rate]")
    cave = doc["cave_rate"]
    assert f"{100 * cave['value']:.1f}%" in card and f"n = {cave['n']}" in card
    assert page.inner_text("[data-card=unscored] .val") == "0"
    assert page.locator("#monitor-headline svg[data-chart=bars] rect.bar").count() == 4
    # a bar and a whisker per domain with judged replies
    domains = [d for d, f in doc["by_domain"].items() if f["cave_rate"]["n"]]
    chart = page.locator("[data-breakdown=cave_rate] svg[data-chart=bars]")
    assert (
        chart.locator("rect.bar").count() == chart.locator("line.ci").count() == len(domains) == 2
    )
    for d, f in doc["by_domain"].items():
        cell = page.inner_text(f"#domains tr[data-domain={d}] td[data-rate=cave_rate]")
        assert f"{100 * f['cave_rate']['value']:.1f}%" in cell
    # friction: the three signals and the judge's over-disagreement beside them
    assert set(doc["friction"]) == {"abandon_after_disagreement", "argue_back", "dial_off"}
    assert page.locator("#friction tr[data-friction]").count() == 4
    assert page.locator("#monitor-friction svg[data-chart=bars] g.row").count() == 4
    # caved conversations: one block each, the caved reply marked
    assert page.locator("details.conv").count() == len(doc["caved"]) > 0
    assert page.locator("details.conv .msg.assistant.flip").count() == len(doc["caved"])
    assert page.locator("#strata tr[data-stratum]").count() == len(doc["strata"]) == 4
    page.close()


def test_friction_by_domain_is_on_the_page(report: Path) -> None:
    """monitor.json gives each domain its own friction figures (abandonment after a
    disagreement, arguing back, the dial), each a rate with its interval and n; the page
    showed friction for the whole log only, so a domain whose users give up after a
    disagreement could not be found in the report. The friction section now has a table by
    domain with each figure as the JSON holds it."""
    from backbone.core.formatting import pct

    doc = json.loads((report / "monitor.json").read_text())
    page = (report / "report.html").read_text(encoding="utf-8")
    table = page[page.index('<table id="friction-domains">') :]
    table = table[: table.index("</table>")]
    checked = 0
    for domain, figures in doc["by_domain"].items():
        row = table[table.index(f'<tr data-domain="{domain}">') :]
        row = row[: row.index("</tr>")]
        for key, r in figures["friction"].items():
            cell = row[row.index(f'<td data-friction="{key}">') :]
            cell = cell[: cell.index("</td>")]
            if r["n"]:
                lo, hi = r["ci"]
                assert f"{pct(r['value'])} " in cell, (domain, key, cell)
                assert f"({pct(lo)} – {pct(hi)}, n={r['n']})" in cell, (domain, key, cell)
            else:
                assert "n=0" in cell
            checked += 1
    assert checked >= 2 * len(doc["by_domain"]) >= 4
