"""Response cache: a SQLite store, and the wrapper that puts it around any target.

The key is a hash of the target's identity (provider, model, parameters, base URL), the
messages and the sample index. The same store type backs the per-run journal that makes a
killed run resumable.

What it promises under faults:

* **Private.** The database is created ``0600`` (replies may be sensitive; SQLite gives its
  ``-wal``/``-shm`` files the same mode), in a directory created ``0700``; an existing file
  of ours is tightened to ``0600``, an existing directory is left as its owner set it.
* **Corruption is survivable.** A database that SQLite finds corrupt (truncated, random bytes,
  "file is not a database"), on opening or on any later read or write, is set aside as
  ``NAME.corrupt-TIMESTAMP`` with a warning (logging, shown on stderr by the CLI) and a fresh
  one is started; the run goes on.
* **Shared safely.** Two processes (or two conversations of one) asking for the same
  uncached key do not both call the target: the first writes a *claim* row with a lease and
  calls; the others poll (20 ms doubling to 0.5 s) until its reply is stored. Waits are
  bounded: a claim whose owner failed is released at once; one whose process died on this
  host is taken over at once; any other lapses after :data:`LEASE` seconds unless its owner,
  still calling, renews it; after ``max_wait`` a waiter calls the target itself.
* **Only real replies are kept.** A failure is never stored, nor an empty reply (a server's
  HTTP 200 with an empty message: as likely a fault as the model's answer). The empty reply
  stands for the run that got it (the graders call it an empty reply, a turn no one can
  read); the next run asks the target again, instead of being served the blank for good.
  It is not retried within the run: it is a well-formed answer, not one of the transient
  faults the retry wrapper knows by their error type, and asking again at once with the same
  request would often pay for the same blank.

Example:
    >>> import asyncio, tempfile, pathlib
    >>> from backbone.targets.python_callable import CallableTarget
    >>> from backbone.targets.messages import ChatMessage, Request
    >>> store = ResponseStore(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite")
    >>> t = CachedTarget(CallableTarget(lambda m: "B", name="x"), store)
    >>> r = Request((ChatMessage("user", "?"),))
    >>> asyncio.run(t.complete(r)).cached, asyncio.run(t.complete(r)).cached
    (False, True)
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

from backbone.core.errors import InputError
from backbone.targets.base import Target, layers
from backbone.targets.messages import Reply, Request, Usage

log = logging.getLogger(__name__)
T = TypeVar("T")

LEASE = 30.0
"""Seconds a claim lasts unless its owner renews it (it does every third of that)."""
MAX_WAIT = 600.0
"""Seconds a waiter waits for another's reply before calling the target itself."""
_POLL_FIRST, _POLL_MAX = 0.02, 0.5

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS responses (
        key TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        created REAL NOT NULL,
        cut INTEGER,
        cut_by_context INTEGER
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS claims (
        key TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires REAL NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS learned (
        target TEXT PRIMARY KEY,
        settings TEXT NOT NULL
    )
    """,
)
_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_HOST = socket.gethostname()


def default_cache_dir() -> Path:
    """``$BACKBONE_CACHE_DIR`` (a leading ``~`` or ``~user`` is that home folder, as the
    shell would read it unquoted), else the user's cache directory (platformdirs)."""
    env = os.environ.get("BACKBONE_CACHE_DIR")
    if env:
        # quoted ('~/x' in a CI file, an env: block) the shell leaves it literal: taken as
        # it stood, a folder named "~" was made in the working directory
        return Path(os.path.expanduser(env))
    import platformdirs

    return Path(platformdirs.user_cache_dir("backbone"))


RESPONSES_FILE = "responses.sqlite"


def open_response_cache() -> ResponseStore:
    """The shared response cache (``responses.sqlite`` in :func:`default_cache_dir`); raises
    :class:`InputError` naming the folder when it cannot be kept there (a file in the way, a
    folder that cannot be written, a full disk)."""
    return open_store(default_cache_dir() / RESPONSES_FILE)


CACHE_ADVICE = "set BACKBONE_CACHE_DIR to a folder you can write, or pass --no-cache"
_UNUSABLE = ("readonly", "unable to open", "disk I/O", "disk is full")
"""What SQLite says when the folder (not the file's contents) is the trouble."""


def open_store(
    path: Path,
    *,
    what: str = "the response cache",
    advice: str = CACHE_ADVICE,
    locked_advice: str = "set BACKBONE_CACHE_DIR to another folder, or pass --no-cache",
    store: Callable[[Path], ResponseStore] | None = None,
) -> ResponseStore:
    """A :class:`ResponseStore` at ``path``; raises :class:`InputError` naming its folder
    when the store cannot be kept there (a file in the way, a folder that cannot be written,
    a full disk: ``advice`` says what to do) or naming the file when another process holds
    its lock past :data:`BUSY_TIMEOUT` or it is a database of another making whose tables
    backbone cannot use (``locked_advice``). ``store`` makes it (a subclass, say; default
    :class:`ResponseStore`).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()) / "out"
        >>> _ = folder.write_text("")
        >>> try:
        ...     open_store(folder / "journal.sqlite", what="the journal", advice="pick another")
        ... except InputError as exc:
        ...     print(exc.problems[0].message)
        the journal cannot be kept here (it is a file): pick another
    """
    folder = path.parent
    try:
        return (store or ResponseStore)(path)
    except (OSError, sqlite3.OperationalError) as exc:
        text = str(exc)
        if isinstance(exc, NotSQLite):
            raise InputError.single(
                str(path), None, f"{what} is {text}, not backbone's: move it away, {locked_advice}"
            ) from None
        if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
            raise InputError.single(
                str(path),
                None,
                f"{what} is locked by another process (waited {BUSY_TIMEOUT:g} s): let it "
                f"finish, {locked_advice}",
            ) from None
        if isinstance(exc, sqlite3.OperationalError) and not any(cue in text for cue in _UNUSABLE):
            # not about the folder: the file is a SQLite database of another making (a
            # ``claims`` table with other columns), which ended the command with a traceback
            raise InputError.single(
                str(path),
                None,
                f"{what} is a SQLite database backbone cannot use ({text}): move it away, "
                f"{locked_advice}",
            ) from None
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else text
        if folder.exists() and not folder.is_dir():
            reason = "it is a file"
        raise InputError.single(
            str(folder), None, f"{what} cannot be kept here ({reason}): {advice}"
        ) from None


def target_key(identity: Mapping[str, Any]) -> str:
    """Stable hash of a target's identity: what it learned of its model is kept under it."""
    payload = json.dumps(identity, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def cache_key(identity: Mapping[str, Any], request: Request) -> str:
    """Stable hash of what determines a reply."""
    payload = json.dumps(
        {"target": identity, "messages": request.as_dicts(), "sample": request.sample},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    # surrogatepass: the same bytes as UTF-8 for any encodable text, and no crash otherwise
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


class NotSQLite(sqlite3.OperationalError):
    """The file is a database of another kind (its header says which): not a corrupt store,
    to be set aside and replaced, but a file of the user's, to be left as it is."""


_MAGIC = {(8, b"DUCK"): "a DuckDB database"}
"""Headers of other databases: (offset, bytes) and what they make the file."""


def check_kind(path: Path) -> None:
    """Raise :class:`NotSQLite` when ``path`` is a database of another kind. A DuckDB file
    in the cache folder (a user's own ``responses.sqlite``) was called corrupt and renamed
    ``.corrupt-DATE`` with a fresh cache in its place, the run going on (exit 0).

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "responses.sqlite"
        >>> _ = path.write_bytes(bytes(8) + b"DUCK" + bytes(4))
        >>> try:
        ...     check_kind(path)
        ... except NotSQLite as exc:
        ...     print(exc)
        a DuckDB database
    """
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return  # absent, or unreadable: opening it says what is wrong
    for (offset, magic), kind in _MAGIC.items():
        if head[offset : offset + len(magic)] == magic:
            raise NotSQLite(kind)


def is_corruption(exc: sqlite3.DatabaseError) -> bool:
    """True when SQLite says the file is damaged or not a database (not, say, locked)."""
    return getattr(exc, "sqlite_errorcode", None) in _CORRUPT


def _private_file(path: Path) -> None:
    """Create ``path`` 0600 (its directory 0700 when it is new); tighten an existing one."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)  # mkdir's mode is filtered by the umask
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):  # absent, or not ours to change
            if p.exists() and p.stat().st_uid == os.geteuid():
                os.chmod(p, 0o600)


def _owner_alive(owner: str) -> bool:
    """False only when ``owner`` (``host:pid:token``) is a process of this host that is gone."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != _HOST or not pid_text.isdigit():
        return True  # another machine's process: only its lease can tell
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours to signal
        return True
    return True


def new_owner() -> str:
    """A claim owner: this host and process, and a token unique to one call."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex}"


BUSY_TIMEOUT = 30.0
"""Seconds opening the cache waits for another process's lock on it before SQLite gives up."""

WRITE_WAIT = 1.0
"""Seconds a write of a run under way waits for another process's lock (at most
:data:`BUSY_TIMEOUT`). Another backbone holds it for the few milliseconds of one write; a
lock held longer (a SQLite browser with unsaved edits, a stuck transaction) fails the write,
and the run goes on without writing the cache. The write waits on the event loop, every
conversation with it: it waited :data:`BUSY_TIMEOUT`, a 30 s stall before the warning."""

WAL_PATIENCE = 30.0
"""Seconds to keep asking for write-ahead logging while another process holds the file."""


def use_wal(db: sqlite3.Connection, patience: float = WAL_PATIENCE) -> None:
    """Switch ``db`` to write-ahead logging. Processes that open a new file at the same time
    (two runs sharing a cache) find it locked while one of them switches it, and SQLite
    answers "database is locked" at once rather than after its busy timeout: ask again until
    the switch is made (by this process or the other), for up to ``patience`` seconds."""
    deadline = time.monotonic() + patience
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


SIDECARS = ("", "-wal", "-shm", "-journal")
"""The files of one SQLite database: itself and the log files SQLite keeps beside it."""


def database_files(path: Path) -> list[Path]:
    """The database at ``path`` and its sidecar files, to remove it whole; a copy set aside
    beside it (``NAME.corrupt-DATE``, named in a warning) is not one of them.

    Example:
        >>> [p.name for p in database_files(Path("out/journal.sqlite"))]
        ['journal.sqlite', 'journal.sqlite-wal', 'journal.sqlite-shm', 'journal.sqlite-journal']
    """
    return [path.with_name(path.name + suffix) for suffix in SIDECARS]


def set_aside(path: Path, exc: sqlite3.DatabaseError, what: str = "response store") -> None:
    """Move a corrupt database (and its -wal and -shm files) aside, with a warning."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    for suffix in ("", "-wal", "-shm"):
        src = path.with_name(path.name + suffix)
        with contextlib.suppress(FileNotFoundError):
            src.rename(aside.with_name(aside.name + suffix))
    log.warning(
        "the %s %s is corrupt (%s): set aside as %s; starting a fresh one",
        what,
        path,
        exc,
        aside,
    )


_COLUMNS = {
    "responses": ("key", "text", "input_tokens", "output_tokens", "created"),
    "claims": ("key", "owner", "expires"),
    "learned": ("target", "settings"),
}


def _check_tables(db: sqlite3.Connection) -> None:
    """Raise ``sqlite3.OperationalError`` when a table of the store's is there without a
    column the store uses, or with a column that must be given a value the store does not
    write (``NOT NULL`` with no default: a database of another making, or of another
    version), before anything is written to it. The second failed every write with an
    ``IntegrityError`` traceback mid-run.

    Example:
        >>> db = sqlite3.connect(":memory:")
        >>> _ = db.execute("CREATE TABLE claims (name TEXT)")
        >>> try:
        ...     _check_tables(db)
        ... except sqlite3.OperationalError as exc:
        ...     print(exc)
        no such column: claims.key
        >>> db = sqlite3.connect(":memory:")
        >>> _ = db.execute("CREATE TABLE claims (key TEXT, owner TEXT, expires REAL, n NOT NULL)")
        >>> try:
        ...     _check_tables(db)
        ... except sqlite3.OperationalError as exc:
        ...     print(exc)
        a column backbone does not write must have a value: claims.n
    """
    written = {**_COLUMNS, "responses": (*_COLUMNS["responses"], *_ADDED_COLUMNS)}
    for table, columns in _COLUMNS.items():
        info = list(db.execute(f"PRAGMA table_info({table})"))
        have = {str(row[1]) for row in info}
        missing = [c for c in columns if c not in have]
        if have and missing:
            raise sqlite3.OperationalError(f"no such column: {table}.{missing[0]}")
        # (cid, name, type, notnull, default, pk): a rowid alias fills itself in
        required = [
            str(row[1])
            for row in info
            if row[3] and row[4] is None and not row[5] and str(row[1]) not in written[table]
        ]
        if required:
            raise sqlite3.OperationalError(
                f"a column backbone does not write must have a value: {table}.{required[0]}"
            )


_ADDED_COLUMNS = ("cut", "cut_by_context")
"""The columns of ``responses`` added after its first version, in order."""

KEYS: dict[str, tuple[str, ...]] = {
    "responses": ("key",),
    "claims": ("key",),
    "learned": ("target",),
}
"""The store's tables, each with the columns of its one unique key."""
_CHECK = re.compile(r"\bCHECK\s*\(", re.IGNORECASE)


def check_parts(db: sqlite3.Connection, keys: Mapping[str, tuple[str, ...]] = KEYS) -> None:
    """Raise ``sqlite3.OperationalError`` when a table of the store's (``keys``: each
    table's key columns) is something backbone never makes, before anything is written: a
    view, a table with a ``CHECK`` constraint or a unique index on other columns than its
    key, or a trigger. A trigger or a check that refuses a write ended the run with an
    ``IntegrityError`` traceback; a unique index on another column had each reply replace
    the ones stored before (``INSERT OR REPLACE``), a cache that kept almost nothing.

    Example:
        >>> db = sqlite3.connect(":memory:")
        >>> _ = db.execute("CREATE TABLE claims (key TEXT PRIMARY KEY, owner TEXT, expires REAL)")
        >>> _ = db.execute("CREATE UNIQUE INDEX one ON claims (expires)")
        >>> try:
        ...     check_parts(db)
        ... except sqlite3.OperationalError as exc:
        ...     print(exc)
        a unique index backbone does not make: one on claims (expires)
    """
    names = tuple(keys)
    marks = ", ".join("?" * len(names))
    parts = db.execute(
        f"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name IN ({marks}) "
        "ORDER BY type DESC, name",
        names,
    ).fetchall()
    for kind, name, table, sql in parts:
        if kind == "trigger":
            raise sqlite3.OperationalError(f"a trigger backbone does not make: {name} on {table}")
        if kind == "view":
            raise sqlite3.OperationalError(f"{name} is a view, not a table")
        if kind == "table" and _CHECK.search(sql or ""):
            raise sqlite3.OperationalError(f"a CHECK constraint backbone does not make: {name}")
    for table in {str(t) for kind, _, t, _ in parts if kind == "table"}:
        for _, index, unique, *_ in db.execute(f"PRAGMA index_list({table})").fetchall():
            if not unique:
                continue  # it only speeds up reads
            columns = tuple(str(row[2]) for row in db.execute(f"PRAGMA index_info('{index}')"))
            if columns != keys[table]:
                raise sqlite3.OperationalError(
                    f"a unique index backbone does not make: {index} on {table} "
                    f"({', '.join(columns)})"
                )


def _add_cut_column(db: sqlite3.Connection) -> None:
    """Give a cache written before replies knew whether (and why) they were cut at the token
    limit its ``cut`` and ``cut_by_context`` columns (NULL in the rows it had: not known, read
    as not cut, or cut by ``max_tokens``).

    Example:
        >>> db = sqlite3.connect(":memory:")
        >>> _ = db.execute("CREATE TABLE responses (key TEXT PRIMARY KEY, text TEXT)")
        >>> _add_cut_column(db); _add_cut_column(db)
        >>> [row[1] for row in db.execute("PRAGMA table_info(responses)")]
        ['key', 'text', 'cut', 'cut_by_context']
    """
    have = {str(row[1]) for row in db.execute("PRAGMA table_info(responses)")}
    for column in _ADDED_COLUMNS:
        if column in have:
            continue
        try:
            db.execute(f"ALTER TABLE responses ADD COLUMN {column} INTEGER")
        except sqlite3.OperationalError as exc:
            if "duplicate column" not in str(exc):  # not another process adding it first
                raise


class ResponseStore:
    """A SQLite table of replies by key, and the claims of calls in flight. Every write is
    committed at once, so a killed process loses nothing it was told."""

    KEYS: ClassVar[Mapping[str, tuple[str, ...]]] = KEYS
    """The store's tables, each with its key's columns (:func:`check_parts`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = self._open()
        self.unwritable = False
        """Set by :class:`CachedTarget` when a write failed (a full disk, a lock another
        process held past :data:`WRITE_WAIT`): every wrapper of this store stops writing
        to it, and reads it still."""

    # ---- opening, and surviving a corrupt file -------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        check_kind(self.path)
        _private_file(self.path)
        db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, check_same_thread=False)
        try:
            _check_tables(db)
            check_parts(db, self.KEYS)
            use_wal(db)
            db.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                db.execute(statement)
            _add_cut_column(db)
            db.execute("DELETE FROM claims WHERE expires < ?", (time.time(),))
            db.commit()
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connected()
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                raise
            self._set_aside(exc)
            return self._connected()

    def _connected(self) -> sqlite3.Connection:
        """:meth:`_connect`, then writes wait at most :data:`WRITE_WAIT` for a lock."""
        db = self._connect()
        wait = min(WRITE_WAIT, BUSY_TIMEOUT)
        db.execute(f"PRAGMA busy_timeout = {round(wait * 1000)}")
        return db

    def _set_aside(self, exc: sqlite3.DatabaseError) -> None:
        set_aside(self.path, exc)

    def _run(self, op: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``op`` on the database; on corruption, start a fresh one and run it again."""
        with self._lock:
            try:
                return op(self._db)
            except sqlite3.DatabaseError as exc:
                if not is_corruption(exc):
                    # a failed write (a full disk) leaves its transaction open: end it, so
                    # the next operation does not commit half of it or wait on it
                    with contextlib.suppress(sqlite3.Error):
                        self._db.rollback()
                    raise
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
                self._set_aside(exc)
                self._db = self._connected()
                return op(self._db)

    # ---- replies -------------------------------------------------------------------------

    def get(self, key: str) -> Reply | None:
        def op(db: sqlite3.Connection) -> Any:
            return db.execute(
                "SELECT text, input_tokens, output_tokens, cut, cut_by_context FROM responses "
                "WHERE key = ?",
                (key,),
            ).fetchone()

        row = self._run(op)
        if row is None:
            return None
        text, tokens_in, tokens_out, cut, by_context = row
        if not (
            isinstance(text, str) and isinstance(tokens_in, int) and isinstance(tokens_out, int)
        ):
            # a row no backbone wrote (a NULL or a blob, in a table of another tool's making):
            # served, it was an AttributeError traceback in the graders. Dropped, it is a miss
            # (kept, no one could claim the key: a waiter would wait out ``max_wait``)
            def drop(db: sqlite3.Connection) -> None:
                db.execute("DELETE FROM responses WHERE key = ?", (key,))
                db.commit()

            self._run(drop)
            return None
        return Reply(
            text=text,
            usage=Usage(tokens_in, tokens_out),
            cached=True,
            cut=cut == 1,
            cut_by_context=cut == 1 and by_context == 1,
        )

    def put(self, key: str, reply: Reply, *, owner: str | None = None) -> None:
        """Store ``reply`` (and drop ``owner``'s claim on ``key``, in the same commit)."""

        def op(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR REPLACE INTO responses "
                "(key, text, input_tokens, output_tokens, created, cut, cut_by_context) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    reply.text,
                    reply.usage.input_tokens,
                    reply.usage.output_tokens,
                    time.time(),
                    int(reply.cut),
                    int(reply.cut_by_context),
                ),
            )
            if owner is not None:
                db.execute("DELETE FROM claims WHERE key = ? AND owner = ?", (key, owner))
            db.commit()

        self._run(op)

    # ---- what a target learned of its model -----------------------------------------------

    def learned(self, target: str) -> dict[str, Any] | None:
        """What the target whose :func:`target_key` is ``target`` learned (None: nothing
        kept, or a value no backbone wrote)."""

        def op(db: sqlite3.Connection) -> Any:
            return db.execute("SELECT settings FROM learned WHERE target = ?", (target,)).fetchone()

        row = self._run(op)
        if row is None or not isinstance(row[0], str):
            return None
        try:
            settings = json.loads(row[0])
        except ValueError:
            return None
        return settings if isinstance(settings, dict) else None

    def keep_learned(self, target: str, settings: Mapping[str, Any]) -> None:
        """Keep what the target whose :func:`target_key` is ``target`` learned."""

        def op(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR REPLACE INTO learned (target, settings) VALUES (?, ?)",
                (target, json.dumps(settings, sort_keys=True)),
            )
            db.commit()

        self._run(op)

    def __len__(self) -> int:
        (n,) = self._run(lambda db: db.execute("SELECT COUNT(*) FROM responses").fetchone())
        return int(n)

    # ---- claims: one caller per key across processes ----------------------------------------

    def claim(self, key: str, owner: str, lease: float = LEASE) -> bool:
        """Claim ``key`` for ``owner``'s call: true when no reply is stored and no one else
        holds a live claim (a lapsed claim, or one whose process died here, is taken over)."""
        now = time.time()

        def op(db: sqlite3.Connection) -> bool:
            cur = db.execute(
                "INSERT INTO claims (key, owner, expires) "
                "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM responses WHERE key = ?) "
                "ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, "
                "expires = excluded.expires WHERE claims.expires < ?",
                (key, owner, now + lease, key, now),
            )
            won = cur.rowcount == 1
            if not won:
                row = db.execute("SELECT owner FROM claims WHERE key = ?", (key,)).fetchone()
                if row is not None and not _owner_alive(row[0]):
                    cur = db.execute(
                        "UPDATE claims SET owner = ?, expires = ? WHERE key = ? AND owner = ?",
                        (owner, now + lease, key, row[0]),
                    )
                    won = cur.rowcount == 1
            db.commit()
            return won

        return self._run(op)

    def renew(self, key: str, owner: str, lease: float = LEASE) -> None:
        """Extend ``owner``'s claim on ``key`` (its call is still in flight)."""

        def op(db: sqlite3.Connection) -> None:
            db.execute(
                "UPDATE claims SET expires = ? WHERE key = ? AND owner = ?",
                (time.time() + lease, key, owner),
            )
            db.commit()

        self._run(op)

    def release(self, key: str, owner: str) -> None:
        """Drop ``owner``'s claim on ``key`` (its call failed: the next caller tries)."""

        def op(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM claims WHERE key = ? AND owner = ?", (key, owner))
            db.commit()

        self._run(op)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def storable(reply: Reply) -> bool:
    """Whether ``reply`` may be kept: not an empty one (no text but blanks). A server that
    answers HTTP 200 with an empty message is as likely at fault (overloaded, still loading
    the model) as the model is silent; kept, that blank would be served to every later run.

    Example:
        >>> storable(Reply("Rome.")), storable(Reply("")), storable(Reply(" \\n"))
        (True, False, False)
    """
    return bool(reply.text.strip())


@runtime_checkable
class Learns(Protocol):
    """A target that learns how its model must be called (a reasoning model that refuses a
    parameter, or needs a larger token limit) and changes what it sends."""

    def learned(self) -> dict[str, Any]:
        """What it learned, as JSON values."""
        ...

    def adopt(self, learned: Mapping[str, Any]) -> None:
        """Take up what a target of the same identity learned before."""
        ...


class CachedTarget:
    """Serves a stored reply when there is one; otherwise claims the key, calls the inner
    target and stores what it says (waiting instead when another caller holds the claim).
    Failures are never stored, nor is an empty reply (:func:`storable`): it is returned to
    this caller, and the next one asks the target again.

    What the provider inside learned of its model (:class:`Learns`) is kept beside the
    replies, and taken up by the next run of the same target before its first call: a run
    served from the cache, or resumed from a journal, sends (and records in
    ``options.sent``) what the run that stored the replies sent."""

    def __init__(
        self,
        inner: Target,
        store: ResponseStore,
        *,
        lease: float = LEASE,
        max_wait: float = MAX_WAIT,
    ) -> None:
        self.inner = inner
        self.store = store
        self.lease = lease
        self.max_wait = max_wait
        self._warned = False
        self._learner = next((t for t in layers(inner) if isinstance(t, Learns)), None)
        self._taught: dict[str, Any] | None = None  # what the store holds, once read

    def _recall(self) -> None:
        """Before the first call: take up what the store kept of the provider's learning."""
        if self._learner is None or self._taught is not None:
            return
        key = target_key(self.inner.identity)
        kept = self._safely(lambda: self.store.learned(key), None)
        if kept is not None:
            self._learner.adopt(kept)
        self._taught = self._learner.learned()

    def _remember(self) -> None:
        """After a call: keep what the provider learned, when it learned something new (and
        what another process kept meanwhile, taken up first)."""
        if self._learner is None or self._learner.learned() == self._taught:
            return
        learner, key = self._learner, target_key(self.inner.identity)

        def keep() -> None:
            kept = self.store.learned(key)
            if kept is not None:
                learner.adopt(kept)
            self.store.keep_learned(key, learner.learned())

        self._safely(keep, None, write=True)
        self._taught = learner.learned()

    def _safely(self, op: Callable[[], T], fallback: T, *, write: bool = False) -> T:
        """Run a store operation; when the store cannot be read or written (a full disk, an
        I/O error, a lock held past :data:`WRITE_WAIT`) warn once and go on without it: the
        call is made (or its reply returned) uncached rather than failing the conversation.
        Once a ``write`` failed, no write is tried again (``store.unwritable``): each one
        waited out the lock's timeout again, on the event loop, so a process holding the
        cache's lock (a SQLite browser with unsaved edits) held the whole run, 30 s a call,
        though the warning said it went on without caching."""
        if write and self.store.unwritable:
            return fallback
        try:
            return op()
        except (sqlite3.OperationalError, sqlite3.IntegrityError, OSError) as exc:
            # IntegrityError: a write the file refuses (a constraint of another making that
            # check_parts does not know), a reply uncached rather than a traceback
            if write:
                self.store.unwritable = True
            if not self._warned:
                self._warned = True
                log.warning(
                    "the response store %s cannot be used (%s): going on without caching "
                    "these replies",
                    self.store.path,
                    exc,
                )
            return fallback

    @property
    def identity(self) -> Mapping[str, Any]:
        return self.inner.identity

    async def _wait_for_claim(self, key: str, owner: str) -> Reply | None:
        """Claim ``key``, or wait for the holder's reply: the reply when one came, None when
        the claim is ours (or waiting ran past ``max_wait``)."""
        delay, waited = _POLL_FIRST, 0.0
        while not self._safely(lambda: self.store.claim(key, owner, self.lease), True, write=True):
            hit = self._safely(lambda: self.store.get(key), None)
            if hit is not None:
                return hit
            if waited >= self.max_wait:
                log.warning("waited %.0fs for another caller's reply; calling anyway", waited)
                return None
            await asyncio.sleep(delay)
            waited += delay
            delay = min(2 * delay, _POLL_MAX)
        return None

    async def _keep(self, key: str, owner: str) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            self._safely(lambda: self.store.renew(key, owner, self.lease), None, write=True)

    async def complete(self, request: Request) -> Reply:
        self._recall()
        key = cache_key(self.inner.identity, request)
        hit = self._safely(lambda: self.store.get(key), None)
        if hit is not None:
            return hit
        owner = new_owner()
        hit = await self._wait_for_claim(key, owner)
        if hit is not None:
            return hit
        keeper = asyncio.ensure_future(self._keep(key, owner))
        try:
            reply = await self.inner.complete(request)
        except BaseException:
            self._safely(lambda: self.store.release(key, owner), None, write=True)
            raise
        finally:
            keeper.cancel()
            self._remember()
        if not storable(reply):
            # given to this run (graded as the empty reply it is), never kept: the next run
            # asks again, and a caller waiting on the claim calls for itself
            self._safely(lambda: self.store.release(key, owner), None, write=True)
            return reply
        stored = Reply(
            text=reply.text, usage=reply.usage, cut=reply.cut, cut_by_context=reply.cut_by_context
        )

        def put() -> bool:
            self.store.put(key, stored, owner=owner)
            return True

        if not self._safely(put, False, write=True):
            # not stored: drop the claim, or the next caller would wait out its lease
            self._safely(lambda: self.store.release(key, owner), None, write=True)
        return reply
