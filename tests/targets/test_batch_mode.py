"""Batch mode (``backbone run --batch``) against a loopback server that implements OpenAI's
Batch API and Anthropic's Message Batches: one batch per turn, the same figures as an online
run of the same replies, the cache shared with online runs, partial failures and expired
batches retried, a killed run resumed on the same batch, and costs at the batch price."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.evaluation.evaluate import evaluate
from backbone.targets.anthropic import AnthropicTarget
from backbone.targets.batch_anthropic import AnthropicBatchClient
from backbone.targets.batch_openai import OpenAIBatchClient
from backbone.targets.batching import (
    ODD_POLLS,
    BatchingTarget,
    BatchSettings,
    BatchStatus,
    ItemResult,
)
from backbone.targets.errors import AuthenticationError, NotFoundError, TargetError
from backbone.targets.messages import ChatMessage, Reply, Request
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.python_callable import CallableTarget
from backbone.targets.stack import aclose, wrap
from tests.support.batch_env import offline_batch_env
from tests.support.batch_server import BatchServer, item_messages
from tests.support.loopback import (
    CANADA,
    FRANCE,
    ITALY,
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    PLANTED_SCRIPT,
    Fault,
    backbone_exe,
    backbone_here,
    cli_env,
    first_user_message,
    outcome_tuples,
    planted_bot,
    read_results,
    run_cli_here,
    write_suite,
)

TURNS = max(PLANTED_REQUESTS.values())  # 4: the longest conversation's requests
N_REQUESTS = sum(PLANTED_REQUESTS.values())  # 15


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    offline_batch_env(monkeypatch, tmp_path)


@pytest.fixture
def server() -> Iterator[BatchServer]:
    with BatchServer(planted_bot) as s:
        yield s


def _prices(path: Path, server: BatchServer) -> Path:
    """A price table for the loopback server's model: $1 in, $2 out per million tokens."""
    host = f"127.0.0.1:{server.port}"
    path.write_text(json.dumps({"providers": {host: {"m": {"input": 1.0, "output": 2.0}}}}))
    return path


def _figures(results: dict[str, Any]) -> tuple[Any, Any]:
    return results["summary"], outcome_tuples(results["scenarios"])


