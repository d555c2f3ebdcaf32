"""Writing output files whole or not at all, one file or a set, with the permissions any new
file gets.

``tempfile.mkstemp`` creates its file ``0600``; renamed into place as is, every report would
be private to its writer whatever the user's umask says. The temporary file is given
``0666 & ~umask`` before the rename, as ``open(path, "w")`` would.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_text_atomic(p, "hi")
    >>> p.read_text(), oct(p.stat().st_mode & 0o777) == oct(0o666 & ~current_umask())
    ('hi', True)

A command that writes several files (a report and its JSON) writes them with
:func:`write_files_atomic`: every file is staged as a temporary file beside its destination
and synced, and only when all are staged are they renamed into place; a failure while staging
(a full disk, a file-size limit) removes the staged files, so the previous set stays whole.

A path that cannot be written (below a file, no permission, a directory) is the user's input
and is reported as one: an :class:`~backbone.core.errors.InputError` naming the path and why.

A destination that is a symbolic link is written through, as ``open(path, "w")`` or a shell's
``>`` would: the file it points at is replaced (made, when the link dangles) and the link is
kept. A link that loops, or whose target's folder does not exist, is refused.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from backbone.core.errors import InputError
from backbone.core.text import clean_text

_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask (read from ``/proc`` where it can be, else set and restored)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def check_writable(path: Path, *, directory: bool = False) -> None:
    """Raise :class:`InputError` unless ``path`` (a file, or with ``directory`` a folder) can
    be written: it is not the other kind, a file is not a pipe or a device (renamed over, as
    root, ``/dev/full`` became a regular file), no parent is a file, and the nearest existing
    parent is writable. Nothing is created, so a command can check its ``--out`` before any
    call is made.

    Example:
        >>> import tempfile
        >>> blocker = Path(tempfile.mkdtemp()) / "blocker"
        >>> _ = blocker.write_text("")
        >>> try:
        ...     check_writable(blocker / "out", directory=True)
        ... except InputError as exc:
        ...     print(exc.problems[0].message)
        cannot write: blocker is a file
    """
    try:
        _check_writable(path, directory=directory)
    except OSError as exc:  # a name too long for the file system: a traceback from stat()
        raise InputError.single(str(path), None, f"cannot write: {exc.strerror or exc}") from None


def _check_writable(path: Path, *, directory: bool) -> None:
    where = str(path)
    if not directory and path.is_symlink():  # the write lands in the file it points at
        dest = link_destination(path)
        if not dest.parent.is_dir():
            raise InputError.single(
                where,
                None,
                f"cannot write: {path.name} is a link to {dest}, whose folder does not exist",
            )
        try:
            check_writable(dest)
        except InputError as exc:
            why = exc.problems[0].message
            raise InputError.single(
                where, None, f"{why} ({path.name} is a link to {dest})"
            ) from None
        return
    if path.exists():
        if directory and not path.is_dir():
            raise InputError.single(where, None, "exists and is not a directory")
        if not directory and path.is_dir():
            raise InputError.single(where, None, "cannot write: it is a directory")
        if not directory and not path.is_file():  # the rename would replace the pipe or device
            raise InputError.single(
                where, None, "cannot write: not a regular file (a pipe or a device?)"
            )
        if not os.access(path if directory else path.parent, os.W_OK):
            raise InputError.single(where, None, "cannot write: permission denied")
        return
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        if parent.is_symlink():  # no folder can be made there: "File exists" said little
            gone = f"{parent} is a link to {os.readlink(parent)}, which does not exist"
            raise InputError.single(where, None, f"cannot write: {gone}")
        parent = parent.parent
    if not parent.is_dir():
        raise InputError.single(where, None, f"cannot write: {parent.name} is a file")
    if not os.access(parent, os.W_OK):
        raise InputError.single(where, None, f"cannot write: {parent} is not writable")


def link_destination(path: Path) -> Path:
    """The file a write to ``path`` lands in: ``path`` itself, or, when it is a symbolic link
    (to a file, or dangling), the end of its chain of links. Raises :class:`InputError` for a
    link that loops.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> (d / "link.yaml").symlink_to("suite.yaml")
        >>> link_destination(d / "link.yaml") == (d / "suite.yaml").resolve()
        True
    """
    if not path.is_symlink():
        return path
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop: RuntimeError before Python 3.13, OSError after
        raise InputError.single(
            str(path), None, f"cannot write: {path.name} is a link that loops"
        ) from None


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename, so a reader (or a killed
    process) never sees half a file; the file gets ``0666 & ~umask``. Raises
    :class:`InputError` when ``path`` cannot be written. One file of
    :func:`write_files_atomic`."""
    write_files_atomic({path: text})


