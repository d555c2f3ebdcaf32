"""The run report of a ``--samples K`` run, opened in a real headless browser (Debian's
Chromium through Playwright, as tests/report/test_reports_browser.py): every sample's
conversation can be read, not only sample 0's. Each conversation shows sample 0 and folds
for samples 1..K-1 with their outcome and the turn where the position fell; a scenario that
caved only in a later sample is opened at that sample; its summary lists the K outcomes; and
a filter finds scenarios by the outcome of any sample."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import sampled

playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")

ROOT = Path(__file__).resolve().parents[2]
BACKBONE = str(Path(sys.executable).parent / "backbone")
CHROMIUM = "/usr/bin/chromium"
IDS = [*sampled.IDS, "late-1-of-3"]  # late-1-of-3 holds in samples 0 and 1, caves in 2


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sampled")
    sampled.write_suite(tmp / "suite.yaml", ids=IDS)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(tmp / "cache"),
    }
    args = ["run", "-t", "python:tests.support.sampled:bot", "-s", "suite.yaml",
            "--samples", "3", "-c", "1", "-o", "run", "-q"]  # fmt: skip
    done = subprocess.run(
        [BACKBONE, *args], cwd=tmp, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return tmp / "run"


def text(locator: Any) -> str:
    """An element's text, shown or not, with its whitespace as a reader sees it."""
    return " ".join(str(locator.text_content()).split())


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def test_every_samples_conversation_can_be_read(run: Path, browser: Any, tmp_path: Path) -> None:
    results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    planted = {**sampled.PLANTED, "late-1-of-3": ["held", "held", "caved"]}
    assert {s["id"]: s["samples"] for s in results["scenarios"]} == planted
    lines = [json.loads(x) for x in (run / "transcripts.jsonl").read_text().splitlines()]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((run / "report.html").as_uri(), wait_until="load")
    assert page.evaluate("document.documentElement.dataset.ready") == "1"

    # one conversation a scenario, each with a fold for every other sample
    assert page.locator("#browser > details.conv").count() == len(IDS)
    assert page.locator("#browser details.conv details.sample").count() == len(IDS) * 2
    for sid, outcomes in planted.items():
        conv = page.locator(f"[id='t-{sid}']")
        assert f"samples: {' · '.join(outcomes)}" in text(conv.locator("summary").first)
        for k in (1, 2):
            fold = page.locator(f"[id='t-{sid}-s{k}']")
            head = text(fold.locator("summary"))  # closed folds too
            assert head.startswith(f"sample {k} {outcomes[k]}")
            assert ("at turn 1 (doubt)" in head) is (outcomes[k] == "caved")
    # every verdict of every sample is on the page, and each fall is marked where it fell
    verdicts = sum(
        1
        for t in lines
        for conversation in [t["messages"], *(x["messages"] for x in t["samples"])]
        for m in conversation
        if m.get("verdict")
    )
    assert page.locator("#browser .turn .verdict").count() == verdicts == len(IDS) * 3 * 5
    falls = sum(o.count("caved") for o in [" ".join(v) for v in planted.values()])
    assert page.locator("#browser .msg.assistant.flip").count() == falls == 7

    # a scenario that held in sample 0 and caved in sample 2 opens at the cave
    late = page.locator("[id='t-late-1-of-3']")
    assert late.evaluate("e => e.open") is True
    assert page.locator("[id='t-late-1-of-3-s2']").evaluate("e => e.open") is True
    assert page.locator("[id='t-late-1-of-3-s1']").evaluate("e => e.open") is False
    fell = page.locator("[id='t-late-1-of-3-s2'] .msg.assistant.flip")
    assert fell.is_visible() and sampled.WRONG in fell.inner_text()
    assert "turn 1" in fell.inner_text() and "position fell here" in fell.inner_text()
    # the held sample opens on a click and reads as it was played
    held = page.locator("[id='t-late-1-of-3-s1'] .msg.assistant")
    assert not held.first.is_visible()
    page.click("[id='t-late-1-of-3-s1'] > summary")
    assert held.count() == 5 and held.nth(1).is_visible()
    assert sampled.RIGHT in held.nth(1).inner_text() and held.nth(1).get_attribute("class") == (
        "msg assistant"
    )

    # filters: outcome is sample 0's; "outcome in any sample" finds the later caves too
    def visible() -> list[str]:
        ids: list[str] = page.eval_on_selector_all(
            "#browser > details.conv:not([hidden])", "els => els.map(e => e.id.slice(2))"
        )
        return ids

    page.select_option("select[data-filter=outcome]", "caved")
    assert visible() == ["caves", "caves-1-of-3", "caves-2-of-3"]
    page.select_option("select[data-filter=outcome]", "")
    page.select_option("select[data-filter=sampled]", "caved")
    assert visible() == ["caves", "caves-1-of-3", "caves-2-of-3", "late-1-of-3"]
    page.select_option("select[data-filter=sampled]", "held")
    assert visible() == ["holds", "caves-1-of-3", "caves-2-of-3", "late-1-of-3"]
    assert errors == []
    shot = tmp_path / "samples.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.close()


def test_a_one_sample_run_shows_no_sample_folds_nor_their_filter() -> None:
    from backbone.record import load_run
    from backbone.report.html import render_html

    page = render_html(load_run(ROOT / "tests" / "fixtures" / "runs" / "plain", transcripts=True))
    assert 'data-filter="sampled"' not in page and 'class="sample' not in page
    assert "samples:" not in page


def test_the_repeats_have_a_section_of_their_own(run: Path) -> None:
    """A --samples K run's summary.repeats (each sample's cave and over-disagreement rate,
    their spread, the mean cave probability, the flaky scenarios and their rate) was in
    results.json and the terminal only: the page showed the samples inside each
    conversation, but no figure of them. It now has a section with each, as the JSON holds
    it."""
    import json
    import re
    from html import unescape

    from backbone.core.formatting import pct

    rep = json.loads((run / "results.json").read_text())["summary"]["repeats"]
    page = (run / "report.html").read_text(encoding="utf-8")
    assert '<section class="part" id="repeats">' in page
    part = page[page.index('<section class="part" id="repeats">') :]
    part = unescape(re.sub(r"<[^>]+>", " ", part[: part.index("</section>")]))
    part = " ".join(part.split())
    for k, r in rep["per_sample_cave_rate"].items():
        o = rep["per_sample_over_disagreement_rate"][k]
        row = f"{k} {pct(r['value'])} ({pct(r['ci'][0])} – {pct(r['ci'][1])}, n {r['n']})"
        assert row in part, row
        assert f"{pct(o['value'])} ({pct(o['ci'][0])} – {pct(o['ci'][1])}, n {o['n']})" in part
    m = rep["mean_cave_probability"]
    assert f"{pct(m['value'])} ({pct(m['ci'][0])} – {pct(m['ci'][1])}, n {m['n']})" in part
    s = rep["spread"]
    assert f"from {pct(s['min'])} to {pct(s['max'])}" in part
    f = rep["flaky_rate"]
    assert rep["flaky"] and f"{len(rep['flaky'])} flaky" in part
    assert f"{pct(f['value'])} ({pct(f['ci'][0])} – {pct(f['ci'][1])}, n {f['n']})" in part
    assert all(i in part for i in rep["flaky"])
