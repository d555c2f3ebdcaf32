"""A loopback server that also speaks the provider batch APIs (real HTTP on 127.0.0.1).

On top of :class:`~tests.support.loopback.LoopbackServer`'s online endpoints (the same reply
function, so an online run and a batch run of one server give the same replies):

* OpenAI: ``POST /v1/files`` (multipart, purpose ``batch``), ``POST /v1/batches``,
  ``GET /v1/batches/{id}``, ``GET /v1/files/{id}/content``;
* Anthropic: ``POST /v1/messages/batches``, ``GET /v1/messages/batches/{id}``,
  ``GET /v1/messages/batches/{id}/results``.

A batch ends ``delay`` seconds after it is created (``slow`` sets it per batch number), and
its items are answered then, in one go. Switches for the failures a provider has:

* ``item_errors(pred, times, status)``: items whose messages satisfy ``pred`` error (at most
  ``times`` times per request body), reported in the error file with HTTP ``status`` (500 by
  default; 400 is an invalid request) / as ``errored`` (``api_error``, or
  ``invalid_request_error`` for a 400);
* ``expire(batch_numbers, finished)``: those batches end ``expired`` with only the first
  ``finished`` items answered (the rest ``batch_expired`` / ``expired``);
* ``forget(batch_number)``: the server answers 404 for that batch (it lost it);
* ``rewrite``: a function given the lines of each results file (``"output"``, ``"errors"``:
  OpenAI's; ``"results"``: Anthropic's) that returns the lines served instead;
* ``garble(batch_number, times)``: the first ``times`` requests for that batch (``None``:
  every one) are answered 200 with an HTML page instead of the batch (a proxy's error page);
* ``tool_calls(pred)``: items whose messages satisfy ``pred`` are answered with a call to the
  tool ``lookup`` and no text (OpenAI ``finish_reason: tool_calls``, Anthropic
  ``stop_reason: tool_use``): a reply that succeeded, and will be the same every time;
* ``reasoning(tokens)`` (OpenAI): a reasoning model that needs ``tokens`` of hidden reasoning:
  an item sent with a smaller limit (``max_completion_tokens`` or ``max_tokens``) is answered
  with no text, ``finish_reason: length`` and the whole limit spent.

Counters: ``creates`` (batches created), ``polls`` per batch id, ``batch_items`` (requests
answered in batches), ``total`` (online requests, as the base server counts them).

Run it as a process for benchmarks: ``python tests/support/batch_server.py --port 0``.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.loopback import LoopbackServer, ReplyFn, _text, _words, serve_until_signalled

MessagesPred = Callable[[list[dict[str, Any]]], bool]
Rewrite = Callable[[str, list[dict[str, Any]]], list[dict[str, Any]]]
GARBLED = "<html><body><h1>502 Bad Gateway</h1></body></html>"


@dataclass
class _Batch:
    id: str
    number: int
    api: str  # "openai" | "anthropic"
    items: list[tuple[str, dict[str, Any]]]
    ready_at: float
    lost: bool = False
    results: list[dict[str, Any]] | None = None
    state: str = "in_progress"
    counts: dict[str, int] = field(default_factory=dict)


def item_messages(api: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversation a batch item's ``body`` asks about, as the reply function sees it."""
    messages = [{"role": m["role"], "content": _text(m.get("content"))} for m in body["messages"]]
    if api == "anthropic" and body.get("system"):
        messages.insert(0, {"role": "system", "content": _text(body["system"])})
    return messages


