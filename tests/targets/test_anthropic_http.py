"""The Anthropic Messages target over real HTTP, against the loopback server: the system
prompt goes in ``system``, the key and API version in headers, and planted conversations
come out with exact outcomes, through the library stack and through the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backbone.runner.engine import run_suite
from backbone.scenarios.loader import load_suite
from backbone.targets.anthropic import API_VERSION, AnthropicTarget
from backbone.targets.cache import ResponseStore
from backbone.targets.errors import RetryableTargetError, TargetError, TargetSpecError
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.retry import RetryingTarget
from backbone.targets.stack import aclose, wrap
from tests.support.loopback import (
    FRANCE,
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    PLANTED_SUITE,
    Fault,
    LoopbackServer,
    cli_env,
    outcome_tuples,
    planted_bot,
    read_results,
    run_cli,
    write_suite,
)

KEY = "sk-ant-test"
N_PLANTED = sum(PLANTED_REQUESTS.values())
PARIS = "The capital of France is Paris."


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


def with_system(suite: dict[str, Any], system: str) -> dict[str, Any]:
    return {**suite, "scenarios": [{**s, "system": system} for s in suite["scenarios"]]}


async def test_system_prompt_goes_in_the_system_field_with_key_and_version_headers(
    server: LoopbackServer,
) -> None:
    target = AnthropicTarget("claude-test", base_url=server.anthropic_base_url, max_tokens=99)
    request = Request(
        (
            ChatMessage("system", "Be brief."),
            ChatMessage("system", "Answer in English."),
            ChatMessage("user", FRANCE),
            ChatMessage("assistant", PARIS),
            ChatMessage("user", "Are you sure?"),
        )
    )
    try:
        reply = await target.complete(request)
    finally:
        await target.aclose()

    assert reply.text == PARIS and not reply.cached
    (call,) = server.calls
    assert call.api == "anthropic"
    assert call.body == {
        "model": "claude-test",
        "system": "Be brief.\n\nAnswer in English.",
        "messages": [
            {"role": "user", "content": FRANCE},
            {"role": "assistant", "content": PARIS},
            {"role": "user", "content": "Are you sure?"},
        ],
        "temperature": 0.0,
        "max_tokens": 99,
    }
    assert call.headers["x-api-key"] == KEY
    assert call.headers["anthropic-version"] == API_VERSION == "2023-06-01"
    assert "authorization" not in call.headers
    # usage is read from the Anthropic field names (the loopback counts words)
    assert (reply.usage.input_tokens, reply.usage.output_tokens) == (2 + 3 + 6 + 6 + 3, 6)


async def test_no_system_field_without_a_system_prompt(server: LoopbackServer) -> None:
    target = AnthropicTarget("claude-test", base_url=server.anthropic_base_url)
    try:
        await target.complete(Request((ChatMessage("user", FRANCE),)))
    finally:
        await target.aclose()
    (call,) = server.calls
    assert "system" not in call.body
    assert call.body["max_tokens"] == 512


async def test_planted_conversations_give_exact_outcomes(
    server: LoopbackServer, tmp_path: Path
) -> None:
    suite = load_suite(
        str(write_suite(tmp_path / "suite.yaml", with_system(PLANTED_SUITE, "Be brief.")))
    )
    store = ResponseStore(tmp_path / "cache.sqlite")
    stack = wrap(AnthropicTarget("claude-test", base_url=server.anthropic_base_url), cache=store)
    try:
        result = await run_suite(suite, stack, target_spec="anthropic:claude-test", concurrency=5)
    finally:
        await aclose(stack)
        store.close()
    assert outcome_tuples(result.outcomes) == PLANTED_OUTCOMES
    assert server.per_conversation == PLANTED_REQUESTS
    assert server.errors == []
    assert all(c.body["system"] == "Be brief." for c in server.calls)
    assert all(m["role"] != "system" for c in server.calls for m in c.body["messages"])


async def test_overloaded_and_rate_limited_are_retried(server: LoopbackServer) -> None:
    server.fail(Fault.http(529), on=[1])
    server.fail(Fault.http(429, retry_after=0.05), on=[2])
    target = RetryingTarget(
        AnthropicTarget("claude-test", base_url=server.anthropic_base_url),
        attempts=3,
        initial_wait=0.01,
        jitter=0.0,
    )
    try:
        reply = await target.complete(Request((ChatMessage("user", FRANCE),)))
    finally:
        await aclose(target)
    assert reply.text == PARIS
    assert server.total == 3


async def test_bad_request_is_final_and_says_so(server: LoopbackServer) -> None:
    server.fail(Fault.http(400), when=lambda c: True)
    target = RetryingTarget(
        AnthropicTarget("claude-test", base_url=server.anthropic_base_url),
        attempts=3,
        initial_wait=0.01,
        jitter=0.0,
    )
    try:
        with pytest.raises(TargetError, match="anthropic: HTTP 400") as info:
            await target.complete(Request((ChatMessage("user", FRANCE),)))
    finally:
        await aclose(target)
    assert not isinstance(info.value, RetryableTargetError)
    assert server.total == 1


def test_the_real_endpoint_needs_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    with pytest.raises(TargetSpecError, match="ANTHROPIC_API_KEY"):
        AnthropicTarget("claude-test")


def test_cli_run_against_the_anthropic_api(tmp_path: Path) -> None:
    suite = write_suite(tmp_path / "suite.yaml", with_system(PLANTED_SUITE, "Be brief."))
    with LoopbackServer(planted_bot) as server:
        run_cli(
            [
                "run",
                "--target",
                "anthropic:claude-test",
                "--base-url",
                server.anthropic_base_url,
                "--suite",
                str(suite),
                "--out",
                str(tmp_path / "out"),
                "--no-cache",
                "--quiet",
            ],
            env=cli_env(ANTHROPIC_API_KEY="sk-ant-cli"),
            cwd=tmp_path,
        )
        calls = server.calls
    doc = read_results(tmp_path / "out")
    assert outcome_tuples(doc["scenarios"]) == PLANTED_OUTCOMES
    assert len(calls) == N_PLANTED
    assert {c.api for c in calls} == {"anthropic"}
    assert {c.headers["x-api-key"] for c in calls} == {"sk-ant-cli"}
    assert {c.headers["anthropic-version"] for c in calls} == {"2023-06-01"}
    assert {c.body["system"] for c in calls} == {"Be brief."}
    assert {c.body["model"] for c in calls} == {"claude-test"}
