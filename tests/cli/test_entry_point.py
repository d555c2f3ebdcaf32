"""The console script loads the app inside :func:`backbone.cli.main`, so a Ctrl-C while the
app is still importing exits 130 without a traceback, as a later one does."""

from __future__ import annotations

import builtins
import sys
from importlib.metadata import entry_points
from typing import Any

import pytest

import backbone.cli


def test_the_console_script_is_the_guarded_entry_point() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "backbone"]
    assert script.value == "backbone.cli:main"


def test_a_ctrl_c_while_the_app_loads_exits_130_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_import = builtins.__import__

    def interrupted(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "backbone.cli.app":  # the Ctrl-C lands while the app is importing
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    monkeypatch.setattr(sys, "argv", ["backbone", "--help"])
    with pytest.raises(SystemExit) as stopped:
        backbone.cli.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == ""


def test_the_entry_point_runs_the_app(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["backbone", "--help"])
    with pytest.raises(SystemExit) as done:
        backbone.cli.main()
    assert done.value.code == 0
    assert "run" in capsys.readouterr().out