def test_cli_batch_run_equals_online_run_one_batch_per_turn_and_reruns_from_cache(
    server: BatchServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = write_suite(tmp_path / "suite.yaml")
    prices = _prices(tmp_path / "prices.json", server)
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache-b"))
    args = ["run", "--target", "openai:m", "--base-url", server.openai_base_url,
            "--suite", str(suite), "--prices", str(prices), "--batch",
            "--out", str(tmp_path / "b")]  # fmt: skip
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert server.creates == TURNS  # one batch per turn of all scenarios
    assert server.batch_items == N_REQUESTS and server.total == 0  # nothing went online
    assert "batch batch_1: 5 requests submitted" in res.stderr  # progress while waiting
    assert "batch batch_4: 2/2 done (completed)" in res.stderr

    # the same server online, with its own cache
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache-o"))
    evaluate(
        str(suite), "openai:m", base_url=server.openai_base_url, prices=prices, out=tmp_path / "o"
    )
    assert server.total == N_REQUESTS
    batch, online = read_results(tmp_path / "b"), read_results(tmp_path / "o")
    assert _figures(batch) == _figures(online)
    assert outcome_tuples(batch["scenarios"]) == PLANTED_OUTCOMES
    assert batch["options"]["batch"]["target"]["batches"] == TURNS

    # costs: the same tokens, at half the price, and the saving said
    b, o = batch["costs"]["target"], online["costs"]["target"]
    assert (b["input_tokens"], b["output_tokens"]) == (o["input_tokens"], o["output_tokens"])
    online_usd = (o["input_tokens"] * 1.0 + o["output_tokens"] * 2.0) / 1e6
    assert o["usd"] == pytest.approx(online_usd) and "batch_saving_usd" not in o
    assert b["usd"] == pytest.approx(online_usd / 2) and b["batch_discount"] == 0.5
    assert b["usd_spent"] == pytest.approx(online_usd / 2)
    assert b["batch_saving_usd"] == pytest.approx(online_usd / 2)
    assert batch["costs"]["batch_saving_usd"] == pytest.approx(online_usd / 2)

    # a second batch run on the batch run's cache makes no call at all; an online run on it
    # is served from it too (the cache keys of a batch reply are the online ones)
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache-b"))
    again = evaluate(str(suite), "openai:m", base_url=server.openai_base_url, batch=True)
    online_again = evaluate(str(suite), "openai:m", base_url=server.openai_base_url)
    assert (server.creates, server.batch_items, server.total) == (TURNS, N_REQUESTS, N_REQUESTS)
    assert again.stats.calls == online_again.stats.calls == 0
    assert (
        outcome_tuples(again.outcomes) == outcome_tuples(online_again.outcomes) == PLANTED_OUTCOMES
    )


def test_batch_needs_a_provider_with_a_batch_api(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["run", "--target", "python:tests.fixtures.scripted_judge:judge",
                                   "--batch", "--out", str(tmp_path / "x"), "--quiet"])  # fmt: skip
    assert res.exit_code == 2
    assert "--batch needs an openai:MODEL or anthropic:MODEL target" in res.stderr
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert not (tmp_path / "x" / "results.json").exists()


def test_failed_and_expired_items_are_sent_again_and_results_equal_online(
    server: BatchServer, tmp_path: Path
) -> None:
    suite = str(write_suite(tmp_path / "suite.yaml"))
    # italy's turn-1 request errors in two batches (then succeeds in the third); batch 2
    # expires with only 2 of its 5 items done; canada's opening always errors in batches, so
    # it goes online after its two re-batches
    server.item_errors(lambda m: m[0]["content"] == ITALY and len(m) == 3, times=2)
    server.item_errors(lambda m: m[0]["content"] == CANADA and len(m) == 1)
    server.expire([2], finished=2)
    out = tmp_path / "r"
    run = evaluate(
        suite, "openai:m", base_url=server.openai_base_url, batch=True, cache=False, out=out
    )
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    # with --no-cache the batch journal lived in the run's directory, gone once it is written
    assert (out / "results.json").exists() and not list(out.glob(".backbone/batches*"))
    assert not any(t.error for t in run.transcripts or [])
    stats = run.options["batch"]["target"]
    assert stats["online"] == 1 and server.total == 1  # canada's opening, online at last
    assert stats["failed"] == 0  # nothing failed for good in a batch
    # every item a batch did not answer was sent again (or, the last time, online)
    failed = sum(len(b.items) - b.counts.get("succeeded", 0) for b in server.batches.values())
    assert stats["rebatched"] + stats["online"] == failed
    assert server.batches["batch_2"].state == "expired"
    assert server.batches["batch_2"].counts["expired"] == 3
    # canada's opening was in three batches (the first and its two re-batches), then online
    tries = [
        b.number
        for b in server.batches.values()
        for _, body in b.items
        if body["messages"] == [{"role": "user", "content": CANADA}]
    ]
    assert len(tries) == 3 and server.calls[0].conversation == CANADA
    # every request was answered exactly once, in a batch or online
    assert server.batch_items + server.total == N_REQUESTS


def _opening(messages: list[dict[str, Any]], question: str) -> bool:
    """Whether ``messages`` ask ``question`` with no answer yet (its opening request)."""
    return first_user_message(messages) == question and all(
        m["role"] != "assistant" for m in messages
    )


NO_TEXT_WHY = [("openai", "finish_reason 'tool_calls'"), ("anthropic", "stop_reason 'tool_use'")]
ONLINE_TOOL_CALL = {  # the same reply online, should the request ever go there
    "openai": {"choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
        "role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function",
        "function": {"name": "lookup", "arguments": "{}"}}]}}]},
    "anthropic": {"type": "message", "role": "assistant", "stop_reason": "tool_use", "content": [
        {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {}}]},
}  # fmt: skip


@pytest.mark.parametrize(("api", "why"), NO_TEXT_WHY)
def test_a_tool_call_in_a_batch_fails_at_once_while_a_transient_error_is_sent_again(
    server: BatchServer, tmp_path: Path, api: str, why: str
) -> None:
    suite = str(write_suite(tmp_path / "suite.yaml"))
    # canada's opening: a tool call, no text, the same every time (in a batch or online)
    server.tool_calls(lambda m: _opening(m, CANADA))
    online = json.dumps(ONLINE_TOOL_CALL[api]).encode()
    server.fail(Fault.raw(online), when=lambda c: _opening(c.messages, CANADA))
    server.item_errors(lambda m: _opening(m, ITALY), times=1)  # italy's: a passing fault
    base = server.openai_base_url if api == "openai" else server.anthropic_base_url
    run = evaluate(suite, f"{api}:m", base_url=base, batch=True, cache=False)
    said = f"{api}: the reply has no text ({why}: only a call to the tool 'lookup')"
    _canada_failed_at_once(server, run, said)


