"""``backbone init`` into a folder whose name holds spaces: the next steps it prints can be
pasted into a shell as they are."""

from __future__ import annotations

import shlex
from pathlib import Path

from typer.testing import CliRunner

from backbone.cli.app import app


def test_the_next_steps_quote_a_folder_with_spaces(tmp_path: Path) -> None:
    folder = tmp_path / "my specs" / "ü"
    r = CliRunner().invoke(app, ["init", "tutor", "--dir", str(folder)])
    assert r.exit_code == 0, r.output
    lines = [x.strip() for x in r.output.splitlines() if x.strip().startswith("backbone ")]
    validate, run = (shlex.split(x) for x in lines)
    assert validate[2] == str(folder / "tutor.positions.yaml")
    assert run[3] == str(folder / "tutor.suite.yaml")
    assert Path(validate[2]).is_file() and Path(run[3]).is_file()


def test_a_link_to_a_missing_file_exists_unless_forced(tmp_path: Path) -> None:
    # a dangling link was not 'already exists': init wrote the spec through it, into a file
    # outside the folder (core/atomic.py writes through links), without --force
    folder = tmp_path / "specs"
    folder.mkdir()
    target = tmp_path / "elsewhere.yaml"
    link = folder / "tutor.positions.yaml"
    link.symlink_to(target)
    r = CliRunner().invoke(app, ["init", "tutor", "--dir", str(folder)])
    assert r.exit_code == 2, r.output
    assert f"{link}: already exists (use --force to overwrite)" in " ".join(r.output.split())
    assert not target.exists() and not (folder / "tutor.suite.yaml").exists()
    assert link.is_symlink()
    r = CliRunner().invoke(app, ["init", "tutor", "--dir", str(folder), "--force"])
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and target.is_file() and (folder / "tutor.suite.yaml").is_file()
