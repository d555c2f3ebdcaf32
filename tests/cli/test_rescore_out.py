"""``backbone rescore RUN --out RUN``: the re-scored files would replace the run's own
(its results.json and transcripts.jsonl, graded by the answer key), so the run that was
re-scored would be gone. Refused, exit 2, the run's files untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "runs"
JUDGE = "python:tests.fixtures.scripted_judge:rome_judge"


@pytest.mark.parametrize("out", ["run", "./run/", "link"])
def test_out_that_is_the_run_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str
) -> None:
    shutil.copytree(FIXTURES / "plain", tmp_path / "run")
    (tmp_path / "link").symlink_to(tmp_path / "run")
    monkeypatch.chdir(tmp_path)
    before = {p.name: p.read_bytes() for p in (tmp_path / "run").iterdir()}
    r = CliRunner().invoke(
        app,
        ["rescore", "run", "--judge", JUDGE, "--suite", str(FIXTURES / "suite.yaml"),
         "--no-cache", "--out", out, "-q"],
    )  # fmt: skip
    assert r.exit_code == 2, r.output
    assert "--out is the run being re-scored: choose another folder" in r.stderr
    assert {p.name: p.read_bytes() for p in (tmp_path / "run").iterdir()} == before


def test_out_beside_the_run_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURES / "plain", tmp_path / "run")
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(
        app,
        ["rescore", "run", "--judge", JUDGE, "--suite", str(FIXTURES / "suite.yaml"),
         "--no-cache", "--out", "again", "-q"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert (tmp_path / "again" / "results.json").is_file()