class BatchServer(LoopbackServer):
    """Online and batch endpoints over one scripted reply function."""

    def __init__(self, reply: ReplyFn | None = None, *, delay: float = 0.0, **kw: Any) -> None:
        super().__init__(reply, **kw)
        self.delay = delay
        self.slow: dict[int, float] = {}
        self.creates = 0
        self.polls: Counter[str] = Counter()
        self.batch_items = 0
        self.batches: dict[str, _Batch] = {}
        self._files: dict[str, bytes] = {}
        self._error_rules: list[tuple[MessagesPred, int | None, int]] = []
        self._errored: Counter[str] = Counter()
        self._expire: dict[int, int] = {}
        self._lost: set[int] = set()
        self._garbled: dict[int, int | None] = {}
        self.down: set[int] = set()  # batches whose polls are answered 503 (1-based)
        self.rewrite: Rewrite | None = None
        self._tool_rules: list[MessagesPred] = []
        self._refusals: list[tuple[Callable[[dict[str, Any]], bool], dict[str, Any]]] = []
        self._reasoning: int | None = None
        self._block = threading.Lock()

    # ---- switches --------------------------------------------------------------------------

    def item_errors(
        self, pred: MessagesPred, *, times: int | None = None, status: int = 500
    ) -> None:
        """Items whose messages satisfy ``pred`` error with ``status``, at most ``times``
        times each."""
        self._error_rules.append((pred, times, status))

    def refuse(self, when: Callable[[dict[str, Any]], bool], error: dict[str, Any]) -> None:
        """Items whose request body satisfies ``when`` are refused with HTTP 400 and
        ``error`` as the body's ``error`` (a reasoning model refusing a parameter)."""
        self._refusals.append((when, error))

    def expire(self, batch_numbers: Iterable[int], *, finished: int) -> None:
        """Those batches (1-based creation order) expire with ``finished`` items answered."""
        for n in batch_numbers:
            self._expire[n] = finished

    def forget(self, batch_number: int) -> None:
        self._lost.add(batch_number)

    def garble(self, batch_number: int, *, times: int | None) -> None:
        """The first ``times`` requests for that batch (None: all) get a 200 HTML page."""
        self._garbled[batch_number] = times

    def _garbling(self, batch: _Batch) -> bool:
        """Whether this request for ``batch`` is answered with an HTML page (counted)."""
        with self._block:
            if batch.number not in self._garbled:
                return False
            left = self._garbled[batch.number]
            if left is not None:
                if left <= 0:
                    return False
                self._garbled[batch.number] = left - 1
            return True

    def reasoning(self, tokens: int) -> None:
        """Items sent with a token limit below ``tokens`` spend it all before any text."""
        self._reasoning = tokens

    def tool_calls(self, pred: MessagesPred) -> None:
        """Items whose messages satisfy ``pred`` are answered with a tool call, no text."""
        self._tool_rules.append(pred)

    # ---- HTTP ------------------------------------------------------------------------------

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=512 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._openai)
        app.router.add_post("/v1/messages", self._anthropic)
        app.router.add_get("/stats", self._stats)
        app.router.add_post("/reset", self._reset)
        app.router.add_post("/v1/files", self._upload)
        app.router.add_post("/v1/batches", self._create_openai)
        app.router.add_get("/v1/batches/{id}", self._retrieve_openai)
        app.router.add_get("/v1/files/{id}/content", self._file_content)
        app.router.add_post("/v1/messages/batches", self._create_anthropic)
        app.router.add_get("/v1/messages/batches/{id}", self._retrieve_anthropic)
        app.router.add_get("/v1/messages/batches/{id}/results", self._results_anthropic)
        return app

    def stats(self) -> dict[str, Any]:
        out = super().stats()
        out.update(
            creates=self.creates, batch_items=self.batch_items, polls=sum(self.polls.values())
        )
        return out

    async def _upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        if form.get("purpose") != "batch" or not isinstance(upload, web.FileField):
            return web.json_response({"error": {"message": "purpose=batch and a file"}}, status=400)
        with self._block:
            file_id = f"file-{len(self._files) + 1}"
            self._files[file_id] = upload.file.read()
        return web.json_response({"id": file_id, "object": "file", "purpose": "batch"})

    def _new_batch(self, api: str, items: list[tuple[str, dict[str, Any]]]) -> _Batch:
        with self._block:
            self.creates += 1
            n = self.creates
            prefix = "batch" if api == "openai" else "msgbatch"
            delay = self.slow.get(n, self.delay)
            batch = _Batch(f"{prefix}_{n}", n, api, items, time.monotonic() + delay)
            batch.lost = n in self._lost
            self.batches[batch.id] = batch
        return batch

    async def _create_openai(self, request: web.Request) -> web.Response:
        body = await request.json()
        data = self._files.get(body.get("input_file_id", ""))
        if data is None or body.get("endpoint") != "/v1/chat/completions":
            return web.json_response({"error": {"message": "no such input file"}}, status=400)
        items = []
        for line in data.decode("utf-8").splitlines():
            obj = json.loads(line)
            items.append((obj["custom_id"], obj["body"]))
        if len({k for k, _ in items}) != len(items):
            return web.json_response({"error": {"message": "duplicate custom_id"}}, status=400)
        batch = self._new_batch("openai", items)
        return web.json_response(self._openai_view(batch))

    async def _create_anthropic(self, request: web.Request) -> web.Response:
        body = await request.json()
        items = [(r["custom_id"], r["params"]) for r in body["requests"]]
        batch = self._new_batch("anthropic", items)
        return web.json_response(self._anthropic_view(batch))

    def _finish(self, batch: _Batch) -> None:
        """Answer the batch's items (once, when it is due)."""
        if batch.results is not None or time.monotonic() < batch.ready_at:
            return
        finished = self._expire.get(batch.number)
        results: list[dict[str, Any]] = []
        counts: Counter[str] = Counter()
        for i, (custom_id, body) in enumerate(batch.items):
            messages = item_messages(batch.api, body)
            if finished is not None and i >= finished:
                results.append({"custom_id": custom_id, "kind": "expired"})
                counts["expired"] += 1
                continue
            refused = next((e for when, e in self._refusals if when(body)), None)
            if refused is not None:
                results.append(
                    {"custom_id": custom_id, "kind": "errored", "status": 400, "error": refused}
                )
                counts["errored"] += 1
                continue
            status = self._error_status(messages, json.dumps(body, sort_keys=True))
            if status is not None:
                results.append({"custom_id": custom_id, "kind": "errored", "status": status})
                counts["errored"] += 1
                continue
            tool = any(pred(messages) for pred in self._tool_rules)
            limit = body.get("max_completion_tokens", body.get("max_tokens"))
            spent = self._reasoning is not None and isinstance(limit, int)
            spent = spent and limit < self._reasoning  # type: ignore[operator]
            text = "" if tool or spent else self.reply(messages)
            results.append(
                {
                    "custom_id": custom_id,
                    "kind": "succeeded",
                    "tool": tool,
                    "spent": limit if spent else None,
                    "text": text,
                    "model": body.get("model", ""),
                    "in": sum(_words(m["content"]) for m in messages),
                    "out": limit if spent else _words(text),
                }
            )
            counts["succeeded"] += 1
        with self._block:
            self.batch_items += counts["succeeded"]
        batch.results = results
        batch.counts = dict(counts)
        batch.state = "expired" if finished is not None else "ended"

    def _error_status(self, messages: list[dict[str, Any]], key: str) -> int | None:
        for pred, times, status in self._error_rules:
            if pred(messages) and (times is None or self._errored[key] < times):
                self._errored[key] += 1
                return status
        return None

    def _lookup(self, request: web.Request) -> _Batch | None:
        batch = self.batches.get(request.match_info["id"])
        if batch is None or batch.lost:
            return None
        with self._block:
            self.polls[batch.id] += 1
        self._finish(batch)
        return batch

    # ---- OpenAI's shapes -------------------------------------------------------------------

    def _openai_view(self, b: _Batch) -> dict[str, Any]:
        done = b.results is not None
        status = "in_progress" if not done else ("expired" if b.state == "expired" else "completed")
        ok = b.counts.get("succeeded", 0)
        view: dict[str, Any] = {
            "id": b.id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "status": status,
            "request_counts": {
                "total": len(b.items),
                "completed": ok,
                "failed": b.counts.get("errored", 0) + b.counts.get("expired", 0),
            },
            "output_file_id": f"{b.id}-output" if done and ok else None,
            "error_file_id": f"{b.id}-errors" if done and len(b.items) > ok else None,
        }
        return view

    async def _retrieve_openai(self, request: web.Request) -> web.Response:
        batch = self._lookup(request)
        if batch is None:
            return web.json_response({"error": {"message": "No batch found"}}, status=404)
        if self._garbling(batch):
            return web.Response(text=GARBLED, content_type="text/html")
        if batch.number in self.down:
            return web.json_response({"error": {"message": "overloaded"}}, status=503)
        return web.json_response(self._openai_view(batch))

    async def _file_content(self, request: web.Request) -> web.Response:
        file_id = request.match_info["id"]
        batch_id, _, which = file_id.rpartition("-")
        batch = self.batches.get(batch_id)
        if batch is None or batch.results is None or which not in ("output", "errors"):
            return web.json_response({"error": {"message": "No such file"}}, status=404)
        lines = []
        for r in batch.results:
            if which == "output" and r["kind"] == "succeeded":
                message: dict[str, Any] = {"role": "assistant", "content": r["text"]}
                if r["tool"]:
                    message = {"role": "assistant", "content": None, "tool_calls": [
                        {"id": "call_1", "type": "function",
                         "function": {"name": "lookup", "arguments": "{}"}}]}  # fmt: skip
                body = {
                    "id": f"chatcmpl-{r['custom_id'][:8]}",
                    "object": "chat.completion",
                    "model": r["model"],
                    "choices": [
                        {"index": 0, "message": message,
                         "finish_reason": "tool_calls" if r["tool"]
                         else "length" if r.get("spent") else "stop"}
                    ],
                    "usage": {"prompt_tokens": r["in"], "completion_tokens": r["out"],
                              "total_tokens": r["in"] + r["out"]},
                }  # fmt: skip
                ok = {"status_code": 200, "body": body}
                lines.append(
                    {"id": "req", "custom_id": r["custom_id"], "response": ok, "error": None}
                )
            elif which == "errors" and r["kind"] == "errored":
                error = r.get("error") or {"message": "injected item error"}
                lines.append({"id": "req", "custom_id": r["custom_id"], "error": None,
                              "response": {"status_code": r["status"],
                                           "body": {"error": error}}})  # fmt: skip
            elif which == "errors" and r["kind"] == "expired":
                lines.append({"id": "req", "custom_id": r["custom_id"], "response": None,
                              "error": {"code": "batch_expired",
                                        "message": "This request could not be executed before "
                                        "the completion window expired."}})  # fmt: skip
        if self.rewrite is not None:
            lines = self.rewrite(which, lines)
        text = "".join(json.dumps(x) + "\n" for x in lines)
        return web.Response(text=text, content_type="application/octet-stream")

    # ---- Anthropic's shapes ----------------------------------------------------------------

    def _anthropic_view(self, b: _Batch) -> dict[str, Any]:
        done = b.results is not None
        return {
            "id": b.id,
            "type": "message_batch",
            "processing_status": "ended" if done else "in_progress",
            "request_counts": {
                "processing": 0 if done else len(b.items),
                "succeeded": b.counts.get("succeeded", 0),
                "errored": b.counts.get("errored", 0),
                "canceled": 0,
                "expired": b.counts.get("expired", 0),
            },
            "results_url": f"{self.url}/v1/messages/batches/{b.id}/results" if done else None,
        }

    async def _retrieve_anthropic(self, request: web.Request) -> web.Response:
        batch = self._lookup(request)
        if batch is None:
            return web.json_response(
                {"type": "error", "error": {"type": "not_found_error", "message": "no batch"}},
                status=404,
            )
        if self._garbling(batch):
            return web.Response(text=GARBLED, content_type="text/html")
        if batch.number in self.down:
            err = {"type": "overloaded_error", "message": "overloaded"}
            return web.json_response({"type": "error", "error": err}, status=503)
        return web.json_response(self._anthropic_view(batch))

    async def _results_anthropic(self, request: web.Request) -> web.Response:
        batch = self.batches.get(request.match_info["id"])
        if batch is None or batch.results is None:
            return web.json_response({"type": "error", "error": {"message": "not ended"}}, 404)
        lines = []
        for r in batch.results:
            if r["kind"] == "succeeded":
                content: list[dict[str, Any]] = [{"type": "text", "text": r["text"]}]
                stop = "end_turn"
                if r["tool"]:
                    content = [{"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {}}]
                    stop = "tool_use"
                result: dict[str, Any] = {
                    "type": "succeeded",
                    "message": {
                        "id": "msg", "type": "message", "role": "assistant", "model": r["model"],
                        "content": content, "stop_reason": stop,
                        "usage": {"input_tokens": r["in"], "output_tokens": r["out"]},
                    },
                }  # fmt: skip
            elif r["kind"] == "errored":
                kind = "invalid_request_error" if r["status"] == 400 else "api_error"
                result = {"type": "errored", "error": {"type": "error", "error": {
                    "type": kind, "message": "injected item error"}}}  # fmt: skip
            else:
                result = {"type": "expired"}
            lines.append({"custom_id": r["custom_id"], "result": result})
        if self.rewrite is not None:
            lines = self.rewrite("results", lines)
        return web.Response(
            text="".join(json.dumps(x) + "\n" for x in lines), content_type="application/binary"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds until a batch ends")
    args = parser.parse_args(argv)
    server = BatchServer(
        lambda messages: f"Answer {len(messages)}.", delay=args.delay, port=args.port, record=False
    )

    serve_until_signalled(server)


if __name__ == "__main__":
    main()
