"""`backbone compare` on scripted products with planted differences gives the exact
discordant scenarios, McNemar p-values and verdicts (through the real CLI).

Planted (see tests/gate/bots.py), 200 scenarios, 160 hold + 40 yield, positions p1..p4:
* A caves on 6 hold cases, hedges p2-h05, is initially wrong on p3-h40 and unscored on p4-h40.
* B = A + caves on 6 more, all in p2 (p2-h05 was hedged in A: hedged counts as not caved),
  unscored on p1-h40, over-holds p1-y01 and p1-y02.
* C = B + a swap in p3 (p3-h01 now holds, p3-h02 now caves).
* A2 behaves exactly as A; D swaps three of A's caves for three others (no net change).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from scipy.stats import binomtest
from statsmodels.stats.contingency_tables import mcnemar

from backbone.core.errors import InputError
from backbone.metrics.compare import compare_outcomes
from backbone.metrics.paired import minimum_detectable_change
from backbone.metrics.rates import wilson
from backbone.record import load_run
from tests.gate.conftest import PlantedRuns

P2_NEW = ["p2-h03", "p2-h04", "p2-h05", "p2-h06", "p2-h07", "p2-h08"]


def compare(planted: PlantedRuns, a: str, b: str) -> tuple[dict[str, Any], str]:
    out = planted.root / f"cmp-{a}-{b}"
    proc = planted.cli("compare", str(planted.run(a)), str(planted.run(b)), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "compare.json").read_text()), proc.stdout


@pytest.fixture(scope="module")
def ab(planted: PlantedRuns) -> tuple[dict[str, Any], str]:
    return compare(planted, "a", "b")


def exact_p(b: int, c: int) -> float:
    """The p-value two libraries give for these discordant counts."""
    p_scipy = binomtest(b, b + c, 0.5).pvalue
    p_sm = mcnemar([[100, b], [c, 100]], exact=True).pvalue
    assert p_scipy == pytest.approx(p_sm, abs=1e-12)
    return float(p_scipy)


def test_planted_regression_exact_counts_and_p(ab: tuple[dict[str, Any], str]) -> None:
    doc, _ = ab
    o = doc["overall"]
    assert o["newly_caved"] == P2_NEW
    assert o["newly_held"] == []
    assert (o["n"], o["caved_both"], o["held_both"]) == (157, 6, 145)
    assert o["p_value"] == exact_p(6, 0) == 0.03125
    assert o["verdict"] == "regressed"
    cr = o["cave_rate"]
    assert cr["a"] == pytest.approx(6 / 157)
    assert cr["b"] == pytest.approx(12 / 157)
    assert cr["diff"] == pytest.approx(6 / 157)
    assert cr["n"] == 157
    assert cr["a_ci"] == pytest.approx(list(wilson(6, 157).ci))
    lo, hi = cr["ci"]
    assert 0 < lo < 6 / 157 < hi < 0.1  # the paired bootstrap interval excludes no change
    # the statsmodels table with the planted concordant counts gives the same p
    assert mcnemar([[145, 6], [0, 6]], exact=True).pvalue == pytest.approx(o["p_value"])


def test_planted_regression_per_position(ab: tuple[dict[str, Any], str]) -> None:
    doc, _ = ab
    pos = doc["by_position"]
    assert set(pos) == {"p1", "p2", "p3", "p4"}
    p2 = pos["p2"]
    assert p2["newly_caved"] == P2_NEW and p2["newly_held"] == []
    assert p2["n"] == 40
    assert p2["cave_rate"]["a"] == pytest.approx(1 / 40)
    assert p2["cave_rate"]["b"] == pytest.approx(7 / 40)
    assert p2["p_value"] == 0.03125
    assert p2["q_value"] == 0.03125  # the only position where a change could be detected
    assert p2["verdict"] == "regressed"
    for name, n, caved in (("p1", 39, 2), ("p3", 39, 1), ("p4", 39, 2)):
        g = pos[name]
        assert (g["n"], g["newly_caved"], g["newly_held"]) == (n, [], [])
        assert g["cave_rate"]["a"] == g["cave_rate"]["b"] == pytest.approx(caved / n)
        assert g["p_value"] == 1.0
        assert g["q_value"] is None
        assert g["verdict"] == "no_change"


def test_pairing_rules_are_reported(ab: tuple[dict[str, Any], str]) -> None:
    doc, stdout = ab
    assert doc["matched"] == 200
    assert doc["excluded"] == {
        "only_in_a": [],
        "only_in_b": [],
        "unscored_in_a": ["p4-h40"],
        "unscored_in_b": ["p1-h40", "p4-h40"],
        "initially_wrong_in_a": ["p3-h40"],
        "initially_wrong_in_b": ["p3-h40"],
        "expect_differs": [],
        "ladder_differs": [],
    }
    assert "newly caved (6): p2-h03, p2-h04, p2-h05, p2-h06, p2-h07, p2-h08" in stdout
    assert "regressed" in stdout


def test_over_disagreement_tactic_and_domain(ab: tuple[dict[str, Any], str]) -> None:
    doc, _ = ab
    od = doc["overall"]["over_disagreement"]
    assert od["newly_over_held"] == ["p1-y01", "p1-y02"]
    assert od["newly_yielded"] == []
    assert od["n"] == 40
    assert od["over_disagreement_rate"]["a"] == pytest.approx(1 / 40)
    assert od["over_disagreement_rate"]["b"] == pytest.approx(3 / 40)
    assert od["p_value"] == exact_p(2, 0) == 0.5
    assert od["verdict"] == "no_change"
    assert doc["by_position"]["p1"]["over_disagreement"]["newly_over_held"] == ["p1-y01", "p1-y02"]
    # by tactic: the tactic the position now falls to
    doubt, insist = doc["by_tactic"]["doubt"], doc["by_tactic"]["insistence"]
    assert doubt["newly_caved"] == ["p2-h06", "p2-h07", "p2-h08"]
    assert insist["newly_caved"] == ["p2-h03", "p2-h04", "p2-h05"]
    assert doubt["p_value"] == insist["p_value"] == 0.25
    assert doubt["q_value"] is None and doubt["verdict"] == "no_change"
    assert doc["by_tactic"]["insistence"]["cave_rate"]["a"] == pytest.approx(6 / 157)
    # by domain: every new cave is a geo question
    geo, math = doc["by_domain"]["geo"], doc["by_domain"]["math"]
    assert (geo["n"], math["n"]) == (80, 77)
    assert geo["newly_caved"] == P2_NEW and geo["verdict"] == "regressed"
    assert math["verdict"] == "no_change"


def test_noise_elsewhere_hides_it_overall_but_not_per_position(planted: PlantedRuns) -> None:
    doc, _ = compare(planted, "a", "c")
    o = doc["overall"]
    assert o["newly_caved"] == [*P2_NEW, "p3-h02"]
    assert o["newly_held"] == ["p3-h01"]
    assert o["p_value"] == pytest.approx(exact_p(7, 1)) == pytest.approx(0.0703125)
    assert o["verdict"] == "no_change"
    assert o["mdc"] == pytest.approx(minimum_detectable_change(157, 8 / 157))
    p2, p3 = doc["by_position"]["p2"], doc["by_position"]["p3"]
    assert p2["verdict"] == "regressed" and p2["q_value"] == 0.03125
    assert (p3["newly_caved"], p3["newly_held"]) == (["p3-h02"], ["p3-h01"])
    assert p3["p_value"] == 1.0 and p3["q_value"] is None


def test_no_planted_difference_is_no_change(planted: PlantedRuns) -> None:
    doc, _ = compare(planted, "a", "d")
    o = doc["overall"]
    assert o["newly_caved"] == ["p1-h10", "p3-h10", "p4-h10"]
    assert o["newly_held"] == ["p1-h01", "p3-h01", "p4-h01"]
    assert o["p_value"] == 1.0
    assert o["cave_rate"]["diff"] == 0
    assert o["verdict"] == "no_change"
    assert o["n"] == 158  # p1-h40 is scored in both A and D
    assert o["mdc"] == pytest.approx(minimum_detectable_change(158, 6 / 158))
    for family in ("by_position", "by_tactic", "by_domain"):
        assert {g["verdict"] for g in doc[family].values()} == {"no_change"}
    assert doc["overall"]["over_disagreement"]["verdict"] == "no_change"


def test_identical_behaviour_is_no_change(planted: PlantedRuns) -> None:
    """A product that behaves exactly as A (another function, so no shared cache)."""
    a = load_run(planted.run("a"))
    a2 = load_run(planted.run("a2"))
    assert a2.target.spec != a.target.spec
    cmp = compare_outcomes(a.outcomes, a2.outcomes)
    o = cmp.overall
    assert (o.newly_caved, o.newly_held, o.p_value, o.verdict) == ([], [], 1.0, "no_change")
    lo, hi = o.cave_rate.ci
    assert lo < 0 < hi  # no change seen is not "no difference": the interval stays open
    assert o.mdc is not None and o.mdc > 0.03
    assert all(g.verdict == "no_change" for g in cmp.by_position.values())


def test_contract_fields(ab: tuple[dict[str, Any], str], planted: PlantedRuns) -> None:
    doc, _ = ab
    for group in [doc["overall"], *doc["by_position"].values()]:
        assert {"newly_caved", "newly_held", "cave_rate", "p_value", "verdict"} <= set(group)
        assert {"a", "b", "diff", "ci"} <= set(group["cave_rate"])
        assert group["verdict"] in ("regressed", "improved", "no_change")
    assert doc["a"]["target"] == "python:tests.gate.bots:bot_a"
    md = (planted.root / "cmp-a-b" / "compare.md").read_text()
    assert "**regressed**" in md and "`p2-h08`" in md


def test_compare_reversed_is_improved(planted: PlantedRuns) -> None:
    cmp = compare_outcomes(load_run(planted.run("b")).outcomes, load_run(planted.run("a")).outcomes)
    assert cmp.overall.newly_held == P2_NEW
    assert cmp.overall.verdict == "improved"
    assert cmp.by_position["p2"].verdict == "improved"


def test_unreadable_runs_exit_2(planted: PlantedRuns, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "results.json").write_text('{"scenarios": [\n  {"id": 1,\n')
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "results.json").write_text(
        json.dumps({"scenarios": [{"id": "x", "position": "p", "expect": "hold"}]})
    )
    a = str(planted.run("a"))
    cli_cases = [
        (tmp_path / "missing", "no such run directory"),
        (tmp_path / "broken", "results.json:3: not valid JSON"),
    ]
    for run_dir, message in cli_cases:
        proc = planted.cli("compare", a, str(run_dir), "--out", str(tmp_path / "out"))
        assert proc.returncode == 2, (run_dir, proc.stdout, proc.stderr)
        assert f"error: {run_dir}" in proc.stderr and message in proc.stderr
        assert "Traceback" not in proc.stderr
        assert not (tmp_path / "out").exists()
    for run_dir, message in (
        (tmp_path / "empty", "no results.json here"),
        (tmp_path / "bad", "scenarios[0] (id 'x'): outcome: Field required"),
    ):
        with pytest.raises(InputError) as exc:
            load_run(run_dir)
        assert message in str(exc.value)


def test_comparing_against_an_all_unscored_run_warns_that_nothing_was_compared(
    tmp_path: Path,
) -> None:
    """B failed on every call: no scenario is scored in both runs. ``compare.json`` keeps the
    contract (``verdict`` ``no_change``, n 0), and standard error says the verdict rests on
    nothing, with why each scenario was left out, even under ``--quiet``."""
    from tests.gate.planted_runs import write_main_and_down_runs
    from tests.support.loopback import backbone_here, cli_env

    write_main_and_down_runs(tmp_path)

    def compare(a: str, b: str) -> subprocess.CompletedProcess[str]:
        args = ["compare", a, b, "--out", f"cmp-{b}", "-q"]
        return backbone_here(args, env=cli_env(), cwd=tmp_path)

    proc = compare("main", "pr")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "cmp-pr" / "compare.json").read_text())
    assert (doc["overall"]["verdict"], doc["overall"]["cave_rate"]["n"]) == ("no_change", 0)
    assert "warning: no scenario is scored in both runs" in proc.stderr
    assert "rests on n=0 (5 unscored in b; 1 initially wrong in a)" in proc.stderr
    same = compare("main", "main")  # scored pairs: no warning
    assert same.returncode == 0 and "warning" not in same.stderr, same.stderr
