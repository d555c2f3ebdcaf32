"""A refused key stops the run's calls, but replies already on their way are stored first:
planted by the fault soak (benchmarks/soak_faults.py), where a 401 with 32 calls in flight
made the re-run ask again for the ~25 replies the provider had already sent."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from backbone.core.concurrency import fan_out
from backbone.targets.cache import ResponseStore
from backbone.targets.errors import AuthenticationError
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.python_callable import CallableTarget
from backbone.targets.stack import wrap


def request(text: str) -> Request:
    return Request((ChatMessage("user", text),))


def test_calls_in_flight_are_stored_before_the_refusal_stops_the_run(tmp_path: Path) -> None:
    made: list[str] = []

    async def product(messages: list[dict[str, str]]) -> str:
        text = messages[-1]["content"]
        made.append(text)
        if text == "refused":
            raise AuthenticationError("HTTP 401: Incorrect API key provided")
        await asyncio.sleep(0.3)  # answered after the refusal came
        return f"reply to {text}"

    store = ResponseStore(tmp_path / "cache.sqlite")
    stack = wrap(CallableTarget(product, name="m:p"), attempts=1, cache=store)
    items = ["a", "b", "c", "refused", "later-1", "later-2"]

    async def call(text: str) -> str:
        if text.startswith("later"):
            await asyncio.sleep(0.05)  # starts after the refusal
        return (await stack.complete(request(text))).text

    with pytest.raises(AuthenticationError, match="Incorrect API key"):
        asyncio.run(fan_out(items, call, limit=len(items)))
    # the three calls in flight finished and were stored; the later ones were never made
    assert sorted(made) == ["a", "b", "c", "refused"]
    assert len(store) == 3
    again = wrap(CallableTarget(product, name="m:p"), attempts=1, cache=store)
    assert asyncio.run(again.complete(request("b"))).cached  # the re-run asks nothing twice
    store.close()


def test_the_wait_for_calls_in_flight_is_bounded() -> None:
    async def product(messages: list[dict[str, str]]) -> str:
        if messages[-1]["content"] == "refused":
            raise AuthenticationError("HTTP 403: forbidden")
        await asyncio.sleep(30)  # a hung call
        return "late"

    stack = wrap(CallableTarget(product, name="m:p"), attempts=1)
    stack.grace = 0.2  # type: ignore[attr-defined]
    started = time.perf_counter()
    with pytest.raises(AuthenticationError, match="forbidden"):
        asyncio.run(fan_out(["hung", "refused"], lambda t: stack.complete(request(t)), limit=2))
    assert time.perf_counter() - started < 5
