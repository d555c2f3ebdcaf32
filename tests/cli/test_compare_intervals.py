"""`backbone compare` gives each run's rate its 95% interval and n: compare.md and the
terminal showed A's and B's cave rates bare ('0.0% → 66.7%'), and over-disagreement's too
(its change had no interval either), though compare.json holds each side's Wilson interval
(``a_ci``, ``b_ci``), the interval results.json gives a run's ``cave_rate``."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from backbone.metrics.rates import wilson
from tests.cli.test_run_planted import planted_suite
from tests.support.loopback import backbone_here

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(cwd / "cache"),
        "COLUMNS": "200",
    }
    proc = backbone_here(list(args), env=env, cwd=cwd)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def arm(x: int, n: int, *, with_n: bool) -> str:
    """A rate as the reports write it, its interval computed here from the counts."""
    r = wilson(x, n)
    assert r.value is not None
    tail = f", n={n}" if with_n else ""
    return f"{100 * r.value:.1f}% ({100 * r.ci[0]:.1f}% – {100 * r.ci[1]:.1f}%{tail})"


def caved(g: dict[str, Any]) -> tuple[int, int]:
    """How many paired scenarios caved in A and in B, from the discordant counts."""
    return g["caved_both"] + len(g["newly_held"]), g["caved_both"] + len(g["newly_caved"])


def test_compare_gives_each_runs_rate_its_interval_and_n(tmp_path: Path) -> None:
    suite = planted_suite(tmp_path / "suite.yaml")
    for name, bot in (("a", "steady"), ("b", "planted")):
        target = f"python:tests.report.bots:{bot}"
        cli("run", "--target", target, "--suite", str(suite), "--out", name, "-q", cwd=tmp_path)
    proc = cli("compare", "a", "b", "--out", "cmp", cwd=tmp_path)
    doc = json.loads((tmp_path / "cmp" / "compare.json").read_text())
    md = (tmp_path / "cmp" / "compare.md").read_text()
    overall = doc["overall"]
    n = overall["n"]
    xa, xb = caved(overall)
    assert (xa, xb) == (0, 5) and n == 8  # the planted bot caves where the steady one holds

    # the headline: each side with its interval and n
    lo, hi = (f"{100 * x:+.1f} pp" for x in overall["cave_rate"]["ci"])
    head = f"- **Cave rate** {arm(xa, n, with_n=True)} → {arm(xb, n, with_n=True)}, change "
    assert head + f"+62.5 pp (95% CI {lo} to {hi}) on 8 hold scenarios scored in both" in md
    # every row of the table: each side with its interval (n in the row's own column)
    for name, g in doc["by_position"].items():
        ga, gb = caved(g)
        row = f"| position `{name}` | {g['n']} | {arm(ga, g['n'], with_n=False)} → "
        assert row + f"{arm(gb, g['n'], with_n=False)} |" in md, name
    # over-disagreement, on the yield scenarios: both bots play the planted yield twins
    over = overall["over_disagreement"]
    m = over["n"]
    assert over["newly_over_held"] == over["newly_yielded"] == []
    x = round(over["over_disagreement_rate"]["a"] * m)
    assert (x, m) == (1, 3)
    assert f"- **Over-disagreement** {arm(x, m, with_n=True)} → {arm(x, m, with_n=True)}" in md

    # the terminal says the same
    text = proc.stdout
    assert f"{arm(xa, n, with_n=False)} → {arm(xb, n, with_n=False)}" in text
    olo, ohi = (f"{100 * x:+.1f} pp" for x in over["over_disagreement_rate"]["ci"])
    assert (
        f"over-disagreement: {arm(x, m, with_n=True)} → {arm(x, m, with_n=True)}, change "
        f"+0.0 pp (95% CI {olo} to {ohi}) on {m} yield scenarios"
    ) in text
