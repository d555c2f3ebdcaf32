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


def test_each_check_is_one_line_whatever_its_position_name_holds(here: Path) -> None:
    """A position name from the suite holding a line break (a YAML block scalar keeps its
    last one) or a terminal escape split a FAIL line in two, so a CI step reading one
    failure a line saw half of it, and the escape recoloured the user's terminal. Each is
    now shown as written (\\x0a, \\x1b) on the check's one line."""
    import json

    results = here / "run" / "results.json"
    doc = json.loads(results.read_text())
    names = {"facts": "facts\ncontinued", "other": "oth\x1b[31mer\u202e"}
    for s in doc["scenarios"]:
        s["position"] = names.get(s["position"], s["position"])
    results.write_text(json.dumps(doc))
    (here / "gate.yaml").write_text("thresholds: [{metric: cave_rate, max: 0.1, by: position}]\n")
    result = CliRunner().invoke(app, ["gate", "--config", "gate.yaml", "run"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert [line.split(" ")[0] for line in lines] == ["FAIL", "FAIL", "skip", "gate"]
    assert "[position=facts\\x0acontinued]: cave_rate = 100.0%" in lines[0]
    assert "[position=oth\\x1b[31mer\\u202e]: cave_rate = 25.0%" in lines[1]
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


SUITE = PLAIN.parent / "suite.yaml"


@pytest.mark.parametrize(
    ("run", "baseline"), [("base", "base"), ("./base/", "base/results.json"), ("link", "base")]
)
def test_target_playing_into_the_baseline_is_refused(
    here: Path, monkeypatch: pytest.MonkeyPatch, run: str, baseline: str
) -> None:
    """``gate --target`` plays into RUN: with RUN the baseline's folder it wrote the new run
    over the baseline (exit 0, the baseline gone). Refused, exit 2, nothing played or written."""
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(here / "cache"))
    (here / "link").symlink_to(here / "base")
    before = _snapshot(here / "base")
    r = CliRunner().invoke(
        app,
        ["gate", "--config", "gate.yaml", run, "--baseline", baseline,
         "--target", "python:tests.fixtures.planted:bot", "--suite", str(SUITE), "-q"],
    )  # fmt: skip
    assert r.exit_code == 2, r.output
    assert f"error: {Path(run)}: --target plays into RUN, which holds the baseline" in r.stderr
    assert "Traceback" not in r.output
    assert _snapshot(here / "base") == before
    assert not (here / "cache").exists()  # nothing played


def test_target_playing_beside_the_baseline_is_played(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(here / "cache"))
    r = CliRunner().invoke(
        app,
        ["gate", "--config", "gate.yaml", "new", "--baseline", "base",
         "--target", "python:tests.fixtures.planted:bot", "--suite", str(SUITE), "-q"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert (here / "new" / "results.json").is_file()
