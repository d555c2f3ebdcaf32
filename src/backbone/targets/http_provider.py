"""What every HTTP chat provider shares: its identity, a client created on first use, and one
JSON POST with failures mapped to retryable or final target errors (a 2xx body cut short is
retryable, :meth:`~HttpProvider.decode`), and the rate-limit headers
read (:func:`~HttpProvider.post_json_limits`, for the rate limiter). Errors are redacted with
the provider's key as an exact secret; a 401/403 carries ``auth_note`` (why an environment key
was withheld, see :mod:`backbone.targets.credentials`).

Example:
    >>> class Echo(HttpProvider):
    ...     provider = "echo"
    >>> Echo("m", base_url="http://127.0.0.1:9", headers={}, params={}).identity["provider"]
    'echo'
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from backbone.targets.errors import NoTextError, RetryableTargetError, TargetError
from backbone.targets.event_stream import is_event_stream
from backbone.targets.http_client import HttpClient, HttpResponse, HttpTransportError
from backbone.targets.http_errors import (
    body_text,
    ends_early,
    error_in_reply,
    raise_for_status,
    transport_error,
)
from backbone.targets.messages import Usage, count
from backbone.targets.ratelimit_headers import RateLimits, parse_rate_limits

NO_TEXT_WHY = {
    "length": "the token limit was spent before any text, on reasoning perhaps; a larger "
    "--max-tokens may help",
    "max_tokens": "the token limit was spent before any text, on reasoning perhaps; a larger "
    "--max-tokens may help",
    "content_filter": "the provider's content filter withheld it",
    "refusal": "the provider's safety system declined to answer",
    "tool_calls": "a tool call",
    "tool_use": "a tool call",
    "function_call": "a function call",
    "pause_turn": "the provider paused the turn",
    "model_context_window_exceeded": "the conversation filled the model's context window "
    "before any text",
}
"""What a finish or stop reason means when the reply it ends has no text."""

CUT_OFF = frozenset({"length", "max_tokens", "model_context_window_exceeded"})
"""The finish or stop reasons of a reply whose text ran into a token limit, so that it may end
mid-answer (:attr:`~backbone.targets.messages.Reply.cut`): its ``max_tokens`` (``length``:
OpenAI's word; ``max_tokens``: Anthropic's, and a local server's that uses it), or the model's
context window (Anthropic's ``model_context_window_exceeded``)."""

CONTEXT_FULL = "model_context_window_exceeded"
"""The stop reason of a reply cut because the conversation filled the model's context window
(Anthropic's), not by its ``max_tokens``."""

STOPPED_PART_WAY = frozenset({"content_filter", "refusal"})
"""The finish or stop reasons of a reply a safety system stopped mid-answer: Azure's content
filter (``finish_reason: content_filter``, sometimes with the text so far) and Anthropic's
streaming classifiers (``stop_reason: refusal``, with the text so far and no refusal message).
Such text is not the model's whole reply, so it is never graded as one."""


def usage_of(data: Mapping[str, Any], input_key: str, output_key: str) -> Usage:
    """The token counts in a reply's ``usage`` object (zeros where it says nothing usable)."""
    usage = data.get("usage")
    if not isinstance(usage, Mapping):
        return Usage()
    return Usage(count(usage.get(input_key)), count(usage.get(output_key)))


class HttpProvider:
    """Base of the OpenAI-compatible and Anthropic targets."""

    provider: ClassVar[str]

    def __init__(
        self,
        model: str,
        *,
        base_url: str,
        headers: Mapping[str, str],
        params: Mapping[str, Any],
        timeout: float = 120.0,
        max_connections: int = 100,
        secrets: Sequence[str] = (),
        auth_note: str = "",
    ) -> None:
        self.model = model
        self.secrets = tuple(s for s in secrets if s)
        self.auth_note = auth_note
        self.base_url = base_url.rstrip("/")
        self.params: dict[str, Any] = dict(params)
        self._headers = dict(headers)
        self._timeout = timeout
        self._max_connections = max_connections
        self._client: HttpClient | None = None
        self._stale: list[HttpClient] = []  # replaced by allow(), closed by aclose()
        self.resent = 0
        """Calls sent again with other settings after one that failed (a parameter the model
        refused, a token limit spent on reasoning), within one call: each is a failed call
        that no retry layer sees (:func:`~backbone.targets.stack.failed_calls`)."""

    def allow(self, seconds: float) -> None:
        """Let the client wait at least ``seconds`` (and a second more) for a response, so
        that a caller's own timeout (``--timeout``), not the client's default of 120 s,
        decides when a call has taken too long.

        Example:
            >>> class Echo(HttpProvider):
            ...     provider = "echo"
            >>> p = Echo("m", base_url="http://127.0.0.1:9", headers={}, params={})
            >>> p.allow(300.0); p.client_timeout
            301.0
            >>> p.allow(5.0); p.client_timeout
            301.0
        """
        wanted = seconds + 1.0
        if wanted > self._timeout:
            self._timeout = wanted
            if self._client is not None:  # made before: the next call gets a new one
                self._stale.append(self._client)
                self._client = None

    @property
    def client_timeout(self) -> float:
        """Seconds the client waits for a whole response."""
        return self._timeout

    @property
    def identity(self) -> Mapping[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "base_url": self.base_url,
            "params": self.params,
        }

    async def post_json(self, path: str, body: Any) -> tuple[Any, str]:
        """POST ``body``; return the decoded JSON reply and its raw text."""
        data, raw, _ = await self.post_json_limits(path, body)
        return data, raw

    async def post_json_limits(self, path: str, body: Any) -> tuple[Any, str, RateLimits | None]:
        """POST ``body``; return the decoded JSON reply, its raw text and what the response's
        rate-limit headers said (``None``: nothing)."""
        if self._client is None:
            self._client = HttpClient(
                self.base_url,
                headers=self._headers,
                timeout=self._timeout,
                max_connections=self._max_connections,
            )
        try:
            response = await self._client.post(path, json=body)
        except HttpTransportError as exc:
            raise transport_error(exc, self.provider, secrets=self.secrets) from exc
        raise_for_status(response, self.provider, secrets=self.secrets, auth_note=self.auth_note)
        self.check_not_empty(response)
        data = self.decode(response.text)
        error = error_in_reply(data, self.provider, secrets=self.secrets)
        if error is not None:
            raise error
        return data, response.text, parse_rate_limits(response.headers)

    def check_not_empty(self, response: HttpResponse) -> None:
        """Raise a :class:`RetryableTargetError` for a 2xx ``response`` with no body (or only
        blanks): a server or proxy fault that may pass (it read as an "unreadable response:
        ''", final), retried and, when it stays, the call's reason for being unscored.

        Example:
            >>> class Echo(HttpProvider):
            ...     provider = "echo"
            >>> p = Echo("m", base_url="http://127.0.0.1:9", headers={}, params={})
            >>> try:
            ...     p.check_not_empty(HttpResponse(200, {}, ""))
            ... except RetryableTargetError as exc:
            ...     print(exc)
            echo: empty response body (HTTP 200)
        """
        if not response.text.strip():
            raise RetryableTargetError(
                f"{self.provider}: empty response body (HTTP {response.status_code})",
                secrets=self.secrets,
            )

    def decode(self, text: str) -> Any:
        """The JSON of a 2xx body. A body whose JSON stops before it is complete (a connection
        or a proxy that gave up mid-body) is a :class:`RetryableTargetError`, worth another
        try; a complete body that is not JSON (an HTML page, garbage) is final.

        Example:
            >>> class Echo(HttpProvider):
            ...     provider = "echo"
            >>> p = Echo("m", base_url="http://127.0.0.1:9", headers={}, params={})
            >>> p.decode('{"ok": true}')
            {'ok': True}
            >>> try:
            ...     p.decode('{"text": "Par')
            ... except RetryableTargetError as exc:
            ...     print(exc)
            echo: a reply cut short (its JSON stops unfinished after 13 characters): '{"text": "Par'
        """
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if ends_early(exc):
                raise RetryableTargetError(
                    f"{self.provider}: a reply cut short (its JSON stops unfinished after "
                    f"{len(text)} characters): {body_text(text, 200)!r}",
                    secrets=self.secrets,
                ) from exc
            raise self.unreadable(text) from exc
        except (ValueError, RecursionError) as exc:  # a number past int's digit limit, nested
            raise self.unreadable(text) from exc  # deeper than the parser goes: garbage

    def unreadable(self, text: str) -> TargetError:
        """The error for a 2xx reply whose body is not what the API promises (saying so when
        it is server-sent events: a streamed reply where none was asked for)."""
        what = " (server-sent events, where no stream was asked for)" * is_event_stream(text)
        return TargetError(
            f"{self.provider}: unreadable response{what}: {body_text(text, 200)!r}",
            secrets=self.secrets,
        )

    def no_text(
        self,
        field: str,
        why: Any,
        tools: Sequence[str] = (),
        *,
        what: str | None = None,
        spent: bool = False,
    ) -> NoTextError:
        """The error for a reply with no text that the provider says why it has none
        (``field``: ``finish_reason`` or ``stop_reason``, ``why`` its value; ``tools``: the
        tools it called instead; ``what``: what that means, when :data:`NO_TEXT_WHY` does
        not say it; ``spent``: see :class:`NoTextError`). Retrying would get the same: it is
        final, in a batch too."""
        if tools:
            what = f"only a call to the tool {', '.join(repr(t) for t in tools)}"
        elif what is None:
            what = NO_TEXT_WHY.get(str(why), "")
        reason = f"{field} {why!r}" + (f": {what}" if what else "")
        return NoTextError(
            f"{self.provider}: the reply has no text ({reason})",
            why=None if why is None else str(why),
            spent=spent,
            secrets=self.secrets,
        )

    def stopped_part_way(self, field: str, why: str, text: str) -> NoTextError:
        """The error for a reply whose ``text`` a safety system stopped mid-answer (``why``:
        one of :data:`STOPPED_PART_WAY`, the value of ``field``). Final, like a reply with no
        text: asking again would be stopped again."""
        what = NO_TEXT_WHY.get(why, "")
        reason = f"{field} {why!r}" + (f": {what}" if what else "")
        return NoTextError(
            f"{self.provider}: the reply was stopped part-way ({reason}); its {len(text)} "
            "characters are not graded",
            why=why,
            secrets=self.secrets,
        )

    async def aclose(self) -> None:
        for stale in self._stale:
            await stale.aclose()
        self._stale.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