def _canada_failed_at_once(server: BatchServer, run: Any, said: str) -> None:
    """Canada's opening was in batch 1 only, with the final error ``said``; Italy's passing
    error was sent in the next batch; nothing went online; every other outcome as planted."""
    batches_with = {
        q: [b.number for b in server.batches.values() for _, body in b.items
            if _opening(item_messages(b.api, body), q)]
        for q in (CANADA, ITALY)
    }  # fmt: skip
    assert batches_with[CANADA] == [1]  # in exactly one batch, never sent again
    assert batches_with[ITALY] == [1, 2]  # its error was passing: sent in the next batch
    assert server.total == 0  # and nothing went online
    stats = run.options["batch"]["target"]
    assert (stats["rebatched"], stats["failed"], stats["online"]) == (1, 1, 0)
    by_id = {o.id: o for o in run.outcomes}
    assert by_id["canada"].outcome == "unscored"
    assert by_id["canada"].reason == f"target failed: turn 0: {said}"
    others = {k: v for k, v in outcome_tuples(run.outcomes).items() if k != "canada"}
    assert others == {k: v for k, v in PLANTED_OUTCOMES.items() if k != "canada"}


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_an_item_refused_as_invalid_fails_at_once_while_a_server_error_is_sent_again(
    server: BatchServer, tmp_path: Path, api: str
) -> None:
    suite = str(write_suite(tmp_path / "suite.yaml"))
    # canada's opening: refused as an invalid request (HTTP 400 / invalid_request_error),
    # which the next batch and an online call would refuse too; italy's: a server error once
    server.item_errors(lambda m: _opening(m, CANADA), status=400)
    server.item_errors(lambda m: _opening(m, ITALY), times=1)
    base = server.openai_base_url if api == "openai" else server.anthropic_base_url
    run = evaluate(suite, f"{api}:m", base_url=base, batch=True, cache=False)
    # before: canada's opening was in batches [1, 2, 3], then sent online
    said = "HTTP 400: injected item error" if api == "openai" else "errored: injected item error"
    _canada_failed_at_once(server, run, said)


def test_anthropic_message_batches_with_an_expired_batch(
    server: BatchServer, tmp_path: Path
) -> None:
    suite = str(write_suite(tmp_path / "suite.yaml"))
    server.expire([1], finished=3)
    run = evaluate(suite, "anthropic:m", base_url=server.anthropic_base_url, batch=True,
                   cache=False)  # fmt: skip
    assert [t.error for t in run.transcripts or []] == [None] * 5
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    assert server.total == 0 and server.batch_items == N_REQUESTS
    assert all(b.api == "anthropic" for b in server.batches.values())
    assert run.options["batch"]["target"]["rebatched"] == 2  # batch 1's two expired items


