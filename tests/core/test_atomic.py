"""Atomic writes respect the umask (the temporary file they are renamed from is 0600)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backbone.core.atomic import current_umask, write_text_atomic


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_written_file_has_the_umask_s_permissions(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        assert current_umask() == mask
        target = tmp_path / "out" / "report.html"
        write_text_atomic(target, "<p>x</p>")
        write_text_atomic(target, "<p>y</p>")  # a rewrite too
    finally:
        os.umask(old)
    assert target.read_text() == "<p>y</p>"
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]  # no temp file left
