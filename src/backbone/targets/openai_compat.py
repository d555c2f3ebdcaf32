"""Any OpenAI-compatible chat completions endpoint: OpenAI, vLLM, llama.cpp server, Ollama...

Talks HTTP directly (no vendor SDK), so a local server needs no key and the per-call overhead
stays small. The base URL is part of the identity and so of the cache key. Which servers get
``OPENAI_API_KEY``: see :mod:`backbone.targets.credentials`.

Reasoning models (OpenAI's o-series and GPT-5 family, on OpenAI or Azure) refuse
``max_tokens`` (they take ``max_completion_tokens``, which OpenAI's own API takes for every
model, so it is sent there from the start) and any ``temperature`` but their default. Such a
refusal (HTTP 400 naming the parameter) is met once per target: the call is sent again with
``max_completion_tokens``, or without ``temperature``, and so is every later call, with one
warning. The token limit also counts a reasoning model's hidden reasoning (on OpenAI, and on
a local server that keeps the reasoning apart): a reply that spent all of it before any text is
asked for again with four times the limit (up to :data:`MAX_COMPLETION_BUDGET`), which later
calls keep, with a warning each time it grows. The identity keeps the settings asked for, so
the cache keys do not move.

Example:
    >>> t = OpenAITarget("gpt-4o-mini", base_url="http://127.0.0.1:11434/v1")
    >>> t.identity["base_url"]
    'http://127.0.0.1:11434/v1'
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any
from urllib.parse import urlsplit

from backbone.targets.base_url import checked_base_url
from backbone.targets.credentials import choose_key
from backbone.targets.errors import (
    InvalidRequestError,
    NoTextError,
    RetryableTargetError,
    TargetError,
)
from backbone.targets.event_stream import StreamCutShort, is_event_stream, join_chat_stream
from backbone.targets.http_errors import error_in_reply
from backbone.targets.http_provider import (
    CONTEXT_FULL,
    CUT_OFF,
    NO_TEXT_WHY,
    STOPPED_PART_WAY,
    HttpProvider,
    usage_of,
)
from backbone.targets.messages import Reply, Request, count

DEFAULT_BASE_URL = "https://api.openai.com/v1"
OPENAI_HOST = "api.openai.com"

log = logging.getLogger(__name__)

# what a model may refuse, and what is sent instead: max_tokens is renamed, temperature left
# out (the model's default), a repeated sample's seed left out
ADAPTABLE = ("max_tokens", "temperature", "seed")

MAX_COMPLETION_BUDGET = 8192
SPENT_LIMIT = ("length", "max_tokens")
"""The finish reasons of a reply cut off by its token limit (``max_tokens``: a local server
that answers in Anthropic's words)."""
REASONING_MODELS = re.compile(r"^(?:o[1-9]|gpt-5)(?:\b|[-.])", re.I)
"""OpenAI's models that reason before they answer (the o-series, the GPT-5 family)."""


def is_reasoning_model(model: str) -> bool:
    """Whether ``model`` is one of OpenAI's reasoning models, by name.

    Example:
        >>> [is_reasoning_model(m) for m in ("gpt-5-mini", "o4-mini", "gpt-4o", "omni")]
        [True, True, False, False]
    """
    return REASONING_MODELS.match(model) is not None


"""The most ``max_completion_tokens`` grows to when replies spend it all on reasoning."""


def cut_short_of(sent: dict[str, Any] | None, usage: Any) -> bool:
    """Whether a reply that stopped at a length limit used fewer tokens than the limit
    ``sent`` asked for (``max_tokens`` or ``max_completion_tokens``), by its ``usage`` (the
    completion's tokens, plus the reasoning tokens when given apart, as servers that leave
    them out of ``completion_tokens`` do): the limit it met was another, the model's context
    window filled by the conversation (a local server's ``n_ctx``), or a cap of the server's
    own. False when either is not known.

    Example:
        >>> limit = {"max_tokens": 512}
        >>> cut_short_of(limit, {"prompt_tokens": 4000, "completion_tokens": 96})
        True
        >>> cut_short_of(limit, {"completion_tokens": 512}), cut_short_of(limit, None)
        (False, False)
        >>> cut_short_of(limit, {"completion_tokens": 96,
        ...                      "completion_tokens_details": {"reasoning_tokens": 416}})
        False
    """
    limit = None if sent is None else sent.get("max_completion_tokens", sent.get("max_tokens"))
    if not isinstance(usage, dict) or not isinstance(limit, int):
        return False
    details = usage.get("completion_tokens_details")
    reasoning = count(details.get("reasoning_tokens")) if isinstance(details, dict) else 0
    used = count(usage.get("completion_tokens"))
    return used > 0 and used + reasoning < limit


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
        url = checked_base_url(
            base_url or env_base or DEFAULT_BASE_URL, ("/chat/completions",), "openai"
        )
        choice = choose_key(
            url,
            explicit=api_key,
            env_key=os.environ.get("OPENAI_API_KEY"),
            env_base=env_base,
            default_url=DEFAULT_BASE_URL,
            key_var="OPENAI_API_KEY",
            base_var="OPENAI_BASE_URL",
            hint=" (or {option} for a server that needs no key, such as Ollama or llama.cpp)",
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
        # parameters the model refused (or, on OpenAI's API, max_tokens from the start)
        self.refused: set[str] = {"max_tokens"} if urlsplit(url).hostname == OPENAI_HOST else set()
        # max_completion_tokens, once sent: max_tokens, grown when reasoning spends it all
        self.budget: int | None = max_tokens

    def body(self, request: Request) -> dict[str, Any]:
        """The chat completions request body for ``request`` (online, or one batch line).

        Example:
            >>> from backbone.targets.messages import ChatMessage
            >>> t = OpenAITarget("gpt-5-mini", api_key="sk-test", max_tokens=64)
            >>> b = t.body(Request((ChatMessage("user", "?"),)))
            >>> b["max_completion_tokens"], "max_tokens" in b
            (64, False)
        """
        params = dict(self.params)
        if "max_tokens" in params:  # the limit asked for, or grown (grow_budget)
            del params["max_tokens"]
            limit = "max_completion_tokens" if "max_tokens" in self.refused else "max_tokens"
            params[limit] = self.budget
        if "temperature" in self.refused:
            params.pop("temperature", None)
        body: dict[str, Any] = {"model": self.model, "messages": request.as_dicts(), **params}
        if request.sample and "seed" not in self.refused:
            body["seed"] = request.sample
        return body

    def sent_instead(self) -> dict[str, Any]:
        """How what is sent now differs from the settings asked for (``params``, which the
        identity keeps): ``{"max_completion_tokens": 2048, "left_out": ["max_tokens",
        "temperature"]}``, or ``{}`` when it does not.

        Example:
            >>> OpenAITarget("m", base_url="http://127.0.0.1:9/v1").sent_instead()
            {}
            >>> OpenAITarget("gpt-5-mini", api_key="sk-test", max_tokens=64).sent_instead()
            {'max_completion_tokens': 64, 'left_out': ['max_tokens']}
        """
        out: dict[str, Any] = {}
        limit = self.params.get("max_tokens")
        renamed = "max_tokens" in self.refused and limit is not None
        if renamed:
            out["max_completion_tokens"] = self.budget
        elif limit is not None and self.budget != limit:
            out["max_tokens"] = self.budget
        left = [p for p in ADAPTABLE if p in self.refused and self._asked(p)]
        if left:
            out["left_out"] = left
        return out

    def _asked(self, param: str) -> bool:
        """Whether this target sends ``param``: one of its settings, or the ``seed`` each
        repeated sample carries (:meth:`body`)."""
        return param in self.params or param == "seed"

    def adapt(self, error: InvalidRequestError) -> bool:
        """Stop sending the parameter ``error`` refuses, when it is one this target can do
        without (``max_tokens``, ``temperature``, the ``seed`` of a repeated sample: Mistral's
        API and Azure AI Foundry refuse it), with one warning the first time. True when that
        parameter is no longer sent (from now, or already)."""
        param = error.param
        if param not in ADAPTABLE or not self._asked(param):
            return False
        if param in self.refused:
            return True
        self.refused.add(param)
        name = f"openai:{self.model}"
        if param == "max_tokens":
            log.warning(
                "%s does not take max_tokens: sending max_completion_tokens=%s instead (it "
                "also counts the model's hidden reasoning)",
                name,
                self.budget,
            )
        elif param == "seed":
            log.warning(
                "%s does not take seed: repeated samples (--samples) are sent without one",
                name,
            )
        else:
            log.warning(
                "%s does not take temperature=%g: sending no temperature (the model's "
                "default), so its replies may differ from run to run",
                name,
                self.params["temperature"],
            )
        return True

    def decode(self, text: str) -> Any:
        """The JSON of a 2xx body; a body of server-sent events (a server that streams though
        no stream was asked for) as the one completion its chunks make
        (:func:`~backbone.targets.event_stream.join_chat_stream`): retried when the stream
        stops before its end, final when a chunk is not JSON."""
        if not is_event_stream(text):
            return super().decode(text)
        try:
            return join_chat_stream(text)
        except StreamCutShort as exc:
            raise RetryableTargetError(
                f"{self.provider}: a reply sent as server-sent events (a stream, though none "
                f"was asked for) stops before its end: {exc}",
                secrets=self.secrets,
            ) from exc
        except ValueError as exc:
            raise TargetError(
                f"{self.provider}: unreadable response (server-sent events, where no stream "
                f"was asked for): {exc}",
                secrets=self.secrets,
            ) from exc

    def reply_from(
        self, data: Any, raw: str, limits: Any = None, sent: dict[str, Any] | None = None
    ) -> Reply:
        """The reply in a chat completion (``raw``: its text, quoted when it is unreadable;
        ``sent``: the request body, when known).

        The message's ``content`` may be a string or a list of content parts (their text is
        joined); with no text, its ``refusal``. A reply with no text that the server says why
        (a tool call, the token limit, a content filter) is a final error saying so, never
        an empty reply to grade; so is text a content filter stopped part-way. A choice that
        ended in an error (``finish_reason: error``) is that error. Text that stopped at the
        token limit is ``cut``; ``cut_by_context`` too when the usage shows fewer tokens than
        the limit in ``sent`` (:func:`cut_short_of`)."""
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
        if finish == "error":
            raise self.ended_in_error(choice.get("error"))
        if not text.strip() and (tools or finish in NO_TEXT_WHY):
            raise self.no_text("finish_reason", finish, tools)
        if finish in STOPPED_PART_WAY:
            raise self.stopped_part_way("finish_reason", finish, text)
        cut = finish in CUT_OFF
        return Reply(
            text=text,
            usage=usage,
            limits=limits,
            cut=cut,
            cut_by_context=cut
            and (finish == CONTEXT_FULL or cut_short_of(sent, data.get("usage"))),
        )

    def ended_in_error(self, error: Any) -> TargetError:
        """The error for a choice whose ``finish_reason`` is ``error`` (OpenRouter's 200 when
        the model failed mid-generation, with the upstream's ``error`` in the choice): that
        error, retried when it says the fault passes (a 502 upstream), never its text so far
        as a reply; with no details, retried too (the generation broke off)."""
        note = "finish_reason 'error'"
        found = error_in_reply({"error": error}, self.provider, secrets=self.secrets, note=note)
        if found is not None:
            return found
        return RetryableTargetError(
            f"{self.provider}: the reply ended with an error and no details ({note})",
            secrets=self.secrets,
        )

    def grow_budget(self, sent: dict[str, Any]) -> None:
        """A reply spent all of the token limit in ``sent`` before any text (a reasoning
        model, on OpenAI or on a local server that keeps the reasoning apart): later calls
        get four times as much (up to :data:`MAX_COMPLETION_BUDGET`), with a warning; nothing
        changes when another call already grew it past what ``sent`` had."""
        name = "max_completion_tokens" if "max_completion_tokens" in sent else "max_tokens"
        had = sent.get(name)
        if not isinstance(had, int) or self.budget is None or self.budget > had:
            return
        grown = min(had * 4, MAX_COMPLETION_BUDGET)
        if grown <= had:
            return
        self.budget = grown
        log.warning(
            "openai:%s spent all of %s=%s on reasoning before any text: asking again with %s "
            "(a larger limit saves the extra call: --max-tokens, for a target)",
            self.model,
            name,
            had,
            grown,
        )

    async def complete(self, request: Request) -> Reply:
        body = self.body(request)
        while True:  # sent again only while what is sent changed
            try:
                data, raw, limits = await self.post_json_limits("/chat/completions", body)
                return self.reply_from(data, raw, limits, sent=body)
            except InvalidRequestError as exc:
                self.adapt(exc)  # (or another call in flight already did)
                sent, body = body, self.body(request)
                if body == sent:
                    raise
            except NoTextError as exc:
                if exc.why not in SPENT_LIMIT:
                    raise
                self.grow_budget(body)
                sent, body = body, self.body(request)
                if body == sent:
                    raise
