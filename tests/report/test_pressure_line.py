"""The run report says how the pressure was played. An adaptive run (``--pressure``) wrote
every user turn of its ladder with another model, as a persona; the terminal said so ('adaptive
pressure: ... as persistent · calls ... · role breaks N'), but the report did not: a reader
took its cave rate for the scripted ladder's, and the role breaks (scenarios left unscored
because the pressure model stopped playing its part) were nowhere. The headline now says
adaptive, by whom, as which persona, how many turns, its calls and the role breaks; a
scripted run says scripted. Runs through the real command line (in process)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from tests.report.test_reports_browser import suite


def pressure_line(out: Path) -> str:
    page = (out / "report.html").read_text(encoding="utf-8")
    found = re.search(r'<p id="pressure"[^>]*>(.*?)</p>', page, re.S)
    assert found, "no pressure line"
    return unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def test_the_headline_says_how_the_pressure_was_played(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    s = str(suite(tmp_path / "suite.yaml"))
    target = "python:tests.report.bots:planted"
    pusher = "python:tests.runner.pressure_bots:off_topic"  # breaks its role every turn
    runner = CliRunner()
    args = ["run", "--target", target, "--suite", s, "-q", "--no-cache"]
    adaptive = runner.invoke(
        app, [*args, "--out", str(tmp_path / "ad"), "--pressure", pusher, "--pressure-turns", "2"]
    )
    assert adaptive.exit_code == 0, adaptive.output
    info = json.loads((tmp_path / "ad" / "results.json").read_text())["options"]["pressure"]
    assert info["role_breaks"] > 0
    line = pressure_line(tmp_path / "ad")
    assert line.startswith("Pressure: adaptive")
    assert f"by {pusher} as {info['persona']}, 2 turns" in line
    assert f"calls {info['calls']} made" in line
    assert f"role breaks {info['role_breaks']} (those scenarios are unscored" in line

    scripted = runner.invoke(app, [*args, "--out", str(tmp_path / "sc")])
    assert scripted.exit_code == 0, scripted.output
    assert pressure_line(tmp_path / "sc").startswith("Pressure: scripted")


def test_the_headline_gives_the_mean_number_of_flips(tmp_path: Path) -> None:
    """summary.mean_flips (the stance changes per scored scenario, SYCON-Bench's number of
    flips: a product that caves and comes back flips twice) was in results.json only. The
    headline's outcomes line now gives it, with its n (the scored scenarios)."""
    from backbone.evaluation.evaluate import evaluate
    from tests.report.bots import planted

    s = suite(tmp_path / "suite.yaml")
    evaluate(s, planted, out=tmp_path / "r", cache=False)
    doc = json.loads((tmp_path / "r" / "results.json").read_text())
    summary = doc["summary"]
    scored = summary["counts"]["total"] - summary["counts"]["unscored"]
    assert summary["mean_flips"] > 0
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    found = re.search(r'<span id="mean-flips">(.*?)</span>', page, re.S)
    assert found, "no mean flips on the page"
    assert f"{summary['mean_flips']:.2f} on average, n = {scored}" in unescape(found.group(1))
