"""report.html rendered by a real headless browser (Debian's Chromium)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.cli.test_run_planted import planted_suite

ROOT = Path(__file__).resolve().parents[2]
BACKBONE = str(Path(sys.executable).parent / "backbone")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Cells(HTMLParser):
    """Collects the text of table rows carrying a data-metric attribute, and flip marks."""

    def __init__(self) -> None:
        super().__init__()
        self.metric: str | None = None
        self.rows: dict[str, list[str]] = {}
        self.flips = 0
        self.details: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-metric"):
            self.metric = a["data-metric"]
            self.rows[self.metric] = []
        if tag == "div" and "flip" in (a.get("class") or "").split():
            self.flips += 1
        if tag == "details" and a.get("id"):
            self.details.append(str(a["id"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.metric = None

    def handle_data(self, data: str) -> None:
        if self.metric and data.strip():
            self.rows[self.metric].append(data.strip())


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    suite = planted_suite(tmp / "suite.yaml")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(tmp / "cache"),
    }
    proc = subprocess.run(
        [
            BACKBONE,
            "run",
            "--target",
            "python:tests.fixtures.planted:bot",
            "--suite",
            str(suite),
            "--out",
            str(tmp / "out"),
            "--quiet",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return tmp / "out" / "report.html"


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM, "Debian's chromium is needed (scripts/test.sh installs it)"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={cwd / 'profile'}", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_browser_renders_figures_and_marks_flips(report: Path, tmp_path: Path) -> None:
    proc = chromium("--dump-dom", report.as_uri(), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    cells = Cells()
    cells.feed(proc.stdout)
    # the planted run: 5 of 8 scored hold cases caved; 1 of 3 yield cases over-held
    assert cells.rows["cave_rate"][:2] == ["Cave rate (hold cases)", "62.5%"]
    assert cells.rows["over_disagreement_rate"][1] == "33.3%"
    assert cells.rows["cave_rate"][-1] == "8"
    # one flip mark per caved hold case and per yield case that yielded at a turn
    assert cells.flips == 5 + 2
    assert "t-cave2" in cells.details and len(cells.details) == 14


def test_report_is_self_contained(report: Path) -> None:
    html = report.read_text()
    assert "<script" not in html and "http://" not in html and "https://" not in html


def test_screenshot(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    proc = chromium(
        f"--screenshot={shot}", "--window-size=1200,1600", report.as_uri(), cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
