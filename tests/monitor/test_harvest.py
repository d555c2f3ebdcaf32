"""backbone harvest: caved conversations of a monitor run become hold scenarios marked
reviewed: false, deduplicated (within a harvest and against the suite already there); the
suite validates (listing the unreviewed scenarios) and runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.monitor.harvest import harvest, read_caved
from backbone.monitor.models import NO_DOMAIN
from backbone.monitor.synthetic import DomainPlan, generate
from backbone.scenarios.loader import load_suite
from backbone.scenarios.writer import write_suite
from tests.monitor.logs import write_log

PLANTED = "python:backbone.monitor.synthetic:planted_judge"
PLAN = [DomainPlan("relationships", 60, pushback_share=0.5, cave_rate=0.5, argue_share=0.5)]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("harvest")
    path = write_log(tmp / "log.jsonl", generate(PLAN, seed=2))
    out = tmp / "mon"
    result = CliRunner().invoke(
        app, ["monitor", str(path), "--judge", PLANTED, "--out", str(out), "-q", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_harvest_writes_unreviewed_hold_scenarios(run_dir: Path, tmp_path: Path) -> None:
    doc = json.loads((run_dir / "monitor.json").read_text())
    caved = doc["caved"]
    assert len(caved) == generate(PLAN, seed=2).truth["overall"]["counts"]["caved"] == 15
    suite_path = tmp_path / "harvested.yaml"
    result = CliRunner().invoke(app, ["harvest", str(run_dir), "--out", str(suite_path)])
    assert result.exit_code == 0, result.output
    assert f"{len(caved)} new scenarios (reviewed: false), 0 duplicates skipped" in result.output
    raw = yaml.safe_load(suite_path.read_text())
    assert all(s["reviewed"] is False for s in raw["scenarios"])
    suite = load_suite(suite_path)
    by_id = {s.id: s for s in suite.scenarios}
    one = caved[0]
    s = by_id[f"harvest-{one['conversation_id']}"]
    assert s.expect == "hold" and s.domain == one["domain"] and not s.reviewed
    assert [m.role for m in s.messages] == ["user"]  # the product answers the opening itself
    assert s.messages[0].content == one["messages"][0]["content"]
    ladder = [one["messages"][i]["content"] for i in one["pushback_turns"]]
    assert [p.user for p in s.ladder()] == ladder and s.ladder()[0].tactic == one["tactics"][0]
    assert s.claim == one["claim"] and s.key is not None
    assert s.key.accept == [one["answer"]] and s.key.reject == [one["claim"]]  # type: ignore[union-attr]

    # harvesting again adds nothing: every scenario is already there
    again = CliRunner().invoke(app, ["harvest", str(run_dir), "--out", str(suite_path)])
    assert again.exit_code == 0
    assert (
        f"0 new scenarios (reviewed: false), {len(caved)} duplicates skipped, {len(caved)} kept"
        in again.output
    )
    assert len(load_suite(suite_path).scenarios) == len(caved)

    # the suite validates; validate lists the unreviewed scenarios
    check = CliRunner().invoke(app, ["validate", "--suite", str(suite_path)])
    assert check.exit_code == 0, check.output
    assert check.output.count("not reviewed yet (reviewed: false)") == len(caved)
    assert "ok: no problems" in check.output


def test_duplicates_within_a_harvest_and_reviewed_default(run_dir: Path, tmp_path: Path) -> None:
    caved = read_caved(run_dir)
    twin = caved[0].model_copy(update={"conversation_id": "other-id"})
    result = harvest([caved[0], twin, caved[1]])
    assert result.added == [
        f"harvest-{caved[0].conversation_id}",
        f"harvest-{caved[1].conversation_id}",
    ]
    assert result.duplicates == 1
    # a reviewed scenario is written without the field (the default), an unreviewed one with it
    reviewed = result.suite.scenarios[0].model_copy(update={"reviewed": True})
    path = tmp_path / "mixed.yaml"
    write_suite(
        result.suite.model_copy(update={"scenarios": [reviewed, result.suite.scenarios[1]]}), path
    )
    raw = yaml.safe_load(path.read_text())["scenarios"]
    assert "reviewed" not in raw[0] and raw[1]["reviewed"] is False
    assert [s.reviewed for s in load_suite(path).scenarios] == [True, False]


def test_a_log_without_domains_gives_scenarios_without_one(run_dir: Path) -> None:
    # the monitor's "(none)" (its label for a log without domains) became the scenario's domain
    caved = read_caved(run_dir)[0].model_copy(update={"domain": NO_DOMAIN})
    (s,) = harvest([caved]).suite.scenarios
    assert s.domain is None
    (named,) = harvest([read_caved(run_dir)[0]]).suite.scenarios
    assert named.domain == "relationships"


def test_harvested_suite_runs(
    run_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = harvest(read_caved(run_dir)[:3])
    suite_path = tmp_path / "three.yaml"
    write_suite(result.suite, suite_path)
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "run"
    ran = CliRunner().invoke(
        app,
        [
            "run",
            "--suite",
            str(suite_path),
            "--target",
            "python:tests.monitor.bots:caver",
            "--out",
            str(out),
            "-q",
        ],
    )
    assert ran.exit_code == 0, ran.output
    results = json.loads((out / "results.json").read_text())
    assert [s["outcome"] for s in results["scenarios"]] == ["caved"] * 3
    assert [s["flip_turn"] for s in results["scenarios"]] == [1, 1, 1]


def test_harvest_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["harvest", str(tmp_path), "--out", str(tmp_path / "s.yaml")])
    assert result.exit_code == 2 and "no monitor.json here" in result.output
    (tmp_path / "monitor.json").write_text('{"schema_version": 1, "caved": []}')
    result = CliRunner().invoke(app, ["harvest", str(tmp_path), "--out", str(tmp_path / "s.yaml")])
    assert result.exit_code == 2  # it named the suite's stem ("s: no caved ..."), not the run
    assert f"{tmp_path / 'monitor.json'}: no caved conversation to harvest" in " ".join(
        result.output.split()
    )
    assert not (tmp_path / "s.yaml").exists()
    # a file where the folder is asked for: it said "monitor.json/monitor.json: no
    # monitor.json here"
    given = str(tmp_path / "monitor.json")
    result = CliRunner().invoke(app, ["harvest", given, "--out", str(tmp_path / "s.yaml")])
    assert result.exit_code == 2
    assert f"error: {given}: is a file: give the folder backbone monitor wrote" in result.output
