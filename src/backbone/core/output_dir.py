"""A command's output directory: checked before the first call, held by one process at a
time, and its files made visible as one set.

- **Checked first.** :class:`OutputDir` creates the directory and writes a probe file in it
  on entry, so an impossible or unwritable ``--out`` (below a file, no permission) is an
  :class:`~backbone.core.errors.InputError` before any call is made, not a traceback after.
- **Held by one process.** On entry it takes an exclusive ``flock`` on ``.backbone/lock``
  inside the directory and writes who holds it; a second process (say a second
  ``backbone run --out`` on the same directory) is refused with an ``InputError`` naming the
  holder. The kernel releases the lock when the holder exits, however it exits (Ctrl-C,
  ``kill -9``, OOM), so a stale lock never blocks the next run.
- **One set.** :meth:`OutputDir.write_set` writes every file to a temporary file beside its
  destination and syncs it; only when all are written are they renamed into place. A failure
  while writing (a full disk) removes the temporaries and leaves the previous set whole (the
  one set writer, :func:`~backbone.core.atomic.write_files_atomic`, every command uses).
  Renames need no space, so the new set replaces the old in microseconds, under the lock.

Files are written with the permissions the umask gives ordinary files (as ``open`` would),
not the 0600 of a temporary file.

Example:
    >>> import tempfile, pathlib, json
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "run"
    >>> with OutputDir(out, command="backbone run") as od:
    ...     od.write_set({"results.json": "{}", "transcripts.jsonl": ""})
    >>> sorted(p.name for p in out.iterdir())
    ['results.json', 'transcripts.jsonl']
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import tempfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from backbone.core.atomic import write_files_atomic
from backbone.core.errors import InputError

STATE_DIR = ".backbone"
LOCK_FILE = "lock"
PAGE = "report.html"
# the JSON file each command writes beside its report.html, and what the folder then holds
PAGE_OWNERS = {
    "results.json": "a run",
    "probe.json": "a probe",
    "audit.json": "an audit",
    "ab.json": "an A/B comparison",
    "tells.json": "a tells check",
    "monitor.json": "a monitor run",
}


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class OutputDir:
    """Hold ``path`` for one command: see the module's docstring.

    ``command`` says who holds it (shown to a second process that is refused); ``files``
    names the files it will write, checked on entry with the directory.
    """

    def __init__(self, path: str | Path, *, command: str, files: Iterable[str] = ()) -> None:
        self.path = Path(path)
        self.command = command
        self.files = tuple(files)
        self._lock_fd: int | None = None
        self._created: list[Path] = []  # the folders entering made, innermost first

    # --- entering: check, then lock --------------------------------------------------------

    def __enter__(self) -> OutputDir:
        try:
            self.check_writable()
            self._lock()
        except BaseException:  # __exit__ is not called: leave no folder behind that we made
            with contextlib.suppress(OSError):
                (self.path / STATE_DIR).rmdir()  # only when empty
            self._remove_created()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
        if exc is not None:  # nothing was written: leave no folder behind that we made
            self._remove_created()

    def _remove_created(self) -> None:
        for made in self._created:
            with contextlib.suppress(OSError):
                made.rmdir()  # only when empty

    def check_writable(self) -> None:
        """Create the directory and write a probe file there (InputError when impossible)."""
        where = str(self.path)
        try:
            if self.path.exists() and not self.path.is_dir():
                raise InputError.single(where, None, "exists and is not a directory")
        except OSError as exc:  # a name too long for the file system: stat() raises
            raise InputError.single(where, None, f"cannot be created: {_reason(exc)}") from None
        for name in self.files:  # the files the command will write: none may be a folder
            if (self.path / name).is_dir():
                raise InputError.single(
                    str(self.path / name), None, "cannot write: it is a directory"
                )
        self.check_page_owner()
        absent = self.path.absolute()
        while not absent.exists() and absent != absent.parent:
            self._created.append(absent)
            absent = absent.parent
        try:
            (self.path / STATE_DIR).mkdir(parents=True, exist_ok=True)
        except NotADirectoryError:
            raise InputError.single(where, None, "cannot be created: a parent is a file") from None
        except OSError as exc:
            raise InputError.single(where, None, f"cannot be created: {_reason(exc)}") from None
        try:
            with tempfile.NamedTemporaryFile(dir=self.path, prefix=".probe-"):
                pass
        except OSError as exc:
            raise InputError.single(where, None, f"is not writable: {_reason(exc)}") from None

    def check_page_owner(self) -> None:
        """Refuse a folder whose ``report.html`` another command wrote (a run's, beside its
        results.json) when this command writes its own ``report.html`` there: the other
        command's files would be left describing a page that is no longer theirs."""
        if PAGE not in self.files or not (self.path / PAGE).is_file():
            return
        for name, what in PAGE_OWNERS.items():
            if name not in self.files and (self.path / name).is_file():
                raise InputError.single(
                    str(self.path),
                    None,
                    f"holds {what} ({name} beside its {PAGE}), which this command's {PAGE} "
                    "would replace: choose another output directory",
                )

    def _lock(self) -> None:
        lock_path = self.path / STATE_DIR / LOCK_FILE
        for _ in range(100):
            try:
                fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise InputError.single(
                    str(lock_path), None, f"cannot open: {_reason(exc)}"
                ) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "unknown"
                os.close(fd)
                raise InputError.single(
                    str(self.path),
                    None,
                    f"in use by another backbone process ({holder}): wait for it to finish, "
                    "or choose another output directory",
                ) from None
            # the holder before us unlinks the file while it still holds it: a lock on an
            # unlinked file holds nothing, so take it again on the file now at the path
            try:
                same = os.stat(lock_path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        else:  # pragma: no cover - a hundred holders came and went in between
            raise InputError.single(str(lock_path), None, "could not be locked")
        started = datetime.now(UTC).isoformat(timespec="seconds")
        info = f"pid {os.getpid()} on {socket.gethostname()}, '{self.command}' since {started}"
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, info.encode("utf-8"), 0)
        except OSError as exc:  # a full disk: the empty probe and lock file fit, this not
            with contextlib.suppress(OSError):
                lock_path.unlink()
            os.close(fd)
            raise InputError.single(
                str(self.path), None, f"is not writable: {_reason(exc)}"
            ) from None
        self._lock_fd = fd

    def release(self) -> None:
        """Let the directory go, leaving no trace of the lock (the kernel also releases it if
        the process dies). The lock file is removed while still held, so that a process
        waiting on it retakes the lock on a fresh file."""
        if self._lock_fd is None:
            return
        state = self.path / STATE_DIR
        with contextlib.suppress(OSError):
            (state / LOCK_FILE).unlink()
        with contextlib.suppress(OSError):
            state.rmdir()  # only when empty (a journal of an unfinished run stays)
        os.close(self._lock_fd)  # closing the descriptor releases the flock
        self._lock_fd = None

    # --- writing ---------------------------------------------------------------------------

    def write_set(self, files: Mapping[str, str]) -> None:
        """Write ``files`` (name → text) so that they appear together or not at all (see
        :func:`~backbone.core.atomic.write_files_atomic`)."""
        write_files_atomic({self.path / name: text for name, text in files.items()})
