"""``judge-check --out`` never replaces the labeled set it measures against: the report
written over ``--labeled FILE`` (or as a .yaml/.jsonl inside ``--labeled FOLDER``) used to
destroy the hand labels (or be read as labels next time)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app

FACTS = Path(__file__).resolve().parents[2] / "src/backbone/graders/labeled/facts.yaml"


def check(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["judge-check", "--judge", "answer-key", *args])
    return r.exit_code, r.output


def test_out_over_the_labeled_file_is_refused(tmp_path: Path) -> None:
    labeled = tmp_path / "lab.yaml"
    shutil.copy(FACTS, labeled)
    before = labeled.read_bytes()
    code, text = check("--labeled", str(labeled), "--out", str(tmp_path / "." / "lab.yaml"))
    assert code == 2, text
    assert "labeled set" in text
    assert labeled.read_bytes() == before


def test_out_read_as_part_of_the_labeled_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "lab"
    folder.mkdir()
    shutil.copy(FACTS, folder / "facts.yaml")
    code, text = check("--labeled", str(folder), "--out", str(folder / "report.yaml"))
    assert code == 2, text
    assert not (folder / "report.yaml").exists()


def test_out_beside_the_labeled_set_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "lab"
    folder.mkdir()
    shutil.copy(FACTS, folder / "facts.yaml")
    code, text = check("--labeled", str(folder), "--out", str(folder / "report.json"))
    assert code == 0, text
    assert (folder / "report.json").exists()


def test_a_judge_temperature_past_2_or_infinite_is_refused(tmp_path: Path) -> None:
    for value in ("inf", "2.5"):
        code, text = check("--judge-temperature", value, "--out", str(tmp_path / "r.json"))
        assert code == 2, text
        assert "--judge-temperature" in text
        assert not (tmp_path / "r.json").exists()


def test_an_empty_labeled_is_refused_not_read_as_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(FACTS, tmp_path / "facts.yaml")  # a labeled file here would be read
    code, text = check("--labeled", "")
    assert code == 2, text
    assert "--labeled is empty" in text
