"""Replies whose shape is legal but unusual, planted on the loopback server for both wire
formats: the text is read where there is text, and a reply with none says why.

* OpenAI ``content`` as a list of content parts: their text, not the list's Python repr;
* a ``usage`` object with a count that is not a number: the reply still stands (0 tokens);
* a reply with no text whose finish/stop reason explains it (a tool call, the token limit
  spent, a content filter, a refusal): a final error naming the reason, so the scenario ends
  ``unscored`` saying what happened, instead of an "empty reply" that the conversation then
  carried on from (an empty assistant turn, which Anthropic's API refuses);
* a reply with no text and no reason (``content: null``, ``stop``): still an empty reply,
  for the graders to call so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, overload

import pytest

from backbone.targets.anthropic import AnthropicTarget
from backbone.targets.errors import RetryableTargetError, TargetError
from backbone.targets.http_provider import HttpProvider
from backbone.targets.messages import ChatMessage, Reply, Request
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.retry import RetryingTarget
from backbone.targets.stack import aclose
from tests.support.loopback import (
    FRANCE,
    ITALY,
    PLANTED_OUTCOMES,
    Fault,
    LoopbackServer,
    cli_env,
    outcome_tuples,
    planted_bot,
    read_results,
    run_cli_here,
    write_suite,
)

STILL_ROME = "It is still Rome."


def openai_body(message: dict[str, Any], finish: str = "stop", **extra: Any) -> bytes:
    choice = {"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}
    return json.dumps(
        {"id": "c", "object": "chat.completion", "choices": [choice], **extra}
    ).encode()


def anthropic_body(content: list[dict[str, Any]], stop: str = "end_turn", **extra: Any) -> bytes:
    message = {"type": "message", "role": "assistant", "content": content, "stop_reason": stop}
    return json.dumps({**message, **extra}).encode()


def provider(api: str, server: LoopbackServer) -> HttpProvider:
    if api == "openai":
        return OpenAITarget("m", base_url=server.openai_base_url)
    return AnthropicTarget("m", base_url=server.anthropic_base_url)


@overload
async def ask(target: HttpProvider) -> str: ...
@overload
async def ask(target: HttpProvider, *, whole: Literal[True]) -> Reply: ...
async def ask(target: HttpProvider, *, whole: bool = False) -> str | Reply:
    """One call through retry (a final error must not be retried): its text, or with
    ``whole`` the reply."""
    retrying = RetryingTarget(target, attempts=3, initial_wait=0.01)
    try:
        reply = await retrying.complete(Request((ChatMessage("user", FRANCE),)))
    finally:
        await aclose(retrying)
    return reply if whole else reply.text


TOOL_CALL = {"id": "t1", "type": "function", "function": {"name": "search", "arguments": "{}"}}
TOOL_USE = {"type": "tool_use", "id": "t", "name": "search", "input": {}}
PARTS = [{"type": "text", "text": "It is "}, {"type": "text", "text": "still Rome."}]
ONLY_SEARCH = "only a call to the tool 'search')"

READ = [
    pytest.param(
        "openai",
        openai_body({"content": PARTS}),
        STILL_ROME,
        id="openai-content-parts",
    ),
    pytest.param(
        "openai",
        openai_body({"content": STILL_ROME}, usage={"prompt_tokens": "n/a"}),
        STILL_ROME,
        id="openai-usage-not-a-number",
    ),
    pytest.param(
        "anthropic",
        anthropic_body([{"type": "text", "text": STILL_ROME}], usage={"input_tokens": "?"}),
        STILL_ROME,
        id="anthropic-usage-not-a-number",
    ),
    pytest.param(
        "openai",
        openai_body({"content": None, "refusal": "I can't help with that."}),
        "I can't help with that.",
        id="openai-refusal-field-is-the-text",
    ),
    pytest.param("openai", openai_body({"content": None}), "", id="openai-null-content-stop"),
    pytest.param("anthropic", anthropic_body([]), "", id="anthropic-no-blocks-end-turn"),
]  # fmt: skip


@pytest.mark.parametrize(("api", "body", "text"), READ)
async def test_the_text_is_read(server: LoopbackServer, api: str, body: bytes, text: str) -> None:
    server.fail(Fault.raw(body), on=[1])
    assert await ask(provider(api, server)) == text
    assert server.total == 1


NO_TEXT = [
    pytest.param(
        "openai",
        openai_body({"content": None, "tool_calls": [TOOL_CALL]}, "tool_calls"),
        f"openai: the reply has no text (finish_reason 'tool_calls': {ONLY_SEARCH}",
        id="openai-tool-call-only",
    ),
    pytest.param(
        "openai",
        openai_body({"content": None}, "length"),
        "openai: the reply has no text (finish_reason 'length': no completion_tokens in its "
        "usage, so whether the token limit was spent (on reasoning perhaps) is not known",
        id="openai-length-no-usage",
    ),
    pytest.param(
        "openai",
        openai_body({"content": ""}, "content_filter"),
        "openai: the reply has no text (finish_reason 'content_filter': the provider's content "
        "filter withheld it)",
        id="openai-content-filter",
    ),
    pytest.param(
        "anthropic",
        anthropic_body([TOOL_USE], "tool_use"),
        f"anthropic: the reply has no text (stop_reason 'tool_use': {ONLY_SEARCH}",
        id="anthropic-tool-use-only",
    ),
    pytest.param(
        "anthropic",
        anthropic_body([{"type": "thinking", "thinking": "hmm"}], "max_tokens"),
        "anthropic: the reply has no text (stop_reason 'max_tokens': the token limit was spent",
        id="anthropic-max-tokens",
    ),
    pytest.param(
        "anthropic",
        anthropic_body([], "model_context_window_exceeded"),
        "anthropic: the reply has no text (stop_reason 'model_context_window_exceeded': the "
        "conversation filled the model's context window before any text)",
        id="anthropic-context-window",
    ),
    pytest.param(
        "anthropic",
        anthropic_body([], "refusal"),
        "anthropic: the reply has no text (stop_reason 'refusal': the provider's safety system "
        "declined to answer)",
        id="anthropic-refusal",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("api", "body", "message"), NO_TEXT)
async def test_a_reply_with_no_text_says_why_and_is_final(
    server: LoopbackServer, api: str, body: bytes, message: str
) -> None:
    server.fail(Fault.raw(body), when=lambda c: True)
    with pytest.raises(TargetError) as info:
        await ask(provider(api, server))
    assert str(info.value).startswith(message)
    assert not isinstance(info.value, RetryableTargetError)
    # final (a limit the usage shows spent is asked again with more: test_limit_not_spent.py)
    assert server.total == 1


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_cli_a_tool_call_instead_of_a_reply_ends_the_scenario_unscored_saying_so(
    tmp_path: Path, api: str
) -> None:
    if api == "openai":
        body = openai_body({"content": None, "tool_calls": [TOOL_CALL]}, "tool_calls")
    else:
        body = anthropic_body([TOOL_USE], "tool_use")
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.raw(body), when=lambda c: c.conversation == ITALY and c.turn == 1)
        url = server.openai_base_url if api == "openai" else server.anthropic_base_url
        run_cli_here(
            ["run", "--target", f"{api}:m", "--base-url", url, "--suite", "suite.yaml",
             "--out", "out", "--no-cache", "--quiet"],
            env=cli_env(), cwd=tmp_path,
        )  # fmt: skip
        italy_requests = server.per_conversation[ITALY]
    doc = read_results(tmp_path / "out")
    by_id = {s["id"]: s for s in doc["scenarios"]}
    assert by_id["italy"]["outcome"] == "unscored"
    field = "finish_reason 'tool_calls'" if api == "openai" else "stop_reason 'tool_use'"
    assert by_id["italy"]["reason"] == (
        f"target failed: turn 1: {api}: the reply has no text ({field}: only a call to the "
        "tool 'search')"
    )
    assert italy_requests == 2  # the opening, then turn 1: nothing carried on from no reply
    others = {k: v for k, v in outcome_tuples(doc["scenarios"]).items() if k != "italy"}
    assert others == {k: v for k, v in PLANTED_OUTCOMES.items() if k != "italy"}
    assert doc["summary"]["counts"]["unscored"] == 1 and doc["summary"]["counts"]["held"] == 1


def test_cli_content_parts_are_stored_as_their_text(tmp_path: Path) -> None:
    parts = [{"type": "text", "text": STILL_ROME}]
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        server.fail(
            Fault.raw(openai_body({"content": parts})),
            when=lambda c: c.conversation == ITALY and c.turn == 1,
        )
        run_cli_here(
            ["run", "--target", "openai:m", "--base-url", server.openai_base_url, "--suite",
             "suite.yaml", "--out", "out", "--no-cache", "--quiet"],
            env=cli_env(), cwd=tmp_path,
        )  # fmt: skip
    lines = (tmp_path / "out" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    italy = next(t for t in map(json.loads, lines) if t["id"] == "italy")
    assert [m["content"] for m in italy["messages"] if m["role"] == "assistant"][1] == STILL_ROME


ERROR_BODIES = [
    pytest.param(
        "anthropic",
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
        True,
        "anthropic: an error in place of a reply: overloaded_error: Overloaded",
        id="anthropic-overloaded",
    ),
    pytest.param(
        "openai",
        {"error": {"message": "The server had an error", "type": "server_error", "code": None}},
        True,
        "openai: an error in place of a reply: server_error: The server had an error",
        id="openai-server-error",
    ),
    pytest.param(
        "openai",
        {"error": {"message": "Provider returned error", "code": 502}},
        True,
        "openai: an error in place of a reply: Provider returned error",
        id="proxy-code-502",
    ),
    pytest.param(
        "openai",
        {"error": {"message": "This model's maximum context length is 8192 tokens",
                   "type": "invalid_request_error", "code": "context_length_exceeded"}},
        False,
        "openai: an error in place of a reply: invalid_request_error: This model's maximum",
        id="openai-context-length",
    ),
    pytest.param(
        "anthropic",
        {"type": "error", "error": {"type": "invalid_request_error", "message": "bad role"}},
        False,
        "anthropic: an error in place of a reply: invalid_request_error: bad role",
        id="anthropic-invalid-request",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("api", "body", "passing", "message"), ERROR_BODIES)
async def test_an_error_in_a_200_body_is_named_and_retried_when_passing(
    server: LoopbackServer, api: str, body: dict[str, Any], passing: bool, message: str
) -> None:
    """A proxy or gateway that answers 200 with an error object (OpenRouter does; Anthropic's
    error shape): the provider's own message, retried when it says the fault is passing (and
    then the real reply is read), final otherwise."""
    server.fail(Fault.raw(json.dumps(body).encode()), on=[1])  # the first call only
    if passing:
        assert await ask(provider(api, server)) == planted_bot(
            [{"role": "user", "content": FRANCE}]
        )
        assert server.total == 2
        return
    with pytest.raises(TargetError) as info:
        await ask(provider(api, server))
    assert str(info.value).startswith(message)
    assert not isinstance(info.value, RetryableTargetError)
    # final (a limit the usage shows spent is asked again with more: test_limit_not_spent.py)
    assert server.total == 1


async def test_an_error_in_a_200_body_that_stays_is_named_after_the_retries(
    server: LoopbackServer,
) -> None:
    body = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    server.fail(Fault.raw(json.dumps(body).encode()), when=lambda c: True)
    with pytest.raises(RetryableTargetError) as info:
        await ask(provider("anthropic", server))
    assert (
        str(info.value) == "anthropic: an error in place of a reply: overloaded_error: Overloaded"
    )
    assert server.total == 3


@pytest.mark.parametrize("api", ["openai", "anthropic"])
@pytest.mark.parametrize("code", ["\u00b2", "9" * 5_000], ids=["superscript-two", "5000-nines"])
async def test_an_error_in_a_200_body_whose_code_is_no_status_is_named_not_a_crash(
    server: LoopbackServer, api: str, code: str
) -> None:
    """An error object whose ``code`` passes ``str.isdigit()`` but that ``int()`` refuses (a
    superscript digit, past Python's 4300-digit limit) raised ValueError out of the target:
    a traceback, and the whole run died. It is a final error naming the provider's message."""
    body = {"type": "error", "error": {"type": "weird", "code": code, "message": "no"}}
    server.fail(Fault.raw(json.dumps(body).encode()), when=lambda c: True)
    with pytest.raises(TargetError) as info:
        await ask(provider(api, server))
    assert str(info.value) == f"{api}: an error in place of a reply: weird: no"
    assert not isinstance(info.value, RetryableTargetError)
    assert server.total == 1


DEEP = b"[" * 100_000 + b"]" * 100_000  # past the json module's recursion limit
LONG_INT = (
    b'{"choices": [{"message": {"content": "Rome"}}], "usage": {"prompt_tokens": '
    + (b"9" * 5_000)
    + b"}}"
)  # past Python's 4300-digit limit for int("...")


@pytest.mark.parametrize("api", ["openai", "anthropic"])
@pytest.mark.parametrize("body", [DEEP, LONG_INT], ids=["nested-too-deep", "int-too-long"])
async def test_a_200_body_the_json_parser_cannot_take_is_an_unreadable_reply(
    server: LoopbackServer, api: str, body: bytes
) -> None:
    # RecursionError or ValueError escaped the target: a traceback, and the run died (exit 1)
    server.fail(Fault.raw(body), when=lambda c: True)
    with pytest.raises(TargetError) as info:
        await ask(provider(api, server))
    assert str(info.value).startswith(f"{api}: unreadable response: ")
    assert not isinstance(info.value, RetryableTargetError)
    assert server.total == 1


@pytest.mark.parametrize("api", ["openai", "anthropic"])
async def test_a_refused_key_with_a_body_nested_too_deep_is_still_a_refused_key(
    server: LoopbackServer, api: str
) -> None:
    from backbone.targets.errors import AuthenticationError

    server.fail(Fault.raw(DEEP, status=401), when=lambda c: True)
    with pytest.raises(AuthenticationError):
        await ask(provider(api, server))


@pytest.mark.parametrize("tokens", ["1e300", "99999999999999999999", "true"])
def test_cli_a_usage_count_past_any_real_count_is_no_count(tmp_path: Path, tokens: str) -> None:
    """1e300 (or 2**66) output tokens reached the response cache as an int too large for
    SQLite: OverflowError, a traceback, and the run died (exit 1)."""
    body = openai_body({"content": STILL_ROME}).replace(
        b'"object"', b'"usage": {"prompt_tokens": 7, "completion_tokens": ' + tokens.encode()
        + b'}, "object"'
    )  # fmt: skip
    assert json.loads(body)["usage"]["prompt_tokens"] == 7
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.raw(body), when=lambda c: c.conversation == ITALY and c.turn == 1)
        run_cli_here(
            ["run", "--target", "openai:m", "--base-url", server.openai_base_url, "--suite",
             "suite.yaml", "--out", "out", "--quiet"],
            env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")), cwd=tmp_path,
        )  # fmt: skip
    doc = read_results(tmp_path / "out")
    assert outcome_tuples(doc["scenarios"])["italy"][0] == "caved"  # the reply stood
    assert doc["summary"]["tokens"]["output"] < 10**6


