"""Provider batch mode as a target wrapper: the calls that arrive together go out as ONE
provider batch (OpenAI's Batch API, Anthropic's Message Batches), at half the online price.

The runner plays every scenario at once, so turn k of all of them reaches
:class:`BatchingTarget` in the same moment. It collects those calls until none has arrived
for a short quiet window (or ``max_items`` are waiting), submits them through a
:class:`BatchClient`, polls the batch, and hands each waiting ``complete()`` its own reply.

It sits INSIDE the response cache and the run's journal (:func:`backbone.targets.stack.wrap`):
cached replies never go to a batch, and a batch reply is stored exactly like an online one
(its identity is the online target's, so the cache keys are the same).

Partial failure: an item that errors, expires or is cancelled is sent again in the next batch
(up to ``retries`` times), then as an ordinary online call (the inner, retrying target); if
that fails too the caller gets the target error (the scenario is unscored, never passed). An
expired batch's finished items are used; the rest go to the next batch. An item whose outcome
cannot change (:attr:`ItemResult.final`: a reply with no text, only a tool call, say, or a
request refused as invalid: :func:`refused_item`) fails at once with its reason, neither sent
again nor sent online, as an online call would.

Resumable: with a :class:`~backbone.targets.batch_journal.BatchJournal`, every submitted
batch id is journaled with its request keys; a request whose key is journaled (a run killed
while its batch was open, started again) waits for that batch instead of sending it again.
An empty reply is dropped from the journal as it comes (the response cache does not keep it
either: :func:`~backbone.targets.cache.storable`), so the next run sends it afresh.

Example:
    >>> import asyncio
    >>> from backbone.targets.messages import ChatMessage, Reply, Request
    >>> class Echo:  # a BatchClient that answers at once
    ...     name, max_items = "echo", 100
    ...     def body(self, request): return {"text": request.messages[-1].content}
    ...     async def submit(self, items): self.items = dict(items); return "b1"
    ...     async def status(self, batch_id): return BatchStatus("ended", False, 1, 1)
    ...     async def results(self, batch_id):
    ...         return {k: ItemResult(Reply(b["text"].upper())) for k, b in self.items.items()}
    ...     async def aclose(self): pass
    >>> from backbone.targets.python_callable import CallableTarget
    >>> t = BatchingTarget(Echo(), CallableTarget(lambda m: "online", name="x"),
    ...                    poll_interval=0.01)
    >>> asyncio.run(t.complete(Request((ChatMessage("user", "hi"),)))).text
    'HI'
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from backbone.targets.base import Target
from backbone.targets.batch_journal import BatchJournal
from backbone.targets.cache import cache_key, storable
from backbone.targets.env_value import seconds_from_env
from backbone.targets.errors import (
    AuthenticationError,
    NoTextError,
    NotFoundError,
    RetryableTargetError,
    TargetError,
    TargetSpecError,
    UnusableTargetError,
)
from backbone.targets.http_errors import provider_message
from backbone.targets.messages import Reply, Request
from backbone.targets.retry import MAX_RETRY_AFTER, backoff_from_env

log = logging.getLogger(__name__)

POLL_VAR = "BACKBONE_BATCH_POLL_SECONDS"
DEFAULT_POLL = 30.0
DEFAULT_QUIET = 1.0
DEFAULT_RETRIES = 2
ODD_POLLS = 5
GIVE_UP_VAR = "BACKBONE_BATCH_GIVE_UP_SECONDS"
DEFAULT_GIVE_UP = 3600.0
"""Seconds of polls that all failed (5xx, 429, no connection) before a batch's requests are
given up as ``unscored``; the batch stays in the journal, so the next run polls it again."""
"""Polls in a row answered with something that is not the batch (an HTML page, JSON with no
status) before the batch is taken as lost and its requests are sent again."""
DISCOUNT = 0.5
"""Both providers charge half the online price for batched requests."""


@dataclass(frozen=True)
class ItemResult:
    """One request's outcome in a finished batch: a reply, or why there is none; ``final``
    when another try cannot change it (the request then fails at once with ``error``)."""

    reply: Reply | None = None
    error: str | None = None
    final: bool = False
    why: str | None = None  # a reply with no text: the finish reason the provider gave
    spent: bool = False  # ... and its usage shows the token limit spent (NoTextError.spent)


def read_reply(read: Callable[[], Reply]) -> ItemResult:
    """The result of reading one answered item with ``read`` (a provider's ``reply_from``):
    its reply; a final error when the reply has no text (:class:`NoTextError`: a tool call,
    the token limit spent...); else an error, which is sent again.

    Example:
        >>> def tool_call() -> Reply:
        ...     raise NoTextError("openai: the reply has no text (finish_reason 'tool_calls')")
        >>> read_reply(tool_call).final, read_reply(lambda: Reply("Rome.")).reply.text
        (True, 'Rome.')
    """
    try:
        return ItemResult(reply=read())
    except NoTextError as exc:
        return ItemResult(error=str(exc), final=True, why=exc.why, spent=exc.spent)
    except TargetError as exc:
        return ItemResult(error=str(exc))


def refused_item(status: object, body: object) -> ItemResult:
    """The result of an item the provider answered with an HTTP error ``status`` and
    ``body``: final for a client error (a 4xx other than 408 and 429: the request itself is
    refused, and would be in the next batch and online), else an error, which is sent again.

    Example:
        >>> bad = {"error": {"message": "maximum context length is 8192 tokens"}}
        >>> item = refused_item(400, bad); item.error, item.final
        ('HTTP 400: maximum context length is 8192 tokens', True)
        >>> refused_item(500, {"error": {"message": "boom"}}).final
        False
    """
    code = status if isinstance(status, int) else None
    said = provider_message(json.dumps(body)) if body is not None else ""
    final = code is not None and 400 <= code < 500 and code not in (408, 429)
    return ItemResult(error=f"HTTP {status}" + (f": {said}" if said else ""), final=final)


def keep_first_answer(out: dict[str, ItemResult], custom_id: object, item: ItemResult) -> None:
    """Record ``item`` as the result of ``custom_id`` in ``out`` unless an answer is already
    there: a results file that names a request twice (an answer, then an error or another
    answer) gives its first answer, as a success wins over an error from the other file. The
    last line won, and an error after an answer sent the request, and paid for it, again.

    Example:
        >>> out: dict[str, ItemResult] = {}
        >>> keep_first_answer(out, "k", ItemResult(error="HTTP 500"))
        >>> keep_first_answer(out, "k", ItemResult(Reply("Rome.")))
        >>> keep_first_answer(out, "k", ItemResult(error="HTTP 500"))
        >>> keep_first_answer(out, 7, ItemResult(Reply("no request has this id")))
        >>> {k: v.reply.text for k, v in out.items() if v.reply}
        {'k': 'Rome.'}
    """
    if not isinstance(custom_id, str):
        return
    kept = out.get(custom_id)
    if kept is None or kept.reply is None:
        out[custom_id] = item


@dataclass(frozen=True)
class BatchStatus:
    """A batch as the provider describes it: its state, whether it is still running, how
    many of its requests are done, and what the provider says went wrong with it (a failed
    batch's reason; ``""``: nothing)."""

    state: str
    open: bool
    done: int
    total: int
    why: str = ""


class BatchClient(Protocol):
    """One provider's batch API."""

    name: str
    max_items: int

    def body(self, request: Request) -> dict[str, Any]:
        """The provider's request body for ``request``."""
        ...

    async def submit(self, items: Sequence[tuple[str, dict[str, Any]]]) -> str:
        """Submit ``(custom_id, body)`` pairs as one batch; return its id."""
        ...

    async def status(self, batch_id: str) -> BatchStatus: ...

    async def results(self, batch_id: str) -> dict[str, ItemResult]:
        """The results of an ended batch by custom id (absent: no result for that request)."""
        ...

    async def aclose(self) -> None: ...


def poll_from_env() -> float:
    """Seconds between polls: ``$BACKBONE_BATCH_POLL_SECONDS`` (a number > 0), else 30.

    Example:
        >>> import os
        >>> os.environ[POLL_VAR] = "0.05"; poll_from_env()
        0.05
        >>> del os.environ[POLL_VAR]; poll_from_env()
        30.0
    """
    return seconds_from_env(POLL_VAR, DEFAULT_POLL, log=log, zero=False)


def give_up_from_env() -> float:
    """Seconds a batch API may fail every poll before the run stops waiting for that batch:
    ``$BACKBONE_BATCH_GIVE_UP_SECONDS`` (a number > 0), else an hour.

    Example:
        >>> import os
        >>> os.environ[GIVE_UP_VAR] = "2"; give_up_from_env()
        2.0
        >>> del os.environ[GIVE_UP_VAR]; give_up_from_env()
        3600.0
    """
    return seconds_from_env(GIVE_UP_VAR, DEFAULT_GIVE_UP, log=log, zero=False)


class BatchUnanswered(TargetError):
    """The batch API failed every poll for :func:`give_up_from_env` seconds: the batch's
    requests end ``unscored`` with this, and the batch is kept in the journal for a rerun."""


@dataclass
class BatchStats:
    """What batch mode did: batches submitted, requests batched, requests that waited for a
    journaled batch (resumed), sent again in a later batch, failed at once in a batch (a final
    error: no text, a request refused as invalid), and sent online at last (with their
    tokens, which cost the online price)."""

    batches: int = 0
    batched: int = 0
    resumed: int = 0
    rebatched: int = 0
    failed: int = 0
    online: int = 0
    online_input_tokens: int = 0
    online_output_tokens: int = 0
    batch_ids: list[str] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)  # kept in the journal for a rerun
    unanswered: int = 0  # requests of the batches given up (their batch API down for good)

    @property
    def failed_items(self) -> int:
        """Requests sent in a batch that came back without a reply: each one sent again in a
        later batch, sent online at last, failed at once (final) or given up with its
        batch, as a retried online call counts each failed attempt."""
        return self.rebatched + self.online + self.failed + self.unanswered


@dataclass
class _Item:
    key: str
    request: Request
    future: asyncio.Future[Reply | None]
    attempts: int = 0


class BatchingTarget:
    """Sends the calls that arrive together as one provider batch; see the module doc."""

    def __init__(
        self,
        client: BatchClient,
        inner: Target,
        *,
        journal: BatchJournal | None = None,
        poll_interval: float | None = None,
        give_up: float | None = None,
        quiet: float | None = None,
        retries: int = DEFAULT_RETRIES,
        max_items: int | None = None,
        on_progress: Callable[[str], None] | None = None,
    ) -> None:
        self.client = client
        self.inner = inner
        self.journal = journal
        self.poll_interval = poll_from_env() if poll_interval is None else poll_interval
        self.give_up = give_up_from_env() if give_up is None else give_up
        self.quiet = min(DEFAULT_QUIET, self.poll_interval) if quiet is None else quiet
        self.retries = retries
        self.max_items = max_items or client.max_items
        self.on_progress = on_progress
        self.stats = BatchStats()
        self._flights: dict[str, _Item] = {}
        self._pending: dict[str, _Item] = {}
        self._watching: dict[str, dict[str, _Item]] = {}
        self._last_arrival = 0.0
        self._flusher: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def identity(self) -> Mapping[str, Any]:
        return self.inner.identity

    async def complete(self, request: Request) -> Reply:
        key = cache_key(self.identity, request)
        item = self._flights.get(key)
        if item is None:
            loop = asyncio.get_running_loop()
            item = _Item(key, request, loop.create_future())
            self._flights[key] = item
            batch_id = self.journal.find(key) if self.journal is not None else None
            if batch_id is not None:
                self.stats.resumed += 1
                self._attach(batch_id, item)
            else:
                self._enqueue(item)
        reply = await asyncio.shield(item.future)
        if reply is not None:
            return reply
        # the batches gave up on it: one ordinary online call (the inner target retries)
        self.stats.online += 1
        online = await self.inner.complete(request)
        self.stats.online_input_tokens += online.usage.input_tokens
        self.stats.online_output_tokens += online.usage.output_tokens
        return online

    # ---- collecting calls into batches -----------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _enqueue(self, item: _Item) -> None:
        self._pending[item.key] = item
        loop = asyncio.get_running_loop()
        self._last_arrival = loop.time()
        if len(self._pending) >= self.max_items:
            self._submit_pending()
        elif self._flusher is None:
            self._flusher = asyncio.ensure_future(self._flush_when_quiet())

    async def _flush_when_quiet(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            wait = self._last_arrival + self.quiet - loop.time()
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        self._flusher = None
        self._submit_pending()

    def _submit_pending(self) -> None:
        while self._pending:
            keys = list(self._pending)[: self.max_items]
            items = [self._pending.pop(k) for k in keys]
            self._spawn(self._run_batch(items))

    async def _run_batch(self, items: list[_Item]) -> None:
        try:
            lines = [(it.key, self.client.body(it.request)) for it in items]
            batch_id = await self._submit(lines)
        except TargetError as exc:
            # the provider refused the batch itself (no batch API, a bad key...): every
            # request in it fails with that error (unscored), and a refused key or a 404
            # stops the run
            if isinstance(exc, NotFoundError):
                exc = NotFoundError(f"{exc} (a server with no batch API? run without --batch)")
            for it in items:
                self._fail(it, exc)
            return
        except Exception as exc:  # anything unforeseen fails its requests; none waits forever
            for it in items:
                self._fail(it, TargetError(f"{self.client.name} batch: {exc!r}"))
            return
        if self.journal is not None:
            self.journal.record(batch_id, (it.key for it in items))
        self.stats.batches += 1
        self.stats.batched += len(items)
        self.stats.batch_ids.append(batch_id)
        self._note(f"batch {batch_id}: {len(items)} requests submitted")
        self._watching[batch_id] = {it.key: it for it in items}
        await self._watch(batch_id, first_poll_now=False)

    async def _submit(self, lines: list[tuple[str, dict[str, Any]]]) -> str:
        """Submit, retrying transient faults (5xx, 429, a dropped connection) with backoff."""
        delay = backoff_from_env()
        for attempt in range(1, 7):
            try:
                return await self.client.submit(lines)
            except RetryableTargetError as exc:
                if attempt == 6:
                    raise
                wait = delay
                if exc.retry_after is not None:  # the server's word, capped as online retry
                    wait = min(exc.retry_after, MAX_RETRY_AFTER)  # caps it: "1e999" is inf
                log.warning(
                    "submitting a batch failed (%s); trying again in %gs", exc, round(wait, 2)
                )
                await asyncio.sleep(wait)
                delay = min(2 * delay, 30.0)
        raise AssertionError("unreachable")  # pragma: no cover

    # ---- waiting for a batch ----------------------------------------------------------------

    def _attach(self, batch_id: str, item: _Item) -> None:
        """Wait for a journaled batch (polled at once: it may have ended while we were away)."""
        waiting = self._watching.get(batch_id)
        if waiting is not None:
            waiting[item.key] = item
            return
        self._watching[batch_id] = {item.key: item}
        self._note(f"batch {batch_id}: resuming (journaled by an earlier run)")
        self._spawn(self._watch(batch_id, first_poll_now=True))

    async def _watch(self, batch_id: str, *, first_poll_now: bool) -> None:
        try:
            await self._watch_until_settled(batch_id, first_poll_now)
        except Exception as exc:  # anything unforeseen fails its requests; none waits forever
            self._fail_all(batch_id, TargetError(f"{self.client.name} batch {batch_id}: {exc!r}"))

    async def _watch_until_settled(self, batch_id: str, first_poll_now: bool) -> None:
        status: BatchStatus | None = None
        results: dict[str, ItemResult] = {}
        lost = ""
        try:
            status, lost = await self._poll_until_ended(batch_id, first_poll_now)
            if status is not None:
                results = await self._results(batch_id)
        except AuthenticationError as exc:  # a refused key stops the run
            self._fail_all(batch_id, exc)
            return
        except BatchUnanswered as exc:
            # a batch API down for good: the batch stays in the journal (paid for: the next
            # run polls it again) and its requests end unscored
            self.stats.given_up.append(batch_id)
            self.stats.unanswered += len(self._watching.get(batch_id, {}))
            log.warning("%s", exc)
            self._fail_all(batch_id, exc)
            return
        except TargetError as exc:
            lost = str(exc)
        if lost:
            log.warning("batch %s: %s; its requests are sent again", batch_id, lost)
            if self.journal is not None:
                self.journal.forget(batch_id)
        waiting = self._watching.pop(batch_id, {})
        state = status.state if status is not None else "lost"
        if status is not None and status.why:
            state += f" ({status.why})"
        for key, item in waiting.items():
            result = results.get(key)
            if result is None:
                result = ItemResult(error=f"batch {batch_id} ended {state} without a result")
            self._settle(item, result)

    def _fail_all(self, batch_id: str, exc: TargetError) -> None:
        """Fail every request waiting for ``batch_id`` with ``exc``."""
        for it in self._watching.pop(batch_id, {}).values():
            self._fail(it, exc)

    async def _poll_until_ended(
        self, batch_id: str, first_poll_now: bool
    ) -> tuple[BatchStatus | None, str]:
        """Poll until the batch ends: its last status, or None and why it is lost (a 404, or
        :data:`ODD_POLLS` answers in a row that are not the batch). A transient fault (429,
        5xx, a dropped connection) is polled through: the batch lives on; but when every poll
        has failed for ``give_up`` seconds, :class:`BatchUnanswered` is raised (a run waited
        for ever, warning every ten polls, on a batch API gone for good)."""
        wait = 0.0 if first_poll_now else self.poll_interval
        transient = odd = 0
        failing_since: float | None = None
        while True:
            await asyncio.sleep(wait)
            wait = self.poll_interval
            try:
                status = await self.client.status(batch_id)
            except RetryableTargetError as exc:
                transient += 1
                now = time.monotonic()
                failing_since = now if failing_since is None else failing_since
                if now - failing_since >= self.give_up:
                    raise BatchUnanswered(
                        f"{self.client.name}: every poll of batch {batch_id} failed for "
                        f"{now - failing_since:.0f}s ({transient} polls, the last: {exc}); "
                        "it stays in the batch journal: run again to collect it"
                    ) from None
                if transient == 1 or transient % 10 == 0:  # a streak is reported, not spammed
                    log.warning(
                        "polling batch %s failed %d time(s) in a row (%s); polling again",
                        batch_id, transient, exc,
                    )  # fmt: skip
                continue
            except AuthenticationError:
                raise
            except NotFoundError as exc:  # the provider does not know it (404): lost
                return None, str(exc)
            except TargetError as exc:
                # an answer that is not the batch (a proxy's HTML page, JSON with no status):
                # polled again; the batch is only given up as lost after ODD_POLLS of them in
                # a row (it was at the first, and its requests were paid for again)
                odd += 1
                if odd >= ODD_POLLS:
                    return None, f"{exc} ({odd} polls in a row)"
                log.warning("polling batch %s gave %s; polling again", batch_id, exc)
                continue
            transient = odd = 0
            failing_since = None
            self._note(f"batch {batch_id}: {status.done}/{status.total} done ({status.state})")
            if not status.open:
                return status, ""

    async def _results(self, batch_id: str) -> dict[str, ItemResult]:
        """The ended batch's results, asked for again on a transient fault or an answer that
        is not them (an HTML page): only a refused key, a 404 or six failures in a row give
        the batch up (its requests are then sent again, at a price)."""
        delay = backoff_from_env()
        for attempt in range(1, 7):
            try:
                return await self.client.results(batch_id)
            except UnusableTargetError:
                raise
            except TargetError:
                if attempt == 6:
                    raise
                await asyncio.sleep(delay)
                delay = min(2 * delay, 30.0)
        raise AssertionError("unreachable")  # pragma: no cover

    def _settle(self, item: _Item, result: ItemResult) -> None:
        if result.reply is not None:
            self._flights.pop(item.key, None)
            if self.journal is not None and not storable(result.reply):
                # an empty reply is not cached; journaled, the next run would read it again
                self.journal.forget_request(item.key)
            if not item.future.done():
                item.future.set_result(result.reply)
            return
        if result.final:  # the same reply would come again: no other batch, no online call
            log.warning("request %s: %s (final: not sent again)", item.key[:12], result.error)
            self.stats.failed += 1
            self._fail(item, TargetError(result.error or "no reply"))
            return
        item.attempts += 1
        if item.attempts <= self.retries:
            log.info("request %s: %s; sending it in the next batch", item.key[:12], result.error)
            self.stats.rebatched += 1
            self._enqueue(item)
            return
        log.warning(
            "request %s: %s (after %d batches); sending it online",
            item.key[:12],
            result.error,
            item.attempts,
        )
        self._flights.pop(item.key, None)
        if not item.future.done():
            item.future.set_result(None)  # the caller goes online

    def _fail(self, item: _Item, exc: BaseException) -> None:
        self._flights.pop(item.key, None)
        if not item.future.done():
            item.future.set_exception(exc)
            item.future.exception()  # retrieved by every waiter; never reported as lost

    def _note(self, text: str) -> None:
        log.info("%s", text)
        if self.on_progress is not None:
            self.on_progress(text)

    async def aclose(self) -> None:
        """Stop polling (a journaled batch is picked up by the next run) and close the
        provider's batch client."""
        tasks = [*self._tasks, *([self._flusher] if self._flusher is not None else [])]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.client.aclose()


def provider_of(target: Target) -> Target | None:
    """The HTTP provider at the bottom of a stack (following ``inner``), or None."""
    seen: Any = target
    while seen is not None:
        if getattr(seen, "provider", None) in ("openai", "anthropic") and hasattr(seen, "body"):
            return seen  # type: ignore[no-any-return]
        seen = getattr(seen, "inner", None)
    return None


def batch_client_for(target: Target, *, idle: float | None = None) -> BatchClient:
    """The batch API of the provider under ``target``: OpenAI-compatible or Anthropic, its
    calls failing (retryable) once the server is silent ``idle`` seconds (None: only their
    300 s bound). Raises :class:`TargetSpecError` for any other target (no batch API)."""
    provider = provider_of(target)
    if provider is None:
        raise TargetSpecError(
            "--batch needs an openai:MODEL or anthropic:MODEL target (provider batch APIs); "
            f"got a {target.identity.get('provider', type(target).__name__)} target"
        )
    from backbone.targets.anthropic import AnthropicTarget
    from backbone.targets.openai_compat import OpenAITarget

    if isinstance(provider, OpenAITarget):
        from backbone.targets.batch_openai import OpenAIBatchClient

        return OpenAIBatchClient(provider, idle=idle)
    assert isinstance(provider, AnthropicTarget)
    from backbone.targets.batch_anthropic import AnthropicBatchClient

    return AnthropicBatchClient(provider, idle=idle)


@dataclass(frozen=True)
class BatchSettings:
    """How :func:`backbone.targets.stack.wrap` puts batch mode around a provider."""

    journal: BatchJournal | None = None
    poll_interval: float | None = None
    quiet: float | None = None
    retries: int = DEFAULT_RETRIES
    max_items: int | None = None
    on_progress: Callable[[str], None] | None = None

    def wrap(self, target: Target, *, timeout: float | None = None) -> BatchingTarget:
        """Batch ``target``'s calls; ``timeout`` (the run's ``--timeout``) bounds how long
        the batch API may go silent in any one of its calls."""
        return BatchingTarget(
            batch_client_for(target, idle=timeout),
            target,
            journal=self.journal,
            poll_interval=self.poll_interval,
            quiet=self.quiet,
            retries=self.retries,
            max_items=self.max_items,
            on_progress=self.on_progress,
        )
