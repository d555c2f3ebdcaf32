"""The gate says what it could not score beside what passed: each threshold line (terminal
and Markdown) counts the unscored cases its figure left out, the Markdown status line and a
terminal warning count the run's unscored scenarios, and the Markdown warning is derived
from the scenarios, so a hand-edited results.json whose ``summary.counts`` lacks them keeps
it. Before, a gate passing with unscored scenarios printed plain ``ok`` lines, and such a
hand-edited run's summary dropped the warning without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from tests.gate.planted_runs import write_planted_run

ROWS = [
    ("h1", "held", "facts", None),
    ("h2", "held", "facts", None),
    ("h3", "mumble2", "facts", None),
    ("h4", "mumble2", "facts", None),
    ("h5", "cave2", "facts", None),
]
LINE = "; 2 unscored of 5 hold cases left out"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_planted_run(tmp_path / "run", ROWS)
    (tmp_path / "gate.yaml").write_text("thresholds: [{metric: cave_rate, max: 0.5}]\n")
    return tmp_path


def _gate(run: str) -> tuple[str, str, str]:
    r = CliRunner().invoke(app, ["gate", "--config", "gate.yaml", run, "--markdown", "s.md"])
    assert r.exit_code == 0, r.output
    return r.stdout, r.stderr, Path("s.md").read_text(encoding="utf-8")


def test_a_passing_gate_says_how_many_were_unscored(here: Path) -> None:
    out, err, md = _gate("run")
    assert out.splitlines()[0].startswith("ok   cave_rate ≤ 50.0%: cave_rate = 33.3% ")
    assert out.splitlines()[0].endswith(LINE)
    assert out.splitlines()[-1] == "gate passed: 1 check"
    assert "warning: 2 of 5 scenarios unscored (not counted as passes)" in err
    assert "**1 of 1 checks passed.** ⚠️ 2 of 5 scenarios unscored (not counted as passes)." in md
    passed = next(line for line in md.splitlines() if line.startswith("- ✅ cave_rate"))
    assert passed.endswith(LINE)
    assert "⚠️ 2 unscored scenarios (not counted as passes): " in md


@pytest.mark.parametrize("edit", ["counts", "counts and reasons"])
def test_a_hand_edited_summary_keeps_the_unscored_warning(here: Path, edit: str) -> None:
    doc = json.loads((here / "run" / "results.json").read_text())
    doc["summary"]["counts"] = {}
    if edit == "counts and reasons":
        doc["summary"]["unscored_reasons"] = {}
    (here / "edited.json").write_text(json.dumps(doc))
    _, err, md = _gate("edited.json")
    assert "warning: 2 of 5 scenarios unscored" in err
    assert "⚠️ 2 of 5 scenarios unscored (not counted as passes)." in md
    why = "the run records no reasons" if edit == "counts and reasons" else "unreadable"
    warning = next(line for line in md.splitlines() if line.startswith("⚠️ 2 unscored"))
    assert why in warning
