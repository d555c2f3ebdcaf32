"""Any OpenAI-compatible chat completions endpoint: OpenAI, vLLM, llama.cpp server, Ollama...

Talks HTTP directly (no vendor SDK), so a local server needs no key and the per-call overhead
stays small. The base URL is part of the identity and so of the cache key. Which servers get
``OPENAI_API_KEY``: see :mod:`backbone.targets.credentials`.

Example:
    >>> t = OpenAITarget("gpt-4o-mini", base_url="http://127.0.0.1:11434/v1")
    >>> t.identity["base_url"]
    'http://127.0.0.1:11434/v1'
"""

from __future__ import annotations

import os
from typing import Any

from backbone.targets.credentials import choose_key
from backbone.targets.http_provider import NO_TEXT_WHY, HttpProvider, usage_of
from backbone.targets.messages import Reply, Request

DEFAULT_BASE_URL = "https://api.openai.com/v1"


def content_text(content: Any) -> str:
    """The text of a message's ``content``: a string, ``None`` (no text), or a list of
    content parts (``{"type": "text", "text": ...}``; other parts carry no text). Raises
    ``TypeError`` for anything else.

    Example:
        >>> content_text([{"type": "text", "text": "Rome"}, {"type": "text", "text": "."}])
        'Rome.'
        >>> content_text(None)
        ''
    """
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part["text"]
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    raise TypeError(f"content is a {type(content).__name__}, not text")


class OpenAITarget(HttpProvider):
    """POSTs to ``{base_url}/chat/completions``; the key (``OPENAI_API_KEY``) is optional and
    sent only where :func:`~backbone.targets.credentials.choose_key` allows."""

    provider = "openai"

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        temperature: float = 0.0,
        max_tokens: int | None = 512,
        timeout: float = 120.0,
        max_connections: int = 100,
    ) -> None:
        env_base = os.environ.get("OPENAI_BASE_URL") or None
        url = base_url or env_base or DEFAULT_BASE_URL
        choice = choose_key(
            url,
            explicit=api_key,
            env_key=os.environ.get("OPENAI_API_KEY"),
            env_base=env_base,
            default_url=DEFAULT_BASE_URL,
            key_var="OPENAI_API_KEY",
            base_var="OPENAI_BASE_URL",
        )
        self.api_key = choice.key
        headers = {"content-type": "application/json"}
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        params: dict[str, Any] = {"temperature": temperature}
        if max_tokens is not None:
            params["max_tokens"] = max_tokens
        super().__init__(
            model,
            base_url=url,
            headers=headers,
            params=params,
            timeout=timeout,
            max_connections=max_connections,
            secrets=[k for k in (self.api_key, os.environ.get("OPENAI_API_KEY")) if k],
            auth_note=choice.withheld,
        )

    def body(self, request: Request) -> dict[str, Any]:
        """The chat completions request body for ``request`` (online, or one batch line)."""
        body: dict[str, Any] = {"model": self.model, "messages": request.as_dicts(), **self.params}
        if request.sample:
            body["seed"] = request.sample
        return body

    def reply_from(self, data: Any, raw: str, limits: Any = None) -> Reply:
        """The reply in a chat completion (``raw``: its text, quoted when it is unreadable).

        The message's ``content`` may be a string or a list of content parts (their text is
        joined); with no text, its ``refusal``. A reply with no text that the server says why
        (a tool call, the token limit, a content filter) is a final error saying so, never
        an empty reply to grade."""
        try:
            choice = data["choices"][0]
            message = choice["message"]
            text = content_text(message.get("content")) or content_text(message.get("refusal"))
            finish = choice.get("finish_reason")
            tools = [str(call["function"]["name"]) for call in message.get("tool_calls") or ()] + (
                [str(message["function_call"]["name"])] if message.get("function_call") else []
            )
            usage = usage_of(data, "prompt_tokens", "completion_tokens")
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise self.unreadable(raw) from exc
        if not text.strip() and (tools or finish in NO_TEXT_WHY):
            raise self.no_text("finish_reason", finish, tools)
        return Reply(text=text, usage=usage, limits=limits)

    async def complete(self, request: Request) -> Reply:
        data, raw, limits = await self.post_json_limits("/chat/completions", self.body(request))
        return self.reply_from(data, raw, limits)