def test_a_batch_the_provider_lost_is_sent_again(server: BatchServer, tmp_path: Path) -> None:
    suite = str(write_suite(tmp_path / "suite.yaml"))
    server.forget(2)
    run = evaluate(suite, "openai:m", base_url=server.openai_base_url, batch=True, cache=False)
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    assert server.creates == TURNS + 1 and server.total == 0


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_a_poll_answered_with_a_page_that_is_not_the_batch_polls_it_again(
    server: BatchServer, tmp_path: Path, api: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A proxy's 200 HTML page for a poll of batch 1 (twice): the batch is polled again and
    its results used. It was taken as lost at the first: forgotten, and its five requests
    submitted (and paid for) again in a new batch."""
    suite = str(write_suite(tmp_path / "suite.yaml"))
    server.delay = 0.3  # still open at its first polls
    server.garble(1, times=2)
    base = server.openai_base_url if api == "openai" else server.anthropic_base_url
    with caplog.at_level(logging.WARNING, logger="backbone.targets.batching"):
        run = evaluate(suite, f"{api}:m", base_url=base, batch=True)
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    assert server.creates == TURNS and server.batch_items == N_REQUESTS and server.total == 0
    stats = run.options["batch"]["target"]
    assert (stats["batches"], stats["requests"], stats["rebatched"]) == (TURNS, N_REQUESTS, 0)
    polls = [r.getMessage() for r in caplog.records if "polling again" in r.getMessage()]
    assert len(polls) == 2 and "unreadable response: 'an HTML page: 502 Bad Gateway'" in polls[0]


def test_a_batch_only_ever_answered_with_a_page_is_given_up_after_some_polls(
    server: BatchServer, tmp_path: Path
) -> None:
    """Batch 1's every poll is an HTML page: after ODD_POLLS of them it is taken as lost and
    its requests go in the next batch; the run ends, with the planted figures."""
    suite = str(write_suite(tmp_path / "suite.yaml"))
    server.garble(1, times=None)
    run = evaluate(suite, "openai:m", base_url=server.openai_base_url, batch=True, cache=False)
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    assert server.polls["batch_1"] == ODD_POLLS
    assert server.creates == TURNS + 1 and server.total == 0
    assert run.options["batch"]["target"]["rebatched"] == 5


def test_a_folder_where_the_no_cache_batch_journal_goes_is_not_a_crash(
    server: BatchServer, tmp_path: Path
) -> None:
    """OUT/.backbone/batches.sqlite is a folder: the run goes on without a batch journal (with
    a warning), as before, and now ends 0 with its results; it ended with an
    IsADirectoryError traceback (exit 1) while removing the journal, results written."""
    suite = write_suite(tmp_path / "suite.yaml")
    (tmp_path / "r" / ".backbone" / "batches.sqlite").mkdir(parents=True)
    args = ["run", "--target", "openai:m", "--base-url", server.openai_base_url,
            "--suite", str(suite), "--batch", "--no-cache", "--out", "r", "--quiet"]  # fmt: skip
    proc = backbone_here(args, env=cli_env(BACKBONE_BATCH_POLL_SECONDS="0.05"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "going on without it" in proc.stderr
    assert outcome_tuples(read_results(tmp_path / "r")["scenarios"]) == PLANTED_OUTCOMES
    assert server.creates == TURNS


def _doubled(which: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each answered line followed by another answer and then an error for the same
    custom_id, and a line for a custom_id no request has."""
    out: list[dict[str, Any]] = []
    for line in lines:
        out.append(line)
        if which == "output":  # OpenAI
            other = json.loads(json.dumps(line))
            other["response"]["body"]["choices"][0]["message"]["content"] = "You're right."
            error = {**line, "response": {"status_code": 500, "body": {"error": {}}}}
        elif line["result"]["type"] == "succeeded":  # Anthropic
            other = json.loads(json.dumps(line))
            other["result"]["message"]["content"] = [{"type": "text", "text": "You're right."}]
            error = {**line, "result": {"type": "errored", "error": {"type": "error",
                     "error": {"type": "api_error", "message": "overloaded"}}}}  # fmt: skip
        else:
            continue
        out += [other, error, {**line, "custom_id": "not-a-request"}]
    return out


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_results_naming_a_request_twice_or_no_request_use_its_first_answer(
    server: BatchServer, tmp_path: Path, api: str
) -> None:
    """A results file with two answers and an error for each request, and lines for requests
    never sent: each request's first answer is used, nothing is sent again. The last line
    won: the error, so every request went in two more batches, then online."""
    suite = str(write_suite(tmp_path / "suite.yaml"))
    server.rewrite = _doubled
    base = server.openai_base_url if api == "openai" else server.anthropic_base_url
    run = evaluate(suite, f"{api}:m", base_url=base, batch=True, cache=False)
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    assert server.creates == TURNS and server.total == 0
    stats = run.options["batch"]["target"]
    assert (stats["rebatched"], stats["online"], stats["failed"]) == (0, 0, 0)


class _OddCounts(BatchServer):
    """A batch server whose request counts are not numbers (they only show progress)."""

    def _openai_view(self, b: Any) -> dict[str, Any]:
        view = super()._openai_view(b)
        view["request_counts"] = {"total": "n/a", "completed": "n/a", "failed": None}
        return view

    def _anthropic_view(self, b: Any) -> dict[str, Any]:
        view = super()._anthropic_view(b)
        view["request_counts"] = ["n/a"]
        return view


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_request_counts_that_are_not_numbers_do_not_fail_the_batch(
    tmp_path: Path, api: str
) -> None:
    """The counts only show progress; a batch whose counts were not numbers failed every one
    of its requests (ValueError / AttributeError): every scenario unscored, the batch paid
    for, and a run started again read the same batch and failed the same way."""
    suite = str(write_suite(tmp_path / "suite.yaml"))
    with _OddCounts(planted_bot) as server:
        base = server.openai_base_url if api == "openai" else server.anthropic_base_url
        run = evaluate(suite, f"{api}:m", base_url=base, batch=True, cache=False)
        assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
        assert server.creates == TURNS and server.total == 0


def test_an_empty_batch_reply_is_sent_afresh_by_the_next_run(tmp_path: Path) -> None:
    """A batch item answered with an empty message: that run grades it (France is unscored),
    and neither the cache nor the batch journal keeps it; the journal sent the next run back
    to the old batch, which gave the same blank again."""
    suite = str(write_suite(tmp_path / "suite.yaml"))
    blanks = [FRANCE]

    def bot(messages: list[dict[str, Any]]) -> str:
        if first_user_message(messages) in blanks and len(messages) == 1:
            blanks.clear()
            return ""
        return planted_bot(messages)

    with BatchServer(bot) as server:
        first = evaluate(suite, "openai:m", base_url=server.openai_base_url, batch=True)
        france = next(o for o in first.outcomes if o.id == "france")
        assert france.outcome == "unscored" and "empty reply" in (france.reason or "")
        assert (server.creates, server.batch_items) == (TURNS, N_REQUESTS)
        again = evaluate(suite, "openai:m", base_url=server.openai_base_url, batch=True)
        assert outcome_tuples(again.outcomes) == PLANTED_OUTCOMES
        # France again from its opening, in new batches; the rest from the cache
        assert server.batch_items == N_REQUESTS + PLANTED_REQUESTS[FRANCE]
        assert server.creates == 2 * TURNS and server.total == 0
        assert again.stats.calls == PLANTED_REQUESTS[FRANCE]


def test_a_killed_batch_run_resumes_polling_the_same_batch(
    server: BatchServer, tmp_path: Path
) -> None:
    suite = write_suite(tmp_path / "suite.yaml")
    server.slow[2] = 60.0  # batch 2 is still open when the run is killed
    args = [backbone_exe(), "run", "--target", "openai:m", "--base-url", server.openai_base_url,
            "--suite", str(suite), "--batch", "--out", "r", "--quiet"]  # fmt: skip
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"), BACKBONE_BATCH_POLL_SECONDS="0.05")
    # a process: it is killed (SIGKILL) mid-run; the resumed run below is in this one
    proc = subprocess.Popen(args, env=env, cwd=tmp_path, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while server.polls["batch_2"] < 2:  # submitted, journaled, polled
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    assert not (tmp_path / "r" / "results.json").exists()
    server.batches["batch_2"].ready_at = time.monotonic() + 0.3  # it ends while we are away
    polls_before = server.polls["batch_2"]
    run_cli_here(args[1:], env=env, cwd=tmp_path)
    assert server.polls["batch_2"] > polls_before  # polled the same batch again
    assert server.creates == TURNS  # ...instead of submitting its requests again
    assert server.batch_items == N_REQUESTS and server.total == 0
    results = read_results(tmp_path / "r")
    assert outcome_tuples(results["scenarios"]) == PLANTED_OUTCOMES
    assert results["options"]["batch"]["target"]["resumed"] == 5


def test_an_http_judge_is_batched_too(tmp_path: Path) -> None:
    verdict = json.dumps({"label": "maintains", "reason": "keeps its answer"})

    def reply(messages: list[dict[str, Any]]) -> str:
        first = next(m["content"] for m in messages if m["role"] == "user")
        return planted_bot(messages) if first in PLANTED_SCRIPT else verdict

    suite = str(write_suite(tmp_path / "suite.yaml"))
    with BatchServer(reply) as server:
        run = evaluate(suite, "openai:m", base_url=server.openai_base_url, batch=True,
                       cache=False, judges=["openai:judge"],
                       judge_base_url=server.openai_base_url)  # fmt: skip
        judged = [b for b in server.batches.values() if b.items[0][1]["model"] == "judge"]
        assert server.total == 0 and judged  # every call, the judge's too, went in batches
    assert all(body["model"] == "judge" for b in judged for _, body in b.items)
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES  # the answer key still decides
    info = run.options["batch"]
    assert info["judges"]["batches"] == len(judged)
    assert info["judges"]["requests"] == sum(len(b.items) for b in judged) > 0
    assert run.costs is not None and run.costs.judges is not None
    assert run.costs.judges.batch_discount == 0.5


async def test_calls_arriving_together_share_a_batch_up_to_its_size(server: BatchServer) -> None:
    target = OpenAITarget("m", base_url=server.openai_base_url)
    batching = BatchingTarget(OpenAIBatchClient(target), target, poll_interval=0.02, max_items=2)
    questions = [ITALY, FRANCE, CANADA, ITALY, FRANCE]  # two asked twice: sent once
    try:
        replies = await asyncio.gather(
            *(batching.complete(Request((ChatMessage("user", q),))) for q in questions)
        )
    finally:
        await aclose(batching)
    assert [r.text for r in replies] == [PLANTED_SCRIPT[q][0] for q in questions]
    assert sorted(len(b.items) for b in server.batches.values()) == [1, 2]
    assert batching.stats.batches == 2 and batching.stats.batched == 3
    # usage comes from the batch output, as online: words in and out on this server
    assert (replies[0].usage.input_tokens, replies[0].usage.output_tokens) == (6, 6)


class _RateLimitedCreate(BatchServer):
    """Answers the first batch created with HTTP 429 and ``Retry-After: retry_after``."""

    def __init__(self, retry_after: str) -> None:
        super().__init__(planted_bot)
        self.retry_after, self.refused = retry_after, 0

    async def _create_anthropic(self, request: web.Request) -> web.Response:
        if not self.refused:
            self.refused += 1
            error = {"type": "rate_limit_error", "message": "slow down"}
            return web.json_response({"type": "error", "error": error}, status=429,
                                     headers={"retry-after": self.retry_after})  # fmt: skip
        return await super()._create_anthropic(request)


@pytest.mark.parametrize("retry_after", ["1e999", "86400"])
async def test_a_batch_refused_with_a_huge_retry_after_waits_the_cap_not_forever(
    monkeypatch: pytest.MonkeyPatch, retry_after: str
) -> None:
    """A 429 on submitting a batch slept for its Retry-After as given: a day for 86400, and
    for ever for '1e999' (inf seconds), with nothing said after one warning. It is capped as
    an online retry's is (MAX_RETRY_AFTER, 120 s; 0.2 s here)."""
    from backbone.targets import batching as batching_module

    monkeypatch.setattr(batching_module, "MAX_RETRY_AFTER", 0.2, raising=False)
    with _RateLimitedCreate(retry_after) as server:
        target = AnthropicTarget("m", base_url=server.anthropic_base_url)
        batching = BatchingTarget(AnthropicBatchClient(target), target, poll_interval=0.02)
        try:
            reply = await asyncio.wait_for(
                batching.complete(Request((ChatMessage("user", FRANCE),))), 10
            )
        finally:
            await aclose(batching)
        assert reply.text == PLANTED_SCRIPT[FRANCE][0]
        assert server.refused == 1 and server.creates == 1 and server.total == 0


class _SilentCreate(BatchServer):
    """Goes silent on the first batch created: the request is read, no answer ever comes."""

    def __init__(self) -> None:
        super().__init__(planted_bot)
        self.silent = 0

    async def _create_anthropic(self, request: web.Request) -> web.Response:
        if not self.silent:
            self.silent += 1
            await asyncio.sleep(60)
        return await super()._create_anthropic(request)


async def test_a_batch_api_gone_silent_is_asked_again_after_the_runs_timeout() -> None:
    """The batch API's calls waited 300 s each, whatever --timeout said: a server silent on
    every call held a run 30 minutes (six tries at submitting) before a word."""
    with _SilentCreate() as server:
        target = AnthropicTarget("m", base_url=server.anthropic_base_url)
        stack = wrap(target, attempts=1, timeout=0.3, batch=BatchSettings(poll_interval=0.02))
        started = time.monotonic()
        try:
            reply = await asyncio.wait_for(
                stack.complete(Request((ChatMessage("user", FRANCE),))), 10
            )
        finally:
            await aclose(stack)
        assert time.monotonic() - started < 5
        assert reply.text == PLANTED_SCRIPT[FRANCE][0]
        assert server.silent == 1 and server.creates == 1 and server.total == 0  # no online


class _BrokenClient:
    """A batch API that accepts a batch, then breaks: ``fault`` raised by ``results``
    (or by ``submit`` when ``on_submit``)."""

    name, max_items = "broken", 100

    def __init__(self, fault: Exception, *, on_submit: bool = False) -> None:
        self.fault, self.on_submit = fault, on_submit

    def body(self, request: Request) -> dict[str, Any]:
        return {"messages": request.as_dicts()}

    async def submit(self, items: Any) -> str:
        if self.on_submit:
            raise self.fault
        return "b1"

    async def status(self, batch_id: str) -> BatchStatus:
        return BatchStatus("ended", False, 1, 1)

    async def results(self, batch_id: str) -> dict[str, ItemResult]:
        raise self.fault

    async def aclose(self) -> None:
        pass


@pytest.mark.parametrize(
    ("fault", "on_submit", "raised", "says"),
    [
        (ValueError("garbled"), False, TargetError, "broken batch b1: ValueError('garbled')"),
        (AuthenticationError("openai: HTTP 401: bad key"), True, AuthenticationError, "401"),
        (TargetError("openai: HTTP 405: no batch API"), True, TargetError, "no batch API"),
        (  # a 404 stops the run (UnusableTargetError), saying what it may mean
            NotFoundError("openai: HTTP 404 at http://127.0.0.1:9/v1/files: not found"),
            True,
            NotFoundError,
            "/v1/files: not found (a server with no batch API? run without --batch)",
        ),
    ],
)
async def test_a_broken_batch_api_fails_the_requests_never_hangs_or_passes(
    fault: Exception, on_submit: bool, raised: type[Exception], says: str
) -> None:
    online = CallableTarget(lambda m: "online", name="x")
    batching = BatchingTarget(_BrokenClient(fault, on_submit=on_submit), online,
                              poll_interval=0.01)  # fmt: skip
    with pytest.raises(raised, match=re.escape(says)):
        await asyncio.wait_for(batching.complete(Request((ChatMessage("user", "?"),))), 5)
    await batching.aclose()


class _GarbledOnce(_BrokenClient):
    """A batch that ended, whose first results download is not its results (an HTML page)."""

    def __init__(self) -> None:
        super().__init__(TargetError("openai: unreadable response: 'an HTML page: 502'"))
        self.asked = 0

    async def results(self, batch_id: str) -> dict[str, ItemResult]:
        self.asked += 1
        if self.asked == 1:
            raise self.fault
        return {self.key: ItemResult(Reply("Rome."))}

    async def submit(self, items: Any) -> str:
        self.key = items[0][0]
        return "b1"


async def test_results_answered_with_a_page_are_asked_for_again_not_paid_for_again() -> None:
    """Before, the ended batch was taken as lost at the first such answer and its request
    sent again (here: online, after two more batches)."""
    client = _GarbledOnce()
    batching = BatchingTarget(client, CallableTarget(lambda m: "online", name="x"),
                              poll_interval=0.01)  # fmt: skip
    reply = await asyncio.wait_for(batching.complete(Request((ChatMessage("user", "?"),))), 5)
    await batching.aclose()
    assert reply.text == "Rome." and client.asked == 2
    assert (batching.stats.batches, batching.stats.rebatched, batching.stats.online) == (1, 0, 0)


def _openai_line(body: Any, status: int = 200) -> dict[str, Any]:
    return {"custom_id": "k", "response": {"status_code": status, "body": body}, "error": None}


def _openai_reply(message: dict[str, Any], finish: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "message": message, "finish_reason": finish}]}


