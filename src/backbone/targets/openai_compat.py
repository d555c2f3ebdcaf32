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
a local server that keeps the reasoning apart): a reply that spent all of it before any text
(as its usage shows: :func:`limit_spent`; one that met another limit is not) is asked for
again with four times the limit (up to :data:`MAX_COMPLETION_BUDGET`), which later
calls keep, with a warning each time it grows. The identity keeps the settings asked for, so
the cache keys do not move.

Example:
    >>> t = OpenAITarget("gpt-4o-mini", base_url="http://127.0.0.1:11434/v1")
    >>> t.identity["base_url"]
    'http://127.0.0.1:11434/v1'
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
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
from backbone.targets.event_stream import (
    StreamCutShort,
    is_event_stream,
    join_chat_stream,
    part_texts,
)
from backbone.targets.http_errors import body_text, error_in_reply
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


REASONING_FIELDS = ("reasoning_content", "reasoning")
"""Where a server puts a model's reasoning text beside the reply (``reasoning_content``:
DeepSeek's API, vLLM, llama.cpp; ``reasoning``: OpenRouter, Ollama, newer vLLM)."""


def shows_reasoning(message: Any) -> bool:
    """Whether a chat completion's ``message`` carries reasoning text (:data:`REASONING_FIELDS`).

    Example:
        >>> shows_reasoning({"content": None, "reasoning_content": "Let me think"})
        True
        >>> shows_reasoning({"content": "Rome", "reasoning": ""}), shows_reasoning(None)
        (False, False)
    """
    if not isinstance(message, dict):
        return False
    return any(isinstance(message.get(f), str) and message[f].strip() for f in REASONING_FIELDS)


def reasoning_counted(usage: Any) -> int:
    """The reasoning tokens a ``usage`` object gives apart (``completion_tokens_details``),
    0 when it gives none."""
    details = usage.get("completion_tokens_details") if isinstance(usage, dict) else None
    return count(details.get("reasoning_tokens")) if isinstance(details, dict) else 0


def sent_limit(sent: dict[str, Any] | None) -> tuple[str, int] | None:
    """The token limit a request body ``sent`` asked for: its name and value, or None."""
    for name in ("max_completion_tokens", "max_tokens"):
        value = None if sent is None else sent.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return name, value
    return None


def limit_spent(sent: dict[str, Any] | None, usage: Any, message: Any = None) -> bool | None:
    """Whether a reply that stopped at a length limit with no text spent the token limit
    ``sent`` asked for, so that a larger one may give text, as its ``usage`` shows: it counts
    that many tokens (the completion's, plus the reasoning tokens when given apart), or
    reasoning tokens. False when it counts fewer and no reasoning (the limit met was another:
    the context window, a cap of the server's); None when not known: no completion count, no
    limit sent, or reasoning text in ``message`` that the count may leave out (most servers
    count it, and then the limit was not spent; a larger limit is not paid for on a guess).

    Example:
        >>> limit = {"max_tokens": 512}
        >>> limit_spent(limit, {"completion_tokens": 512}), limit_spent(limit, None)
        (True, None)
        >>> limit_spent(limit, {"prompt_tokens": 4000, "completion_tokens": 12})
        False
        >>> limit_spent(limit, {"completion_tokens": 0,
        ...                     "completion_tokens_details": {"reasoning_tokens": 64}})
        True
        >>> limit_spent(limit, {"completion_tokens": 12}, {"reasoning_content": "Hmm"}) is None
        True
    """
    if reasoning_counted(usage) > 0:
        return True
    limit = sent_limit(sent)
    if limit is None or not isinstance(usage, dict) or usage.get("completion_tokens") is None:
        return None
    if count(usage.get("completion_tokens")) >= limit[1]:
        return True
    return None if shows_reasoning(message) else False


