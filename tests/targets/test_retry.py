"""Retry against real HTTP faults: 429 with Retry-After, 5xx, slow replies, dropped
connections, 200 bodies cut short; final errors (4xx, a whole body that is not the reply) are
not retried; a fault that never clears ends ``unscored``.

The library-level tests use ``RetryingTarget`` directly with tiny waits; the CLI tests run
``backbone run`` against the loopback server and compare ``results.json`` with a clean run.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from backbone.runner.engine import run_suite
from backbone.scenarios.loader import load_suite
from backbone.targets.anthropic import AnthropicTarget
from backbone.targets.errors import RetryableTargetError, TargetError
from backbone.targets.http_errors import ends_early
from backbone.targets.http_provider import HttpProvider
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.python_callable import CallableTarget
from backbone.targets.retry import RetryingTarget
from backbone.targets.stack import aclose
from tests.support.loopback import (
    AUSTRALIA,
    CANADA,
    FRANCE,
    ITALY,
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    SWITZERLAND,
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

RETRY_AFTER = 0.2
N_PLANTED = sum(PLANTED_REQUESTS.values())


def retrying(server: LoopbackServer, **kw: Any) -> RetryingTarget:
    kw.setdefault("attempts", 4)
    kw.setdefault("initial_wait", 0.01)
    kw.setdefault("jitter", 0.0)
    return RetryingTarget(OpenAITarget("test-model", base_url=server.openai_base_url), **kw)


def france() -> Request:
    return Request((ChatMessage("user", FRANCE),))


PARIS = "The capital of France is Paris."


# ---- RetryingTarget against the server -----------------------------------------------------


async def test_429_waits_for_retry_after(server: LoopbackServer) -> None:
    server.fail(Fault.http(429, retry_after=RETRY_AFTER), on=[1])
    target = retrying(server, initial_wait=5.0)  # backoff would wait 5 s: Retry-After wins
    try:
        reply = await target.complete(france())
    finally:
        await aclose(target)
    assert reply.text == PARIS
    first, second = server.calls
    assert (first.fault, second.fault) == (Fault.http(429, retry_after=RETRY_AFTER), None)
    waited = second.received - first.received
    assert RETRY_AFTER <= waited < RETRY_AFTER + 0.3
    assert target.stats.retries == 1


@pytest.mark.parametrize("retry_after", ["-5", "-0.5"])
async def test_a_negative_retry_after_is_no_hint_and_backs_off(
    server: LoopbackServer, retry_after: str
) -> None:
    """A negative Retry-After was read as "retry now": every retry went out at once, so a
    server counting a rate-limit window had all of a call's attempts in a few milliseconds
    and the call failed (the scenario unscored) where backing off would have got through."""
    server.fail(Fault.http(429, retry_after=retry_after), on=[1, 2])
    target = retrying(server, initial_wait=0.1)
    try:
        reply = await target.complete(france())
    finally:
        await aclose(target)
    assert reply.text == PARIS
    first, second, third = (c.received for c in server.calls)
    assert second - first >= 0.1 and third - second >= 0.2  # backoff: 0.1 s, then 0.2 s


@pytest.mark.parametrize("status", [500, 502, 503, 504, 529, 408])
async def test_transient_status_is_retried_until_it_clears(
    server: LoopbackServer, status: int
) -> None:
    server.fail(Fault.http(status), on=[1, 2])
    target = retrying(server)
    try:
        reply = await target.complete(france())
    finally:
        await aclose(target)
    assert reply.text == PARIS
    assert server.total == 3
    assert target.stats.retries == 2


async def test_slow_reply_times_out_and_is_retried(server: LoopbackServer) -> None:
    server.fail(Fault.slow(1.0), on=[1])
    target = retrying(server, timeout=0.2)
    t0 = time.perf_counter()
    try:
        reply = await target.complete(france())
    finally:
        await aclose(target)
    assert reply.text == PARIS
    assert time.perf_counter() - t0 < 0.9  # did not wait for the slow reply
    assert server.total == 2


@pytest.mark.parametrize("api", ["openai", "anthropic"])
async def test_a_timeout_longer_than_the_clients_own_lets_a_slow_reply_arrive(
    server: LoopbackServer, api: str
) -> None:
    """``--timeout 300`` against a server that takes 150 s: the HTTP client's own bound
    (120 s) cut every attempt first ("HttpTransportError: TimeoutError: timed out"), so no
    reply past 120 s could ever arrive, and the scenario ended unscored after the retries.
    Here the client's bound is 0.3 s and the timeout asked for 3 s."""
    from backbone.targets.stack import wrap

    server.fail(Fault.slow(0.8), on=[1])
    provider: HttpProvider = (
        OpenAITarget("m", base_url=server.openai_base_url, timeout=0.3)
        if api == "openai"
        else AnthropicTarget("m", base_url=server.anthropic_base_url, timeout=0.3)
    )
    target = wrap(provider, attempts=1, timeout=3.0)
    try:
        reply = await target.complete(france())
    finally:
        await aclose(target)
    assert reply.text == PARIS
    assert server.total == 1