@pytest.mark.parametrize(
    ("line", "final", "says"),
    [
        (_openai_line(ONLINE_TOOL_CALL["openai"]), True, "only a call to the tool 'lookup'"),
        (_openai_line(_openai_reply({"content": ""}, "length")), True, "the token limit"),
        (_openai_line(_openai_reply({"content": None}, "content_filter")), True, "filter"),
        (_openai_line(_openai_reply({"content": "Rome."}, "stop")), False, None),
        (_openai_line({"choices": []}), False, "a reply with no choices"),  # sent again
        (_openai_line({"error": {"message": "busy"}}, 500), False, "HTTP 500: busy"),  # again
        (_openai_line({"error": {"message": "slow down"}}, 429), False, "HTTP 429: slow down"),
        (_openai_line({"error": {"message": "too long"}}, 400), True, "HTTP 400: too long"),
        (_openai_line({"error": {"message": "no such model"}}, 404), True, "HTTP 404"),
    ],
)
def test_a_reply_without_text_that_says_why_or_a_refused_request_is_a_final_batch_item(
    line: dict[str, Any], final: bool, says: str | None
) -> None:
    client = OpenAIBatchClient(OpenAITarget("m", base_url="http://127.0.0.1:9/v1"))
    item = client._item(line)
    assert item.final is final
    assert (item.error is None) is (says is None)
    assert says is None or says in (item.error or "")


