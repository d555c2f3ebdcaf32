"""Anthropic's Message Batches: ``POST /v1/messages/batches`` with every request's
``custom_id`` and ``params``, poll ``GET /v1/messages/batches/{id}`` until its
``processing_status`` is ``ended``, then read the results JSONL (``results_url``, when it is on
the base URL's host; else ``/v1/messages/batches/{id}/results``): each line ``succeeded``
(the message), ``errored``, ``canceled`` or ``expired``.

Example:
    >>> from backbone.targets.anthropic import AnthropicTarget
    >>> c = AnthropicBatchClient(AnthropicTarget("m", base_url="http://127.0.0.1:9"))
    >>> c.max_items
    100000
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from backbone.targets.anthropic import API_VERSION, AnthropicTarget
from backbone.targets.batch_http import BatchHttp, counts, result_lines
from backbone.targets.batching import BatchStatus, ItemResult, keep_first_answer, read_reply
from backbone.targets.errors import RetryableTargetError
from backbone.targets.http_errors import error_in_reply
from backbone.targets.messages import Request

PATH = "/v1/messages/batches"


class AnthropicBatchClient:
    """The Message Batches API of the server an :class:`AnthropicTarget` talks to."""

    name = "anthropic"
    max_items = 100_000  # Anthropic's limit per batch

    def __init__(self, target: AnthropicTarget, *, idle: float | None = None) -> None:
        self.target = target
        headers = {"anthropic-version": API_VERSION}
        if target.api_key:
            headers["x-api-key"] = target.api_key
        self.http = BatchHttp(target, headers=headers, idle=idle)

    def body(self, request: Request) -> dict[str, Any]:
        return self.target.body(request)

    async def submit(self, items: Sequence[tuple[str, dict[str, Any]]]) -> str:
        created = await self.http.post_json(
            PATH, {"requests": [{"custom_id": k, "params": b} for k, b in items]}
        )
        batch_id = created.get("id") if isinstance(created, dict) else None
        if not isinstance(batch_id, str) or not batch_id:
            raise self.target.unreadable(json.dumps(created)[:200])
        return batch_id

    async def status(self, batch_id: str) -> BatchStatus:
        data = await self.http.get_json(f"{PATH}/{batch_id}")
        state = str(data.get("processing_status", "")) if isinstance(data, dict) else ""
        if not state:
            raise self.target.unreadable(json.dumps(data)[:200])
        n = counts(data)
        done = sum(n.get(k, 0) for k in ("succeeded", "errored", "canceled", "expired"))
        return BatchStatus(state, state != "ended", done, done + n.get("processing", 0))

    async def results(self, batch_id: str) -> dict[str, ItemResult]:
        data = await self.http.get_json(f"{PATH}/{batch_id}")
        url = data.get("results_url") if isinstance(data, dict) else None
        where = url if isinstance(url, str) and self.http.same_origin(url) else None
        text = await self.http.get_text(where or f"{PATH}/{batch_id}/results")
        if not text.strip():
            # every request of an ended batch has a result line: an empty download is a
            # fault (a proxy's), asked for again; read as no results, every request of the
            # batch, answered and paid for, was sent (and paid for) again
            raise RetryableTargetError(
                f"anthropic: the results of batch {batch_id} came back empty (HTTP 200)",
                secrets=self.target.secrets,
            )
        out: dict[str, ItemResult] = {}
        for obj in result_lines(text, self.target):
            keep_first_answer(out, obj.get("custom_id"), self._item(obj.get("result")))
        return out

    def _item(self, result: Any) -> ItemResult:
        if not isinstance(result, dict):
            return ItemResult(error="no result")
        kind = result.get("type")
        if kind == "succeeded":
            message = result.get("message")
            return read_reply(lambda: self.target.reply_from(message, json.dumps(message)[:300]))
        if kind == "errored":
            error = result.get("error") or {}
            inner = error.get("error") if isinstance(error, dict) else None
            detail = inner if isinstance(inner, dict) else error
            message = detail.get("message") if isinstance(detail, dict) else None
            said = f"errored: {message or json.dumps(error)[:200]}"
            # an invalid request fails the same way in any batch and online; an api_error or
            # overloaded_error may not (Anthropic: "fix the request" vs "retry directly")
            found = error_in_reply(error, "anthropic") if isinstance(error, dict) else None
            final = found is not None and not isinstance(found, RetryableTargetError)
            return ItemResult(error=said, final=final)
        return ItemResult(error=str(kind or "no result"))

    async def aclose(self) -> None:
        await self.http.aclose()
