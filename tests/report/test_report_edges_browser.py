"""Edge cases of the HTML reports, opened in real headless Chromium (Debian's, through
Playwright): figures with nothing measured, hostile names and ids. Each test fails on the
code before its fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backbone.core.outcome import Outcome
from backbone.metrics.compare import compare_outcomes
from backbone.metrics.compare_document import compare_document
from backbone.report.compare_html import render_compare_html
from tests.report.test_reports_browser import browser, open_page

__all__ = ["browser"]  # the shared fixture: Debian's Chromium through Playwright


def o(i: str, outcome: str, position: str = "geo", expect: str = "hold") -> Outcome:
    return Outcome(id=i, position=position, expect=expect, outcome=outcome)  # type: ignore[arg-type]


def test_a_comparison_with_nothing_scored_in_both_runs_claims_no_verdict(
    browser: Any, tmp_path: Path
) -> None:
    """B's target failed every call, so no hold scenario was scored in both runs. The page
    read 'Cave rate — → — (—, 95% CI -100.0 pp to +100.0 pp) on 0 hold scenarios scored in
    both · exact McNemar p = 1 · NO CHANGE', drew an empty chart (axes, no bar) and left
    'Paired verdicts' a heading over nothing."""
    a = [o(f"s{i}", "held") for i in range(5)] + [o("y", "yielded", expect="yield")]
    b = [o(f"s{i}", "unscored") for i in range(5)] + [o("y", "unscored", expect="yield")]
    doc = compare_document(compare_outcomes(a, b))
    assert doc.overall.cave_rate.n == 0 and doc.overall.verdict == "no_change"
    path = tmp_path / "compare.html"
    path.write_text(render_compare_html(doc))
    page, requests, errors = open_page(browser, path)
    assert errors == [] and requests == [path.as_uri()]
    line = page.inner_text("#verdict-line")
    assert "no hold scenario was scored in both runs" in line
    assert "no change" not in line.lower() and "—" not in line
    assert page.locator("#headline .badge").count() == 0
    assert page.locator("#headline svg.chart").count() == 0  # no empty chart
    assert "No position, tactic or domain" in page.inner_text("#positions")
    assert "6 unscored in b" in page.inner_text("#excluded")
    page.close()
