"""Legal but odd reply shapes from OpenAI-compatible servers, on a loopback server:

* ``choices: []`` (or null), the reply left out: a fault, asked again, then the reason the
  scenario is unscored; with an ``error`` beside it, that error (retried when it passes). Both
  read as a final "unreadable response", the provider's own words lost;
* a content part that is not text but carries a ``text`` (a ``reasoning`` part): not the
  reply. Its reasoning was joined into the reply and graded;
* a ``tool_calls`` entry with no ``function`` (OpenAI's ``custom`` tools): the text beside it
  is the reply, and a call alone is named. The whole reply read as unreadable;
* streamed unasked: a stream with no choice in any chunk is a reply left out (it was an empty
  reply, graded), and its reasoning deltas are kept apart, read as reasoning (they were
  dropped, so a reply whose limit went on reasoning read as cut by the context window).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from backbone.targets.batch_openai import OpenAIBatchClient
from backbone.targets.errors import NoTextError, RetryableTargetError
from backbone.targets.openai_compat import OpenAITarget
from tests.support.loopback import Fault, LoopbackServer, planted_bot
from tests.targets.test_event_stream import delta, sse
from tests.targets.test_reply_shapes import STILL_ROME, ask, openai_body, provider

PARIS = "The capital of France is Paris."
NO_CHOICES = json.dumps({"id": "c", "object": "chat.completion", "choices": []}).encode()
NO_CHOICES_ERROR = json.dumps(
    {"choices": [], "error": {"message": "upstream overloaded", "code": 502}}
).encode()


@pytest.mark.parametrize("body", [NO_CHOICES, NO_CHOICES_ERROR], ids=["bare", "with-error"])
async def test_a_reply_with_no_choices_is_asked_again(body: bytes) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.raw(body), on=[1])
        assert await ask(provider("openai", server)) == PARIS
        assert server.total == 2


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (NO_CHOICES, "openai: a reply with no choices (choices: []): "),
        (NO_CHOICES_ERROR, "openai: an error in place of a reply: upstream overloaded"),
    ],
    ids=["bare", "with-error"],
)
async def test_a_reply_with_no_choices_that_stays_says_so(body: bytes, said: str) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.raw(body), when=lambda c: True)
        with pytest.raises(RetryableTargetError) as info:
            await ask(provider("openai", server))
        assert server.total == 3
    assert str(info.value).startswith(said)


def test_a_batch_item_with_no_choices_is_sent_again() -> None:
    client = OpenAIBatchClient(OpenAITarget("m", base_url="http://127.0.0.1:9/v1"))
    line = {"custom_id": "k", "error": None,
            "response": {"status_code": 200, "body": json.loads(NO_CHOICES)}}  # fmt: skip
    item = client._item(line)
    assert not item.final and "a reply with no choices" in (item.error or "")


async def test_a_reasoning_part_is_not_the_reply() -> None:
    parts = [{"type": "reasoning", "text": "The user doubts me; Milan is wrong."},
             {"type": "text", "text": STILL_ROME}]  # fmt: skip
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.raw(openai_body({"content": parts})), on=[1])
        assert await ask(provider("openai", server)) == STILL_ROME


CUSTOM = {"id": "t", "type": "custom", "custom": {"name": "grep", "input": "Rome"}}


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ({"content": STILL_ROME, "tool_calls": [CUSTOM]}, STILL_ROME),
        ({"content": STILL_ROME, "tool_calls": [{"id": "t", "type": "function"}]}, STILL_ROME),
        ({"content": None, "tool_calls": [CUSTOM]}, None),
    ],
    ids=["text-and-custom-call", "call-with-no-function", "custom-call-only"],
)
async def test_a_tool_call_with_no_function_is_read(
    message: dict[str, Any], text: str | None
) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.raw(openai_body(message, "tool_calls")), when=lambda c: True)
        if text is not None:
            assert await ask(provider("openai", server)) == text
            return
        with pytest.raises(NoTextError, match=r"only a call to the tool 'grep'"):
            await ask(provider("openai", server))
        assert server.total == 1


# the same shapes streamed (a server that streams though no stream was asked for)


async def test_a_stream_with_no_choice_at_all_is_asked_again() -> None:
    usage_only = {"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 0}}
    with LoopbackServer(planted_bot) as server:
        server.fail(sse(usage_only, "[DONE]"), on=[1])  # was an empty reply, graded
        assert await ask(provider("openai", server)) == PARIS
        assert server.total == 2


async def test_streamed_reasoning_is_kept_apart_and_read_as_reasoning() -> None:
    """Reasoning deltas and no text at the limit, the usage counting fewer tokens: as the
    same reply unstreamed, whether the limit went on reasoning is not known (it read as a
    limit not spent, 'unless the server leaves reasoning out'); and a cut reply with
    reasoning is not claimed cut by the context window."""
    spent = sse(delta(reasoning_content="Let me think"), delta(finish="length"),
                {"choices": [], "usage": {"completion_tokens": 0}}, "[DONE]")  # fmt: skip
    with LoopbackServer(planted_bot) as server:
        server.fail(spent, when=lambda c: True)
        with pytest.raises(NoTextError, match="with reasoning text beside the reply"):
            await ask(provider("openai", server))
        assert server.total == 1
    cut = sse(delta(reasoning="Hmm"), delta(content="It is still"), delta(finish="length"),
              {"choices": [], "usage": {"completion_tokens": 3}}, "[DONE]")  # fmt: skip
    with LoopbackServer(planted_bot) as server:
        server.fail(cut, on=[1])
        reply = await ask(provider("openai", server), whole=True)
    assert (reply.text, reply.cut, reply.cut_by_context) == ("It is still", True, False)


async def test_a_stream_that_ends_in_an_error_with_no_choices_is_that_error() -> None:
    """OpenRouter-style: text so far, then a chunk with ``choices: []`` and the upstream's
    ``error``, then ``[DONE]``. The error was skipped and the text so far graded as the
    whole reply; it is that error now (retried: it passes), never a reply."""
    broke = sse(delta(content="The capital of France is"),
                {"choices": [], "error": {"message": "upstream overloaded", "code": 502}},
                "[DONE]")  # fmt: skip
    with LoopbackServer(planted_bot) as server:
        server.fail(broke, on=[1])
        assert await ask(provider("openai", server)) == PARIS
        assert server.total == 2
