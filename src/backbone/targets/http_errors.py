"""Mapping HTTP failures to retryable or final target errors (shared by HTTP providers).

* 429, 408 and 5xx are retryable (with the server's ``Retry-After``, and its rate-limit
  headers read by :func:`~backbone.targets.ratelimit_headers.parse_rate_limits`);
* a spent quota is a :class:`QuotaSpentError`, never retried, a run stops on it: a 429 or a
  400 that says so (OpenAI's ``insufficient_quota``, Anthropic's "credit balance is too
  low"), and a 402 (Payment Required) unless it carries a ``Retry-After`` (OpenRouter's
  in-flight spending budget, which passes: retried);
* 401 and 403 are an :class:`AuthenticationError` with the provider's own message (and why
  an environment key was withheld, when it was): never retried, a run stops on it;
* a 3xx is a :class:`RedirectedError`: redirects are not followed, so a key never travels
  on to another host, and every call is redirected alike (a run stops on it);
* 404 is a :class:`NotFoundError` naming the URL called: no such endpoint or model, so no
  later call can succeed either (a run stops on it, as on a refused key);
* a 400 or a 422 is an :class:`InvalidRequestError` carrying the ``param`` and ``code`` the
  provider named (OpenAI's ``error.param``, or the body field of a pydantic ``detail`` list,
  as Mistral's API and Azure AI Foundry refuse a field they do not take), so an adapter can
  send what the model takes instead;
* any other 4xx is final;
* a 2xx body whose JSON stops before it is complete (:func:`ends_early`: a connection or a
  proxy that gave up mid-body, with no ``Content-Length`` to tell) is retryable, like the
  transport error aiohttp raises when a body falls short of its ``Content-Length``; a
  complete body that is not the JSON promised (an HTML page, garbage) is final.

Every message is redacted (:mod:`backbone.targets.redact`), with the provider's key named
as an exact secret.
"""

from __future__ import annotations

import email.utils
import html
import json
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from backbone.targets.errors import (
    AuthenticationError,
    InvalidRequestError,
    NotFoundError,
    QuotaSpentError,
    RedirectedError,
    RetryableTargetError,
    TargetError,
)
from backbone.targets.http_client import (
    HttpBodyTooLarge,
    HttpBodyUndecodable,
    HttpNotHttp,
    HttpTransportError,
)
from backbone.targets.ratelimit_headers import parse_rate_limits

if TYPE_CHECKING:
    from backbone.targets.http_client import HttpResponse


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date (one already past:
    0). A negative number, like NaN or words, is no hint (None: the retry backs off as it
    would with no header); it read as "retry now", and a call's attempts all went out at once.

    Example:
        >>> parse_retry_after("2"), parse_retry_after("-5"), parse_retry_after("soon")
        (2.0, None, None)
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 else None  # NaN and negatives: no hint
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def provider_message(body: str) -> str:
    """The provider's own words in an error body (``error.message`` of the usual JSON shapes),
    else :func:`body_text` (an HTML page's title, or the body's first 300 characters).

    Example:
        >>> provider_message('{"error": {"message": "Invalid API key", "type": "auth"}}')
        'Invalid API key'
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, too deep, a number past int's limit
        data = None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])[:300]
        if isinstance(error, str):
            return error[:300]
        if isinstance(data.get("message"), str):
            return str(data["message"])[:300]
    return body_text(body)


QUOTA_SPENT = "insufficient_quota"
"""OpenAI's error code and type for an account whose credit or monthly budget is spent."""
LOW_BALANCE = re.compile(r"\bcredit balance is too low\b", re.I)
"""Anthropic's words (HTTP 400, ``invalid_request_error``) for an account with no credit."""