def cut_short_of(sent: dict[str, Any] | None, usage: Any, message: Any = None) -> bool:
    """Whether a reply that stopped at a length limit used fewer tokens than the limit
    ``sent`` asked for (``max_tokens`` or ``max_completion_tokens``), by its ``usage`` (the
    completion's tokens, plus the reasoning tokens when given apart, as servers that leave
    them out of ``completion_tokens`` do): the limit it met was another, the model's context
    window filled by the conversation (a local server's ``n_ctx``), or a cap of the server's
    own. False when either is not known, and when ``message`` shows reasoning text that the
    usage does not count apart: whether ``completion_tokens`` holds it is not shown (a
    server that leaves it out would read as a context cut, and a larger limit would help).

    Example:
        >>> limit = {"max_tokens": 512}
        >>> cut_short_of(limit, {"prompt_tokens": 4000, "completion_tokens": 96})
        True
        >>> cut_short_of(limit, {"completion_tokens": 512}), cut_short_of(limit, None)
        (False, False)
        >>> cut_short_of(limit, {"completion_tokens": 96,
        ...                      "completion_tokens_details": {"reasoning_tokens": 416}})
        False
        >>> cut_short_of(limit, {"completion_tokens": 96}, {"reasoning_content": "Hmm..."})
        False
    """
    limit = sent_limit(sent)
    if not isinstance(usage, dict) or limit is None:
        return False
    reasoning = reasoning_counted(usage)
    if not reasoning and shows_reasoning(message):
        return False
    used = count(usage.get("completion_tokens"))
    return used > 0 and used + reasoning < limit[1]