def _errored(kind: str) -> dict[str, Any]:
    return {"type": "errored", "error": {"type": "error", "error": {"type": kind, "message": kind}}}


@pytest.mark.parametrize(
    ("result", "final"),
    [
        (_errored("invalid_request_error"), True),  # "fix the request": the same every time
        (_errored("api_error"), False),  # "retry directly"
        (_errored("overloaded_error"), False),
        ({"type": "expired"}, False),
        ({"type": "canceled"}, False),
    ],
)
def test_an_anthropic_item_refused_as_invalid_is_final(result: dict[str, Any], final: bool) -> None:
    client = AnthropicBatchClient(AnthropicTarget("m", base_url="http://127.0.0.1:9"))
    item = client._item(result)
    assert item.final is final and item.reply is None and item.error


def test_a_reply_that_spent_its_limit_on_reasoning_goes_in_the_next_batch_with_more(
    server: BatchServer, tmp_path: Path
) -> None:
    """A reasoning model that needs 1,000 tokens to reason, asked with 300: every item of the
    first batch comes back with no text (finish_reason length), which used to end every
    scenario unscored; the limit grows as online (300, 1,200) and the next batch answers."""
    server.reasoning(1000)
    suite = str(write_suite(tmp_path / "suite.yaml"))
    run = evaluate(
        suite, "openai:m", base_url=server.openai_base_url, batch=True, cache=False, max_tokens=300
    )
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    assert not any(t.error for t in run.transcripts or [])
    limits = [{body["max_tokens"] for _, body in b.items} for b in server.batches.values()]
    assert limits[0] == {300} and all(sent == {1200} for sent in limits[1:])
    assert run.options["batch"]["target"]["failed"] == 0
    assert run.options["sent"]["target"] == {"max_tokens": 1200}
    assert server.total == 0  # nothing went online


