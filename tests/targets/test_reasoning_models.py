"""A reasoning model behind an OpenAI-compatible API (OpenAI's o-series and GPT-5 family, on
OpenAI or Azure) refuses ``max_tokens`` and any ``temperature`` but its default with HTTP 400
naming the parameter. A run against one plays as against any model: the refused parameter is
sent as ``max_completion_tokens`` or left out, each with one warning, instead of every call
failing and the whole suite ending unscored."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.support.loopback import (
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    Call,
    Fault,
    LoopbackServer,
    cli_env,
    outcome_tuples,
    planted_bot,
    read_results,
    run_cli_here,
    write_suite,
)

refusal = Fault.refusal  # OpenAI's 400 body for a parameter the model does not take

MAX_TOKENS = refusal(
    "max_tokens",
    "unsupported_parameter",
    "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
    "'max_completion_tokens' instead.",
)
TEMPERATURE = refusal(
    "temperature",
    "unsupported_value",
    "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) "
    "value is supported.",
)


def reasoning_model(server: LoopbackServer) -> None:
    """Plant what such a model refuses, each checked on every request (max_tokens first)."""
    server.fail(MAX_TOKENS, when=lambda c: "max_tokens" in c.body)
    server.fail(TEMPERATURE, when=lambda c: c.body.get("temperature", 1) != 1)


def answered(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.fault is None]


def play(
    server: LoopbackServer, tmp: Path, *extra: str, model: str = "gpt-5-mini", out: str = "out"
) -> subprocess.CompletedProcess[str]:
    """``backbone run`` of the planted suite against ``openai:MODEL`` on the server."""
    suite = tmp / "suite.yaml"
    if not suite.exists():
        write_suite(suite)
    return run_cli_here(
        ["run", "--target", f"openai:{model}", "--base-url", server.openai_base_url,
         "--suite", str(suite), "--out", out, "--no-cache", "--quiet", *extra],
        env=cli_env(), cwd=tmp,
    )  # fmt: skip


def test_a_run_against_a_reasoning_model_plays_through_and_says_what_it_changed(
    tmp_path: Path,
) -> None:
    with LoopbackServer(planted_bot) as server:
        reasoning_model(server)
        proc = play(server, tmp_path, "--concurrency", "4", "--max-tokens", "300")
        calls = server.calls
    doc = read_results(tmp_path / "out")
    assert outcome_tuples(doc["scenarios"]) == PLANTED_OUTCOMES
    assert doc["summary"]["counts"]["unscored"] == 0
    # every request answered went out as the model takes it, and each was answered once
    ok = answered(calls)
    assert len(ok) == sum(PLANTED_REQUESTS.values())
    assert all(c.body["max_completion_tokens"] == 300 for c in ok)
    assert all("max_tokens" not in c.body and "temperature" not in c.body for c in ok)
    # refused only while in flight before the change: at most one per conversation in flight
    refused = [c for c in calls if c.fault is not None]
    assert 2 <= len(refused) <= 2 * 4
    assert proc.stderr.count("does not take max_tokens: sending max_completion_tokens=300") == 1
    assert proc.stderr.count("does not take temperature=0: sending no temperature") == 1
    # the identity keeps the settings asked for; the record says what the provider got
    assert doc["target"]["identity"]["params"] == {"temperature": 0.0, "max_tokens": 300}
    assert doc["options"]["sent"] == {
        "target": {"max_completion_tokens": 300, "left_out": ["max_tokens", "temperature"]}
    }


def test_a_refusal_of_another_parameter_still_fails_the_call(tmp_path: Path) -> None:
    """Only what the target can do without is adapted: a 400 naming any other parameter is
    the call's failure (its scenario unscored with the provider's words), sent once."""
    refused = refusal("messages", "invalid_value", "Invalid 'messages': too long.")
    with LoopbackServer(planted_bot) as server:
        server.fail(refused, when=lambda c: True)
        play(server, tmp_path, model="m")
        assert server.total == len(PLANTED_REQUESTS)  # each opening once, never again
    doc = read_results(tmp_path / "out")
    body = json.dumps(
        {"error": {"message": "Invalid 'messages': too long.", "type": "invalid_request_error",
                   "param": "messages", "code": "invalid_value"}})  # fmt: skip
    assert {s["outcome"] for s in doc["scenarios"]} == {"unscored"}
    assert all(s["reason"].endswith(f": openai: HTTP 400: {body}") for s in doc["scenarios"])
    assert "sent" not in doc["options"]  # sent as asked


def spent(limit: int) -> Fault:
    """A reasoning model's reply that spent the whole ``limit`` on hidden reasoning: no text,
    and a usage that counts all of it (as OpenAI's and local servers' do)."""
    return Fault.raw(
        json.dumps(
            {"choices": [{"index": 0, "message": {"role": "assistant", "content": ""},
                          "finish_reason": "length"}],
             "usage": {"prompt_tokens": 20, "completion_tokens": limit}}
        ).encode()
    )  # fmt: skip


SPENT = {limit: spent(limit) for limit in (300, 1200, 4800, 8192)}


def limit_of(call: Call) -> object:
    return call.body.get("max_completion_tokens", call.body.get("max_tokens"))


def spend_all(server: LoopbackServer, when: Callable[[Call], bool]) -> None:
    """Every request ``when`` picks is answered with no text, its limit spent."""
    for limit, fault in SPENT.items():
        server.fail(fault, when=lambda c, n=limit: limit_of(c) == n and when(c))


def was_spent(call: Call) -> bool:
    return call.fault in SPENT.values()


def test_a_reply_that_spent_its_limit_on_reasoning_is_asked_again_with_more(
    tmp_path: Path,
) -> None:
    """The model needs 1,000 tokens to reason: asked with --max-tokens 300 it answers nothing
    (finish_reason length); the call goes again with 1,200, as do all later ones."""
    with LoopbackServer(planted_bot) as server:
        reasoning_model(server)
        spend_all(server, lambda c: c.body.get("max_completion_tokens", 0) < 1000)
        proc = play(server, tmp_path, "--concurrency", "1", "--max-tokens", "300")
        calls = server.calls
    doc = read_results(tmp_path / "out")
    assert outcome_tuples(doc["scenarios"]) == PLANTED_OUTCOMES
    ok = answered(calls)
    assert len(ok) == sum(PLANTED_REQUESTS.values())
    assert {c.body["max_completion_tokens"] for c in ok} == {1200}
    # one call came back empty at 300 (one at a time: --concurrency 1), the rest went at 1200
    assert [c.body.get("max_completion_tokens") for c in calls if was_spent(c)] == [300]
    grew = "spent all of max_completion_tokens=300 on reasoning before any text: asking again"
    assert proc.stderr.count(grew + " with 1200") == 1
    assert doc["options"]["sent"]["target"]["max_completion_tokens"] == 1200


def test_the_limit_grows_only_to_its_cap_then_the_reply_is_unscored(tmp_path: Path) -> None:
    """A model that reasons past any limit: 300, 1,200, 4,800, then the cap (8,192), then the
    reply is unscored saying why; on a server that takes max_tokens (a local reasoning model),
    max_tokens grows the same way."""
    with LoopbackServer(planted_bot) as server:
        reasoning_model(server)
        spend_all(server, lambda c: True)
        proc = play(server, tmp_path, "--concurrency", "1", "--max-tokens", "300")
        sent = [c.body.get("max_completion_tokens") for c in server.calls if was_spent(c)]
    assert sent[:4] == [300, 1200, 4800, 8192] and set(sent[4:]) == {8192}
    assert len(sent) == 3 + len(PLANTED_REQUESTS)  # each scenario's opening, once at the cap
    assert proc.stderr.count("on reasoning before any text: asking again") == 3
    doc = read_results(tmp_path / "out")
    assert {s["outcome"] for s in doc["scenarios"]} == {"unscored"}
    assert all("the token limit was spent before any text" in s["reason"]
               for s in doc["scenarios"])  # fmt: skip

    with LoopbackServer(planted_bot) as server:  # takes max_tokens, and temperature 0
        spend_all(server, lambda c: True)
        proc = play(server, tmp_path, "--concurrency", "1", "--max-tokens", "300", out="out2")
        sent = [c.body.get("max_tokens") for c in server.calls]
    assert sent[:4] == [300, 1200, 4800, 8192] and set(sent[4:]) == {8192}
    assert "spent all of max_tokens=300 on reasoning before any text" in proc.stderr
    assert all(c.body["temperature"] == 0 for c in server.calls)
