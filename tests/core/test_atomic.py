"""Atomic writes respect the umask (the temporary file they are renamed from is 0600), and a
set of files appears whole or not at all."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from backbone.core.atomic import current_umask, write_files_atomic, write_text_atomic
from backbone.core.errors import InputError
from tests.support.disk_faults import full_disk_for


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


# ---- a set of files: all of them appear, or none ------------------------------------------


def _old_set(d: Path) -> None:
    write_files_atomic({d / "report.html": "old report", d / "doc.json": "old doc"})


@pytest.mark.parametrize("fault", ["create", "write"])
def test_a_set_whose_second_file_fails_leaves_the_old_set_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    d = tmp_path / "out"
    d.mkdir()
    (d / "report.html").write_text("old report")
    before = (d / "report.html").stat().st_ino
    if fault == "create":
        asked = full_disk_for(monkeypatch, "doc.json")
    else:  # the disk fills while the second file's bytes are synced
        real_fsync, asked = os.fsync, []

        def fsync(fd: int) -> None:
            name = os.readlink(f"/proc/self/fd/{fd}")
            asked.append(name)
            if Path(name).name.startswith(".doc.json."):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(InputError) as caught:
        write_files_atomic({d / "report.html": "new report", d / "doc.json": "new doc"})
    assert len(asked) == 2  # the first file was staged before the second failed
    assert [str(p) for p in caught.value.problems] == [
        f"{d / 'doc.json'}: cannot write: No space left on device "
        "(so none of the 2 output files was written)"
    ]
    assert sorted(p.name for p in d.iterdir()) == ["report.html"]  # no .tmp left
    assert (d / "report.html").read_text() == "old report"
    assert (d / "report.html").stat().st_ino == before  # not even rewritten


def test_a_failed_set_removes_the_folders_it_created_and_only_those(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the run's folder was there (with a file of the user's); the set made runs/a/ and
    # runs/a/b/c/ for its two files, then the disk was full at the second: both were left,
    # empty, beside the user's file
    out = tmp_path / "runs"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    asked = full_disk_for(monkeypatch, "doc.json")
    with pytest.raises(InputError, match=r"doc.json: cannot write: No space left on device"):
        write_files_atomic(
            {out / "a" / "report.html": "r", out / "a" / "b" / "c" / "doc.json": "d"}
        )
    assert len(asked) == 2
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]


def test_a_set_with_a_directory_at_its_second_path_writes_nothing(tmp_path: Path) -> None:
    d = tmp_path / "out"
    (d / "doc.json").mkdir(parents=True)
    with pytest.raises(InputError, match=r"doc.json: cannot write: it is a directory"):
        write_files_atomic({d / "report.html": "new", d / "doc.json": "new"})
    assert sorted(p.name for p in d.iterdir()) == ["doc.json"]


def test_an_interrupt_between_two_renames_finishes_the_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "out"
    d.mkdir()
    _old_set(d)
    real_replace = os.replace
    calls: list[str] = []

    def replace(src: str, dst: str) -> None:
        real_replace(src, dst)
        calls.append(str(dst))
        if len(calls) == 1:
            raise KeyboardInterrupt  # Ctrl-C lands right after the first rename

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write_files_atomic({d / "report.html": "new report", d / "doc.json": "new doc"})
    assert (d / "report.html").read_text() == "new report"
    assert (d / "doc.json").read_text() == "new doc"
    assert sorted(p.name for p in d.iterdir()) == ["doc.json", "report.html"]


def test_a_set_gets_the_umask_s_permissions_in_every_folder(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_files_atomic({tmp_path / "a" / "x.xml": "<x/>", tmp_path / "b" / "y.md": "# y"})
    finally:
        os.umask(old)
    for path in (tmp_path / "a" / "x.xml", tmp_path / "b" / "y.md"):
        assert path.stat().st_mode & 0o777 == 0o640


def test_a_lone_surrogate_is_written_as_a_replacement_character(tmp_path: Path) -> None:
    # an error text decoded with surrogateescape raised UnicodeEncodeError while staging
    text = "target failed: " + b"\xff".decode("utf-8", "surrogateescape")
    write_files_atomic({tmp_path / "results.json": text})
    assert (tmp_path / "results.json").read_text(encoding="utf-8") == "target failed: \ufffd"


def test_a_folder_that_is_a_link_to_nowhere_is_named_so(tmp_path: Path) -> None:
    # making the folder failed with 'cannot write: File exists' (init --dir LINK, say)
    (tmp_path / "out").symlink_to(tmp_path / "gone")
    for path in (tmp_path / "out" / "a.yaml", tmp_path / "out" / "sub" / "a.yaml"):
        with pytest.raises(InputError) as err:
            write_files_atomic({path: "x"})
        assert [p.message for p in err.value.problems] == [
            f"cannot write: {tmp_path / 'out'} is a link to {tmp_path / 'gone'}, which does not "
            "exist"
        ]
    assert not (tmp_path / "gone").exists()


def test_a_file_that_is_a_link_is_written_through(tmp_path: Path) -> None:
    # the rename replaced the link itself with a regular file, and its target kept the old text
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.json").write_text("old")
    (tmp_path / "live.json").symlink_to(Path("real") / "a.json")
    (tmp_path / "dangling.json").symlink_to(Path("real") / "b.json")
    write_files_atomic({tmp_path / "live.json": "new a", tmp_path / "dangling.json": "new b"})
    assert (tmp_path / "live.json").is_symlink() and (tmp_path / "dangling.json").is_symlink()
    assert (tmp_path / "real" / "a.json").read_text() == "new a"
    assert (tmp_path / "real" / "b.json").read_text() == "new b"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["a.json", "b.json"]


def test_a_link_that_loops_or_points_into_no_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "far").symlink_to(tmp_path / "gone" / "x")
    (tmp_path / "dir").symlink_to(tmp_path)
    for name, said in [
        ("loop", "cannot write: loop is a link that loops"),
        ("far", f"cannot write: far is a link to {tmp_path / 'gone' / 'x'}, whose folder does not"),
        ("dir", f"cannot write: it is a directory (dir is a link to {tmp_path})"),
    ]:
        with pytest.raises(InputError) as err:
            write_files_atomic({tmp_path / "ok.txt": "x", tmp_path / name: "x"})
        assert err.value.problems[0].message.startswith(said)
    assert not (tmp_path / "ok.txt").exists() and not (tmp_path / "gone").exists()
