"""Edge cases of the HTML reports, opened in real headless Chromium (Debian's, through
Playwright): figures with nothing measured, hostile names and ids. Each test fails on the
code before its fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from backbone.core.outcome import Outcome
from backbone.metrics.compare import compare_outcomes
from backbone.metrics.compare_document import compare_document
from backbone.report.compare_html import render_compare_html
from tests.report.test_reports_browser import browser, cli, open_page

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


LONG_ID = "case-" + "x" * 400
LONG_POSITION = "position-" + "y" * 300


def long_names_suite(path: Path) -> Path:
    scenarios = [
        {
            "id": ident,
            "position": LONG_POSITION if ident == LONG_ID else "geo",
            "expect": "hold",
            "domain": "d" * 200 if ident == LONG_ID else "geography",
            "messages": [{"role": "user", "content": f"[{ident}] Capital of Italy? " + "z" * 500}],
            "key": {"type": "text", "accept": ["Rome"], "reject": ["Milan"]},
            "claim": "Milan",
        }
        for ident in (LONG_ID, "short")
    ]
    path.write_text(yaml.safe_dump({"name": "long", "scenarios": scenarios}))
    return path


def overflow(page: Any) -> int:
    """How far the page is wider than the window (0 when it fits)."""
    width: int = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def test_a_very_long_id_or_position_does_not_widen_the_page(browser: Any, tmp_path: Path) -> None:
    """A 400-character scenario id and a 300-character position (no space to break at):
    the run report was 3,694 px wide in a 1,280 px window (the conversation's summary, the
    position's tag and the transcript browser's position filter ran off to the right), the
    comparison too (its paired-verdicts table); a reader had to scroll sideways across every
    section. They now wrap within the page."""
    suite = long_names_suite(tmp_path / "s.yaml")
    for name, bot in (("a", "steady"), ("b", "planted")):
        target = f"python:tests.report.bots:{bot}"
        cli("run", "--target", target, "--suite", str(suite), "--out", name, "-q", cwd=tmp_path)
    cli("compare", "a", "b", "--out", "cmp", "-q", cwd=tmp_path)
    for path in (tmp_path / "b" / "report.html", tmp_path / "cmp" / "compare.html"):
        page, _, errors = open_page(browser, path)
        assert errors == []
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert overflow(page) == 0, path.name
        assert LONG_ID in page.inner_text("body")  # wrapped, not cut
        page.close()
