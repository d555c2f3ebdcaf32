"""Anthropic's Messages API over HTTP (``anthropic:MODEL``; key from ``ANTHROPIC_API_KEY``,
base URL from ``--base-url``, else ``ANTHROPIC_BASE_URL``, else Anthropic's own). Which servers
get the key: see :mod:`backbone.targets.credentials`.

Example:
    >>> t = AnthropicTarget("claude-sonnet-4-5", api_key="sk-test")
    >>> t.identity["provider"]
    'anthropic'
"""

from __future__ import annotations

import os
from typing import Any

from backbone.targets.base_url import checked_base_url
from backbone.targets.credentials import choose_key
from backbone.targets.http_provider import (
    CONTEXT_FULL,
    CUT_OFF,
    NO_TEXT_WHY,
    STOPPED_PART_WAY,
    HttpProvider,
    usage_of,
)
from backbone.targets.messages import Reply, Request

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"


class AnthropicTarget(HttpProvider):
    """POSTs to ``{base_url}/v1/messages``; system messages go in the ``system`` field. The key
    is required for Anthropic's own endpoint, optional for a compatible server."""

    provider = "anthropic"

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        temperature: float = 0.0,
        max_tokens: int = 512,
        timeout: float = 120.0,
        max_connections: int = 100,
    ) -> None:
        env_base = os.environ.get("ANTHROPIC_BASE_URL") or None
        # backbone adds /v1/messages: a base URL ending in it, or in /v1, would double it
        url = checked_base_url(
            base_url or env_base or DEFAULT_BASE_URL, ("/v1/messages", "/v1"), "anthropic"
        )
        env_key = os.environ.get("ANTHROPIC_API_KEY")
        choice = choose_key(
            url,
            explicit=api_key,
            env_key=env_key,
            env_base=env_base,
            default_url=DEFAULT_BASE_URL,
            key_var="ANTHROPIC_API_KEY",
            base_var="ANTHROPIC_BASE_URL",
        )
        self.api_key = choice.key or ""
        headers = {"content-type": "application/json", "anthropic-version": API_VERSION}
        if self.api_key:
            headers["x-api-key"] = self.api_key
        super().__init__(
            model,
            base_url=url,
            headers=headers,
            params={"temperature": temperature, "max_tokens": max_tokens},
            timeout=timeout,
            max_connections=max_connections,
            secrets=[k for k in (self.api_key, env_key) if k],
            auth_note=choice.withheld,
        )

    def body(self, request: Request) -> dict[str, Any]:
        """The Messages API request body for ``request`` (online, or one batch request's
        ``params``)."""
        system = "\n\n".join(m.content for m in request.messages if m.role == "system")
        messages = [m.as_dict() for m in request.messages if m.role != "system"]
        body: dict[str, Any] = {"model": self.model, "messages": messages, **self.params}
        if system:
            body["system"] = system
        return body

    def reply_from(self, data: Any, raw: str, limits: Any = None) -> Reply:
        """The reply in a Messages API message (``raw``: its text, quoted when unreadable).

        A message with no text whose ``stop_reason`` says why (a tool use, the token limit, a
        refusal) is a final error saying so, never an empty reply to grade; so is text that
        Anthropic's streaming classifiers stopped part-way (``stop_reason: refusal``)."""
        try:
            blocks = data["content"]
            text = "".join(block.get("text", "") for block in blocks if block.get("type") == "text")
            tools = [str(b.get("name")) for b in blocks if b.get("type") == "tool_use"]
            stop = data.get("stop_reason")
            usage = usage_of(data, "input_tokens", "output_tokens")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise self.unreadable(raw) from exc
        if not text.strip() and (tools or stop in NO_TEXT_WHY):
            raise self.no_text("stop_reason", stop, tools)
        if stop in STOPPED_PART_WAY:
            raise self.stopped_part_way("stop_reason", stop, text)
        return Reply(
            text=text,
            usage=usage,
            limits=limits,
            cut=stop in CUT_OFF,
            cut_by_context=stop == CONTEXT_FULL,
        )

    async def complete(self, request: Request) -> Reply:
        data, raw, limits = await self.post_json_limits("/v1/messages", self.body(request))
        return self.reply_from(data, raw, limits)