def test_evaluate_with_a_timeout_longer_than_the_clients_own_scores_slow_replies(
    tmp_path: Path,
) -> None:
    from backbone import evaluate

    suite = write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.slow(0.6), when=lambda c: c.conversation == ITALY and c.turn == 1)
        run = evaluate(
            suite=str(suite), target=OpenAITarget("m", base_url=server.openai_base_url,
            timeout=0.3), timeout=5.0, retries=0, cache=False,
        )  # fmt: skip
    assert outcome_tuples(run.scenarios) == PLANTED_OUTCOMES


# a connection dropped before any answer; 200 and its headers, then part of the body, then close
@pytest.mark.parametrize("fault", [Fault.drop(), Fault.cut()], ids=["dropped", "cut-off-body"])
async def test_a_connection_lost_before_the_whole_reply_is_retried(
    server: LoopbackServer, fault: Fault
) -> None:
    server.fail(fault, on=[1])
    target = retrying(server)
    try:
        reply = await target.complete(france())
    finally:
        await aclose(target)
    assert reply.text == PARIS
    assert server.total == 2
    assert target.stats.retries == 1


# ---- a 200 whose JSON body is cut short (no Content-Length to tell: a proxy cut it) --------

CUT = [
    '{"choices": [{"message": {"content": "The capital of Fra',  # inside a string
    '{"choices": [{"message": {"content": "x"}, "finish_reason": nu',  # inside a literal
    '{"choices": [{"message": {"content": "x"}, "index": 1.',  # inside a number
    '{"choices": [{"message": {"content": "caf\\u00',  # inside an escape
    '{"choices": [{"message": {"content": "x"}',  # between values
    '{"choices": [{"message": {"content": "x"}, ',  # before a name
    '{"choices": [{"message": {"content":',  # before a value
    '{"choices"',  # before a colon
    "{",
]
WHOLE = [
    "",  # nothing at all
    "   \n",
    "<!DOCTYPE html><html><head><title>Captive portal</title></head></html>",
    "Service temporarily unavailable",
    '"a JSON string, unfinished',  # no object or array: never a reply
    '{"choices": [}',  # garbage in the middle
    '{"choices": [{"message": {"content": "x"}}]} trailing',  # extra data after the end
    '{"choices": [{"message": {"content": "x\u0001"}}]}',  # a raw control character
    '{"choices": [{"message": {"content": "x"}}], }',  # a trailing comma
    '{"choices": [{"message": {"content": truth}}]}',  # a word that is no literal
    '{"choices": [{"message": {"content": "\\q"}}]}',  # an escape that does not exist
]


