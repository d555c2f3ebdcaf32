"""libyaml's C parser and PyYAML's pure-Python one read every file backbone ships alike: the
same data and the same line for every node (a run reads its suites and labeled sets with the
C parser, ten times faster; an install without libyaml falls back to Python)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backbone.core.yaml_lines import load_yaml_with_lines

ROOT = Path(__file__).resolve().parents[2]


def test_both_parsers_read_every_shipped_file_alike() -> None:
    shipped = sorted((ROOT / "src" / "backbone").rglob("*.yaml"))
    assert len(shipped) > 30
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        fast = load_yaml_with_lines(text, str(path))
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(yaml, "__with_libyaml__", False)
            slow = load_yaml_with_lines(text, str(path))
        assert fast == slow, path
