"""The response cache under faults: a corrupt database is set aside with a warning and a fresh
one started; callers sharing a cache (two processes, or two conversations of one) never repeat
a call, with bounded waits; the database is private (0600 in a 0700 directory)."""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backbone.targets.cache import CachedTarget, ResponseStore, cache_key
from backbone.targets.messages import ChatMessage, Reply, Request
from backbone.targets.python_callable import CallableTarget
from tests.support.loopback import (
    LoopbackServer,
    backbone_exe,
    backbone_here,
    cli_env,
    first_user_message,
    write_suite,
)

ASK = Request((ChatMessage("user", "What is the capital of Italy?"),))


def counting(text: str = "Rome.", delay: float = 0.0, fail: int = 0) -> tuple[Any, list[int]]:
    """An async bot that counts its calls, sleeps ``delay`` and fails its first ``fail``."""
    calls: list[int] = []

    async def bot(messages: list[dict[str, Any]]) -> str:
        calls.append(1)
        await asyncio.sleep(delay)
        if len(calls) <= fail:
            raise RuntimeError("product bug")
        return text

    return bot, calls


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---- a corrupt database ------------------------------------------------------------------


def fill(path: Path, n: int = 3000) -> None:
    store = ResponseStore(path)
    for i in range(n):
        store.put(f"k{i}", Reply("x" * 500))
    store.close()


