"""The embedded model's batched decoder, on the real model: prefix reuse across turns, several
conversations in one forward pass with the same replies as alone, and the context limit."""

from __future__ import annotations

import asyncio
import time
from typing import Literal

import pytest

from backbone.targets.errors import TargetError
from backbone.targets.local import LocalTarget
from backbone.targets.local_batch import BatchedDecoder
from backbone.targets.messages import ChatMessage, Request

QUESTIONS = (
    "What is 7 times 8?",
    "Name the capital of Australia.",
    "How many sides does a hexagon have?",
    "Who wrote Hamlet?",
)


def ask(*turns: tuple[str, str]) -> Request:
    return Request(tuple(ChatMessage(role, text) for role, text in turns))


@pytest.fixture(scope="module")
def target() -> LocalTarget:
    return LocalTarget(max_tokens=16)


def test_the_next_turn_reads_only_what_is_new(target: LocalTarget) -> None:
    decoder = target.decoder()
    system = ("system", "You are a careful tutor. Answer in one sentence.")
    first = ask(system, ("user", QUESTIONS[0]))
    reply = asyncio.run(target.complete(first))
    before = decoder.stats()
    second = ask(
        system, ("user", QUESTIONS[0]), ("assistant", reply.text), ("user", "Are you sure?")
    )
    prompt = target.prompt_tokens(second)
    asyncio.run(target.complete(second))
    after = decoder.stats()
    read = after.prompt_read - before.prompt_read
    # everything up to the first turn's prompt was in the slot's cache: only the reply as
    # re-rendered and the new user turn are read
    assert after.prompt_tokens - before.prompt_tokens == len(prompt)
    assert read <= len(prompt) - len(target.prompt_tokens(first))
    assert read >= 1


def test_with_a_stream_per_slot_decoded_together_replies_as_alone(target: LocalTarget) -> None:
    # the default layout: a KV stream per slot (one shared KV cache may change replies)
    decoder = BatchedDecoder(target.load(), slots=4, n_ctx_per_slot=512)
    try:
        prompts = [target.prompt_tokens(ask(("user", q))) for q in QUESTIONS]
        alone = [decoder.submit(p, max_tokens=12).result().tokens for p in prompts]
        assert decoder.stats().peak_batch == 1
        futures = [decoder.submit(p, max_tokens=12) for p in prompts]
        together = [f.result().tokens for f in futures]
        assert decoder.stats().peak_batch >= 2
        # a KV stream per conversation: sharing a forward pass changes no reply
        assert together == alone
        assert all(0 < len(t) <= 12 for t in alone)
        stats = decoder.stats()
        assert stats.requests == 8 and stats.generated == 2 * sum(len(t) for t in alone)
    finally:
        decoder.close()


def test_the_target_batches_calls_in_flight() -> None:
    target = LocalTarget(max_tokens=8)

    async def all_at_once() -> list[str]:
        replies = await asyncio.gather(*(target.complete(ask(("user", q))) for q in QUESTIONS))
        return [r.text for r in replies]

    texts = asyncio.run(all_at_once())
    assert all(texts)
    assert target.decoder().stats().peak_batch >= 2


def test_a_conversation_longer_than_the_context_is_a_target_error() -> None:
    target = LocalTarget(max_tokens=8, n_ctx=256)
    long = ask(("user", "Please repeat: " + "banana " * 400))
    with pytest.raises(TargetError, match="context window"):
        asyncio.run(target.complete(long))


def test_each_kv_layout_and_slot_count_has_its_own_decoder() -> None:
    default = LocalTarget(max_tokens=8).decoder()
    assert LocalTarget(max_tokens=8).decoder() is default
    assert LocalTarget(max_tokens=8, shared_kv=True).decoder() is not default
    assert LocalTarget(max_tokens=8, slots=2).decoder().slots_n == 2


def test_decoding_is_part_of_the_identity_and_sampling_takes_the_single_path() -> None:
    assert LocalTarget().identity["params"]["decoding"] == "batched"
    assert LocalTarget(temperature=0.7).identity["params"]["decoding"] == "single"
    assert LocalTarget(decoding="single").identity["params"]["decoding"] == "single"


def test_a_call_given_up_frees_its_slot_and_later_calls_are_answered() -> None:
    """A timeout or an interrupted run cancels the awaiting task, and with it the future the
    decoder holds: setting that future raised inside the worker thread, which ended, and every
    later call to the embedded model waited forever."""
    target = LocalTarget(max_tokens=48)

    async def give_up_then_ask() -> str:
        await target.complete(ask(("user", "Hi")))  # the model and its decoder are loaded
        story = ask(("user", "Write a long story about a cat who sails the sea."))
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(target.complete(story), timeout=0.3)
        await asyncio.sleep(3)  # long enough for the abandoned reply to have finished
        # the bug waited forever: 60 s is the hang bound (a reply takes a second or two when
        # idle, 35 s was seen beside three CPU-bound processes on 2 cores)
        reply = await asyncio.wait_for(target.complete(ask(("user", QUESTIONS[0]))), 60)
        return reply.text

    assert asyncio.run(give_up_then_ask())


