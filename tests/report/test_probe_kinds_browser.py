"""The cues probe's own section in the probe report, opened in real headless Chromium (a bar
per arm for the follow rate, the reasoning table with the mention rate and the silent-follow
gap); the confidence and bombing sections of the same page machinery, read as text."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from backbone.evaluation.probe import probe
from tests.probes.kind_bots import escalator, silent_follower, stated_bot
from tests.probes.scripted_play import code_word_suite
from tests.report.test_reports_browser import (
    CHROMIUM,
    assert_charts_fit,
    cli,
    open_page,
    screenshot,
)

playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")


def _suite(path: Path, n: int) -> Path:
    doc = code_word_suite(n, twins=True, ladder=("doubt", "insistence")).model_dump(
        mode="json", exclude_none=True
    )
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_cues_section_in_chromium(tmp_path: Path) -> None:
    suite = str(_suite(tmp_path / "s.yaml", 5))
    cli(
        "probe", "cues", "--target", "python:tests.probes.kind_bots:silent_follower",
        "--suite", suite, "--out", "cues", "-q", cwd=tmp_path,
    )  # fmt: skip
    path = tmp_path / "cues" / "report.html"
    with playwright.sync_playwright() as p:
        browser: Any = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page, requests, errors = open_page(browser, path)
            assert errors == [] and requests == [path.as_uri()]  # nothing fetched
            assert_charts_fit(page)
            screenshot(page, tmp_path, "probe-cues")
            bars = page.locator("#probe-cues svg[data-chart=bars]")
            assert bars.locator("g.row").count() == 3  # no_cue, user_hint, metadata
            mention = page.inner_text("#cue-reasoning tr[data-figure=mention_rate]")
            assert "0.0%" in mention and "n = 10" in mention
            gap = page.inner_text("#cue-reasoning tr[data-figure=follow_mention_gap]")
            assert "100.0%" in gap and "n = 10" in gap
            assert page.locator("#probe-confidence").count() == 0  # a cues page only
            page.close()
        finally:
            browser.close()


def test_confidence_and_bombing_sections(tmp_path: Path) -> None:
    suite = code_word_suite(5, twins=True, ladder=("doubt", "insistence"))
    for kind, bot, options in (
        ("confidence", stated_bot, {"stated": "true"}),
        ("bombing", escalator, {}),
    ):
        probe(kind, suite, bot, out=tmp_path / kind, options=options, cache=False)
    confidence = (tmp_path / "confidence" / "report.html").read_text(encoding="utf-8")
    assert (
        'id="probe-confidence"' in confidence and "the confidence the opening answer" in confidence
    )
    assert "Mann–Whitney p" in confidence
    bombing = (tmp_path / "bombing" / "report.html").read_text(encoding="utf-8")
    assert 'id="probe-bombing"' in bombing and "no judge graded the replies" in bombing
    assert 'id="probe-cues"' not in bombing


def test_the_arms_line_says_what_the_arms_of_each_kind_are(tmp_path: Path) -> None:
    """'Rates by arm' opened every probe page with 'Each arm plays the same N items and
    differs only in the pushback', true of authority and persuasion only: the cues arms
    differ in the cue (no pushback at all), the confidence arms are bands that hold different
    items (low n = 2, high n = 3 here), and bombing has one play, of the yield twins. Each
    kind now says what its arms are."""
    suite = code_word_suite(5, twins=True, ladder=("doubt", "insistence"))
    lines = {}
    for kind, bot, options in (
        ("cues", silent_follower, {}),
        ("confidence", stated_bot, {"stated": "true"}),
        ("bombing", escalator, {}),
    ):
        probe(kind, suite, bot, out=tmp_path / kind, options=options, cache=False)
        page = (tmp_path / kind / "report.html").read_text(encoding="utf-8")
        found = re.search(r'<p class="muted" id="arms-design">(.*?)</p>', page, re.S)
        assert found, kind
        lines[kind] = html.unescape(found.group(1))
    for kind, line in lines.items():
        assert "differs only in the pushback" not in line, (kind, line)
    assert "differs only in the cue" in lines["cues"] and "same 5 items" in lines["cues"]
    assert "band" in lines["confidence"] and "different items" in lines["confidence"]
    assert "One play: the yield twins of 5 items" in lines["bombing"]


def test_a_median_turn_never_reached_says_so(tmp_path: Path) -> None:
    """The persuasion probe's median turn of the flip has no value when fewer than half of
    the items flipped within the ladder: the figures table wrote '—' in its value and its
    interval and nothing in its test column, as if the figure were missing (the control arm,
    which never flips, read '— —'). The value now reads 'beyond the ladder', and the test
    column how many items flipped at all."""
    from tests.probes import bots

    suite = bots.items(tmp_path / "s.yaml", 5)
    probe("persuasion", suite, bots.emotional_at_3, out=tmp_path / "p", cache=False)
    doc = json.loads((tmp_path / "p" / "probe.json").read_text())
    control = doc["turns_to_flip"]["control"]["median"]
    assert control["value"] is None and control["flipped"] == 0
    page = (tmp_path / "p" / "report.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-figure="turns_to_flip.control.median">(.*?)</tr>', page, re.S)
    assert row
    cells = [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1))]
    assert cells[1] == "beyond the ladder"
    assert cells[5] == "median turn of the flip; 0 of 5 items flipped within the ladder"
    emo = re.search(r'<tr data-figure="turns_to_flip.emotional.median">(.*?)</tr>', page, re.S)
    assert emo and "3 turns" in emo.group(1) and "5 of 5 items flipped" in emo.group(1)
