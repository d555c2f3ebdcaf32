"""A SQLite table for the engine queries: streamed into a temporary DuckDB database.

Ibis reaches SQLite, but its SQLite backend compiles neither ``TRY_CAST`` nor ``md5`` (the
rating scale and the seeded draw), and its regular expressions are Python's, not RE2 (the
monitor's pushback detector), so the audit's and the monitor's queries cannot run there.
DuckDB reads SQLite only through an extension it downloads, which an offline machine cannot.
So the table is read with Python's ``sqlite3`` (read-only, in batches: never whole in memory)
into a DuckDB database file in a temporary directory, and the queries run on DuckDB exactly as
on a ``duckdb://`` table; the directory goes when the log is closed.

SQLite keeps a type per value, not per column: a column whose values are all integers is read
as integers, integers and reals as reals, blobs as bytes; any text among them makes the column
text (every value as its text), as a CSV column is.

Example:
    >>> import sqlite3, tempfile, pathlib
    >>> db = pathlib.Path(tempfile.mkdtemp()) / "app.sqlite"
    >>> with sqlite3.connect(db) as c:
    ...     _ = c.execute("CREATE TABLE fb (id TEXT, stars INTEGER)")
    ...     _ = c.executemany("INSERT INTO fb VALUES (?, ?)", [("a", 5), ("b", 1)])
    >>> copy = open_sqlite_table(str(db), "fb", "sqlite://app.sqlite")
    >>> copy.table.count().execute(), copy.table.schema()["stars"]
    (2, Int64(nullable=True))
    >>> copy.close()
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from backbone.audit.source import set_memory_limit
from backbone.core.errors import InputError

BATCH = 10_000  # rows read from SQLite at a time
_COPY = "sqlite_copy"


def _arrow() -> Any:
    """pyarrow (Ibis brings it), imported when a SQLite table is read."""
    import pyarrow  # type: ignore[import-untyped]

    return pyarrow


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class SqliteCopy:
    """The Ibis table over the copy, and what to close."""

    table: Any
    backend: Any
    tmpdir: Path

    def close(self) -> None:
        try:
            self.backend.disconnect()
        finally:
            shutil.rmtree(self.tmpdir, ignore_errors=True)


def _arrow_type(kinds: str | None) -> Any:
    """The Arrow type of a column from its values' SQLite storage classes."""
    pa = _arrow()

    found = set((kinds or "").split(",")) - {"", "null"}
    if found == {"integer"}:
        return pa.int64()
    if found and found <= {"integer", "real"}:
        return pa.float64()
    if found == {"blob"}:
        return pa.binary()
    return pa.string()


@dataclass(frozen=True)
class _NotUtf8:
    """A TEXT value whose bytes are not UTF-8 (SQLite stores whatever it was given)."""

    raw: bytes


def _decode(raw: bytes) -> str | _NotUtf8:
    """The connection's text factory: TEXT as ``str``, or marked when it is not UTF-8 (the
    default factory raised inside DuckDB's reader thread, a traceback in the message)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _NotUtf8(raw)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _batches(
    cursor: sqlite3.Cursor, schema: Any, text: Sequence[bool], bad: list[str]
) -> Iterator[Any]:
    """The rows as Arrow batches; at the first TEXT value that is not UTF-8 the copy stops
    and ``bad`` says where (the caller refuses the table)."""
    pa = _arrow()

    read = 0
    while rows := cursor.fetchmany(BATCH):
        for n, row in enumerate(rows, start=read + 1):
            for value, field in zip(row, schema, strict=True):
                if isinstance(value, _NotUtf8):
                    bad.append(f"row {n}, column '{field.name}': text that is not UTF-8")
                    return
        read += len(rows)
        columns = [
            [_text(r[i]) for r in rows] if as_text else [r[i] for r in rows]
            for i, as_text in enumerate(text)
        ]
        yield pa.RecordBatch.from_arrays(
            [pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)],
            schema=schema,
        )


def open_sqlite_table(
    path: str, table: str, where: str, *, memory_limit: str | None = None
) -> SqliteCopy:
    """``table`` of the SQLite file ``path`` copied into a temporary DuckDB database, as an
    Ibis table. Raises :class:`InputError` naming ``where`` when the file is no database or
    has no such table (a view is read as a table); ``memory_limit`` is DuckDB's, for the copy
    and the queries."""
    import duckdb
    import ibis

    pa = _arrow()

    try:
        # DuckDB pulls the batches on a thread of its own (one reader at a time)
        src = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise InputError.single(where, None, f"cannot connect: {exc}") from None
    src.text_factory = _decode
    tmpdir = Path(tempfile.mkdtemp(prefix="backbone-sqlite-"))
    backend: Any = None
    try:
        try:
            names = [
                str(r[0])
                for r in src.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
                )
            ]
            if table not in names and table.startswith("main.") and table[5:] in names:
                table = table[5:]  # SQLite names the file's own schema "main"
            if table not in names:
                raise InputError.single(
                    where, None, f"no table '{table}' (tables: {', '.join(names) or 'none'})"
                )
            cursor = src.execute(f"SELECT * FROM {_ident(table)}")
            columns = [str(d[0]) for d in cursor.description]
            kinds = src.execute(
                "SELECT "
                + ", ".join(f"group_concat(DISTINCT typeof({_ident(c)}))" for c in columns)
                + f" FROM {_ident(table)}"
            ).fetchone()
        except sqlite3.Error as exc:
            raise InputError.single(where, None, f"cannot read: {exc}") from None
        schema = pa.schema([(c, _arrow_type(k)) for c, k in zip(columns, kinds, strict=True)])
        text = [f.type == pa.string() for f in schema]
        backend = ibis.duckdb.connect(str(tmpdir / "copy.duckdb"), temp_directory=str(tmpdir))
        raw = backend.con
        raw.execute("SET enable_progress_bar = false")
        if memory_limit:
            set_memory_limit(raw, memory_limit)
        bad: list[str] = []
        reader = pa.RecordBatchReader.from_batches(schema, _batches(cursor, schema, text, bad))
        try:
            raw.from_arrow(reader).create(_COPY)
            if bad:
                raise InputError.single(where, None, f"table '{table}' {bad[0]}")
        except sqlite3.Error as exc:  # a page that cannot be read, mid-table
            raise InputError.single(where, None, f"cannot read: {exc}") from None
        except duckdb.Error as exc:  # out of memory under --memory-limit
            said = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError.single(where, None, f"cannot copy the table: {said}") from None
        return SqliteCopy(backend.table(_COPY), backend, tmpdir)
    except BaseException:
        if backend is not None:
            backend.disconnect()
        shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    finally:
        src.close()