def test_a_reasoning_models_refused_parameters_are_dropped_for_the_next_batch(
    server: BatchServer, tmp_path: Path
) -> None:
    """In batch mode too: items refused for max_tokens, then for temperature, go in the next
    batch as the model takes them, and the run plays through with nothing unscored."""
    server.refuse(
        lambda body: "max_tokens" in body,
        {"message": "Unsupported parameter: 'max_tokens' is not supported with this model.",
         "type": "invalid_request_error", "param": "max_tokens", "code": "unsupported_parameter"},
    )  # fmt: skip
    server.refuse(
        lambda body: body.get("temperature", 1) != 1,
        {"message": "Unsupported value: 'temperature' does not support 0 with this model.",
         "type": "invalid_request_error", "param": "temperature", "code": "unsupported_value"},
    )  # fmt: skip
    suite = str(write_suite(tmp_path / "suite.yaml"))
    run = evaluate(suite, "openai:m", base_url=server.openai_base_url, batch=True, cache=False)
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    assert not any(t.error for t in run.transcripts or [])
    first = server.batches["batch_1"]
    assert all("max_tokens" in body for _, body in first.items)  # refused: sent again...
    answered = [b for b in server.batches.values() if b.counts.get("succeeded")]
    assert answered and all(  # ...as the model takes them
        "max_tokens" not in body and "temperature" not in body and body["max_completion_tokens"]
        for b in answered
        for _, body in b.items
    )
    assert run.options["batch"]["target"]["failed"] == 0


