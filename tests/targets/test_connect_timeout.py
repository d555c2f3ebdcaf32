"""A server that never accepts the connection (a wrong address, a firewall that drops packets)
fails a call after the connect bound, not after the whole call's 120 s: a real listener on
127.0.0.1 whose accept queue is full, so the kernel drops the next connection's SYN."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator

import pytest
from aiohttp import web

from backbone.targets import http_client
from backbone.targets.errors import RetryableTargetError
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.ratelimit import GENTLE, RateLimitedTarget
from backbone.targets.stack import aclose


@pytest.fixture
def unreachable() -> Iterator[str]:
    """The base URL of a listener that accepts no connection more: its queue of one is full."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    first = socket.create_connection(("127.0.0.1", port), timeout=2)  # fills the queue
    probe = socket.socket()
    probe.settimeout(0.5)
    with pytest.raises(TimeoutError):  # the premise: connecting now hangs
        probe.connect(("127.0.0.1", port))
    probe.close()
    yield f"http://127.0.0.1:{port}/v1"
    first.close()
    server.close()


async def test_a_call_to_a_server_that_never_accepts_fails_at_the_connect_bound(
    unreachable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_client, "CONNECT_TIMEOUT", 0.5, raising=False)
    target = OpenAITarget("m", base_url=unreachable, timeout=30.0)
    start = time.monotonic()
    with pytest.raises(RetryableTargetError, match=r"(?i)timeout"):
        await target.complete(Request((ChatMessage("user", "What is 2 + 2?"),)))
    assert time.monotonic() - start < 5  # not the call's 30 s
    await target.aclose()


async def test_the_connect_bound_does_not_cut_a_slow_answer_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # connecting is bounded, a server thinking after it accepted is not: the whole call is

    async def slow(request: web.Request) -> web.Response:
        await request.read()
        await asyncio.sleep(1.5)
        return web.json_response(
            {"choices": [{"message": {"role": "assistant", "content": "4"}}], "usage": {}}
        )

    app = web.Application()
    app.router.add_post("/v1/chat/completions", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    monkeypatch.setattr(http_client, "CONNECT_TIMEOUT", 0.5, raising=False)
    target = OpenAITarget("m", base_url=f"http://127.0.0.1:{port}/v1", timeout=30.0)
    reply = await target.complete(Request((ChatMessage("user", "What is 2 + 2?"),)))
    assert reply.text == "4"
    await target.aclose()
    await runner.cleanup()


async def test_a_connection_never_made_is_no_sign_of_congestion_to_the_limiter(
    unreachable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a reply that did not come in time halves the limiter's cap; a connection that could not
    # be made in time (the host unreachable, not busy) does not, with calls in flight or not
    monkeypatch.setattr(http_client, "CONNECT_TIMEOUT", 0.5, raising=False)
    target = RateLimitedTarget(OpenAITarget("m", base_url=unreachable, timeout=30.0))
    ask = Request((ChatMessage("user", "What is 2 + 2?"),))
    failed = await asyncio.gather(*(target.complete(ask) for _ in range(4)),
                                  return_exceptions=True)  # fmt: skip
    await aclose(target)
    assert all(isinstance(f, RetryableTargetError) for f in failed), failed
    assert all(f.silent and not f.timed_out for f in failed)  # type: ignore[union-attr]
    assert all("ConnectionTimeoutError" in str(f) for f in failed)
    assert target.limiter.cap == GENTLE and target.limiter.stats.timed_out == 0