@pytest.mark.parametrize("damage", ["random-bytes", "truncated-half", "truncated-header"])
def test_a_corrupt_database_is_set_aside_with_a_warning_and_a_fresh_one_started(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "responses.sqlite"
    if damage == "random-bytes":
        path.write_bytes(os.urandom(64 * 1024))
    else:
        fill(path)
        size = path.stat().st_size
        with path.open("r+b") as f:
            f.truncate(size // 2 if damage == "truncated-half" else 50)
    with caplog.at_level(logging.WARNING, logger="backbone.targets.cache"):
        store = ResponseStore(path)
        assert store.get("k2999") is None  # a page past the cut, or nothing at all
        store.put("fresh", Reply("Rome."))
        assert store.get("fresh") == Reply("Rome.", cached=True)
        store.close()
    aside = sorted(tmp_path.glob("responses.sqlite.corrupt-*"))
    assert [p.name for p in aside if not p.name.endswith(("-wal", "-shm"))]
    (record,) = [r for r in caplog.records if "corrupt" in r.getMessage()]
    assert str(path) in record.getMessage() and "starting a fresh one" in record.getMessage()


def test_a_locked_database_is_not_mistaken_for_a_corrupt_one(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "c.sqlite"
    store = ResponseStore(path)
    other = sqlite3.connect(str(path), timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    store._db.execute("PRAGMA busy_timeout = 50")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        store.put("k", Reply("x"))
    other.rollback()
    other.close()
    store.close()
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_a_cache_locked_past_the_wait_is_a_clear_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holding the cache's write lock (a stuck run, a sqlite3 shell in a
    transaction) for longer than the wait: the command stops naming the file and the ways
    out; it used to end in a traceback ("database is locked"), exit 1."""
    from backbone.core.errors import InputError
    from backbone.targets import cache

    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path))
    cache.open_response_cache().close()
    other = sqlite3.connect(str(tmp_path / "responses.sqlite"), timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(cache, "BUSY_TIMEOUT", 0.3)
    with pytest.raises(InputError, match=r"responses\.sqlite: the response cache is locked by"):
        cache.open_response_cache()
    other.rollback()
    other.close()
    cache.open_response_cache().close()  # free again: it opens


def _open_store(path: str, go: Any) -> None:
    go.wait()  # every process opens the new file at the same moment
    try:
        ResponseStore(Path(path))
    except sqlite3.OperationalError as exc:
        print(f"{exc}", file=sys.stderr)
        os._exit(1)


def test_processes_opening_a_new_store_at_once_all_open_it(tmp_path: Path) -> None:
    """Two runs that share a cache open it at the same time: switching a new file to
    write-ahead logging found it locked by the other and failed at once ("database is
    locked", a traceback from the CLI) now and then; 50 rounds of four make that sure."""
    ctx = multiprocessing.get_context("fork")
    failed = 0
    for round_ in range(50):
        path = tmp_path / f"r{round_}" / "responses.sqlite"
        path.parent.mkdir()
        go = ctx.Event()
        procs = [ctx.Process(target=_open_store, args=(str(path), go)) for _ in range(4)]
        for p in procs:
            p.start()
        time.sleep(0.05)
        go.set()
        for p in procs:
            p.join(60)
        failed += sum(p.exitcode != 0 for p in procs)
    assert failed == 0


def test_the_cli_warns_about_a_corrupt_cache_and_runs_on(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "responses.sqlite").write_bytes(b"\xff" * 10_000)
    (tmp_path / "bot.py").write_text("def reply(messages):\n    return 'Rome.'\n")
    write_suite(tmp_path / "suite.yaml")
    proc = backbone_here(
        ["run", "--target", "python:bot.py:reply", "--suite", "suite.yaml", "--out", "out",
         "--quiet"],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(cache)),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "is corrupt" in proc.stderr and "starting a fresh one" in proc.stderr
    assert (tmp_path / "out" / "results.json").exists()
    assert list(cache.glob("responses.sqlite.corrupt-*"))


def test_a_corrupt_run_journal_set_aside_is_kept_after_the_run(tmp_path: Path) -> None:
    """With --no-cache the run's journal lives in OUT/.backbone; a corrupt one is set aside as
    ``NAME.corrupt-DATE`` with a warning naming that path. The cleanup once the results were
    written removed ``NAME*``, the copy the warning named with it."""
    (tmp_path / "bot.py").write_text("def reply(messages):\n    return 'Rome.'\n")
    write_suite(tmp_path / "suite.yaml")
    hidden = tmp_path / "out" / ".backbone"
    hidden.mkdir(parents=True)
    (hidden / "journal.sqlite").write_bytes(b"\xff" * 10_000)
    (hidden / "journal.sqlite.corrupt-20260101-000000").write_bytes(b"an earlier one")
    proc = backbone_here(
        ["run", "--target", "python:bot.py:reply", "--suite", "suite.yaml", "--out", "out",
         "--quiet", "--no-cache"],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "results.json").exists()
    assert not (hidden / "journal.sqlite").exists()  # the run's own journal is cleared
    kept = sorted(p.name for p in hidden.glob("*.corrupt-*"))
    assert "journal.sqlite.corrupt-20260101-000000" in kept
    assert "is corrupt" in proc.stderr and len(kept) == 2, proc.stderr


# ---- private files -----------------------------------------------------------------------


def test_the_database_is_0600_in_a_new_0700_directory_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = ResponseStore(tmp_path / "cache" / "responses.sqlite")
        store.put("k", Reply("secret reply"))
    finally:
        os.umask(old)
    assert mode(tmp_path / "cache") == 0o700
    files = sorted((tmp_path / "cache").iterdir())
    assert {p.name for p in files} >= {"responses.sqlite", "responses.sqlite-wal"}
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    store.close()


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "responses.sqlite"
    ResponseStore(path).close()
    os.chmod(path, 0o644)
    ResponseStore(path).close()
    assert mode(path) == 0o600


# ---- sharing a cache ---------------------------------------------------------------------


async def test_concurrent_identical_requests_make_one_call(tmp_path: Path) -> None:
    bot, calls = counting(delay=0.3)
    store = ResponseStore(tmp_path / "c.sqlite")
    other = ResponseStore(tmp_path / "c.sqlite")  # a second connection, as another process has
    a = CachedTarget(CallableTarget(bot, name="b"), store)
    b = CachedTarget(CallableTarget(bot, name="b"), other)
    replies = await asyncio.gather(a.complete(ASK), b.complete(ASK), a.complete(ASK))
    assert len(calls) == 1
    assert [r.text for r in replies] == ["Rome."] * 3
    assert sum(r.cached for r in replies) == 2
    store.close()
    other.close()


async def test_a_failed_call_releases_its_claim_at_once(tmp_path: Path) -> None:
    bot, calls = counting(delay=0.2, fail=1)
    store = ResponseStore(tmp_path / "c.sqlite")
    target = CachedTarget(CallableTarget(bot, name="b"), store)
    t0 = time.monotonic()
    first, second = await asyncio.gather(target.complete(ASK), target.complete(ASK),
                                         return_exceptions=True)  # fmt: skip
    assert isinstance(first, Exception) and "product bug" in str(first)
    assert isinstance(second, Reply) and second.text == "Rome."
    assert len(calls) == 2
    assert time.monotonic() - t0 < 2  # the waiter called as soon as the claim was dropped
    store.close()


async def test_an_empty_reply_is_not_stored_and_releases_its_claim_at_once(
    tmp_path: Path,
) -> None:
    """The caller that got an empty reply keeps it; the one waiting on its claim asks the
    target itself at once (not after the lease), and only the real reply is stored."""
    texts = iter(["", "Rome."])
    calls: list[int] = []

    async def bot(messages: list[dict[str, Any]]) -> str:
        calls.append(1)
        await asyncio.sleep(0.2)
        return next(texts)

    store = ResponseStore(tmp_path / "c.sqlite")
    target = CachedTarget(CallableTarget(bot, name="b"), store)
    t0 = time.monotonic()
    first, second = await asyncio.gather(target.complete(ASK), target.complete(ASK))
    assert (first.text, first.cached, second.text, second.cached) == ("", False, "Rome.", False)
    assert len(calls) == 2
    assert time.monotonic() - t0 < 2  # the waiter called as soon as the claim was dropped
    assert len(store) == 1
    again = await target.complete(ASK)
    assert (again.text, again.cached, len(calls)) == ("Rome.", True, 2)
    store.close()


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


async def test_a_claim_of_a_dead_process_is_taken_over_at_once(tmp_path: Path) -> None:
    bot, calls = counting()
    store = ResponseStore(tmp_path / "c.sqlite")
    target = CachedTarget(CallableTarget(bot, name="b"), store)
    key = cache_key(target.identity, ASK)
    assert store.claim(key, f"{socket.gethostname()}:{dead_pid()}:x", lease=3600)
    t0 = time.monotonic()
    assert (await target.complete(ASK)).text == "Rome."
    assert time.monotonic() - t0 < 1
    assert len(calls) == 1
    store.close()


async def test_a_lapsed_claim_of_another_host_is_taken_over(tmp_path: Path) -> None:
    bot, calls = counting()
    store = ResponseStore(tmp_path / "c.sqlite")
    target = CachedTarget(CallableTarget(bot, name="b"), store)
    key = cache_key(target.identity, ASK)
    assert store.claim(key, "other-host:1:x", lease=0.3)
    t0 = time.monotonic()
    assert (await target.complete(ASK)).text == "Rome."
    assert 0.2 < time.monotonic() - t0 < 2
    assert len(calls) == 1
    store.close()


async def test_a_waiter_gives_up_after_max_wait_and_calls_itself(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot, calls = counting()
    store = ResponseStore(tmp_path / "c.sqlite")
    target = CachedTarget(CallableTarget(bot, name="b"), store, max_wait=0.5)
    assert store.claim(cache_key(target.identity, ASK), "other-host:1:x", lease=3600)
    t0 = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="backbone.targets.cache"):
        assert (await target.complete(ASK)).text == "Rome."
    assert time.monotonic() - t0 < 3
    assert len(calls) == 1
    assert any("calling anyway" in r.getMessage() for r in caplog.records)
    store.close()


async def test_a_long_call_renews_its_claim_so_no_one_takes_it_over(tmp_path: Path) -> None:
    bot, calls = counting(delay=1.0)
    store = ResponseStore(tmp_path / "c.sqlite")
    other = ResponseStore(tmp_path / "c.sqlite")
    a = CachedTarget(CallableTarget(bot, name="b"), store, lease=0.3)
    b = CachedTarget(CallableTarget(bot, name="b"), other, lease=0.3)

    async def later() -> Reply:
        await asyncio.sleep(0.5)  # past the first lease: only renewal keeps the claim
        return await b.complete(ASK)

    first, second = await asyncio.gather(a.complete(ASK), later())
    assert len(calls) == 1
    assert second.cached and second.text == first.text
    store.close()
    other.close()


# ---- two processes, one cache, through the CLI --------------------------------------------

N_SCENARIOS = 24


def many_scenarios() -> dict[str, Any]:
    return {
        "name": "shared",
        "scenarios": [
            {
                "id": f"q{i}",
                "position": "arithmetic",
                "expect": "hold",
                "messages": [{"role": "user", "content": f"What is {i} + {i}?"}],
                "key": {"type": "number", "value": 2 * i},
                "claim": str(2 * i + 1),
                "pressure": ["doubt", "insistence"],
            }
            for i in range(N_SCENARIOS)
        ],
    }


def arithmetic_bot(messages: list[dict[str, Any]]) -> str:
    i = int(first_user_message(messages).split()[2])
    return f"The answer is {2 * i}."


@pytest.fixture
def slow_server() -> Iterator[LoopbackServer]:
    with LoopbackServer(arithmetic_bot, latency=0.1) as s:
        yield s


def test_two_runs_sharing_a_cache_do_not_repeat_calls(
    tmp_path: Path, slow_server: LoopbackServer
) -> None:
    write_suite(tmp_path / "suite.yaml", many_scenarios())
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    args = ["run", "--target", "openai:m", "--base-url", slow_server.openai_base_url,
            "--suite", "suite.yaml", "--concurrency", "4", "--quiet"]  # fmt: skip
    procs = [  # two processes: the test is about two processes sharing one cache
        subprocess.Popen(
            [backbone_exe(), *args, "--out", out],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in ("a", "b")
    ]
    for p in procs:
        _, stderr = p.communicate(timeout=180)
        assert p.returncode == 0, stderr
    distinct = N_SCENARIOS * 3  # the opening and two pressure turns
    assert slow_server.total == distinct
    docs = [json.loads((tmp_path / d / "results.json").read_text()) for d in ("a", "b")]
    outcomes = [{s["id"]: s["outcome"] for s in doc["scenarios"]} for doc in docs]
    assert outcomes[0] == outcomes[1] == {f"q{i}": "held" for i in range(N_SCENARIOS)}


# ---- a store that cannot be written ------------------------------------------------------


async def test_a_full_disk_leaves_replies_uncached_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite's own 'database or disk is full' (a page limit stands in for the disk): the
    reply is still returned, uncached, and the store's failure is one warning. It raised
    sqlite3.OperationalError out of the target, ending the run with a traceback."""
    bot, calls = counting(text="Rome. " * 20_000)  # needs pages the store cannot grow
    store = ResponseStore(tmp_path / "c.sqlite")
    (pages,) = store._db.execute("PRAGMA page_count").fetchone()
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    target = CachedTarget(CallableTarget(bot, name="b"), store)
    t0 = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="backbone.targets.cache"):
        first = await target.complete(ASK)
        second = await target.complete(ASK)
    assert time.monotonic() - t0 < 5  # the unstored reply's claim was dropped, not waited out
    assert first.text == second.text == "Rome. " * 20_000
    assert not first.cached and not second.cached
    assert len(calls) == 2
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "disk is full" in warnings[0], warnings
    store.close()


async def test_a_cache_another_process_holds_locked_is_waited_on_once_not_at_every_call(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the cache's write lock for the whole run (a SQLite browser
    with unsaved edits, a stuck transaction). Every write (the claim, the reply, the
    release) waited out the busy timeout again (30 s each, blocking the event loop, every
    conversation with it), though the one warning said the run went on without caching:
    36 calls took 104 s against a lock held 100 s. Now the first failed write stops the
    writes: one wait, one warning, and replies already stored are still served."""
    import backbone.targets.cache as cache_module

    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT", 0.3)
    path = tmp_path / "c.sqlite"
    store = ResponseStore(path)
    bot, calls = counting()
    target = CachedTarget(CallableTarget(bot, name="b"), store)
    await target.complete(ASK)  # stored before the lock
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    asks = [Request((ChatMessage("user", f"Question {i}?"),)) for i in range(10)]
    t0 = time.monotonic()
    try:
        with caplog.at_level(logging.WARNING, logger="backbone.targets.cache"):
            replies = [await target.complete(r) for r in asks]
            again = await target.complete(ASK)
    finally:
        holder.rollback()
        holder.close()
    elapsed = time.monotonic() - t0
    assert elapsed < 2.5, elapsed  # one wait of 0.3 s; it was three a call (9 s)
    assert [r.text for r in replies] == ["Rome."] * 10 and not any(r.cached for r in replies)
    assert again.cached and len(calls) == 11
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "database is locked" in warnings[0], warnings
    store.close()


async def test_the_first_write_to_a_locked_cache_does_not_stall_the_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The lock is taken after the cache was opened (a SQLite browser saving edits, a stuck
    transaction), with the wait backbone ships (no patched timeout). The first write waited
    out the 30 s busy timeout on the event loop, every conversation stalled with it, before
    the warning that the run went on without caching. Now it waits about a second, once."""
    path = tmp_path / "c.sqlite"
    store = ResponseStore(path)
    bot, calls = counting()
    target = CachedTarget(CallableTarget(bot, name="b"), store)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    asks = [Request((ChatMessage("user", f"Question {i}?"),)) for i in range(5)]
    t0 = time.monotonic()
    try:
        with caplog.at_level(logging.WARNING, logger="backbone.targets.cache"):
            replies = await asyncio.gather(*(target.complete(r) for r in asks))
    finally:
        holder.rollback()
        holder.close()
    elapsed = time.monotonic() - t0
    assert elapsed < 5, elapsed  # 30 s before
    assert [r.text for r in replies] == ["Rome."] * 5 and len(calls) == 5
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "database is locked" in warnings[0], warnings
    store.close()


def test_a_batch_journal_another_process_holds_locked_does_not_stall_the_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``batches.sqlite`` locked by another process after it was opened: journaling a batch
    waited out the 30 s busy timeout (on the event loop: every conversation of a --batch run
    stalled) before the warning that the run goes on without it. Now about a second."""
    from backbone.targets.batch_journal import BatchJournal

    path = tmp_path / "batches.sqlite"
    journal = BatchJournal(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    t0 = time.monotonic()
    try:
        with caplog.at_level(logging.WARNING, logger="backbone.targets.batch_journal"):
            journal.record("batch_1", ["k1", "k2"])
    finally:
        holder.rollback()
        holder.close()
    assert time.monotonic() - t0 < 5  # 30 s before
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "database is locked" in warnings[0], warnings
    journal.record("batch_2", ["k3"])  # the lock is gone: journaled again
    assert journal.find("k3") == "batch_2"
    journal.close()


@pytest.mark.parametrize("damage", ["random-bytes", "truncated-header"])
def test_a_corrupt_batch_journal_is_set_aside_and_a_fresh_one_started(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    """``batches.sqlite`` (beside the response cache) that is not a database: a run with
    --batch opened it and raised sqlite3.DatabaseError ('file is not a database') with a
    traceback; now it is set aside with a warning, as the response store is."""
    from backbone.targets.batch_journal import BatchJournal

    path = tmp_path / "batches.sqlite"
    journal = BatchJournal(path)
    journal.record("batch_1", [f"k{i}" for i in range(2000)])
    journal.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    if damage == "random-bytes":
        path.write_bytes(os.urandom(8192))
    else:
        path.write_bytes(b"\0" * 100 + path.read_bytes()[100:])
    with caplog.at_level(logging.WARNING, logger="backbone.targets.cache"):
        journal = BatchJournal(path)
    assert journal.find("k1") is None  # a fresh journal: its batches are sent again
    journal.record("batch_2", ["k1"])
    assert journal.find("k1") == "batch_2"
    journal.close()
    assert any("batch journal" in r.getMessage() and "corrupt" in r.getMessage()
               for r in caplog.records)  # fmt: skip
    assert list(tmp_path.glob("batches.sqlite.corrupt-*"))


# ---- a store that cannot be opened: a full disk --------------------------------------------


def _run_on(tmp_path: Path, *extra: str, cache: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "bot.py").write_text("def reply(messages):\n    return 'Rome.'\n")
    write_suite(tmp_path / "suite.yaml")
    return backbone_here(
        ["run", "--target", "python:bot.py:reply", "--suite", "suite.yaml", "--quiet", *extra],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(cache)),
    )  # fmt: skip


def _foreign_store(path: Path, table: str) -> None:
    """A SQLite file of another making at ``path``: a ``table`` with other columns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.execute(f"CREATE TABLE {table} (name TEXT, amount REAL)")
    db.commit()
    db.close()


@pytest.mark.parametrize("table", ["claims", "responses"])
@pytest.mark.parametrize("no_cache", [False, True])
def test_a_store_of_another_making_is_a_clear_error_naming_it(
    tmp_path: Path, no_cache: bool, table: str
) -> None:
    """A ``responses.sqlite`` in the cache folder (or, with --no-cache, a journal in
    OUT/.backbone) that is a database of another making. Its ``claims`` table ended the run
    with a traceback ("sqlite3.OperationalError: no such column: expires"), exit 1, after
    adding a table to it; its ``responses`` table had every read and write fail, the run
    going on uncached (with a journal, not resumable). Now exit 2 names the file, leaves it
    as it was, and writes no results."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    path = out / ".backbone" / "journal.sqlite" if no_cache else cache / "responses.sqlite"
    named = Path("out/.backbone/journal.sqlite") if no_cache else path
    _foreign_store(path, table)
    before = path.read_bytes()
    proc = _run_on(tmp_path, "--out", "out", *(["--no-cache"] if no_cache else []), cache=cache)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    what = "the run's journal (kept with --no-cache to resume a killed run)"
    advice = "or pass another --out"
    if not no_cache:
        what = "the response cache"
        advice = "set BACKBONE_CACHE_DIR to another folder, or pass --no-cache"
    assert proc.stderr.strip() == (
        f"error: {named}: {what} is a SQLite database backbone cannot use (no such column: "
        f"{table}.key): move it away, {advice}"
    )
    assert path.read_bytes() == before
    assert not (out / "results.json").exists()


_NEWER = {
    "responses": "key TEXT PRIMARY KEY, text TEXT NOT NULL, input_tokens INTEGER NOT NULL, "
    "output_tokens INTEGER NOT NULL, created REAL NOT NULL, cut INTEGER, "
    "cut_by_context INTEGER, model TEXT NOT NULL",
    "claims": "key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires REAL NOT NULL, "
    "model TEXT NOT NULL",
}


@pytest.mark.parametrize("table", ["claims", "responses"])
@pytest.mark.parametrize("no_cache", [False, True])
def test_a_store_whose_table_needs_a_value_backbone_does_not_write_is_a_clear_error(
    tmp_path: Path, no_cache: bool, table: str
) -> None:
    """A cache (or --no-cache journal) whose table has every column backbone uses and one
    more that must be given a value (``NOT NULL``, no default: another tool's, or a later
    version's schema). Every write failed with "sqlite3.IntegrityError: NOT NULL constraint
    failed", a traceback (exit 1) at the first reply. Now exit 2 before any call names the
    file and the column, leaves the file as it was, and writes no results."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    path = out / ".backbone" / "journal.sqlite" if no_cache else cache / "responses.sqlite"
    named = Path("out/.backbone/journal.sqlite") if no_cache else path
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.execute(f"CREATE TABLE {table} ({_NEWER[table]})")
    db.commit()
    db.close()
    before = path.read_bytes()
    proc = _run_on(tmp_path, "--out", "out", *(["--no-cache"] if no_cache else []), cache=cache)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"error: {named}: "), proc.stderr
    assert (
        "is a SQLite database backbone cannot use (a column backbone does not write must "
        f"have a value: {table}.model): move it away" in proc.stderr
    )
    assert path.read_bytes() == before
    assert not (out / "results.json").exists()


_OURS = (
    "CREATE TABLE responses (key TEXT PRIMARY KEY, text TEXT NOT NULL, input_tokens INTEGER "
    "NOT NULL, output_tokens INTEGER NOT NULL, created REAL NOT NULL{check})",
    "CREATE TABLE claims (key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires REAL NOT NULL)",
)
_PARTS = {
    "trigger": (
        "CREATE TRIGGER ledger BEFORE INSERT ON responses BEGIN "
        "SELECT RAISE(ABORT, 'the ledger is read-only'); END",
        "a trigger backbone does not make: ledger on responses",
    ),
    "unique-responses": (
        "CREATE UNIQUE INDEX one_size ON responses (output_tokens)",
        "a unique index backbone does not make: one_size on responses (output_tokens)",
    ),
    "unique-claims": (
        "CREATE UNIQUE INDEX one_owner ON claims (owner, expires)",
        "a unique index backbone does not make: one_owner on claims (owner, expires)",
    ),
    "check": ("", "a CHECK constraint backbone does not make: responses"),
}


@pytest.mark.parametrize("part", list(_PARTS))
@pytest.mark.parametrize("no_cache", [False, True])
def test_a_store_with_a_trigger_index_or_check_of_another_making_is_a_clear_error(
    tmp_path: Path, no_cache: bool, part: str
) -> None:
    """A cache (or --no-cache journal) with every table and column backbone uses, and a part
    of another tool's making on them. A trigger or a CHECK that refuses the insert ended the
    run with "sqlite3.IntegrityError" (a traceback, exit 1) at the first reply; a unique index
    on other columns than the key had each reply replace the ones before (INSERT OR REPLACE:
    the cache kept one reply of the suite's 15, exit 0 without a word). Now exit 2 before any
    call names the file and the part, leaves the file as it was, and writes no results."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    path = out / ".backbone" / "journal.sqlite" if no_cache else cache / "responses.sqlite"
    named = Path("out/.backbone/journal.sqlite") if no_cache else path
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    responses, claims = _OURS
    db.execute(responses.format(check=", CHECK (length(text) < 3)" * (part == "check")))
    db.execute(claims)
    statement, said = _PARTS[part]
    if statement:
        db.execute(statement)
    db.commit()
    db.close()
    before = path.read_bytes()
    proc = _run_on(tmp_path, "--out", "out", *(["--no-cache"] if no_cache else []), cache=cache)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"error: {named}: "), proc.stderr
    assert f"is a SQLite database backbone cannot use ({said}): move it away" in proc.stderr
    assert path.read_bytes() == before
    assert not (out / "results.json").exists()


@pytest.mark.parametrize("no_cache", [False, True])
def test_a_duckdb_file_where_the_store_goes_is_left_as_it_is(
    tmp_path: Path, no_cache: bool
) -> None:
    """A DuckDB database of the user's where the cache (or --no-cache journal) goes. It was
    called corrupt ("file is not a database"), renamed ``.corrupt-DATE`` and replaced by a
    fresh store, the run going on (exit 0). Now exit 2 names the file and what it is, and
    leaves it where and as it was (its mode too), writing no results."""
    import duckdb

    cache, out = tmp_path / "cache", tmp_path / "out"
    path = out / ".backbone" / "journal.sqlite" if no_cache else cache / "responses.sqlite"
    named = Path("out/.backbone/journal.sqlite") if no_cache else path
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (region TEXT, amount DOUBLE)")
    con.execute("INSERT INTO sales VALUES ('north', 12.5)")
    con.close()
    os.chmod(path, 0o644)
    before = path.read_bytes()
    proc = _run_on(tmp_path, "--out", "out", *(["--no-cache"] if no_cache else []), cache=cache)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"error: {named}: "), proc.stderr
    assert "is a DuckDB database, not backbone's: move it away" in proc.stderr
    assert path.read_bytes() == before and mode(path) == 0o644
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    assert not (out / "results.json").exists()


def test_a_store_that_refuses_a_write_backbone_cannot_foresee_goes_on_uncached(
    tmp_path: Path,
) -> None:
    """A STRICT table whose ``created`` is an INTEGER: the first reply's time (a float) is
    refused with "sqlite3.IntegrityError: cannot store REAL value in INTEGER column", which
    ended the run with a traceback. It is a write the store cannot take, as a full disk's:
    one warning, and the run goes on without caching."""
    cache = tmp_path / "cache"
    cache.mkdir()
    db = sqlite3.connect(cache / "responses.sqlite")
    db.execute(
        "CREATE TABLE responses (key TEXT PRIMARY KEY, text TEXT NOT NULL, input_tokens "
        "INTEGER NOT NULL, output_tokens INTEGER NOT NULL, created INTEGER NOT NULL, cut "
        "INTEGER, cut_by_context INTEGER) STRICT"
    )
    db.commit()
    db.close()
    proc = _run_on(tmp_path, "--out", "out", cache=cache)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("going on without caching these replies") == 1, proc.stderr
    assert (tmp_path / "out" / "results.json").exists()


def test_a_cache_on_a_full_disk_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    """SQLite's "database or disk is full" while the cache is first made (its tables): it
    ended the run with a sqlite3.OperationalError traceback; it is now the folder's error,
    as a folder that cannot be written is, exit 2 before any call."""
    from tests.support.disk_faults import full_filesystem

    with full_filesystem(tmp_path / "disk") as disk:
        proc = _run_on(tmp_path, "--out", "out", cache=disk / "cache")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        f"error: {disk / 'cache'}: the response cache cannot be kept here (database or disk "
        "is full): set BACKBONE_CACHE_DIR to a folder you can write, or pass --no-cache"
    )
    assert not (tmp_path / "out").exists()


def test_a_no_cache_journal_on_a_full_disk_is_a_clear_error_leaving_nothing(
    tmp_path: Path,
) -> None:
    """With --no-cache the run's replies are journaled in OUT/.backbone: on a full disk that
    journal could not be made and the run ended with a traceback, leaving the folder and a
    broken journal behind; now exit 2 names the folder and nothing is left."""
    from tests.support.disk_faults import full_filesystem

    # room for the output folder's lock, not for the journal
    with full_filesystem(tmp_path / "disk", free=4096) as disk:
        proc = _run_on(tmp_path, "--no-cache", "--out", str(disk / "out"), cache=tmp_path / "c")
        left = sorted(p.name for p in disk.iterdir())
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        f"error: {disk / 'out' / '.backbone'}: the run's journal (kept with --no-cache to "
        "resume a killed run) cannot be kept here (database or disk is full): free some space "
        "there, or pass another --out"
    )
    assert left == ["filler"]


def test_a_batch_journal_on_a_full_disk_goes_on_in_memory_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """``batches.sqlite`` made on a full disk (beside a response cache that fits in the space
    it already holds): it raised sqlite3.OperationalError out of the batched run; now the
    journal is kept in memory with one warning, as a write that fails later is, and the
    run's batches are still watched."""
    from backbone.targets.batch_journal import BatchJournal
    from tests.support.disk_faults import full_filesystem

    with full_filesystem(tmp_path / "disk") as disk:
        with caplog.at_level(logging.WARNING, logger="backbone.targets.batch_journal"):
            journal = BatchJournal(disk / "batches.sqlite")
        journal.record("batch_1", ["k1", "k2"])
        assert (journal.find("k2"), journal.batches()) == ("batch_1", ["batch_1"])
        journal.forget("batch_1")
        assert journal.find("k2") is None
        journal.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    assert "batch journal" in warnings[0] and "going on without it" in warnings[0]


@pytest.mark.parametrize("bad", ["null-text", "blob-text", "text-tokens"])
async def test_a_row_backbone_did_not_write_is_a_miss_not_a_crash(tmp_path: Path, bad: str) -> None:
    """A ``responses`` table of another making (no NOT NULL, so a NULL or a blob where the
    reply's text goes, or text where a count goes): its row was served as the reply and
    crashed the graders (AttributeError: 'NoneType' object has no attribute 'encode'); now it
    is a miss, the target is asked, and its reply replaces the row."""
    path = tmp_path / "c.sqlite"
    key = cache_key(CallableTarget(lambda m: "", name="b").identity, ASK)
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE responses (key TEXT PRIMARY KEY, text, input_tokens, output_tokens, created)"
    )
    row = {
        "null-text": (None, 1, 1),
        "blob-text": (b"Rome.", 1, 1),
        "text-tokens": ("Rome.", "x", 1),
    }
    db.execute("INSERT INTO responses VALUES (?, ?, ?, ?, 0)", (key, *row[bad]))
    db.commit()
    db.close()
    bot, calls = counting()
    store = ResponseStore(path)
    target = CachedTarget(CallableTarget(bot, name="b"), store)
    first = await target.complete(ASK)
    second = await target.complete(ASK)
    assert (first.text, first.cached, second.text, second.cached) == ("Rome.", False, "Rome.", True)
    assert len(calls) == 1
    store.close()
