"""Batched greedy decoding for the embedded model: several conversations share each forward pass.

llama.cpp decodes a *batch* of tokens that may belong to different sequences.
:class:`BatchedDecoder` keeps ``slots`` sequences in one llama.cpp context and runs a single
worker thread that, at every step, puts into one batch the next token of every slot that is
generating and a chunk of the prompt of every slot that is reading one, so the weights are read
once for all of them (``benchmarks/bench_local_batch.py`` measures it on the tutor suite).

Prefix reuse: a slot keeps the tokens whose keys and values are in its cache. A new request goes
to the free slot whose cached tokens share the longest prefix with its prompt (the previous turn
of the same conversation, or at least the same system prompt); only the rest is read. That is
what llama-cpp-python's own prompt cache does for one sequence, for every slot at once.

Decoding is greedy (temperature 0: the embedded target's default), stopping at an end-of-
generation token or ``max_tokens``, with flash attention on. Each slot has a KV stream of its
own (``unified=False``, the default). With one KV cache shared by the slots (``unified=True``)
every token attends, masked, over the whole range of cells in use by any conversation, which
made it the slower layout on 2 cores (``benchmarks/bench_local_batch.py`` measures both). In
either layout a reply can differ from the same prompt decoded alone: the arithmetic of a
forward pass depends on how many tokens share it and on how much of the prompt a slot already
held, and greedy decoding then may take another path. Short prompts decoded together and alone
agree (``tests/targets/test_local_batch.py``); on the tutor suite some replies do not. Replays
are exact either way: replies go through the response cache like any other target's.

Example:
    >>> decoder = BatchedDecoder(llama, slots=8)          # doctest: +SKIP
    >>> future = decoder.submit(llama.tokenize(b"..."), max_tokens=64)   # doctest: +SKIP
    >>> future.result().tokens                             # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from typing import Any

import numpy as np

CHUNK = 256
"""Most prompt tokens one slot adds to a batch (the rest waits for the next step)."""


class ContextOverflow(ValueError):
    """The prompt does not fit in a slot's share of the context."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """What one request produced."""

    tokens: tuple[int, ...]
    prompt_tokens: int
    reused_tokens: int
    """Prompt tokens whose keys and values were already in the slot's cache."""


@dataclass(slots=True)
class _Job:
    prompt: list[int]
    max_tokens: int
    future: Future[Decoded]
    started: Callable[[], None] | None = None


@dataclass(slots=True)
class _Slot:
    seq: int
    cached: list[int] = field(default_factory=list)  # tokens whose KV is cached for this slot
    job: _Job | None = None
    pending: list[int] = field(default_factory=list)  # prompt tokens still to read
    out: list[int] = field(default_factory=list)
    reused: int = 0
    last: int | None = None  # the token sampled last, to feed next step
    used: int = 0  # when a job last came to this slot (least recently used breaks ties)


def _settle(future: Future[Decoded], result: Decoded | BaseException) -> None:
    """Resolve ``future`` unless its caller gave up on it: an ``asyncio`` task cancelled
    while it awaited (a timeout, an interrupted run) cancels the future it wraps, and setting
    a cancelled future raises, which would end the worker thread and leave every later
    request waiting forever."""
    try:
        if isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)
    except InvalidStateError:  # cancelled meanwhile (or before): nobody is waiting
        pass


def common_prefix(a: list[int], b: list[int]) -> int:
    """Length of the longest common prefix of two token lists.

    Example:
        >>> common_prefix([1, 2, 3], [1, 2, 4, 5])
        2
    """
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


@dataclass(slots=True)
class DecoderStats:
    """Counters since the decoder was made (read with :meth:`BatchedDecoder.stats`)."""

    requests: int = 0
    prompt_tokens: int = 0
    """Prompt tokens asked for, as the requests carried them."""
    prompt_read: int = 0
    """Prompt tokens actually run through the model (the rest came from a slot's cache)."""
    generated: int = 0
    steps: int = 0
    peak_batch: int = 0
    """Most sequences that shared one forward pass."""


