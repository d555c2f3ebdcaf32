"""The batch journal: which provider batch carries which request, kept in SQLite so that a
killed run, started again, waits for the batches it already paid for instead of sending their
requests again.

One row per request sent in a batch: its key (the same hash as the response cache's, so the
identity of the target is in it) and the batch id. A request whose key is journaled waits for
the latest batch that carries it; a batch the provider no longer knows is forgotten. Rows older
than :data:`KEEP_DAYS` are pruned when the journal is opened (providers keep results for
about a month; the response cache keeps the replies themselves).

Example:
    >>> import tempfile, pathlib
    >>> j = BatchJournal(pathlib.Path(tempfile.mkdtemp()) / "batches.sqlite")
    >>> j.record("batch_1", ["k1", "k2"]); j.find("k2"), j.find("k3")
    ('batch_1', None)
    >>> j.forget("batch_1"); j.find("k2") is None
    True
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from backbone.targets.cache import (
    BUSY_TIMEOUT,
    WRITE_WAIT,
    _private_file,
    is_corruption,
    set_aside,
    use_wal,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

KEEP_DAYS = 30
FILE = "batches.sqlite"


class BatchJournal:
    """Request keys by provider batch id; every write committed at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._warned = False
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                if not isinstance(exc, sqlite3.OperationalError):
                    raise
                self._db = self._in_memory(exc)
            else:
                # its batches are sent again (the replies themselves are in the response cache)
                set_aside(path, exc, "batch journal")
                self._db = self._connect()
        except OSError as exc:
            self._db = self._in_memory(exc)

    def _in_memory(self, exc: Exception) -> sqlite3.Connection:
        """A journal that cannot be kept at its path (a full disk, a folder that cannot be
        written): as for a write that fails later (``_safely``), warn and go on with one in
        memory; only a resumed run sends these batches again. It was a traceback."""
        self._warned = True
        log.warning(
            "the batch journal %s cannot be used (%s): going on without it (a run started "
            "again sends these batches again)",
            self.path,
            exc,
        )
        db = sqlite3.connect(":memory:", check_same_thread=False)
        self._prepare(db)
        return db

    def _connect(self) -> sqlite3.Connection:
        _private_file(self.path)
        db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, check_same_thread=False)
        try:
            self._prepare(db)
            # once open, a write waits for another process's lock as the response cache's
            # does (it waited 30 s on the event loop, at every batch, while a SQLite browser
            # held the file)
            db.execute(f"PRAGMA busy_timeout = {round(min(WRITE_WAIT, BUSY_TIMEOUT) * 1000)}")
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> None:
        use_wal(db)
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS items (key TEXT NOT NULL, batch TEXT NOT NULL, "
            "created REAL NOT NULL)"
        )
        db.execute("CREATE INDEX IF NOT EXISTS items_key ON items (key)")
        db.execute("DELETE FROM items WHERE created < ?", (time.time() - KEEP_DAYS * 86400,))
        db.commit()

    def record(self, batch_id: str, keys: Iterable[str]) -> None:
        """Journal that ``batch_id`` carries the requests ``keys``."""
        now = time.time()
        rows = [(k, batch_id, now) for k in keys]

        def op(db: sqlite3.Connection) -> None:
            db.executemany("INSERT INTO items VALUES (?, ?, ?)", rows)
            db.commit()

        self._safely(op, None)

    def _safely(self, op: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        """Run ``op``; when the journal cannot be read or written (a full disk, an I/O
        error) warn once and go on without it: the batch already sent is still watched (a
        failure here used to leave its requests waiting forever), only a resumed run would
        send it again."""
        with self._lock:
            try:
                return op(self._db)
            except sqlite3.OperationalError as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._db.rollback()
                if not self._warned:
                    self._warned = True
                    log.warning(
                        "the batch journal %s cannot be used (%s): going on without it "
                        "(a run started again sends these batches again)",
                        self.path,
                        exc,
                    )
                return fallback

    def find(self, key: str) -> str | None:
        """The latest batch that carries ``key`` (None: none journaled)."""

        def op(db: sqlite3.Connection) -> Any:
            return db.execute(
                "SELECT batch FROM items WHERE key = ? ORDER BY created DESC, rowid DESC LIMIT 1",
                (key,),
            ).fetchone()

        row = self._safely(op, None)
        return None if row is None else str(row[0])

    def forget(self, batch_id: str) -> None:
        """Drop a batch the provider no longer has (its requests are sent again)."""

        def op(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM items WHERE batch = ?", (batch_id,))
            db.commit()

        self._safely(op, None)

    def forget_request(self, key: str) -> None:
        """Drop the request ``key`` from every batch (its reply is not to be kept: an empty
        one, see :func:`~backbone.targets.cache.storable`), so a run started again sends it
        afresh instead of reading the same reply from the old batch."""

        def op(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM items WHERE key = ?", (key,))
            db.commit()

        self._safely(op, None)

    def batches(self) -> list[str]:
        """Every journaled batch id, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT batch FROM items GROUP BY batch ORDER BY MIN(rowid)"
            ).fetchall()
        return [str(r[0]) for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
