"""The embedded model's batched decoder, on the real model: prefix reuse across turns, several
conversations in one forward pass with the same replies as alone, and the context limit."""

from __future__ import annotations

import asyncio

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
