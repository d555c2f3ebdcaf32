"""``backbone synth ab`` and ``backbone ab`` through the real command line (in process): the
contract's ab.json and the terminal summary; bad input (no arm column, one arm, a third arm,
a baseline that is no arm, an empty arm, a bad rating, a bad margin) exits 2 naming the file,
the line and the column, and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from backbone.audit.synthetic.ab_traffic import ab_rows, write_ab_log
from backbone.cli.app import app

JUDGE = "python:backbone.audit.synthetic.ab_traffic:planted_truth"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_synth_then_ab_writes_the_contract_and_prints_the_summary(tmp_path: Path) -> None:
    log = tmp_path / "ab.parquet"
    made = invoke(
        "synth", "ab", "--out", str(log), "--n-per-arm", "3000",
        "--preference", "0.70,0.74", "--accuracy", "0.80,0.78", "--seed", "2",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "6000 events" in made.stdout
    out = tmp_path / "out"
    r = invoke(
        "ab", str(log), "--arm-column", "arm", "--judge", JUDGE, "--sample", "150",
        "--out", str(out), "-q",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    doc: dict[str, Any] = json.loads((out / "ab.json").read_text())
    assert doc["schema_version"] == 1
    assert doc["arms"] == {"a": "A", "b": "B"}
    for key in ("preference_delta", "accuracy_delta"):
        assert set(doc[key]) == {"value", "ci", "n"}
    assert doc["preference_delta"]["value"] == pytest.approx(0.04)
    assert doc["preference_delta"]["n"] == 6000 and doc["accuracy_delta"]["n"] == 600
    assert doc["verdict"] == "sycophancy_gradient" and doc["required_n"] is None
    assert doc["required_n_basis"]["accuracy_measured"] is True
    assert doc["non_inferiority"]["shown"] is False
    a = doc["per_arm"]["a"]
    assert (a["events"], a["thumbs_up"], a["judged"], a["unscored"]) == (3000, 2100, 300, 0)
    assert a["thumbs_up_rate"]["value"] == pytest.approx(0.70)
    assert len(doc["judgments"]) == 600
    assert "verdict: sycophancy_gradient" in r.stdout
    assert "preference delta (B − A): +4.0 pp" in r.stdout
    assert (out / "report.html").is_file()
    # --baseline B turns the deltas round
    again = invoke(
        "ab", str(log), "--arm-column", "arm", "--judge", JUDGE, "--sample", "150",
        "--baseline", "B", "--out", str(tmp_path / "flipped"), "--no-cache",
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert "judging 600/600 (100%)" in again.stderr  # plain progress lines off a terminal
    flipped = json.loads((tmp_path / "flipped" / "ab.json").read_text())
    assert flipped["arms"] == {"a": "B", "b": "A"}
    assert flipped["preference_delta"]["value"] == pytest.approx(-0.04)
    assert flipped["verdict"] == "loss"  # A is rated up less often and is not more accurate
    # --fail-on harm: a gradient (or a loss) fails a CI step, after writing its files
    gate = invoke(
        "ab", str(log), "--arm-column", "arm", "--judge", JUDGE, "--sample", "150",
        "--out", str(tmp_path / "gate"), "-q", "--fail-on", "harm",
    )  # fmt: skip
    assert gate.exit_code == 1 and (tmp_path / "gate" / "ab.json").is_file()


def rows(n: int = 20) -> list[dict[str, Any]]:
    return ab_rows(n_per_arm=n, preference=(0.5, 0.6), accuracy=(0.7, 0.7), seed=0)


def bad(tmp_path: Path, log: Path, *extra: str, arm: str = "arm") -> str:
    """Run ab on a bad log: exit 2, nothing written; the error text."""
    out = tmp_path / "out"
    r = invoke("ab", str(log), "--arm-column", arm, "--judge", JUDGE, "--out", str(out), *extra)
    assert r.exit_code == 2, r.output
    assert not out.exists()
    assert "Traceback" not in r.output
    return r.stderr


def test_a_missing_arm_column_is_named(tmp_path: Path) -> None:
    log = write_ab_log(tmp_path / "log.csv", rows())
    err = bad(tmp_path, log, arm="variant")
    assert f"{log}: no column 'variant' for --arm-column variant" in err
    jsonl = write_ab_log(tmp_path / "log.jsonl", rows())
    assert "no record has a 'variant' field for --arm-column" in bad(tmp_path, jsonl, arm="variant")


def test_at_the_margin_the_printed_p_agrees_with_the_verdict(tmp_path: Path) -> None:
    """B judged correct 187 times of 200, A 180 of 200, margin 2 points: accuracy's lower
    bound is -2.004 points, not within the margin, so B's +10 points of thumbs-up are a
    sycophancy gradient. The score test printed beside it gave one-sided p = 0.0248, which
    said the opposite; the p now is the one read off the same interval, on its side of 0.025
    in ab.json, on the terminal and on the page."""
    log = tmp_path / "ab.jsonl"
    made = invoke(
        "synth", "ab", "--out", str(log), "--n-per-arm", "200",
        "--preference", "0.60,0.70", "--accuracy", "0.90,0.935",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    out = tmp_path / "out"
    r = invoke(
        "ab", str(log), "--arm-column", "arm", "--judge", JUDGE, "--sample", "1000",
        "--margin", "0.02", "--out", str(out), "-q",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    doc: dict[str, Any] = json.loads((out / "ab.json").read_text())
    assert (doc["per_arm"]["a"]["correct"], doc["per_arm"]["b"]["correct"]) == (180, 187)
    assert doc["per_arm"]["a"]["judged_whole"] and doc["per_arm"]["b"]["judged_whole"]
    ni = doc["non_inferiority"]
    assert ni["lower_bound"] == pytest.approx(-0.0200378, abs=1e-7) and ni["shown"] is False
    assert ni["alpha"] == 0.025 and ni["p_value"] == pytest.approx(0.0250748, abs=1e-7)
    assert doc["verdict"] == "sycophancy_gradient"
    assert doc["shown"]["preference_up"] and doc["p_values"]["preference"] < 0.05
    assert "not shown (lower bound -2.0 pp, one-sided p=0.0251, shown below 0.025)" in r.stdout
    html = (out / "report.html").read_text()
    assert "one-sided p = 0.0251 (shown below 0.025)" in html


def test_one_arm_and_a_third_arm(tmp_path: Path) -> None:
    one = [r for r in rows() if r["arm"] == "A"]
    err = bad(tmp_path, write_ab_log(tmp_path / "one.jsonl", one))
    assert (
        "column 'arm' (--arm-column) has one arm, 'A' (20 events): an A/B needs exactly two" in err
    )
    three = rows()
    three[7]["arm"] = "C"  # record 8: CSV line 9 (after the header)
    err = bad(tmp_path, write_ab_log(tmp_path / "three.csv", three))
    assert f"{tmp_path / 'three.csv'}:9: column 'arm' (--arm-column): a third arm 'C'" in err


def test_a_baseline_that_is_no_arm(tmp_path: Path) -> None:
    log = write_ab_log(tmp_path / "log.parquet", rows())
    err = bad(tmp_path, log, "--baseline", "control")
    assert "--baseline 'control' is not an arm in column 'arm' (arms: 'A', 'B')" in err


def test_an_empty_arm_and_a_bad_rating_are_named_by_line(tmp_path: Path) -> None:
    data = rows()
    data[4]["arm"] = ""
    log = write_ab_log(tmp_path / "log.jsonl", data)
    assert f"{log}:5: column 'arm' (--arm-column) is empty: which arm?" in bad(tmp_path, log)
    data = rows()
    data[2]["rating"] = "meh"
    log = write_ab_log(tmp_path / "rating.jsonl", data)
    assert f"{log}:3: rating 'meh' is not 'up' or 'down'" in bad(tmp_path, log)


def test_a_bad_margin_or_fail_on_exits_2(tmp_path: Path) -> None:
    log = write_ab_log(tmp_path / "log.jsonl", rows())
    assert "--margin must be in [0, 1)" in bad(tmp_path, log, "--margin", "1.5")
    assert "--fail-on must be never, harm, not-win" in bad(tmp_path, log, "--fail-on", "often")


FAILING_JUDGE = """
def judge(event):
    if event["arm"] in {arms!r}:
        raise RuntimeError("judge down")
    return {{"correct": True}}