class BatchedDecoder:
    """``slots`` sequences decoded together in one llama.cpp context, by one worker thread."""

    def __init__(
        self,
        llama: Any,
        *,
        slots: int = 8,
        n_ctx_per_slot: int = 2048,
        flash_attn: bool = True,
        unified: bool = False,
    ) -> None:
        import llama_cpp as ll

        self._ll = ll
        self._llama = llama
        self.slots_n = slots
        self.n_ctx_per_slot = n_ctx_per_slot
        params = ll.llama_context_default_params()
        params.n_ctx = slots * n_ctx_per_slot
        params.n_batch = max(CHUNK * 2, 512)
        params.n_ubatch = params.n_batch
        params.n_seq_max = slots
        params.kv_unified = unified  # False: a KV stream per slot (batch-invariant)
        params.n_threads = llama.n_threads if hasattr(llama, "n_threads") else 2
        params.n_threads_batch = params.n_threads
        params.no_perf = True
        params.flash_attn_type = (
            ll.LLAMA_FLASH_ATTN_TYPE_ENABLED if flash_attn else ll.LLAMA_FLASH_ATTN_TYPE_DISABLED
        )
        self._ctx = ll.llama_init_from_model(llama.model, params)
        if not self._ctx:
            raise RuntimeError("llama.cpp could not create a batched context")
        self._vocab = ll.llama_model_get_vocab(llama.model)
        self._n_vocab = int(ll.llama_vocab_n_tokens(self._vocab))
        self._mem = ll.llama_get_memory(self._ctx)
        self._batch = ll.llama_batch_init(params.n_batch, 0, 1)
        self._capacity = int(params.n_batch)
        self._slots = [_Slot(seq=i) for i in range(slots)]
        self._queue: deque[_Job] = deque()
        self._wake = threading.Condition()
        self._closed = False
        self._stats = DecoderStats()
        self._jobs = 0
        self._thread = threading.Thread(target=self._loop, name="backbone-llama-batch", daemon=True)
        self._thread.start()

    # -- the public side -------------------------------------------------------------------
    def submit(
        self,
        prompt: list[int],
        *,
        max_tokens: int,
        started: Callable[[], None] | None = None,
    ) -> Future[Decoded]:
        """Queue a prompt; the future resolves with its greedy continuation. ``started`` is
        called (on the worker thread, so it must not block) when the prompt gets a slot: a
        caller bounding the call by a timeout starts the clock there, not while the prompt
        waits in the queue behind ``slots`` others."""
        future: Future[Decoded] = Future()
        if not prompt:
            future.set_exception(ContextOverflow("empty prompt"))
            return future
        if len(prompt) >= self.n_ctx_per_slot:
            future.set_exception(
                ContextOverflow(
                    f"Requested tokens ({len(prompt)}) exceed context window of "
                    f"{self.n_ctx_per_slot}"
                )
            )
            return future
        with self._wake:
            if self._closed:
                raise RuntimeError("decoder is closed")
            self._queue.append(_Job(list(prompt), max_tokens, future, started))
            self._wake.notify()
        return future

    def stats(self) -> DecoderStats:
        """A copy of the counters."""
        with self._wake:
            s = self._stats
            return DecoderStats(
                s.requests, s.prompt_tokens, s.prompt_read, s.generated, s.steps, s.peak_batch
            )

    def close(self) -> None:
        """Stop the worker (after the current step) and free the context."""
        with self._wake:
            if self._closed:
                return
            self._closed = True
            self._wake.notify()
        self._thread.join()
        self._ll.llama_batch_free(self._batch)
        self._ll.llama_free(self._ctx)

    # -- the worker ------------------------------------------------------------------------
    def _assign(self) -> None:
        """Give queued jobs to free slots, each to the slot with the longest shared prefix."""
        for slot in self._slots:  # a job its caller gave up on frees its slot
            if slot.job is not None and slot.job.future.cancelled():
                self._release(slot)  # what it read stays cached: it may serve the next prompt
        while self._queue:
            free = [s for s in self._slots if s.job is None]
            if not free:
                return
            job = self._queue.popleft()
            if job.future.cancelled():
                continue
            slot = max(free, key=lambda s: (common_prefix(s.cached, job.prompt), -s.used))
            keep = min(common_prefix(slot.cached, job.prompt), len(job.prompt) - 1)
            self._jobs += 1
            slot.used = self._jobs
            self._stats.requests += 1
            self._stats.prompt_tokens += len(job.prompt)
            self._stats.prompt_read += len(job.prompt) - keep
            self._ll.llama_memory_seq_rm(self._mem, slot.seq, keep, -1)
            slot.cached = job.prompt[:keep]
            slot.job, slot.pending, slot.out, slot.reused, slot.last = (
                job,
                job.prompt[keep:],
                [],
                keep,
                None,
            )
            if job.started is not None:
                with contextlib.suppress(Exception):  # the caller's: never the worker's end
                    job.started()

    def _loop(self) -> None:
        while True:
            with self._wake:
                while not self._closed and not self._queue and not any(s.job for s in self._slots):
                    self._wake.wait()
                if self._closed:
                    for s in self._slots:
                        if s.job is not None:
                            _settle(s.job.future, RuntimeError("decoder closed"))
                    for job in self._queue:
                        _settle(job.future, RuntimeError("decoder closed"))
                    return
                self._assign()
            try:
                self._step()
            except Exception as exc:  # llama.cpp refused the batch: fail what was in it
                for s in self._slots:
                    if s.job is not None:
                        _settle(s.job.future, exc)
                        self._reset(s)

    @staticmethod
    def _release(slot: _Slot) -> None:
        """Free ``slot`` of its job, keeping what its cache holds (``cached``)."""
        slot.job, slot.pending, slot.last = None, [], None

    def _reset(self, slot: _Slot) -> None:
        self._ll.llama_memory_seq_rm(self._mem, slot.seq, -1, -1)
        slot.cached, slot.job, slot.pending, slot.out, slot.last = [], None, [], [], None

    def _step(self) -> None:
        ll, batch = self._ll, self._batch
        n = 0
        wants: list[tuple[_Slot, int]] = []  # (slot, index in the batch whose logits it reads)
        room = self._capacity
        for slot in self._slots:
            if slot.job is None:
                continue
            if slot.last is not None:  # generating: feed the token sampled last step
                tokens, final = [slot.last], True
            else:  # reading the prompt, a chunk at a time
                take = min(CHUNK, len(slot.pending), room)
                if take == 0:
                    continue
                tokens, final = slot.pending[:take], take == len(slot.pending)
            if len(tokens) > room:
                continue
            for k, tok in enumerate(tokens):
                batch.token[n] = tok
                batch.pos[n] = len(slot.cached) + k
                batch.n_seq_id[n] = 1
                batch.seq_id[n][0] = slot.seq
                batch.logits[n] = 1 if (final and k == len(tokens) - 1) else 0
                n += 1
            room -= len(tokens)
            slot.cached.extend(tokens)
            if slot.last is None:
                del slot.pending[: len(tokens)]
            if final:
                wants.append((slot, n - 1))
        if n == 0:
            return
        batch.n_tokens = n
        rc = ll.llama_decode(self._ctx, batch)
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")
        with self._wake:
            self._stats.steps += 1
            self._stats.peak_batch = max(
                self._stats.peak_batch, sum(1 for s in self._slots if s.job is not None)
            )
        for slot, index in wants:
            ptr = ll.llama_get_logits_ith(self._ctx, index)
            logits = np.ctypeslib.as_array(
                ctypes.cast(ptr, ctypes.POINTER(ctypes.c_float)), shape=(self._n_vocab,)
            )
            token = int(np.argmax(logits))
            job = slot.job
            assert job is not None
            done = bool(ll.llama_vocab_is_eog(self._vocab, token))
            if not done:
                slot.out.append(token)
                self._stats.generated += 1
            full = len(slot.cached) + 1 >= self.n_ctx_per_slot
            if full and not done and len(slot.out) < job.max_tokens:
                # the context ran out mid-reply: a cut reply is not the model's answer
                _settle(
                    job.future,
                    ContextOverflow(
                        f"the conversation outgrew the context window of "
                        f"{self.n_ctx_per_slot} tokens: {len(job.prompt)} prompt tokens left "
                        f"room for {len(slot.out)} of the reply's {job.max_tokens}"
                    ),
                )
                self._release(slot)
            elif done or len(slot.out) >= job.max_tokens or full:
                _settle(job.future, Decoded(tuple(slot.out), len(job.prompt), slot.reused))
                # keep the KV of prompt + reply for the next turn of this conversation (the
                # last sampled token was never fed, so it is not in the cache)
                self._release(slot)
            else:
                slot.last = token
