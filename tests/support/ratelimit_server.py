"""A loopback chat server that enforces a rate limit, as hosted APIs do: real HTTP on 127.0.0.1.

It admits at most ``rate`` requests per fixed window of ``window`` seconds (windows counted from
the server's start); a request beyond that is answered at once with HTTP 429, a
``Retry-After`` and the rate-limit headers. An admitted request is answered after ``latency``
seconds. ``headers`` picks the rate-limit header family sent with every response:

* ``"openai"``: ``x-ratelimit-{limit,remaining,reset}-{requests,tokens}``, resets as Go-style
  durations (``"350ms"`` under a second, else ``"1.25s"``);
* ``"anthropic"``: ``anthropic-ratelimit-requests-{limit,remaining,reset}`` (and ``-tokens-``),
  resets as RFC 3339 times;
* ``None``: no rate-limit headers at all (a local server); the limit is still enforced.

``remaining`` is what is left of the window just after the request was admitted; ``reset``
the time until the window ends, measured at admission. The server counts requests, 429s, and
the most requests it held at once (``max_in_flight``).

In-process (a background thread with its own event loop)::

    with RateLimitedServer(rate=50, latency=0.2) as server:
        ... OpenAITarget("m", base_url=server.openai_base_url) ...
        server.stats()["rate_limited"]

As a subprocess (``GET /stats`` returns the counters, ``POST /reset`` zeroes them)::

    python tests/support/ratelimit_server.py --rate 40 --latency 1.0   # prints the port
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

REPLY = "The capital of Italy is Rome."
TOKEN_LIMIT = 10_000_000


def go_duration(seconds: float) -> str:
    """A reset as OpenAI writes it: ``"350ms"`` under a second, else ``"1.25s"``/``"6m0s"``."""
    if seconds < 1:
        return f"{math.ceil(seconds * 1000)}ms"
    minutes, rest = divmod(seconds, 60)
    if minutes:
        return f"{int(minutes)}m{rest:g}s"
    return f"{math.ceil(seconds * 1000) / 1000:g}s"


class RateLimitedServer:
    """OpenAI- and Anthropic-compatible endpoints behind a fixed-window rate limit."""

    def __init__(
        self,
        *,
        rate: int,
        window: float = 1.0,
        latency: float = 0.0,
        headers: str | None = "openai",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.rate = rate
        self.window = window
        self.latency = latency
        self.headers = headers
        self.host = host
        self.port = port
        self._t0 = time.monotonic()
        self._lock = threading.Lock()
        self._zero()
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def _zero(self) -> None:
        self.total = 0
        self.admitted = 0
        self.rate_limited = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.first: float | None = None
        self.last: float | None = None
        self._window_index = -1
        self._window_count = 0
        self.per_window: dict[int, int] = {}  # admitted, by window index
        self.refused_per_window: dict[int, int] = {}  # answered 429, by window index

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self.total,
                "admitted": self.admitted,
                "rate_limited": self.rate_limited,
                "max_in_flight": self.max_in_flight,
                "first": self.first,
                "last": self.last,
                "per_window": dict(sorted(self.per_window.items())),
                "refused_per_window": dict(sorted(self.refused_per_window.items())),
            }

    def reset(self) -> None:
        with self._lock:
            self._zero()

    # ---- the limit ---------------------------------------------------------------------

    def _admit(self) -> tuple[bool, int, float]:
        """Count a request: whether it is admitted, what is left of its window, and the
        seconds until the window ends."""
        now = time.monotonic()
        with self._lock:
            self.total += 1
            wall = time.time()
            self.first = wall if self.first is None else self.first
            self.last = wall
            index = math.floor((now - self._t0) / self.window)
            if index != self._window_index:
                self._window_index, self._window_count = index, 0
            reset = self._t0 + (index + 1) * self.window - now
            if self._window_count >= self.rate:
                self.rate_limited += 1
                self.refused_per_window[index] = self.refused_per_window.get(index, 0) + 1
                return False, 0, reset
            self._window_count += 1
            self.admitted += 1
            self.per_window[index] = self.per_window.get(index, 0) + 1
            return True, self.rate - self._window_count, reset

    def _limit_headers(self, remaining: int, reset: float) -> dict[str, str]:
        if self.headers == "openai":
            return {
                "x-ratelimit-limit-requests": str(self.rate),
                "x-ratelimit-remaining-requests": str(remaining),
                "x-ratelimit-reset-requests": go_duration(reset),
                "x-ratelimit-limit-tokens": str(TOKEN_LIMIT),
                "x-ratelimit-remaining-tokens": str(TOKEN_LIMIT - 50),
                "x-ratelimit-reset-tokens": "6m0s",
            }
        if self.headers == "anthropic":
            at = (datetime.now(UTC) + timedelta(seconds=reset)).isoformat().replace("+00:00", "Z")
            later = (datetime.now(UTC) + timedelta(seconds=60)).isoformat().replace("+00:00", "Z")
            return {
                "anthropic-ratelimit-requests-limit": str(self.rate),
                "anthropic-ratelimit-requests-remaining": str(remaining),
                "anthropic-ratelimit-requests-reset": at,
                "anthropic-ratelimit-tokens-limit": str(TOKEN_LIMIT),
                "anthropic-ratelimit-tokens-remaining": str(TOKEN_LIMIT - 50),
                "anthropic-ratelimit-tokens-reset": later,
            }
        return {}

    # ---- HTTP ----------------------------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._openai)
        app.router.add_post("/v1/messages", self._anthropic)
        app.router.add_get("/stats", self._stats)
        app.router.add_post("/reset", self._reset)
        return app

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    async def _reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})

    async def _openai(self, request: web.Request) -> web.Response:
        return await self._handle(request, "openai")

    async def _anthropic(self, request: web.Request) -> web.Response:
        return await self._handle(request, "anthropic")

    async def _handle(self, request: web.Request, api: str) -> web.Response:
        body = await request.json()
        admitted, remaining, reset = self._admit()
        limits = self._limit_headers(remaining, reset)
        if not admitted:
            return web.json_response(
                {"error": {"type": "rate_limit_error", "message": "rate limit reached"}},
                status=429,
                headers={**limits, "retry-after": f"{math.ceil(reset * 1000) / 1000:g}"},
            )
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
        finally:
            with self._lock:
                self.in_flight -= 1
        if api == "openai":
            payload: dict[str, Any] = {
                "model": body.get("model", ""),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY}}],
                "usage": {"prompt_tokens": 20, "completion_tokens": 6},
            }
        else:
            payload = {
                "type": "message",
                "content": [{"type": "text", "text": REPLY}],
                "usage": {"input_tokens": 20, "output_tokens": 6},
            }
        return web.Response(
            body=json.dumps(payload).encode(), content_type="application/json", headers=limits
        )

    # ---- running it ----------------------------------------------------------------------

    async def start_async(self) -> None:
        self._runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, backlog=1024)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None)
        assert sockets
        self.port = sockets[0].getsockname()[1]
        self._t0 = time.monotonic()

    async def stop_async(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def __enter__(self) -> RateLimitedServer:
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self.start_async())
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self.stop_async())
                loop.close()

        self._thread = threading.Thread(target=serve, name="ratelimit-server", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("rate-limited server did not start within 10s")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)


@contextmanager
def serve_subprocess(
    *, rate: int, latency: float, headers: str | None = "openai", window: float = 1.0
) -> Iterator[str]:
    """Run the server as a subprocess (its CPU apart from the client's); yields its URL.
    ``stats(url)`` reads its counters."""
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--port", "0", "--rate", str(rate),
         "--latency", str(latency), "--window", str(window), "--headers", headers or "none"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def stats(url: str) -> dict[str, Any]:
    """The counters of a server run by :func:`serve_subprocess`."""
    with urllib.request.urlopen(f"{url}/stats", timeout=10) as response:
        data: dict[str, Any] = json.loads(response.read())
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rate", type=int, default=40)
    parser.add_argument("--window", type=float, default=1.0)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--headers", choices=["openai", "anthropic", "none"], default="openai")
    args = parser.parse_args()
    server = RateLimitedServer(
        rate=args.rate,
        window=args.window,
        latency=args.latency,
        headers=None if args.headers == "none" else args.headers,
        port=args.port,
    )

    async def run() -> None:
        await server.start_async()
        print(server.port, flush=True)
        await asyncio.Event().wait()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
