"""A server that answers with server-sent events (``text/event-stream``) though no stream was
asked for, as some OpenAI-compatible servers do: the chunks are joined into the reply they
make; a stream cut off before its end is retried; an Anthropic target names the stream rather
than calling the body merely unreadable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from backbone.targets.anthropic import AnthropicTarget
from backbone.targets.errors import NoTextError, RetryableTargetError, TargetError
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.retry import RetryingTarget
from tests.support.loopback import (
    PLANTED_OUTCOMES,
    Call,
    Fault,
    LoopbackServer,
    cli_env,
    outcome_tuples,
    planted_bot,
    read_results,
    run_cli,
    write_suite,
)


def sse(*chunks: dict[str, Any] | str) -> Fault:
    """A 200 whose body is ``chunks`` as ``data:`` events (a string as it is: ``[DONE]``)."""
    lines = [f"data: {c if isinstance(c, str) else json.dumps(c)}\n\n" for c in chunks]
    return Fault.raw("".join(lines).encode(), content_type="text/event-stream")


def delta(finish: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": fields, "finish_reason": finish}]}  # fmt: skip


ROME = [
    delta(role="assistant", content=""),
    delta(content="The capital "),
    delta(content="of Italy is Rome."),
    delta(finish="stop"),
    {"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 8}},
    "[DONE]",
]


def ask() -> Request:
    return Request((ChatMessage("user", "What is the capital of Italy?"),))


async def test_a_reply_streamed_unasked_is_joined(server: LoopbackServer) -> None:
    server.fail(sse(*ROME), on=[1])
    target = OpenAITarget("m", base_url=server.openai_base_url)
    try:
        reply = await target.complete(ask())
    finally:
        await target.aclose()
    assert reply.text == "The capital of Italy is Rome."
    assert (reply.usage.input_tokens, reply.usage.output_tokens) == (7, 8)
    assert not reply.cut


async def test_a_streamed_reply_at_the_token_limit_is_cut(server: LoopbackServer) -> None:
    server.fail(sse(delta(content="The capital of"), delta(finish="length"), "[DONE]"), on=[1])
    target = OpenAITarget("m", base_url=server.openai_base_url)
    try:
        reply = await target.complete(ask())
    finally:
        await target.aclose()
    assert (reply.text, reply.cut) == ("The capital of", True)


async def test_a_stream_that_stops_before_its_end_is_retried(server: LoopbackServer) -> None:
    server.fail(sse(*ROME[:3]), on=[1])  # no finish_reason, no [DONE]
    target = OpenAITarget("m", base_url=server.openai_base_url)
    try:
        with pytest.raises(RetryableTargetError, match=r"stops before its end"):
            await target.complete(ask())
        retrying = RetryingTarget(target, initial_wait=0.0, jitter=0.0)
        assert (await retrying.complete(ask())).text == "The capital of Italy is Rome."
    finally:
        await target.aclose()


async def test_a_streamed_tool_call_is_named_not_graded(server: LoopbackServer) -> None:
    call = {"index": 0, "id": "c1", "function": {"name": "lookup", "arguments": ""}}
    server.fail(sse(delta(tool_calls=[call]), delta(finish="tool_calls"), "[DONE]"), on=[1])
    target = OpenAITarget("m", base_url=server.openai_base_url)
    try:
        with pytest.raises(NoTextError, match=r"only a call to the tool 'lookup'"):
            await target.complete(ask())
    finally:
        await target.aclose()


async def test_an_error_event_is_read_as_the_error(server: LoopbackServer) -> None:
    server.fail(sse({"error": {"type": "overloaded_error", "message": "Overloaded"}}), on=[1])
    target = OpenAITarget("m", base_url=server.openai_base_url)
    try:
        with pytest.raises(RetryableTargetError, match=r"overloaded_error: Overloaded"):
            await target.complete(ask())
    finally:
        await target.aclose()


async def test_a_stream_to_the_anthropic_target_is_named(server: LoopbackServer) -> None:
    body = 'event: message_start\ndata: {"type": "message_start"}\n\n'
    server.fail(Fault.raw(body.encode(), content_type="text/event-stream"), on=[1])
    target = AnthropicTarget("m", base_url=server.anthropic_base_url)
    try:
        with pytest.raises(TargetError, match=r"server-sent events, where no stream was asked"):
            await target.complete(ask())
    finally:
        await target.aclose()


class StreamingServer(LoopbackServer):
    """The planted bot, every reply sent as an event stream, a few words a chunk."""

    async def _respond(
        self,
        request: web.Request,
        api: str,
        call: Call,
        body: dict[str, Any],
        messages: list[dict[str, Any]],
    ) -> web.StreamResponse:
        text = planted_bot(messages)
        words = text.split(" ")
        parts = [w + " " for w in words[:-1]] + words[-1:]
        chunks = [delta(content=p) for p in parts] + [delta(finish="stop"), "[DONE]"]
        fault = sse(*chunks)
        return web.Response(body=fault.body, content_type="text/event-stream")


def test_a_run_against_a_server_that_streams_unasked_scores_every_scenario(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    with StreamingServer() as server:
        run_cli(
            ["run", "--target", "openai:m", "--base-url", server.openai_base_url, "--suite",
             str(write_suite(tmp_path / "suite.yaml")), "--out", str(out), "--no-cache"],
            env=cli_env(),
            cwd=tmp_path,
        )  # fmt: skip
    assert outcome_tuples(read_results(out)["scenarios"]) == PLANTED_OUTCOMES
