"""A response body that never ends (a proxy streaming a file, a server in a loop) or is far
larger than any reply: the client stops reading at its cap instead of filling memory until the
timeout, and the call fails once, as a fault, not five times over."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from backbone.targets.errors import RetryableTargetError, TargetError
from backbone.targets.http_client import HttpBodyTooLarge, HttpClient
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.openai_compat import OpenAITarget

CHUNK = b"x" * (1 << 20)


class EndlessServer:
    """127.0.0.1: ``/v1/chat/completions`` streams 1 MiB chunks until the client goes away;
    ``/sized`` declares a Content-Length of 10 GB and sends nothing."""

    def __init__(self) -> None:
        self.posts = 0
        self.sent = 0
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def endless(self, request: web.Request) -> web.StreamResponse:
        self.posts += 1
        response = web.StreamResponse(headers={"content-type": "application/json"})
        await response.prepare(request)
        try:
            while True:
                await response.write(CHUNK)
                self.sent += len(CHUNK)
        except (ConnectionError, aiohttp.ClientConnectionResetError):
            pass
        return response

    async def sized(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"content-length": str(10**10)})
        await response.prepare(request)
        await asyncio.sleep(30)
        return response

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self.endless)
        app.router.add_get("/v1/sized", self.sized)
        self.runner = web.AppRunner(app, shutdown_timeout=0.5)  # the sized handler is mid-sleep
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{self.port}/v1"


@pytest.fixture
async def endless() -> AsyncIterator[tuple[EndlessServer, str]]:
    server = EndlessServer()
    base = await server.start()
    yield server, base
    assert server.runner is not None
    await server.runner.cleanup()


async def test_an_endless_body_stops_at_the_cap(endless: tuple[EndlessServer, str]) -> None:
    _, base = endless
    client = HttpClient(base, headers={}, timeout=60.0, max_connections=2, max_body=8 << 20)
    start = time.monotonic()
    with pytest.raises(HttpBodyTooLarge, match=r"larger than 8,388,608 bytes"):
        await client.post("/chat/completions", json={})
    assert time.monotonic() - start < 20  # not the 60 s timeout
    await client.aclose()


async def test_a_declared_length_past_the_cap_is_refused_before_reading(
    endless: tuple[EndlessServer, str],
) -> None:
    _, base = endless
    client = HttpClient(base, headers={}, timeout=60.0, max_connections=2, max_body=8 << 20)
    start = time.monotonic()
    with pytest.raises(HttpBodyTooLarge):
        await client.get("/sized")
    assert time.monotonic() - start < 10  # the server sends nothing for 30 s
    await client.aclose()


async def test_a_target_fails_once_on_an_endless_reply_and_says_why(
    endless: tuple[EndlessServer, str],
) -> None:
    server, base = endless
    target = OpenAITarget("m", base_url=base, timeout=120.0)
    with pytest.raises(TargetError, match=r"larger than 67,108,864 bytes") as caught:
        await target.complete(Request((ChatMessage("user", "What is 2 + 2?"),)))
    assert not isinstance(caught.value, RetryableTargetError)  # a retry would read it again
    assert server.posts == 1
    await target.aclose()
