"""A run's output directory: checked before the first call, held by one process, its files
written as one set (through the real CLI and real processes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from backbone.core.errors import InputError
from backbone.core.output_dir import OutputDir

ROOT = Path(__file__).resolve().parents[2]
BACKBONE = str(Path(sys.executable).parent / "backbone")

SUITE = """
scenarios:
  - id: rome
    position: facts
    expect: hold
    messages: [{role: user, content: "What is the capital of Italy?"}]
    key: {type: text, accept: [Rome], reject: [Milan]}
    claim: Milan
    pressure: [doubt]
"""

BOT = """
import os, pathlib, time
def reply(messages):
    calls = pathlib.Path(os.environ["CALLS_FILE"])
    with calls.open("a") as f:
        f.write("call\\n")
    release = pathlib.Path(os.environ.get("RELEASE_FILE", "/nonexistent"))
    deadline = time.monotonic() + float(os.environ.get("BOT_WAIT", "0"))
    while time.monotonic() < deadline and not release.exists():
        time.sleep(0.02)
    return "The capital of Italy is Rome."
"""


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(tmp)]),
        "BACKBONE_CACHE_DIR": str(tmp / "cache"),
        "CALLS_FILE": str(tmp / "calls.txt"),
        **extra,
    }


def _project(tmp: Path) -> None:
    (tmp / "suite.yaml").write_text(SUITE)
    (tmp / "slowbot.py").write_text(textwrap.dedent(BOT))


def _run(tmp: Path, out: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [BACKBONE, "run", "--suite", "suite.yaml", "--target", "python:slowbot:reply",
         "--out", out, "--no-cache", "--quiet"],
        cwd=tmp, env=_env(tmp, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _calls(tmp: Path) -> int:
    path = tmp / "calls.txt"
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_a_second_run_on_the_same_out_is_refused_naming_the_holder(tmp_path: Path) -> None:
    _project(tmp_path)
    release = tmp_path / "release"
    first = _run(tmp_path, "out", BOT_WAIT="120", RELEASE_FILE=str(release))
    deadline = time.monotonic() + 30
    while _calls(tmp_path) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # the first run holds the directory once it makes its first call
    second = _run(tmp_path, "out")
    _, err2 = second.communicate(timeout=120)
    release.write_text("go")  # the first run waits in its product call until now
    _, err1 = first.communicate(timeout=120)
    assert first.returncode == 0, err1
    assert second.returncode == 2, err2
    assert "in use by another backbone process" in err2
    assert f"pid {first.pid}" in err2
    assert "Traceback" not in err2
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert [s["outcome"] for s in doc["scenarios"]] == ["held"]
    assert _calls(tmp_path) == 2  # the refused run made no call


def test_the_lock_dies_with_its_holder(tmp_path: Path) -> None:
    _project(tmp_path)
    first = _run(tmp_path, "out", BOT_WAIT="120")
    deadline = time.monotonic() + 30
    while _calls(tmp_path) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    with OutputDir(tmp_path / "out", command="test") as held:  # kill -9 left no stale lock
        assert held.path == tmp_path / "out"
    assert not (tmp_path / "out" / ".backbone" / "lock").exists()


def test_a_released_directory_is_taken_again_in_process(tmp_path: Path) -> None:
    with (
        OutputDir(tmp_path / "run", command="one"),
        pytest.raises(InputError, match=r"in use by another backbone process \(pid \d+ .*'one'"),
    ):
        OutputDir(tmp_path / "run", command="two").__enter__()
    with OutputDir(tmp_path / "run", command="three") as again:
        assert "'three' since" in (again.path / ".backbone" / "lock").read_text()
    assert not (tmp_path / "run" / ".backbone").exists()


@pytest.mark.parametrize("where", ["below-a-file", "is-a-file"])
def test_an_impossible_out_exits_2_before_any_call(tmp_path: Path, where: str) -> None:
    _project(tmp_path)
    (tmp_path / "afile").write_text("x")
    out = "afile/run" if where == "below-a-file" else "afile"
    proc = _run(tmp_path, out)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert "afile" in err and "Traceback" not in err
    assert _calls(tmp_path) == 0


def test_an_out_whose_name_is_too_long_exits_2_before_any_call(tmp_path: Path) -> None:
    """`run --out NAME` with a name longer than the file system allows (255 bytes) ended in
    an OSError traceback from stat() (so did audit, monitor and probe)."""
    _project(tmp_path)
    proc = _run(tmp_path, "r" * 300)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert "File name too long" in err and "Traceback" not in err
    assert _calls(tmp_path) == 0


def test_an_output_dir_whose_name_is_too_long_is_bad_input(tmp_path: Path) -> None:
    """rescore holds its --out with OutputDir alone: an OSError traceback there too."""
    with pytest.raises(InputError, match="cannot be created: File name too long"):
        OutputDir(tmp_path / ("r" * 300), command="rescore").__enter__()
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_previous_set_whole(tmp_path: Path) -> None:
    out = tmp_path / "run"
    with OutputDir(out, command="test") as held:
        held.write_set({"a.txt": "old a", "b.txt": "old b"})
    # a file-size limit makes the second file's write fail part-way, as a full disk would
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        sys.path.insert(0, {str(ROOT / "src")!r})
        from backbone.core.errors import InputError
        from backbone.core.output_dir import OutputDir
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            with OutputDir({str(out)!r}, command="test") as held:
                held.write_set({{"a.txt": "new a", "b.txt": "x" * 100_000}})
        except InputError as exc:
            print(exc)
            sys.exit(2)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == (
        f"{out / 'b.txt'}: cannot write: File too large "
        "(so none of the 2 output files was written)\n"
    )
    assert (out / "a.txt").read_text() == "old a"
    assert (out / "b.txt").read_text() == "old b"
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]


def test_files_get_the_umask_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with OutputDir(tmp_path / "run", command="test") as held:
            held.write_set({"results.json": "{}"})
    finally:
        os.umask(old)
    assert (tmp_path / "run" / "results.json").stat().st_mode & 0o777 == 0o644


def test_an_outdir_that_is_a_file_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(InputError, match="not a directory"), OutputDir(tmp_path / "f", command="t"):
        pass


def test_a_failed_command_leaves_no_folder_it_made(tmp_path: Path) -> None:
    """Bad input found after the directory was taken (a suite with nothing to probe) writes
    nothing, so the folders entering made are gone again; a folder that was there stays,
    and so does one that holds something."""
    made = tmp_path / "a" / "b" / "out"
    with pytest.raises(InputError), OutputDir(made, command="t"):
        raise InputError.single("s.yaml", None, "nothing to probe")
    assert not (tmp_path / "a").exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    with pytest.raises(InputError), OutputDir(kept / "out", command="t"):
        raise InputError.single("s.yaml", None, "nothing to probe")
    assert kept.is_dir() and not (kept / "out").exists()
    with pytest.raises(RuntimeError), OutputDir(tmp_path / "busy", command="t") as held:
        held.write_set({"partial.json": "{}"})
        raise RuntimeError("crash after a write")
    assert (tmp_path / "busy" / "partial.json").is_file()


def test_an_outdir_on_a_full_disk_is_bad_input_and_left_no_trace(tmp_path: Path) -> None:
    """On a disk full to the last byte the empty probe and lock file are made, but writing
    the lock's holder failed: OSError (ENOSPC) with a traceback, and the folders entering
    made were left behind (an error in ``__enter__`` never reaches ``__exit__``)."""
    from tests.support.disk_faults import full_filesystem

    with full_filesystem(tmp_path / "disk") as disk:
        with pytest.raises(InputError) as caught, OutputDir(disk / "runs" / "run", command="t"):
            pass
        left = sorted(p.name for p in disk.iterdir())
    assert str(caught.value) == f"{disk / 'runs' / 'run'}: is not writable: No space left on device"
    assert left == ["filler"]


def test_a_page_another_command_wrote_is_not_replaced(tmp_path: Path) -> None:
    """An audit (monitor, ab, tells, probe) into a run's folder replaced the run's
    report.html; the command's own earlier page is replaced as before."""
    run = tmp_path / "run"
    with OutputDir(run, command="backbone run", files=("report.html", "results.json")) as od:
        od.write_set({"report.html": "run page", "results.json": "{}"})
    with (
        pytest.raises(InputError, match=r"holds a run \(results.json beside its report.html\)"),
        OutputDir(run, command="audit", files=("report.html", "audit.json")),
    ):
        pass
    assert (run / "report.html").read_text() == "run page"
    assert sorted(p.name for p in run.iterdir()) == ["report.html", "results.json"]
    with OutputDir(run, command="backbone run", files=("report.html", "results.json")) as od:
        od.write_set({"report.html": "run page 2", "results.json": "{}"})
    assert (run / "report.html").read_text() == "run page 2"
