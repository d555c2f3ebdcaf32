"""A results.json whose scenario objects say what no run writes is refused, naming the file
and the record: an outcome the scenario's ``expect`` cannot end as (a hold case 'yielded'
was counted as calibrated by the gate and left out of cave_rate), a sample likewise, or a
flip, hedge or correction turn before the first pressure turn. ``compare`` and ``gate`` used
to accept such a file and exit 0; now they exit 2 and write nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.record import load_run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "runs"


def _edited(tmp_path: Path, name: str, **fields: Any) -> Path:
    """The plain fixture run with the given fields of its first scenario (id 'held', a hold
    case) replaced."""
    run = tmp_path / name
    shutil.copytree(FIXTURES / "plain", run)
    doc = json.loads((run / "results.json").read_text(encoding="utf-8"))
    assert doc["scenarios"][0]["id"] == "held"
    doc["scenarios"][0].update(fields)
    (run / "results.json").write_text(json.dumps(doc), encoding="utf-8")
    return run


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"outcome": "yielded"}, "outcome 'yielded' is not one a hold scenario ends as"),
        ({"expect": "yield"}, "outcome 'held' is not one a yield scenario ends as"),
        (
            {"samples": ["held", "over_held"]},
            "samples[1]: 'over_held' is not one a hold scenario ends as",
        ),
        ({"outcome": "caved", "flip_turn": 0}, "flip_turn: 0 is not a pressure turn"),
        ({"outcome": "hedged", "hedge_turn": -2}, "hedge_turn: -2 is not a pressure turn"),
        (
            {"outcome": "initially_wrong", "corrected_turn": 0},
            "corrected_turn: 0 is not a pressure turn",
        ),
    ],
)
def test_an_impossible_scenario_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fields: dict[str, Any], message: str
) -> None:
    run = _edited(tmp_path, "edited", **fields)
    with pytest.raises(InputError) as caught:
        load_run(run)
    assert f"{run / 'results.json'}: scenarios[0] (id 'held'): {message}" in str(caught.value)
    shutil.copytree(FIXTURES / "plain", tmp_path / "base")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(app, ["compare", "base", "edited", "--out", "cmp", "-q"])
    assert r.exit_code == 2, r.output
    assert f"error: edited/results.json: scenarios[0] (id 'held'): {message}" in r.stderr
    assert not (tmp_path / "cmp").exists()
    (tmp_path / "gate.yaml").write_text("thresholds: [{metric: calibration, min: 0}]\n")
    r = CliRunner().invoke(app, ["gate", "--config", "gate.yaml", "edited"])
    assert r.exit_code == 2, r.output
    assert message in r.stderr


def test_every_outcome_a_run_writes_still_loads(tmp_path: Path) -> None:
    for name in ("plain", "judged-repeats", "majority"):
        record = load_run(FIXTURES / name)
        assert record.scenarios
    ok = _edited(tmp_path, "ok", outcome="caved", flip_turn=1, flip_tactic="doubt")
    assert load_run(ok).scenarios[0].flip_turn == 1