def quota_spent(body: str) -> bool:
    """Whether an error body says the account's quota is spent (its ``error`` object's
    ``code`` or ``type`` is :data:`QUOTA_SPENT`, or its message is Anthropic's "credit
    balance is too low"), rather than a rate limit that passes or a request at fault.

    Example:
        >>> quota_spent('{"error": {"message": "You exceeded your current quota", '
        ...             '"type": "insufficient_quota", "code": "insufficient_quota"}}')
        True
        >>> quota_spent('{"error": {"message": "Rate limit", "code": "rate_limit_exceeded"}}')
        False
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, too deep, a number past int's limit
        return False
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return False
    message = error.get("message")
    low = isinstance(message, str) and LOW_BALANCE.search(message) is not None
    return low or QUOTA_SPENT in (error.get("code"), error.get("type"))


def error_fields(body: str) -> tuple[str | None, str | None]:
    """The ``param`` and ``code`` of an error body, or None for each that it does not give:
    OpenAI's shape (an ``error`` object with both), or a request validated by pydantic (a
    FastAPI server, Mistral's API, Azure AI Foundry): a ``detail`` list whose entry's ``loc``
    names one field of the body, found at the top, under ``message`` (an object, or that
    object as a JSON string) or under ``error``.

    Example:
        >>> error_fields('{"error": {"message": "...", "param": "max_tokens", '
        ...              '"code": "unsupported_parameter"}}')
        ('max_tokens', 'unsupported_parameter')
        >>> error_fields('{"object": "error", "message": {"detail": [{"type": "extra_forbidden",'
        ...              ' "loc": ["body", "seed"], "msg": "Extra inputs are not permitted"}]},'
        ...              ' "type": "invalid_request_error", "param": null, "code": null}')
        ('seed', 'extra_forbidden')
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, too deep, a number past int's limit
        return None, None
    if not isinstance(data, dict):
        return None, None
    error = data.get("error")
    param = code = None
    if isinstance(error, dict):
        param, code = error.get("param"), error.get("code")
    if not isinstance(param, str):
        return _detail_field(data)
    return param, code if isinstance(code, str) else None


def _detail_field(data: dict[str, object]) -> tuple[str | None, str | None]:
    """The body field (and the error's ``type``) that a pydantic ``detail`` list refuses,
    when its entries name exactly one top-level field of the request body."""
    places: list[object] = [data, data.get("message"), data.get("error")]
    fields: set[tuple[str, str | None]] = set()
    for place in places:
        if isinstance(place, str) and place.lstrip().startswith("{"):
            try:
                place = json.loads(place)
            except (ValueError, RecursionError):
                continue
        detail = place.get("detail") if isinstance(place, dict) else None
        for entry in detail if isinstance(detail, list) else ():
            loc = entry.get("loc") if isinstance(entry, dict) else None
            if isinstance(loc, list) and len(loc) == 2 and loc[0] == "body":
                kind = entry.get("type")
                fields.add((str(loc[1]), kind if isinstance(kind, str) else None))
    if len({f for f, _ in fields}) != 1:
        return None, None
    return min(fields, key=lambda f: f[1] or "")


