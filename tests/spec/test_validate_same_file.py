"""``backbone validate`` given one suite file twice (``ts.yaml`` and ``./ts.yaml``, or a file
and its folder) reads it once: every scenario used to be a 'duplicate' of itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.spec.starter import write_starter


def test_one_suite_named_twice_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, suite = write_starter("coach", tmp_path)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(
        app, ["validate", spec.name, "--suite", suite.name, "--suite", f"./{suite.name}"]
    )
    assert r.exit_code == 0, r.output
    assert "duplicate scenario id" not in r.output
    assert "ok: no problems" in r.output