def write_files_atomic(files: Mapping[Path, str]) -> None:
    """Write ``files`` (path → text) as one set: all of them appear, or none does. The
    files are UTF-8: a lone surrogate in the text (an error message cut inside an escaped
    pair, bytes decoded with ``surrogateescape``) is written as U+FFFD.

    Every path is checked first (:func:`check_writable`; a link is written through, to the
    file it points at), then every file is written to a
    temporary file beside its destination, given ``0666 & ~umask`` and synced; only then are
    they renamed into place, and their folders synced. A failure while staging removes the
    staged files and raises :class:`InputError` naming the file that could not be written;
    the files already at those paths are left as they were. An interrupt (Ctrl-C) that lands
    between two renames finishes the renames first, so a set is never left half replaced.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> write_files_atomic({d / "report.html": "<p>x</p>", d / "report.json": "{}"})
        >>> sorted(p.name for p in d.iterdir())
        ['report.html', 'report.json']
    """
    for path in files:  # before any file is staged: a known-bad path writes nothing
        check_writable(path)
    files = {link_destination(p): text for p, text in files.items()}  # links written through
    mode = 0o666 & ~current_umask()
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []  # the folders this call created, parents first
    path = Path()
    try:
        for path, text in files.items():
            _make_folder(path.parent, made)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((Path(tmp), path))
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                os.fchmod(f.fileno(), mode)
                f.write(clean_text(text))  # a lone surrogate (a cut error text) as U+FFFD
                f.flush()
                os.fsync(f.fileno())
    except OSError as exc:
        _discard(staged, made)
        raise InputError.single(str(path), None, _cannot_write(exc, len(files))) from None
    except BaseException:
        _discard(staged, made)
        raise
    _publish(staged)


def _make_folder(folder: Path, made: list[Path]) -> None:
    """Create ``folder`` and its missing parents, adding each one created to ``made``."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for p in reversed(missing):
        p.mkdir(exist_ok=True)
        made.append(p)


def _cannot_write(exc: OSError, n: int) -> str:
    reason = f"cannot write: {exc.strerror or exc}"
    return reason if n == 1 else f"{reason} (so none of the {n} output files was written)"


def _discard(staged: list[tuple[Path, Path]], made: list[Path]) -> None:
    """Remove the staged files, then the folders created for them (deepest first) when
    nothing else was put in them meanwhile."""
    for tmp, _ in staged:
        tmp.unlink(missing_ok=True)
    for folder in reversed(made):
        with contextlib.suppress(OSError):  # not empty (someone else wrote there), or gone
            folder.rmdir()


def _publish(staged: list[tuple[Path, Path]]) -> None:
    """Rename every staged file onto its destination (renames need no space), then sync the
    folders so the new names survive a crash."""
    pending = list(staged)
    try:
        while pending:
            tmp, final = pending[0]
            os.replace(tmp, final)
            pending.pop(0)
    except OSError as exc:  # the destination changed under us (made a folder, removed)
        where = str(pending[0][1])
        _discard(pending, [])
        raise InputError.single(where, None, _cannot_write(exc, 1)) from None
    except BaseException:  # an interrupt between two renames: finish the set, then stop
        for tmp, final in pending:
            with contextlib.suppress(OSError):
                os.replace(tmp, final)
        raise
    for folder in dict.fromkeys(final.parent for _, final in staged):
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
