"""Text that cannot be encoded or decoded: a reply holding a lone surrogate, an HTTP body that
is not UTF-8 (a proxy's Latin-1 error page, a 0xff byte). Nothing crashes: the cache stores
and serves the reply, the HTTP client reads the body, the run writes its files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backbone.core.yaml_lines import load_yaml_with_lines
from backbone.record import build_record
from backbone.report.run_files import write_run
from backbone.runner.engine import run_suite
from backbone.scenarios.loader import load_suite
from backbone.targets.anthropic import AnthropicTarget
from backbone.targets.cache import CachedTarget, ResponseStore, cache_key
from backbone.targets.errors import RetryableTargetError, TargetError
from backbone.targets.http_provider import HttpProvider
from backbone.targets.messages import ChatMessage, Reply, Request
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.python_callable import CallableTarget
from backbone.targets.retry import RetryingTarget
from backbone.targets.stack import aclose
from tests.support.loopback import FRANCE, Fault, LoopbackServer, planted_bot, write_suite

PARIS = "The capital of France is Paris."
LATIN1_PAGE = "<html><body>Passerelle défaillante</body></html>".encode("latin-1")


def provider(api: str, server: LoopbackServer) -> HttpProvider:
    if api == "openai":
        return OpenAITarget("m", base_url=server.openai_base_url)
    return AnthropicTarget("m", base_url=server.anthropic_base_url)


def reply_body(api: str, content: str) -> bytes:
    """A 200 body whose reply text is ``content`` written raw into the JSON (so it may hold
    escapes or bytes that are not UTF-8)."""
    if api == "openai":
        return b'{"choices": [{"message": {"role": "assistant", "content": "%s"}}]}' % (
            content.encode("latin-1")
        )
    return b'{"content": [{"type": "text", "text": "%s"}]}' % content.encode("latin-1")


def france() -> Request:
    return Request((ChatMessage("user", FRANCE),))


APIS = ["openai", "anthropic"]


@pytest.mark.parametrize("api", APIS)
async def test_a_0xff_byte_in_a_utf8_reply_is_replaced_and_cached(
    server: LoopbackServer, tmp_path: Path, api: str
) -> None:
    server.fail(Fault.raw(reply_body(api, "Paris \xff is right")), on=[1])
    store = ResponseStore(tmp_path / "c.sqlite")
    target = CachedTarget(provider(api, server), store)
    try:
        first = await target.complete(france())
        second = await target.complete(france())
    finally:
        await aclose(target)
        store.close()
    assert first.text == "Paris \ufffd is right"
    assert (second.text, second.cached) == ("Paris \ufffd is right", True)
    assert server.total == 1


@pytest.mark.parametrize("api", APIS)
async def test_a_lone_surrogate_escape_in_a_reply_is_replaced_and_cached(
    server: LoopbackServer, tmp_path: Path, api: str
) -> None:
    server.fail(Fault.raw(reply_body(api, "Paris \\ud800 is right")), on=[1])
    store = ResponseStore(tmp_path / "c.sqlite")
    target = CachedTarget(provider(api, server), store)
    try:
        first = await target.complete(france())
        # the reply goes back into the next request (and its cache key) as the conversation
        follow = Request((*france().messages, ChatMessage("assistant", first.text)))
        assert cache_key(target.identity, follow)
        second = await target.complete(france())
    finally:
        await aclose(target)
        store.close()
    assert first.text == "Paris \ufffd is right"
    assert second.cached and second.text == first.text


@pytest.mark.parametrize(
    ("content_type", "shown"),
    [
        ("text/html; charset=utf-8", "Passerelle d\ufffdfaillante"),  # the header lies
        ("text/html; charset=iso-8859-1", "Passerelle défaillante"),
        ("text/html", "Passerelle d\ufffdfaillante"),
        ("text/html; charset=no-such-charset", "Passerelle d\ufffdfaillante"),
    ],
)
async def test_a_latin1_error_page_is_a_retryable_error_with_its_text(
    server: LoopbackServer, content_type: str, shown: str
) -> None:
    server.fail(Fault.raw(LATIN1_PAGE, status=502, content_type=content_type), on=[1])
    bare = OpenAITarget("m", base_url=server.openai_base_url)
    try:
        with pytest.raises(RetryableTargetError) as info:
            await bare.complete(france())
        assert shown in str(info.value)
        target = RetryingTarget(bare, attempts=2, initial_wait=0.01, jitter=0.0)
        assert (await target.complete(france())).text == PARIS
    finally:
        await aclose(bare)


async def test_a_200_body_of_garbage_bytes_is_an_unreadable_reply(
    server: LoopbackServer,
) -> None:
    server.fail(Fault.raw(b"\xff\xfe\x00garbage\x80", content_type="application/json"), on=[1])
    target = OpenAITarget("m", base_url=server.openai_base_url)
    try:
        with pytest.raises(TargetError, match="unreadable response"):
            await target.complete(france())
    finally:
        await aclose(target)


async def test_a_python_target_replying_with_a_lone_surrogate_runs_to_written_files(
    tmp_path: Path,
) -> None:
    def bot(messages: list[dict[str, Any]]) -> str:
        return planted_bot(messages) + " \ud800"

    store = ResponseStore(tmp_path / "c.sqlite")
    target = CachedTarget(CallableTarget(bot, name="bot:reply"), store)
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = await run_suite(suite, target, target_spec="python:bot:reply")
    rerun = await run_suite(suite, target, target_spec="python:bot:reply")
    store.close()
    assert result.stats.failed_scenarios == 0
    assert rerun.stats.calls == 0 and rerun.stats.cached_calls == result.stats.calls
    write_run(build_record(result), tmp_path / "out")
    lines = (tmp_path / "out" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    replies = [m["content"] for m in json.loads(lines[0])["messages"] if m["role"] == "assistant"]
    assert replies and all(r.endswith(" \ufffd") for r in replies)


def test_replies_and_messages_never_hold_a_lone_surrogate() -> None:
    assert Reply("a\ud800b").text == "a\ufffdb"
    assert ChatMessage("user", "\udfff").content == "\ufffd"
    assert Reply("\ud83d\ude00").text == "\U0001f600"  # a pair written as two code points


def test_a_yaml_surrogate_escape_loads_as_a_replacement_character() -> None:
    data, _ = load_yaml_with_lines('q: "capital \\ud800 of France?"\n', "s.yaml")
    assert data == {"q": "capital \ufffd of France?"}


# a CDN's error page: styles and scripts first, the words that say what happened far past the
# first 300 characters (where the message used to be cut)
CDN_PAGE = (
    '<!DOCTYPE html>\n<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> '
    '<![endif]-->\n<html lang="en-US"><head>\n<meta charset="UTF-8" />\n'
    + "<style>"
    + "body{margin:0;padding:0;font-family:sans-serif}" * 12
    + "</style>\n"
    + "<script>"
    + "window.cf=window.cf||{};" * 12
    + "</script>\n"
    + "<title>api.example.com | 502: Bad gateway</title></head>\n"
    + "<body><h1>Bad gateway</h1><p>Error code 502 &amp; more</p></body></html>"
).encode()


@pytest.mark.parametrize("api", ["openai", "anthropic"])
@pytest.mark.parametrize("status", [502, 200])
def test_an_html_error_page_is_named_by_its_title_in_the_unscored_reason(
    tmp_path: Path, api: str, status: int
) -> None:
    from tests.support.loopback import ITALY, cli_env, read_results, run_cli_here

    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        server.fail(
            Fault.raw(CDN_PAGE, status=status, content_type="text/html"),
            when=lambda c: c.conversation == ITALY and c.turn == 1,
        )
        url = server.openai_base_url if api == "openai" else server.anthropic_base_url
        run_cli_here(
            ["run", "--target", f"{api}:m", "--base-url", url, "--suite", "suite.yaml",
             "--out", "out", "--no-cache", "--quiet", "--retries", "1"],
            env=cli_env(BACKBONE_RETRY_BACKOFF="0.01"), cwd=tmp_path,
        )  # fmt: skip
    italy = next(s for s in read_results(tmp_path / "out")["scenarios"] if s["id"] == "italy")
    assert italy["outcome"] == "unscored"
    page = "an HTML page: api.example.com | 502: Bad gateway"
    if status == 502:
        assert italy["reason"] == f"target failed: turn 1: {api}: HTTP 502: {page}"
    else:
        assert italy["reason"] == f"target failed: turn 1: {api}: unreadable response: {page!r}"
