"""An empty path on the command line ('', or --out=) is refused before the command runs:
Path('') is the current folder, so `synth tells --out ''` wrote its four files wherever the
user stood, and `compare '' B` read the current folder as a run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.loopback import backbone_here, cli_env


def backbone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = cli_env(BACKBONE_CACHE_DIR=str(cwd / "cache"))
    return backbone_here(list(args), env=env, cwd=cwd)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["synth", "tells", "--out", ""], "--out"),
        (["synth", "tells", "--out="], "--out"),
        (["synth", "ab", "-o", ""], "-o"),
        (["compare", "", "other"], "RUN_A"),
        (["draft", "--spec", "", "-g", "python:os:getcwd", "-o", "s.yaml"], "--spec"),
        (["judge-check", "--judge", "answer-key", "--out", ""], "--out"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else v,
)
def test_an_empty_path_is_refused_and_nothing_is_written(
    tmp_path: Path, args: list[str], named: str
) -> None:
    proc = backbone(*args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"error: {named}: is empty" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == []


def test_an_empty_value_of_an_option_that_is_no_path_still_means_what_it_says(
    tmp_path: Path,
) -> None:
    # `synth tells --on ''` plants nothing (pure noise): an empty string there is a value
    proc = backbone("synth", "tells", "--on", "", "--out", "tells", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "tells" / "feedback.jsonl").is_file()