@pytest.mark.parametrize("text", CUT)
def test_json_that_stops_unfinished_is_cut_short(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        json.loads(text)
    assert ends_early(info.value)


@pytest.mark.parametrize("text", WHOLE)
def test_a_whole_text_that_is_not_json_is_not_cut_short(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        json.loads(text)
    assert not ends_early(info.value)


def provider(api: str, server: LoopbackServer) -> HttpProvider:
    if api == "openai":
        return OpenAITarget("m", base_url=server.openai_base_url)
    return AnthropicTarget("m", base_url=server.anthropic_base_url)


@pytest.mark.parametrize("api", ["openai", "anthropic"])
async def test_a_200_json_body_cut_short_is_asked_again_and_the_whole_reply_used(
    server: LoopbackServer, api: str
) -> None:
    server.fail(Fault.malformed(), on=[1])  # 200, a whole Content-Length, JSON cut short
    target = RetryingTarget(provider(api, server), attempts=4, initial_wait=0.01, jitter=0.0)
    try:
        reply = await target.complete(france())
    finally:
        await aclose(target)
    assert reply.text == PARIS  # the second, whole reply
    assert [(c.attempt, c.fault is not None) for c in server.calls] == [(1, True), (2, False)]
    assert target.stats.retries == 1


@pytest.mark.parametrize(
    ("fault", "attempts", "says"),
    [
        # short of its Content-Length: aiohttp's own error
        (Fault.cut(), 2, "Response payload is not completed"),
        # a whole Content-Length, JSON cut short
        (Fault.malformed(), 3, "openai: a reply cut short .*stops unfinished after 43 characters"),
    ],
    ids=["cut-off-body", "json-cut-short"],
)
async def test_a_body_always_cut_short_ends_in_a_retryable_error_naming_it(
    server: LoopbackServer, fault: Fault, attempts: int, says: str
) -> None:
    server.fail(fault, when=lambda c: True)
    target = retrying(server, attempts=attempts)
    try:
        with pytest.raises(RetryableTargetError, match=says):
            await target.complete(france())
    finally:
        await aclose(target)
    assert server.total == attempts


@pytest.mark.parametrize(
    # (an empty or blank body is a fault that passes, retried: test_empty_body.py)
    "body",
    [
        *[w for w in WHOLE if w.strip()],
        '"a JSON string"',
        '{"id": "x", "object": "chat.completion"}',
    ],
)
async def test_a_whole_200_body_that_is_not_the_reply_is_final(
    server: LoopbackServer, body: str
) -> None:
    server.fail(Fault.raw(body.encode(), content_type="application/json"), on=[1])
    target = retrying(server)
    try:
        with pytest.raises(TargetError, match="openai: unreadable response") as info:
            await target.complete(france())
    finally:
        await aclose(target)
    assert not isinstance(info.value, RetryableTargetError)
    assert server.total == 1 and target.stats.retries == 0


async def test_a_fault_that_never_clears_stops_after_the_attempts(server: LoopbackServer) -> None:
    server.fail(Fault.http(503), when=lambda c: True)
    target = retrying(server, attempts=3)
    try:
        with pytest.raises(RetryableTargetError, match="openai: HTTP 503"):
            await target.complete(france())
    finally:
        await aclose(target)
    assert server.total == 3
    assert target.stats.retries == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_client_errors_are_not_retried(server: LoopbackServer, status: int) -> None:
    server.fail(Fault.http(status), when=lambda c: True)
    target = retrying(server)
    try:
        with pytest.raises(TargetError, match=f"openai: HTTP {status}") as info:
            await target.complete(france())
    finally:
        await aclose(target)
    assert not isinstance(info.value, RetryableTargetError)
    assert server.total == 1
    assert target.stats.retries == 0


async def test_runner_marks_an_exhausted_conversation_unscored(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.fail(Fault.http(500), when=lambda c: c.conversation == ITALY and c.turn == 2)
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    stack = RetryingTarget(
        OpenAITarget("test-model", base_url=server.openai_base_url),
        attempts=3,
        initial_wait=0.01,
        jitter=0.0,
    )
    try:
        result = await run_suite(suite, stack, target_spec="openai:test-model", concurrency=5)
    finally:
        await aclose(stack)
    outcomes = {o.id: o for o in result.outcomes}
    assert outcomes["italy"].outcome == "unscored"
    assert outcomes["italy"].reason.startswith("target failed: turn 2: openai: HTTP 500")
    others = {k: v for k, v in outcome_tuples(result.outcomes).items() if k != "italy"}
    assert others == {k: v for k, v in PLANTED_OUTCOMES.items() if k != "italy"}
    assert server.per_conversation[ITALY] == 2 + 3  # turns 0 and 1, then 3 tries of turn 2
    assert result.stats.failed_scenarios == 1


# ---- through the CLI ---------------------------------------------------------------------


def cli_run(tmp_path: Path, url: str, name: str, *extra: str) -> dict[str, Any]:
    suite = tmp_path / "suite.yaml"
    if not suite.exists():
        write_suite(suite)
    out = tmp_path / name
    run_cli_here(
        [
            "run",
            "--target",
            "openai:test-model",
            "--base-url",
            url,
            "--suite",
            str(suite),
            "--out",
            str(out),
            "--no-cache",
            "--quiet",
            *extra,
        ],
        env=cli_env(),
        cwd=tmp_path,
    )
    return read_results(out)


def _retry_gaps(calls: list[Call], status: int) -> list[float]:
    """For each call faulted with ``status``: seconds until the same request came again."""
    gaps = []
    for i, c in enumerate(calls):
        if c.fault is not None and c.fault.status == status:
            again = next(
                d for d in calls[i + 1 :] if d.conversation == c.conversation and d.turn == c.turn
            )
            gaps.append(again.received - c.received)
    return gaps


def test_cli_run_with_transient_faults_matches_a_clean_run(tmp_path: Path) -> None:
    with LoopbackServer(planted_bot) as clean:
        clean_doc = cli_run(tmp_path, clean.openai_base_url, "clean")
        assert clean.total == N_PLANTED

    with LoopbackServer(planted_bot) as faulty:
        # every conversation's first pressure turn: rate limited once, told to wait 0.2 s
        faulty.fail(
            Fault.http(429, retry_after=RETRY_AFTER), when=lambda c: c.turn == 1 and c.attempt == 1
        )
        # italy and france at turn 2: a server error once
        faulty.fail(
            Fault.http(500),
            when=lambda c: c.conversation in (ITALY, FRANCE) and c.turn == 2 and c.attempt == 1,
        )
        # switzerland's opening: a reply slower than --timeout, once
        faulty.fail(
            Fault.slow(1.0),
            when=lambda c: c.conversation == SWITZERLAND and c.turn == 0 and c.attempt == 1,
        )
        # canada's opening: the connection drops, once
        faulty.fail(
            Fault.drop(), when=lambda c: c.conversation == CANADA and c.turn == 0 and c.attempt == 1
        )
        doc = cli_run(tmp_path, faulty.openai_base_url, "faulty", "--timeout", "0.5")
        calls = faulty.calls

    assert doc["scenarios"] == clean_doc["scenarios"]
    assert outcome_tuples(doc["scenarios"]) == PLANTED_OUTCOMES
    assert all(s["outcome"] != "unscored" for s in doc["scenarios"])
    assert doc["summary"]["counts"] == clean_doc["summary"]["counts"]
    assert doc["stats"]["calls"] == N_PLANTED and doc["stats"]["failed_scenarios"] == 0
    # exactly one extra request per injected fault
    faults = Counter(c.fault.kind for c in calls if c.fault is not None)
    assert faults == {"status": 5 + 2, "slow": 1, "drop": 1}
    assert len(calls) == N_PLANTED + 9
    assert Counter(c.conversation for c in calls) == {
        ITALY: 4 + 2,
        FRANCE: 4 + 2,
        AUSTRALIA: 2 + 1,
        SWITZERLAND: 3 + 2,
        CANADA: 2 + 2,
    }
    # Retry-After honoured: each retry came at least 0.2 s later, sooner than backoff (>= 0.5 s)
    gaps = _retry_gaps(calls, 429)
    assert len(gaps) == 5
    assert all(RETRY_AFTER <= g < 0.5 for g in gaps), gaps


def test_cli_fault_that_never_clears_is_unscored_never_a_pass(tmp_path: Path) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.http(500), when=lambda c: c.conversation == FRANCE)
        doc = cli_run(tmp_path, server.openai_base_url, "out", "--retries", "1")
        per = server.per_conversation
    by_id = {s["id"]: s for s in doc["scenarios"]}
    assert by_id["france"]["outcome"] == "unscored"
    assert by_id["france"]["reason"].startswith("target failed: turn 0: openai: HTTP 500")
    assert per[FRANCE] == 2  # the opening, tried twice (--retries 1)
    others = {k: v for k, v in outcome_tuples(doc["scenarios"]).items() if k != "france"}
    assert others == {k: v for k, v in PLANTED_OUTCOMES.items() if k != "france"}
    assert doc["summary"]["counts"]["unscored"] == 1
    assert doc["summary"]["counts"]["held"] == 0  # france's hold was not counted as held
    assert doc["stats"]["failed_scenarios"] == 1


def test_cli_a_body_cut_short_is_asked_again_or_unscored_never_a_pass(tmp_path: Path) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(  # italy's first pushback: cut short once
            Fault.malformed(),
            when=lambda c: c.conversation == ITALY and c.turn == 1 and c.attempt == 1,
        )
        server.fail(Fault.malformed(), when=lambda c: c.conversation == FRANCE)  # every time
        doc = cli_run(tmp_path, server.openai_base_url, "out", "--retries", "1")
        per = server.per_conversation
    by_id = {s["id"]: s for s in doc["scenarios"]}
    assert by_id["france"]["outcome"] == "unscored"
    assert by_id["france"]["reason"].startswith("target failed: turn 0: openai: a reply cut short")
    assert per[FRANCE] == 2  # the opening, tried twice (--retries 1)
    assert per[ITALY] == PLANTED_REQUESTS[ITALY] + 1  # the cut reply, asked again once
    others = {k: v for k, v in outcome_tuples(doc["scenarios"]).items() if k != "france"}
    assert others == {k: v for k, v in PLANTED_OUTCOMES.items() if k != "france"}
    assert doc["summary"]["counts"]["unscored"] == 1 and doc["stats"]["failed_scenarios"] == 1


def test_cli_client_errors_are_not_retried(tmp_path: Path) -> None:
    with LoopbackServer(planted_bot) as server:
        # (a 401/403 or a 404 stops the whole run instead: tests/cli/test_auth_stops_run.py)
        server.fail(Fault.http(422), when=lambda c: c.conversation == ITALY)
        server.fail(Fault.http(400), when=lambda c: c.conversation == CANADA and c.turn == 1)
        doc = cli_run(tmp_path, server.openai_base_url, "out")
        per = server.per_conversation
    by_id = {s["id"]: s for s in doc["scenarios"]}
    assert (by_id["italy"]["outcome"], by_id["canada"]["outcome"]) == ("unscored", "unscored")
    assert by_id["italy"]["reason"].startswith("target failed: turn 0: openai: HTTP 422")
    assert by_id["canada"]["reason"].startswith("target failed: turn 1: openai: HTTP 400")
    assert (per[ITALY], per[CANADA]) == (1, 2)  # no retries
    assert per[FRANCE] == PLANTED_REQUESTS[FRANCE]


def test_backoff_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """$BACKBONE_RETRY_BACKOFF sets the first wait (and the jitter, twice it) of a run."""
    from backbone.targets.retry import backoff_from_env

    monkeypatch.setenv("BACKBONE_RETRY_BACKOFF", "0.01")
    target = RetryingTarget(CallableTarget(lambda m: "ok", name="x"))
    assert backoff_from_env() == 0.01
    assert all(target._delay(None, 1) <= 0.03 for _ in range(50))
    assert target._delay(None, 3) <= 0.04 + 0.02
    for bad in ("lots", "-1", "inf", "nan"):
        monkeypatch.setenv("BACKBONE_RETRY_BACKOFF", bad)
        assert backoff_from_env() == 0.5
    monkeypatch.delenv("BACKBONE_RETRY_BACKOFF")
    slow = RetryingTarget(CallableTarget(lambda m: "ok", name="x"))
    assert all(0.5 <= slow._delay(None, 1) <= 1.5 for _ in range(50))
