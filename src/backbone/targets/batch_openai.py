"""OpenAI's Batch API (and any OpenAI-compatible server that implements it): upload the
requests as a JSONL file (``POST /files``, purpose ``batch``), create the batch
(``POST /batches``, endpoint ``/v1/chat/completions``, completion window 24h), poll
``GET /batches/{id}``, and download ``output_file_id`` and ``error_file_id``
(``GET /files/{id}/content``), matching lines to requests by ``custom_id``.

Statuses: ``validating``, ``in_progress``, ``finalizing``, ``cancelling`` are open;
``completed``, ``expired`` (its finished requests are in the output file, the rest in the
error file), ``cancelled`` and ``failed`` (nothing ran: why is in its ``errors``) have ended.
They are read in any case: Together AI's batch API, OpenAI's shape otherwise, reports
``VALIDATING``, ``IN_PROGRESS``, ``COMPLETED``.

Example:
    >>> from backbone.targets.openai_compat import OpenAITarget
    >>> c = OpenAIBatchClient(OpenAITarget("m", base_url="http://127.0.0.1:9/v1"))
    >>> line = c.line("k1", {"model": "m"}); line["url"], line["method"]
    ('/v1/chat/completions', 'POST')
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import aiohttp

from backbone.targets.batch_http import BatchHttp, counts, result_lines
from backbone.targets.batching import (
    BatchStatus,
    ItemResult,
    keep_first_answer,
    read_reply,
    refused_item,
)
from backbone.targets.errors import InvalidRequestError, RetryableTargetError
from backbone.targets.http_errors import error_fields
from backbone.targets.messages import Request
from backbone.targets.openai_compat import OpenAITarget

ENDPOINT = "/v1/chat/completions"
OPEN = frozenset({"validating", "in_progress", "finalizing", "cancelling"})


def batch_errors(data: Any) -> str:
    """What a batch object's ``errors`` say (why a batch failed: ``code: message`` of each
    entry of ``errors.data``, at most three), or ``""``.

    Example:
        >>> batch_errors({"errors": {"data": [{"code": "token_limit_exceeded",
        ...     "message": "Enqueued token limit reached."}]}})
        'token_limit_exceeded: Enqueued token limit reached.'
        >>> batch_errors({"errors": None}), batch_errors({"errors": {"data": "x"}})
        ('', '')
    """
    errors = data.get("errors") if isinstance(data, dict) else None
    entries = errors.get("data") if isinstance(errors, dict) else None
    said = []
    for entry in entries[:3] if isinstance(entries, list) else ():
        if isinstance(entry, dict):
            parts = (entry.get("code"), entry.get("message"))
            text = ": ".join(str(p) for p in parts if isinstance(p, str) and p)
            if text:
                said.append(text)
    return "; ".join(said)[:300]


class OpenAIBatchClient:
    """The Batch API of the server an :class:`OpenAITarget` talks to."""

    name = "openai"
    max_items = 50_000  # OpenAI's limit per batch

    def __init__(self, target: OpenAITarget, *, idle: float | None = None) -> None:
        self.target = target
        headers = {"authorization": f"Bearer {target.api_key}"} if target.api_key else {}
        self.http = BatchHttp(target, headers=headers, idle=idle)
        self._limits: dict[str, dict[str, int]] = {}

    def body(self, request: Request) -> dict[str, Any]:
        return self.target.body(request)

    def line(self, custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}

    async def submit(self, items: Sequence[tuple[str, dict[str, Any]]]) -> str:
        for key, body in items:  # the token limit each request goes with (see _grew)
            for name in ("max_completion_tokens", "max_tokens"):
                if isinstance(body.get(name), int):
                    self._limits[key] = {name: body[name]}
        data = "".join(
            json.dumps(self.line(k, b), ensure_ascii=False, separators=(",", ":")) + "\n"
            for k, b in items
        ).encode("utf-8", "surrogatepass")
        form = aiohttp.FormData()
        form.add_field("purpose", "batch")
        form.add_field("file", data, filename="batch.jsonl", content_type="application/jsonl")
        uploaded = await self.http.post_form("/files", form)
        file_id = self._field(uploaded, "id")
        created = await self.http.post_json(
            "/batches",
            {"input_file_id": file_id, "endpoint": ENDPOINT, "completion_window": "24h"},
        )
        return self._field(created, "id")

    def _field(self, data: Any, name: str) -> str:
        value = data.get(name) if isinstance(data, dict) else None
        if not isinstance(value, str) or not value:
            raise self.target.unreadable(json.dumps(data)[:200])
        return value

    async def status(self, batch_id: str) -> BatchStatus:
        data = await self.http.get_json(f"/batches/{batch_id}")
        state = str(data.get("status", "")) if isinstance(data, dict) else ""
        if not state:
            raise self.target.unreadable(json.dumps(data)[:200])
        n = counts(data)
        done = n.get("completed", 0) + n.get("failed", 0)
        return BatchStatus(
            state, state.lower() in OPEN, done, n.get("total", 0), batch_errors(data)
        )

    async def results(self, batch_id: str) -> dict[str, ItemResult]:
        data = await self.http.get_json(f"/batches/{batch_id}")
        out: dict[str, ItemResult] = {}
        n = counts(data)
        for which, counted in (("error_file_id", "failed"), ("output_file_id", "completed")):
            file_id = data.get(which) if isinstance(data, dict) else None  # (a success wins)
            if not file_id:
                continue
            text = await self.http.get_text(f"/files/{file_id}/content")
            if not text.strip() and n.get(counted, 0) > 0:
                # the batch counts lines this file holds: an empty download is a fault (a
                # proxy's), asked for again; read as no lines, the requests it answered (and
                # were paid for) were sent, and paid for, again
                raise RetryableTargetError(
                    f"openai: the {which[:-8]} file of batch {batch_id} came back empty (HTTP "
                    f"200), though the batch counts {n[counted]} {counted} requests",
                    secrets=self.target.secrets,
                )
            for obj in result_lines(text, self.target):
                keep_first_answer(out, obj.get("custom_id"), self._item(obj))
        return out

    def _item(self, obj: dict[str, Any]) -> ItemResult:
        error = obj.get("error")
        response = obj.get("response")
        if isinstance(response, dict) and response.get("status_code") == 200 and not error:
            body = response.get("body")
            custom_id = obj.get("custom_id")
            sent = self._limits.get(custom_id) if isinstance(custom_id, str) else None
            item = read_reply(
                lambda: self.target.reply_from(body, json.dumps(body)[:300], sent=sent)
            )
            if item.spent and self._grew(custom_id):
                return ItemResult(error=item.error, final=False)  # the next batch asks with more
            return item
        if isinstance(error, dict):
            return ItemResult(error=f"{error.get('code')}: {error.get('message')}")
        if isinstance(response, dict):
            status, body = response.get("status_code"), response.get("body")
            item = refused_item(status, body)
            if status in (400, 422) and isinstance(body, dict):
                # a parameter the model does not take: the next batch sends it as it does
                param, code = error_fields(json.dumps(body))
                refusal = InvalidRequestError(item.error or "", param=param, code=code)
                if self.target.adapt(refusal):
                    return ItemResult(error=item.error, final=False)
            return item
        return ItemResult(error=str(error or "no response"))

    def _grew(self, custom_id: object) -> bool:
        """Whether the token limit a request with no text spent (a reasoning model) has now
        grown past what it was sent with (:meth:`OpenAITarget.grow_budget`, as an online
        call does), so that the same request is worth sending in the next batch."""
        sent = self._limits.get(custom_id) if isinstance(custom_id, str) else None
        if sent is None or self.target.budget is None:
            return False  # (a batch submitted before a restart: its limits are not known)
        self.target.grow_budget(sent)
        return self.target.budget > max(sent.values())

    async def aclose(self) -> None:
        await self.http.aclose()
