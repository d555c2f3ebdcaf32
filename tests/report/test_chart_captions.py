"""Two charts side by side say which is which: the ab report's two arms charts (thumbs-up
rate, judged-correct share) and the monitor report's two domain charts (cave rate,
sycophancy rate) were drawn bare, one beside the other, their names only in an SVG title a
reader sees on hover. Each now has a caption above it. The reports are made through the
real command line (in process) from the seeded generators' logs."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from backbone.audit.synthetic.ab_traffic import ab_rows, write_ab_log
from backbone.cli.app import app
from backbone.monitor.synthetic import DomainPlan, generate

FIGURE = re.compile(
    r'<figure[^>]*><figcaption class="muted">([^<]+)</figcaption>'
    r'<div class="chart-box"><svg class="chart" data-chart="bars"[^>]*aria-label="([^"]+)"'
)


def section(page: str, ident: str) -> str:
    start = page.index(f'<section class="part" id="{ident}">')
    return page[start : page.index("</section>", start)]


def captions(part: str) -> list[tuple[str, str]]:
    """(caption, the chart's own label) of each chart of ``part``; every chart has one."""
    found = FIGURE.findall(part)
    assert len(found) == part.count('<svg class="chart"'), part[:400]
    return found


def test_the_ab_arms_charts_are_captioned(tmp_path: Path) -> None:
    rows = ab_rows(n_per_arm=40, preference=(0.5, 0.7), accuracy=(0.7, 0.6), seed=2)
    write_ab_log(tmp_path / "ab.jsonl", rows)
    judge = "python:backbone.audit.synthetic.ab_traffic:planted_truth"
    args = ["ab", str(tmp_path / "ab.jsonl"), "--arm-column", "arm", "--judge", judge]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    shown = captions(section(page, "ab-arms"))
    assert [c for c, _ in shown] == [
        "thumbs-up rate per arm (95% interval)",
        "judged-correct share per arm (95% interval)",
    ]
    assert [label for _, label in shown] == [
        "thumbs-up rate per arm",
        "judged-correct share per arm",
    ]


def test_the_monitor_domain_charts_are_captioned(tmp_path: Path) -> None:
    plans = [
        DomainPlan("health", 30, pushback_share=0.4, cave_rate=0.3),
        DomainPlan("tax", 30, pushback_share=0.5, cave_rate=0.5),
    ]
    log = generate(plans, seed=1).write_jsonl(tmp_path / "log.jsonl")
    judge = "python:backbone.monitor.synthetic:planted_judge"
    args = ["monitor", str(log), "--judge", judge, "--out", str(tmp_path / "mon"), "-q"]
    result = CliRunner().invoke(app, [*args, "--no-cache"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "mon" / "report.html").read_text(encoding="utf-8")
    shown = captions(section(page, "monitor-domains"))
    assert [c.split(" (")[0] for c, _ in shown] == [
        "cave rate by domain",
        "sycophancy rate by domain",
    ]