_HTML = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_INVISIBLE = re.compile(r"<(script|style|head)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def body_text(body: str, limit: int = 300) -> str:
    """What a response body says, for an error message: an HTML page (a proxy's or a CDN's
    error page, a captive portal) as its title, else its visible text; anything else as its
    first ``limit`` characters.

    Example:
        >>> body_text("<!DOCTYPE html><html><head><style>p{}</style>"
        ...           "<title>502 Bad Gateway</title></head><body><h1>Bad gateway</h1></body>")
        'an HTML page: 502 Bad Gateway'
        >>> body_text('{"error": "busy"}')
        '{"error": "busy"}'
    """
    if not _HTML.match(body):
        return body[:limit]
    title = _TITLE.search(body)
    shown = title.group(1) if title else _TAG.sub(" ", _INVISIBLE.sub(" ", body))
    words = " ".join(html.unescape(shown).split())
    return f"an HTML page: {words}"[:limit] if words else "an HTML page with no text"


def raise_for_status(
    response: HttpResponse,
    provider: str,
    *,
    secrets: Sequence[str] = (),
    auth_note: str = "",
) -> None:
    """Raise the right error for a non-2xx response."""
    status = response.status_code
    if status < 300:
        return
    body = body_text(response.text)
    if status in (401, 403):
        message = f"{provider}: HTTP {status}: {provider_message(response.text)}"
        raise AuthenticationError(
            message + (f" ({auth_note})" if auth_note else ""), secrets=secrets
        )
    if status == 402 and "retry-after" not in response.headers:
        # Payment Required: no credit left (OpenRouter's 402; with a Retry-After it is its
        # in-flight spending budget, which passes: retried below)
        raise QuotaSpentError(
            f"{provider}: HTTP 402: {provider_message(response.text)}", secrets=secrets
        )
    if status in (400, 429) and quota_spent(response.text):
        raise QuotaSpentError(
            f"{provider}: HTTP {status}: {provider_message(response.text)}", secrets=secrets
        )
    if status in (402, 408, 429) or status >= 500:
        raise RetryableTargetError(
            f"{provider}: HTTP {status}: {body}",
            retry_after=parse_retry_after(response.headers.get("retry-after")),
            secrets=secrets,
            limits=parse_rate_limits(response.headers),
            rate_limited=status == 429,
        )
    if status < 400:
        where = response.headers.get("location", "elsewhere")
        raise RedirectedError(
            f"{provider}: HTTP {status}: redirected to {where}, which is not followed (a key is "
            "never sent on to another host); give the final URL as the base URL",
            secrets=secrets,
        )
    if status in (400, 422):
        param, code = error_fields(response.text)
        raise InvalidRequestError(
            f"{provider}: HTTP {status}: {body}", param=param, code=code, secrets=secrets
        )
    if status == 404:
        where = f" at {response.url}" if response.url else ""
        raise NotFoundError(
            f"{provider}: HTTP 404{where}: {provider_message(response.text)}", secrets=secrets
        )
    raise TargetError(f"{provider}: HTTP {status}: {body}", secrets=secrets)


_STATUS = re.compile(r"[0-9]{3}")
_PASSING = re.compile(
    r"overload|rate.?limit|server.?error|api.?error|internal|timeout|timed out|unavailable|"
    r"capacity|busy|try again",
    re.I,
)


def error_in_reply(
    data: object, provider: str, *, secrets: Sequence[str] = (), note: str = ""
) -> TargetError | None:
    """The error a 2xx reply carries instead of a completion (``{"error": {...}}``, the shape
    of OpenAI-compatible servers and proxies, or Anthropic's ``{"type": "error", "error":
    {...}}``), or ``None``. Retryable when it says the fault is passing (overloaded, a rate
    limit, a server error, a timeout; or a ``code`` of 429 or 5xx), else final; either way
    it names the provider's own message rather than quoting the body as unreadable
    (``note``: where it was found, added in brackets).

    Example:
        >>> e = error_in_reply({"type": "error", "error": {"type": "overloaded_error",
        ...     "message": "Overloaded"}}, "anthropic")
        >>> type(e).__name__, str(e).split(": ", 1)[1]
        ('RetryableTargetError', 'an error in place of a reply: overloaded_error: Overloaded')
    """
    if not isinstance(data, dict) or not data.get("error"):
        return None
    if data.get("choices") or data.get("content"):  # a reply that also says something went
        return None  # wrong (an empty one with an error is that error: it read as unreadable)
    error = data["error"]
    fields = error if isinstance(error, dict) else {"message": error}
    kind = str(fields.get("type") or "")
    code = fields.get("code")
    message = str(fields.get("message") or "").strip()
    said = (": ".join(x for x in (kind, message) if x) or json.dumps(error))[:300]
    # an HTTP status is three ASCII digits; str.isdigit() also passes "²" and 5,000 nines,
    # which int() refuses with a ValueError that would end the whole run
    status = int(str(code)) if _STATUS.fullmatch(str(code)) else None
    passing = (status is not None and (status in (408, 429) or status >= 500)) or bool(
        _PASSING.search(f"{kind} {code or ''} {message}")
    )
    text = f"{provider}: an error in place of a reply: {said}" + (f" ({note})" if note else "")
    if passing:
        return RetryableTargetError(text, secrets=secrets, rate_limited=status == 429)
    return TargetError(text, secrets=secrets)


_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")
_NUMBER_TAIL = re.compile(r"\.|[eE][-+]?")  # what json's number pattern leaves of "1." or "1e-"
_ESCAPE_HEAD = re.compile(r"u[0-9a-fA-F]{0,3}")  # a \\uXXXX escape that stops short


def ends_early(error: json.JSONDecodeError) -> bool:
    """Whether the text ``error`` was raised for is JSON cut short: it opens an object or an
    array, and the parser ran out of text before it closed, rather than meeting something
    wrong in the middle. Read from where :mod:`json` stopped: at the very end of the text, or
    inside a string, a literal, a number or an escape that the end of the text cut off.

    Example:
        >>> def cut(text):
        ...     try:
        ...         json.loads(text)
        ...     except json.JSONDecodeError as exc:
        ...         return ends_early(exc)
        >>> cut('{"choices": [{"message": {"content": "Par'), cut('{"a": tr'), cut('[1, 2,')
        (True, True, True)
        >>> cut('{"a": [}'), cut('{"a": 1} x'), cut("<html>502</html>"), cut("")
        (False, False, False, False)
    """
    text, pos = error.doc, error.pos
    if not text.lstrip().startswith(("{", "[")):
        return False  # not a JSON object or array at all: an HTML page, garbage, nothing
    rest = text[pos:].rstrip()
    msg = error.msg
    if not rest:
        return msg.startswith("Expecting")  # a value, a delimiter or a name: the text ended
    if msg.startswith("Unterminated string"):
        return True  # json says so only when the text ends inside the string
    if msg == "Expecting value":
        return any(lit.startswith(rest) for lit in _LITERALS)  # "tr", "nul", "-"
    if msg == "Expecting ',' delimiter":
        return pos > 0 and text[pos - 1].isdigit() and bool(_NUMBER_TAIL.fullmatch(rest))
    if msg.startswith("Invalid \\uXXXX escape"):
        return bool(_ESCAPE_HEAD.fullmatch(rest))
    return False


def transport_error(exc: Exception, provider: str, *, secrets: Sequence[str] = ()) -> TargetError:
    """A timeout, refused or reset connection: worth another try, and ``silent`` (the server
    sent no response; a body that broke off after the response's head is retried, not
    silent: :attr:`HttpTransportError.answered`); ``timed_out`` when the request went out
    and no response came in time (:attr:`HttpTransportError.timed_out`). A body past the
    client's cap is a fault, final: another try would read it again. A body that could not
    be decompressed is an answer, not silence: retried when it was corrupt, final when its
    coding is one not read (:class:`HttpBodyUndecodable`); an answer that is not HTTP at all
    is final (:class:`HttpNotHttp`)."""
    if isinstance(exc, (HttpBodyTooLarge, HttpNotHttp)):
        return TargetError(f"{provider}: {exc}", secrets=secrets)
    if isinstance(exc, HttpBodyUndecodable):
        if exc.retryable:
            return RetryableTargetError(f"{provider}: {exc}", secrets=secrets)
        return TargetError(f"{provider}: {exc}", secrets=secrets)
    if isinstance(exc, HttpTransportError) and exc.answered:  # a body cut short: not silence
        return RetryableTargetError(f"{provider}: {exc}", secrets=secrets)
    return RetryableTargetError(
        f"{provider}: {type(exc).__name__}: {exc}",
        secrets=secrets,
        silent=True,
        timed_out=isinstance(exc, HttpTransportError) and exc.timed_out,
    )