def content_text(content: Any) -> str:
    """The text of a message's ``content``: a string, ``None`` (no text), or a list of
    content parts (``{"type": "text", "text": ...}``; other parts, a reasoning part with a
    ``text`` of its own too, are not the reply: :func:`part_texts`). Raises ``TypeError``
    for anything else.

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
        return "".join(part_texts(content))
    raise TypeError(f"content is a {type(content).__name__}, not text")


def tool_name(call: Any) -> str:
    """The name of the tool a ``tool_calls`` entry (or a ``function_call``) calls: its
    ``function``'s, or its ``custom`` tool's (OpenAI's custom tools), else its ``type``. An
    entry with no ``function`` made the whole reply unreadable, its text lost.

    Example:
        >>> tool_name({"type": "function", "function": {"name": "search"}})
        'search'
        >>> tool_name({"type": "custom", "custom": {"name": "grep", "input": "x"}})
        'grep'
        >>> tool_name({"name": "lookup"}), tool_name({"type": "web_search"}), tool_name(7)
        ('lookup', 'web_search', 'a tool')
    """
    if not isinstance(call, dict):
        return "a tool"
    for place in (call.get("function"), call.get("custom"), call):
        if isinstance(place, dict) and isinstance(place.get("name"), str):
            return str(place["name"])
    kind = call.get("type")
    return kind if isinstance(kind, str) and kind else "a tool"


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

    def learned(self) -> dict[str, Any]:
        """What this target learned of its model while calling it, to be kept with its
        replies (:class:`~backbone.targets.cache.CachedTarget`): the parameters it refused,
        and the token limit grown for its reasoning.

        Example:
            >>> OpenAITarget("gpt-5-mini", api_key="sk-test", max_tokens=64).learned()
            {'refused': ['max_tokens'], 'budget': 64}
        """
        return {"refused": sorted(self.refused), "budget": self.budget}

    def adopt(self, learned: Mapping[str, Any]) -> None:
        """Take up what a target of the same identity learned (:meth:`learned`, kept by an
        earlier or a killed run, or another process): send what it sent, so a run served
        from the cache or resumed says in ``options.sent`` what was sent (it said nothing:
        no call of its own had met the refusal), and its new calls go as a fresh run's
        would (not at a limit the replies before it had outgrown). Unknown or out-of-range
        values are ignored: the store is a file.

        Example:
            >>> t = OpenAITarget("m", base_url="http://127.0.0.1:9/v1", max_tokens=300)
            >>> t.adopt({"refused": ["temperature", "stream"], "budget": 1200})
            >>> t.sent_instead()
            {'max_tokens': 1200, 'left_out': ['temperature']}
        """
        refused = learned.get("refused")
        if isinstance(refused, list):
            self.refused |= {p for p in refused if p in ADAPTABLE and self._asked(p)}
        budget = learned.get("budget")
        if (
            isinstance(budget, int)
            and not isinstance(budget, bool)
            and self.budget is not None
            and self.budget < budget <= MAX_COMPLETION_BUDGET
        ):
            self.budget = budget

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

        No choice at all (``choices: []`` or null) is a fault, retried. The message's
        ``content`` may be a string or a list of content parts (the text parts' text is
        joined); with no text, its ``refusal``. A reply with no text that the server says why
        (a tool call, the token limit, a content filter) is a final error saying so, never
        an empty reply to grade; so is text a content filter stopped part-way. A choice that
        ended in an error (``finish_reason: error``) is that error. Text that stopped at the
        token limit is ``cut``; ``cut_by_context`` too when the usage shows fewer tokens than
        the limit in ``sent`` (:func:`cut_short_of`)."""
        if isinstance(data, dict) and "choices" in data and not data["choices"]:
            # the reply left out (a proxy's or an upstream's fault): asked again; it read as
            # a final "unreadable response"
            empty = json.dumps(data["choices"])
            raise RetryableTargetError(
                f"{self.provider}: a reply with no choices (choices: {empty}): "
                f"{body_text(raw, 200)!r}",
                secrets=self.secrets,
            )
        try:
            choice = data["choices"][0]
            message = choice["message"]
            text = content_text(message.get("content")) or content_text(message.get("refusal"))
            finish = choice.get("finish_reason")
            tools = [tool_name(call) for call in message.get("tool_calls") or ()] + (
                [tool_name(message["function_call"])] if message.get("function_call") else []
            )
            usage = usage_of(data, "prompt_tokens", "completion_tokens")
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise self.unreadable(raw) from exc
        if finish == "error":
            raise self.ended_in_error(choice.get("error"))
        if not text.strip() and not tools and finish in SPENT_LIMIT:
            raise self.limit_met(finish, sent, data.get("usage"), message)
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
            and (finish == CONTEXT_FULL or cut_short_of(sent, data.get("usage"), message)),
        )

    def limit_met(
        self, finish: str, sent: dict[str, Any] | None, usage: Any, message: Any
    ) -> NoTextError:
        """The error for a reply with no text that stopped at a length limit (``finish``),
        saying what its ``usage`` shows (:func:`limit_spent`): the limit in ``sent`` spent
        (``spent``: :meth:`complete` asks again with a larger one), or not (a larger one would
        be paid for in vain: another limit stopped it), or no count to tell."""
        spent = limit_spent(sent, usage, message)
        if spent:
            return self.no_text("finish_reason", finish, spent=True)
        limit = sent_limit(sent)
        if limit is None and sent is not None:
            what = (
                "no token limit was sent, so a limit of the server's own stopped it (the "
                "model's context window, filled by the conversation, or a cap)"
            )
        elif spent is None:  # (sent None: a batch's request, sent before a restart)
            said = "no completion_tokens in its usage" if limit else "its token limit not known"
            if limit and isinstance(usage, dict) and usage.get("completion_tokens") is not None:
                said = (
                    f"completion_tokens {count(usage.get('completion_tokens'))} of {limit[0]} "
                    f"{limit[1]}, with reasoning text beside the reply that the count may "
                    "leave out"
                )
            what = (
                f"{said}, so whether the token limit was spent (on reasoning perhaps) is not "
                "known; not asked again with a larger limit (a larger --max-tokens may help)"
            )
        else:
            assert limit is not None and isinstance(usage, dict)
            what = (
                f"completion_tokens {count(usage.get('completion_tokens'))} of {limit[0]} "
                f"{limit[1]}: the limit was not spent, so another one stopped it (the model's "
                "context window, filled by the conversation, or a cap of the server's own), "
                "unless the server leaves reasoning out of its count; not asked again with a "
                "larger limit"
            )
        return self.no_text("finish_reason", finish, what=what)

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
                if not exc.spent:  # a larger limit would not help, or is not shown to
                    raise
                self.grow_budget(body)
                sent, body = body, self.body(request)
                if body == sent:
                    raise
            self.resent += 1  # the failed call is sent again with other settings
