"""The HTTP client the provider targets share (aiohttp underneath).

Why aiohttp and not httpx: measured by ``benchmarks/bench_runner.py`` on 1,600 requests at
concurrency 100, httpx cost about 1.2 ms of client CPU per request even after working around
httpcore's pool bookkeeping, which grows with the square of the pool size (encode/httpcore#1035);
aiohttp costs about a fifth of that. At concurrency 100 that CPU lands on every round of turns,
so it decides how close a run gets to its latency floor.

The interface is deliberately small: ``post`` a JSON body, get the status, headers and text
back; a transport failure (refused, reset, timed out) raises :class:`HttpTransportError`. The
body is decoded by its declared charset (UTF-8 when none or an unknown one is declared) with
undecodable bytes replaced, so a proxy's Latin-1 error page or a stray 0xff byte is text
to report, never a crash. A compressed body is undone here (:func:`decompress`), not by
aiohttp: a corrupt gzip body, or one in a coding backbone does not read (brotli, zstd), is an
:class:`HttpBodyUndecodable` saying exactly that, not a connection failure.

Example:
    >>> c = HttpClient("http://127.0.0.1:9/v1", headers={}, timeout=5.0, max_connections=10)
    >>> c.base_url
    'http://127.0.0.1:9/v1'
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # aiohttp is imported on first use: a python: or local run never needs it
    import aiohttp

_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy")


def _proxy_configured() -> bool:
    return any(os.environ.get(v) or os.environ.get(v.upper()) for v in _PROXY_VARS)


def decode_body(body: bytes, charset: str | None) -> str:
    """``body`` as text: by ``charset`` when Python knows it, else UTF-8; bad bytes become
    U+FFFD.

    Example:
        >>> decode_body("défaillante".encode("latin-1"), "utf-8")
        'd\ufffdfaillante'
        >>> decode_body("défaillante".encode("latin-1"), "iso-8859-1")
        'défaillante'
    """
    if charset:
        with contextlib.suppress(LookupError):  # unknown, or not a text encoding ("zlib")
            return body.decode(charset, errors="replace")
    return body.decode("utf-8", errors="replace")


class HttpTransportError(Exception):
    """The request did not get a whole HTTP response: connection refused or reset, or a
    timeout. ``timed_out``: the connection was made and the response did not come in time (a
    connection that could not be made in time is not counted: the host is unreachable, not
    busy). ``answered``: the response's status and headers came, and its body broke off (the
    server answered: not silence)."""

    def __init__(self, message: str, *, timed_out: bool = False, answered: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out
        self.answered = answered


class HttpNotHttp(HttpTransportError):
    """The server answered in bytes that are not an HTTP response (an SSH or database port, a
    TLS server spoken to in plain text): every call would get the same, so it is final."""


class HttpBodyTooLarge(HttpTransportError):
    """The response's body ran past the client's ``max_body`` bytes; reading stopped there."""


class HttpBodyUndecodable(HttpTransportError):
    """The response came whole, and its ``Content-Encoding`` could not be undone.
    ``retryable``: the body is not valid data in its coding (gzip or deflate cut short or
    mangled on the way: another try may get it whole); not, when the coding is one backbone
    does not read (brotli, zstd: asked for gzip or deflate, the server sent it anyway, and
    would again)."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


ACCEPT_ENCODING = "gzip, deflate"
"""The codings a response may come in: the ones :func:`decompress` undoes (aiohttp would also
ask for brotli or zstd whenever a package for them happens to be installed)."""

_NAMES = {"br": "brotli", "zstd": "zstd", "compress": "compress (LZW)"}


