"""One way to write each figure on a page: a p-value by one rule in the table and in the words
beside it, and a chart that says what its n counts in the table's words. The reports are
made through the real command line (in process) from the seeded generators' data."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.core.formatting import pval, pval_at

E_NOTATION = re.compile(r"\d[eE][-+]?\d")


def p_is(p: float) -> str:
    """How words write a p-value after "p": by the table's rule, '< 0.001' below it."""
    return "< 0.001" if p < 0.001 else f"= {pval(p)}"


def invoke(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def test_the_tells_why_writes_p_by_the_tables_rule(tmp_path: Path) -> None:
    """The tells table showed a p-value below 0.001 as '<0.001' while the 'why' beside it,
    in tells.json and on the page, wrote it in e-notation ('p = 9.6e-06, Holm-corrected
    1.92e-05 <= alpha 0.05'). The words now use the table's rule: 'p < 0.001, Holm-corrected
    <0.001'."""
    tl = tmp_path / "tl"
    on = "satisfaction_vs_task,power_user_churn,ticket_shift"
    invoke("synth", "tells", "--out", str(tl), "--on", on, "--seed", "1")
    out = tmp_path / "o"
    invoke(
        "tells", str(tl / "feedback.jsonl"), "--task-metrics", str(tl / "task_metrics.csv"),
        "--tickets", str(tl / "tickets.csv"), "--evals", str(tl / "evals.csv"),
        "--out", str(out),
    )  # fmt: skip
    doc = json.loads((out / "tells.json").read_text())
    page = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    alpha = doc["alpha"]
    tells = {t["name"]: t for t in doc["tells"]}
    assert sum(t["on"] for t in tells.values()) == 3
    for name, t in tells.items():
        why = t["why"]
        assert not E_NOTATION.search(why), (name, why)
        assert f"p {p_is(t['p_unadjusted'])}, Holm-corrected " in why, (name, why)
        assert f"Holm-corrected {pval_at(t['p_value'], alpha)} " in why, (name, why)
        assert why in page
        row = re.search(rf'<tr data-tell="{name}"[^>]*>(.*?)</tr>', page, re.S)
        assert row and f">{pval(t['p_value'])}<" in row.group(1), name
    assert tells["power_user_churn"]["p_value"] < 0.001  # the case the rule is about
    assert "p < 0.001, Holm-corrected <0.001 <= alpha" in tells["power_user_churn"]["why"]
    task = tells["satisfaction_vs_task"]["evidence"]["task_index"]["p_value"]
    assert "the task index is not rising (slope " in tells["satisfaction_vs_task"]["why"]
    assert f"p {p_is(task)})" in tells["satisfaction_vs_task"]["why"]
