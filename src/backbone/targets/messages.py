"""The data a target exchanges: chat messages in, a reply out.

Example:
    >>> req = Request(messages=(ChatMessage(role="user", content="Hi"),))
    >>> req.messages[0].role
    'user'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from backbone.core.text import clean_text
from backbone.targets.ratelimit_headers import RateLimits

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One chat message."""

    role: Role
    content: str

    def __post_init__(self) -> None:  # a lone surrogate could be neither hashed nor stored
        object.__setattr__(self, "content", clean_text(self.content))

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True, slots=True)
class Request:
    """What a target is asked: the conversation so far, and which sample of it this is.

    ``sample`` distinguishes repeated draws of the same conversation (it is part of the
    cache key, so repeats are not served from one cached reply).
    """

    messages: tuple[ChatMessage, ...]
    sample: int = 0

    def as_dicts(self) -> list[dict[str, str]]:
        return [m.as_dict() for m in self.messages]


MAX_TOKENS = 10**12
"""The largest token count taken from a reply's usage (more is not a count)."""


def count(value: Any) -> int:
    """A token count from a usage field: 0 when it is missing or not a count (the reply
    itself still stands).

    Example:
        >>> count(12), count("7"), count(None), count("n/a"), count(-3), count(1e300), count(True)
        (12, 7, 0, 0, 0, 0, 0)
    """
    if isinstance(value, bool):
        return 0
    try:
        n = max(0, int(value))
    except (TypeError, ValueError, OverflowError):
        return 0
    # no call uses a trillion tokens: a count past that is garbage, and one past 2**63 could
    # not even be stored (the response cache keeps it as an SQLite integer)
    return n if n <= MAX_TOKENS else 0


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens a call consumed, as the provider reported them (0 when unknown)."""

    input_tokens: int = 0
    output_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Reply:
    """A target's answer. ``cached`` is set by the cache wrapper, never by a provider. A lone
    surrogate in ``text`` (from a JSON escape or product code) becomes U+FFFD.

    ``limits`` is what an HTTP provider's rate-limit headers said with this reply (for the
    rate limiter, :mod:`backbone.targets.ratelimit`); it takes no part in equality and the
    cache never stores it (a cached reply has ``None``).

    ``cut`` is set when the reply stopped at the token limit (``finish_reason`` ``length``,
    ``stop_reason`` ``max_tokens``, the embedded model's ``max_tokens``): its text may end
    mid-answer. ``cut_by_context``: of those, the limit was not the ``max_tokens`` asked for
    but the conversation filling the model's context window (Anthropic's ``stop_reason``
    ``model_context_window_exceeded``; an OpenAI-compatible server's ``length`` with fewer
    tokens than asked for and no reasoning shown that the count may leave out), which a
    larger ``max_tokens`` would not lift. The cache keeps both."""

    text: str
    usage: Usage = field(default_factory=Usage)
    cached: bool = False
    limits: RateLimits | None = field(default=None, compare=False, repr=False)
    cut: bool = False
    cut_by_context: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean_text(self.text))
