"""``backbone draft`` options out of range are refused before the generator is called."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app

GEN = """
import pathlib
def g(messages, **kw):
    with open(pathlib.Path(__file__).with_name("calls.txt"), "a") as f:
        f.write("x")
    return "not json"
"""


def test_a_huge_per_position_is_refused_before_any_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "p2_draft_gen.py").write_text(GEN)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(
        app,
        ["draft", "--spec", "builtin:tutor", "-g", "python:p2_draft_gen:g", "--out", "d.yaml",
         "--per-position", "101", "--mode", "oneshot", "--no-cache"],
    )  # fmt: skip
    assert r.exit_code == 2, r.output
    assert "--per-position" in r.output
    assert not (tmp_path / "calls.txt").exists()  # the generator was never asked
    assert not (tmp_path / "d.yaml").exists()