def decompress(body: bytes, encoding: str | None, limit: int) -> bytes:
    """``body`` with its ``Content-Encoding`` undone (codings applied in order, undone last
    first), at most ``limit`` bytes of it (:class:`HttpBodyTooLarge` past that). gzip and
    deflate (zlib-wrapped or raw, as servers send both) are read; anything else, or data that
    is not valid in its coding, is an :class:`HttpBodyUndecodable`.

    Example:
        >>> import gzip
        >>> decompress(gzip.compress(b'{"ok": true}'), "gzip", 100)
        b'{"ok": true}'
        >>> decompress(b"plain", "identity", 100)
        b'plain'
        >>> try:
        ...     decompress(b"plain", "gzip", 100)
        ... except HttpBodyUndecodable as exc:
        ...     print(exc, exc.retryable)
        the reply body was not valid gzip (Content-Encoding: gzip; 5 bytes) True
    """
    codings = [c.strip().lower() for c in (encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        if coding == "identity":
            continue
        if coding in ("gzip", "x-gzip"):
            body = _inflate(body, 16 + zlib.MAX_WBITS, "gzip", encoding, limit)
        elif coding == "deflate":  # RFC 1950 (zlib) as specified, or the raw deflate of some
            raw = not body or body[0] & 0x0F != 8
            wbits = -zlib.MAX_WBITS if raw else zlib.MAX_WBITS
            body = _inflate(body, wbits, "deflate", encoding, limit)
        else:
            name = _NAMES.get(coding, repr(coding))
            raise HttpBodyUndecodable(
                f"the server answered with a {name}-compressed body (Content-Encoding: "
                f"{encoding}), which backbone cannot read (it asks for gzip or deflate: "
                f"Accept-Encoding: {ACCEPT_ENCODING}); have the server, or the proxy before it, "
                "send gzip, deflate or an uncompressed body",
                retryable=False,
            )
    return body


def _inflate(body: bytes, wbits: int, name: str, encoding: str | None, limit: int) -> bytes:
    """``body`` inflated (gzip members one after another, as a gzip file may hold)."""
    out = bytearray()
    rest = body
    try:
        while True:
            d = zlib.decompressobj(wbits)
            out += d.decompress(rest, limit + 1 - len(out))
            if len(out) > limit or d.unconsumed_tail:
                raise HttpBodyTooLarge(
                    f"the response body is larger than {limit:,} bytes once decompressed "
                    f"({name}); not read further"
                )
            if not d.eof:
                raise zlib.error("the data ends before its end marker")
            rest = d.unused_data
            if name != "gzip" or not rest.strip(b"\0"):  # zero padding after the last member
                return bytes(out)
    except zlib.error as exc:
        raise HttpBodyUndecodable(
            f"the reply body was not valid {name} (Content-Encoding: {encoding}; "
            f"{len(body):,} bytes)",
            retryable=True,
        ) from exc


CONNECT_TIMEOUT = 15.0
"""Seconds to open a TCP connection to the server (the pool's own wait for a free connection
not counted). A server that is up accepts in milliseconds, however busy: past this the host
is unreachable (a wrong address, a firewall that drops packets), and the call fails and is
retried then, rather than after the whole call's 120 s."""

MAX_BODY = 64 * 1024 * 1024
"""A chat reply's body is kilobytes; past 64 MiB it is a fault (a proxy streaming a file, a
server in a loop), and reading on would only fill memory until the timeout."""


@dataclass(frozen=True)
class HttpResponse:
    """A whole response: status, lower-cased headers, body text."""

    status_code: int
    headers: Mapping[str, str]
    text: str
    url: str = ""


class HttpClient:
    """One connection pool of ``max_connections``; the session is created on first use, inside
    the running event loop."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str],
        timeout: float,
        max_connections: int,
        max_body: int = MAX_BODY,
        idle: float | None = None,
    ) -> None:
        """``timeout``: seconds for a whole response; ``idle``: seconds the server may go
        silent (connecting, then between any two chunks of its answer; None: no such bound,
        and connecting is bounded by :data:`CONNECT_TIMEOUT` or ``timeout``, the shorter)."""
        self.base_url = base_url.rstrip("/")
        self._idle = idle
        self._max_body = max_body
        self._headers = {"accept-encoding": ACCEPT_ENCODING, **headers}
        self._timeout = timeout
        self._max_connections = max(1, max_connections)
        self._session: aiohttp.ClientSession | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        import aiohttp

        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                headers=self._headers,
                timeout=aiohttp.ClientTimeout(
                    total=self._timeout,
                    sock_connect=self._idle if self._idle is not None else CONNECT_TIMEOUT,
                    sock_read=self._idle,
                ),
                connector=aiohttp.TCPConnector(limit=self._max_connections),
                auto_decompress=False,  # decompress(): a bad body is named, not a lost reply
                # honour HTTP(S)_PROXY and NO_PROXY like other clients, but only when one is
                # set: aiohttp then looks proxies up in a worker thread on every request
                trust_env=_proxy_configured(),
            )
        return self._session

    async def post(self, path: str, *, json: Any) -> HttpResponse:
        """POST ``json`` to ``base_url + path`` and read the whole response."""
        return await self._send("POST", self.base_url + path, json=json)

    async def get(self, path_or_url: str) -> HttpResponse:
        """GET ``base_url + path`` (or an absolute URL on the same origin) and read it whole."""
        url = path_or_url if "://" in path_or_url else self.base_url + path_or_url
        return await self._send("GET", url)

    async def post_form(self, path: str, form: aiohttp.FormData) -> HttpResponse:
        """POST a multipart form (a file upload) to ``base_url + path``."""
        payload = form()
        # the session's JSON content type must not override the form's boundary
        return await self._send(
            "POST",
            self.base_url + path,
            data=payload,
            headers={"content-type": payload.content_type},
        )

    async def _send(self, method: str, url: str, **kwargs: Any) -> HttpResponse:
        import aiohttp

        status: int | None = None  # once the response's head came
        try:
            # redirects are not followed: a key must never travel on to a host not named
            async with self._get_session().request(
                method, url, allow_redirects=False, **kwargs
            ) as response:
                status = response.status
                body = await self._read_capped(response)
                headers = {k.lower(): v for k, v in response.headers.items()}
                try:
                    body = decompress(body, headers.get("content-encoding"), self._max_body)
                except HttpBodyUndecodable as exc:
                    if 200 <= response.status < 300:
                        raise
                    body = f"[{exc}]".encode()  # an error status says more than its body
                text = decode_body(body, response.charset)
                return HttpResponse(response.status, headers, text, url)
        except (aiohttp.ClientError, TimeoutError) as exc:
            detail = f"{type(exc).__name__}: {str(exc) or 'timed out'}"
            timed_out = _waited_for_reply(exc)
            if status is not None and not timed_out:  # the connection broke mid-body
                raise HttpTransportError(
                    f"the reply body was cut short: the server sent HTTP {status} and closed the "
                    f"connection before the end of the body ({detail})",
                    answered=True,
                ) from exc
            if status is None and isinstance(exc, aiohttp.ClientResponseError):
                # aiohttp's parser refused what came back as an HTTP response
                said = " ".join(str(exc.message).split())
                raise HttpNotHttp(
                    f"the server at {url} answered with something that could not be read as an "
                    f"HTTP response ({said}); check the base URL's scheme (http:// or https://), "
                    "host and port",
                    answered=True,
                ) from exc
            raise HttpTransportError(detail, timed_out=timed_out) from exc

    async def _read_capped(self, response: aiohttp.ClientResponse) -> bytes:
        """The body, or :class:`HttpBodyTooLarge` once it passes ``max_body`` bytes (at once when
        its Content-Length says so)."""
        too_large = HttpBodyTooLarge(
            f"the response body is larger than {self._max_body:,} bytes; not read further"
        )
        if (response.content_length or 0) > self._max_body:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(1 << 16):
            size += len(chunk)
            if size > self._max_body:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _waited_for_reply(exc: BaseException) -> bool:
    """Whether ``exc`` is a timeout waiting for the response (the whole call's, or between
    chunks), not one opening the connection (aiohttp's ``ConnectionTimeoutError``; before
    aiohttp 3.10, a ``ServerTimeoutError`` saying "Connection timeout")."""
    import aiohttp

    if not isinstance(exc, TimeoutError):
        return False
    connecting = getattr(aiohttp, "ConnectionTimeoutError", None)
    if connecting is not None:
        return not isinstance(exc, connecting)
    return not str(exc).startswith("Connection timeout")  # pragma: no cover (aiohttp 3.9)
