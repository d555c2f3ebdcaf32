"""The embedded model's one-at-a-time path (a sampled ``--temperature``), on the real model: a
call given up on (``--timeout``, Ctrl-C) stops generating."""

from __future__ import annotations

import asyncio
import contextlib
import time

from backbone.targets.local import LocalTarget
from backbone.targets.messages import ChatMessage, Request


def ask(text: str) -> Request:
    return Request((ChatMessage("user", text),))


def test_a_sampled_call_given_up_on_stops_at_its_next_token() -> None:
    """``backbone run --temperature 0.7 --timeout 0.1``: each timed-out try ran on to its end in
    a thread no one waited for, holding the model (the retry queued behind it) and the CPU, and
    the run's exit waited for all of them (66 s against 8 s at temperature 0 for two
    scenarios; Ctrl-C took 9 s to exit). Now the generation stops at the next token."""
    target = LocalTarget(temperature=0.7, max_tokens=400, n_ctx=1024, n_threads=1)
    model = target.load()
    count = ask("Write a long story about a cat who sails the sea.")  # runs to max_tokens
    prompt_n = len(target.prompt_tokens(count))

    async def give_up_while_generating() -> tuple[int, int]:
        task = asyncio.create_task(target.complete(count))
        while model.n_tokens <= prompt_n:  # the prompt is read: it is generating
            await asyncio.sleep(0.005)
        task.cancel()
        at_cancel = model.n_tokens - prompt_n
        with contextlib.suppress(asyncio.CancelledError):
            await task
        use = LocalTarget._use_locks[target._model_key]
        deadline = time.monotonic() + 600
        while use.locked() and time.monotonic() < deadline:  # the thread lets go of the model
            await asyncio.sleep(0.01)
        return at_cancel, model.n_tokens - prompt_n

    at_cancel, at_end = asyncio.run(give_up_while_generating())
    # a token or two in flight when it was given up on; before, the whole story (400)
    assert at_end - at_cancel <= 3, (at_cancel, at_end)
    # the model serves the next call as before
    reply = asyncio.run(target.complete(ask("What is the capital of France?")))
    assert reply.text and reply.usage.output_tokens > 0


def test_a_timeout_counts_from_when_the_model_takes_the_call_up() -> None:
    """``backbone run --temperature 0.7 --concurrency 4 --timeout 1.5`` (or a pressure role on
    the same model): the one-at-a-time path runs one call at a time, and a call's timeout ran
    while it waited behind the others: all four scenarios ended unscored, "no reply to any of
    the first 6 attempts", where one at a time each call answered within the bound. Now the
    bound starts when the model takes the call up."""
    from backbone.targets.stack import wrap

    settings = {"temperature": 0.7, "n_ctx": 1024, "n_threads": 1}
    other = LocalTarget(max_tokens=900, **settings)  # type: ignore[arg-type]
    target = LocalTarget(max_tokens=8, **settings)  # type: ignore[arg-type]
    story = ask("Write a long story about a cat who sails the sea.")  # runs to max_tokens
    bounded = wrap(target, attempts=1, timeout=3.0)

    async def ask_behind_a_long_call() -> str:
        long_call = asyncio.create_task(other.complete(story))  # ~900 tokens: many seconds
        locks = LocalTarget._use_locks
        while not (other._model_key in locks and locks[other._model_key].locked()):
            await asyncio.sleep(0.005)  # until it holds the model
        reply = await bounded.complete(ask("What is the capital of France?"))
        assert long_call.done()  # it waited its turn behind the long call
        return reply.text

    assert asyncio.run(ask_behind_a_long_call())