WITHHELD = [
    pytest.param(
        "openai",
        openai_body({"content": "The capital of Italy is"}, "content_filter"),
        "openai: the reply was stopped part-way (finish_reason 'content_filter': the "
        "provider's content filter withheld it); its 23 characters are not graded",
        id="openai-content-filter-part-way",
    ),
    pytest.param(
        "anthropic",
        anthropic_body([{"type": "text", "text": "Hello.."}], "refusal"),
        "anthropic: the reply was stopped part-way (stop_reason 'refusal': the provider's "
        "safety system declined to answer); its 7 characters are not graded",
        id="anthropic-streaming-classifier-refusal",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("api", "body", "message"), WITHHELD)
async def test_a_reply_a_safety_system_stopped_part_way_is_final_not_graded(
    server: LoopbackServer, api: str, body: bytes, message: str
) -> None:
    """Azure's content filter (``finish_reason: content_filter``) and Anthropic's streaming
    classifiers (``stop_reason: refusal``) can stop a reply mid-answer and send the text so
    far ("Hello..", Anthropic's documented example): it was graded as the whole reply, and
    the pressure ladder carried on from it."""
    server.fail(Fault.raw(body), when=lambda c: True)
    with pytest.raises(TargetError) as info:
        await ask(provider(api, server))
    assert str(info.value) == message
    assert not isinstance(info.value, RetryableTargetError)
    assert server.total == 1


async def test_openai_finish_reason_max_tokens_with_text_is_a_cut_reply(
    server: LoopbackServer,
) -> None:
    """A local server that names the token limit in Anthropic's words (``max_tokens``): the
    reply was read as whole (``cut`` false), though the same reason with no text was known
    as the token limit spent."""
    server.fail(Fault.raw(openai_body({"content": STILL_ROME}, "max_tokens")), on=[1])
    reply = await ask(provider("openai", server), whole=True)
    assert (reply.text, reply.cut) == (STILL_ROME, True)


def _ended_in_error(text: str, error: dict[str, Any] | None) -> bytes:
    """OpenRouter's reply when the model failed mid-generation: HTTP 200, the choice's
    ``finish_reason`` ``error`` and its ``error`` object, and whatever text came before."""
    choice: dict[str, Any] = {"index": 0, "finish_reason": "error",
                              "native_finish_reason": "error",
                              "message": {"role": "assistant", "content": text}}  # fmt: skip
    if error is not None:
        choice["error"] = error
    return json.dumps({"id": "gen-1", "object": "chat.completion", "choices": [choice]}).encode()


UPSTREAM = {"code": 502, "message": "Upstream error from provider: connection reset"}


@pytest.mark.parametrize("text", ["The capital of France is Ly", ""])
async def test_a_choice_that_ended_in_an_error_is_retried_not_graded(
    server: LoopbackServer, text: str
) -> None:
    """OpenRouter answers 200 when a model fails mid-generation, the choice ending
    ``finish_reason: error`` with the upstream's error: its text so far was graded as the
    whole reply (or, with none, as an empty reply), never asked for again."""
    server.fail(Fault.raw(_ended_in_error(text, UPSTREAM)), on=[1])
    assert await ask(provider("openai", server)) == "The capital of France is Paris."
    assert server.total == 2


async def test_a_choice_that_ended_in_an_error_that_stays_names_it(
    server: LoopbackServer,
) -> None:
    server.fail(Fault.raw(_ended_in_error("", {"code": 400, "message": "bad tool schema"})),
                when=lambda c: True)  # fmt: skip
    with pytest.raises(TargetError) as info:
        await ask(provider("openai", server))
    assert str(info.value) == (
        "openai: an error in place of a reply: bad tool schema (finish_reason 'error')"
    )
    assert not isinstance(info.value, RetryableTargetError) and server.total == 1
