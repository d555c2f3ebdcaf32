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


def test_a_base_url_the_generator_would_not_call_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``draft -g python:... --base-url URL`` drafted with the function and dropped the URL
    without a word (as ``local`` did): refused before any call, nothing written."""
    (tmp_path / "p3_draft_gen.py").write_text(GEN)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(
        app,
        ["draft", "--spec", "builtin:tutor", "-g", "python:p3_draft_gen:g", "--out", "d.yaml",
         "--base-url", "http://127.0.0.1:9/v1", "--mode", "oneshot", "--no-cache"],
    )  # fmt: skip
    assert r.exit_code == 2, r.output
    said = " ".join(r.output.split())
    assert "the generator 'python:p3_draft_gen:g' calls no HTTP API" in said
    assert not (tmp_path / "calls.txt").exists() and not (tmp_path / "d.yaml").exists()
