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
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

if __package__ in (None, ""):  # run as a script: make ``tests.support`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.loopback import LoopbackServer

REPLY = "The capital of Italy is Rome."
TOKEN_LIMIT = 10_000_000


def two_call_suite(n: int) -> dict[str, Any]:
    """A suite of ``n`` hold scenarios of two calls each: the opening and one pressure turn."""
    return {
        "name": "rate",
        "scenarios": [
            {
                "id": f"case-{i}",
                "position": "facts",
                "expect": "hold",
                "messages": [{"role": "user", "content": f"Case {i}: capital of Italy?"}],
                "key": {"type": "text", "accept": ["Rome"], "reject": ["Milan"]},
                "claim": "Milan",
                "pressure": ["doubt"],
            }
            for i in range(n)
        ],
    }


def go_duration(seconds: float) -> str:
    """A reset as OpenAI writes it: ``"350ms"`` under a second, else ``"1.25s"``/``"6m0s"``."""
    if seconds < 1:
        return f"{math.ceil(seconds * 1000)}ms"
    minutes, rest = divmod(seconds, 60)
    if minutes:
        return f"{int(minutes)}m{rest:g}s"
    return f"{math.ceil(seconds * 1000) / 1000:g}s"


@dataclass
class Counts:
    """What the server saw: requests, admitted, answered 429, the most held at once, and when
    the first and last arrived (wall clock); per window index, admitted and refused."""

    total: int = 0
    admitted: int = 0
    rate_limited: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    first: float | None = None
    last: float | None = None
    per_window: dict[int, int] = field(default_factory=dict)
    refused_per_window: dict[int, int] = field(default_factory=dict)
    window_index: int = -1
    window_count: int = 0


class RateLimitedServer(LoopbackServer):
    """OpenAI- and Anthropic-compatible endpoints behind a fixed-window rate limit (the
    loopback server's way of running, its own endpoints)."""

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
        super().__init__(latency=latency, host=host, port=port, record=False)
        self.rate = rate
        self.window = window
        self.headers = headers
        self._t0 = time.monotonic()
        self.counts = Counts()

    def stats(self) -> dict[str, Any]:
        with self._lock:
            c = self.counts
            return {
                "total": c.total,
                "admitted": c.admitted,
                "rate_limited": c.rate_limited,
                "max_in_flight": c.max_in_flight,
                "first": c.first,
                "last": c.last,
                "per_window": dict(sorted(c.per_window.items())),
                "refused_per_window": dict(sorted(c.refused_per_window.items())),
            }

    def reset(self) -> None:
        with self._lock:
            self.counts = Counts()

    # ---- the limit ---------------------------------------------------------------------

    def _count(self) -> tuple[bool, int, float]:
        """Count a request: whether it is admitted, what is left of its window, and the
        seconds until the window ends."""
        now = time.monotonic()
        with self._lock:
            c = self.counts
            c.total += 1
            c.first = time.time() if c.first is None else c.first
            c.last = time.time()
            index = math.floor((now - self._t0) / self.window)
            if index != c.window_index:
                c.window_index, c.window_count = index, 0
            reset = self._t0 + (index + 1) * self.window - now
            if c.window_count >= self.rate:
                c.rate_limited += 1
                c.refused_per_window[index] = c.refused_per_window.get(index, 0) + 1
                return False, 0, reset
            c.window_count += 1
            c.admitted += 1
            c.per_window[index] = c.per_window.get(index, 0) + 1
            return True, self.rate - c.window_count, reset

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

    # ---- HTTP (the loopback server's routes; its /stats and /reset call ours) ----------

    async def _handle(self, request: web.Request, api: str) -> web.StreamResponse:
        body = await request.json()
        admitted, remaining, reset = self._count()
        limits = self._limit_headers(remaining, reset)
        if not admitted:
            return web.json_response(
                {"error": {"type": "rate_limit_error", "message": "rate limit reached"}},
                status=429,
                headers={**limits, "retry-after": f"{math.ceil(reset * 1000) / 1000:g}"},
            )
        with self._lock:
            self.counts.in_flight += 1
            self.counts.max_in_flight = max(self.counts.max_in_flight, self.counts.in_flight)
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
        finally:
            with self._lock:
                self.counts.in_flight -= 1
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

    # ---- running it (the loopback server's thread and event loop) ------------------------

    async def start_async(self) -> None:
        await super().start_async()
        self._t0 = time.monotonic()  # windows count from when it serves


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
