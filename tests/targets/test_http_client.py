"""Compressed response bodies through a real loopback server: gzip and deflate are read; a
corrupt gzip body is retried and, when it stays corrupt, recorded as exactly that; a body in a
coding backbone does not read (brotli, zstd) is named, once, not retried as "no reply"."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest

from backbone.targets.errors import RetryableTargetError, TargetError
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.retry import RetryingTarget
from tests.support.loopback import (
    PLANTED_SUITE,
    Fault,
    LoopbackServer,
    cli_env,
    run_cli,
    write_suite,
)

REPLY = json.dumps(
    {"choices": [{"message": {"role": "assistant", "content": "Rome."}, "finish_reason": "stop"}]}
).encode()


def coded(body: bytes, encoding: str) -> Fault:
    return Fault.raw(body, headers={"content-encoding": encoding})


def ask() -> Request:
    return Request((ChatMessage("user", "What is the capital of Italy?"),))


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        (gzip.compress(REPLY), "gzip"),
        (gzip.compress(REPLY[:30]) + gzip.compress(REPLY[30:]), "gzip"),  # two gzip members
        (zlib.compress(REPLY), "deflate"),
        (zlib.compress(REPLY)[2:-4], "deflate"),  # raw deflate, as some servers send it
    ],
    ids=["gzip", "two gzip members", "zlib deflate", "raw deflate"],  # gzip's bytes hold a time
)
async def test_a_gzip_or_deflate_body_is_read(
    server: LoopbackServer, body: bytes, encoding: str
) -> None:
    server.fail(coded(body, encoding), on=[1])
    target = OpenAITarget("m", base_url=server.openai_base_url)
    try:
        assert (await target.complete(ask())).text == "Rome."
    finally:
        await target.aclose()
    assert server.calls[0].headers["accept-encoding"] == "gzip, deflate"


CORRUPT = {
    "not gzip at all": REPLY,
    "a gzip header, then garbage": b"\x1f\x8b\x08\x00not gzip",
    "a bad checksum": gzip.compress(REPLY)[:-8] + b"\0\0\0\0" + gzip.compress(REPLY)[-4:],
    "cut in half": gzip.compress(REPLY)[: len(gzip.compress(REPLY)) // 2],
}


@pytest.mark.parametrize("body", CORRUPT.values(), ids=CORRUPT.keys())
async def test_a_corrupt_gzip_body_is_a_transient_fault_that_says_so(
    server: LoopbackServer, body: bytes
) -> None:
    server.fail(coded(body, "gzip"), on=[1])
    target = OpenAITarget("m", base_url=server.openai_base_url)
    try:
        with pytest.raises(RetryableTargetError) as caught:
            await target.complete(ask())
        assert not caught.value.silent  # the server answered: not "no reply"
        assert "the reply body was not valid gzip" in str(caught.value)
        retrying = RetryingTarget(target, initial_wait=0.0, jitter=0.0)
        assert (await retrying.complete(ask())).text == "The capital of Italy is Rome."
    finally:
        await target.aclose()


async def test_a_5xx_with_a_corrupt_gzip_body_is_still_that_status(
    server: LoopbackServer,
) -> None:
    server.fail(Fault.raw(b"garbage", status=503, headers={"content-encoding": "gzip"}), on=[1])
    target = OpenAITarget("m", base_url=server.openai_base_url)
    try:
        with pytest.raises(RetryableTargetError, match=r"HTTP 503: \[the reply body was not"):
            await target.complete(ask())
    finally:
        await target.aclose()


@pytest.mark.parametrize(("encoding", "name"), [("br", "brotli"), ("zstd", "zstd")])
async def test_a_body_in_a_coding_not_read_is_named_and_not_retried(
    server: LoopbackServer, encoding: str, name: str
) -> None:
    server.fail(coded(b"\x1b\x00\x00compressed", encoding), when=lambda call: True)
    target = RetryingTarget(
        OpenAITarget("m", base_url=server.openai_base_url), initial_wait=0.0, jitter=0.0
    )
    try:
        with pytest.raises(TargetError) as caught:
            await target.complete(ask())
    finally:
        await target.inner.aclose()  # type: ignore[attr-defined]
    assert not isinstance(caught.value, RetryableTargetError)
    assert f"the server answered with a {name}-compressed body" in str(caught.value)
    assert "no reply" not in str(caught.value)
    assert server.total == 1  # asked once: the server would send the same again


def test_a_run_against_a_brotli_server_names_brotli_for_each_scenario(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.fail(coded(b"\x1b\x00\x00compressed", "br"), when=lambda call: True)
    out = tmp_path / "out"
    run_cli(
        ["run", "--target", "openai:m", "--base-url", server.openai_base_url, "--suite",
         str(write_suite(tmp_path / "suite.yaml")), "--out", str(out), "--no-cache"],
        env=cli_env(BACKBONE_RETRY_BACKOFF="0.01"),
        cwd=tmp_path,
    )  # fmt: skip
    rows = [json.loads(line) for line in (out / "transcripts.jsonl").read_text().splitlines()]
    assert [r["outcome"] for r in rows] == ["unscored"] * len(PLANTED_SUITE["scenarios"])
    for row in rows:
        assert "brotli-compressed body (Content-Encoding: br)" in row["error"]
        assert "no reply" not in row["error"]
    assert server.total == len(rows)  # one call each: the server would send brotli again


async def test_a_body_that_breaks_off_is_a_reply_cut_short_not_silence(
    server: LoopbackServer,
) -> None:
    """A 200 whose connection closes mid-body, every time: the target answered (its status
    and headers came), so it is not given up on as one that never replies ("no reply to any
    of the first N attempts"); each attempt is retried and the error says what happened."""
    server.fail(Fault.cut(), when=lambda call: True)
    target = RetryingTarget(
        OpenAITarget("m", base_url=server.openai_base_url),
        attempts=4,
        initial_wait=0.0,
        jitter=0.0,
        unanswered_limit=2,
    )
    try:
        with pytest.raises(RetryableTargetError) as caught:
            await target.complete(ask())
    finally:
        await target.inner.aclose()  # type: ignore[attr-defined]
    assert not caught.value.silent
    assert str(caught.value).startswith(
        "openai: the reply body was cut short: the server sent HTTP 200 and closed the "
        "connection before the end of the body"
    )
    assert server.total == 4  # every attempt made, none refused as to a silent target


async def test_a_body_larger_than_the_cap_once_decompressed_is_refused(
    server: LoopbackServer,
) -> None:
    """A small gzip body that inflates past the client's cap (a gzip bomb, or a proxy
    compressing a file) is stopped at the cap, not inflated whole into memory."""
    from backbone.targets.http_client import HttpBodyTooLarge, HttpClient

    server.fail(coded(gzip.compress(b" " * 100_000), "gzip"), on=[1])
    client = HttpClient(server.openai_base_url, headers={}, timeout=10.0, max_connections=1,
                        max_body=10_000)  # fmt: skip
    try:
        with pytest.raises(HttpBodyTooLarge, match=r"larger than 10,000 bytes once decompressed"):
            await client.post("/chat/completions", json={"messages": []})
    finally:
        await client.aclose()


async def test_a_server_that_does_not_speak_http_is_named_once() -> None:
    """A base URL that points at a port of another protocol (here one that greets as SSH
    does): its answer is not HTTP, and every call would get the same. It was counted as
    silence, and the target given up on with "no reply to any of the first 6 attempts"."""
    import asyncio

    connections = 0

    async def greet(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.read(65536)
        writer.write(b"SSH-2.0-OpenSSH_9.6\r\n")
        await writer.drain()
        writer.close()

    ssh = await asyncio.start_server(greet, "127.0.0.1", 0)
    port = ssh.sockets[0].getsockname()[1]
    target = RetryingTarget(
        OpenAITarget("m", base_url=f"http://127.0.0.1:{port}/v1"), initial_wait=0.0, jitter=0.0
    )
    try:
        with pytest.raises(TargetError) as caught:
            await target.complete(ask())
    finally:
        await target.inner.aclose()  # type: ignore[attr-defined]
        ssh.close()
        await ssh.wait_closed()
    assert not isinstance(caught.value, RetryableTargetError)
    said = str(caught.value)
    assert said.startswith(
        f"openai: the server at http://127.0.0.1:{port}/v1/chat/completions answered with "
        "something that could not be read as an HTTP response ("
    )
    assert "SSH-2.0-OpenSSH_9.6" in said and "check the base URL's scheme" in said
    assert connections == 1
