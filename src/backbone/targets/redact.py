"""Credentials out of anything stored or printed: the one redaction every target error uses.

A server that echoes the request's headers or key in its error body ("Incorrect API key
provided: sk-...", ``{"x-api-key": "..."}``), a proxy's debug page, or product code that puts
a token in an exception message would otherwise put the secret into results.json,
transcripts.jsonl, report.html, audit.json and the terminal. :class:`~backbone.targets.errors.
TargetError` passes its message through :func:`redact`, so no target error carries one.

What is redacted: ``Bearer``/``Basic`` credentials; the value after a key-like name
(``api_key=``, ``x-api-key:``, ``"access_token": "..."``, ``password=``, ``secret:``...);
anything shaped like an OpenAI or Anthropic key (``sk-...``); and, exactly, each secret the
caller names (the key the provider was given).

Example:
    >>> redact('HTTP 401: {"error": "bad key sk-abcdef1234567890", "x-api-key": "k-123456"}')
    'HTTP 401: {"error": "bad key sk-[redacted]", "x-api-key": "[redacted]"}'
    >>> redact("Authorization: Bearer abc.def.ghi")
    'Authorization: Bearer [redacted]'
    >>> redact("token hunter2 in the body", secrets=["hunter2"])
    'token [redacted] in the body'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "[redacted]"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=:-]{4,}", re.IGNORECASE), rf"\1\2{MASK}"),
    (
        re.compile(
            r"""(?ix)
            \b((?:x-)?api[-_]?key|apikey|(?:access|auth|refresh|session|id)[-_]?token|token
               |client[-_]?secret|secret[-_]?key|secret|password|passwd|pwd)
            (["']?\s*[:=]\s*["']?)
            (?!\[redacted\])([^\s"',;&}\]]{4,})  # (redacting twice changes nothing)
            """
        ),
        rf"\1\2{MASK}",
    ),
    (re.compile(r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{8,}"), f"sk-{MASK}"),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with credentials replaced by ``[redacted]`` (see the module docstring);
    ``secrets`` shorter than 4 characters are ignored (they would mask ordinary words).
    Idempotent: ``redact(redact(t)) == redact(t)``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
