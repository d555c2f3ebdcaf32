"""Response cache: a SQLite store, and the wrapper that puts it around any target.

The key is a hash of the target's identity (provider, model, parameters, base URL), the
messages and the sample index. The same store type backs the per-run journal that makes a
killed run resumable.

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

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backbone.targets.base import Target
from backbone.targets.messages import Reply, Request, Usage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    created REAL NOT NULL
)
"""


def default_cache_dir() -> Path:
    """``$BACKBONE_CACHE_DIR``, else the user's cache directory (platformdirs)."""
    env = os.environ.get("BACKBONE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("backbone"))


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


class ResponseStore:
    """A SQLite table of replies by key. Every write is committed at once, so a killed
    process loses nothing it was told."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._db.commit()

    def get(self, key: str) -> Reply | None:
        with self._lock:
            row = self._db.execute(
                "SELECT text, input_tokens, output_tokens FROM responses WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        return Reply(text=row[0], usage=Usage(row[1], row[2]), cached=True)

    def put(self, key: str, reply: Reply) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
                (key, reply.text, reply.usage.input_tokens, reply.usage.output_tokens, time.time()),
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM responses").fetchone()
        return int(n)

    def close(self) -> None:
        with self._lock:
            self._db.close()


class CachedTarget:
    """Serves a stored reply when there is one; otherwise calls the inner target and stores
    what it says. Failures are never stored."""

    def __init__(self, inner: Target, store: ResponseStore) -> None:
        self.inner = inner
        self.store = store

    @property
    def identity(self) -> Mapping[str, Any]:
        return self.inner.identity

    async def complete(self, request: Request) -> Reply:
        key = cache_key(self.inner.identity, request)
        hit = self.store.get(key)
        if hit is not None:
            return hit
        reply = await self.inner.complete(request)
        self.store.put(key, Reply(text=reply.text, usage=reply.usage))
        return reply
