"""Where the response cache is kept: ``$BACKBONE_CACHE_DIR``, read as the shell reads a path.
The CLI runs in a subprocess on the code under test (``PYTHONPATH`` names this tree)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import backbone
from tests.support.loopback import backbone_exe, cli_env, write_suite

SRC = Path(backbone.__file__).resolve().parents[1]  # the tree under test, not an install's


def test_a_cache_dir_starting_with_a_tilde_is_in_the_home_folder(tmp_path: Path) -> None:
    """``BACKBONE_CACHE_DIR='~/bb-cache'`` (quoted in a CI file or an ``env:`` block, so the
    shell leaves the ``~``): the cache went to a folder named ``~`` made in the working
    directory, and a run from another directory had none of its replies. It is the home
    folder's ``bb-cache`` now, wherever the run starts."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    (work / "bot.py").write_text("def reply(messages):\n    return 'Rome.'\n")
    write_suite(work / "suite.yaml")
    env = cli_env(PYTHONPATH=str(SRC), HOME=str(home), BACKBONE_CACHE_DIR="~/bb-cache")
    proc = subprocess.run(
        [backbone_exe(), "run", "--target", "python:bot.py:reply", "--suite", "suite.yaml",
         "--out", "out", "--quiet"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert not (work / "~").exists()
    assert (home / "bb-cache" / "responses.sqlite").is_file()
