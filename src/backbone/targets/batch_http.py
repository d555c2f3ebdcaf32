"""What the OpenAI and Anthropic batch clients share: their own HTTP client on the provider's
base URL (with the provider's key, never sent to another host), and every failure mapped like
an online call's (:mod:`backbone.targets.http_errors`: 429/5xx and a body cut short
retryable, 401/403 an authentication error, any other 4xx final, a 200 whose body is an error
that error).

Example:
    >>> from backbone.targets.openai_compat import OpenAITarget
    >>> h = BatchHttp(OpenAITarget("m", base_url="http://127.0.0.1:9/v1"), headers={})
    >>> h.base_url
    'http://127.0.0.1:9/v1'
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from backbone.targets.http_client import (
    HttpClient,
    HttpResponse,
    HttpTransportError,
)
from backbone.targets.http_errors import error_in_reply, raise_for_status, transport_error
from backbone.targets.http_provider import HttpProvider

BATCH_MAX_BODY = 4 * 1024 * 1024 * 1024
"""A batch's results file holds every reply of the batch (OpenAI's is up to 200 MB of input; its
output can be larger), so the cap is far above a single reply's."""


class BatchHttp:
    """GET, POST JSON and POST a file on the provider's base URL."""

    def __init__(
        self,
        provider: HttpProvider,
        *,
        headers: Mapping[str, str],
        timeout: float = 300.0,
        idle: float | None = None,
    ) -> None:
        """``timeout``: seconds for a whole response (a results file may be large); ``idle``:
        seconds the server may go silent, the run's ``--timeout`` (None: only ``timeout``)."""
        self.provider = provider
        self.base_url = provider.base_url
        self._headers = dict(headers)
        self._timeout = timeout
        self._idle = idle
        self._client: HttpClient | None = None

    def _http(self) -> HttpClient:
        if self._client is None:
            self._client = HttpClient(
                self.base_url,
                headers=self._headers,
                timeout=self._timeout,
                max_connections=8,
                max_body=BATCH_MAX_BODY,
                idle=self._idle,
            )
        return self._client

    def same_origin(self, url: str) -> bool:
        """Whether ``url`` is on the base URL's scheme, host and port (the key may go there)."""
        a, b = urlsplit(url), urlsplit(self.base_url)
        return (a.scheme, a.netloc) == (b.scheme, b.netloc)

    async def _checked(self, send: Any) -> HttpResponse:
        p = self.provider
        try:
            response: HttpResponse = await send
        except HttpTransportError as exc:
            raise transport_error(exc, p.provider, secrets=p.secrets) from exc
        raise_for_status(response, p.provider, secrets=p.secrets, auth_note=p.auth_note)
        return response

    def _json(self, response: HttpResponse) -> Any:
        p = self.provider
        p.check_not_empty(response)  # retryable, as a body cut short is
        data = p.decode(response.text)  # a body cut short is retryable
        # a 200 whose body is an error (a proxy passing an overload on) is that error, as
        # online: retried when it says the fault passes, not a batch that is unreadable
        error = error_in_reply(data, p.provider, secrets=p.secrets)
        if error is not None:
            raise error
        return data

    async def get_json(self, path: str) -> Any:
        return self._json(await self._checked(self._http().get(path)))

    async def get_text(self, path_or_url: str) -> str:
        return (await self._checked(self._http().get(path_or_url))).text

    async def post_json(self, path: str, body: Any) -> Any:
        return self._json(await self._checked(self._http().post(path, json=body)))

    async def post_form(self, path: str, form: aiohttp.FormData) -> Any:
        return self._json(await self._checked(self._http().post_form(path, form)))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def jsonl(text: str) -> Iterator[dict[str, Any]]:
    """The objects of a JSONL text (blank lines skipped; a line that is not an object is
    skipped with its request left without a result, so it is sent again)."""
    # newlines only: str.splitlines() also cuts at U+2028 and the like inside a reply
    for line in text.split("\n"):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict):
            yield obj


def result_lines(text: str, provider: HttpProvider) -> list[dict[str, Any]]:
    """The objects of a downloaded results file, or the provider's unreadable-response error
    (a :class:`~backbone.targets.errors.TargetError`, so the download is asked for again) when
    the download has text and not one line of it is a JSON object: a proxy's HTML page, not
    the file. It read as a file with no lines, and every request of the batch, answered and
    paid for, was submitted again.

    Example:
        >>> from backbone.targets.errors import TargetError
        >>> from backbone.targets.openai_compat import OpenAITarget
        >>> p = OpenAITarget("m", base_url="http://127.0.0.1:9/v1")
        >>> result_lines('{"custom_id": "a"}', p), result_lines("", p)
        ([{'custom_id': 'a'}], [])
        >>> try:
        ...     result_lines("<html><title>502 Bad Gateway</title></html>", p)
        ... except TargetError as exc:
        ...     print(exc)
        openai: unreadable response: 'an HTML page: 502 Bad Gateway'
    """
    lines = list(jsonl(text))
    if not lines and text.strip():
        raise provider.unreadable(text)
    return lines


def counts(data: Any) -> dict[str, int]:
    """A batch's ``request_counts`` (in ``data``, the batch object), each a whole number; one
    that is not (a string, null), or counts that are not an object, read as 0: they only show
    progress, and a count that was not a number failed every request of the batch.

    Example:
        >>> counts({"request_counts": {"completed": 3, "failed": "n/a", "total": 5.0}})
        {'completed': 3, 'failed': 0, 'total': 5}
        >>> counts({"request_counts": ["n/a"]}), counts(None)
        ({}, {})
    """
    found = data.get("request_counts") if isinstance(data, dict) else None
    if not isinstance(found, dict):
        return {}
    out: dict[str, int] = {}
    for name, value in found.items():
        whole = isinstance(value, int | float) and not isinstance(value, bool)
        out[str(name)] = int(value) if whole and value == value and abs(value) < 1e18 else 0
    return out
