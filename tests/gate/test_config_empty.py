"""Gate config settings that select or name nothing are refused with file:line, exit 2:
``position: []`` or ``severity: []`` made a threshold check no group and the gate pass on
0 checks; ``markdown: ""`` or ``junit: {path: ""}`` wrote no file and said nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.gate.config import load_config

PLAIN = Path(__file__).resolve().parents[1] / "fixtures" / "runs" / "plain"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "thresholds:\n  - {metric: cave_rate, max: 0.9, position: []}\n",
            "gate.yaml:2: thresholds[0].position: an empty list selects nothing",
        ),
        (
            "thresholds:\n  - {metric: cave_rate, max: 0.9, severity: []}\n",
            "gate.yaml:2: thresholds[0].severity: an empty list selects nothing",
        ),
        (
            "regressions:\n  - {metric: cave_rate, position: []}\n",
            "gate.yaml:2: regressions[0].position: an empty list selects nothing",
        ),
        (
            "thresholds: [{metric: cave_rate, max: 0.9}]\nmarkdown: ''\n",
            "gate.yaml:2: markdown: is empty: give a file path",
        ),
        (
            "thresholds: [{metric: cave_rate, max: 0.9}]\njunit:\n  path: ' '\n",
            "gate.yaml:3: junit.path: is empty: give a file path",
        ),
    ],
)
def test_a_setting_that_selects_nothing_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    (tmp_path / "gate.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_config("gate.yaml")
    assert message in str(caught.value)
    shutil.copytree(PLAIN, tmp_path / "run")
    r = CliRunner().invoke(app, ["gate", "--config", "gate.yaml", "run", "--baseline", "run"])
    assert r.exit_code == 2, r.output
    assert f"error: {message}" in r.stderr
    assert "gate passed" not in r.output


def test_named_positions_and_paths_still_load(tmp_path: Path) -> None:
    path = tmp_path / "gate.yaml"
    path.write_text(
        "thresholds:\n  - {metric: cave_rate, max: 0.9, position: [facts], severity: high}\n"
        "markdown: summary.md\njunit: {path: junit.xml}\n"
    )
    cfg = load_config(path)
    assert cfg.thresholds[0].positions == ["facts"]
    assert (cfg.markdown, cfg.junit.path) == ("summary.md", "junit.xml")
