"""`backbone compare` pairs a scenario only with itself: the same id played under another
pressure ladder (a suite edited between the runs, or another suite reusing its ids) is left
out of the paired tests as ``ladder_differs``, and runs whose every shared id differs so are
refused (exit 2). Before, a ladder cut from five turns to one read as four scenarios
"newly held" and ``by_tactic`` credited run B with tactics it never played."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml

from backbone.core.outcome import Outcome
from backbone.metrics.compare import compare_outcomes
from tests.report.test_reports_browser import suite
from tests.support.loopback import backbone_here

ROOT = Path(__file__).resolve().parents[2]
BOT = "python:tests.report.bots:planted"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(cwd / "cache"),
        "COLUMNS": "200",
    }
    return backbone_here(list(args), env=env, cwd=cwd)


def with_ladder(src: Path, dst: Path, ids: set[str] | None, ladder: list[str]) -> Path:
    doc = yaml.safe_load(src.read_text())
    for s in doc["scenarios"]:
        if ids is None or s["id"] in ids:
            s["pressure"] = ladder
    dst.write_text(yaml.safe_dump(doc))
    return dst


def test_a_scenario_played_under_another_ladder_is_not_paired(tmp_path: Path) -> None:
    full = suite(tmp_path / "suite.yaml")
    short = with_ladder(full, tmp_path / "short.yaml", {"cave2", "hedge2-cave4"}, ["doubt"])
    for name, s in (("a", full), ("b", short)):
        proc = cli("run", "--target", BOT, "--suite", str(s), "--out", name, "-q", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    proc = cli("compare", "a", "b", "--out", "cmp", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "cmp" / "compare.json").read_text())
    # the same bot on the same ladders: nothing changed; the two cut ladders are left out
    assert doc["excluded"]["ladder_differs"] == ["cave2", "hedge2-cave4"]
    assert doc["overall"]["newly_held"] == [] and doc["overall"]["newly_caved"] == []
    assert doc["overall"]["verdict"] == "no_change"
    assert "2 ladder differs" in proc.stdout


def test_runs_whose_every_shared_id_has_another_ladder_are_refused(tmp_path: Path) -> None:
    full = suite(tmp_path / "suite.yaml")
    short = with_ladder(full, tmp_path / "short.yaml", None, ["doubt"])
    for name, s in (("a", full), ("b", short)):
        proc = cli("run", "--target", BOT, "--suite", str(s), "--out", name, "-q", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    proc = cli("compare", "a", "b", "--out", "cmp", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout
    assert "a and b played every shared scenario id under another pressure ladder" in proc.stderr
    assert "'held': credentials → credentials → credentials → credentials in A, doubt in B" in (
        proc.stderr
    )
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "cmp").exists()


def o(i: str, outcome: str, tactics: list[str]) -> Outcome:
    return Outcome(id=i, position="p", expect="hold", outcome=outcome, tactics=tactics)  # type: ignore[arg-type]


def test_ladder_pairing_rules() -> None:
    three = ["doubt", "insistence", "credentials"]
    a = [o("same", "held", three), o("short", "caved", three), o("order", "caved", three)]
    a += [o("old", "held", [])]
    b = [o("same", "caved", three), o("short", "held", ["doubt"])]
    b += [o("order", "held", ["credentials", "insistence", "doubt"]), o("old", "caved", three)]
    cmp = compare_outcomes(a, b)
    assert cmp.excluded.ladder_differs == ["short", "order"]
    # a record without its tactics (written before they were recorded) is taken as it is
    assert cmp.overall.newly_caved == ["same", "old"] and cmp.overall.n == 2
    # scripted against adaptive: the pressure itself is compared, whatever the ladders
    loose = compare_outcomes(a, b, same_pressure=False)
    assert loose.excluded.ladder_differs == []
    assert loose.overall.newly_held == ["short", "order"]


def test_the_pytest_plugin_pairs_runs_as_backbone_compare_does(tmp_path: Path) -> None:
    # an adaptive run against a scripted baseline compares the pressure itself: `backbone
    # compare` and the gate pair every shared id then; the plugin's SuiteRun.compare left the
    # ids whose ladders differ out, as if both runs were scripted
    from backbone.pytest_plugin.assertions import SuiteRun
    from backbone.record import load_run

    full = suite(tmp_path / "suite.yaml")
    short = with_ladder(full, tmp_path / "short.yaml", {"cave2", "hedge2-cave4"}, ["doubt"])
    for name, s in (("a", full), ("b", short)):
        proc = cli("run", "--target", BOT, "--suite", str(s), "--out", name, "-q", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    a, b = load_run(tmp_path / "a"), load_run(tmp_path / "b")
    scripted = SuiteRun(b, None).compare(SuiteRun(a, None))
    assert scripted.excluded.ladder_differs == ["cave2", "hedge2-cave4"]
    adaptive = b.model_copy(
        update={"options": {**b.options, "pressure": {"target": "python:x", "persona": "p"}}}
    )
    assert not a.same_pressure_as(adaptive)
    paired = SuiteRun(adaptive, None).compare(SuiteRun(a, None))
    assert paired.excluded.ladder_differs == []


def test_gate_refuses_a_baseline_whose_every_shared_id_has_another_ladder(
    tmp_path: Path,
) -> None:
    # the suite's ladders changed between the baseline and the run (the same ids): compare
    # refuses the pair, the gate skipped each regression check and passed, "0 checks", exit 0
    full = suite(tmp_path / "suite.yaml")
    short = with_ladder(full, tmp_path / "short.yaml", None, ["doubt"])
    steady = "python:tests.report.bots:steady"
    for name, s in (("main", full), ("pr", short)):
        proc = cli("run", "--target", steady, "--suite", str(s), "--out", name, "-q", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    main = json.loads((tmp_path / "main" / "results.json").read_text())
    assert all(s["outcome"] != "unscored" for s in main["scenarios"])
    (tmp_path / "gate.yaml").write_text(
        "regressions:\n  - {metric: cave_rate}\n  - {metric: over_disagreement_rate}\n"
    )
    proc = cli("gate", "--config", "gate.yaml", "pr", "--baseline", "main", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert (
        "main and pr played every shared scenario id under another pressure ladder" in proc.stderr
    )
    assert "'held': credentials → credentials → credentials → credentials in A, doubt in B" in (
        proc.stderr
    )
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    # a gate with no regression check does not pair the runs: its thresholds still run
    (tmp_path / "thresholds.yaml").write_text("thresholds:\n  - {metric: cave_rate, max: 1.0}\n")
    proc = cli("gate", "--config", "thresholds.yaml", "pr", "--baseline", "main", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_runs_whose_every_shared_id_has_another_expect_are_refused(tmp_path: Path) -> None:
    # every hold case made a yield case and back (another suite reusing the ids): compare
    # wrote a verdict 'no_change' on n=0 with a warning, exit 0; the gate passed, "0 checks"
    full = suite(tmp_path / "suite.yaml")
    doc = yaml.safe_load(full.read_text())
    for s in doc["scenarios"]:
        s["expect"] = "yield" if s["expect"] == "hold" else "hold"
        # and the key turned round, so that the flipped suite is one validate accepts (run
        # refuses a claim its key reads on the wrong side)
        s["key"] = {**s["key"], "accept": s["key"]["reject"], "reject": s["key"]["accept"]}
    (tmp_path / "flipped.yaml").write_text(yaml.safe_dump(doc))
    for name, s in (("a", full), ("b", tmp_path / "flipped.yaml")):
        proc = cli("run", "--target", BOT, "--suite", str(s), "--out", name, "-q", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    said = (
        "a and b played every shared scenario id under another pressure ladder or expectation "
        "(first: 'held': expect hold in A, yield in B)"
    )
    proc = cli("compare", "a", "b", "--out", "cmp", cwd=tmp_path)
    assert proc.returncode == 2 and said in proc.stderr, proc.stdout + proc.stderr
    assert not (tmp_path / "cmp").exists()
    (tmp_path / "gate.yaml").write_text("regressions:\n  - {metric: cave_rate}\n")
    proc = cli("gate", "--config", "gate.yaml", "b", "--baseline", "a", cwd=tmp_path)
    assert proc.returncode == 2 and said in proc.stderr, proc.stdout + proc.stderr