def test_a_cancelled_job_stops_generating_and_a_queued_one_is_skipped(target: LocalTarget) -> None:
    decoder = BatchedDecoder(target.load(), slots=1, n_ctx_per_slot=512)
    try:
        prompt = target.prompt_tokens(ask(("user", "Write a long story about the sea.")))
        running = decoder.submit(prompt, max_tokens=200)
        queued = decoder.submit(prompt, max_tokens=200)  # one slot: this one waits
        while decoder.stats().generated == 0:  # the first is generating
            time.sleep(0.01)
        assert running.cancel() and queued.cancel()
        answer = decoder.submit(target.prompt_tokens(ask(("user", QUESTIONS[1]))), max_tokens=8)
        assert len(answer.result(timeout=60).tokens) > 0
        # the abandoned reply stopped where it was given up, and the queued one never ran
        assert decoder.stats().generated < 200
        assert decoder.stats().requests == 2
    finally:
        decoder.close()


@pytest.mark.parametrize("decoding", ["batched", "single"])
def test_a_reply_cut_by_a_full_context_is_a_target_error(decoding: str) -> None:
    """A prompt that fits but leaves the reply too little room: the context runs out mid-reply.
    Both paths returned the cut reply as the model's answer (graded like any other, so a
    conversation that outgrew the window could count as held); now it is a TargetError, which
    the runner records as the scenario's unscored reason."""
    target = LocalTarget(max_tokens=160, n_ctx=256, decoding=decoding)  # type: ignore[arg-type]
    long = ask(("user", "Please repeat these words: " + "banana " * 100))
    assert len(target.prompt_tokens(long)) < 250  # it fits: the old check let it through
    with pytest.raises(TargetError, match="outgrew the context window of 256 tokens"):
        asyncio.run(target.complete(long))
    # a short reply in the same small window is answered
    assert asyncio.run(target.complete(ask(("user", "Say hi.")))).text


@pytest.mark.parametrize("kwargs", [{"max_tokens": 0}, {"max_tokens": -1}, {"slots": 0}])
def test_a_reply_length_or_slot_count_below_one_is_refused(kwargs: dict[str, int]) -> None:
    """``LocalTarget(max_tokens=-1)`` (a library caller; the CLI's --max-tokens has min=1):
    the batched path answered with one token, the single path (temperature > 0) generated
    until the 2048-token context was full, minutes on the CPU; slots=0 made a decoder that
    never answered. Now each is a TargetSpecError naming the parameter."""
    from backbone.targets.errors import TargetSpecError

    name = next(iter(kwargs))
    with pytest.raises(TargetSpecError, match=f"{name} must be 1 or more"):
        LocalTarget(temperature=0.7, **kwargs)  # type: ignore[arg-type]


def test_a_reply_that_reaches_max_tokens_is_marked_cut() -> None:
    """On the real model: four tokens cannot end "Who wrote Hamlet?"'s answer, so the reply
    stopped at the limit (``cut``); with room to end on its own it is not. The same holds for
    llama-cpp-python's own one-at-a-time path (a sampled temperature)."""
    modes: tuple[Literal["batched", "single"], ...] = ("batched", "single")
    for decoding in modes:
        short = LocalTarget(max_tokens=4, decoding=decoding)
        long = LocalTarget(max_tokens=120, decoding=decoding)
        question = ask(("user", "Who wrote Hamlet? Answer in five words or fewer."))
        cut = asyncio.run(short.complete(question))
        whole = asyncio.run(long.complete(question))
        assert cut.cut and cut.usage.output_tokens == 4, (decoding, cut)
        assert not whole.cut and whole.usage.output_tokens < 120, (decoding, whole)


def test_a_timeout_counts_from_when_a_queued_call_gets_a_slot() -> None:
    """``backbone run --concurrency 12 --timeout 2``: the batched decoder has 8 slots, and the
    calls past them wait in its queue; the bound ran from the call's submission, so a queued
    call timed out while it waited ("no reply within 2s") where, once it had a slot, it
    answered within the bound. Now, as on the one-at-a-time path, the bound starts when the
    call gets a slot (one slot here, held by a long reply)."""
    from backbone.targets.stack import wrap

    settings = {"n_ctx": 1024, "n_threads": 1, "slots": 1}
    other = LocalTarget(max_tokens=400, **settings)  # type: ignore[arg-type]
    target = LocalTarget(max_tokens=8, **settings)  # type: ignore[arg-type]
    timeout = 2.0
    bounded = wrap(target, attempts=1, timeout=timeout)
    story = ask(("user", "Write a long story about a cat who sails the sea."))

    async def ask_behind_a_long_call() -> tuple[str, float]:
        long_call = asyncio.create_task(other.complete(story))  # 400 tokens: seconds
        decoder = other.decoder()
        while decoder.stats().generated == 0:  # it holds the only slot
            await asyncio.sleep(0.005)
        start = time.monotonic()
        reply = await bounded.complete(ask(("user", QUESTIONS[3])))
        waited = time.monotonic() - start
        assert long_call.done()  # it waited its turn behind the long call
        return reply.text, waited

    text, waited = asyncio.run(ask_behind_a_long_call())
    assert text and waited > timeout  # it waited longer than the bound, and was answered
