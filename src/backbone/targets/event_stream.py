"""A chat completion that came as server-sent events (``text/event-stream``: ``data: {...}``
lines, then ``data: [DONE]``) though no stream was asked for, as some OpenAI-compatible
servers answer: its chunks joined into the one completion they stand for.

Example:
    >>> body = ('data: {"choices": [{"index": 0, "delta": {"role": "assistant", '
    ...         '"content": "Ro"}}]}\\n\\n'
    ...         'data: {"choices": [{"index": 0, "delta": {"content": "me."}, '
    ...         '"finish_reason": "stop"}]}\\n\\ndata: [DONE]\\n\\n')
    >>> is_event_stream(body)
    True
    >>> joined = join_chat_stream(body)
    >>> joined["choices"][0]["message"]["content"], joined["choices"][0]["finish_reason"]
    ('Rome.', 'stop')
"""

from __future__ import annotations

import json
import re
from typing import Any

_FIELD = re.compile(r"(?:data|event|id|retry)(?::|$)|:")
"""The start of a line of an event stream: one of its fields, or a comment (``:``). A JSON
body never starts so."""


class StreamCutShort(ValueError):
    """The stream stops before its end: no ``finish_reason`` and no ``data: [DONE]``."""


def is_event_stream(text: str) -> bool:
    """Whether a body is server-sent events, by its first line that is not blank.

    Example:
        >>> is_event_stream(": keep-alive\\n\\ndata: {}"), is_event_stream('{"choices": []}')
        (True, False)
    """
    for line in text.splitlines():
        if line.strip():
            return _FIELD.match(line) is not None
    return False


def event_data(text: str) -> list[str]:
    """The ``data`` of each event in ``text`` (its ``data:`` lines joined by newlines, as the
    EventSource standard has it), in order; events with no data are skipped.

    Example:
        >>> event_data("event: ping\\n\\ndata: a\\ndata: b\\n\\n: note\\ndata: c")
        ['a\\nb', 'c']
    """
    found: list[str] = []
    lines: list[str] = []
    for line in [*text.splitlines(), ""]:
        if not line:
            if lines:
                found.append("\n".join(lines))
            lines = []
        elif line.startswith("data:"):
            value = line[5:]
            lines.append(value[1:] if value.startswith(" ") else value)
    return found


def join_chat_stream(text: str) -> dict[str, Any]:
    """The chat completion the chunks of an OpenAI-style event stream make: the text of
    their deltas joined (and any refusal and reasoning text, and the names of the tools
    called; no chunk with a choice: ``choices: []``, a reply left out), the last
    ``finish_reason`` and ``usage`` given. A chunk that is an error (``{"error": {...}}``,
    with no choice beside it, ``choices: []`` too) is returned as that error, for the caller
    to read as one. ``ValueError`` when a chunk is not
    JSON (:class:`StreamCutShort` when that is the last one, or when the stream ends with
    no ``finish_reason`` and no ``[DONE]``)."""
    chunks = event_data(text)
    content: list[str] = []
    refusal: list[str] = []
    reasoning: list[str] = []
    tools: dict[int, str] = {}
    seen = False  # a choice 0 in any chunk
    finish: Any = None
    usage: Any = None
    done = False
    for number, data in enumerate(chunks, 1):
        if data.strip() == "[DONE]":
            done = True
            continue
        try:
            chunk = json.loads(data)
        except (ValueError, RecursionError) as exc:
            if number == len(chunks):
                raise StreamCutShort(f"its last event is not whole JSON: {data[:100]!r}") from exc
            raise ValueError(f"event {number} is not JSON: {data[:100]!r}") from exc
        if not isinstance(chunk, dict):
            raise ValueError(f"event {number} is not a JSON object: {data[:100]!r}")
        if chunk.get("error") and not chunk.get("choices"):  # (choices: [] too: it was
            return {"error": chunk["error"]}  # skipped, and the text so far was the reply)
        if isinstance(chunk.get("usage"), dict):
            usage = chunk["usage"]
        choices = chunk.get("choices")
        for choice in choices if isinstance(choices, list) else ():
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            seen = True
            delta = choice.get("delta") or choice.get("message") or {}
            if not isinstance(delta, dict):
                raise ValueError(f"event {number}'s delta is not a JSON object")
            _add_text(content, delta.get("content"))
            _add_text(refusal, delta.get("refusal"))
            for name in ("reasoning_content", "reasoning"):
                if isinstance(delta.get(name), str):
                    reasoning.append(delta[name])
            for call in delta.get("tool_calls") or ():
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and isinstance(function.get("name"), str):
                    index = call.get("index")
                    index = index if isinstance(index, int) else len(tools)
                    tools[index] = tools.get(index, "") + function["name"]
            if choice.get("finish_reason") is not None:
                finish = choice["finish_reason"]
    if finish is None and not done:
        raise StreamCutShort("it ends with no finish_reason and no [DONE]")
    if not seen:  # no chunk held a choice: a reply left out, as a completion's choices: []
        return {"choices": [], **({"usage": usage} if usage is not None else {})}
    message: dict[str, Any] = {"role": "assistant", "content": "".join(content)}
    if refusal:
        message["refusal"] = "".join(refusal)
    if reasoning:  # kept apart: what the usage may not count (cut_short_of, limit_spent)
        message["reasoning_content"] = "".join(reasoning)
    if tools:
        message["tool_calls"] = [{"function": {"name": name}} for _, name in sorted(tools.items())]
    joined: dict[str, Any] = {
        "choices": [{"index": 0, "message": message, "finish_reason": finish}]
    }
    if usage is not None:
        joined["usage"] = usage
    return joined


TEXT_PARTS = frozenset({"text", "output_text"})
"""The ``type`` of a content part that holds the reply's text (a part with no ``type`` is
read as text too); any other (``reasoning``, ``thinking``, an image) is not the reply."""


def part_texts(parts: list[Any]) -> list[str]:
    """The texts of a list of content parts: those of :data:`TEXT_PARTS` (or with no type).
    A reasoning part that carries its own ``text`` was joined into the reply and graded.

    Example:
        >>> part_texts([{"type": "reasoning", "text": "Hmm."}, {"type": "text", "text": "Rome"},
        ...             {"text": "."}, "x"])
        ['Rome', '.']
    """
    return [
        p["text"]
        for p in parts
        if isinstance(p, dict)
        and isinstance(p.get("text"), str)
        and p.get("type", "text") in TEXT_PARTS
    ]


def _add_text(parts: list[str], value: Any) -> None:
    """Append a delta's text: a string, or the text of a list of content parts."""
    if isinstance(value, str):
        parts.append(value)
    elif isinstance(value, list):
        parts.extend(part_texts(value))
