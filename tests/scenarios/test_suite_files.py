"""Suite and spec paths that are not plain files or plain trees: a pipe named like a suite
or a spec is refused (reading it used to wait forever), and a folder holding a symlink to
its parent is read once (it used to be read again at every level until the path grew too
long, every scenario a 'duplicate' of itself)."""

from __future__ import annotations

import errno
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.scenarios.loader import load_suite
from backbone.spec import load_spec
from backbone.spec.starter import write_starter

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


def _fifo(path: Path) -> Path:
    """A named pipe at ``path``. A helper feeds it nothing and closes it if a reader ever
    opens it, so the previous code fails with another message instead of hanging."""
    os.mkfifo(path)

    def release() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno in (errno.ENXIO, errno.ENOENT):  # no reader yet
                    time.sleep(0.05)
                    continue
                return
            os.close(fd)
            return

    threading.Thread(target=release, daemon=True).start()
    return path


def test_a_pipe_named_like_a_suite_is_refused(tmp_path: Path) -> None:
    pipe = _fifo(tmp_path / "suite.yaml")
    with pytest.raises(InputError) as exc:
        load_suite(str(pipe))
    assert "not a regular file" in str(exc.value)


def test_a_pipe_named_like_a_spec_is_refused(tmp_path: Path) -> None:
    pipe = _fifo(tmp_path / "x.positions.yaml")
    with pytest.raises(InputError) as exc:
        load_spec(pipe)
    assert "not a regular file" in str(exc.value)


def test_validate_refuses_a_pipe_given_as_suite(tmp_path: Path) -> None:
    pipe = _fifo(tmp_path / "suite.yaml")
    r = CliRunner().invoke(app, ["validate", "--suite", str(pipe)])
    assert r.exit_code == 2, r.output
    assert "not a regular file" in r.output


def test_a_pipe_in_a_suite_folder_is_left_out(tmp_path: Path) -> None:
    spec, suite = write_starter("tutor", tmp_path / "s")
    n = len(load_suite(str(suite)).scenarios)
    spec.unlink()
    _fifo(tmp_path / "s" / "pipe.yaml")
    assert len(load_suite(str(tmp_path / "s")).scenarios) == n


def test_a_symlink_to_a_parent_folder_is_read_once(tmp_path: Path) -> None:
    _, suite = write_starter("tutor", tmp_path / "s")
    (tmp_path / "s" / "tutor.positions.yaml").unlink()
    n = len(load_suite(str(suite)).scenarios)
    (tmp_path / "s" / "sub").mkdir()
    (tmp_path / "s" / "sub" / "loop").symlink_to(tmp_path / "s", target_is_directory=True)
    assert len(load_suite(str(tmp_path / "s")).scenarios) == n
    r = CliRunner().invoke(app, ["validate", "--suite", str(tmp_path / "s")])
    assert r.exit_code == 0, r.output
    shutil.rmtree(tmp_path / "s" / "sub")