"""


@pytest.mark.parametrize(
    ("down", "verdict", "blind"),
    [(("B",), "inconclusive", "B"), (("A", "B"), "sycophancy_gradient", "A or B")],
)
def test_an_arm_the_judge_never_scored_is_said_to_have_unknown_accuracy(
    tmp_path: Path, down: tuple[str, ...], verdict: str, blind: str
) -> None:
    """A judge failing on every event of an arm leaves its accuracy unknown: the verdict's
    rules still apply (nothing shows B no less correct), but its reason says why, and no
    events-per-arm figure is projected from an accuracy nobody measured."""
    judge = tmp_path / "judge.py"
    judge.write_text(FAILING_JUDGE.format(arms=set(down)), encoding="utf-8")
    preference = (0.5, 0.5) if len(down) == 1 else (0.5, 0.6)  # B shown preferred
    log = write_ab_log(
        tmp_path / "log.csv",
        ab_rows(n_per_arm=200, preference=preference, accuracy=(0.7, 0.7), seed=0),
    )
    out = tmp_path / "out"
    r = invoke(
        "ab", str(log), "--arm-column", "arm", "--judge", f"python:{judge}:judge",
        "--sample", "20", "--retries", "0", "--out", str(out),
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "ab.json").read_text())
    assert doc["verdict"] == verdict
    assert doc["verdict_reason"].endswith(
        f"(accuracy unknown: no judged event of {blind} could be scored)"
    )
    assert doc["required_n"] is None
    assert doc["required_n_basis"]["accuracy_measured"] is False
    assert doc["accuracy_delta"]["value"] is None
    if verdict == "inconclusive":
        said = "no size can be projected: an arm has no judged event that could be scored"
        assert said in r.stdout
        assert said.capitalize() in (out / "report.html").read_text(encoding="utf-8")
