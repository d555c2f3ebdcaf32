"""Where a run commits every reply as it arrives, so that a killed run resumes with no call
repeated: the shared response cache, or, with the cache off, a journal inside the run's
output directory (cleared once the results are written).

Example:
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> with open_stores(cache=False, out=out) as stores:
    ...     stores.kept_in == out / ".backbone" / "journal.sqlite"
    True
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from backbone.targets.cache import (
    RESPONSES_FILE,
    ResponseStore,
    database_files,
    default_cache_dir,
    open_response_cache,
    open_store,
)
from backbone.targets.messages import Reply

JOURNAL_DIR = ".backbone"
JOURNAL_FILE = "journal.sqlite"


def journal_path(out: Path) -> Path:
    return out / JOURNAL_DIR / JOURNAL_FILE


def kept_in(*, cache: bool, out: Path | None) -> Path | None:
    """Where a run's replies are kept (:attr:`Stores.kept_in` of the stores
    :func:`open_stores` opens for ``cache`` and ``out``), known before they are opened: for a
    Ctrl-C before the play or after it."""
    if cache:
        return default_cache_dir() / RESPONSES_FILE
    return journal_path(out) if out is not None else None


class RunJournal(ResponseStore):
    """A run's journal: a :class:`ResponseStore` that also notes which run (``run``: the
    run's settings, see :func:`open_stores`) stored each reply, so that a resumed run counts
    its own replies, not those a killed run of other settings left in the same folder."""

    KEYS: ClassVar[Mapping[str, tuple[str, ...]]] = {
        **ResponseStore.KEYS,
        "stored_by": ("key", "run"),
    }

    def __init__(self, path: Path, run: str) -> None:
        self.run = run
        super().__init__(path)

    def _connect(self) -> sqlite3.Connection:
        db = super()._connect()
        db.execute(
            "CREATE TABLE IF NOT EXISTS stored_by (key TEXT NOT NULL, run TEXT NOT NULL, "
            "PRIMARY KEY (key, run))"
        )
        db.commit()
        return db

    def put(self, key: str, reply: Reply, *, owner: str | None = None) -> None:
        super().put(key, reply, owner=owner)

        def op(db: sqlite3.Connection) -> None:
            db.execute("INSERT OR IGNORE INTO stored_by (key, run) VALUES (?, ?)", (key, self.run))
            db.commit()

        self._run(op)

    def of_this_run(self) -> int:
        """How many of the replies kept were stored by this run's settings."""

        def op(db: sqlite3.Connection) -> Any:
            return db.execute(
                "SELECT COUNT(*) FROM responses WHERE key IN "
                "(SELECT key FROM stored_by WHERE run = ?)",
                (self.run,),
            ).fetchone()

        (n,) = self._run(op)
        return int(n)


@dataclass
class Stores:
    """The stores of one run: ``cache`` (None with the cache off) and ``journal`` (only with
    the cache off and an output directory); ``resumed`` replies were already journaled."""

    cache: ResponseStore | None
    journal: ResponseStore | None
    resumed: int = 0
    others: int = 0  # replies a run of other settings left in the journal

    @property
    def kept_in(self) -> Path | None:
        """Where the replies so far are kept (None: nowhere)."""
        store = self.journal if self.journal is not None else self.cache
        return store.path if store is not None else None

    def close(self) -> None:
        for store in (self.journal, self.cache):
            if store is not None:
                store.close()


@contextmanager
def open_stores(*, cache: bool, out: Path | None, run: str = "") -> Iterator[Stores]:
    """Open the run's stores; closed on leaving, whatever happens. ``run`` names the run's
    settings: of the replies a journal already holds, ``resumed`` counts those a run of the
    same settings stored, ``others`` the rest (a killed run of another target or suite on the
    same ``out``: kept, and read only where this run makes the same request). A run that
    fails or is interrupted holding no reply in its journal removes it: there is nothing to
    resume."""
    stores = Stores(cache=None, journal=None)
    try:
        if cache:
            stores.cache = open_response_cache()
        elif out is not None:
            path = journal_path(out)
            existed = path.exists()
            try:
                journal = open_store(
                    path,
                    what="the run's journal (kept with --no-cache to resume a killed run)",
                    advice="free some space there, or pass another --out",
                    locked_advice="or pass another --out",
                    store=partial(RunJournal, run=run),
                )
            except BaseException:
                # a full disk, say: exit 2 naming the folder (it was sqlite3.OperationalError
                # with a traceback), leaving no journal this run began behind (nor does a
                # Ctrl-C while it is opened)
                if not existed:
                    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
                        path.with_name(name).unlink(missing_ok=True)
                raise
            stores.journal = journal
            if existed:
                assert isinstance(journal, RunJournal)
                stores.resumed = journal.of_this_run()
                stores.others = len(journal) - stores.resumed
        yield stores
    except BaseException:
        # a run stopped (a refused key, say) or interrupted (Ctrl-C, SIGTERM) before any
        # reply was kept has nothing to resume: its journal goes, as bad input leaves nothing
        # (it left an empty journal)
        try:
            empty = stores.journal is not None and len(stores.journal) == 0
        except sqlite3.Error:  # unreadable: kept as it is, the run's own error told
            empty = False
        stores.close()
        if empty and out is not None:
            clear_journal(out)
        raise
    finally:
        stores.close()


def clear_journal(out: Path) -> None:
    """Remove the run's journal once its results are written (the directory's lock file,
    held until the command ends, stays, and so does a corrupt journal set aside with a
    warning naming it: the glob ``journal.sqlite*`` deleted it)."""
    for path in database_files(out / JOURNAL_DIR / JOURNAL_FILE):
        path.unlink(missing_ok=True)
