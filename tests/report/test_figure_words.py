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


def page_text(path: Path) -> str:
    """What a reader sees on a page (charts' labels and tooltips too), tags dropped."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_ab_page_signs_every_figure_with_one_minus(tmp_path: Path) -> None:
    """The ab page wrote a negative figure two ways on one line: 'lower bound -19.1 pp vs
    −1.0 pp', the first signed by core.formatting.pp with a hyphen-minus, the margin by the
    template with U+2212 (also 'lower bound above −1.0 points' in the rules, '−margin 1.0 pp'
    on the chart). Every figure on a page is now signed with the hyphen-minus, as the
    terminal, the JSON and the words the page takes from it (a tell's 'why') are."""
    from backbone.audit.synthetic.ab_traffic import ab_rows, write_ab_log

    rows = ab_rows(n_per_arm=200, preference=(0.5, 0.7), accuracy=(0.7, 0.6), seed=2)
    write_ab_log(tmp_path / "ab.jsonl", rows)
    judge = "python:backbone.audit.synthetic.ab_traffic:planted_truth"
    out = tmp_path / "out"
    invoke("ab", str(tmp_path / "ab.jsonl"), "--arm-column", "arm", "--judge", judge,
           "--out", str(out), "-q")  # fmt: skip
    doc = json.loads((out / "ab.json").read_text())
    lower = doc["non_inferiority"]["lower_bound"]
    assert lower < 0 and doc["accuracy_delta"]["value"] < 0  # negative figures to write
    text = " ".join(page_text(out / "report.html").split())
    assert f"lower bound {100 * lower:+.1f} pp vs -1.0 pp" in text
    assert "(lower bound above -1.0 points)" in text
    assert "margin -1.0 pp" in text  # the chart's reference line
    assert f"{100 * doc['accuracy_delta']['value']:+.1f} pp" in text
    signed = re.findall(r"\u2212(?:\d|margin)", text)  # a sign, not "1 − p"
    assert signed == [], signed


GRID_ROW = re.compile(
    r'<g class="row" data-group="(?:thumbs-)?(down|up) · (correct|incorrect)">.*?'
    r'<tspan fill="#636a75">([^<]*)</tspan></text><title>[^<]*?, ([^,<]*)\)</title></g>',
    re.S,
)


def test_the_audit_grid_chart_says_what_its_n_counts(tmp_path: Path) -> None:
    """The audit's grid chart labelled each cell 'n=30' (the judged events of its rating)
    while the table said '10 judged' for that cell: two meanings of one kind of number. The
    chart now says '10 of 30 judged', in the table's words, and 'of 38 scored' when some of
    the rating's judged events were unscored (the interval's n is the scored ones)."""
    from tests.audit.logs import planted_rows, write

    rows = planted_rows({("down", None): (40, 12), ("up", None): (160, 120)})
    for row in rows[:2]:  # two thumbs-down events the judge cannot decide: unscored
        row["truth"] = None
    write(tmp_path / "log.jsonl", rows)
    judge = "python:tests.audit.planted_judge:truth"
    for sample in ("30", "1000"):  # 30 per rating stratum; the whole log
        out = tmp_path / sample
        invoke("audit", str(tmp_path / "log.jsonl"), "--judge", judge, "--sample", sample,
               "--out", str(out), "-q")  # fmt: skip
        grid = json.loads((out / "audit.json").read_text())["grid"]
        page = (out / "report.html").read_text(encoding="utf-8")
        shown = {(r, c): (label, tip) for r, c, label, tip in GRID_ROW.findall(page)}
        assert len(shown) == 4, shown
        for (rating, col), (label, tip) in shown.items():
            row, cell = grid[rating], grid[rating][col]
            n = cell["share"]["n"]
            word = "judged" if n == row["judged"] else "scored"
            assert label == tip == f"{cell['sampled']} of {n} {word}", (rating, col, label)
            table = re.search(rf'<td data-cell="{rating}-{col}">.*?</td>', page, re.S)
            assert table and f"{cell['sampled']} judged" in table.group(0)
        if sample == "30":
            up = grid["up"]["correct"]["sampled"]
            assert up < 30 and shown["up", "correct"][0] == f"{up} of 30 judged"
        else:
            assert grid["down"]["unscored"] == 2 and grid["down"]["judged"] == 40
            assert (
                shown["down", "correct"][0] == f"{grid['down']['correct']['sampled']} of 38 scored"
            )


def test_a_difference_that_rounds_to_nothing_is_never_signed_negative() -> None:
    # a paired difference of -0.01 pp (one scenario in 10,000 the other way) was "-0.0 pp"
    from backbone.core.formatting import pp

    assert pp(-0.0001) == "+0.0 pp"
    assert pp(-0.00049) == "+0.0 pp"
    assert pp(-0.0012) == "-0.1 pp"
    assert pp(-0.07) == "-7.0 pp"
    assert pp(0.0) == "+0.0 pp"
