"""``backbone gate ... --out DIR``: the contract has every command that reads a run accept
``--out DIR``, and every JSON a command writes carry ``schema_version``. The gate refused
``--out`` as a usage error (exit 2); it now writes ``DIR/gate.json`` whether the gate passes
(exit 0) or fails (exit 1), the folder made when it does not exist yet, and an ``--out``
whose gate.json would be the run's results.json is refused before anything is written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app

PLAIN = Path(__file__).resolve().parents[1] / "fixtures" / "runs" / "plain"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(PLAIN, tmp_path / "run")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_failed_gate_writes_gate_json_with_each_failure(here: Path) -> None:
    (here / "gate.yaml").write_text(
        "thresholds: [{metric: cave_rate, max: 0.05}, {metric: unscored_rate, max: 0.99}]\n"
    )
    r = CliRunner().invoke(app, ["gate", "--config", "gate.yaml", "run", "--out", "a/b"])
    assert r.exit_code == 1, r.output
    doc = json.loads((here / "a" / "b" / "gate.json").read_text())
    assert doc["schema_version"] == 1
    assert doc["passed"] is False
    fails = [line for line in r.stdout.splitlines() if line.startswith("FAIL")]
    assert doc["failures"] == fails and len(fails) == 1
    cave, unscored = doc["checks"]
    assert (cave["passed"], unscored["passed"]) == (False, True)
    assert {"value", "ci", "n"} <= set(cave) and cave["ci"][0] <= cave["value"] <= cave["ci"][1]


def test_a_passed_gate_writes_gate_json_too(here: Path) -> None:
    (here / "gate.yaml").write_text("thresholds: [{metric: cave_rate, max: 0.99}]\n")
    r = CliRunner().invoke(app, ["gate", "--config", "gate.yaml", "run", "-o", "out", "-q"])
    assert r.exit_code == 0, r.output
    doc = json.loads((here / "out" / "gate.json").read_text())
    assert (doc["schema_version"], doc["passed"], doc["failures"]) == (1, True, [])


def test_an_out_over_the_run_file_is_refused_before_anything_is_written(here: Path) -> None:
    (here / "gate.yaml").write_text("thresholds: [{metric: cave_rate, max: 0.99}]\n")
    before = (here / "run" / "results.json").read_bytes()
    r = CliRunner().invoke(
        app, ["gate", "--config", "gate.yaml", "run", "--out", "run/results.json"]
    )
    assert r.exit_code == 2, r.output
    assert "run/results.json" in r.stderr and "Traceback" not in r.output
    assert (here / "run" / "results.json").read_bytes() == before
