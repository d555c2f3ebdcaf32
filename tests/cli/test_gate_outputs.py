"""``backbone gate --junit/--markdown``: an output path that is a file the gate reads (the
run's results.json, the baseline's, the config) or the other output is refused, exit 2,
before anything is written. The gate used to write its Markdown over the run it had just
checked (and exit 0), or its JUnit XML over the config; two outputs on one path kept only
the second."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app

PLAIN = Path(__file__).resolve().parents[1] / "fixtures" / "runs" / "plain"
CONFIG = "thresholds: [{metric: cave_rate, max: 0.9}]\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(PLAIN, tmp_path / "run")
    shutil.copytree(PLAIN, tmp_path / "base")
    (tmp_path / "gate.yaml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--markdown", "run/results.json"],
            "error: run/results.json: --markdown is RUN's results.json (run/results.json)",
        ),
        (
            ["--junit", "./run/transcripts.jsonl"],
            "error: run/transcripts.jsonl: --junit is RUN's transcripts.jsonl",
        ),
        (
            ["--baseline", "base", "--junit", "base/results.json"],
            "error: base/results.json: --junit is the baseline's results.json",
        ),
        (["--junit", "gate.yaml"], "error: gate.yaml: --junit is the gate config (gate.yaml)"),
        (
            ["--junit", "out.txt", "--markdown", "out.txt"],
            "error: out.txt: --junit and --markdown are the same file",
        ),
    ],
)
def test_an_output_that_is_an_input_is_refused(here: Path, args: list[str], message: str) -> None:
    before = _snapshot(here)
    r = CliRunner().invoke(app, ["gate", "--config", "gate.yaml", "run", *args])
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    assert "Traceback" not in r.output
    assert _snapshot(here) == before  # nothing written over, nothing new


def test_a_config_markdown_path_on_the_run_is_refused(here: Path) -> None:
    (here / "gate.yaml").write_text(CONFIG + "markdown: run/results.json\n")
    before = _snapshot(here)
    r = CliRunner().invoke(app, ["gate", "--config", "gate.yaml", "run"])
    assert r.exit_code == 2, r.output
    assert "error: run/results.json: markdown in the config is RUN's results.json" in r.stderr
    assert _snapshot(here) == before


def test_outputs_apart_from_the_inputs_are_written(here: Path) -> None:
    r = CliRunner().invoke(
        app,
        ["gate", "--config", "gate.yaml", "run", "--junit", "j.xml", "--markdown", "s.md"],
    )
    assert r.exit_code == 0, r.output
    assert (here / "j.xml").read_text().startswith("<?xml")
    assert (here / "s.md").read_text().startswith("## ")
