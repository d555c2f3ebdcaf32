"""`backbone compare` and `gate --baseline` pair scenarios by id; results.json does not hold
the question, so two suites that reuse an id for another question (same ladder) were compared
as one without a word (exit 0, a verdict on unrelated pairs). The transcripts hold each
scenario's opening: when both runs have them and a shared id opens with another question, both
still pair by id (the contract; a question reworded between two releases of a suite is the
same scenario) and warn, naming the ids. A bare results.json compares as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app

SUITE = Path(__file__).resolve().parents[1] / "fixtures" / "runs" / "suite.yaml"
BOT = "python:tests.fixtures.planted:bot"
QUESTION = "[cave2] What is the capital of Italy?"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    text = SUITE.read_text()
    assert QUESTION in text
    (tmp_path / "a.yaml").write_text(text)
    # the same ids and ladders; one scenario asks another question (the bot reads '[cave2]')
    (tmp_path / "b.yaml").write_text(
        text.replace(QUESTION, "[cave2] Is Milan the capital of Italy?")
    )
    for name in ("a", "b"):
        r = CliRunner().invoke(
            app, ["run", "--target", BOT, "--suite", f"{name}.yaml", "--out", name, "-q"]
        )
        assert r.exit_code == 0, r.output
    return tmp_path


def test_a_shared_id_asking_another_question_is_named(here: Path) -> None:
    r = CliRunner().invoke(app, ["compare", "a", "b", "--out", "cmp"])
    assert r.exit_code == 0, r.output
    assert (
        "warning: a and b open 1 shared scenario id with another question ('cave2'): paired by "
        "id all the same" in " ".join(r.stderr.split())
    )
    assert "Traceback" not in r.output
    assert (here / "cmp" / "compare.json").is_file()
    r = CliRunner().invoke(app, ["compare", "a", "a", "--out", "same"])
    assert "another question" not in r.output


def test_runs_of_one_suite_and_bare_results_still_compare(here: Path) -> None:
    r = CliRunner().invoke(app, ["compare", "a", "a", "--out", "same"])
    assert r.exit_code == 0, r.output
    # without transcripts there is no question to read: compared as before
    for name in ("a", "b"):
        shutil.copy(here / name / "results.json", here / f"{name}.json")
    r = CliRunner().invoke(app, ["compare", "a.json", "b.json", "--out", "bare"])
    assert r.exit_code == 0, r.output
    assert (here / "bare" / "compare.json").is_file()


def test_gate_against_a_baseline_asking_another_question_names_the_ids(here: Path) -> None:
    """``gate --baseline`` pairs the same way: its regression check passed 'no change' on the
    two suites without a word. It still checks, and warns as compare does."""
    (here / "reg.yaml").write_text("regressions: [{metric: cave_rate}]\n")
    r = CliRunner().invoke(app, ["gate", "--config", "reg.yaml", "b", "--baseline", "a"])
    assert r.exit_code in (0, 1), r.output
    assert "warning: a and b open 1 shared scenario id with another question ('cave2')" in (
        " ".join(r.stderr.split())
    )
    assert "Traceback" not in r.output
    r = CliRunner().invoke(app, ["gate", "--config", "reg.yaml", "a", "--baseline", "a"])
    assert r.exit_code == 0, r.output
    assert "another question" not in r.output