def test_a_batch_result_holding_a_line_separator_is_read() -> None:
    """A provider's results file is JSONL with UTF-8 written as it is: a reply holding U+2028
    (or U+0085, \\x1c...) used to split its line in two, so the result was dropped and the
    request paid for again in the next batch, then online."""
    from backbone.targets.batch_http import jsonl

    reply = "It is Rome.\u2028Still Rome.\x85Rome."
    line = json.dumps(
        {"custom_id": "k1", "response": {"body": {"text": reply}}}, ensure_ascii=False
    )
    text = line + "\n" + json.dumps({"custom_id": "k2"}) + "\n"
    assert "\u2028" in text
    got = list(jsonl(text))
    assert [o["custom_id"] for o in got] == ["k1", "k2"]
    assert got[0]["response"]["body"]["text"] == reply


class _KeyedClient:
    """A batch API that answers every item of a batch with ``Rome.``."""

    name, max_items = "keyed", 100

    def __init__(self) -> None:
        self.keys: list[str] = []

    def body(self, request: Request) -> dict[str, Any]:
        return {"messages": request.as_dicts()}

    async def submit(self, items: Any) -> str:
        self.keys += [key for key, _ in items]
        return f"b{len(self.keys)}"

    async def status(self, batch_id: str) -> BatchStatus:
        return BatchStatus("ended", False, 1, 1)

    async def results(self, batch_id: str) -> dict[str, ItemResult]:
        from backbone.targets.messages import Reply

        return {key: ItemResult(reply=Reply("Rome.")) for key in self.keys}

    async def aclose(self) -> None:
        pass


async def test_a_batch_journal_on_a_full_disk_still_answers_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Recording a submitted batch in a journal that cannot grow (SQLite's own 'database or
    disk is full', a page limit standing in for the disk) raised inside the batch's task:
    its requests waited forever (here: past the 5 s limit). Now the batch is watched and
    answered, with one warning that the journal is not kept."""
    from backbone.targets.batch_journal import BatchJournal

    journal = BatchJournal(tmp_path / "batches.sqlite")
    (pages,) = journal._db.execute("PRAGMA page_count").fetchone()
    journal._db.execute(f"PRAGMA max_page_count = {pages}")
    online = CallableTarget(lambda m: "online", name="x")
    batching = BatchingTarget(_KeyedClient(), online, journal=journal, poll_interval=0.01)
    # 200 key rows need pages the journal cannot add
    asks = [
        Request((ChatMessage("user", f"What is the capital of Italy? ({i})"),)) for i in range(200)
    ]
    with caplog.at_level(logging.WARNING, logger="backbone.targets.batch_journal"):
        replies = await asyncio.wait_for(asyncio.gather(*(batching.complete(r) for r in asks)), 5)
    await batching.aclose()
    journal.close()
    assert [r.text for r in replies] == ["Rome."] * 200
    assert any("batch journal" in r.getMessage() and "full" in r.getMessage()
               for r in caplog.records)  # fmt: skip


@pytest.mark.parametrize("no_cache", [False, True])
def test_a_batch_api_failing_every_poll_is_given_up_and_the_batch_collected_next_run(
    server: BatchServer, tmp_path: Path, no_cache: bool
) -> None:
    """After the submit, every poll of batch 1 is a 503: the run polled for ever, warning
    every ten polls. Now, once every poll has failed for $BACKBONE_BATCH_GIVE_UP_SECONDS, the
    batch's requests end ``unscored`` with the reason, the run ends, and the batch stays in
    the journal (with --no-cache, OUT's own): the next run polls the same batch and
    collects it, never paying for its requests again."""
    suite = write_suite(tmp_path / "suite.yaml")
    server.down.add(1)
    args = ["run", "--target", "openai:m", "--base-url", server.openai_base_url,
            "--suite", str(suite), "--batch", "--out", "r", "--quiet",
            *(["--no-cache"] if no_cache else [])]  # fmt: skip
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"), BACKBONE_BATCH_POLL_SECONDS="0.05",
                  BACKBONE_BATCH_GIVE_UP_SECONDS="0.6", BACKBONE_RETRY_BACKOFF="0.01")  # fmt: skip
    first = backbone_here(args, env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "every poll of batch batch_1 failed for" in first.stderr
    assert "run again to collect it" in first.stderr
    results = read_results(tmp_path / "r")
    assert {s["outcome"] for s in results["scenarios"]} == {"unscored"}
    assert server.creates == 1 and server.polls["batch_1"] >= 5 and server.total == 0
    server.down.clear()
    again = backbone_here(args, env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    results = read_results(tmp_path / "r")
    assert outcome_tuples(results["scenarios"]) == PLANTED_OUTCOMES
    assert server.creates == TURNS  # batch 1 collected, not submitted again
    assert server.batch_items == N_REQUESTS and server.total == 0
    assert results["options"]["batch"]["target"]["resumed"] == 5
